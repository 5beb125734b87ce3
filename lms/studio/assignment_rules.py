"""Assigning courses to people: chosen people, an org unit (with its sub-units) or a job role,
once or as a standing rule that also reaches everyone who joins the unit or role later.

Rules are applied when a rule is created, when a user is created or moves to another unit or
job role (hooks in services/accounts.py), and by `flask lms apply-assignment-rules` (which
catches up on anything else, e.g. a roster import that only moved people between units).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from lms.catalog import learning
from lms.catalog.learning_models import Enrollment
from lms.catalog.models import Course
from lms.core import audit, events
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import JobRole, OrgUnit, User
from lms.people.org import subtree_ids
from lms.studio.editors import require_edit
from lms.studio.models import AssignmentRule

# --- who ---------------------------------------------------------------------------------

def people_by_employee_nos(text: str) -> tuple[list[User], list[str]]:
    """Active users for employee numbers separated by spaces, commas or new lines;
    also the numbers that match no one."""
    wanted = [n for n in re.split(r"[\s,;，；]+", text or "") if n]
    if not wanted:
        return [], []
    found = {u.employee_no: u for u in db.session.scalars(select(User).where(
        User.employee_no.in_(wanted), User.active.is_(True)))}
    people = list(dict.fromkeys(found[n] for n in wanted if n in found))
    return people, [n for n in dict.fromkeys(wanted) if n not in found]


def people_in_unit(unit: OrgUnit, with_subunits: bool = True) -> list[User]:
    where = User.org_unit_id.in_(subtree_ids(unit)) if with_subunits else \
        User.org_unit_id == unit.id
    return list(db.session.scalars(select(User).where(where, User.active.is_(True))
                                   .order_by(User.employee_no)))


def people_in_role(job_role: JobRole) -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.job_role_id == job_role.id, User.active.is_(True)).order_by(User.employee_no)))


def members(rule: AssignmentRule) -> list[User]:
    if rule.org_unit is not None:
        return people_in_unit(rule.org_unit, rule.include_subunits)
    if rule.job_role is not None:
        return people_in_role(rule.job_role)
    return []


# --- one-off assignment ------------------------------------------------------------------

def assign_people(course: Course, actor: User, *, employee_nos: str = "",
                  unit: OrgUnit | None = None, with_subunits: bool = True,
                  job_role: JobRole | None = None, due: date | None = None) -> tuple[int, int]:
    """Assign the course once to the people chosen (by employee number, unit or role)."""
    require_edit(actor, course)
    if unit is not None:
        people, field = people_in_unit(unit, with_subunits), "unit"
    elif job_role is not None:
        people, field = people_in_role(job_role), "job_role"
    else:
        people, unknown = people_by_employee_nos(employee_nos)
        field = "employee_nos"
        if unknown:
            raise ServiceError(_l("No active user has these employee numbers: %(n)s",
                                  n=", ".join(unknown[:20])), field=field)
    if not people:
        raise ServiceError(_l("No one matches: nobody was assigned."), field=field)
    try:
        return learning.assign(course, people, due, actor, source="assigned")
    except ServiceError as e:
        if e.field == "due_date":
            e.field = "due"
        raise


# --- rules -------------------------------------------------------------------------------

def rules_of(course: Course) -> list[AssignmentRule]:
    return list(db.session.scalars(select(AssignmentRule).where(
        AssignmentRule.course_id == course.id, AssignmentRule.active.is_(True))
        .order_by(AssignmentRule.created_at)))


def create_rule(course: Course, actor: User | None, *, unit: OrgUnit | None = None,
                with_subunits: bool = True, job_role: JobRole | None = None,
                due_days: int | None = None) -> tuple[AssignmentRule, int]:
    """A standing assignment; applied at once to everyone it covers. Returns (rule, added)."""
    require_edit(actor, course)
    if course.status != "published":
        raise ServiceError(_l("Only published courses can be assigned."), field="course")
    if (unit is None) == (job_role is None):
        raise ServiceError(_l("A rule is for one org unit or one job role."), field="target")
    if due_days is not None and not 1 <= due_days <= 3650:
        raise ServiceError(_l("Give between 1 and 3650 days."), field="due_days")
    if unit is not None:
        target_is = AssignmentRule.org_unit_id == unit.id
        target = f"unit {unit.code}{' +' if with_subunits else ''}"
    else:
        assert job_role is not None  # exactly one of the two (checked above)
        target_is = AssignmentRule.job_role_id == job_role.id
        target = f"role {job_role.code}"
    same = db.session.scalar(select(AssignmentRule).where(
        AssignmentRule.course_id == course.id, AssignmentRule.active.is_(True), target_is))
    if same is not None:
        raise ServiceError(_l("This rule already exists."), field="target")
    rule = AssignmentRule(course_id=course.id, org_unit_id=unit.id if unit else None,
                          include_subunits=bool(with_subunits) if unit else False,
                          job_role_id=job_role.id if job_role else None, due_days=due_days,
                          created_by_id=actor.id if actor else None)
    db.session.add(rule)
    db.session.flush()
    audit.record("assignment_rule_created", actor=actor, target=course, change="rule_created",
                 item=target, due_days=due_days)
    added = _apply(rule, members(rule))
    db.session.commit()
    return rule, added


def delete_rule(course: Course, actor: User | None, public_id: str) -> None:
    """Stop applying a rule to newcomers (who was assigned stays assigned)."""
    require_edit(actor, course)
    rule = db.session.scalar(select(AssignmentRule).where(
        AssignmentRule.course_id == course.id, AssignmentRule.public_id == public_id,
        AssignmentRule.active.is_(True)))
    if rule is None:
        raise ServiceError(_l("This rule no longer exists."))
    rule.active = False
    target = f"unit {rule.org_unit.code}" if rule.org_unit else \
        f"role {rule.job_role.code if rule.job_role else '?'}"
    audit.record("assignment_rule_removed", actor=actor, target=course, change="rule_removed",
                 item=target)
    db.session.commit()


def _apply(rule: AssignmentRule, people: list[User]) -> int:
    """Enrol whoever the rule covers and is not on the course yet (no commit)."""
    course = rule.course
    if course.status != "published" or not people:
        return 0
    existing = {e.user_id: e for e in db.session.scalars(select(Enrollment).where(
        Enrollment.course_id == course.id, Enrollment.user_id.in_([u.id for u in people])))}
    due = date.today() + timedelta(days=rule.due_days) if rule.due_days else None
    new = []
    for user in people:
        enrollment = existing.get(user.id)
        if enrollment is None:
            db.session.add(Enrollment(user_id=user.id, course_id=course.id, source="rule",
                                      due_date=due, assigned_by_id=rule.created_by_id))
            new.append(user)
        elif enrollment.source == "self" and enrollment.completed_at is None:
            enrollment.source, enrollment.due_date = "rule", due
    if new:
        _notify(course, new, due)
        audit.record("course_assigned", target=course, people=len(new), rule=rule.public_id,
                     due=due.isoformat() if due else None)
    return len(new)


def _notify(course: Course, users: list[User], due: date | None) -> None:
    from lms.notifications.notify import notify

    for user in users:
        title = str(_l("New course assigned: %(t)s", t=course.title_zh))
        body = str(_l("Due %(d)s", d=due.isoformat())) if due else ""
        notify(user, "assignment", title, body, link=f"/learn/courses/{course.code}")


def _rules_for(user: User) -> list[AssignmentRule]:
    conditions = []
    if user.job_role_id:
        conditions.append(AssignmentRule.job_role_id == user.job_role_id)
    unit = user.org_unit
    if unit is not None and unit.id is not None:
        ancestors = [int(x) for x in (unit.path or "").strip("/").split("/") if x.isdigit()]
        conditions.append(AssignmentRule.org_unit_id == unit.id)
        others = [a for a in ancestors if a != unit.id]
        if others:
            conditions.append(AssignmentRule.org_unit_id.in_(others)
                              & AssignmentRule.include_subunits.is_(True))
    if not conditions:
        return []
    return list(db.session.scalars(select(AssignmentRule).join(Course).where(
        AssignmentRule.active.is_(True), Course.status == "published", or_(*conditions))))


def apply_rules_for_user(user: User) -> int:
    """Give `user` every course a rule of their unit or job role assigns (no commit: called
    from the account services inside their transaction)."""
    if user.id is None or user.active is False:
        return 0
    return sum(_apply(rule, [user]) for rule in _rules_for(user))


@events.on("person_placed")
def _after_person_placed(user_id: int, **_kw: object) -> None:
    """A person joined, moved unit or changed job role: the rules for them apply."""
    user = db.session.get(User, user_id)
    if user is not None:
        apply_rules_for_user(user)


def active_rules() -> list[AssignmentRule]:
    return list(db.session.scalars(select(AssignmentRule).join(Course).where(
        AssignmentRule.active.is_(True), Course.status == "published")
        .order_by(AssignmentRule.id)))


def apply_all_rules(rules=None) -> int:
    """Apply every active rule to everyone it covers now; returns the people newly enrolled."""
    added = 0
    for rule in active_rules() if rules is None else rules:
        added += _apply(rule, members(rule))
        db.session.commit()
    return added


__all__ = ["active_rules", "apply_all_rules", "apply_rules_for_user", "assign_people",
           "create_rule", "delete_rule", "members", "people_by_employee_nos", "people_in_role",
           "people_in_unit", "rules_of"]
