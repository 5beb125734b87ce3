"""Requirement kind "class": attended a classroom course (培训班) — present at
ATTEND_SHARE of its sessions (records/classes.py)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.core.requirements import Key, Kind, Outcome, Requirement, register
from lms.extensions import db
from lms.records import classes
from lms.records.models import TrainingClass


def _outcome(req: Requirement, total: int, got: int) -> Outcome:
    need = classes.needed(total)
    if total and got >= need:
        return Outcome(True, _l("class %(c)s attended (%(n)d of %(t)d sessions)", c=req.ref,
                                n=got, t=total),
                       {"class": req.ref, "sessions": got, "of": total}, started=True)
    return Outcome(False, _l("class %(c)s: %(n)d of %(t)d sessions attended", c=req.ref,
                             n=got, t=total), started=got > 0)


class ClassKind(Kind):
    name = "class"
    label = _l("Class attended (class code)")

    def exists(self, ref: str) -> bool:
        return db.session.scalar(select(TrainingClass.id).where(
            TrainingClass.code == ref)) is not None

    def check(self, user_id: int, req: Requirement, since: datetime | None = None) -> Outcome:
        return self.check_many([user_id], [req], since)[(user_id, req)]

    def check_many(self, user_ids: list[int], reqs: list[Requirement],
                   since: datetime | None = None) -> dict[Key, Outcome]:
        totals, attended = classes.attendance_counts(user_ids, [r.ref for r in reqs])
        return {(uid, req): _outcome(req, totals.get(req.ref, 0),
                                     attended.get((uid, req.ref), 0))
                for uid in user_ids for req in reqs}


register(ClassKind())
