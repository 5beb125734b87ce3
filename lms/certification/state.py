"""The one definition of an award's state, in Python and in SQL.

valid     active, and not expired, and not inside its recertification window
expiring  active, not expired, inside the window (expires within the certification's
          `recert_window_days`): still counts, renewal is due
expired   active in the table but `expires_at` has passed: no longer counts
revoked / superseded   as stored

`counts(award)` (valid or expiring) is what "holds the certification" means everywhere:
requirements, readiness, verification pages, badges, exports and the API.
The SQL forms below say the same for queries; a test checks both agree on every state.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, case, func, literal, or_

from lms.certification.models import Award, Certification
from lms.core.clock import as_utc, now

STATES = ("valid", "expiring", "expired", "revoked", "superseded")
COUNTING = ("valid", "expiring")
# What a person sees for each state (and for a required certification never held).
LABELS = {"valid": _l("Valid"), "expiring": _l("Expiring"), "expired": _l("Expired"),
          "revoked": _l("Revoked"), "superseded": _l("Replaced"), "missing": _l("Missing")}


def label(name: str) -> str:
    return str(LABELS.get(name, name))


def window_start(award: Award) -> datetime | None:
    if award.expires_at is None:
        return None
    return as_utc(award.expires_at) - timedelta(days=award.certification.recert_window_days)


def state_of(status: str, expires_at: datetime | None, window_days: int,
             at: datetime | None = None) -> str:
    """The state from the stored columns (for rows read without the ORM object)."""
    if status != "active":
        return status
    if expires_at is None:
        return "valid"
    at = at or now()
    expires = as_utc(expires_at)
    if expires <= at:
        return "expired"
    return "expiring" if expires - timedelta(days=window_days) <= at else "valid"


def state(award: Award, at: datetime | None = None) -> str:
    return state_of(award.status, award.expires_at, award.certification.recert_window_days, at)


def counts(award: Award, at: datetime | None = None) -> bool:
    return state(award, at) in COUNTING


# --- SQL: Award joined with Certification ------------------------------------------------

def counts_sql(at: datetime | None = None) -> ColumnElement[bool]:
    """Active and not expired (valid or expiring). Needs no join."""
    at = at or now()
    return and_(Award.status == "active",
                or_(Award.expires_at.is_(None), Award.expires_at > at))


def _in_window(at: datetime, windows: list[int]) -> ColumnElement[bool]:
    # One comparison per distinct window length keeps this portable (no interval maths).
    if not windows:
        return literal(False)
    return or_(*[and_(Certification.recert_window_days == w,
                      Award.expires_at <= at + timedelta(days=w)) for w in windows])


def state_sql(at: datetime, windows: list[int]) -> ColumnElement[str]:
    """The state as a SQL expression (Award joined with Certification); `windows` are the
    distinct `recert_window_days` in use (see `window_lengths`)."""
    return case((Award.status != "active", Award.status),
                (Award.expires_at.is_(None), "valid"),
                (Award.expires_at <= at, "expired"),
                (_in_window(at, windows), "expiring"), else_="valid")


def in_state_sql(name: str, at: datetime, windows: list[int]) -> ColumnElement[bool]:
    """A WHERE clause for awards in state `name` (Award joined with Certification)."""
    if name in ("revoked", "superseded"):
        return Award.status == name
    if name == "expired":
        return and_(Award.status == "active", Award.expires_at.is_not(None),
                     Award.expires_at <= at)
    live = counts_sql(at)
    if name == "expiring":
        return and_(live, Award.expires_at.is_not(None), _in_window(at, windows))
    if name == "valid":
        return and_(live, or_(Award.expires_at.is_(None), ~_in_window(at, windows)))
    raise ValueError(f"unknown award state {name!r}")


def window_lengths() -> list[int]:
    from sqlalchemy import select

    from lms.extensions import db

    return list(db.session.scalars(select(func.distinct(Certification.recert_window_days))))
