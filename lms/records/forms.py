"""Forms of the training-records pages: assigning a course to team members, the hours
report's filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    FloatField,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    ValidationError,
    widgets,
)
from wtforms.validators import DataRequired, NumberRange, Optional


class PeopleCheckboxes(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class TeamAssignForm(FlaskForm):
    course = SelectField(_l("Course"), coerce=int, validators=[DataRequired(
        message=_l("Choose a course."))])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    people = PeopleCheckboxes(_l("People"), coerce=int, validators=[DataRequired(
        message=_l("Tick at least one person."))])


class HoursFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter: bookmarkable, changes nothing

    unit = SelectField(_l("Org unit (with sub-units)"), coerce=int, default=0,
                       validators=[Optional()])
    job_role = SelectField(_l("Job role"), coerce=int, default=0, validators=[Optional()])
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    target = FloatField(_l("Target hours in the period"),
                        validators=[Optional(), NumberRange(0, 10000)])

    def validate_end(self, field) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end must not be before the start."))


class RoleTargetForm(FlaskForm):
    class Meta:
        csrf = False  # part of the targets form, which carries the token

    role_id = HiddenField()
    hours = FloatField(_l("Yearly hours"), validators=[Optional(), NumberRange(0, 2000)])


class TargetsForm(FlaskForm):
    general = FloatField(_l("Everyone: yearly training hours (学时)"),
                         validators=[Optional(), NumberRange(0, 2000)])
    roles = FieldList(FormField(RoleTargetForm), min_entries=0, max_entries=500)
