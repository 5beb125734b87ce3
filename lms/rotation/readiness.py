"""Readiness for a job role, derived from the role's requirements (never typed in).

A role's requirements (RoleRequirement rows, in learning-path order) are certifications,
courses and practice scores, each required or recommended; each is checked by its kind in
the one registry (`lms.core.requirements`). Readiness is the share of the required items
met. Everything here works in bulk — a fixed number of queries whatever the number of
people and roles — so the rotation board and the skills matrix stay fast.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.core import requirements
from lms.core.requirements import Key, Outcome, Requirement
from lms.extensions import db
from lms.people.models import JobRole, RoleRequirement

Evidence = dict[Key, Outcome]
# The kinds a job role's learning path may name.
ROLE_KINDS = ("certification", "course", "scenario", "class")


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


def as_requirement(req: RoleRequirement) -> Requirement:
    return Requirement(req.kind, req.ref, req.min_score)


def requirements_by_role(role_ids: Iterable[int] | None = None) -> dict[int, list[RoleRequirement]]:
    stmt = select(RoleRequirement).order_by(RoleRequirement.job_role_id,
                                            RoleRequirement.position, RoleRequirement.id)
    if role_ids is not None:
        stmt = stmt.where(RoleRequirement.job_role_id.in_(list(role_ids)))
    out: dict[int, list[RoleRequirement]] = defaultdict(list)
    for req in db.session.scalars(stmt):
        out[req.job_role_id].append(req)
    return out


def load_evidence(user_ids: list[int], reqs: Iterable[RoleRequirement]) -> Evidence:
    """Every person's outcome for every requirement, one batch per kind."""
    return requirements.check_many(user_ids, [as_requirement(r) for r in reqs])


def _item(req: RoleRequirement, uid: int, ev: Evidence) -> Item:
    outcome = ev[(uid, as_requirement(req))]
    return Item(req, outcome.met, outcome.detail)


def readiness(uid: int, role: JobRole, reqs: list[RoleRequirement], ev: Evidence) -> Readiness:
    return Readiness(role, [_item(r, uid, ev) for r in reqs])


def for_person(user_id: int, role: JobRole) -> Readiness:
    reqs = requirements_by_role([role.id]).get(role.id, [])
    return readiness(user_id, role, reqs, load_evidence([user_id], reqs))


def matrix(user_ids: list[int], roles: list[JobRole]) -> dict[tuple[int, int], int]:
    """(user id, role id) → readiness percent, in a fixed number of queries."""
    reqs = requirements_by_role([r.id for r in roles])
    ev = load_evidence(user_ids, [r for rs in reqs.values() for r in rs])
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
    from lms.core import audit
    from lms.core.errors import ServiceError

    seen = set()
    for i, (kind, ref, _score, _required) in enumerate(items):
        if kind not in ROLE_KINDS:
            raise ServiceError(_l("Unknown kind."), field=f"items-{i}-kind")
        if (kind, ref) in seen:
            raise ServiceError(_l("A requirement is listed twice."), field=f"items-{i}-ref")
        seen.add((kind, ref))
        if not requirements.get(kind).exists(ref):
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
