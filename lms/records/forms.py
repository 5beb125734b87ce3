"""Forms of the training-records pages: assigning a course to team members, the hours
report's filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, widgets
from wtforms.validators import DataRequired, Optional


class PeopleCheckboxes(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class TeamAssignForm(FlaskForm):
    course = SelectField(_l("Course"), coerce=int, validators=[DataRequired(
        message=_l("Choose a course."))])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    people = PeopleCheckboxes(_l("People"), coerce=int, validators=[DataRequired(
        message=_l("Tick at least one person."))])
