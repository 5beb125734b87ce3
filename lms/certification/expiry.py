"""Expiry and recertification: the daily sweep. Reminds holders when their renewal window
opens (and assigns the courses the certification requires), sends the person notices 60, 30
and 7 days before expiry and on expiry (each once: recorded in the award's history), sends
their managers and HR a digest, and records expiries. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.catalog.models import Course
from lms.certification import notices
from lms.certification.history import log as _log
from lms.certification.models import Award, AwardEvent, Certification
from lms.certification.state import window_start
from lms.core import audit
from lms.core.clock import as_utc, local, local_date, now
from lms.extensions import db


@dataclass
class SweepResult:
    reminded: int = 0
    expired: int = 0
    assigned: int = 0
    issued: int = 0  # awards issued by the daily evaluation of every certification
    notices: int = 0  # expiry notices to holders (60, 30, 7 days, on expiry)
    digests: int = 0  # digests to managers and HR


NOTICE_DAYS = (60, 30, 7)  # before expiry; 0 = on expiry


def _due_notice(expires: datetime, at: datetime) -> int | None:
    """Which notice is due now: the nearest threshold already reached (0 once expired)."""
    left = as_utc(expires) - at
    if left <= timedelta(0):
        return 0
    reached = [d for d in NOTICE_DAYS if left <= timedelta(days=d)]
    return min(reached) if reached else None


def _expiry_notices(at: datetime, reminded: set[int]) -> list[tuple[Award, int]]:
    """Tell holders 60, 30 and 7 days before expiry and on expiry — each notice once per
    award (recorded as `notice_<days>` in its history), skipping notices overtaken by a
    nearer one. Expired awards are told within a week of expiring, not forever after."""
    awards = list(db.session.scalars(select(Award).where(
        Award.status == "active", Award.expires_at.is_not(None),
        Award.expires_at <= at + timedelta(days=max(NOTICE_DAYS)),
        Award.expires_at > at - timedelta(days=7))))
    if not awards:
        return []
    done = {(award_id, action) for award_id, action in db.session.execute(
        select(AwardEvent.award_id, AwardEvent.action).where(
            AwardEvent.award_id.in_([a.id for a in awards]),
            AwardEvent.action.like("notice_%")))}
    sent: list[tuple[Award, int]] = []
    for award in awards:
        assert award.expires_at is not None  # the query keeps only awards with an expiry
        days = _due_notice(award.expires_at, at)
        if days is None or any((award.id, f"notice_{d}") in done
                               for d in (0, *NOTICE_DAYS) if d <= days):
            continue
        _log(award, f"notice_{days}")
        if award.id not in reminded:  # the renewal reminder just sent says the same
            left = (local(award.expires_at).date() - local(at).date()).days
            notices.expiry_notice(award, max(left, 1) if days else 0)
        sent.append((award, days))
    return sent


def sweep(at: datetime | None = None) -> SweepResult:
    """Daily job: remind holders whose award entered its recertification window (and assign
    the courses it requires, due by the expiry date), and record expiries. Idempotent."""
    from lms.catalog import learning
    from lms.notifications.notify import notify

    at = at or now()
    result = SweepResult()
    reminded: set[int] = set()
    for award in db.session.scalars(select(Award).join(Certification).where(
            Award.status == "active", Award.expires_at.is_not(None),
            Award.reminded_at.is_(None))):
        start = window_start(award)
        expires = award.expires_at
        if start is None or expires is None or at < start or as_utc(expires) <= at:
            continue
        award.reminded_at = at
        reminded.add(award.id)
        _log(award, "reminded")
        cert = award.certification
        notify(award.user, "recertification",
               str(_l("Your certification %(c)s expires on %(d)s: recertify before then.",
                      c=cert.name_zh, d=local_date(expires))),
               link="/learn/")
        for req in cert.requirements:
            if req.kind == "course":
                course = db.session.scalar(select(Course).where(Course.code == req.ref,
                                                                Course.status == "published"))
                if course is not None:
                    added, _updated = learning.assign(
                        course, [award.user], local(expires).date(), None,
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
    sent = _expiry_notices(at, reminded)
    result.notices = len(sent)
    result.digests = notices.expiry_digest(sent)
    db.session.commit()
    return result
