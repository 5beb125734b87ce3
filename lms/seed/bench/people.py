"""Writing the organisation, the people (accounts, platform roles, job-role history) and
their rotation plans."""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, update
from werkzeug.security import generate_password_hash

from lms.core.db import new_public_id
from lms.extensions import db
from lms.people.models import JobRole, OrgUnit, RoleAssignment, User, UserRole
from lms.rotation.models import RotationPlan
from lms.seed import demo
from lms.seed.bench.database import BATCH, insert_ids, insert_rows
from lms.seed.bench.plan import BENCH_PASSWORD, Person
from lms.seed.bench.state import BenchState


class PeopleSteps(BenchState):
    """Steps that write the org tree, the people and rotation plans."""

    def _organisation(self) -> None:
        for code, zh, en, dzh, den in demo.JOB_ROLES:
            db.session.execute(insert(JobRole), [{"code": code, "name_zh": zh, "name_en": en,
                                                  "description_zh": dzh,
                                                  "description_en": den}])
        self.counts["job roles"] += len(demo.JOB_ROLES)
        units = self.units
        ids: dict[str, int] = {}
        paths: dict[str, str] = {}
        by_level: dict[str, list] = defaultdict(list)
        for row in units:
            by_level[row[3]].append(row)
        for kind in ("company", "branch", "division", "team"):
            rows = by_level[kind]
            new = insert_ids(OrgUnit, [{"code": c, "name_zh": zh, "name_en": en, "kind": k,
                                        "parent_id": ids.get(p) if p else None, "path": "/"}
                                       for c, zh, en, k, p in rows])
            for (c, _zh, _en, _k, p), uid in zip(rows, new, strict=True):
                ids[c] = uid
                paths[c] = f"{paths[p] if p else '/'}{uid}/"
        db.session.execute(update(OrgUnit), [{"id": ids[c], "path": paths[c]} for c in ids])
        db.session.commit()
        self.counts["org units"] += len(units)

    def _people(self) -> None:
        self.password_hash = generate_password_hash(BENCH_PASSWORD)
        roles = {code: rid for rid, code in db.session.execute(select(JobRole.id,
                                                                      JobRole.code))}
        units = {code: uid for uid, code in db.session.execute(select(OrgUnit.id,
                                                                      OrgUnit.code))}
        created = datetime.combine(self.today - timedelta(days=1000), datetime.min.time(),
                                   UTC)
        for start in range(0, len(self.people), BATCH):
            chunk = self.people[start:start + BATCH]
            ids = insert_ids(User, [{
                "public_id": new_public_id(), "employee_no": p.employee_no, "name": p.name,
                "email": p.email, "password_hash": self.password_hash, "locale": None,
                "active": True, "org_unit_id": units[p.unit],
                "job_role_id": roles[p.role] if p.role else None,
                "session_token": secrets.token_hex(16), "created_at": created}
                for p in chunk])
            for p, uid in zip(chunk, ids, strict=True):
                p.id = uid
        insert_rows(UserRole, [{"user_id": p.id, "role": r} for p in self.people
                               for r in sorted(p.roles)])
        history = []
        for p in self.people:
            if p.previous_role:
                assert p.role is not None  # a completed rotation moved them to a role
                history.append({"user_id": p.id, "job_role_id": roles[p.previous_role],
                                 "start_date": p.hired, "end_date": p.moved_on, "note": ""})
                history.append({"user_id": p.id, "job_role_id": roles[p.role],
                                "start_date": p.moved_on, "end_date": None,
                                "note": "rotation"})
            elif p.role:
                history.append({"user_id": p.id, "job_role_id": roles[p.role],
                                "start_date": p.hired, "end_date": None, "note": ""})
        insert_rows(RoleAssignment, history)
        db.session.commit()
        self.counts["users"] += len(self.people)

    def _rotations(self) -> None:
        st = self._load_structure()
        by_role: dict[str, list[Person]] = defaultdict(list)
        for p in self.people:
            if p.role:
                by_role[p.role].append(p)
        rng = random.Random(self.seed + 7)
        plans = []
        for p in self.people:
            if not p.plan:
                continue
            plan = p.plan
            mentors = [m for m in by_role[plan["to"]][:200] if m.id != p.id]
            mentor = rng.choice(mentors) if mentors else None
            created = datetime.combine(plan["created"], datetime.min.time(), UTC)
            closed = (datetime.combine(plan["closed"], datetime.min.time(), UTC)
                      + timedelta(hours=10) if plan["closed"] else None)
            plans.append({"public_id": new_public_id(), "user_id": p.id,
                          "from_role_id": st.role_ids[plan["from"]],
                          "to_role_id": st.role_ids[plan["to"]], "start_date": plan["start"],
                          "mentor_id": mentor.id if mentor else None,
                          "notes": "轮岗计划（基准数据）", "status": plan["status"],
                          "created_by_id": st.hr_id or None, "created_at": created,
                          "closed_at": closed})
        insert_rows(RotationPlan, plans)
        db.session.commit()
        self.counts["rotation plans"] += len(plans)
