"""The role blueprints: URL prefixes and permission shells (lms/permissions.py decides by
blueprint name). Features declare their routes on `lms.core.routes.Routes` tables; this
module makes one Blueprint per role and attaches every feature's tables to it.

Imports go one way: this module imports the features' view modules, never the reverse.
"""

from __future__ import annotations

from importlib import import_module

from flask import Blueprint, Flask

# Blueprint name → URL prefix.
SHELLS: dict[str, str | None] = {
    "main": None,
    "auth": None,
    "learn": "/learn",
    "author": "/author",
    "manage": "/team",
    "hr": "/hr",
    "admin": "/admin",
}

# Every feature module that declares routes (a module-level `bp = Routes(...)`).
VIEW_MODULES = (
    "lms.core.main_views",
    "lms.people.auth_views",
    "lms.people.admin_views",
    "lms.people.hr_views",
    "lms.people.roster_views",
    "lms.catalog.views",
    "lms.home.views",
    "lms.notifications.views",
    "lms.certification.learn_views",
    "lms.rotation.learn_views",
    "lms.assessment.views",
    "lms.assessment.grant_views",
    "lms.practice.learn_views",
    "lms.practice.author_views",
    "lms.studio.views",
    "lms.studio.course_views",
    "lms.studio.outline_views",
    "lms.studio.bank_views",
    "lms.studio.bank_io_views",
    "lms.studio.quiz_views",
    "lms.studio.file_views",
    "lms.studio.package_views",
    "lms.studio.assign_views",
    "lms.studio.learner_views",
    "lms.certification.hr_views",
    "lms.certification.badge_views",
    "lms.certification.manage_views",
    "lms.rotation.manage_views",
    "lms.records.team_views",
    "lms.records.hr_views",
    "lms.records.learn_views",
    "lms.records.class_views",
    "lms.records.class_learn_views",
    "lms.rotation.hr_views",
    "lms.integration.token_views",
    "lms.jobs.views",
    "lms.jobs.admin_views",
)


def register(app: Flask) -> None:
    shells = {name: Blueprint(name, __name__, url_prefix=prefix)
              for name, prefix in SHELLS.items()}
    for module_name in VIEW_MODULES:
        routes = import_module(module_name).bp
        routes.attach(shells[routes.blueprint])
    for bp in shells.values():
        app.register_blueprint(bp)
    from lms.integration.api import bp as api_bp

    app.register_blueprint(api_bp)  # /api/v1: token auth, no CSRF (no cookies)
