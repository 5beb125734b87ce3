"""Assignment rules for people who joined or moved since (e.g. by a roster import that only
moved people between units): applied by a periodic job that the queue schedules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_babel import lazy_gettext as _l

from lms.jobs import runner
from lms.studio import assignment_rules
from lms.studio.models import AssignmentRule


@runner.periodic("assignment_rules", label=_l("Assignment rules"),
                 summary=lambda r: str(_l("Assigned %(n)d course(s) by %(r)d rule(s).",
                                          n=r["assigned"], r=r["rules"])))
def _apply_all(ctx: runner.JobContext) -> dict[str, Any]:
    rules = assignment_rules.active_rules()

    def ticking() -> Iterator[AssignmentRule]:
        for i, rule in enumerate(rules):
            yield rule
            ctx.progress(i + 1, len(rules))

    return {"assigned": assignment_rules.apply_all_rules(ticking()), "rules": len(rules)}
