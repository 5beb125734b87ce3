"""Readiness for a job role, derived from the role's requirements (never typed in).

A role's requirements (RoleRequirement rows, in learning-path order) are certifications,
courses and practice scores, each required or recommended. Readiness is the share of the
required items met. Everything here works in bulk — a fixed number of queries whatever the
number of people and roles — so the rotation board and the skills matrix stay fast.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.catalog.learning_models import Enrollment
from lms.catalog.models import Course
from lms.certification.models import Award, Certification, RoleRequirement
from lms.extensions import db
from lms.people.models import JobRole

# kind → fn(user_ids) -> {(user_id, ref): best score}; practice registers "scenario".
BULK_SCORES: dict[str, Callable[[list[int]], dict[tuple[int, str], float]]] = {}


@dataclass
class Item:
    requirement: RoleRequirement
    met: bool
    detail: Any  # a lazy translated string: only pages that show it pay for translating it


@dataclass
class Readiness:
    role: JobRole
    items: list[Item] = field(default_factory=list)

    @property
    def required(self) -> list[Item]:
        return [i for i in self.items if i.requirement.required]

    @property
    def percent(self) -> int:
        req = self.required
        if not req:
            return 100
        return int(round(100 * sum(i.met for i in req) / len(req)))

    @property
    def gaps(self) -> list[Item]:
        return [i for i in self.required if not i.met]

    @property
    def next_step(self) -> Item | None:
        return next((i for i in self.items if not i.met), None)


@dataclass
class Evidence:
    """What a set of people has achieved, loaded in a few queries."""

    courses: dict[int, set[str]]  # user → completed course codes
    enrolled: dict[int, set[str]]  # user → enrolled, not completed course codes
    certs: dict[int, set[str]]  # user → validly held certification codes
    scores: dict[str, dict[tuple[int, str], float]]  # kind → (user, ref) → best score


def requirements_by_role(role_ids: Iterable[int] | None = None) -> dict[int, list[RoleRequirement]]:
    stmt = select(RoleRequirement).order_by(RoleRequirement.job_role_id,
                                            RoleRequirement.position, RoleRequirement.id)
    if role_ids is not None:
        stmt = stmt.where(RoleRequirement.job_role_id.in_(list(role_ids)))
    out: dict[int, list[RoleRequirement]] = defaultdict(list)
    for req in db.session.scalars(stmt):
        out[req.job_role_id].append(req)
    return out


def load_evidence(user_ids: list[int], at: datetime | None = None) -> Evidence:
    at = at or datetime.now(UTC)
    courses: dict[int, set[str]] = defaultdict(set)
    enrolled: dict[int, set[str]] = defaultdict(set)
    certs: dict[int, set[str]] = defaultdict(set)
    if user_ids:
        for uid, code, done in db.session.execute(
                select(Enrollment.user_id, Course.code, Enrollment.completed_at)
                .join(Course).where(Enrollment.user_id.in_(user_ids))):
            (courses if done else enrolled)[uid].add(code)
        for uid, code in db.session.execute(
                select(Award.user_id, Certification.code).join(Certification).where(
                    Award.user_id.in_(user_ids), Award.status == "active",
                    (Award.expires_at.is_(None)) | (Award.expires_at > at))):
            certs[uid].add(code)
    scores = {kind: fn(user_ids) if user_ids else {} for kind, fn in BULK_SCORES.items()}
    return Evidence(courses, enrolled, certs, scores)


def _item(req: RoleRequirement, uid: int, ev: Evidence) -> Item:
    if req.kind == "certification":
        if req.ref in ev.certs.get(uid, ()):
            return Item(req, True, _l("holds %(c)s", c=req.ref))
        return Item(req, False, _l("certification %(c)s not held", c=req.ref))
    if req.kind == "course":
        if req.ref in ev.courses.get(uid, ()):
            return Item(req, True, _l("course %(c)s completed", c=req.ref))
        if req.ref in ev.enrolled.get(uid, ()):
            return Item(req, False, _l("course %(c)s in progress", c=req.ref))
        return Item(req, False, _l("course %(c)s not started", c=req.ref))
    best = ev.scores.get(req.kind, {}).get((uid, req.ref))
    mark = req.min_score or 0
    if best is None:
        return Item(req, False, _l("practice %(r)s not yet scored", r=req.ref))
    if best < mark:
        return Item(req, False, _l("practice score %(s)g < %(m)g", s=best, m=mark))
    return Item(req, True, _l("practice score %(s)g ≥ %(m)g", s=best, m=mark))


def readiness(uid: int, role: JobRole, reqs: list[RoleRequirement], ev: Evidence) -> Readiness:
    return Readiness(role, [_item(r, uid, ev) for r in reqs])


def for_person(user_id: int, role: JobRole) -> Readiness:
    reqs = requirements_by_role([role.id]).get(role.id, [])
    return readiness(user_id, role, reqs, load_evidence([user_id]))


def matrix(user_ids: list[int], roles: list[JobRole]) -> dict[tuple[int, int], int]:
    """(user id, role id) → readiness percent, in a fixed number of queries."""
    reqs = requirements_by_role([r.id for r in roles])
    ev = load_evidence(user_ids)
    return {(uid, role.id): readiness(uid, role, reqs.get(role.id, []), ev).percent
            for uid in user_ids for role in roles}


def certification_detail(user_id: int, code: str) -> list[str]:
    """What a certification gap needs next, e.g. "quiz passed, practice score 62 < 75"."""
    from lms.certification import rules as certification

    cert = certification.certification_by_code(code)
    if cert is None:
        return []
    return [c.detail for c in certification.evaluate(user_id, cert)]


def save_path(role: JobRole, items: list[tuple[str, str, float | None, bool]], actor) -> None:
    """Replace a job role's learning path: (kind, ref, min score, required) in order."""
    from lms.catalog.models import Course
    from lms.certification.models import Certification
    from lms.core import audit
    from lms.core.errors import ServiceError

    seen = set()
    for i, (kind, ref, _score, _required) in enumerate(items):
        if kind not in ("certification", "course", "scenario"):
            raise ServiceError(_l("Unknown kind."), field=f"items-{i}-kind")
        if (kind, ref) in seen:
            raise ServiceError(_l("A requirement is listed twice."), field=f"items-{i}-ref")
        seen.add((kind, ref))
        model = {"certification": Certification, "course": Course}.get(kind)
        if model is not None and db.session.scalar(select(model.id).where(
                model.code == ref)) is None:
            raise ServiceError(_l("No %(kind)s “%(ref)s” exists.", kind=kind, ref=ref),
                               field=f"items-{i}-ref")
        if kind == "scenario":
            from lms.practice.models import Scenario

            if db.session.scalar(select(Scenario.id).where(Scenario.code == ref)) is None:
                raise ServiceError(_l("No %(kind)s “%(ref)s” exists.", kind=kind, ref=ref),
                                   field=f"items-{i}-ref")
    for old in db.session.scalars(select(RoleRequirement).where(
            RoleRequirement.job_role_id == role.id)):
        db.session.delete(old)
    db.session.flush()
    for pos, (kind, ref, score, required) in enumerate(items):
        db.session.add(RoleRequirement(job_role_id=role.id, kind=kind, ref=ref, min_score=score,
                                       required=required, position=pos))
    audit.record("role_path_saved", actor=actor, target=role, items=len(items))
    db.session.commit()
