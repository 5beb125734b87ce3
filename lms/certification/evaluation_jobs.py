"""Certification work in the background: evaluating everyone after a certification's rules
change, and the daily sweep (reminders, renewal courses, expiries) scheduled by the queue.

People whose evidence already meets a new or changed certification would otherwise get it
only at their next completion. `save_certification` submits this job with its commit; the
worker runs `rules.check_and_issue` for every active person (idempotent: it issues only
what is missing) and the certification's page shows the progress.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.certification import rules
from lms.extensions import db
from lms.jobs import runner
from lms.jobs.models import Job
from lms.people.models import User

KIND = rules.EVALUATE_JOB


def _summary(result: dict[str, Any]) -> str:
    return str(_l("Everyone evaluated (%(p)d people): %(n)d award(s) issued.",
                  p=result["people"], n=result["issued"]))


@runner.handler(KIND, label=_l("Certification evaluation"), summary=_summary, retries=2)
def _evaluate(ctx: runner.JobContext) -> dict[str, Any]:
    ids = list(db.session.scalars(select(User.id).where(User.active.is_(True))
                                  .order_by(User.id)))
    issued = 0
    for i, user_id in enumerate(ids):
        issued += len(rules.check_and_issue(user_id))
        ctx.progress(i + 1, len(ids))
    return {"people": len(ids), "issued": issued, "code": ctx.params.get("code", "")}


def latest_for(code: str) -> Job | None:
    """The latest evaluation started for certification `code` (None if none)."""
    for job in db.session.scalars(select(Job).where(Job.kind == KIND)
                                  .order_by(Job.created_at.desc(), Job.id.desc()).limit(20)):
        if (job.params or {}).get("code") == code:
            return job
    return None


@runner.periodic("certification_sweep", label=_l("Certification sweep"),
                 summary=lambda r: str(_l("Reminded %(r)d, assigned %(a)d course(s), recorded "
                                          "%(e)d expiry(ies).", r=r["reminded"],
                                          a=r["assigned"], e=r["expired"])))
def _sweep(ctx: runner.JobContext) -> dict[str, Any]:
    result = rules.sweep()
    return {"reminded": result.reminded, "assigned": result.assigned,
            "expired": result.expired}
