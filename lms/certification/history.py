"""The history of an award (issued, reminded, renewed, revoked, superseded, expired, hold
lifted, expiry notices): written here, read by the award page."""

from __future__ import annotations

from sqlalchemy import select

from lms.certification.models import Award, AwardEvent
from lms.extensions import db
from lms.people.models import User


def log(award: Award, action: str, actor: User | None = None, note: str = "") -> AwardEvent:
    event = AwardEvent(award_id=award.id, action=action,
                       actor_id=actor.id if actor else None, note=(note or "")[:500])
    db.session.add(event)
    return event


def of(award: Award) -> list[AwardEvent]:
    return list(db.session.scalars(select(AwardEvent).where(AwardEvent.award_id == award.id)
                                   .order_by(AwardEvent.at, AwardEvent.id)))
