"""Awards of the bench data: issued when a person's requirements are met, renewed only with
fresh quiz evidence inside the recertification window, some revoked, superseded or expired —
each with its history of events."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from lms.certification.models import new_verification_code
from lms.core.clock import add_months
from lms.seed.bench.catalogue import Structure
from lms.seed.bench.plan import Person
from lms.seed.bench.state import BenchState


class AwardSteps(BenchState):
    """The awards of one person, from their completed courses and scores."""

    def _awards(self, p: Person, st: Structure, completed: dict[str, datetime],
                scores: dict[str, list[tuple[datetime, float]]], awards: list,
                rows: dict[str, list[dict]], rng: random.Random) -> None:
        for cert in st.certs:
            ready: list[datetime] = []
            quiz_passes: list[datetime] | None = None
            ok = True
            for kind, ref, min_score in cert["reqs"]:
                if kind == "course":
                    if ref not in completed:
                        ok = False
                        break
                    ready.append(completed[ref])
                elif kind == "quiz":
                    code = ref.partition("/")[0]
                    quiz = st.courses.get(code, {}).get("quiz")
                    mark = min_score if min_score is not None else (quiz or {}).get("pass", 80)
                    good = sorted(t for t, s in scores.get(code, []) if s >= mark)
                    if not good:
                        ok = False
                        break
                    quiz_passes = good
                else:
                    ok = False
                    break
            if not ok:
                continue
            first = max(ready + [quiz_passes[0]] if quiz_passes else ready)
            issues = [first]
            months = cert["months"]
            if quiz_passes and months:
                for t in quiz_passes[1:]:
                    lapses = add_months(issues[-1], months)
                    if lapses - timedelta(days=cert["window"]) <= t:
                        issues.append(t)
            for i, issued in enumerate(issues):
                expires = add_months(issued, months) if months else None
                last = i == len(issues) - 1
                status = "active" if last else "superseded"
                events: list[dict[str, Any]] = [{
                    "at": issued, "action": "renewed" if i else "issued", "actor_id": None,
                    "note": ""}]
                revoked_at = None
                if last and rng.random() < 0.03:
                    status = "revoked"
                    revoked_at = min(self.now, issued + timedelta(days=rng.uniform(5, 200)))
                    events.append({"at": revoked_at, "action": "revoked",
                                   "actor_id": st.hr_id or None, "note": "培训记录核查不符"})
                elif not last:
                    events.append({"at": issues[i + 1], "action": "superseded",
                                   "actor_id": None, "note": "renewed"})
                elif expires is not None and expires <= self.now:
                    events.append({"at": expires + timedelta(hours=3), "action": "expired",
                                   "actor_id": None, "note": ""})
                awards.append(({
                    "verification_code": new_verification_code(), "user_id": p.id,
                    "certification_id": cert["id"], "status": status, "source": "auto",
                    "issued_at": issued, "expires_at": expires, "issued_by_id": None,
                    "reason": "", "revoked_at": revoked_at,
                    "revoke_reason": "培训记录核查不符" if revoked_at else "",
                    "evidence": {"checked_at": issued.isoformat(), "bench": True,
                                 "requirements": [{"kind": k, "ref": r}
                                                  for k, r, _s in cert["reqs"]]},
                    "reminded_at": (expires - timedelta(days=cert["window"])
                                    if expires and expires - timedelta(days=cert["window"])
                                    <= self.now and status == "active" else None)}, events))
                if issued > self.now - timedelta(days=365):
                    rows["notifications"].append(self._note(
                        p, "award", f"您已获得认证 {cert['code']}", "/learn/", issued, rng))
