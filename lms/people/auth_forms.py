from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    identifier = StringField(_l("Employee number or e-mail"),
                             validators=[DataRequired(), Length(max=255)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=255)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"),
                                 validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))])


class LocaleForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[("zh_CN", "中文"), ("en", "English")])
    next = HiddenField()


class LogoutForm(FlaskForm):
    pass


class ActivationForm(FlaskForm):
    identifier = StringField(_l("Employee number or e-mail"),
                             validators=[DataRequired(), Length(max=255)])
    code = StringField(_l("Activation code"), validators=[DataRequired(), Length(max=40)],
                       description=_l("The code on the sheet HR or an administrator gave you, "
                                      "e.g. ABCD-EFGH-JKLM."))
    new_password = PasswordField(_l("New password"),
                                 validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))])
