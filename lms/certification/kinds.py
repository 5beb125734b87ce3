"""Requirement kind "certification" (the certification is held: a valid or expiring award),
and the renewal allowance other features ask about (`requirements.allowance_start`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.certification.models import Award, Certification, CertRequirement
from lms.certification.state import counts_sql
from lms.core import requirements
from lms.core.clock import as_utc
from lms.core.requirements import Key, Kind, Outcome, Requirement
from lms.extensions import db


def _outcome(req: Requirement, code: str | None) -> Outcome:
    if code is None:
        return Outcome(False, _l("certification %(c)s not held", c=req.ref))
    return Outcome(True, _l("certification %(c)s held", c=req.ref),
                   {"certification": req.ref, "award": code}, started=True)


class CertificationKind(Kind):
    name = "certification"
    label = _l("Certification held")

    def exists(self, ref: str) -> bool:
        return db.session.scalar(select(Certification.id).where(
            Certification.code == ref)) is not None

    def check(self, user_id: int, req: Requirement, since: datetime | None = None) -> Outcome:
        code = db.session.scalar(select(Award.verification_code).join(Certification).where(
            Award.user_id == user_id, Certification.code == req.ref, counts_sql()))
        return _outcome(req, code)

    def check_many(self, user_ids: list[int], reqs: list[Requirement],
                   since: datetime | None = None) -> dict[Key, Outcome]:
        held = {(uid, code): vcode for uid, code, vcode in db.session.execute(
            select(Award.user_id, Certification.code, Award.verification_code)
            .join(Certification).where(Award.user_id.in_(user_ids),
                                       Certification.code.in_({r.ref for r in reqs}),
                                       counts_sql()))}
        return {(uid, req): _outcome(req, held.get((uid, req.ref)))
                for uid in user_ids for req in reqs}

    def prerequisites(self, ref: str) -> list[Requirement]:
        return [Requirement(r.kind, r.ref, r.min_score) for r in db.session.scalars(
            select(CertRequirement).join(Certification).where(Certification.code == ref))]


def renewal_start(user_id: int, kind: str, ref: str, at: datetime) -> datetime | None:
    """The earliest open renewal window of a held award that requires (kind, ref)."""
    starts: list[datetime] = []
    for expires, window in db.session.execute(
            select(Award.expires_at, Certification.recert_window_days)
            .join(Certification, Certification.id == Award.certification_id)
            .join(CertRequirement, CertRequirement.certification_id == Certification.id)
            .where(Award.user_id == user_id, Award.status == "active",
                   Award.expires_at.is_not(None), CertRequirement.kind == kind,
                   CertRequirement.ref == ref)):
        assert expires is not None  # the query keeps only awards with an expiry
        start = as_utc(expires) - timedelta(days=window)
        if start <= at:
            starts.append(start)
    return min(starts) if starts else None


def referrers(kind: str, ref: str) -> list[str]:
    """Certifications and job roles whose requirements name (kind, ref)."""
    from lms.people.models import JobRole, RoleRequirement

    names = [f"{c}" for c in db.session.scalars(
        select(Certification.code).join(CertRequirement).where(
            CertRequirement.kind == kind, CertRequirement.ref == ref))]
    names += [f"{c}" for c in db.session.scalars(
        select(JobRole.code).join(RoleRequirement, RoleRequirement.job_role_id == JobRole.id)
        .where(RoleRequirement.kind == kind, RoleRequirement.ref == ref))]
    return sorted(set(names))


requirements.register(CertificationKind())
if referrers not in requirements.REFERRERS:
    requirements.REFERRERS.append(referrers)
if renewal_start not in requirements.ALLOWANCE_STARTS:
    requirements.ALLOWANCE_STARTS.append(renewal_start)
