from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional


def category_choices():
    return [("", _l("All categories")), ("digital-tools", _l("Digital tools")),
            ("service", _l("Customer service")), ("data", _l("Data and analysis")),
            ("security", _l("Data security")), ("energy", _l("Energy services")),
            ("dispatch", _l("Repair dispatch"))]


class CatalogFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search title, code or summary"), validators=[Optional(), Length(max=80)])
    category = SelectField(_l("Category"), choices=category_choices, default="")
    mine = SelectField(_l("My status"), default="", choices=[
        ("", _l("All courses")), ("not_enrolled", _l("Not enrolled")),
        ("enrolled", _l("Enrolled, not completed")), ("completed", _l("Completed"))])
