"""The catalogue of the bench data: the real curriculum (through the normal importer), the
generated elective courses, the certifications and the job roles' requirements — and the
structure the history generator reads back from them."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from lms.assessment.models import Question, QuestionBank, Quiz
from lms.catalog.models import Course, CourseRequirement, Lesson, Module
from lms.certification.models import Certification, CertRequirement
from lms.extensions import db
from lms.people.models import JobRole, OrgUnit, RoleRequirement, User
from lms.seed import demo
from lms.seed.bench.database import BenchDataError, insert_ids, insert_rows
from lms.seed.bench.plan import ROLE_SHARE
from lms.seed.bench.state import BenchState

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


@dataclass
class Structure:
    """What the history generator needs, loaded once after the catalogue is in place."""

    courses: dict[str, dict[str, Any]]  # code → {id, lessons: [ids], quiz: {...}}
    paths: dict[str, list[str]]  # job role → course codes of its path
    certs: list[dict[str, Any]]
    role_ids: dict[str, int]
    unit_ids: dict[str, int]
    hr_id: int


class CatalogueSteps(BenchState):
    """Steps that write the catalogue and read its structure back."""

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
            course_id = insert_ids(Course, [{
                "code": code, "version": 1, "title_zh": zh, "title_en": en,
                "summary_zh": f"{zh}：要点、流程与案例。", "summary_en": f"{en}: essentials, "
                "process and cases.", "category": category, "audience": list(ROLE_SHARE),
                "estimated_minutes": ELECTIVE_LESSONS * 12, "status": "published",
                "content_hash": "bench"}])[0]
            module_ids = insert_ids(Module, [
                {"course_id": course_id, "position": m, "title_zh": f"第{m + 1}单元",
                 "title_en": f"Unit {m + 1}"} for m in range(2)])
            insert_rows(Lesson, [{
                "course_id": course_id, "module_id": module_ids[i * 2 // ELECTIVE_LESSONS],
                "slug": f"{i + 1:02d}-lesson", "position": i,
                "title_zh": f"{zh}（{i + 1}）", "title_en": f"{en} ({i + 1})",
                "body_md": _lesson_body(zh, i + 1, rng), "minutes": 12}
                for i in range(ELECTIVE_LESSONS)])
            bank_key = f"{code.lower()}-main"
            bank_id = insert_ids(QuestionBank, [{"key": bank_key, "course_id": course_id,
                                                 "title_zh": f"{zh}题库",
                                                 "title_en": f"{en} bank"}])[0]
            insert_rows(Question, [{
                "bank_id": bank_id, "key": f"q{q + 1}", "position": q, "type": "single",
                "text_md": f"关于{zh}，下列说法正确的是（第{q + 1}题）？",
                "options": [{"id": f"o{k + 1}", "text": f"选项{k + 1}", "correct": k == q % 4}
                            for k in range(4)],
                "answer": {}, "explanation_md": "见本课程第一单元。", "tags": [],
                "active": True} for q in range(ELECTIVE_QUESTIONS)])
            insert_rows(Quiz, [{"course_id": course_id, "key": "final", "title_zh": "结业测验",
                                "title_en": "Final quiz", "draw": [{"bank": bank_key, "count": 8}],
                                "pass_mark": 80.0, "max_attempts": 3, "time_limit_min": 20,
                                "review": "explanations", "required": True}])
        db.session.commit()
        self.counts["courses (generated electives)"] += len(ELECTIVES)

    def _certifications(self) -> None:
        roles = {code: rid for rid, code in db.session.execute(select(JobRole.id,
                                                                      JobRole.code))}
        pos_by_role: dict[str, int] = defaultdict(int)
        req_rows = []
        for code, zh, en, months, reqs, role_codes in (demo.CERTIFICATIONS
                                                       + EXTRA_CERTIFICATIONS):
            cid = insert_ids(Certification, [{
                "code": code, "name_zh": zh, "name_en": en, "description_zh": "",
                "description_en": "", "validity_months": months, "recert_window_days": 60,
                "active": True}])[0]
            insert_rows(CertRequirement, [{"certification_id": cid, "kind": k, "ref": r,
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
        insert_rows(RoleRequirement, req_rows)
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
            # Rules may draw from one bank by several tags: each question once.
            pool = list({q["id"]: q for rule in quiz.draw
                         for q in banks.get(rule["bank"], [])}.values())
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
