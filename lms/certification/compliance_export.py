"""The compliance export: one row per person × certification that concerns them — each
certification their job role requires (held, in its window, expired, revoked or missing)
and each other one they hold — and one row for a person with none, so that nobody in the
filtered population is absent. Localised headers; dates are real dates (Excel date cells).
Streamed in batches of people: a fixed number of queries per 500 people."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from lms.certification import state as award_state
from lms.certification.compliance import Filters, people_query
from lms.certification.models import Award, Certification
from lms.core.clock import as_utc
from lms.extensions import db
from lms.i18n import localized
from lms.people.models import RoleRequirement, User

BATCH = 500
_RANK = {"valid": 5, "expiring": 4, "expired": 2, "revoked": 1}


def header(days: int) -> list[str]:
    return [str(h) for h in (
        _l("Employee number"), _l("Name"), _l("Org unit"), _l("Job role"),
        _l("Certification code"), _l("Certification"), _l("Required by the job role"),
        _l("State"), _l("Issued"), _l("Expires"),
        _l("Expires within %(d)d days", d=days), _l("Verification code"))]


def _local_day(value: datetime | None) -> date | None:
    if value is None:
        return None
    try:
        from flask_babel import to_user_timezone

        return to_user_timezone(as_utc(value)).date()
    except RuntimeError:
        return as_utc(value).date()


def rows(f: Filters, days: int, at: datetime | None = None) -> Iterator[list]:
    at = at or datetime.now(UTC)
    soon = at + timedelta(days=days)
    yes, no = str(_l("yes")), str(_l("no"))
    certs = {c.id: c for c in db.session.scalars(select(Certification))}
    by_code = {c.code: c for c in certs.values()}
    required: dict[int, list[Certification]] = defaultdict(list)
    for role_id, ref in db.session.execute(
            select(RoleRequirement.job_role_id, RoleRequirement.ref)
            .where(RoleRequirement.kind == "certification", RoleRequirement.required.is_(True))
            .order_by(RoleRequirement.position)):
        if ref in by_code:
            required[role_id].append(by_code[ref])
    only = f.certification.id if f.certification is not None else None
    ids = list(db.session.scalars(people_query(f).with_only_columns(User.id)))
    for i in range(0, len(ids), BATCH):
        chunk = ids[i:i + BATCH]
        people = db.session.scalars(
            select(User).where(User.id.in_(chunk)).order_by(User.employee_no)
            .options(joinedload(User.org_unit), joinedload(User.job_role),
                     lazyload(User.role_rows))).unique().all()
        best: dict[tuple[int, int], tuple[str, Award]] = {}
        for award in db.session.scalars(select(Award).where(
                Award.user_id.in_(chunk), Award.status != "superseded")
                .options(lazyload(Award.user))):
            cert = certs[award.certification_id]
            st = award_state.state_of(award.status, award.expires_at, cert.recert_window_days, at)
            key = (award.user_id, award.certification_id)
            if key not in best or _RANK.get(st, 0) > _RANK.get(best[key][0], 0):
                best[key] = (st, award)
        held_by: dict[int, list[int]] = defaultdict(list)
        for uid, cid in best:
            held_by[uid].append(cid)
        for person in people:
            needed = [c.id for c in required.get(person.job_role_id or 0, [])]
            extra = sorted((cid for cid in held_by[person.id] if cid not in needed),
                           key=lambda cid: certs[cid].code)
            concern = [cid for cid in needed + extra if only is None or cid == only]
            base = [person.employee_no, person.name,
                    localized(person.org_unit, "name") if person.org_unit else "",
                    localized(person.job_role, "name") if person.job_role else ""]
            if not concern:
                if only is not None:
                    cert = certs[only]
                    yield [*base, cert.code, localized(cert, "name"), no,
                           award_state.label("missing"), None, None, no, ""]
                else:
                    yield [*base, "", "", no, str(_l("Nothing required or held")), None, None,
                           no, ""]
                continue
            for cid in concern:
                cert = certs[cid]
                is_required = yes if cid in needed else no
                if (person.id, cid) not in best:
                    yield [*base, cert.code, localized(cert, "name"), is_required,
                           award_state.label("missing"), None, None, no, ""]
                    continue
                st, award = best[(person.id, cid)]
                expires = as_utc(award.expires_at) if award.expires_at else None
                within = yes if (st in award_state.COUNTING and expires is not None
                                 and expires <= soon) else no
                yield [*base, cert.code, localized(cert, "name"), is_required,
                       award_state.label(st), _local_day(award.issued_at),
                       _local_day(award.expires_at), within, award.verification_code]
