"""Certification rules: who qualifies, issuing (automatic and by hand), revoking, expiry and
recertification. Awards are issued the moment requirements are met, through the events the
learning services emit; issuing is idempotent (one active award per person and
certification, enforced by a partial unique index).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defaultload

from lms.assessment.models import Attempt, Quiz
from lms.catalog.learning_models import Enrollment
from lms.catalog.models import Course
from lms.certification.models import Award, AwardEvent, Certification, CertRequirement
from lms.core import audit, events
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.accounts import as_utc
from lms.people.models import User


def now() -> datetime:
    return datetime.now(UTC)


def add_months(start: datetime, months: int) -> datetime:
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


# --- evaluating requirements -----------------------------------------------------------

@dataclass
class Check:
    requirement: CertRequirement
    met: bool
    detail: str  # what was found, e.g. "best score 72 < 80"
    evidence: dict[str, Any] = field(default_factory=dict)


# kind → fn(user_id, requirement, since) -> Check ; practice registers "scenario".
CHECKERS: dict[str, Callable[[int, CertRequirement, datetime | None], Check]] = {}


def checker(kind: str):
    def deco(fn):
        CHECKERS[kind] = fn
        return fn
    return deco


@checker("course")
def _course(user_id: int, req: CertRequirement, since: datetime | None) -> Check:
    row = db.session.execute(select(Course.title_zh, Enrollment.completed_at).join(
        Enrollment, Enrollment.course_id == Course.id).where(
        Course.code == req.ref, Enrollment.user_id == user_id)).first()
    if row is None or row.completed_at is None:
        return Check(req, False, str(_l("course %(c)s not completed", c=req.ref)))
    return Check(req, True, str(_l("course %(c)s completed", c=req.ref)),
                 {"course": req.ref, "completed_at": as_utc(row.completed_at).isoformat()})


@checker("quiz")
def _quiz(user_id: int, req: CertRequirement, since: datetime | None) -> Check:
    code, _, key = req.ref.partition("/")
    quiz = db.session.scalar(select(Quiz).join(Course).where(Course.code == code,
                                                             Quiz.key == key))
    if quiz is None:
        return Check(req, False, str(_l("quiz %(q)s does not exist", q=req.ref)))
    mark = req.min_score if req.min_score is not None else quiz.pass_mark
    stmt = select(Attempt).where(Attempt.user_id == user_id, Attempt.quiz_id == quiz.id,
                                 Attempt.submitted_at.is_not(None))
    if since is not None:
        stmt = stmt.where(Attempt.submitted_at >= since)
    best = db.session.scalar(stmt.order_by(Attempt.score.desc(), Attempt.id).limit(1))
    if best is None:
        return Check(req, False, str(_l("quiz %(q)s not taken", q=req.ref)))
    if (best.score or 0) < mark:
        return Check(req, False, str(_l("quiz %(q)s: best score %(s)g < %(m)g", q=req.ref,
                                        s=best.score or 0, m=mark)))
    return Check(req, True, str(_l("quiz %(q)s: %(s)g ≥ %(m)g", q=req.ref, s=best.score,
                                   m=mark)),
                 {"quiz": req.ref, "attempt": best.public_id, "score": best.score,
                  "submitted_at": as_utc(best.submitted_at).isoformat()})


@checker("certification")
def _certification(user_id: int, req: CertRequirement, since: datetime | None) -> Check:
    award = current_award(user_id, req.ref)
    if award is None:
        return Check(req, False, str(_l("certification %(c)s not held", c=req.ref)))
    return Check(req, True, str(_l("certification %(c)s held", c=req.ref)),
                 {"certification": req.ref, "award": award.verification_code})


def evaluate(user_id: int, cert: Certification, since: datetime | None = None) -> list[Check]:
    out = []
    for req in cert.requirements:
        fn = CHECKERS.get(req.kind)
        out.append(fn(user_id, req, since) if fn else
                   Check(req, False, str(_l("%(k)s requirements are not available yet",
                                            k=req.kind))))
    return out


# --- holding ---------------------------------------------------------------------------

def current_award(user_id: int, cert_code: str, at: datetime | None = None) -> Award | None:
    """The person's active, unexpired award of this certification."""
    at = at or now()
    award = db.session.scalar(select(Award).join(Certification).where(
        Award.user_id == user_id, Certification.code == cert_code, Award.status == "active"))
    if award is None or (award.expires_at is not None and as_utc(award.expires_at) <= at):
        return None
    return award


def state(award: Award, at: datetime | None = None) -> str:
    """valid | expiring | expired | revoked | superseded"""
    if award.status != "active":
        return award.status
    if award.expires_at is None:
        return "valid"
    at = at or now()
    expires = as_utc(award.expires_at)
    if expires <= at:
        return "expired"
    window = timedelta(days=award.certification.recert_window_days)
    return "expiring" if expires - window <= at else "valid"


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
    events.emit("award_issued", user_id=user.id, award=award)  # e.g. the xAPI record
    audit.record("award_issued", actor=actor, target=user, certification=cert.code,
                 source=source)
    from lms.notifications.notify import notify

    notify(user, "award", str(_l("You have been awarded the certification %(c)s",
                                 c=cert.name_zh)),
           link=f"/verify/{award.verification_code}")
    return award


def _window_start(award: Award) -> datetime | None:
    if award.expires_at is None:
        return None
    return as_utc(award.expires_at) - timedelta(days=award.certification.recert_window_days)


def check_and_issue(user_id: int) -> list[Award]:
    """Issue every certification whose requirements the person now meets (and does not
    hold, or holds but is inside its recertification window). Idempotent; commits."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return []
    issued = []
    at = now()
    for cert in db.session.scalars(select(Certification).where(
            Certification.active.is_(True)).order_by(Certification.id)):
        if not cert.requirements:
            continue
        active = db.session.scalar(select(Award).where(
            Award.user_id == user_id, Award.certification_id == cert.id,
            Award.status == "active"))
        since = None
        if active is not None:
            start = _window_start(active)
            if start is None or at < start:
                continue  # held and not yet due for renewal
            since = start  # recertification needs fresh quiz/practice evidence
        checks = evaluate(user_id, cert, since)
        if not all(c.met for c in checks):
            continue
        evidence = {"checked_at": at.isoformat(), "requirements": [
            {"kind": c.requirement.kind, "ref": c.requirement.ref, "detail": c.detail,
             **c.evidence} for c in checks]}
        try:
            with db.session.begin_nested():
                issued.append(_issue(user, cert, source="auto", evidence=evidence))
        except IntegrityError:
            continue  # issued by a concurrent request a moment ago
    db.session.commit()
    return issued


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
    exists = {
        "course": lambda: db.session.scalar(select(Course.id).where(Course.code == ref)),
        "quiz": lambda: db.session.scalar(select(Quiz.id).join(Course).where(
            Course.code == ref.partition("/")[0], Quiz.key == ref.partition("/")[2])),
        "certification": lambda: db.session.scalar(select(Certification.id).where(
            Certification.code == ref)),
    }.get(kind)
    if exists is not None and exists() is None:
        raise ServiceError(_l("No %(kind)s “%(ref)s” exists.", kind=kind, ref=ref),
                           field=field_name)


def save_certification(cert: Certification | None, *, code: str, name_zh: str, name_en: str,
                       description_zh: str, description_en: str, validity_months: int | None,
                       recert_window_days: int, requirements: list[tuple[str, str, float | None]],
                       actor: User) -> Certification:
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
        Award.status == "active", (Award.expires_at.is_(None)) | (Award.expires_at > now()))
        .group_by(Award.certification_id)).all())


# --- listening -------------------------------------------------------------------------

@events.on("course_completed")
def _on_course(user_id: int, **_kw) -> None:
    _deferred(user_id)


@events.on("quiz_submitted")
def _on_quiz(user_id: int, **_kw) -> None:
    _deferred(user_id)


@events.on("practice_scored")
def _on_practice(user_id: int, **_kw) -> None:
    _deferred(user_id)


def _deferred(user_id: int) -> None:
    """Evaluate after the caller's transaction commits (so the new evidence is visible)."""
    from flask import g, has_app_context

    if not has_app_context():
        return
    pending = g.setdefault("certification_pending", set())
    pending.add(user_id)


@events.on("evidence_committed")
def run_pending(**_kw) -> None:
    """Learning services emit `evidence_committed` after their commit: evaluate then."""
    from flask import g, has_app_context

    if not has_app_context():
        return
    for user_id in sorted(g.pop("certification_pending", set())):
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
        start = _window_start(award)
        if start is None or at < start or as_utc(award.expires_at) <= at:
            continue
        award.reminded_at = at
        _log(award, "reminded")
        cert = award.certification
        notify(award.user, "recertification",
               str(_l("Your certification %(c)s expires on %(d)s: recertify before then.",
                      c=cert.name_zh, d=as_utc(award.expires_at).date().isoformat())),
               link="/learn/")
        for req in cert.requirements:
            if req.kind == "course":
                course = db.session.scalar(select(Course).where(Course.code == req.ref,
                                                                Course.status == "published"))
                if course is not None:
                    added, _updated = learning.assign(
                        course, [award.user], as_utc(award.expires_at).date(), None,
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
