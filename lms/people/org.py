"""The organisation tree and the catalogue of job roles."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from lms.core import audit
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import ORG_KINDS, JobRole, OrgUnit, User

# A child's kind must come after its parent's in this order.
_KIND_RANK = {kind: i for i, kind in enumerate(ORG_KINDS)}


def subtree_ids(unit: OrgUnit) -> Select:
    """A select of the ids of `unit` and every unit below it."""
    return select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path))


def ordered_units() -> list[OrgUnit]:
    """All units in tree order (parents before children)."""
    return list(db.session.scalars(select(OrgUnit).order_by(OrgUnit.path)))


def depth(unit: OrgUnit) -> int:
    return unit.path.count("/") - 2


def _check_code(model, code: str, exclude_id: int | None) -> None:
    stmt = select(model.id).where(model.code == code)
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    if db.session.scalar(stmt) is not None:
        raise ServiceError(_l("This code is already used."), field="code")


def _check_parent(kind: str, parent: OrgUnit | None, unit: OrgUnit | None = None) -> None:
    if kind not in _KIND_RANK:
        raise ServiceError(_l("Unknown kind."), field="kind")
    if parent is None:
        if kind != "company":
            raise ServiceError(_l("Only a company may stand without a parent unit."),
                               field="parent")
        return
    if unit is not None and parent.path.startswith(unit.path):
        raise ServiceError(_l("A unit cannot be placed under itself."), field="parent")
    if _KIND_RANK[kind] <= _KIND_RANK[parent.kind]:
        raise ServiceError(_l("A unit must be of a lower level than its parent."), field="kind")


def create_unit(*, code: str, name_zh: str, name_en: str, kind: str,
                parent: OrgUnit | None, actor: User | None = None) -> OrgUnit:
    code = code.strip().upper()
    _check_code(OrgUnit, code, None)
    _check_parent(kind, parent)
    unit = OrgUnit(code=code, name_zh=name_zh.strip(), name_en=name_en.strip(), kind=kind,
                   parent=parent)
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    audit.record("org_unit_created", actor=actor, target=unit)
    db.session.commit()
    return unit


def update_unit(unit: OrgUnit, *, code: str, name_zh: str, name_en: str, kind: str,
                parent: OrgUnit | None, actor: User | None = None) -> None:
    code = code.strip().upper()
    _check_code(OrgUnit, code, unit.id)
    _check_parent(kind, parent, unit)
    old_path = unit.path
    unit.code, unit.name_zh, unit.name_en, unit.kind = code, name_zh.strip(), name_en.strip(), kind
    unit.parent = parent
    new_path = f"{parent.path if parent else '/'}{unit.id}/"
    if new_path != old_path:
        for child in db.session.scalars(select(OrgUnit).where(OrgUnit.path.startswith(old_path))):
            child.path = new_path + child.path[len(old_path):]
    audit.record("org_unit_updated", actor=actor, target=unit)
    db.session.commit()


def save_job_role(role: JobRole | None, *, code: str, name_zh: str, name_en: str,
                  description_zh: str = "", description_en: str = "",
                  actor: User | None = None) -> JobRole:
    code = code.strip().lower()
    _check_code(JobRole, code, role.id if role else None)
    created = role is None
    role = role or JobRole()
    role.code, role.name_zh, role.name_en = code, name_zh.strip(), name_en.strip()
    role.description_zh = (description_zh or "").strip()
    role.description_en = (description_en or "").strip()
    db.session.add(role)
    db.session.flush()
    audit.record("job_role_created" if created else "job_role_updated", actor=actor, target=role)
    db.session.commit()
    return role


def rollup(own: dict[int, list[float]], scope: OrgUnit | None = None,
           width: int = 1) -> list[tuple[OrgUnit, list[float]]]:
    """Figures per unit summed up the tree: each unit's row is its own people plus everyone
    in its sub-units. `own` maps a unit id to its own figures (a list of `width` numbers);
    returns units (within `scope`) with anyone in their subtree, in tree order."""
    totals: dict[int, list[float]] = {}
    units = {u.id: u for u in ordered_units()}
    for unit_id, figures in own.items():
        unit = units.get(unit_id)
        if unit is None:
            continue
        for part in unit.path.strip("/").split("/"):
            if not part:
                continue
            row = totals.setdefault(int(part), [0.0] * width)
            for i, value in enumerate(figures):
                row[i] += value
    return [(u, totals[u.id]) for u in units.values() if u.id in totals
            and (scope is None or u.path.startswith(scope.path))]
