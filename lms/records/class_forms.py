"""Forms of the classroom-course pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from lms.records.forms import PeopleCheckboxes


class ClassForm(FlaskForm):
    code = StringField(_l("Class code"), validators=[
        DataRequired(), Length(max=32),
        Regexp(r"^[A-Za-z0-9-]+$", message=_l("Letters, digits and hyphens only."))])
    title_zh = StringField(_l("Title (Chinese)"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=200)])
    course_code = StringField(_l("Course it belongs to (code, optional)"),
                              validators=[Optional(), Length(max=32)])
    capacity = IntegerField(_l("Capacity (seats)"), default=30,
                            validators=[DataRequired(), NumberRange(1, 1000)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])


class SessionForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired()])
    start = TimeField(_l("Start time"), validators=[DataRequired()])
    minutes = IntegerField(_l("Length (minutes)"), default=90,
                           validators=[DataRequired(), NumberRange(5, 600)])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    trainer = StringField(_l("Trainer"), validators=[Optional(), Length(max=100)])


class NominateForm(FlaskForm):
    employee_nos = TextAreaField(_l("Employee numbers (one per line or separated by commas)"),
                                 validators=[DataRequired(), Length(max=20000)])


class AttendanceForm(FlaskForm):
    present = PeopleCheckboxes(_l("Present"), coerce=int, validators=[Optional()])


class CheckInForm(FlaskForm):
    code = StringField(_l("Check-in code shown in the room"),
                       validators=[DataRequired(), Length(max=12)])
