"""The Flask application factory."""

from __future__ import annotations

import os

from flask import Flask

from lms.config import INSTANCE_DIR, Config, config_from_env, local_secret


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Build the app: configuration, extensions, features, jobs, blueprints, error pages,
    CLI."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR),
                template_folder="../templates", static_folder="../static")
    app.config.from_object(config_from_env())
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    _check_config(app)
    register_proxies(app)
    register_extensions(app)
    register_services(app)
    register_jobs(app)
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


def register_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address and scheme from the
    headers they add (Werkzeug's ProxyFix), so throttling and the audit log see real
    clients. Headers beyond that number are the client's own and are ignored."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    from lms import i18n
    from lms.extensions import babel, csrf, db, limiter, login_manager, migrate
    from lms.people.accounts import load_user
    from lms.permissions import enforce

    # Permissions are decided before anything else (CSRF included) looks at the request.
    app.before_request(enforce)
    from lms.core.web import reject_nul_bytes

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

    from lms.extensions import db

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
    """Import every feature's models, requirement kinds and after-commit hooks."""
    from lms import features

    features.load()


def register_jobs(app: Flask) -> None:
    """Give the task queue its storage; its tasks run in this app (lms/jobs/queue.py)."""
    from lms.jobs import queue

    queue.configure(app)


def register_blueprints(app: Flask) -> None:
    from lms import blueprints

    blueprints.register(app)


def register_errorhandlers(app: Flask) -> None:
    from lms.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from lms.templating import register

    register(app)


def register_commands(app: Flask) -> None:
    from lms.cli import lms

    app.cli.add_command(lms)
