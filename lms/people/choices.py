"""Form pieces used by more than one blueprint (choices built from the database)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField
from wtforms.validators import Optional

from lms.extensions import db
from lms.i18n import localized
from lms.people.models import JobRole
from lms.people.org import depth, ordered_units


def unit_choices(blank: str | None = None) -> list[tuple[int, str]]:
    choices = [(0, blank)] if blank is not None else []
    for unit in ordered_units():
        choices.append((unit.id, "\u2003" * depth(unit) + localized(unit, "name")))
    return choices


def job_role_choices(blank: str | None = None) -> list[tuple[int, str]]:
    choices = [(0, blank)] if blank is not None else []
    roles = db.session.scalars(select(JobRole).order_by(JobRole.code))
    choices.extend((r.id, localized(r, "name")) for r in roles)
    return choices


class UnitSelect(SelectField):
    """A select of org units by id; 0 means none/all."""

    def __init__(self, label=None, **kw):
        kw.setdefault("coerce", int)
        kw.setdefault("default", 0)
        super().__init__(label or _l("Org unit"), **kw)


class ComplianceFilterForm(FlaskForm):
    class Meta:
        csrf = False

    unit = SelectField(_l("Org unit (with sub-units)"), coerce=int, default=0,
                       validators=[Optional()])
    job_role = SelectField(_l("Job role"), coerce=int, default=0, validators=[Optional()])
    certification = SelectField(_l("Certification"), coerce=int, default=0,
                                validators=[Optional()])
    days = SelectField(_l("Expiring within"), coerce=int, default=90,
                       choices=[(30, "30"), (60, "60"), (90, "90")])
