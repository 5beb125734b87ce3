from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

CODE = Regexp(r"^[A-Za-z0-9_-]+$", message=_l("Use letters, digits, '-' and '_' only."))


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def role_choices():
    return [("trainer", _l("Trainer")), ("manager", _l("Manager")), ("hr", _l("HR")),
            ("admin", _l("Administrator"))]


class UserForm(FlaskForm):
    employee_no = StringField(_l("Employee number"), validators=[
        DataRequired(), Length(max=32), CODE])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(), Email(check_deliverability=False), Length(max=255)])
    org_unit = SelectField(_l("Org unit"), coerce=int, default=0)
    job_role = SelectField(_l("Job role"), coerce=int, default=0)
    roles = MultiCheckboxField(_l("Platform roles (everyone is a learner)"),
                               choices=role_choices, validate_choice=True)
    active = BooleanField(_l("Active (may sign in)"), default=True)


class NewUserForm(UserForm):
    password = StringField(_l("Initial password"), validators=[DataRequired(), Length(max=128)],
                           description=_l("At least 10 characters with letters and digits. "
                                          "Give it to the person; they should change it."))


class ConfirmForm(FlaskForm):
    """A bare POST form: the CSRF token is the point."""


def kind_choices():
    return [("company", _l("Company")), ("branch", _l("Branch")),
            ("division", _l("Division")), ("team", _l("Team"))]


class OrgUnitForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32), CODE])
    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Level"), choices=kind_choices)
    parent = SelectField(_l("Parent unit"), coerce=int, default=0)


class JobRoleForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32), CODE])
    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=120)])
    description_zh = TextAreaField(_l("Description (Chinese)"),
                                   validators=[Optional(), Length(max=500)])
    description_en = TextAreaField(_l("Description (English)"),
                                   validators=[Optional(), Length(max=500)])


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=80)])
    status = SelectField(_l("Status"), choices=[("", _l("All")), ("active", _l("Active")),
                                                ("inactive", _l("Deactivated"))], default="")


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Action"), default="")
    actor = StringField(_l("Actor employee number"), validators=[Optional(), Length(max=32)])
