"""Forwarding xAPI statements to the external LRS, every few minutes, as a periodic job.

`xapi.forward_pending` backs off per statement after a failure (30 s, 1 min, 2 min … 6 h),
so a run while the LRS is down sends only what is due and costs one request. Without
`LRS_URL` nothing runs and nothing is recorded.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from lms.integration import xapi
from lms.jobs import runner


def _summary(r: dict[str, Any]) -> str:
    if r.get("failed"):
        return str(_l("Forwarded %(s)d statement(s); %(f)d failed (%(e)s), will retry later.",
                      s=r["sent"], f=r["failed"], e=r["error"]))
    return str(_l("Forwarded %(s)d statement(s).", s=r["sent"]))


@runner.periodic("xapi_forward", label=_l("xAPI forwarding"), summary=_summary,
                 enabled=lambda config: bool(config.get("LRS_URL")))
def _forward(ctx: runner.JobContext) -> dict[str, Any]:
    result = xapi.forward_pending()
    return {"sent": result.sent, "failed": result.failed, "error": result.error,
            "waiting": xapi.pending_count()}
