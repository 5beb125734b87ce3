"""Forms of the people pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional


class DirectoryFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter, changes nothing

    unit = SelectField(_l("Org unit (with sub-units)"), coerce=int, default=0,
                       validators=[Optional()])
    job_role = SelectField(_l("Job role"), coerce=int, default=0, validators=[Optional()])
    q = StringField(_l("Name, employee number or e-mail"),
                    validators=[Optional(), Length(max=80)])
