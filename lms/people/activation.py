"""Activation: people whose account was made for them (roster import, the API) choose their
own first password with a one-time code that HR or an administrator hands out on a printed
sheet. Codes are single-use, expire, and only their sha256 is stored; issuing a new code
makes the person's earlier ones void. Nothing secret goes into a cookie or a flash message.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select, update

from lms.core import audit
from lms.core.clock import as_utc
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people import accounts
from lms.people.models import User
from lms.people.security_models import ActivationCode, LoginAttempt

# No 0/O, 1/I/L: codes are read off paper and typed by hand.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_GROUPS, _GROUP_LEN = 3, 4  # XXXX-XXXX-XXXX: ~59 bits


@dataclass
class IssuedCode:
    user: User
    code: str
    expires_at: datetime


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP_LEN))
    return "-".join(raw[i:i + _GROUP_LEN] for i in range(0, len(raw), _GROUP_LEN))


def pending_query() -> Select:
    """Active people with a local password who have never signed in: those who may need an
    activation code (directory accounts sign in with their directory password)."""
    return (select(User).where(User.active.is_(True), User.last_login_at.is_(None),
                               User.auth_source == "local")
            .order_by(User.employee_no))


def users_by_employee_no(employee_nos: list[str]) -> list[User]:
    found: list[User] = []
    for i in range(0, len(employee_nos), 500):
        found.extend(db.session.scalars(select(User).where(
            User.employee_no.in_(employee_nos[i:i + 500]))))
    return sorted(found, key=lambda u: u.employee_no)


def valid_codes_until(user_ids: list[int]) -> dict[int, datetime]:
    """user id → when their latest unused code expires (only people holding a valid one)."""
    if not user_ids:
        return {}
    now = datetime.now(UTC)
    out: dict[int, datetime] = {}
    for user_id, expires in db.session.execute(
            select(ActivationCode.user_id, ActivationCode.expires_at).where(
                ActivationCode.user_id.in_(user_ids), ActivationCode.used_at.is_(None))):
        expires = as_utc(expires)
        if expires > now and expires > out.get(user_id, now):
            out[user_id] = expires
    return out


def waiting(*, without_code: bool) -> list[User]:
    """Everyone waiting for activation, or only those holding no valid code."""
    stmt = pending_query()
    if without_code:
        stmt = stmt.where(~select(ActivationCode.id).where(
            ActivationCode.user_id == User.id, ActivationCode.used_at.is_(None),
            ActivationCode.expires_at > datetime.now(UTC)).exists())
    return list(db.session.scalars(stmt))


def issue_codes(users: list[User], actor: User | None, ip: str = "") -> list[IssuedCode]:
    """A fresh code for each person (their earlier unused codes stop working)."""
    days = int(current_app.config.get("ACTIVATION_CODE_DAYS", 14))
    now = datetime.now(UTC)
    expires = now + timedelta(days=days)
    ids = [u.id for u in users]
    if ids:
        db.session.execute(update(ActivationCode).where(
            ActivationCode.user_id.in_(ids), ActivationCode.used_at.is_(None))
            .values(used_at=now))
    issued = []
    for user in users:
        code = _new_code()
        db.session.add(ActivationCode(user_id=user.id, code_hash=_hash(code),
                                      expires_at=expires,
                                      created_by_id=actor.id if actor else None))
        issued.append(IssuedCode(user, code, expires))
    if issued:
        audit.record("activation_codes_issued", actor=actor, ip=ip, count=len(issued),
                     employee_nos=[u.employee_no for u in users[:50]])
    db.session.commit()
    return issued


def activate(identifier: str, code: str, new_password: str, ip: str = "") -> User:
    """Set the first password of the person this code was given to, and use up the code."""
    ident = identifier.strip().lower()
    user = db.session.scalar(User.by_login(identifier))
    wait = accounts.throttle_wait_minutes(ident, ip, user.id if user else None)
    if wait:
        raise ServiceError(_l("Too many failed sign-in attempts. Try again in %(n)d minutes.",
                              n=wait), field="identifier")
    row = None
    if user is not None and user.active:
        row = db.session.scalar(select(ActivationCode).where(
            ActivationCode.user_id == user.id, ActivationCode.code_hash == _hash(code),
            ActivationCode.used_at.is_(None)))
    now = datetime.now(UTC)
    if row is None or as_utc(row.expires_at) <= now:
        db.session.add(LoginAttempt(identifier=ident, ip=ip or "", success=False,
                                    user_id=user.id if user else None))
        audit.record("activation_failed", ip=ip, identifier=ident)
        db.session.commit()
        raise ServiceError(_l("This code is not valid for this account, was already used or "
                              "has expired. Ask HR for a new one."), field="code")
    assert user is not None  # a code row is only found for a user
    problem = accounts.password_problem(new_password, user)
    if problem:
        raise ServiceError(problem, field="new_password")
    row.used_at = now
    user.set_password(new_password)
    user.must_change_password = False
    user.rotate_session_token()
    user.last_login_at = now
    db.session.add(LoginAttempt(identifier=ident, ip=ip or "", success=True, user_id=user.id))
    audit.record("account_activated", actor=user, target=user, ip=ip)
    db.session.commit()
    return user


__all__ = ["IssuedCode", "activate", "issue_codes", "pending_query", "users_by_employee_no",
           "valid_codes_until", "waiting"]
