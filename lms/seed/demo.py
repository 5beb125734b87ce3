"""Demo data: a county-level supply company's marketing service staff. Idempotent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from lms.extensions import db
from lms.people import accounts, org
from lms.people.models import JobRole, OrgUnit, User

DEMO_PASSWORD = "Power2026demo"  # noqa: S105 - demo mode only, listed in the README

JOB_ROLES = [
    ("counter_clerk", "营业厅柜员", "Counter clerk",
     "在营业厅受理业务、收费、咨询与引导客户使用线上渠道。",
     "Handles applications, payments and enquiries at the business hall; guides customers "
     "to online channels."),
    ("account_manager", "客户经理", "Account manager",
     "服务高压及重点客户，负责业扩报装、能效服务和电费回收。",
     "Serves high-voltage and key accounts: new connections, energy services, collections."),
    ("dispatcher", "抢修调度员", "Repair dispatcher",
     "受理故障工单，指挥抢修队伍，跟踪到达与修复时限。",
     "Takes fault tickets, dispatches repair crews, tracks arrival and restoration times."),
    ("meter_technician", "计量采集运维员", "Meter & data-collection technician",
     "负责智能电能表与用电信息采集系统的运维和现场消缺。",
     "Maintains smart meters and the data-collection system; fixes collection faults on site."),
    ("data_analyst", "营销数据分析员", "Marketing data analyst",
     "分析用电数据，识别异常与窃电嫌疑，支撑客户画像与精准服务。",
     "Analyses consumption data, finds anomalies and suspected theft, builds customer "
     "profiles."),
    ("online_agent", "线上渠道坐席", "Online-channel agent",
     "处理95598与网上国网等线上渠道的咨询、工单与智能客服转人工。",
     "Handles 95598 and app enquiries, online work orders and AI-service handovers."),
]

# (code, zh, en, kind, parent code)
ORG_UNITS = [
    ("DEMO", "演示市供电公司", "Demo City Power Supply Co.", "company", None),
    ("URB", "城区供电分公司", "Urban Branch", "branch", "DEMO"),
    ("URB-MKT", "城区营销服务部", "Urban Marketing Service Division", "division", "URB"),
    ("URB-HALL", "城区中心营业厅班", "Urban Central Business Hall Team", "team", "URB-MKT"),
    ("URB-ACCT", "城区客户经理班", "Urban Account Managers Team", "team", "URB-MKT"),
    ("URB-DISP", "城区抢修指挥班", "Urban Repair Dispatch Team", "team", "URB-MKT"),
    ("URB-METER", "城区计量采集班", "Urban Metering & Collection Team", "team", "URB-MKT"),
    ("CTY", "清河县供电公司", "Qinghe County Branch", "branch", "DEMO"),
    ("CTY-MKT", "清河县营销服务部", "Qinghe Marketing Service Division", "division", "CTY"),
    ("CTY-HALL", "清河县营业厅班", "Qinghe Business Hall Team", "team", "CTY-MKT"),
    ("CTY-DISP", "清河县抢修指挥班", "Qinghe Repair Dispatch Team", "team", "CTY-MKT"),
    ("CTY-ONLINE", "线上服务班", "Online Service Team", "team", "CTY-MKT"),
    ("HQ-HR", "人力资源部", "Human Resources Department", "division", "DEMO"),
    ("HQ-TRAIN", "培训中心", "Training Centre", "division", "DEMO"),
]

# (employee_no, name, e-mail local part, unit, job role, platform roles)
ACCOUNTS = [
    ("A0001", "赵管理", "admin", "DEMO", None, {"admin"}),
    ("H0001", "钱人事", "hr", "HQ-HR", None, {"hr"}),
    ("T0001", "孙培训", "trainer", "HQ-TRAIN", None, {"trainer"}),
    ("M0001", "李班长", "manager", "URB-HALL", "counter_clerk", {"manager"}),
    ("E1001", "周晓燕", "clerk", "URB-HALL", "counter_clerk", set()),
    ("E1002", "吴建国", "dispatcher", "URB-DISP", "dispatcher", set()),
    ("E1003", "郑海涛", "meter", "URB-METER", "meter_technician", set()),
    ("E1004", "王丽娜", "agent", "CTY-ONLINE", "online_agent", set()),
    ("E1005", "冯志强", "accounts", "URB-ACCT", "account_manager", set()),
    ("E1006", "陈思雨", "analyst", "URB-MKT", "data_analyst", set()),
]

_SURNAMES = "张王李刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
_GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞",
          "平", "刚", "桂英", "建华", "晓东", "玉兰"]
# Extra team members so that team and HR pages have people to show: (unit, job role, count)
_TEAMS = [("URB-HALL", "counter_clerk", 8), ("URB-DISP", "dispatcher", 5),
          ("URB-METER", "meter_technician", 5), ("URB-ACCT", "account_manager", 4),
          ("CTY-HALL", "counter_clerk", 6), ("CTY-DISP", "dispatcher", 4),
          ("CTY-ONLINE", "online_agent", 5)]


def _job_roles() -> dict[str, int]:
    added = 0
    for code, zh, en, dzh, den in JOB_ROLES:
        if db.session.scalar(select(JobRole).where(JobRole.code == code)) is None:
            org.save_job_role(None, code=code, name_zh=zh, name_en=en, description_zh=dzh,
                              description_en=den)
            added += 1
    return {"job roles": added}


def _org_units() -> dict[str, int]:
    added = 0
    for code, zh, en, kind, parent_code in ORG_UNITS:
        if db.session.scalar(select(OrgUnit).where(OrgUnit.code == code)) is None:
            parent = (db.session.scalar(select(OrgUnit).where(OrgUnit.code == parent_code))
                      if parent_code else None)
            org.create_unit(code=code, name_zh=zh, name_en=en, kind=kind, parent=parent)
            added += 1
    return {"org units": added}


def _people() -> list[tuple[str, str, str, str, str | None, set[str]]]:
    rows = list(ACCOUNTS)
    n = 2001
    for unit, role, count in _TEAMS:
        for _i in range(count):
            k = n - 2001
            name = _SURNAMES[k % len(_SURNAMES)] + _GIVEN[(k * 7) % len(_GIVEN)]
            rows.append((f"E{n}", name, f"e{n}", unit, role, set()))
            n += 1
    return rows


def _accounts() -> dict[str, int]:
    units = {u.code: u for u in db.session.scalars(select(OrgUnit))}
    roles = {r.code: r for r in db.session.scalars(select(JobRole))}
    existing = set(db.session.scalars(select(User.employee_no)))
    added = 0
    for no, name, mail, unit, role, platform_roles in _people():
        if no in existing:
            continue
        accounts.create_user(employee_no=no, name=name, email=f"{mail}@demo.example.com",
                             password=DEMO_PASSWORD, roles=platform_roles,
                             org_unit=units[unit], job_role=roles.get(role) if role else None)
        added += 1
    return {"users": added}


def _courses() -> dict[str, int]:
    from flask import current_app

    from lms.studio.packages import import_folder

    results = import_folder(current_app.config["COURSES_DIR"])
    failed = [r for r in results if r.action == "failed"]
    if failed:
        raise RuntimeError("; ".join(f"{r.code}: {p}" for r in failed for p in r.problems[:3]))
    # The demo trainer looks after the built-in curriculum in the studio.
    from lms.catalog.models import Course
    from lms.studio.editors import grant

    trainer = db.session.scalar(select(User).where(User.employee_no == "T0001"))
    if trainer is not None:
        for course in db.session.scalars(select(Course)):
            grant(course, trainer, "owner")
        db.session.commit()
    return {"courses": sum(r.action == "created" for r in results)}


# (employee no., course code, due in days; negative = already overdue, for the demo)
_ASSIGNMENTS = [
    ("E1001", "SV-401", 14), ("E1001", "DT-103", -3), ("E1001", "DT-102", 30),
    ("E1002", "DP-501", 10), ("E1003", "DT-101", 21), ("E1004", "DT-104", 7),
    ("E1005", "EN-301", 30), ("E1006", "DT-105", 30), ("M0001", "SV-401", 14),
]


def _assignments() -> dict[str, int]:
    from datetime import date, timedelta

    from lms.catalog.learning_models import Enrollment
    from lms.catalog.models import Course

    courses = {c.code: c for c in db.session.scalars(select(Course))}
    users = {u.employee_no: u for u in db.session.scalars(
        select(User).where(User.employee_no.in_({a[0] for a in _ASSIGNMENTS})))}
    hr = db.session.scalar(select(User).where(User.employee_no == "H0001"))
    existing = set(db.session.execute(select(Enrollment.user_id, Enrollment.course_id)))
    added = 0
    for no, code, days in _ASSIGNMENTS:
        user, course = users.get(no), courses.get(code)
        if user is None or course is None or (user.id, course.id) in existing:
            continue
        # Written directly (not through learning.assign) so the demo can show an overdue item.
        db.session.add(Enrollment(user_id=user.id, course_id=course.id, source="assigned",
                                  assigned_by_id=hr.id if hr else None,
                                  due_date=date.today() + timedelta(days=days)))
        added += 1
    db.session.commit()
    return {"assignments": added}


# (code, zh, en, months, requirements, job roles that require it)
CERTIFICATIONS = [
    ("CERT-HALL", "营业厅数字化服务岗位认证", "Business-Hall Digital Service Certification", 24,
     [("course", "SV-401", None), ("quiz", "SV-401/final", 80),
      ("scenario", "month-end-payment-peak", 70)],
     ["counter_clerk"]),
    ("CERT-METER", "用电信息采集运维认证", "Metering & Data-Collection Certification", 24,
     [("course", "DT-101", None), ("quiz", "DT-101/final", 80)], ["meter_technician"]),
    ("CERT-DISPATCH", "抢修调度员认证", "Repair Dispatcher Certification", 24,
     [("course", "DP-501", None), ("quiz", "DP-501/final", 80)], ["dispatcher"]),
    ("CERT-DATASEC", "客户数据安全合规认证", "Customer Data Security Certification", 12,
     [("course", "SEC-201", None), ("quiz", "SEC-201/final", 80)],
     ["counter_clerk", "account_manager", "dispatcher", "meter_technician", "data_analyst",
      "online_agent"]),
    ("CERT-ONLINE", "线上渠道与智能客服认证", "Online Channels & AI Service Certification", 24,
     [("course", "DT-103", None), ("course", "DT-104", None), ("quiz", "DT-104/final", 80)],
     ["online_agent"]),
]

# Demo holders, so that HR pages show every state: (employee no., cert, months ago issued)
_DEMO_AWARDS = [("E2001", "CERT-HALL", 3), ("E2002", "CERT-HALL", 23), ("E2003", "CERT-HALL", 25),
                ("E1002", "CERT-DATASEC", 11), ("E2009", "CERT-DISPATCH", 6),
                ("E2010", "CERT-DISPATCH", 23), ("E2014", "CERT-METER", 1),
                ("E1004", "CERT-DATASEC", 2), ("E2024", "CERT-ONLINE", 4)]


def _certifications() -> dict[str, int]:
    from datetime import UTC, datetime

    from lms.certification import rules as certification
    from lms.certification.models import Award, AwardEvent, Certification
    from lms.people.models import RoleRequirement

    hr = db.session.scalar(select(User).where(User.employee_no == "H0001"))
    roles = {r.code: r for r in db.session.scalars(select(JobRole))}
    added = 0
    for code, zh, en, months, reqs, role_codes in CERTIFICATIONS:
        if certification.certification_by_code(code) is not None:
            continue
        try:
            certification.save_certification(
                None, code=code, name_zh=zh, name_en=en, description_zh="", description_en="",
                validity_months=months, recert_window_days=60, requirements=reqs, actor=hr)
        except Exception as e:  # noqa: BLE001 - a course missing from courses/
            raise RuntimeError(f"certification {code}: {e}") from e
        for pos, role in enumerate(role_codes):
            db.session.add(RoleRequirement(job_role_id=roles[role].id, kind="certification",
                                           ref=code, required=True, position=pos))
        added += 1
    db.session.commit()
    people = {u.employee_no: u for u in db.session.scalars(select(User))}
    certs_by_code = {c.code: c for c in db.session.scalars(select(Certification))}
    now = datetime.now(UTC)
    for no, code, months_ago in _DEMO_AWARDS:
        user, cert = people.get(no), certs_by_code.get(code)
        if user is None or cert is None or db.session.scalar(select(Award.id).where(
                Award.user_id == user.id, Award.certification_id == cert.id)):
            continue
        issued = certification.add_months(now, -months_ago)
        award = Award(user_id=user.id, certification_id=cert.id, source="manual",
                      issued_at=issued, reason="演示数据 demo data",
                      expires_at=certification.add_months(issued, cert.validity_months)
                      if cert.validity_months else None,
                      issued_by_id=hr.id if hr else None, evidence={"demo": True})
        db.session.add(award)
        db.session.flush()
        db.session.add(AwardEvent(award_id=award.id, action="issued", note="demo"))
    db.session.commit()
    return {"certifications": added}


# Learning paths: (job role, kind, ref, min score, required) in path order, besides the
# certifications each role requires (added with the certifications above).
PATHS = [
    ("account_manager", "course", "DT-102", None, True),
    ("account_manager", "course", "EN-301", None, True),
    ("account_manager", "course", "DT-105", None, False),
    ("counter_clerk", "course", "DT-102", None, True),
    ("dispatcher", "course", "DP-501", None, True),
    ("meter_technician", "course", "DT-101", None, True),
    ("data_analyst", "course", "DT-105", None, True),
    ("online_agent", "course", "DT-104", None, True),
]

# (employee no., target role, days until the start, mentor)
_ROTATIONS = [("E1001", "account_manager", 21, "E1005"), ("E2005", "dispatcher", 75, "E1002")]


def _rotations() -> dict[str, int]:
    from datetime import date, timedelta

    from lms.people.models import RoleRequirement
    from lms.rotation import plans as rotation
    from lms.rotation.models import RotationPlan

    roles = {r.code: r for r in db.session.scalars(select(JobRole))}
    have = set(db.session.execute(select(RoleRequirement.job_role_id, RoleRequirement.kind,
                                         RoleRequirement.ref)).all())
    for pos, (role, kind, ref, score, required) in enumerate(PATHS, start=10):
        if (roles[role].id, kind, ref) not in have:
            db.session.add(RoleRequirement(job_role_id=roles[role].id, kind=kind, ref=ref,
                                           min_score=score, required=required, position=pos))
    db.session.commit()
    people = {u.employee_no: u for u in db.session.scalars(select(User))}
    manager = people.get("M0001")
    added = 0
    for no, role, days, mentor in _ROTATIONS:
        user = people.get(no)
        if user is None or db.session.scalar(select(RotationPlan.id).where(
                RotationPlan.user_id == user.id)):
            continue
        rotation.plan(user=user, to_role=roles[role], start=date.today() + timedelta(days=days),
                      mentor=people.get(mentor), notes="演示轮岗计划 demo plan",
                      actor=manager or user)
        added += 1
    return {"rotation plans": added}


def _scenarios() -> dict[str, int]:
    from lms.practice.scenarios import import_builtins

    results = import_builtins()
    failed = [r for r in results if r.action == "failed"]
    if failed:
        raise RuntimeError("; ".join(r.message for r in failed))
    return {"scenarios": sum(r.action == "created" for r in results)}


# Sample practice runs so that trainers' statistics have something to show:
# (employee no., scenario, mode, decisions)
_HALL = "quiet-weekday-hall"
_RUNS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("E2001", _HALL, "practice", {"counters_open": {"general": [2] * 9}}),
    ("E2001", _HALL, "assessment", {"counters_open": {"general": [3, 4, 4, 3, 2, 3, 4, 3, 2]}}),
    ("E2002", _HALL, "practice", {"counters_open": {"general": [3, 3, 3, 3, 2, 3, 3, 3, 2]}}),
    ("E2002", _HALL, "assessment", {"counters_open": {"general": [2, 3, 3, 3, 2, 2, 3, 3, 2]}}),
    ("E2003", _HALL, "assessment", {"counters_open": {"general": [5] * 9}}),
    ("E2004", _HALL, "practice", {"counters_open": {"general": [2, 2, 3, 2, 2, 2, 3, 2, 2]}}),
    ("E2009", "normal-dispatch-day", "practice",
     {"crews_on_shift": {"urban": 1, "rural": 1, "remote": 1}, "dispatch_policy": "nearest"}),
    ("E2009", "normal-dispatch-day", "assessment",
     {"crews_on_shift": {"urban": 2, "rural": 2, "remote": 1},
      "dispatch_policy": "priority_first"}),
    ("E2010", "normal-dispatch-day", "assessment",
     {"crews_on_shift": {"urban": 2, "rural": 0, "remote": 1},
      "dispatch_policy": "zone_dedicated"}),
]


def _practice_runs() -> dict[str, int]:
    from lms.practice.models import Scenario, SimulationRun
    from lms.practice.runs import run_whole_day

    users = {u.employee_no: u for u in db.session.scalars(
        select(User).where(User.employee_no.in_({r[0] for r in _RUNS})))}
    scenarios = {s.code: s for s in db.session.scalars(select(Scenario))}
    done = set(db.session.scalars(select(SimulationRun.user_id)))
    added = 0
    for no, code, mode, decisions in _RUNS:
        user, scenario = users.get(no), scenarios.get(code)
        if user is None or scenario is None or user.id in done:
            continue
        run_whole_day(user, scenario, decisions, mode=mode)
        added += 1
    return {"practice runs": added}


def steps() -> list[tuple[str, Callable[[], dict[str, int]]]]:
    """The seeding steps, in order, for a progress bar."""
    return [("job roles", _job_roles), ("org units", _org_units), ("accounts", _accounts),
            ("scenarios", _scenarios), ("courses", _courses), ("assignments", _assignments),
            ("practice runs", _practice_runs),
            ("certifications", _certifications), ("rotations", _rotations)]


def seed() -> dict[str, int]:
    summary: dict[str, int] = {}
    for _name, step in steps():
        summary.update(step())
    return summary


__all__ = ["DEMO_PASSWORD", "seed", "steps"]
