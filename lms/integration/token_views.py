"""Administration: tokens for the integration API (make, see once, revoke)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import apply_error, client_ip
from lms.extensions import db
from lms.integration import tokens as api_tokens
from lms.people.admin_forms import ConfirmForm, MultiCheckboxField

bp = Routes("admin")


class ApiTokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=80)],
                       description=_l("Which system uses it, e.g. “HR roster sync”."))
    scopes = MultiCheckboxField(_l("Scopes"), choices=[
        ("read", _l("Read (GET)")), ("write", _l("Write (create, change, assign)"))],
        default=["read"], validate_choice=True)
    valid_days = IntegerField(_l("Valid for (days)"), validators=[
        DataRequired(), NumberRange(min=1, max=36500)])


def _render(form: ApiTokenForm, status: int = 200, created=None, secret: str | None = None):
    tokens = db.session.scalars(api_tokens.tokens_query()).all()
    expiry = {t.id: api_tokens.expires_at(t) for t in tokens}
    expired = {t.id for t in tokens if api_tokens.is_expired(t)}
    response = render_template("admin/tokens.html", form=form, tokens=tokens, expiry=expiry,
                               expired=expired, max_days=api_tokens.lifetime_days()[1],
                               confirm=ConfirmForm(), created=created, secret=secret)
    return response, status, {"Cache-Control": "no-store"}


@bp.route("/api-tokens", methods=["GET", "POST"])
def api_tokens_page():
    form = ApiTokenForm(valid_days=api_tokens.lifetime_days()[0])
    if form.validate_on_submit():
        try:
            token, secret = api_tokens.create_token(form.name.data, set(form.scopes.data or ()),
                                                    current_user, client_ip(),
                                                    days=form.valid_days.data)
        except ServiceError as e:
            db.session.rollback()
            apply_error(form, e)
        else:
            # Shown in this answer only (not flashed: the session cookie is not encrypted).
            return _render(ApiTokenForm(formdata=None, valid_days=api_tokens.lifetime_days()[0]),
                           200, created=token, secret=secret)
    return _render(form, 422 if form.errors else 200)


@bp.post("/api-tokens/<int:token_id>/revoke")
def api_token_revoke(token_id: int):
    token = api_tokens.token_by_id(token_id)
    if token is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        api_tokens.revoke_token(token, current_user, client_ip())
        flash(_("Token %(name)s (%(prefix)s) revoked: it no longer works.", name=token.name,
                prefix=token.prefix), "success")
    return redirect(url_for("admin.api_tokens_page"))
