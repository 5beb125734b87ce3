"""Forms of the rotation pages: a job role's learning path."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FloatField, FormField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from lms.core import requirements


def path_kinds():
    from lms.rotation.readiness import ROLE_KINDS

    return requirements.choices(ROLE_KINDS, _l("— none —"))


class PathItemForm(FlaskForm):
    class Meta:
        csrf = False  # part of the path form, which carries the token

    kind = SelectField(_l("Kind"), choices=path_kinds, default="")
    ref = StringField(_l("Certification code, course code or scenario"),
                      validators=[Optional(), Length(max=80)])
    min_score = FloatField(_l("Minimum score"), validators=[Optional(), NumberRange(0, 100)])
    required = SelectField(_l("Status"), choices=[("1", _l("required")),
                                                  ("0", _l("recommended"))], default="1")


class RolePathForm(FlaskForm):
    items = FieldList(FormField(PathItemForm), min_entries=8, max_entries=30)

    def rows(self) -> list[tuple[str, str, float | None, bool]]:
        out = []
        for entry in self.items.entries:
            kind, ref = entry.form.kind.data, (entry.form.ref.data or "").strip()
            if kind and ref:
                ref = ref if kind == "scenario" else ref.upper()
                out.append((kind, ref, entry.form.min_score.data, entry.form.required.data == "1"))
            elif kind or ref:
                (entry.form.ref if kind else entry.form.kind).errors.append(
                    _l("Fill in both the kind and what it refers to."))
        return out
