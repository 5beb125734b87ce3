"""The plan of the company, drawn from the seed before anything is written: the org tree
(company → branches → divisions → teams), the named benchmark accounts, every person with
their job role, hiring date and rotation plan."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from lms.seed.bench.state import BenchState

BENCH_PASSWORD = "Bench2026load"  # noqa: S105 - benchmark data only, printed by the command
COMPANY = "BENCH"

# Named accounts: (employee no., name, platform roles, what the benchmark uses it for).
# B0001 and B1001…B1009 are learners of the first branch's first business-hall team; B0003
# leads the first branch's marketing service division (about 270 people).
NAMED = [
    ("B0001", "基准学员", set(), "learner"),
    ("B0002", "基准人事", {"hr"}, "HR"),
    ("B0003", "基准主任", {"manager"}, "manager"),
    ("B0004", "基准管理员", {"admin"}, "administrator"),
] + [(f"B{1000 + i}", f"基准学员{i}", set(), "learner") for i in range(1, 10)]

# Share of staff per job role.
ROLE_SHARE = {"counter_clerk": 0.30, "account_manager": 0.15, "dispatcher": 0.15,
              "meter_technician": 0.20, "data_analyst": 0.05, "online_agent": 0.15}

# (division suffix, zh, en, roles of its teams)
DIVISIONS = [
    ("MKT", "营销服务部", "Marketing Service Division",
     ["counter_clerk", "account_manager", "meter_technician", "data_analyst"]),
    ("CSC", "客户服务中心", "Customer Service Centre", ["dispatcher", "online_agent"]),
]
TEAM_NAMES = {
    "counter_clerk": ("营业厅班", "Business Hall Team"),
    "account_manager": ("客户经理班", "Account Managers Team"),
    "meter_technician": ("计量采集班", "Metering & Collection Team"),
    "data_analyst": ("数据分析组", "Data Analysis Team"),
    "dispatcher": ("抢修指挥班", "Repair Dispatch Team"),
    "online_agent": ("线上服务班", "Online Service Team"),
}
BRANCH_NAMES = [
    ("城东", "Chengdong"), ("城西", "Chengxi"), ("城南", "Chengnan"), ("城北", "Chengbei"),
    ("高新区", "Hi-Tech Zone"), ("开发区", "Development Zone"), ("清河县", "Qinghe County"),
    ("临川县", "Linchuan County"), ("永安县", "Yong'an County"), ("安平县", "Anping County"),
    ("长乐县", "Changle County"), ("宁远县", "Ningyuan County"), ("青山县", "Qingshan County"),
    ("平原县", "Pingyuan County"), ("东湖县", "Donghu County"), ("西林县", "Xilin County"),
]
TEAM_SIZE = 25
_SURNAMES = "张王李刘陈杨黄赵周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
_GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞",
          "平", "刚", "桂英", "建华", "晓东", "玉兰", "海燕", "志强", "丽娟", "文博", "思远",
          "雨桐", "子涵", "浩然", "欣怡", "俊杰"]


@dataclass
class Person:
    index: int
    employee_no: str
    name: str
    email: str
    unit: str  # org unit code
    role: str | None  # job role code
    roles: set[str] = field(default_factory=set)
    hired: date = date(2015, 1, 1)
    previous_role: str | None = None  # the role before a completed rotation
    moved_on: date | None = None
    plan: dict[str, Any] | None = None  # rotation plan (to, status, dates)
    profile: str = ""  # "named" for the benchmark learners
    id: int = 0


class PlanSteps(BenchState):
    """Planning the org tree and the people (no database access)."""

    def _branches(self) -> int:
        return max(1, min(len(BRANCH_NAMES) * 4, round(self.employees / 360)))

    def _staff_count(self) -> int:
        return len(self.people)

    def _plan_units(self) -> tuple[list[tuple[str, str, str, str, str | None]],
                                   list[tuple[str, str, int]]]:
        """The org tree (code, zh, en, kind, parent code) and its teams (code, role, size)."""
        units: list[tuple[str, str, str, str, str | None]] = [
            (COMPANY, "示范市供电公司", "Model City Power Supply Co.", "company", None),
            ("HQ-HR", "人力资源部", "Human Resources Department", "division", COMPANY),
            ("HQ-TRAIN", "培训中心", "Training Centre", "division", COMPANY)]
        team_plan: list[tuple[str, str, int]] = []
        branches = self._branches()
        per_branch = self.employees / branches
        for b in range(branches):
            zh, en = BRANCH_NAMES[b % len(BRANCH_NAMES)]
            suffix = "" if b < len(BRANCH_NAMES) else str(b // len(BRANCH_NAMES) + 1)
            bcode = f"BR{b + 1:02d}"
            units.append((bcode, f"{zh}{suffix}供电分公司", f"{en}{suffix} Branch", "branch",
                          COMPANY))
            for dcode, dzh, den, roles in DIVISIONS:
                units.append((f"{bcode}-{dcode}", f"{zh}{suffix}{dzh}", f"{en}{suffix} {den}",
                              "division", bcode))
                for role in roles:
                    people = max(1, round(per_branch * ROLE_SHARE[role]))
                    teams = max(1, round(people / TEAM_SIZE))
                    tzh, ten = TEAM_NAMES[role]
                    for t in range(teams):
                        tcode = f"{bcode}-{role[:4].upper()}{t + 1}"
                        units.append((tcode, f"{zh}{suffix}{tzh}{t + 1}",
                                      f"{en}{suffix} {ten} {t + 1}", "team",
                                      f"{bcode}-{dcode}"))
                        share = people // teams + (1 if t < people % teams else 0)
                        team_plan.append((tcode, role, share))
        return units, team_plan

    def _plan_people(self) -> list[Person]:
        rng = random.Random(self.seed + 1)
        people: list[Person] = []

        def add(no: str, name: str, unit: str, role: str | None, roles: set[str],
                profile: str = "") -> Person:
            person = Person(len(people), no, name, f"{no.lower()}@bench.example.com", unit,
                            role, set(roles), self.today - timedelta(days=rng.randint(200,
                                                                                     3650)),
                            profile=profile)
            people.append(person)
            return person

        first_hall = next(t for t, r, _n in self.team_plan if r == "counter_clerk")
        for no, name, roles, _use in NAMED:
            if "hr" in roles:
                add(no, name, "HQ-HR", None, roles)
            elif "admin" in roles:
                add(no, name, COMPANY, None, roles)
            elif "manager" in roles:
                add(no, name, "BR01-MKT", "counter_clerk", roles)
            else:
                add(no, name, first_hall, "counter_clerk", roles, profile="named")
        hq = max(2, self.employees // 500)
        for i in range(hq):
            add(f"H{i + 1:04d}", self._name(rng), "HQ-HR", None, {"hr"})
            add(f"T{i + 1:04d}", self._name(rng), "HQ-TRAIN", None, {"trainer"})
        n = 1
        for team, role, size in self.team_plan:
            for k in range(size):
                add(f"E{n:06d}", self._name(rng), team, role, {"manager"} if k == 0 else set())
                n += 1
        # Rotations: about 5% of the staff (not the named accounts) have a plan.
        staff = [p for p in people if p.role and not p.employee_no.startswith("B")]
        role_codes = list(ROLE_SHARE)
        for k, person in enumerate(rng.sample(staff, max(3, len(staff) // 20))):
            to = rng.choice([r for r in role_codes if r != person.role])
            status = (["active", "moved", "cancelled"][k] if k < 3 else  # every column shows
                      rng.choices(["active", "moved", "cancelled"], [60, 25, 15])[0])
            created = self.today - timedelta(days=rng.randint(20, 200))
            if status == "active":
                start = self.today + timedelta(days=rng.randint(5, 120))
                closed = None
            else:
                closed = self.today - timedelta(days=rng.choice([rng.randint(1, 85),
                                                                 rng.randint(95, 170)]))
                created = min(created, closed - timedelta(days=14))
                start = closed if status == "moved" else closed + timedelta(
                    days=rng.randint(5, 60))
            person.plan = {"to": to, "from": person.role, "status": status, "start": start,
                           "created": created, "closed": closed}
            if status == "moved":
                person.previous_role, person.role = person.role, to
                person.moved_on = closed
        return people

    @staticmethod
    def _name(rng: random.Random) -> str:
        return rng.choice(_SURNAMES) + rng.choice(_GIVEN)
