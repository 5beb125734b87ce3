"""Template globals: navigation by role, localised names, the language list."""

from __future__ import annotations

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.i18n import localized
from lms.permissions import may_open

# (endpoint, label, icon) in the order the navigation shows them; each shows only to those
# whom permissions.py lets in.
NAV = (
    ("learn.home", _l("My learning"), "mortarboard", ("learn.home", "learn.next_role",
                                                        "learn.my_training_file",
                                                        "learn.my_classes", "learn.class_")),
    ("learn.catalog", _l("Catalogue"), "collection",
     ("learn.catalog", "learn.course", "learn.lesson", "learn.quiz", "learn.attempt")),
    ("learn.practice_index", _l("Practice"), "controller", ("learn.practice",)),
    ("learn.certifications", _l("My certifications"), "award", ("learn.certifications",)),
    ("author.index", _l("Studio"), "pencil-square", ("author.",)),
    ("manage.team", _l("My team"), "people", ("manage.team", "manage.assign")),
    ("manage.compliance", _l("Team certifications"), "shield-check",
     ("manage.compliance", "manage.person")),
    ("manage.rotations", _l("Rotation board"), "kanban", ("manage.rotation", "manage.skills")),
    ("manage.training_hours", _l("Team training hours"), "hourglass-split",
     ("manage.training_",)),
    ("hr.dashboard", _l("Compliance"), "shield-check", ("hr.dashboard", "hr.compliance")),
    ("hr.people", _l("People"), "person-vcard",
     ("hr.people", "hr.person", "hr.roster", "hr.activation")),
    ("hr.certifications", _l("Certifications"), "award", ("hr.certification", "hr.award")),
    ("hr.rotations", _l("Rotations"), "kanban", ("hr.rotation", "hr.skills")),
    ("hr.training_hours", _l("Training hours"), "hourglass-split", ("hr.training_",)),
    ("hr.classes_index", _l("Classroom courses"), "easel", ("hr.class",)),
    ("admin.users", _l("Administration"), "gear", ("admin.",)),
)

LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}


def register(app: Flask) -> None:
    @app.context_processor
    def inject():
        nav = []
        if current_user.is_authenticated:
            here = request.endpoint or ""
            nav = [(url_for(ep), label, icon, here.startswith(prefixes))
                   for ep, label, icon, prefixes in NAV if may_open(current_user, ep)]
        unread = 0
        if current_user.is_authenticated:
            from lms.notifications.inbox import unread_count

            unread = unread_count(current_user)
        locale = get_locale()
        current = "zh_CN" if locale is None or locale.language == "zh" else "en"
        return {"nav_items": nav, "current_locale": current, "unread": unread}

    # Globals (not context) so that imported macros see them too.
    app.add_template_global(localized, "loc")
    app.jinja_env.globals["language_names"] = LANGUAGE_NAMES

    from lms.core.clock import local_date, local_time

    # Times are stored in UTC and shown in the organisation's zone (LMS_TIMEZONE).
    app.add_template_filter(local_date, "local_date")
    app.add_template_filter(local_time, "local_time")

    @app.template_filter("role_label")
    def role_label(role: str) -> str:
        return str(ROLE_LABELS.get(role, role))


ROLE_LABELS = {
    "learner": _l("Learner"),
    "trainer": _l("Trainer"),
    "manager": _l("Manager"),
    "hr": _l("HR"),
    "admin": _l("Administrator"),
}
