"""Who may open what: the one place that decides, checked before every request.

Each endpoint is public, open to any signed-in user (every user is a learner), or needs one
of a set of platform roles. Rules are given per blueprint, with per-endpoint exceptions.
An endpoint that no rule covers is refused, so a new page is closed until it is listed here.
"""

from __future__ import annotations

from flask import jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import Forbidden

from lms.core.web import wants_json

PUBLIC = "public"
SIGNED_IN = frozenset({"learner"})
# The integration API (/api/v1): a bearer token decides, never the session (_token_auth).
API_BEARER = "api-bearer"

# Endpoints anyone may open, signed in or not.
PUBLIC_ENDPOINTS = frozenset({
    "static",
    "auth.login",
    "auth.activate",
    "auth.set_locale",
    "main.health",
    "api.openapi",
    "main.verify",
    "main.badge_issuer",
    "main.badge_class",
    "main.badge_assertion",
})

# Blueprint name → roles that may use it (any one suffices).
BLUEPRINT_RULES: dict[str, frozenset[str] | str] = {
    "main": SIGNED_IN,
    "auth": SIGNED_IN,
    "learn": SIGNED_IN,
    "author": frozenset({"trainer", "admin"}),
    "manage": frozenset({"manager", "hr", "admin"}),
    "hr": frozenset({"hr", "admin"}),
    "admin": frozenset({"admin"}),
    "api": API_BEARER,
}

# Endpoint → roles, where an endpoint differs from its blueprint's rule.
ENDPOINT_RULES: dict[str, frozenset[str]] = {
    # Files uploaded in the studio appear in lessons: every signed-in user may fetch them.
    "author.file": SIGNED_IN,
    # Extra attempts and resets: trainers and HR (and admins).
    "author.attempt_grants": frozenset({"trainer", "hr", "admin"}),
    # A team's certification view and drill-down are for its leader; HR has the full ones.
    "manage.compliance": frozenset({"manager"}),
    "manage.person": frozenset({"manager"}),
    "manage.award": frozenset({"manager"}),
    "manage.award_certificate": frozenset({"manager"}),
    "manage.rotations": frozenset({"manager"}),
    "manage.rotation_new": frozenset({"manager"}),
    "manage.rotation": frozenset({"manager"}),
    "manage.skills": frozenset({"manager"}),
    "manage.assign": frozenset({"manager"}),
    "manage.remind": frozenset({"manager"}),
    # Classroom courses are run by HR and by trainers.
    "hr.classes_index": frozenset({"hr", "admin", "trainer"}),
    "hr.class_detail": frozenset({"hr", "admin", "trainer"}),
    "hr.class_session_add": frozenset({"hr", "admin", "trainer"}),
    "hr.class_nominate": frozenset({"hr", "admin", "trainer"}),
    "hr.class_attendance": frozenset({"hr", "admin", "trainer"}),
    "manage.training_file": frozenset({"manager"}),
    "manage.training_file_export": frozenset({"manager"}),
    "manage.training_hours": frozenset({"manager"}),
    "manage.training_hours_export": frozenset({"manager"}),
}


def rule_for(endpoint: str | None) -> str | frozenset[str] | None:
    """PUBLIC, a set of roles, or None when no rule covers the endpoint (refused)."""
    if endpoint is None:
        return PUBLIC  # no route matched: let the 404 handler answer
    if endpoint in PUBLIC_ENDPOINTS:
        return PUBLIC
    if endpoint in ENDPOINT_RULES:
        return ENDPOINT_RULES[endpoint]
    blueprint = endpoint.rsplit(".", 1)[0] if "." in endpoint else ""
    return BLUEPRINT_RULES.get(blueprint)


def may_open(user, endpoint: str) -> bool:
    """Whether `user` may open `endpoint` (used by the navigation too)."""
    rule = rule_for(endpoint)
    if rule == PUBLIC:
        return True
    if rule is None or rule == API_BEARER or not user.is_authenticated:
        return False
    return user.has_role(*rule)


def enforce():
    """before_request hook: answer 401/redirect or 403 when the rule says no."""
    rule = rule_for(request.endpoint)
    if rule == PUBLIC:
        return None
    if rule == API_BEARER:
        return _token_auth()
    if not current_user.is_authenticated:
        if wants_json():
            return jsonify(error="unauthorized", message=_("Please sign in.")), 401
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if rule is None or not current_user.has_role(*rule):
        raise Forbidden()
    if current_user.must_change_password and request.endpoint not in PASSWORD_CHANGE_OPEN:
        return _password_change_first()
    return None


# What a person holding a temporary password may still open: the page to replace it.
PASSWORD_CHANGE_OPEN = frozenset({"auth.account", "auth.logout", "auth.set_locale"})


def _password_change_first():
    """A temporary password is replaced before anything else is opened."""
    from flask import flash

    message = _("Choose your own password before you continue: the one you signed in with "
                "was temporary.")
    if wants_json():
        return jsonify(error="password_change_required", message=message), 403
    flash(message, "warning")
    return redirect(url_for("auth.account"))


def _token_auth() -> None:
    """API endpoints: a valid `Authorization: Bearer` token holding the scope the method
    needs (read for GET, write otherwise); session cookies count for nothing. The API
    blueprint answers the errors in its JSON shape. Never log the header."""
    from flask import g
    from werkzeug.exceptions import Unauthorized

    from lms.integration import tokens as api_tokens

    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    token, why = (api_tokens.check(secret.strip()) if scheme.lower() == "bearer"
                  else (None, "unknown"))
    if token is None:
        if why == "expired":
            raise Unauthorized("This API token has expired: ask an administrator for a new "
                               "one.")
        raise Unauthorized("A valid API token is required: Authorization: Bearer <token>.")
    needed = api_tokens.scope_for(request.method)
    if needed not in token.scopes:
        raise Forbidden(f"This token does not have the '{needed}' scope.")
    g.api_token = token
