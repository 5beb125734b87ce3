"""Accounts: signing in (with throttling), passwords, and user administration."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from lms.core import audit, events
from lms.core.clock import as_utc
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import ROLES, JobRole, OrgUnit, RoleAssignment, User, UserRole
from lms.people.security_models import LoginAttempt

MIN_PASSWORD_LENGTH = 10


# --- passwords -------------------------------------------------------------------------

def password_problem(password: str, user: User | None = None) -> str | None:
    """The reason a password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return str(_l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        return str(_l("Use both letters and digits."))
    if user is not None and password.lower() in {user.employee_no.lower(), user.email.lower()}:
        return str(_l("The password must not be your employee number or e-mail."))
    return None


def _require_good_password(password: str, user: User | None, field: str) -> None:
    problem = password_problem(password, user)
    if problem:
        raise ServiceError(problem, field=field)


def change_password(user: User, current: str, new: str, ip: str = "") -> None:
    if not user.check_password(current):
        raise ServiceError(_l("The current password is not correct."), field="current_password")
    if current == new:
        raise ServiceError(_l("Choose a password different from the current one."),
                           field="new_password")
    _require_good_password(new, user, "new_password")
    user.set_password(new)
    user.must_change_password = False
    user.rotate_session_token()
    audit.record("password_changed", actor=user, target=user, ip=ip)
    db.session.commit()


def generate_temporary_password() -> str:
    # Letters and digits guaranteed, so it passes the policy.
    return f"Tmp{secrets.randbelow(10)}{secrets.token_urlsafe(9)}"


def reset_password(user: User, actor: User, ip: str = "") -> str:
    """Give the user a new temporary password (shown once to the admin, never stored in a
    cookie); they must replace it when they next sign in."""
    password = generate_temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.rotate_session_token()
    audit.record("password_reset", actor=actor, target=user, ip=ip)
    db.session.commit()
    return password


# --- signing in ------------------------------------------------------------------------

def _failures_since(column, value: str, since: datetime) -> tuple[int, datetime | None]:
    count, oldest = db.session.execute(
        select(func.count(LoginAttempt.id), func.min(LoginAttempt.at)).where(
            column == value, LoginAttempt.success.is_(False), LoginAttempt.at >= since)
    ).one()
    return int(count or 0), oldest


def throttle_wait_minutes(identifier: str, ip: str, user_id: int | None = None) -> int:
    """Minutes until this account / address may try again; 0 when not throttled.

    Failures count per account (`user_id`: whichever identifier — employee number or
    e-mail — was typed), or per identifier typed when it names nobody, so that an unknown
    account behaves exactly like a known one. An address has its own, much higher limit,
    so that a business hall's NAT or a load balancer does not lock out everyone behind it."""
    cfg = current_app.config
    window = timedelta(minutes=cfg["LOGIN_WINDOW_MINUTES"])
    now = datetime.now(UTC)
    since = now - window
    limits: list[tuple[Any, Any, int]] = [
        (LoginAttempt.user_id, user_id, cfg["LOGIN_MAX_FAILURES"]) if user_id is not None
        else (LoginAttempt.identifier, identifier.strip().lower(), cfg["LOGIN_MAX_FAILURES"])]
    if ip:
        limits.append((LoginAttempt.ip, ip, cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]))
    wait = 0
    for column, value, limit in limits:
        count, oldest = _failures_since(column, value, since)
        if count >= limit and oldest is not None:
            left = (as_utc(oldest) + window - now).total_seconds()
            wait = max(wait, max(1, int(left // 60) + 1))
    return wait


_DUMMY_HASHES: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash made the same way as real ones, to check a password against when the account
    does not exist: the answer then takes as long as for an account that does."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_hex(16), method=method)
    return _DUMMY_HASHES[method]


class DirectoryUnavailable(Exception):
    """The company directory could not be reached or refused the service account."""


# A directory sign-in (ldap_directory.sign_in): the account it vouches for, False for a
# wrong password there, None when it does not know the login; DirectoryUnavailable if down.
DirectorySignIn = Callable[[str, str, str], "User | bool | None"]


def authenticate(identifier: str, password: str, ip: str = "",
                 directory: DirectorySignIn | None = None) -> User:
    """The user for these credentials, or a ServiceError saying what is wrong. With a
    `directory`, people it knows sign in with its password; the rest locally."""
    ident = identifier.strip().lower()
    user = db.session.scalar(User.by_login(identifier))
    wait = throttle_wait_minutes(ident, ip, user.id if user else None)
    if wait:
        audit.record("login_throttled", ip=ip, identifier=ident)
        db.session.commit()
        raise ServiceError(_l("Too many failed sign-in attempts. Try again in %(n)d minutes.",
                              n=wait), field="identifier")
    directory_down = False
    if directory is not None:  # the directory first: a first sign-in links local accounts
        found, directory_down = _directory_sign_in(directory, identifier, password, ip)
        if found is not None:  # the directory knows this person: its answer stands
            if found is not False:
                user = found
            ok = found is not False
            return _finish(user, ident, ip, ok)
    # One hash check on every path, whether or not the account exists.
    matches = check_password_hash(
        user.password_hash if user and user.auth_source == "local" else _dummy_hash(),
        password)
    ok = user is not None and matches
    if not ok and directory_down:
        db.session.add(LoginAttempt(identifier=ident, ip=ip or "", success=False,
                                    user_id=user.id if user else None))
        audit.record("login_failed", ip=ip, identifier=ident, reason="directory down")
        db.session.commit()
        raise ServiceError(_l("The company directory cannot be reached just now, so directory "
                              "accounts cannot sign in. Try again in a few minutes."),
                           field="identifier")
    return _finish(user, ident, ip, ok)


def _directory_sign_in(directory: DirectorySignIn, identifier: str, password: str,
                       ip: str) -> tuple[User | bool | None, bool]:
    """(what the directory says, whether it was down)."""
    try:
        return directory(identifier, password, ip), False
    except DirectoryUnavailable as e:
        current_app.logger.warning("LDAP directory unavailable: %s", e)
        return None, True


def _finish(user: User | None, ident: str, ip: str, ok: bool) -> User:
    db.session.add(LoginAttempt(identifier=ident, ip=ip or "",
                                success=bool(ok and user and user.active),
                                user_id=user.id if user else None))
    if not ok or user is None:
        audit.record("login_failed", ip=ip, identifier=ident)
        db.session.commit()
        raise ServiceError(_l("Employee number / e-mail or password is not correct."),
                           field="password")
    if not user.active:
        audit.record("login_failed", actor=user, ip=ip, reason="inactive")
        db.session.commit()
        raise ServiceError(_l("This account is deactivated. Ask an administrator."),
                           field="identifier")
    user.last_login_at = datetime.now(UTC)
    audit.record("login", actor=user, ip=ip)
    db.session.commit()
    return user


def sign_out(user: User, ip: str = "") -> None:
    """Invalidate every session and remember-me cookie of this user."""
    user.rotate_session_token()
    audit.record("logout", actor=user, ip=ip)
    db.session.commit()


def load_user(session_id: str) -> User | None:
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user


# --- administration --------------------------------------------------------------------

def _check_unique(employee_no: str, email: str, exclude_id: int | None = None) -> None:
    for column, value, field, message in (
        (User.employee_no, employee_no, "employee_no",
         _l("Another user already has this employee number.")),
        (User.email, email, "email", _l("Another user already has this e-mail.")),
    ):
        stmt = select(User.id).where(column == value)
        if exclude_id is not None:
            stmt = stmt.where(User.id != exclude_id)
        if db.session.scalar(stmt) is not None:
            raise ServiceError(message, field=field)


def is_last_active_admin(user: User) -> bool:
    """Whether `user` is the only active administrator (who must never be lost)."""
    if not user.active or "admin" not in user.roles:
        return False
    others = db.session.scalar(
        select(func.count(User.id)).join(UserRole, UserRole.user_id == User.id).where(
            UserRole.role == "admin", User.active.is_(True), User.id != user.id))
    return not others


def _set_roles(user: User, roles: set[str]) -> None:
    unknown = roles - set(ROLES)
    if unknown:
        raise ServiceError(_l("Unknown role: %(r)s", r=", ".join(sorted(unknown))),
                           field="roles")
    current = {r.role: r for r in user.role_rows}
    for role in set(current) - roles:
        user.role_rows.remove(current[role])
    for role in sorted(roles - set(current)):
        user.role_rows.append(UserRole(role=role))


def assign_job_role(user: User, job_role: JobRole | None, start: date | None = None,
                    note: str = "") -> None:
    """Make `job_role` the user's current role, closing the previous one in the history."""
    if (user.job_role_id or None) == (job_role.id if job_role else None):
        return
    start = start or date.today()
    open_rows = db.session.scalars(select(RoleAssignment).where(
        RoleAssignment.user_id == user.id, RoleAssignment.end_date.is_(None))).all()
    for row in open_rows:
        row.end_date = start
    user.job_role = job_role
    user.job_role_id = job_role.id if job_role else None
    if job_role is not None:
        db.session.add(RoleAssignment(user_id=user.id, job_role_id=job_role.id,
                                      start_date=start, note=note))
    events.stage("person_placed", user_id=user.id)  # assignment rules follow the commit


def role_history(user: User) -> list[RoleAssignment]:
    """The person's job roles, newest first."""
    return list(db.session.scalars(
        select(RoleAssignment).where(RoleAssignment.user_id == user.id)
        .order_by(RoleAssignment.start_date.desc(), RoleAssignment.id.desc())))


def create_user(*, employee_no: str, name: str, email: str, password: str,
                roles: set[str] | None = None, org_unit: OrgUnit | None = None,
                job_role: JobRole | None = None, locale: str | None = None,
                actor: User | None = None, ip: str = "") -> User:
    employee_no, email = employee_no.strip(), email.strip().lower()
    _check_unique(employee_no, email)
    user = User(employee_no=employee_no, name=name.strip(), email=email, locale=locale,
                org_unit=org_unit)
    _require_good_password(password, user, "password")
    user.set_password(password)
    _set_roles(user, set(roles or ()))
    db.session.add(user)
    db.session.flush()
    assign_job_role(user, job_role)
    audit.record("user_created", actor=actor, target=user, ip=ip,
                 roles=sorted(roles or ()))
    events.stage("person_placed", user_id=user.id)  # assignment rules follow the commit
    db.session.commit()
    return user


def update_user(user: User, *, actor: User, name: str, email: str, employee_no: str,
                roles: set[str], org_unit: OrgUnit | None, job_role: JobRole | None,
                active: bool, ip: str = "") -> None:
    employee_no, email = employee_no.strip(), email.strip().lower()
    _check_unique(employee_no, email, exclude_id=user.id)
    if user.id == actor.id and ("admin" not in roles or not active):
        raise ServiceError(_l("You cannot remove your own administrator access."),
                           field="roles" if active else "active")
    old_roles = user.roles - {"learner"}
    old_job = user.job_role.code if user.job_role else None
    user.name, user.email, user.employee_no = name.strip(), email, employee_no
    user.org_unit = org_unit
    _set_roles(user, roles)
    assign_job_role(user, job_role)
    if old_roles != roles:
        audit.record("roles_changed", actor=actor, target=user, ip=ip,
                     before=sorted(old_roles), after=sorted(roles))
    new_job = job_role.code if job_role else None
    if old_job != new_job:
        audit.record("job_role_changed", actor=actor, target=user, ip=ip,
                     before=old_job, after=new_job)
    if user.active != active:
        user.active = active
        if not active:
            user.rotate_session_token()
        audit.record("user_reactivated" if active else "user_deactivated", actor=actor,
                     target=user, ip=ip)
    audit.record("user_updated", actor=actor, target=user, ip=ip)
    events.stage("person_placed", user_id=user.id)  # assignment rules follow the commit
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    if locale not in current_app.config["LANGUAGES"]:
        raise ServiceError(_l("Unknown language."), field="locale")
    user.locale = locale
    db.session.commit()
