"""Settings read from the environment, in one place."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = BASE_DIR / "instance"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(url: str) -> str:
    # psycopg 3 is the PostgreSQL driver; accept the plain URL forms people paste.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'lms.sqlite'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = os.environ.get("LMS_LOCALE", "zh_CN")
    BABEL_DEFAULT_TIMEZONE = os.environ.get("LMS_TIMEZONE", "Asia/Shanghai")
    LANGUAGES = ("zh_CN", "en")
    REDIS_URL = os.environ.get("REDIS_URL") or None
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    # Reverse proxies in front of the app whose X-Forwarded-For / -Proto are trusted (0: none,
    # the connecting address is the client). Set it to the number of proxies, no more.
    TRUSTED_PROXIES = int(os.environ.get("LMS_TRUSTED_PROXIES", "0"))
    # Cookies: HttpOnly and SameSite always; Secure when served over HTTPS.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 14
    WTF_CSRF_TIME_LIMIT = None  # tied to the session; a long lesson must not expire the form
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    # Login throttling: failures per account inside the window, and per client address
    # (much higher: a business hall's NAT puts many people behind one address).
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
    LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS",
                                                        "100"))
    LOGIN_WINDOW_MINUTES = int(os.environ.get("LOGIN_WINDOW_MINUTES", "15"))
    # One-time activation codes for people whose account was made for them (import, API).
    ACTIVATION_CODE_DAYS = int(os.environ.get("LMS_ACTIVATION_CODE_DAYS", "14"))
    DEMO_MODE = _bool("LMS_DEMO", False)
    PAGE_SIZE = 25
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_FROM = os.environ.get("MAIL_FROM", "lms@localhost")
    # Public address of the site, for links in QR codes, badges and e-mails.
    BASE_URL = os.environ.get("LMS_BASE_URL", "http://127.0.0.1:5000")
    ORG_NAME = os.environ.get("LMS_ORG_NAME", "演示市供电公司 Demo City Power Supply Co.")
    COURSES_DIR = os.environ.get("LMS_COURSES_DIR", str(BASE_DIR / "courses"))
    # Uploaded lesson files and staged course-package imports live outside the code tree.
    UPLOAD_FOLDER = os.environ.get("LMS_UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    STUDIO_STAGING_FOLDER = os.environ.get("LMS_STAGING_FOLDER", str(INSTANCE_DIR / "imports"))
    # Integration API: requests per token (Flask-Limiter syntax).
    API_RATE_LIMIT = os.environ.get("LMS_API_RATE_LIMIT", "300 per minute")
    # API tokens expire: days valid by default, and the most an administrator may choose.
    API_TOKEN_DAYS = int(os.environ.get("LMS_API_TOKEN_DAYS", "90"))
    API_TOKEN_MAX_DAYS = int(os.environ.get("LMS_API_TOKEN_MAX_DAYS", "365"))
    # xAPI forwarding to an external Learning Record Store (off unless LRS_URL is set):
    # LRS_AUTH is the Authorization header value it wants, e.g. "Basic dXNlcjpwYXNz".
    LRS_URL = os.environ.get("LRS_URL") or None
    LRS_AUTH = os.environ.get("LRS_AUTH") or None
    LRS_TIMEOUT = float(os.environ.get("LRS_TIMEOUT", "10"))
    LRS_MAX_ATTEMPTS = int(os.environ.get("LRS_MAX_ATTEMPTS", "12"))
    # Background jobs (lms/jobs): the queue's storage is SQLite under instance/ unless
    # REDIS_URL is set (then Redis, shared by every app and worker host); LMS_JOBS_BACKEND
    # forces one of sqlite / redis / memory.
    JOBS_BACKEND = os.environ.get("LMS_JOBS_BACKEND") or None
    JOBS_SQLITE_PATH = os.environ.get("LMS_JOBS_SQLITE", str(INSTANCE_DIR / "jobs.sqlite"))
    JOBS_REDIS_URL = os.environ.get("LMS_JOBS_REDIS_URL") or None  # default: REDIS_URL
    JOBS_RETRY_DELAY = float(os.environ.get("LMS_JOBS_RETRY_DELAY", "30"))  # then ×2 each
    JOBS_STALE_MINUTES = float(os.environ.get("LMS_JOBS_STALE_MINUTES", "30"))
    JOBS_KEEP_DAYS = int(os.environ.get("LMS_JOBS_KEEP_DAYS", "30"))
    NOTIFICATIONS_KEEP_DAYS = int(os.environ.get("LMS_NOTIFICATIONS_KEEP_DAYS", "365"))
    # Periodic jobs: crontab "minute hour day month weekday" in LMS_TIMEZONE; "off" stops one.
    JOBS_SCHEDULE = {
        name: os.environ.get(f"LMS_SCHEDULE_{name.upper()}", default)
        for name, default in (
            ("certification_sweep", "30 1 * * *"),   # daily 01:30
            ("assignment_rules", "0 2 * * *"),       # daily 02:00
            ("xapi_forward", "*/5 * * * *"),         # every 5 minutes (back-off per statement)
            ("retention_purge", "30 3 * * *"),       # daily 03:30
        )
    }


def local_secret() -> str:
    """A random key kept in instance/ so local sessions survive restarts."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY")  # else a local random key, see local_secret()
    DEMO_MODE = _bool("LMS_DEMO", True)


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-only-not-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = _database_url(
        os.environ.get("TEST_DATABASE_URL", "sqlite:///:memory:")
    )
    RATELIMIT_ENABLED = False
    DEMO_MODE = True
    # Fast hashing keeps the suite quick; production keeps the scrypt default.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105
    # A real queue in a file of the test run's own (tests/conftest.py sets the path) and a
    # consumer thread; retries without waiting.
    JOBS_BACKEND = "sqlite"
    JOBS_RETRY_DELAY = 0.0


class ProductionConfig(Config):
    pass


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    return CONFIGS.get(os.environ.get("LMS_ENV", "production"), ProductionConfig)
