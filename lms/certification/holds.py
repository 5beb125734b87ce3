"""Revocation holds: a revoked certificate is not re-issued automatically until HR lifts the
hold, and after that only evidence dated after the revocation counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from lms.certification.models import Award, AwardHold
from lms.core.clock import as_utc, now
from lms.extensions import db
from lms.people.models import User


@dataclass
class HoldState:
    """For one person: certifications held back, and for lifted holds the time from which
    evidence counts again."""

    blocked: set[int] = field(default_factory=set)
    since: dict[int, datetime] = field(default_factory=dict)


def state_for(user_id: int) -> HoldState:
    out = HoldState()
    for cert_id, placed, lifted in db.session.execute(
            select(AwardHold.certification_id, AwardHold.placed_at, AwardHold.lifted_at)
            .where(AwardHold.user_id == user_id)):
        if lifted is None:
            out.blocked.add(cert_id)
        else:
            placed = as_utc(placed)
            out.since[cert_id] = max(out.since.get(cert_id, placed), placed)
    return out


def place(award: Award, actor: User | None, reason: str) -> AwardHold:
    hold = AwardHold(user_id=award.user_id, certification_id=award.certification_id,
                     award_id=award.id, placed_at=award.revoked_at or now(),
                     placed_by_id=actor.id if actor else None, reason=reason[:500])
    db.session.add(hold)
    return hold


def open_hold(user_id: int, certification_id: int) -> AwardHold | None:
    return db.session.scalar(select(AwardHold).where(
        AwardHold.user_id == user_id, AwardHold.certification_id == certification_id,
        AwardHold.lifted_at.is_(None)).order_by(AwardHold.id.desc()).limit(1))


def of_award(award: Award) -> AwardHold | None:
    return db.session.scalar(select(AwardHold).where(AwardHold.award_id == award.id)
                             .order_by(AwardHold.id.desc()).limit(1))


def open_for_user(user_id: int) -> list[AwardHold]:
    return list(db.session.scalars(select(AwardHold).where(
        AwardHold.user_id == user_id, AwardHold.lifted_at.is_(None)).order_by(AwardHold.id)))
