"""The Flask application factory."""

from __future__ import annotations

import os

from flask import Flask

from .config import INSTANCE_DIR, Config, config_from_env, local_secret


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error pages, CLI."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR),
                template_folder="../templates", static_folder="../static")
    app.config.from_object(config_from_env())
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    _check_config(app)
    register_extensions(app)
    register_services(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def _check_config(app: Flask) -> None:
    if not app.config.get("SECRET_KEY") and app.config.get("ENV_NAME") == "development":
        app.config["SECRET_KEY"] = local_secret()
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(or LMS_ENV=development for a local trial)."
        )
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and ":memory:" not in uri:
        os.makedirs(os.path.dirname(uri.removeprefix("sqlite:///")) or ".", exist_ok=True)


def register_extensions(app: Flask) -> None:
    from . import i18n
    from .extensions import babel, csrf, db, limiter, login_manager, migrate
    from .permissions import enforce
    from .services.accounts import load_user

    # Permissions are decided before anything else (CSRF included) looks at the request.
    app.before_request(enforce)
    from .web import reject_nul_bytes

    app.before_request(reject_nul_bytes)
    db.init_app(app)
    _sqlite_pragmas(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories="translations")
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.user_loader(load_user)


def _sqlite_pragmas(app: Flask) -> None:
    """SQLite enforces foreign keys (ON DELETE CASCADE) only when asked, per connection."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    from .extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        # Write-ahead log: with several gunicorn workers, readers no longer wait for a writer
        # (an autosave) and writers not for readers. Kept by the file; a no-op once set.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def register_services(app: Flask) -> None:
    # Importing registers the services' event listeners (certification rules listen for
    # completions, quiz results and practice scores).
    from .services import (
        certification,  # noqa: F401
        practice,  # noqa: F401 - course/certification "scenario" checks
        xapi,  # noqa: F401 - learning records as xAPI statements
    )


def register_blueprints(app: Flask) -> None:
    from .admin import token_views  # noqa: F401 - API token pages on admin_bp
    from .admin.views import bp as admin_bp
    from .api import bp as api_bp
    from .auth.views import bp as auth_bp
    from .author import practice_views as _author_practice  # noqa: F401 - on author_bp
    from .author import studio_views  # noqa: F401 - registers the studio routes on author_bp
    from .author.views import bp as author_bp
    from .hr import (
        cert_views,  # noqa: F401 - registers the certification routes on hr_bp
        roster_views,  # noqa: F401 - registers the roster import on hr_bp
    )
    from .hr.views import bp as hr_bp
    from .learn import (
        practice_views,  # noqa: F401 - registers the practice routes on learn_bp
        quiz_views,  # noqa: F401 - registers the quiz routes on learn_bp
    )
    from .learn.views import bp as learn_bp
    from .main import badges  # noqa: F401 - registers the public verification routes
    from .main.views import bp as main_bp
    from .manage.views import bp as manage_bp

    for bp in (main_bp, auth_bp, learn_bp, author_bp, manage_bp, hr_bp, admin_bp):
        app.register_blueprint(bp)
    app.register_blueprint(api_bp)  # /api/v1: token auth, no CSRF (no cookies)


def register_errorhandlers(app: Flask) -> None:
    from .errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from .templating import register

    register(app)


def register_commands(app: Flask) -> None:
    from .cli import lms

    app.cli.add_command(lms)
