"""Certification rules: who qualifies, issuing (automatic and by hand), revoking, expiry and
recertification.

Requirements are checked through the one registry (`lms.core.requirements`). Awards are
issued after the commit that brought new evidence: learning features stage facts
(`course_completed`, `quiz_submitted`, `practice_scored`) and the handlers at the end of
this module evaluate the person then (see `lms.core.events`). Evaluation runs to a fixed
point, so a certification that requires another one is issued in the same evaluation as
its prerequisite, whatever order the certifications were defined in. Issuing is idempotent
(one active award per person and certification, enforced by a partial unique index).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defaultload

from lms.catalog.models import Course
from lms.certification import state as award_state
from lms.certification.models import Award, AwardEvent, Certification, CertRequirement
from lms.certification.state import state as state
from lms.certification.state import window_start
from lms.core import audit, events, requirements
from lms.core.clock import add_months, as_utc, now
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User

# --- evaluating requirements -----------------------------------------------------------

@dataclass
class Check:
    requirement: CertRequirement
    met: bool
    detail: str  # what was found, e.g. "best score 72 < 80"
    evidence: dict[str, Any] = field(default_factory=dict)


def as_requirement(req: CertRequirement) -> requirements.Requirement:
    return requirements.Requirement(req.kind, req.ref, req.min_score)


def evaluate(user_id: int, cert: Certification, since: datetime | None = None) -> list[Check]:
    out = []
    for req in cert.requirements:
        result = requirements.check(user_id, as_requirement(req), since)
        out.append(Check(req, result.met, str(result.detail), result.evidence))
    return out


# --- holding ---------------------------------------------------------------------------

def current_award(user_id: int, cert_code: str, at: datetime | None = None) -> Award | None:
    """The person's award of this certification that counts now (valid or expiring)."""
    return db.session.scalar(select(Award).join(Certification).where(
        Award.user_id == user_id, Certification.code == cert_code,
        award_state.counts_sql(at)))


def _log(award: Award, action: str, actor: User | None = None, note: str = "") -> None:
    db.session.add(AwardEvent(award_id=award.id, action=action,
                              actor_id=actor.id if actor else None, note=note[:500]))


def _issue(user: User, cert: Certification, *, source: str, evidence: dict[str, Any],
           actor: User | None = None, reason: str = "") -> Award:
    """Replace any active award (expired or in its window) by a new one, in one transaction."""
    issued = now()
    old = db.session.scalar(select(Award).where(
        Award.user_id == user.id, Award.certification_id == cert.id, Award.status == "active"))
    if old is not None:
        old.status = "superseded"
        _log(old, "superseded", actor, "renewed")
        db.session.flush()
    award = Award(user_id=user.id, certification_id=cert.id, status="active", source=source,
                  issued_at=issued, reason=reason[:500], evidence=evidence,
                  issued_by_id=actor.id if actor else None,
                  expires_at=add_months(issued, cert.validity_months)
                  if cert.validity_months else None)
    db.session.add(award)
    db.session.flush()
    _log(award, "renewed" if old is not None else "issued", actor, reason)
    events.stage("award_issued", user_id=user.id, award=award)  # e.g. the xAPI record
    audit.record("award_issued", actor=actor, target=user, certification=cert.code,
                 source=source)
    from lms.notifications.notify import notify

    notify(user, "award", str(_l("You have been awarded the certification %(c)s",
                                 c=cert.name_zh)),
           link=f"/verify/{award.verification_code}")
    return award


def check_and_issue(user_id: int) -> list[Award]:
    """Issue every certification whose requirements the person now meets (and does not
    hold, or holds but is inside its recertification window). Runs to a fixed point: an
    award issued here can satisfy another certification's requirement, which is then
    issued in the same call. Idempotent; commits."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return []
    issued: list[Award] = []
    certs = list(db.session.scalars(select(Certification).where(
        Certification.active.is_(True)).order_by(Certification.id)))
    while True:  # each round may satisfy a certification that requires one just issued
        new = [award for cert in certs
               if cert.requirements and cert.id not in {a.certification_id for a in issued}
               for award in [_try_issue(user, cert)] if award is not None]
        issued.extend(new)
        if not new:
            break
    db.session.commit()
    return issued


def _try_issue(user: User, cert: Certification) -> Award | None:
    at = now()
    active = db.session.scalar(select(Award).where(
        Award.user_id == user.id, Award.certification_id == cert.id,
        Award.status == "active"))
    since = None
    if active is not None:
        start = window_start(active)
        if start is None or at < start:
            return None  # held and not yet due for renewal
        since = start  # recertification needs fresh quiz/practice evidence
    checks = evaluate(user.id, cert, since)
    if not all(c.met for c in checks):
        return None
    evidence = {"checked_at": at.isoformat(), "requirements": [
        {"kind": c.requirement.kind, "ref": c.requirement.ref, "detail": c.detail,
         **c.evidence} for c in checks]}
    try:
        with db.session.begin_nested():
            return _issue(user, cert, source="auto", evidence=evidence)
    except IntegrityError:
        return None  # issued by a concurrent request a moment ago


def issue_manually(user: User, cert: Certification, actor: User, reason: str) -> Award:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_l("Give the reason for issuing by hand."), field="reason")
    if current_award(user.id, cert.code) is not None:
        raise ServiceError(_l("%(name)s already holds this certification.", name=user.name),
                           field="employee_no")
    checks = evaluate(user.id, cert)
    award = _issue(user, cert, source="manual", actor=actor, reason=reason, evidence={
        "checked_at": now().isoformat(), "manual": True, "requirements": [
            {"kind": c.requirement.kind, "ref": c.requirement.ref, "met": c.met,
             "detail": c.detail, **c.evidence} for c in checks]})
    db.session.commit()
    return award


def revoke(award: Award, actor: User, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_l("Give the reason for revoking."), field="reason")
    if award.status != "active":
        raise ServiceError(_l("Only an active award can be revoked."))
    award.status, award.revoked_at, award.revoke_reason = "revoked", now(), reason[:500]
    _log(award, "revoked", actor, reason)
    audit.record("award_revoked", actor=actor, target=award.user,
                 certification=award.certification.code, reason=reason)
    db.session.commit()


def award_by_code(code: str) -> Award | None:
    return db.session.scalar(select(Award).where(Award.verification_code == code))


def awards_of(user_id: int) -> list[Award]:
    # The lists show each award's certification, not its requirements (loaded if asked for).
    return list(db.session.scalars(select(Award).where(Award.user_id == user_id)
                                   .options(defaultload(Award.certification)
                                            .lazyload(Certification.requirements))
                                   .order_by(Award.issued_at.desc())))


def history(award: Award) -> list[AwardEvent]:
    return list(db.session.scalars(select(AwardEvent).where(AwardEvent.award_id == award.id)
                                   .order_by(AwardEvent.at, AwardEvent.id)))


# --- defining --------------------------------------------------------------------------

def _check_requirement(kind: str, ref: str, field_name: str) -> None:
    if not requirements.get(kind).exists(ref):
        raise ServiceError(_l("No %(kind)s “%(ref)s” exists.", kind=kind, ref=ref),
                           field=field_name)


def save_certification(cert: Certification | None, *, code: str, name_zh: str, name_en: str,
                       description_zh: str, description_en: str, validity_months: int | None,
                       recert_window_days: int,
                       requirements: Sequence[tuple[str, str, float | None]],
                       actor: User | None) -> Certification:
    code = code.strip().upper()
    clash = db.session.scalar(select(Certification.id).where(Certification.code == code))
    if clash is not None and (cert is None or clash != cert.id):
        raise ServiceError(_l("This code is already used."), field="code")
    if validity_months is not None and recert_window_days > validity_months * 31:
        raise ServiceError(_l("The recertification window is longer than the validity."),
                           field="recert_window_days")
    if not requirements:
        raise ServiceError(_l("Add at least one requirement."), field="requirements")
    seen = set()
    for i, (kind, ref, _score) in enumerate(requirements):
        if (kind, ref) in seen:
            raise ServiceError(_l("A requirement is listed twice."), field=f"requirements-{i}-ref")
        seen.add((kind, ref))
        if kind == "certification" and ref == code:
            raise ServiceError(_l("A certification cannot require itself."),
                               field=f"requirements-{i}-ref")
        _check_requirement(kind, ref, f"requirements-{i}-ref")
    created = cert is None
    cert = cert or Certification(code=code)
    cert.code, cert.name_zh, cert.name_en = code, name_zh.strip(), name_en.strip()
    cert.description_zh = (description_zh or "").strip()
    cert.description_en = (description_en or "").strip()
    cert.validity_months, cert.recert_window_days = validity_months, recert_window_days
    cert.requirements.clear()
    db.session.add(cert)
    db.session.flush()
    for pos, (kind, ref, score) in enumerate(requirements):
        cert.requirements.append(CertRequirement(kind=kind, ref=ref, min_score=score,
                                                 position=pos))
    audit.record("certification_defined" if created else "certification_updated", actor=actor,
                 target=cert)
    db.session.commit()
    return cert


def certification_by_code(code: str) -> Certification | None:
    return db.session.scalar(select(Certification).where(Certification.code == code))


def holder_counts() -> dict[int, int]:
    return dict(db.session.execute(select(Award.certification_id, func.count(Award.id)).where(
        award_state.counts_sql()).group_by(Award.certification_id)).all())


# --- after commit: new evidence, evaluate the person --------------------------------------

@events.on("course_completed")
@events.on("quiz_submitted")
@events.on("practice_scored")
@events.on("class_attended")  # staged by lms/records/classes.py
def _evaluate_after_commit(user_id: int, **_kw: Any) -> None:
    check_and_issue(user_id)


# --- expiry and recertification --------------------------------------------------------

@dataclass
class SweepResult:
    reminded: int = 0
    expired: int = 0
    assigned: int = 0


def sweep(at: datetime | None = None) -> SweepResult:
    """Daily job: remind holders whose award entered its recertification window (and assign
    the courses it requires, due by the expiry date), and record expiries. Idempotent."""
    from lms.catalog import learning
    from lms.notifications.notify import notify

    at = at or now()
    result = SweepResult()
    for award in db.session.scalars(select(Award).join(Certification).where(
            Award.status == "active", Award.expires_at.is_not(None),
            Award.reminded_at.is_(None))):
        start = window_start(award)
        expires = award.expires_at
        if start is None or expires is None or at < start or as_utc(expires) <= at:
            continue
        award.reminded_at = at
        _log(award, "reminded")
        cert = award.certification
        notify(award.user, "recertification",
               str(_l("Your certification %(c)s expires on %(d)s: recertify before then.",
                      c=cert.name_zh, d=as_utc(expires).date().isoformat())),
               link="/learn/")
        for req in cert.requirements:
            if req.kind == "course":
                course = db.session.scalar(select(Course).where(Course.code == req.ref,
                                                                Course.status == "published"))
                if course is not None:
                    added, _updated = learning.assign(
                        course, [award.user], as_utc(expires).date(), None,
                        source="rule")
                    result.assigned += added
        result.reminded += 1
    expired_ids = set(db.session.scalars(select(AwardEvent.award_id).where(
        AwardEvent.action == "expired")))
    for award in db.session.scalars(select(Award).where(
            Award.status == "active", Award.expires_at.is_not(None),
            Award.expires_at <= at)):
        if award.id not in expired_ids:
            _log(award, "expired")
            result.expired += 1
    if result.expired:
        audit.record("awards_expired", count=result.expired)
    db.session.commit()
    return result
