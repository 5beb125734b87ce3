"""One line to build any object the tests need, through the real services."""

from __future__ import annotations

import itertools

from lms.people import accounts, org
from lms.people.models import JobRole, OrgUnit, User

_seq = itertools.count(1)


class Factories:
    PASSWORD = "Passw0rd-test"  # noqa: S105

    def __init__(self, tmp_path=None):
        self.tmp_path = tmp_path

    def course(self, code: str | None = None, **kw):
        """A course built by writing a package and importing it with the real importer."""
        code = code or f"TST-{next(_seq)}"
        return import_package(write_package(self.tmp_path, code, **kw))

    def unit(self, kind: str = "company", parent: OrgUnit | None = None, **kw) -> OrgUnit:
        n = next(_seq)
        return org.create_unit(code=kw.get("code", f"U{n}"), name_zh=kw.get("name_zh",
                               f"单位{n}"), name_en=kw.get("name_en", f"Unit {n}"),
                               kind=kind, parent=parent)

    def job_role(self, **kw) -> JobRole:
        n = next(_seq)
        return org.save_job_role(None, code=kw.get("code", f"role_{n}"),
                                 name_zh=kw.get("name_zh", f"岗位{n}"),
                                 name_en=kw.get("name_en", f"Role {n}"))

    def user(self, roles: set[str] | None = None, password: str | None = None,
             **kw) -> User:
        n = next(_seq)
        return accounts.create_user(
            employee_no=kw.get("employee_no", f"T{n:05d}"),
            name=kw.get("name", f"测试用户{n}"),
            email=kw.get("email", f"user{n}@example.com"),
            password=password or self.PASSWORD, roles=roles or set(),
            org_unit=kw.get("org_unit"), job_role=kw.get("job_role"),
            locale=kw.get("locale"))


def write_package(root, code: str = "TST-1", lessons: int = 3, quiz: bool = True,
                  status: str = "published", title_zh: str = "测试课程",
                  summary_zh: str = "用于测试的课程。", category: str = "service",
                  questions: list[dict] | None = None, quiz_settings: dict | None = None):
    """Write a course package folder under `root` and return its path."""
    from pathlib import Path

    import yaml

    folder = Path(root) / code.lower()
    (folder / "lessons").mkdir(parents=True, exist_ok=True)
    refs = []
    for i in range(1, lessons + 1):
        (folder / "lessons" / f"{i:02d}-lesson.md").write_text(
            f"## 第{i}课\n\n正文 **{i}**。\n\n| 项目 | 数值 |\n|---|---|\n| 电量 | {i}0 kWh |\n",
            encoding="utf-8")
        refs.append({"file": f"lessons/{i:02d}-lesson.md",
                     "title": {"zh": f"第{i}课", "en": f"Lesson {i}"}, "minutes": 5})
    manifest = {
        "code": code, "version": 1, "title": {"zh": title_zh, "en": f"Course {code}"},
        "summary": {"zh": summary_zh, "en": "A course for tests."}, "category": category,
        "audience": ["counter_clerk"], "estimated_minutes": 30, "status": status,
        "modules": [{"title": {"zh": "模块一", "en": "Module 1"}, "lessons": refs}],
    }
    if quiz:
        qs = questions or [
            {"id": "q1", "type": "single", "text": "单选题", "options": [
                {"text": "对", "correct": True}, {"text": "错"}, {"text": "不知道"}],
             "explanation": "因为对。"},
            {"id": "q2", "type": "multiple", "text": "多选题", "options": [
                {"text": "甲", "correct": True}, {"text": "乙", "correct": True},
                {"text": "丙"}]},
            {"id": "q3", "type": "true_false", "text": "判断题", "answer": False},
            {"id": "q4", "type": "numeric", "text": "计算题", "answer": 128.5,
             "tolerance": 0.5, "unit": "元"},
            {"id": "q5", "type": "short_text", "text": "填空题", "accept": ["集中器", "采集终端"]},
        ]
        bank_id = f"{code.lower()}-bank"
        (folder / "quiz").mkdir(exist_ok=True)
        (folder / "quiz" / "bank.yaml").write_text(yaml.safe_dump(
            {"id": bank_id, "title": {"zh": "题库", "en": "Bank"}, "questions": qs},
            allow_unicode=True), encoding="utf-8")
        manifest["quiz_banks"] = [{"file": "quiz/bank.yaml"}]
        manifest["quizzes"] = [{"id": "final", "title": {"zh": "结业测验", "en": "Final quiz"},
                                "draw": [{"bank": bank_id, "count": len(qs)}],
                                "pass_mark": 80, "max_attempts": 3, "review": "explanations",
                                "required": True, **(quiz_settings or {})}]
    (folder / "course.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True),
                                        encoding="utf-8")
    return folder


def import_package(folder):
    from lms.catalog.package import load_package
    from lms.extensions import db
    from lms.studio.packages import apply_package

    result = apply_package(load_package(folder))
    db.session.commit()
    from sqlalchemy import select

    from lms.catalog.models import Course

    return db.session.scalar(select(Course).where(Course.code == result.code))
