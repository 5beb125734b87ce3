"""Extra attempts and fresh starts on quizzes and practice assessments, granted by trainers
and HR with a reason (audited, the person told). The attempt limits ask the registry
(`requirements.allowance_start`, `requirements.extra_attempts`); this module answers for
the grants."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms.assessment.models import AttemptGrant
from lms.core import audit, requirements
from lms.core.clock import as_utc, now
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.notifications.notify import notify
from lms.people.models import User

KINDS = ("quiz", "scenario")


def grant(person: User, kind: str, ref: str, action: str, extra: int, reason: str,
          actor: User) -> AttemptGrant:
    reason = (reason or "").strip()
    ref = (ref or "").strip()
    if kind not in KINDS:
        raise ServiceError(_l("Choose a quiz or a practice assessment."), field="kind")
    if kind == "quiz" and "/" in ref:
        code, _sep, key = ref.partition("/")
        ref = f"{code.upper()}/{key}"
    if not requirements.get(kind).exists(ref):
        raise ServiceError(_l("No %(kind)s “%(ref)s” exists.", kind=kind, ref=ref), field="ref")
    if action not in ("extra", "reset"):
        raise ServiceError(_l("Choose what to grant."), field="action")
    if action == "extra" and not 1 <= (extra or 0) <= 10:
        raise ServiceError(_l("Grant from 1 to 10 extra attempts."), field="extra")
    if not reason:
        raise ServiceError(_l("Give the reason."), field="reason")
    row = AttemptGrant(user_id=person.id, kind=kind, ref=ref, action=action,
                       extra=extra if action == "extra" else 0, reason=reason[:500],
                       actor_id=actor.id, at=now())
    db.session.add(row)
    audit.record("attempts_granted" if action == "extra" else "attempts_reset", actor=actor,
                 target=person, kind=kind, ref=ref, extra=row.extra or None, reason=reason)
    title = (_l("You have been granted %(n)d extra attempts on %(r)s: %(why)s", n=row.extra,
                r=ref, why=reason) if action == "extra" else
             _l("Your attempts on %(r)s have been reset: %(why)s", r=ref, why=reason))
    notify(person, "attempts", str(title), link="/learn/")
    db.session.commit()
    return row


def recent(limit: int = 50) -> list[AttemptGrant]:
    return list(db.session.scalars(select(AttemptGrant).order_by(AttemptGrant.at.desc(),
                                                                 AttemptGrant.id.desc())
                                   .limit(limit)))


def _reset_start(user_id: int, kind: str, ref: str, at: datetime) -> datetime | None:
    last = db.session.scalar(select(func.max(AttemptGrant.at)).where(
        AttemptGrant.user_id == user_id, AttemptGrant.kind == kind, AttemptGrant.ref == ref,
        AttemptGrant.action == "reset", AttemptGrant.at <= at))
    return as_utc(last) if last is not None else None


def _extra(user_id: int, kind: str, ref: str, since: datetime | None) -> int:
    stmt = select(func.coalesce(func.sum(AttemptGrant.extra), 0)).where(
        AttemptGrant.user_id == user_id, AttemptGrant.kind == kind, AttemptGrant.ref == ref,
        AttemptGrant.action == "extra")
    if since is not None:
        stmt = stmt.where(AttemptGrant.at >= since)
    return int(db.session.scalar(stmt) or 0)


if _reset_start not in requirements.ALLOWANCE_STARTS:
    requirements.ALLOWANCE_STARTS.append(_reset_start)
if _extra not in requirements.EXTRA_ATTEMPTS:
    requirements.EXTRA_ATTEMPTS.append(_extra)
