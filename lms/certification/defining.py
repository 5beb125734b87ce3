"""Defining certifications: codes, names, validity and requirements (checked through the
registry), and the lookups the pages use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms.certification import state as award_state
from lms.certification.models import Award, Certification, CertRequirement
from lms.core import audit, requirements
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User


def _check_requirement(kind: str, ref: str, field_name: str) -> None:
    if not requirements.get(kind).exists(ref):
        raise ServiceError(_l("No %(kind)s “%(ref)s” exists.", kind=kind, ref=ref),
                           field=field_name)


def _in_use(cert: Certification) -> str | None:
    """What refers to this certification by its code (so the code must not change)."""
    from lms.people.models import RoleRequirement

    names = list(db.session.scalars(select(Certification.code).join(CertRequirement).where(
        CertRequirement.kind == "certification", CertRequirement.ref == cert.code)))
    if names:
        return str(_l("required by %(c)s", c=", ".join(sorted(names))))
    if db.session.scalar(select(RoleRequirement.id).where(
            RoleRequirement.kind == "certification", RoleRequirement.ref == cert.code)
            .limit(1)) is not None:
        return str(_l("required by a job role"))
    if db.session.scalar(select(Award.id).where(Award.certification_id == cert.id).limit(1)
                         ) is not None:
        return str(_l("named by issued certificates and their badge links"))
    return None


def _cycle(code: str, needs: list[str]) -> list[str] | None:
    """A path code → … → code if the certifications `needs` (directly or through others)
    require `code` — or None. The graph is read in one query."""
    graph: dict[str, list[str]] = {}
    for owner, ref in db.session.execute(
            select(Certification.code, CertRequirement.ref).join(CertRequirement).where(
                CertRequirement.kind == "certification")):
        graph.setdefault(owner, []).append(ref)
    graph[code] = list(needs)

    def walk(node: str, path: list[str]) -> list[str] | None:
        for nxt in graph.get(node, []):
            if nxt == code:
                return [*path, nxt]
            if nxt not in path:
                found = walk(nxt, [*path, nxt])
                if found:
                    return found
        return None

    for start in needs:
        found = [code, start] if start == code else walk(start, [code, start])
        if found:
            return found
    return None


def check_definition(cert: Certification | None, code: str,
                     requirements: Sequence[tuple[str, str, float | None]],
                     validity_months: int | None = None, recert_window_days: int = 0) -> None:
    """Refuse a definition that would break a reference or a rule, naming the field."""
    clash = db.session.scalar(select(Certification.id).where(Certification.code == code))
    if clash is not None and (cert is None or clash != cert.id):
        raise ServiceError(_l("This code is already used."), field="code")
    if validity_months is not None and recert_window_days > validity_months * 31:
        raise ServiceError(_l("The recertification window is longer than the validity."),
                           field="recert_window_days")
    if cert is not None and code != cert.code:
        used = _in_use(cert)
        if used:
            raise ServiceError(_l("The code %(c)s is in use (%(why)s): it cannot be changed.",
                                  c=cert.code, why=used), field="code")
    if not requirements:
        raise ServiceError(_l("Add at least one requirement."), field="requirements")
    seen = set()
    for i, (kind, ref, _score) in enumerate(requirements):
        where = f"requirements-{i}-ref"
        if (kind, ref) in seen:
            raise ServiceError(_l("A requirement is listed twice."), field=where)
        seen.add((kind, ref))
        if kind == "certification" and ref == code:
            raise ServiceError(_l("A certification cannot require itself."), field=where)
        _check_requirement(kind, ref, where)
        if kind == "certification":
            target = certification_by_code(ref)
            if target is not None and not target.active:
                raise ServiceError(_l("The certification %(c)s is retired: it cannot be "
                                      "required.", c=ref), field=where)
    needs = [ref for kind, ref, _s in requirements if kind == "certification"]
    path = _cycle(code, needs)
    if path:
        i = next(i for i, (kind, ref, _s) in enumerate(requirements)
                 if kind == "certification" and ref == path[1])
        raise ServiceError(_l("This would make a cycle: %(p)s.", p=" → ".join(path)),
                           field=f"requirements-{i}-ref")


def save_certification(cert: Certification | None, *, code: str, name_zh: str, name_en: str,
                       description_zh: str, description_en: str, validity_months: int | None,
                       recert_window_days: int,
                       requirements: Sequence[tuple[str, str, float | None]],
                       actor: User | None) -> Certification:
    code = code.strip().upper()
    check_definition(cert, code, requirements, validity_months, recert_window_days)
    created = cert is None
    cert = cert or Certification(code=code)
    cert.code, cert.name_zh, cert.name_en = code, name_zh.strip(), name_en.strip()
    cert.description_zh = (description_zh or "").strip()
    cert.description_en = (description_en or "").strip()
    cert.validity_months, cert.recert_window_days = validity_months, recert_window_days
    cert.requirements.clear()
    db.session.add(cert)
    db.session.flush()
    for pos, (kind, ref, score) in enumerate(requirements):
        cert.requirements.append(CertRequirement(kind=kind, ref=ref, min_score=score,
                                                 position=pos))
    audit.record("certification_defined" if created else "certification_updated", actor=actor,
                 target=cert)
    db.session.commit()
    return cert


def certification_by_code(code: str) -> Certification | None:
    return db.session.scalar(select(Certification).where(Certification.code == code))


def holder_counts() -> dict[int, int]:
    return dict(db.session.execute(select(Award.certification_id, func.count(Award.id)).where(
        award_state.counts_sql()).group_by(Award.certification_id)).all())




# --- who would qualify: the preview HR sees before saving ---------------------------------

@dataclass
class Preview:
    awarded: list[User] = field(default_factory=list)  # would be awarded now
    losing: list[User] = field(default_factory=list)  # met the old rules, not the new
    holders: int = 0  # already hold it (keep their awards)
    held_back: int = 0  # would qualify but are on a revocation hold
    awarded_count: int = 0
    losing_count: int = 0
    shown: int = 200  # names listed per group; the counts are complete


def _meeting(user_ids: list[int], reqs: list[requirements.Requirement]) -> set[int]:
    if not reqs or not user_ids:
        return set()
    outcomes = requirements.check_many(user_ids, reqs)
    return {uid for uid in user_ids if all(outcomes[(uid, r)].met for r in reqs)}


def preview(cert: Certification | None, code: str,
            reqs: Sequence[tuple[str, str, float | None]], validity_months: int | None = None,
            recert_window_days: int = 0) -> Preview:
    """Who the definition would award and who would lose eligibility, for every active
    person, in bulk (`requirements.check_many`: a fixed number of queries per kind)."""
    from lms.certification.models import AwardHold

    check_definition(cert, code.strip().upper(), reqs, validity_months, recert_window_days)
    people = list(db.session.scalars(select(User.id).where(User.active.is_(True))))
    new = _meeting(people, [requirements.Requirement(k, r, s) for k, r, s in reqs])
    old = _meeting(people, [requirements.Requirement(r.kind, r.ref, r.min_score)
                            for r in cert.requirements]) if cert is not None else set()
    holding: set[int] = set()
    blocked: set[int] = set()
    if cert is not None:
        holding = set(db.session.scalars(select(Award.user_id).where(
            Award.certification_id == cert.id, award_state.counts_sql())))
        blocked = set(db.session.scalars(select(AwardHold.user_id).where(
            AwardHold.certification_id == cert.id, AwardHold.lifted_at.is_(None))))
    award_ids = sorted(new - holding - blocked)
    losing_ids = sorted(old - new)
    out = Preview(holders=len(holding), held_back=len(new & blocked - holding))

    def named(ids: list[int]) -> list[User]:
        shown = ids[:out.shown]
        return list(db.session.scalars(select(User).where(User.id.in_(shown))
                                       .order_by(User.employee_no))) if shown else []

    out.awarded, out.losing = named(award_ids), named(losing_ids)
    out.awarded_count, out.losing_count = len(award_ids), len(losing_ids)
    return out


def qualifying(cert: Certification) -> list[int]:
    """Active people who meet the certification's requirements now and do not hold it."""
    people = list(db.session.scalars(select(User.id).where(User.active.is_(True))))
    met = _meeting(people, [requirements.Requirement(r.kind, r.ref, r.min_score)
                            for r in cert.requirements])
    holding = set(db.session.scalars(select(Award.user_id).where(
        Award.certification_id == cert.id, award_state.counts_sql())))
    return sorted(met - holding)


# --- retiring ------------------------------------------------------------------------------

def retire(cert: Certification, actor: User, reason: str) -> None:
    """No new awards; existing awards keep their dates; hidden from pickers and matrices;
    its badge class still answers."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_l("Give the reason for retiring."), field="reason")
    if not cert.active:
        raise ServiceError(_l("This certification is already retired."), field="reason")
    needed_by = list(db.session.scalars(select(Certification.code).join(CertRequirement).where(
        CertRequirement.kind == "certification", CertRequirement.ref == cert.code,
        Certification.active.is_(True))))
    if needed_by:
        raise ServiceError(_l("Active certifications require it (%(c)s): change them first.",
                              c=", ".join(sorted(needed_by))), field="reason")
    cert.active = False
    audit.record("certification_retired", actor=actor, target=cert, reason=reason)
    db.session.commit()


def reinstate(cert: Certification, actor: User, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_l("Give the reason for bringing it back."), field="reason")
    cert.active = True
    audit.record("certification_reinstated", actor=actor, target=cert, reason=reason)
    db.session.commit()
