"""API tokens: made and revoked by administrators, stored hashed, checked on every API call.

A secret looks like ``lms_<prefix>_<random>``. Only sha256(secret) is stored: a database leak
does not give working tokens, and the secret is shown once, when it is made. The prefix is
not secret; it names the token in lists and rate limits (never log the secret itself).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select, update
from sqlalchemy.orm import joinedload

from lms.core import audit
from lms.core.clock import as_utc
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.integration.models import API_SCOPES, ApiToken
from lms.people.models import User

SECRET_PREFIX = "lms_"  # noqa: S105 - the visible start of every secret, not a secret
# last_used_at is written at most this often per token, not on every call.
TOUCH_EVERY = timedelta(minutes=1)


def now() -> datetime:
    return datetime.now(UTC)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def lifetime_days() -> tuple[int, int]:
    """(default, maximum) days a new token stays valid (API_TOKEN_DAYS, API_TOKEN_MAX_DAYS)."""
    cfg = current_app.config
    maximum = int(cfg.get("API_TOKEN_MAX_DAYS", 365))
    return min(int(cfg.get("API_TOKEN_DAYS", 90)), maximum), maximum


def expires_at(token: ApiToken) -> datetime:
    """When the token stops working. Tokens made before expiry existed get the maximum."""
    if token.expires_at is not None:
        return as_utc(token.expires_at)
    return as_utc(token.created_at) + timedelta(days=lifetime_days()[1])


def is_expired(token: ApiToken, at: datetime | None = None) -> bool:
    return expires_at(token) <= (at or now())


def create_token(name: str, scopes: set[str] | list[str], actor: User | None,
                 ip: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """A new token and its secret (the only time the secret exists outside the caller).
    It works for `days` (default and maximum from the configuration)."""
    name = (name or "").strip()
    if not name:
        raise ServiceError(_l("Give the token a name."), field="name")
    default_days, max_days = lifetime_days()
    days = default_days if days is None else days
    if not 1 <= days <= max_days:
        raise ServiceError(_l("A token is valid for 1 to %(n)d days.", n=max_days),
                           field="valid_days")
    chosen = [s for s in API_SCOPES if s in set(scopes or ())]
    if not chosen or set(scopes) - set(API_SCOPES):
        raise ServiceError(_l("Choose read, write or both."), field="scopes")
    prefix = secrets.token_hex(4)
    while db.session.scalar(select(ApiToken.id).where(ApiToken.prefix == prefix)) is not None:
        prefix = secrets.token_hex(4)
    secret = f"{SECRET_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(name=name[:80], prefix=prefix, token_hash=hash_secret(secret),
                     scopes=chosen, created_by_id=actor.id if actor else None,
                     expires_at=now() + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    audit.record("api_token_created", actor=actor, target=token, ip=ip, name=token.name,
                 prefix=prefix, scopes=chosen, days=days)
    db.session.commit()
    return token, secret


def revoke_token(token: ApiToken, actor: User | None, ip: str = "") -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = now()
    audit.record("api_token_revoked", actor=actor, target=token, ip=ip, name=token.name,
                 prefix=token.prefix)
    db.session.commit()


def tokens_query() -> Select:
    """Active tokens first, newest first."""
    return (select(ApiToken).options(joinedload(ApiToken.created_by))
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(),
                      ApiToken.id.desc()))


def token_by_id(token_id: int) -> ApiToken | None:
    return db.session.get(ApiToken, token_id)


def check(secret: str) -> tuple[ApiToken | None, str]:
    """(the active token whose secret this is, "") or (None, why not: "unknown" | "expired").
    Records when the token was last used."""
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None, "unknown"
    token = db.session.scalar(select(ApiToken).where(
        ApiToken.token_hash == hash_secret(secret)))
    if token is None or token.revoked_at is not None:
        return None, "unknown"
    at = now()
    if is_expired(token, at):
        return None, "expired"
    if token.last_used_at is None or as_utc(token.last_used_at) + TOUCH_EVERY <= at:
        db.session.execute(update(ApiToken).where(ApiToken.id == token.id)
                           .values(last_used_at=at))
        db.session.commit()
    return token, ""


def authenticate(secret: str) -> ApiToken | None:
    """The active, unexpired token whose secret this is, or None."""
    return check(secret)[0]


def scope_for(method: str) -> str:
    """The scope a request needs: reading for safe methods, writing for the rest."""
    return "read" if method.upper() in ("GET", "HEAD", "OPTIONS") else "write"


__all__ = ["authenticate", "check", "create_token", "expires_at", "hash_secret", "is_expired",
           "lifetime_days", "revoke_token", "scope_for", "token_by_id", "tokens_query"]
