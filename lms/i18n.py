"""Choosing the interface language: the user's choice, else the session's, else the default."""

from __future__ import annotations

from flask import current_app, has_request_context, session
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in languages:
        return str(chosen)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def localized(obj, field: str) -> str:
    """obj.<field>_en in English, else obj.<field>_zh (falling back to the other)."""
    from flask_babel import get_locale

    zh = getattr(obj, f"{field}_zh", "") or ""
    en = getattr(obj, f"{field}_en", "") or ""
    locale = get_locale()  # the language attribute: no string built per call (lists call this
    if locale is not None and locale.language == "en":  # hundreds of times per page)
        return en or zh
    return zh or en


__all__ = ["localized", "select_locale"]
