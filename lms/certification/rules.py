"""Certification rules: who qualifies, issuing (automatic and by hand), revoking with a
hold, lifting the hold.

Requirements are checked through the one registry (`lms.core.requirements`). Awards are
issued after the commit that brought new evidence: learning features stage facts
(`course_completed`, `quiz_submitted`, `practice_scored`) and the handlers at the end of
this module evaluate the person then (see `lms.core.events`). Evaluation runs to a fixed
point, so a certification that requires another one is issued in the same evaluation as
its prerequisite, whatever order the certifications were defined in. Issuing is idempotent
(one active award per person and certification, enforced by a partial unique index).

A revoked award places a hold (`holds.py`): nothing is issued automatically for that
person and certification until HR lifts it, and then only on evidence dated after the
revocation. Defining certifications lives in `defining.py`, expiry in `expiry.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defaultload

from lms.certification import expiry, holds, notices
from lms.certification import history as award_history
from lms.certification import state as award_state
from lms.certification.defining import certification_by_code as certification_by_code
from lms.certification.defining import holder_counts as holder_counts
from lms.certification.defining import qualifying
from lms.certification.defining import save_certification as save_certification
from lms.certification.expiry import SweepResult as SweepResult
from lms.certification.models import Award, AwardEvent, AwardHold, Certification, CertRequirement
from lms.certification.state import state as state
from lms.certification.state import window_start
from lms.core import audit, events, requirements
from lms.core.clock import add_months, local_date, now
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.jobs import runner
from lms.jobs.models import Job
from lms.people.models import User

EVALUATE_JOB = "certification_evaluate"  # lms/certification/evaluation_jobs.py
_log = award_history.log

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
                 source=source, reason=reason or None)
    from lms.notifications.notify import notify

    notify(user, "award", str(_l("You have been awarded the certification %(c)s on %(d)s",
                                 c=cert.name_zh, d=local_date(issued))),
           link=f"/verify/{award.verification_code}")
    return award


def check_and_issue(user_id: int) -> list[Award]:
    """Issue every certification whose requirements the person now meets (and does not
    hold, or holds but is inside its recertification window, and is not held back by a
    revocation). Runs to a fixed point: an award issued here can satisfy another
    certification's requirement, which is then issued in the same call. Idempotent;
    commits."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return []
    issued: list[Award] = []
    held = holds.state_for(user_id)
    certs = list(db.session.scalars(select(Certification).where(
        Certification.active.is_(True)).order_by(Certification.id)))
    certs = [c for c in certs if c.id not in held.blocked]
    while True:  # each round may satisfy a certification that requires one just issued
        new = [award for cert in certs
               if cert.requirements and cert.id not in {a.certification_id for a in issued}
               for award in [_try_issue(user, cert, held.since.get(cert.id))]
               if award is not None]
        issued.extend(new)
        if not new:
            break
    db.session.commit()
    return issued


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    return max(a, b) if a is not None and b is not None else a or b


def _try_issue(user: User, cert: Certification, fresh_after: datetime | None = None
               ) -> Award | None:
    at = now()
    active = db.session.scalar(select(Award).where(
        Award.user_id == user.id, Award.certification_id == cert.id,
        Award.status == "active"))
    since = fresh_after  # after a lifted hold: only evidence from after the revocation
    if active is not None:
        start = window_start(active)
        if start is None or at < start:
            return None  # held and not yet due for renewal
        since = _later(since, start)  # recertification needs fresh quiz/practice evidence
    checks = evaluate(user.id, cert, since)
    if not all(c.met for c in checks):
        return None
    evidence = {"checked_at": at.isoformat(), "requirements": [
        {"kind": c.requirement.kind, "ref": c.requirement.ref, "detail": c.detail,
         **c.evidence} for c in checks]}
    if since is not None:
        evidence["evidence_since"] = since.isoformat()
    try:
        with db.session.begin_nested():
            return _issue(user, cert, source="auto", evidence=evidence)
    except IntegrityError:
        return None  # issued by a concurrent request a moment ago


def issue_manually(user: User, cert: Certification, actor: User, reason: str) -> Award:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_l("Give the reason for issuing by hand."), field="reason")
    if not cert.active:
        raise ServiceError(_l("This certification is retired: it is no longer awarded."),
                           field="employee_no")
    if current_award(user.id, cert.code) is not None:
        raise ServiceError(_l("%(name)s already holds this certification.", name=user.name),
                           field="employee_no")
    if holds.open_hold(user.id, cert.id) is not None:
        raise ServiceError(_l("%(name)s's award was revoked and is on hold: lift the hold on "
                              "the award page first.", name=user.name), field="employee_no")
    checks = evaluate(user.id, cert)
    award = _issue(user, cert, source="manual", actor=actor, reason=reason, evidence={
        "checked_at": now().isoformat(), "manual": True, "requirements": [
            {"kind": c.requirement.kind, "ref": c.requirement.ref, "met": c.met,
             "detail": c.detail, **c.evidence} for c in checks]})
    db.session.commit()
    return award


def revoke(award: Award, actor: User, reason: str) -> None:
    """Revoke an active award and hold the certification back for the person until HR lifts
    the hold; the person, their managers and HR are told."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_l("Give the reason for revoking."), field="reason")
    if award.status != "active":
        raise ServiceError(_l("Only an active award can be revoked."))
    award.status, award.revoked_at, award.revoke_reason = "revoked", now(), reason[:500]
    _log(award, "revoked", actor, reason)
    holds.place(award, actor, reason)
    audit.record("award_revoked", actor=actor, target=award.user,
                 certification=award.certification.code, reason=reason,
                 award=award.verification_code)
    notices.revoked(award, actor, reason)
    events.stage("award_revoked", user_id=award.user_id, award=award)  # e.g. xAPI voiding
    db.session.commit()


def lift_hold(hold: AwardHold, actor: User, reason: str) -> list[Award]:
    """HR lifts a revocation hold (with a reason): the person may qualify again, on evidence
    dated after the revocation; they are evaluated at once. Returns what was issued."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_l("Give the reason for lifting the hold."), field="reason")
    if hold.lifted_at is not None:
        raise ServiceError(_l("This hold has already been lifted."), field="reason")
    hold.lifted_at, hold.lifted_by_id, hold.lift_reason = now(), actor.id, reason[:500]
    award = hold.award
    _log(award, "hold_lifted", actor, reason)
    audit.record("award_hold_lifted", actor=actor, target=award.user,
                 certification=award.certification.code, reason=reason,
                 award=award.verification_code)
    notices.reinstated(award, actor, reason)
    db.session.commit()
    return check_and_issue(award.user_id)


def award_by_code(code: str) -> Award | None:
    return db.session.scalar(select(Award).where(Award.verification_code == code))


def awards_of(user_id: int) -> list[Award]:
    # The lists show each award's certification, not its requirements (loaded if asked for).
    return list(db.session.scalars(select(Award).where(Award.user_id == user_id)
                                   .options(defaultload(Award.certification)
                                            .lazyload(Certification.requirements))
                                   .order_by(Award.issued_at.desc())))


def history(award: Award) -> list[AwardEvent]:
    return award_history.of(award)


# --- everyone at once: after a definition is saved, and daily ---------------------------

def evaluate_certification(cert: Certification) -> int:
    """Evaluate everyone the certification could apply to (found in bulk through the
    registry) and issue what they qualify for; returns how many were awarded it."""
    if not cert.active or not cert.requirements:
        return 0
    issued = 0
    for user_id in qualifying(cert):
        issued += sum(1 for a in check_and_issue(user_id) if a.certification_id == cert.id)
    if issued:
        audit.record("certification_evaluated", target=cert, issued=issued)
        db.session.commit()
    return issued


def save_and_evaluate(cert: Certification | None, *, actor: User | None,
                      **definition: Any) -> tuple[Certification, Job]:
    """Save the definition (HR confirmed the preview), then evaluate everyone at once: a
    background job (lms/certification/evaluation_jobs.py) whose progress the certification's
    page shows."""
    saved = save_certification(cert, actor=actor, **definition)
    job = runner.submit(EVALUATE_JOB, {"code": saved.code}, actor=actor)
    db.session.commit()
    return saved, job


def sweep(at: datetime | None = None) -> SweepResult:
    """Daily: expiry notices, reminders and expiries, then every active certification is
    evaluated for everyone, so nothing waits for a learner's next action."""
    result = expiry.sweep(at)
    for cert in db.session.scalars(select(Certification).where(
            Certification.active.is_(True)).order_by(Certification.id)).all():
        result.issued += evaluate_certification(cert)
    return result


# --- after commit: new evidence, evaluate the person --------------------------------------

@events.on("course_completed")
@events.on("quiz_submitted")
@events.on("practice_scored")
@events.on("class_attended")  # staged by lms/records/classes.py
def _evaluate_after_commit(user_id: int, **_kw: Any) -> None:
    check_and_issue(user_id)
