"""Signing in and out, the user's own account, and the language switch."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import apply_error, client_ip, safe_next
from lms.extensions import limiter
from lms.people import accounts, activation
from lms.people.auth_forms import (
    ActivationForm,
    LocaleForm,
    LoginForm,
    LogoutForm,
    PasswordForm,
)

bp = Routes("auth")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("60 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("learn.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.identifier.data, form.password.data, client_ip())
        except ServiceError as e:
            apply_error(form, e)
        else:
            session.clear()
            login_user(user, remember=form.remember.data)
            if user.locale:
                session["locale"] = user.locale
            return redirect(safe_next(form.next.data, url_for("learn.home")))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.route("/activate", methods=["GET", "POST"])
@limiter.limit("60 per minute", methods=["POST"])
def activate():
    """First sign-in with a one-time code: the person chooses their own password."""
    if current_user.is_authenticated:
        return redirect(url_for("learn.home"))
    form = ActivationForm()
    if form.validate_on_submit():
        try:
            user = activation.activate(form.identifier.data, form.code.data,
                                       form.new_password.data, client_ip())
        except ServiceError as e:
            apply_error(form, e)
        else:
            session.clear()
            login_user(user)
            if user.locale:
                session["locale"] = user.locale
            flash(_("Your account is ready. From now on sign in with your new password."),
                  "success")
            return redirect(url_for("learn.home"))
    return render_template("auth/activate.html", form=form), 200 if not form.errors else 422


@bp.post("/logout")
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        accounts.sign_out(current_user, client_ip())
        logout_user()
        session.clear()
        flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
def account():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current_password.data,
                                     form.new_password.data, client_ip())
        except ServiceError as e:
            apply_error(form, e)
        else:
            # The token rotated: sign in again on this device so only the others are dropped.
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed. Other devices have been signed out."),
                  "success")
            return redirect(url_for("auth.account"))
    history = accounts.role_history(current_user)
    return render_template("auth/account.html", form=form, history=history), (
        422 if form.errors else 200)


@bp.post("/locale")
def set_locale():
    form = LocaleForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            accounts.set_locale(current_user, form.locale.data)
    return redirect(safe_next(form.next.data, url_for("learn.home")))
