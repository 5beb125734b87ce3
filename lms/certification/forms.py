from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    FloatField,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from lms.core import requirements

# The kinds a certification may require, in the order the select shows them.
CERT_KINDS = ("course", "quiz", "scenario", "certification", "class")


def requirement_kinds():
    return requirements.choices(CERT_KINDS, _l("— none —"))


class RequirementForm(FlaskForm):
    class Meta:
        csrf = False  # part of the certification form, which carries the token

    kind = SelectField(_l("Kind"), choices=requirement_kinds, default="")
    ref = StringField(_l("Course code, COURSE/quiz, scenario or certification code"),
                      validators=[Optional(), Length(max=80)])
    min_score = FloatField(_l("Minimum score"), validators=[Optional(), NumberRange(0, 100)])


class CertificationForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32), Regexp(
        r"^[A-Za-z0-9_-]+$", message=_l("Use letters, digits, '-' and '_' only."))])
    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    description_zh = TextAreaField(_l("Description (Chinese)"),
                                   validators=[Optional(), Length(max=2000)])
    description_en = TextAreaField(_l("Description (English)"),
                                   validators=[Optional(), Length(max=2000)])
    validity_months = IntegerField(_l("Valid for (months; empty = no expiry)"),
                                   validators=[Optional(), NumberRange(1, 240)])
    recert_window_days = IntegerField(_l("Recertification window (days before expiry)"),
                                      default=60, validators=[DataRequired(),
                                                              NumberRange(1, 3650)])
    requirements = FieldList(FormField(RequirementForm), min_entries=5, max_entries=20)

    def validate_requirements(self, field):
        for entry in field.entries:
            kind, ref = entry.form.kind.data, (entry.form.ref.data or "").strip()
            if kind and not ref:
                entry.form.ref.errors.append(_l("Say which one."))
                raise ValidationError(_l("A requirement lacks its reference."))
            if ref and not kind:
                entry.form.kind.errors.append(_l("Choose the kind."))
                raise ValidationError(_l("A requirement lacks its kind."))

    def requirement_rows(self) -> list[tuple[str, str, float | None]]:
        rows = []
        for entry in self.requirements.entries:
            kind, ref = entry.form.kind.data, (entry.form.ref.data or "").strip()
            if kind and ref:
                ref = ref if kind in ("scenario",) else ref.upper() if kind != "quiz" else \
                    ref.partition("/")[0].upper() + "/" + ref.partition("/")[2]
                rows.append((kind, ref, entry.form.min_score.data))
        return rows


class IssueForm(FlaskForm):
    employee_no = StringField(_l("Employee number"), validators=[DataRequired(), Length(max=32)])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class RevokeForm(FlaskForm):
    reason = StringField(_l("Reason for revoking"), validators=[DataRequired(),
                                                                Length(max=500)])


class LiftHoldForm(FlaskForm):
    reason = StringField(_l("Reason for lifting the hold"), validators=[DataRequired(),
                                                                        Length(max=500)])


class RetireForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
