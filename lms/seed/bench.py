"""Benchmark data: a whole supply company's marketing-service staff and their learning history.

`flask lms seed-bench --employees 5000` builds, on an empty (migrated) database:

- the org tree (company → branches → divisions → teams, about 25 people a team), the six job
  roles, HQ HR and training staff, a team leader per team;
- the real curriculum (courses/, through the normal importer) plus a set of generated
  elective courses, so that the catalogue and the lesson-progress table have a company's size;
- the certifications (the demo ones and a few more) and the job roles' requirements;
- for every person: enrolments (assigned path courses, the mandatory data-security course,
  electives), lesson progress, quiz attempts with every answer, awards with their history
  (valid, expiring, expired, revoked, superseded), notifications, simulation runs (when the
  practice tables exist), job-role history and rotation plans;
- named benchmark accounts with a known password (see NAMED).

Rows are written with bulk INSERTs in batches, not through the per-user services (which would
take hours), but they follow the services' rules: an enrolment is completed only when every
lesson is done and the required quiz passed, completion time after both; an award is issued
when its requirements are met, renewed only with fresh quiz evidence inside the
recertification window, at most one active award per person and certification; quiz scores
are computed from the stored answers. Everything is drawn from one seed: the same command
gives the same data.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, inspect, select, text, update
from werkzeug.security import generate_password_hash

from lms.assessment.models import Attempt, Question, QuestionBank, Quiz, Response
from lms.catalog.learning_models import Enrollment, LessonProgress
from lms.catalog.models import Course, CourseRequirement, Lesson, Module
from lms.certification.models import (
    Award,
    AwardEvent,
    Certification,
    CertRequirement,
    new_verification_code,
)
from lms.core.clock import add_months
from lms.core.db import new_public_id
from lms.extensions import db
from lms.notifications.models import Notification
from lms.people.models import JobRole, OrgUnit, RoleAssignment, User, UserRole
from lms.people.security_models import AuditEvent
from lms.rotation.models import RoleRequirement, RotationPlan
from lms.seed import demo

BENCH_PASSWORD = "Bench2026load"  # noqa: S105 - benchmark data only, printed by the command
COMPANY = "BENCH"
BATCH = 5000  # rows per INSERT batch
CHUNK = 250  # people per progress step

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

# Generated electives besides the real curriculum: (code, zh, en, category).
ELECTIVES = [
    ("BX-101", "电费回收与风险防控", "Collections and credit risk", "service"),
    ("BX-102", "业扩报装全流程", "New connections end to end", "service"),
    ("BX-103", "优质服务礼仪", "Service etiquette", "service"),
    ("BX-104", "投诉处理与客户沟通", "Complaint handling", "service"),
    ("BX-105", "分布式光伏并网服务", "Distributed PV connection service", "energy"),
    ("BX-106", "电动汽车充电服务", "EV charging services", "energy"),
    ("BX-107", "有序用电与需求响应", "Demand response", "energy"),
    ("BX-108", "反窃电稽查实务", "Electricity theft inspection", "data"),
    ("BX-109", "电价政策解读", "Tariff policy explained", "service"),
    ("BX-110", "95598工单规范", "95598 work-order standards", "digital-tools"),
    ("BX-111", "营销稽查与内控", "Marketing audit and internal control", "data"),
    ("BX-112", "供电服务应急处置", "Service emergencies", "dispatch"),
    ("BX-113", "安全生产规程", "Work safety rules", "security"),
    ("BX-114", "综合能源服务入门", "Integrated energy services", "energy"),
]
ELECTIVE_LESSONS = 8
ELECTIVE_QUESTIONS = 12

# Certifications besides the demo ones: (code, zh, en, months, requirements, roles).
EXTRA_CERTIFICATIONS = [
    ("CERT-ACCOUNT", "客户经理业务认证", "Account Manager Certification", 24,
     [("course", "DT-102", None), ("course", "EN-301", None), ("quiz", "EN-301/final", 80)],
     ["account_manager"]),
    ("CERT-ANALYST", "营销数据分析认证", "Marketing Data Analysis Certification", 24,
     [("course", "DT-105", None), ("quiz", "DT-105/final", 80)], ["data_analyst"]),
    ("CERT-SAFETY", "安全生产年度认证", "Annual Work Safety Certification", 12,
     [("course", "BX-113", None), ("quiz", "BX-113/final", 80)], list(ROLE_SHARE)),
]
MANDATORY = ("SEC-201", "BX-113")  # assigned to everyone

_SURNAMES = "张王李刘陈杨黄赵周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
_GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞",
          "平", "刚", "桂英", "建华", "晓东", "玉兰", "海燕", "志强", "丽娟", "文博", "思远",
          "雨桐", "子涵", "浩然", "欣怡", "俊杰"]


class BenchDataError(Exception):
    """Why the data set cannot be built (one line, for the CLI)."""


# --- helpers ---------------------------------------------------------------------------

def _insert(model, rows: list[dict]) -> None:
    for i in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[i:i + BATCH])


def _insert_ids(model, rows: list[dict]) -> list[int]:
    """Insert and return the new primary keys in the order of `rows`."""
    ids: list[int] = []
    for i in range(0, len(rows), BATCH):
        ids.extend(db.session.scalars(
            insert(model).returning(model.id, sort_by_parameter_order=True),
            rows[i:i + BATCH]))
    return ids


def _has_practice() -> bool:
    """Simulation runs are seeded only where the practice tables exist."""
    try:
        names = set(inspect(db.engine).get_table_names())
    except Exception:  # noqa: BLE001 - no inspector, no practice data
        return False
    return {"simulation_runs", "scenarios"} <= names


def existing_people() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0


def wipe() -> None:
    """Delete every row of every table (the schema and its migration version stay)."""
    names = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    known = [t for t in db.metadata.sorted_tables if t.name in names]
    if db.engine.dialect.name == "postgresql":
        listed = ", ".join(f'"{n}"' for n in sorted(names))
        db.session.execute(text(f"TRUNCATE {listed} RESTART IDENTITY CASCADE"))  # noqa: S608
    else:
        for name in sorted(names - {t.name for t in known}):
            db.session.execute(text(f'DELETE FROM "{name}"'))  # noqa: S608 - a table name
        for table in reversed(known):
            db.session.execute(table.delete())
    db.session.commit()


def _lesson_body(topic: str, i: int, rng: random.Random) -> str:
    points = rng.sample(["核对客户档案与计量信息", "在营销业务系统中登记并流转工单",
                         "按服务规范告知客户办理时限", "留存影像资料并归档",
                         "发现异常时及时上报并跟踪闭环", "引导客户使用网上国网办理",
                         "复核电费与电价执行情况", "按照数据安全要求处理客户信息"], 4)
    rows = "\n".join(f"| {p} | {rng.randint(1, 5)} 个工作日 |" for p in points[:3])
    return (f"## {topic}（{i}）\n\n本课介绍{topic}中的关键环节和常见问题。"
            f"学习后应能独立完成相关业务，并向客户清楚说明办理要求。\n\n"
            + "".join(f"- {p}\n" for p in points)
            + f"\n| 环节 | 时限 |\n|---|---|\n{rows}\n\n> 提示：遇到特殊情况，请先查阅"
              f"《{topic}工作手册》，再咨询班长。\n")


# --- the plan of people ---------------------------------------------------------------

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


@dataclass
class Structure:
    """What the history generator needs, loaded once after the catalogue is in place."""

    courses: dict[str, dict[str, Any]]  # code → {id, lessons: [ids], quiz: {...}}
    paths: dict[str, list[str]]  # job role → course codes of its path
    certs: list[dict[str, Any]]
    role_ids: dict[str, int]
    unit_ids: dict[str, int]
    hr_id: int


class BenchSeeder:
    """Builds the data set in steps, for a progress bar: `steps()` gives (label, weight, fn)."""

    def __init__(self, employees: int, seed: int = 2026, now: datetime | None = None):
        if employees < 10:
            raise BenchDataError("--employees must be at least 10")
        self.employees = employees
        self.seed = seed
        self.now = (now or datetime.now(UTC)).replace(microsecond=0)
        self.today = self.now.date()
        self.counts: dict[str, int] = defaultdict(int)
        self.people: list[Person] = []
        self.structure: Structure | None = None
        self.password_hash = ""
        self.practice = _has_practice()
        self.sim_templates: list[dict[str, Any]] = []
        self.sim_by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.skip_reason = ""
        self.units, self.team_plan = self._plan_units()
        self.people = self._plan_people()

    # -- steps ------------------------------------------------------------------------
    def steps(self) -> list[tuple[str, int, Callable[[], None]]]:
        n = self.employees
        out: list[tuple[str, int, Callable[[], None]]] = [
            ("organisation", max(1, n // 50), self._organisation),
            ("curriculum", max(1, n // 20), self._curriculum),
            ("certifications", max(1, n // 100), self._certifications),
            ("people", max(1, n // 10), self._people),
        ]
        if self.practice:
            out.append(("simulation scenarios", max(1, n // 50), self._scenarios))
        for start in range(0, self._staff_count(), CHUNK):
            out.append((f"history {start + 1}…", CHUNK,
                        lambda s=start: self._history(s, s + CHUNK)))
        out.append(("rotation plans", max(1, n // 50), self._rotations))
        out.append(("finishing", 1, self._finish))
        return out

    def total(self) -> int:
        return sum(w for _l, w, _f in self.steps())

    def run(self) -> dict[str, int]:
        for _label, _weight, fn in self.steps():
            fn()
        return dict(self.counts)

    # -- organisation -----------------------------------------------------------------
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
            new = _insert_ids(OrgUnit, [{"code": c, "name_zh": zh, "name_en": en, "kind": k,
                                         "parent_id": ids.get(p) if p else None, "path": "/"}
                                        for c, zh, en, k, p in rows])
            for (c, _zh, _en, _k, p), uid in zip(rows, new, strict=True):
                ids[c] = uid
                paths[c] = f"{paths[p] if p else '/'}{uid}/"
        db.session.execute(update(OrgUnit), [{"id": ids[c], "path": paths[c]} for c in ids])
        db.session.commit()
        self.counts["org units"] += len(units)

    # -- curriculum -------------------------------------------------------------------
    def _curriculum(self) -> None:
        from flask import current_app

        from lms.studio.packages import import_folder

        results = import_folder(current_app.config["COURSES_DIR"])
        failed = [r for r in results if r.action == "failed"]
        if failed:
            raise BenchDataError("; ".join(f"{r.code}: {p}" for r in failed
                                           for p in r.problems[:2]))
        self.counts["courses (curriculum)"] += len(results)
        rng = random.Random(self.seed)
        for code, zh, en, category in ELECTIVES:
            course_id = _insert_ids(Course, [{
                "code": code, "version": 1, "title_zh": zh, "title_en": en,
                "summary_zh": f"{zh}：要点、流程与案例。", "summary_en": f"{en}: essentials, "
                "process and cases.", "category": category, "audience": list(ROLE_SHARE),
                "estimated_minutes": ELECTIVE_LESSONS * 12, "status": "published",
                "content_hash": "bench"}])[0]
            module_ids = _insert_ids(Module, [
                {"course_id": course_id, "position": m, "title_zh": f"第{m + 1}单元",
                 "title_en": f"Unit {m + 1}"} for m in range(2)])
            _insert(Lesson, [{
                "course_id": course_id, "module_id": module_ids[i * 2 // ELECTIVE_LESSONS],
                "slug": f"{i + 1:02d}-lesson", "position": i,
                "title_zh": f"{zh}（{i + 1}）", "title_en": f"{en} ({i + 1})",
                "body_md": _lesson_body(zh, i + 1, rng), "minutes": 12}
                for i in range(ELECTIVE_LESSONS)])
            bank_key = f"{code.lower()}-main"
            bank_id = _insert_ids(QuestionBank, [{"key": bank_key, "course_id": course_id,
                                                  "title_zh": f"{zh}题库",
                                                  "title_en": f"{en} bank"}])[0]
            _insert(Question, [{
                "bank_id": bank_id, "key": f"q{q + 1}", "position": q, "type": "single",
                "text_md": f"关于{zh}，下列说法正确的是（第{q + 1}题）？",
                "options": [{"id": f"o{k + 1}", "text": f"选项{k + 1}", "correct": k == q % 4}
                            for k in range(4)],
                "answer": {}, "explanation_md": "见本课程第一单元。", "tags": [],
                "active": True} for q in range(ELECTIVE_QUESTIONS)])
            _insert(Quiz, [{"course_id": course_id, "key": "final", "title_zh": "结业测验",
                            "title_en": "Final quiz", "draw": [{"bank": bank_key, "count": 8}],
                            "pass_mark": 80.0, "max_attempts": 3, "time_limit_min": 20,
                            "review": "explanations", "required": True}])
        db.session.commit()
        self.counts["courses (generated electives)"] += len(ELECTIVES)

    # -- certifications and job-role requirements --------------------------------------
    def _certifications(self) -> None:
        roles = {code: rid for rid, code in db.session.execute(select(JobRole.id,
                                                                      JobRole.code))}
        pos_by_role: dict[str, int] = defaultdict(int)
        req_rows = []
        for code, zh, en, months, reqs, role_codes in (demo.CERTIFICATIONS
                                                       + EXTRA_CERTIFICATIONS):
            cid = _insert_ids(Certification, [{
                "code": code, "name_zh": zh, "name_en": en, "description_zh": "",
                "description_en": "", "validity_months": months, "recert_window_days": 60,
                "active": True}])[0]
            _insert(CertRequirement, [{"certification_id": cid, "kind": k, "ref": r,
                                       "min_score": s, "position": i}
                                      for i, (k, r, s) in enumerate(reqs)])
            for role in role_codes:
                req_rows.append({"job_role_id": roles[role], "kind": "certification",
                                 "ref": code, "min_score": None, "required": True,
                                 "position": pos_by_role[role]})
                pos_by_role[role] += 1
            self.counts["certifications"] += 1
        for role, kind, ref, score, required in demo.PATHS:
            req_rows.append({"job_role_id": roles[role], "kind": kind, "ref": ref,
                             "min_score": score, "required": required, "position": 10
                             + pos_by_role[role]})
            pos_by_role[role] += 1
        _insert(RoleRequirement, req_rows)
        self.counts["role requirements"] += len(req_rows)
        db.session.commit()

    def _load_structure(self) -> Structure:
        if self.structure is not None:
            return self.structure
        courses: dict[str, dict[str, Any]] = {}
        for cid, code in db.session.execute(select(Course.id, Course.code).where(
                Course.status == "published")):
            courses[code] = {"id": cid, "code": code, "lessons": [], "quiz": None}
        by_id = {c["id"]: c for c in courses.values()}
        for lid, cid in db.session.execute(select(Lesson.id, Lesson.course_id)
                                           .order_by(Lesson.course_id, Lesson.position)):
            if cid in by_id:
                by_id[cid]["lessons"].append(lid)
        banks: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for key, qid, qtype, options, answer in db.session.execute(
                select(QuestionBank.key, Question.id, Question.type, Question.options,
                       Question.answer).join(Question, Question.bank_id == QuestionBank.id)
                .where(Question.active.is_(True)).order_by(Question.id)):
            banks[key].append({"id": qid, "type": qtype, "options": options or [],
                               "answer": answer or {}})
        for cid, ref, score, required in db.session.execute(
                select(CourseRequirement.course_id, CourseRequirement.ref,
                       CourseRequirement.pass_score, CourseRequirement.required)
                .where(CourseRequirement.kind == "scenario").order_by(CourseRequirement.id)):
            if cid in by_id:
                by_id[cid].setdefault("practice", []).append(
                    (ref, 70.0 if score is None else float(score), bool(required)))
        for quiz in db.session.scalars(select(Quiz).where(Quiz.required.is_(True))
                                       .order_by(Quiz.id)):
            course = by_id.get(quiz.course_id)
            if course is None or course["quiz"] is not None:
                continue
            pool = [q for rule in quiz.draw for q in banks.get(rule["bank"], [])]
            count = sum(rule["count"] for rule in quiz.draw)
            if len(pool) >= count:
                course["quiz"] = {"id": quiz.id, "key": quiz.key, "pass": quiz.pass_mark,
                                  "max": quiz.max_attempts or 99, "count": count,
                                  "pool": pool, "limit": quiz.time_limit_min}
        cert_courses: dict[str, list[str]] = {}
        certs = []
        for cert in db.session.scalars(select(Certification).order_by(Certification.id)):
            reqs = [(r.kind, r.ref, r.min_score) for r in cert.requirements]
            cert_courses[cert.code] = [ref for kind, ref, _s in reqs if kind == "course"]
            certs.append({"id": cert.id, "code": cert.code, "months": cert.validity_months,
                          "window": cert.recert_window_days, "reqs": reqs})
        paths: dict[str, list[str]] = defaultdict(list)
        for role, kind, ref in db.session.execute(
                select(JobRole.code, RoleRequirement.kind, RoleRequirement.ref)
                .join(RoleRequirement, RoleRequirement.job_role_id == JobRole.id)
                .order_by(RoleRequirement.position)):
            for code in (cert_courses.get(ref, []) if kind == "certification" else
                         [ref] if kind == "course" else []):
                if code in courses and code not in paths[role]:
                    paths[role].append(code)
        role_ids = {code: rid for rid, code in db.session.execute(select(JobRole.id,
                                                                         JobRole.code))}
        unit_ids = {code: uid for uid, code in db.session.execute(select(OrgUnit.id,
                                                                         OrgUnit.code))}
        hr_id = db.session.scalar(select(User.id).where(User.employee_no == "B0002")) or 0
        self.structure = Structure(courses, dict(paths), certs, role_ids, unit_ids, hr_id)
        return self.structure

    # -- people -----------------------------------------------------------------------
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
        roles = list(ROLE_SHARE)
        for k, person in enumerate(rng.sample(staff, max(3, len(staff) // 20))):
            to = rng.choice([r for r in roles if r != person.role])
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
            ids = _insert_ids(User, [{
                "public_id": new_public_id(), "employee_no": p.employee_no, "name": p.name,
                "email": p.email, "password_hash": self.password_hash, "locale": None,
                "active": True, "org_unit_id": units[p.unit],
                "job_role_id": roles[p.role] if p.role else None,
                "session_token": secrets.token_hex(16), "created_at": created}
                for p in chunk])
            for p, uid in zip(chunk, ids, strict=True):
                p.id = uid
        _insert(UserRole, [{"user_id": p.id, "role": r} for p in self.people
                           for r in sorted(p.roles)])
        history = []
        for p in self.people:
            if p.previous_role:
                history.append({"user_id": p.id, "job_role_id": roles[p.previous_role],
                                 "start_date": p.hired, "end_date": p.moved_on, "note": ""})
                history.append({"user_id": p.id, "job_role_id": roles[p.role],
                                "start_date": p.moved_on, "end_date": None,
                                "note": "rotation"})
            elif p.role:
                history.append({"user_id": p.id, "job_role_id": roles[p.role],
                                "start_date": p.hired, "end_date": None, "note": ""})
        _insert(RoleAssignment, history)
        db.session.commit()
        self.counts["users"] += len(self.people)

    # -- simulation scenarios ----------------------------------------------------------
    def _scenarios(self) -> None:
        """Import the built-in scenarios and run each once, to reuse its (trimmed) result as
        the stored result of the generated runs (seeded runs are reproducible from it)."""
        try:
            from lms.practice.runs import trim
            from lms.practice.scenarios import engine, import_builtins

            import_builtins()
            import simulations
            from lms.practice.models import Scenario

            for scenario in db.session.scalars(select(Scenario).order_by(Scenario.code)):
                sc = engine(scenario)
                found = []
                for decisions in _decision_sets(simulations.decision_specs(sc)):
                    for seed in (11, 22, 33):
                        try:
                            result = simulations.run(sc, decisions, seed, 5,
                                                     records=sc.kind == "dispatch")
                        except simulations.DecisionError:
                            break
                        found.append({
                            "scenario_id": scenario.id, "code": scenario.code,
                            "kind": scenario.kind, "seed": seed, "yaml": scenario.yaml,
                            "horizon": float(sc.horizon_min), "replications": 5,
                            "result": trim(result), "score": float(result.score),
                            "kpis": {k: v.mean for k, v in result.kpis.items()},
                            "decisions": decisions})
                self.sim_templates.extend(found)
        except Exception as e:  # noqa: BLE001 - practice is optional here; say why it is skipped
            db.session.rollback()
            self.practice = False
            self.sim_templates = []
            self.counts["simulation runs skipped"] = 1
            self.skip_reason = f"{type(e).__name__}: {e}"
            return
        db.session.commit()
        self.counts["scenarios"] += len({t["scenario_id"] for t in self.sim_templates})
        self.sim_by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for t in self.sim_templates:
            self.sim_by_code[t["code"]].append(t)

    # -- the learning history of each person -------------------------------------------
    def _history(self, start: int, stop: int) -> None:
        st = self._load_structure()
        rows: dict[str, list[dict]] = defaultdict(list)
        attempts: list[tuple[dict, list[dict]]] = []
        awards: list[tuple[dict, list[dict]]] = []
        for person in self.people[start:stop]:
            self._person_history(person, st, rows, attempts, awards)
        _insert(Enrollment, rows["enrollments"])
        _insert(LessonProgress, rows["progress"])
        ids = _insert_ids(Attempt, [a for a, _r in attempts])
        responses = [{**r, "attempt_id": aid} for (_a, rs), aid in zip(attempts, ids,
                                                                        strict=True)
                     for r in rs]
        _insert(Response, responses)
        award_ids = _insert_ids(Award, [a for a, _e in awards])
        _insert(AwardEvent, [{**e, "award_id": aid} for (_a, es), aid in zip(awards, award_ids,
                                                                               strict=True)
                             for e in es])
        _insert(Notification, rows["notifications"])
        if self.practice and rows["runs"]:
            from lms.practice.models import SimulationRun

            _insert(SimulationRun, rows["runs"])
        db.session.commit()
        self.counts["enrollments"] += len(rows["enrollments"])
        self.counts["lesson progress"] += len(rows["progress"])
        self.counts["quiz attempts"] += len(attempts)
        self.counts["quiz responses"] += len(responses)
        self.counts["awards"] += len(awards)
        self.counts["notifications"] += len(rows["notifications"])
        self.counts["simulation runs"] += len(rows["runs"])

    def _at(self, base: datetime, rng: random.Random, lo_days: float, hi_days: float
            ) -> datetime:
        """A moment after `base` (never in the future): events of one story stay in order."""
        t = base + timedelta(days=rng.uniform(lo_days, hi_days))
        limit = self.now - timedelta(minutes=5)
        if t > limit:
            t = base + (max(limit, base) - base) * rng.uniform(0.2, 0.8) + timedelta(seconds=1)
        return t

    def _person_history(self, p: Person, st: Structure, rows: dict[str, list[dict]],
                        attempts: list, awards: list) -> None:
        rng = random.Random(self.seed * 1_000_003 + p.index)
        codes = [c for c in st.courses]
        path = list(st.paths.get(p.role, [])) if p.role else []
        plan_path = []
        if p.plan and p.plan["status"] == "active":
            plan_path = [c for c in st.paths.get(p.plan["to"], []) if c not in path]
        mandatory = [c for c in MANDATORY if c in st.courses]
        chosen: dict[str, str] = {}  # code → source
        for c in path + mandatory:
            chosen.setdefault(c, "assigned")
        for c in plan_path:
            chosen.setdefault(c, "rule")
        electives = [c for c in codes if c not in chosen]
        for c in rng.sample(electives, min(len(electives), rng.randint(4, 12))):
            chosen[c] = "self"
        forced: dict[str, str] = {}
        if p.profile == "named":  # the benchmark learners: known states on known courses
            forced = {"SV-401": "progress", "DT-102": "progress", "DT-103": "lessons_done",
                      "SEC-201": "done", "DT-101": "done", "BX-113": "done"}
            for c in forced:
                chosen.setdefault(c, "assigned")
        # The learning timeline starts at most ~32 months ago (or at hiring).
        origin = max(datetime.combine(p.hired, datetime.min.time(), UTC),
                     self.now - timedelta(days=960))
        span = max(1.0, (self.now - origin).days - 2.0)
        passes: dict[str, list[datetime]] = {}  # course code → passing attempt times
        scores: dict[str, list[tuple[datetime, float]]] = {}
        completed: dict[str, datetime] = {}
        run_no: dict[int, int] = defaultdict(int)  # scenario id → assessment attempts used
        for code, source in chosen.items():
            course = st.courses[code]
            lessons = course["lessons"]
            quiz = course["quiz"]
            if code in forced:
                state = forced[code]
            elif source == "rule":
                state = rng.choices(["done", "progress", "none"], [25, 45, 30])[0]
            elif source == "assigned":
                state = rng.choices(["done", "progress", "none"], [76, 16, 8])[0]
            else:
                state = rng.choices(["done", "progress", "none"], [50, 32, 18])[0]
            if state == "progress" and len(lessons) > 1 and rng.random() < 0.2:
                state = "lessons_done"
            drills = course.get("practice", [])
            if state == "done" and any(req and not self._sim(ref, mark, True)
                                       for ref, mark, req in drills):
                state = "lessons_done"  # no stored result passes: the course stays open
            enrolled = (origin + timedelta(days=rng.uniform(0, span * 0.9))
                        if source != "rule" else
                        datetime.combine(p.plan["created"], datetime.min.time(), UTC))
            n_done = {"done": len(lessons), "lessons_done": len(lessons),
                      "progress": rng.randint(1, max(1, len(lessons) - 1)),
                      "none": 0}[state]
            if state == "progress" and code in forced:
                n_done = min(2, len(lessons) - 1)
            t = enrolled
            last_lesson = None
            for lid in lessons[:n_done]:
                t = self._at(t, rng, 0.02, 6)
                rows["progress"].append({"user_id": p.id, "lesson_id": lid,
                                         "course_id": course["id"], "completed_at": t})
                last_lesson = lid
            completed_at = None
            if quiz is not None and n_done == len(lessons) and state != "none":
                if state == "done":
                    fails = rng.choices([0, 1, 2], [65, 27, 8])[0]
                elif code in forced:
                    fails = 0
                else:
                    fails = rng.choices([0, 1, 2], [50, 35, 15])[0]
                for k in range(fails):
                    t = self._at(t, rng, 0.01, 5)
                    attempts.append(self._attempt(p, quiz, k + 1, t, False, rng))
                    scores.setdefault(code, []).append((t, attempts[-1][0]["score"]))
                if state == "done":
                    t = self._at(t, rng, 0.01, 5)
                    attempts.append(self._attempt(p, quiz, fails + 1, t, True, rng))
                    scores.setdefault(code, []).append((t, attempts[-1][0]["score"]))
                    passes[code] = [attempts[-1][0]["submitted_at"]]
                    completed_at = attempts[-1][0]["submitted_at"]
                    # Annual certifications: renewed with a fresh pass inside the window.
                    number = fails + 2
                    while (code in self._annual_courses(st) and number <= quiz["max"]
                           and rng.random() < 0.9):
                        renewal = passes[code][-1] + timedelta(days=rng.uniform(306, 360))
                        if renewal >= self.now - timedelta(hours=1):
                            break
                        attempts.append(self._attempt(p, quiz, number, renewal, True, rng))
                        passes[code].append(renewal)
                        scores[code].append((renewal, attempts[-1][0]["score"]))
                        number += 1
                elif not fails and rng.random() < 0.04 and code not in forced:
                    # An attempt left open (abandoned or in progress), with saved answers.
                    t = self._at(t, rng, 0.01, 3)
                    attempts.append(self._attempt(p, quiz, 1, t, None, rng))
            elif quiz is None and state == "done" and n_done == len(lessons):
                completed_at = t
            if drills and n_done == len(lessons):
                drilled = self._drills(p, drills, state == "done", t, rows, run_no, rng)
                if completed_at is not None and drilled is not None:
                    completed_at = max(completed_at, drilled)
            if completed_at is not None:
                completed[code] = completed_at
            due = None
            if source in ("assigned", "rule"):
                due = (p.plan["start"] - timedelta(days=7) if source == "rule" else
                       (enrolled + timedelta(days=rng.randint(30, 90))).date()
                       if completed_at or rng.random() < 0.5 else
                       self.today + timedelta(days=rng.randint(-40, 90)))
            rows["enrollments"].append({
                "user_id": p.id, "course_id": course["id"], "source": source,
                "assigned_by_id": (st.hr_id or None) if source != "self" else None,
                "due_date": due, "enrolled_at": enrolled, "completed_at": completed_at,
                "last_lesson_id": last_lesson})
            if source != "self" and enrolled > self.now - timedelta(days=365):
                rows["notifications"].append(self._note(
                    p, "assignment", f"新课程已分配：{code}", f"/learn/courses/{code}",
                    enrolled, rng))
        self._awards(p, st, completed, scores, awards, rows, rng)
        if self.practice and self.sim_templates:
            self._runs(p, rows, rng)
        if run_no and not self.practice:
            rows["runs"].clear()

    def _annual_courses(self, st: Structure) -> set[str]:
        if not hasattr(self, "_annual"):
            self._annual = {ref for c in st.certs if c["months"] and c["months"] <= 12
                            for kind, ref, _s in c["reqs"] if kind == "course"}
        return self._annual

    def _attempt(self, p: Person, quiz: dict, number: int, at: datetime,
                 passed: bool | None, rng: random.Random) -> tuple[dict, list[dict]]:
        """One attempt and its answers; the score follows from the answers."""
        drawn = rng.sample(quiz["pool"], quiz["count"])
        n = len(drawn)
        need = -(-quiz["pass"] * n // 100)  # answers right to pass
        if passed is None:
            right = set()
        elif passed:
            right = set(rng.sample(range(n), rng.randint(int(need), n)))
        else:
            right = set(rng.sample(range(n), rng.randint(max(0, n // 3), int(need) - 1)))
        layout, responses = [], []
        started = at - timedelta(minutes=rng.uniform(4, 18))
        answered = n if passed is not None else rng.randint(1, n - 1)
        for i, q in enumerate(drawn):
            ids = [o["id"] for o in q["options"]]
            rng.shuffle(ids)
            layout.append({"q": q["id"], "o": ids})
            if i >= answered:
                continue
            ok = i in right
            responses.append({"question_id": q["id"], "answer": _answer(q, ok, rng),
                              "saved_at": started + timedelta(minutes=(i + 1) * 1.5),
                              "correct": ok if passed is not None else None})
        submitted = None if passed is None else at
        score = round(100.0 * len(right) / n, 1) if passed is not None else None
        limit = quiz["limit"]
        return ({"public_id": new_public_id(), "quiz_id": quiz["id"], "user_id": p.id,
                 "number": number, "layout": layout, "started_at": started,
                 "deadline_at": started + timedelta(minutes=limit) if limit else None,
                 "submitted_at": submitted, "score": score,
                 "passed": None if passed is None else score >= quiz["pass"]}, responses)

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
                    expires = add_months(issues[-1], months)
                    if expires - timedelta(days=cert["window"]) <= t:
                        issues.append(t)
            for i, issued in enumerate(issues):
                expires = add_months(issued, months) if months else None
                last = i == len(issues) - 1
                status = "active" if last else "superseded"
                events = [{"at": issued, "action": "renewed" if i else "issued",
                           "actor_id": None, "note": ""}]
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

    def _note(self, p: Person, kind: str, title: str, link: str, at: datetime,
              rng: random.Random) -> dict:
        read = rng.random() < 0.7
        return {"public_id": new_public_id(), "user_id": p.id, "kind": kind, "title": title,
                "body": "", "link": link, "created_at": at,
                "read_at": at + timedelta(hours=rng.uniform(1, 48)) if read else None}

    def _sim(self, code: str, mark: float, passing: bool) -> list[dict[str, Any]]:
        return [t for t in self.sim_by_code.get(code, []) if (t["score"] >= mark) == passing]

    def _run_row(self, p: Person, t: dict[str, Any], mode: str, number: int | None,
                 at: datetime) -> dict[str, Any]:
        return {"public_id": new_public_id(), "user_id": p.id, "scenario_id": t["scenario_id"],
                "mode": mode, "attempt_no": number, "interactive": False, "seed": t["seed"],
                "replications": t["replications"], "decisions": t["decisions"], "log": [],
                "clock_min": t["horizon"], "scenario_yaml": t["yaml"], "status": "finished",
                "result": t["result"], "score": t["score"], "kpis": t["kpis"], "findings": [],
                "version": 1, "created_at": at - timedelta(minutes=3), "finished_at": at}

    def _drills(self, p: Person, drills: list[tuple[str, float, bool]], passed: bool,
                t: datetime, rows: dict[str, list[dict]], run_no: dict[int, int],
                rng: random.Random) -> datetime | None:
        """A course's practice items: a passed course has an assessment run at or above the
        pass score for each required item (sometimes after a failed one); an open course has
        at most failed ones. Returns when the last required item was passed."""
        last = t
        for ref, mark, required in drills:
            fail, good = self._sim(ref, mark, False), self._sim(ref, mark, True)
            plan: list[dict[str, Any]] = []
            if fail and rng.random() < 0.3:
                plan.append(rng.choice(fail))
            if passed and required and good:
                plan.append(rng.choice(good))
            elif passed and not required and rng.random() < 0.4 and (good or fail):
                plan.append(rng.choice(good or fail))
            for tmpl in plan:
                if run_no[tmpl["scenario_id"]] >= 3:
                    break
                run_no[tmpl["scenario_id"]] += 1
                last = self._at(last, rng, 0.01, 3)
                rows["runs"].append(self._run_row(p, tmpl, "assessment",
                                                  run_no[tmpl["scenario_id"]], last))
        return last if passed else None

    def _runs(self, p: Person, rows: dict[str, list[dict]], rng: random.Random) -> None:
        """Practice-mode runs (they count towards no course or certification)."""
        kind = {"counter_clerk": "service_counter", "dispatcher": "dispatch"}.get(p.role or "")
        if kind is None and rng.random() > 0.15:
            return
        templates = [t for t in self.sim_templates if kind is None or t["kind"] == kind]
        for _i in range(rng.randint(1, 4)):
            at = self.now - timedelta(days=rng.uniform(1, 400))
            rows["runs"].append(self._run_row(p, rng.choice(templates), "practice", None, at))

    # -- rotation plans ----------------------------------------------------------------
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
        _insert(RotationPlan, plans)
        db.session.commit()
        self.counts["rotation plans"] += len(plans)

    def _finish(self) -> None:
        db.session.add(AuditEvent(action="bench_data_seeded", details={
            "employees": self.employees, "seed": self.seed, **dict(self.counts)}))
        db.session.commit()
        # Planner statistics after a bulk load, as a live database has them (PostgreSQL's
        # autovacuum would gather them a little later; SQLite only when asked).
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def _decision_sets(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The defaults, and the numeric decisions half-way and all the way to their maximum:
    enough spread to find runs that pass and runs that fail each scenario."""
    out: list[dict[str, Any]] = [{}]
    for share in (0.5, 1.0):
        decisions: dict[str, Any] = {}
        for spec in specs:
            kind, name = spec.get("type"), spec["name"]

            def towards(default, top, share=share):
                return type(default)(default + (top - default) * share)

            if kind in ("integer", "number") and "max" in spec:
                decisions[name] = towards(spec["default"], spec["max"])
            elif kind == "counts":
                decisions[name] = {g["id"]: towards(g["default"], g["max"])
                                   for g in spec["groups"]}
            elif kind == "per_hour_counts":
                decisions[name] = {g["id"]: [towards(v, g["max"]) for v in g["default"]]
                                   for g in spec["groups"]}
        out.append(decisions)
    return out


def _answer(q: dict[str, Any], right: bool, rng: random.Random) -> Any:
    """A stored answer to question `q` that is (or is not) correct."""
    kind, options, key = q["type"], q["options"], q["answer"]
    if kind == "single":
        good = [o["id"] for o in options if o.get("correct")]
        bad = [o["id"] for o in options if not o.get("correct")]
        return rng.choice(good if right or not bad else bad)
    if kind == "multiple":
        good = sorted(o["id"] for o in options if o.get("correct"))
        bad = [o["id"] for o in options if not o.get("correct")]
        if right:
            return good
        return sorted([*good, rng.choice(bad)]) if bad else good[:-1]
    if kind == "true_false":
        value = bool(key.get("value"))
        return value if right else not value
    if kind == "numeric":
        value = float(key.get("value", 0))
        return value if right else value + 10 * (float(key.get("tolerance") or 0) + 1)
    if kind == "short_text":
        accept = key.get("accept") or ["?"]
        return accept[0] if right else "不清楚"
    return None


__all__ = ["BENCH_PASSWORD", "NAMED", "BenchDataError", "BenchSeeder", "existing_people",
           "wipe"]
