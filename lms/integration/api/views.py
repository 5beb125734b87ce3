"""The API's operations. Each reads its validated input, calls the services, and shapes the
answer with the models in schemas.py; the decorator makes the route and the OpenAPI entry."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from flask import Response, current_app, request, stream_with_context
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException

from lms.assessment.models import Quiz
from lms.catalog.learning_models import Enrollment
from lms.catalog.models import Course, Lesson, Module
from lms.certification import documents as certificates
from lms.certification import rules as certs
from lms.certification.models import Award
from lms.core.clock import as_utc
from lms.extensions import db
from lms.integration import records as integration
from lms.integration import xapi
from lms.integration.api import schemas as s
from lms.integration.api.blueprint import bp
from lms.integration.api.core import ApiError, current_token, operation, paginate
from lms.people.models import JobRole, OrgUnit, User


def _ts(value: datetime | None) -> datetime | None:
    return as_utc(value).astimezone(UTC) if value is not None else None


def _ip() -> str:
    return request.remote_addr or ""


def _base() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


# --- the document ------------------------------------------------------------------------

@operation("GET", "/openapi.json", op_id="getOpenApi", tag="meta", public=True,
           summary="This API's OpenAPI 3.1 document", response=None)
def openapi():
    from lms.integration.api.openapi import spec

    return Response(json.dumps(spec(), ensure_ascii=False), mimetype="application/json")


# --- users --------------------------------------------------------------------------------

def user_out(user: User) -> dict[str, Any]:
    return {"employee_no": user.employee_no, "name": user.name, "email": user.email,
            "active": user.active, "org_unit": user.org_unit.code if user.org_unit else None,
            "job_role": user.job_role.code if user.job_role else None,
            "roles": sorted(user.roles), "locale": user.locale,
            "created_at": _ts(user.created_at), "last_login_at": _ts(user.last_login_at)}


def _user_or_404(employee_no: str) -> User:
    user = integration.user_by_employee_no(employee_no)
    if user is None:
        raise ApiError(404, "not_found", "No user with this employee number.",
                       field="employee_no")
    return user


@operation("GET", "/users", op_id="listUsers", tag="users", summary="List users",
           query=s.UserQuery, response=s.Page[s.UserOut])
def list_users(query: s.UserQuery):
    stmt = integration.users_query(active=query.active, org_unit=query.org_unit,
                                   job_role=query.job_role, q=query.q)
    return paginate(stmt, query, s.UserOut, lambda rows: [user_out(u) for u in rows])


@operation("POST", "/users", op_id="createUser", tag="users", status=201,
           summary="Create a user",
           description="The HR system's roster sync. An employee number that exists already "
                       "answers 409 (change people with PATCH /users/{employee_no}, where "
                       "the same data twice changes nothing). New accounts get an unusable "
                       "random password; HR prints them a one-time activation code "
                       "(/hr/activation) to choose their own. Platform roles are not set "
                       "here.",
           body=s.UserCreate, response=s.UserOut, conflict=True)
def create_user(body: s.UserCreate):
    data = body.model_dump(exclude_unset=True)  # fields not sent stay as they are
    user = integration.create_user(data, current_token(), _ip())
    return s.UserOut.model_validate(user_out(user)), 201


@operation("GET", "/users/{employee_no}", op_id="getUser", tag="users", summary="One user",
           response=s.UserOut)
def get_user(employee_no: str):
    return s.UserOut.model_validate(user_out(_user_or_404(employee_no)))


@operation("PATCH", "/users/{employee_no}", op_id="updateUser", tag="users",
           summary="Change a user (only the fields sent)", body=s.UserUpdate,
           description="People holding a platform role above learner cannot be changed by "
                       "a token (403).",
           response=s.UserOut, conflict=True)
def update_user(employee_no: str, body: s.UserUpdate):
    user = _user_or_404(employee_no)
    fields = body.model_dump(exclude_unset=True)
    for required in ("name", "email", "active"):
        if required in fields and fields[required] is None:
            raise ApiError(422, "invalid", "This field cannot be null.", field=required)
    integration.update_user(user, fields, current_token(), _ip())
    return s.UserOut.model_validate(user_out(user))


@operation("POST", "/users/{employee_no}/deactivate", op_id="deactivateUser", tag="users",
           summary="Deactivate a user (they can no longer sign in; records are kept)",
           description="People holding a platform role above learner cannot be deactivated "
                       "by a token (403).",
           response=s.UserOut, conflict=True)
def deactivate_user(employee_no: str):
    user = _user_or_404(employee_no)
    integration.deactivate_user(user, current_token(), _ip())
    return s.UserOut.model_validate(user_out(user))


# --- organisation -------------------------------------------------------------------------

@operation("GET", "/org-units", op_id="listOrgUnits", tag="organisation",
           summary="List org units (parents before children)", query=s.PageQuery,
           response=s.Page[s.OrgUnitOut])
def list_org_units(query: s.PageQuery):
    stmt = select(OrgUnit).order_by(OrgUnit.path, OrgUnit.code)
    return paginate(stmt, query, s.OrgUnitOut, lambda rows: [
        {"code": u.code, "name_zh": u.name_zh, "name_en": u.name_en, "kind": u.kind,
         "parent": u.parent.code if u.parent else None} for u in rows])


@operation("GET", "/job-roles", op_id="listJobRoles", tag="organisation",
           summary="List job roles", query=s.PageQuery, response=s.Page[s.JobRoleOut])
def list_job_roles(query: s.PageQuery):
    stmt = select(JobRole).order_by(JobRole.code)
    return paginate(stmt, query, s.JobRoleOut, lambda rows: [
        {"code": r.code, "name_zh": r.name_zh, "name_en": r.name_en,
         "description_zh": r.description_zh, "description_en": r.description_en}
        for r in rows])


# --- courses ------------------------------------------------------------------------------

def course_out(c: Course) -> dict[str, Any]:
    return {"code": c.code, "version": c.version, "title_zh": c.title_zh,
            "title_en": c.title_en, "summary_zh": c.summary_zh, "summary_en": c.summary_en,
            "category": c.category, "audience": list(c.audience or []),
            "estimated_minutes": c.estimated_minutes, "status": c.status,
            "updated_at": _ts(c.updated_at)}


@operation("GET", "/courses", op_id="listCourses", tag="courses", summary="The course catalogue",
           query=s.CourseQuery, response=s.Page[s.CourseOut])
def list_courses(query: s.CourseQuery):
    stmt = select(Course).where(Course.status == (query.status or "published")).order_by(
        Course.code)
    if query.category:
        stmt = stmt.where(Course.category == query.category)
    if query.q:
        like = f"%{query.q.strip()}%"
        stmt = stmt.where(or_(Course.code.ilike(like), Course.title_zh.ilike(like),
                              Course.title_en.ilike(like)))
    return paginate(stmt, query, s.CourseOut, lambda rows: [course_out(c) for c in rows])


@operation("GET", "/courses/{code}", op_id="getCourse", tag="courses",
           summary="One course with its modules, lessons and quizzes", response=s.CourseDetail)
def get_course(code: str):
    course = db.session.scalar(select(Course).where(Course.code == code))
    if course is None:
        raise ApiError(404, "not_found", "No course with this code.", field="code")
    modules = db.session.scalars(select(Module).where(Module.course_id == course.id)
                                 .order_by(Module.position)).all()
    lessons = db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)
                                 .order_by(Lesson.position)).all()
    quizzes = db.session.scalars(select(Quiz).where(Quiz.course_id == course.id)
                                 .order_by(Quiz.key)).all()
    by_module: dict[int, list[Lesson]] = {}
    for lesson in lessons:
        by_module.setdefault(lesson.module_id, []).append(lesson)
    data = course_out(course)
    data["modules"] = [{"title_zh": m.title_zh, "title_en": m.title_en, "lessons": [
        {"slug": le.slug, "title_zh": le.title_zh, "title_en": le.title_en,
         "minutes": le.minutes} for le in by_module.get(m.id, [])]} for m in modules]
    data["quizzes"] = [{"key": q.key, "title_zh": q.title_zh, "title_en": q.title_en,
                        "pass_mark": q.pass_mark, "max_attempts": q.max_attempts,
                        "required": q.required} for q in quizzes]
    return s.CourseDetail.model_validate(data)


# --- enrolments ---------------------------------------------------------------------------

def enrollments_out(rows: list[Enrollment]) -> list[dict[str, Any]]:
    states = integration.enrollment_states(rows)
    return [{"employee_no": e.user.employee_no, "course": e.course.code, "source": e.source,
             "status": states[e.id], "due_date": e.due_date,
             "enrolled_at": _ts(e.enrolled_at), "completed_at": _ts(e.completed_at)}
            for e in rows]


@operation("GET", "/enrollments", op_id="listEnrollments", tag="enrollments",
           summary="List enrolments", query=s.EnrollmentQuery,
           response=s.Page[s.EnrollmentOut])
def list_enrollments(query: s.EnrollmentQuery):
    stmt = integration.enrollments_query(employee_no=query.employee_no, course=query.course,
                                         status=query.status, due_before=query.due_before)
    stmt = stmt.options(selectinload(Enrollment.user))
    return paginate(stmt, query, s.EnrollmentOut, enrollments_out)


@operation("POST", "/enrollments", op_id="assignCourse", tag="enrollments", status=201,
           also={200: "Nobody newly enrolled (all were already), or a replay of an earlier "
                      "request with the same external_id."},
           summary="Assign a published course to people (idempotent with external_id)",
           body=s.EnrollmentAssign, response=s.AssignResult, conflict=True)
def assign_course(body: s.EnrollmentAssign):
    def respond(course, users, added, updated):
        rows = list(db.session.scalars(
            select(Enrollment).where(Enrollment.course_id == course.id,
                                     Enrollment.user_id.in_([u.id for u in users]))
            .options(selectinload(Enrollment.user)).order_by(Enrollment.id)))
        return s.AssignResult.model_validate({
            "external_id": body.external_id, "course": course.code,
            "due_date": body.due_date, "added": added, "updated": updated,
            "enrollments": enrollments_out(rows)}).model_dump(mode="json")

    outcome = integration.assign_course(
        course_code=body.course, employee_nos=body.employee_nos, due_date=body.due_date,
        external_id=body.external_id, token=current_token(), respond=respond)
    return s.AssignResult.model_validate(outcome.response), outcome.status_code


# --- awards -------------------------------------------------------------------------------

def award_out(award: Award, at: datetime) -> dict[str, Any]:
    base = _base()
    cert = award.certification
    state = certs.state(award, at)
    return {"code": award.verification_code, "employee_no": award.user.employee_no,
            "name": award.user.name, "certification": cert.code,
            "certification_name_zh": cert.name_zh, "certification_name_en": cert.name_en,
            "status": award.status, "state": state, "valid": state in ("valid", "expiring"),
            "source": award.source, "issued_at": _ts(award.issued_at),
            "expires_at": _ts(award.expires_at), "revoked_at": _ts(award.revoked_at),
            "verify_url": f"{base}/verify/{award.verification_code}",
            "assertion_url": certificates.assertion_url(base, award.verification_code),
            "badge_class_url": certificates.badge_class_url(base, cert.code),
            "issuer_url": certificates.issuer_url(base)}


@operation("GET", "/awards", op_id="listAwards", tag="awards",
           summary="Certification awards, by state and expiry", query=s.AwardQuery,
           response=s.Page[s.AwardOut])
def list_awards(query: s.AwardQuery):
    at = integration.now()
    stmt = integration.awards_query(
        state=query.state, certification=query.certification, employee_no=query.employee_no,
        expires_before=query.expires_before, expires_after=query.expires_after, at=at)
    stmt = stmt.options(selectinload(Award.user))
    return paginate(stmt, query, s.AwardOut, lambda rows: [award_out(a, at) for a in rows])


@operation("GET", "/awards/{code}", op_id="verifyAward", tag="awards",
           summary="Verify an award by its verification code", response=s.AwardOut)
def verify_award(code: str):
    award = certs.award_by_code(code)
    if award is None:
        raise ApiError(404, "not_found", "No award with this verification code.", field="code")
    return s.AwardOut.model_validate(award_out(award, integration.now()))


# --- rotation plans -----------------------------------------------------------------------

def plan_out(plan) -> dict[str, Any]:
    return {"id": plan.public_id, "employee_no": plan.user.employee_no, "name": plan.user.name,
            "from_role": plan.from_role.code if plan.from_role else None,
            "to_role": plan.to_role.code, "start_date": plan.start_date,
            "mentor": plan.mentor.employee_no if plan.mentor else None,
            "status": plan.status, "notes": plan.notes or "",
            "created_at": _ts(plan.created_at), "closed_at": _ts(plan.closed_at)}


@operation("GET", "/rotation-plans", op_id="listRotationPlans", tag="rotation",
           summary="Job rotation plans", query=s.RotationQuery,
           response=s.Page[s.RotationPlanOut])
def list_rotation_plans(query: s.RotationQuery):
    stmt = integration.rotation_plans_query(status=query.status, employee_no=query.employee_no,
                                            to_role=query.to_role)
    return paginate(stmt, query, s.RotationPlanOut, lambda rows: [plan_out(p) for p in rows])


@operation("GET", "/rotation-plans/{plan_id}", op_id="getRotationPlan", tag="rotation",
           summary="One rotation plan", response=s.RotationPlanOut)
def get_rotation_plan(plan_id: str):
    plan = integration.rotation_plan(plan_id)
    if plan is None:
        raise ApiError(404, "not_found", "No rotation plan with this id.", field="plan_id")
    return s.RotationPlanOut.model_validate(plan_out(plan))


# --- xAPI ---------------------------------------------------------------------------------

@operation("GET", "/xapi/statements", op_id="listStatements", tag="xapi",
           summary="Learning records as xAPI statements (oldest first)",
           query=s.StatementQuery, response=s.Page[s.XapiStatementOut])
def list_statements(query: s.StatementQuery):
    stmt = xapi.statements_query(since=query.since, until=query.until, verb=query.verb,
                                 employee_no=query.employee_no)
    return paginate(stmt, query, s.XapiStatementOut,
                    lambda rows: [xapi.as_statement(r) for r in rows])


@operation("GET", "/xapi/statements/export", op_id="exportStatements", tag="xapi",
           summary="All matching statements as a JSON-lines file (one statement per line)",
           query=s.ExportQuery, response=None, media_type="application/x-ndjson")
def export_statements(query: s.ExportQuery):
    stmt = xapi.statements_query(since=query.since, until=query.until, verb=query.verb,
                                 employee_no=query.employee_no)
    name = f"xapi-statements-{date.today().isoformat()}.jsonl"
    return Response(stream_with_context(xapi.export_lines(stmt)),
                    mimetype="application/x-ndjson",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


_ANY = ["GET", "POST", "PUT", "PATCH", "DELETE"]


# Anything else under /api/v1 is answered in the API's own error format (after the token
# check), rather than by the site's generic 404. Not part of the OpenAPI document.
@bp.route("/", defaults={"path": ""}, methods=_ANY)
@bp.route("/<path:path>", methods=_ANY)
def not_found(path: str):
    adapter = current_app.url_map.bind("localhost")
    allowed = []
    for method in _ANY:
        try:
            endpoint, _args = adapter.match(request.path, method=method)
        except HTTPException:
            continue
        if endpoint != "api.not_found":
            allowed.append(method)
    if allowed:
        raise ApiError(405, "method_not_allowed", f"Use {', '.join(allowed)} here.",
                       headers={"Allow": ", ".join(allowed)})
    raise ApiError(404, "not_found", "There is no such API endpoint.")
