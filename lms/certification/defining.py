"""Defining certifications: codes, names, validity and requirements (checked through the
registry), and the lookups the pages use."""

from __future__ import annotations

from collections.abc import Sequence

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


def save_certification(cert: Certification | None, *, code: str, name_zh: str, name_en: str,
                       description_zh: str, description_en: str, validity_months: int | None,
                       recert_window_days: int,
                       requirements: Sequence[tuple[str, str, float | None]],
                       actor: User | None) -> Certification:
    code = code.strip().upper()
    clash = db.session.scalar(select(Certification.id).where(Certification.code == code))
    if clash is not None and (cert is None or clash != cert.id):
        raise ServiceError(_l("This code is already used."), field="code")
    if validity_months is not None and recert_window_days > validity_months * 31:
        raise ServiceError(_l("The recertification window is longer than the validity."),
                           field="recert_window_days")
    if not requirements:
        raise ServiceError(_l("Add at least one requirement."), field="requirements")
    seen = set()
    for i, (kind, ref, _score) in enumerate(requirements):
        if (kind, ref) in seen:
            raise ServiceError(_l("A requirement is listed twice."), field=f"requirements-{i}-ref")
        seen.add((kind, ref))
        if kind == "certification" and ref == code:
            raise ServiceError(_l("A certification cannot require itself."),
                               field=f"requirements-{i}-ref")
        _check_requirement(kind, ref, f"requirements-{i}-ref")
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


