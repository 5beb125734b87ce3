"""Sign-in against the company directory (LDAP / Active Directory, with ldap3) and the
directory sync.

Configured from the environment (lms/config.py, README):

- ``LDAP_URL`` (unset: directory sign-in is off), ``LDAP_BASE_DN`` where people are,
  ``LDAP_BIND_DN`` / ``LDAP_BIND_PASSWORD`` a service account to find people (anonymous when
  unset), ``LDAP_USER_FILTER`` how a typed login finds a person (``{login}`` is replaced,
  escaped), ``LDAP_SYNC_FILTER`` who the sync reads, ``LDAP_ATTRIBUTES`` which directory
  attribute gives employee_no, name, email and org_unit (the org unit's code),
  ``LDAP_GROUP_ROLES`` which directory group grants which platform role,
  ``LDAP_DISABLED_FILTER`` which people are disabled there (e.g. AD's
  ``(userAccountControl:1.2.840.113556.1.4.803:=2)``), ``LDAP_CREATE_USERS`` whether a
  first sign-in creates the account, ``LDAP_TIMEOUT``.

A person found in the directory signs in with the directory password only (the bind), and
their account is created, or linked by employee number, and brought up to date on every
sign-in. People the directory does not know keep their local password. When the directory
cannot be reached, local accounts still sign in and directory people get a clear message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from ldap3 import NONE, SUBTREE, Connection, Server
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from sqlalchemy import select

from lms.core import audit
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people import accounts
from lms.people.models import ROLES, OrgUnit, User

LOCAL, DIRECTORY = "local", "ldap"
DEFAULT_ATTRIBUTES = {"employee_no": "employeeNumber", "name": "cn", "email": "mail",
                      "org_unit": "departmentNumber"}


DirectoryUnavailable = accounts.DirectoryUnavailable


@dataclass
class DirectoryPerson:
    dn: str
    employee_no: str
    name: str
    email: str
    org_unit: str = ""
    roles: set[str] | None = None  # None: the directory does not manage roles
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)


def enabled() -> bool:
    return bool(current_app.config.get("LDAP_URL"))


def _attribute_map() -> dict[str, str]:
    """LDAP_ATTRIBUTES "employee_no=employeeNumber,name=cn,…" over the defaults."""
    mapping = dict(DEFAULT_ATTRIBUTES)
    for part in (current_app.config.get("LDAP_ATTRIBUTES") or "").split(","):
        key, sep, attr = part.partition("=")
        if sep and key.strip() in mapping and attr.strip():
            mapping[key.strip()] = attr.strip()
    return mapping


def _group_roles() -> dict[str, str]:
    """LDAP_GROUP_ROLES "admin:cn=lms-admins,ou=groups,dc=…;trainer:cn=…" → group DN → role."""
    out: dict[str, str] = {}
    for part in (current_app.config.get("LDAP_GROUP_ROLES") or "").split(";"):
        role, sep, dn = part.partition(":")
        if sep and role.strip() in ROLES and dn.strip():
            out[dn.strip().lower()] = role.strip()
    return out


def _timeout() -> int:
    """Seconds (whole: ldap3 packs the receive timeout as an integer)."""
    return max(1, round(float(current_app.config.get("LDAP_TIMEOUT") or 5)))


def _server() -> Server:
    timeout = _timeout()
    return Server(current_app.config["LDAP_URL"], connect_timeout=timeout, get_info=NONE)


def _connect(user: str | None, password: str | None) -> Connection:
    """A bound connection, or DirectoryUnavailable."""
    timeout = _timeout()
    try:
        conn = Connection(_server(), user=user, password=password, receive_timeout=timeout,
                          raise_exceptions=False, read_only=True)
        if not conn.bind():
            raise DirectoryUnavailable(f"service bind refused: {conn.result.get('description')}")
    except LDAPException as e:
        raise DirectoryUnavailable(str(e)) from e
    return conn


def _service() -> Connection:
    cfg = current_app.config
    return _connect(cfg.get("LDAP_BIND_DN") or None, cfg.get("LDAP_BIND_PASSWORD") or None)


def _first(entry: dict[str, Any], attr: str) -> str:
    value = entry.get(attr)
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "").strip()


def _person(dn: str, attributes: dict[str, Any]) -> DirectoryPerson | None:
    mapping = _attribute_map()
    values = {key: _first(attributes, attr) for key, attr in mapping.items()}
    person = DirectoryPerson(dn=dn, employee_no=values["employee_no"], name=values["name"],
                             email=values["email"], org_unit=values["org_unit"], raw=attributes)
    if not person.employee_no or not person.email:
        return None
    person.email = person.email.lower()
    person.name = person.name or person.employee_no
    return person


def _roles_of(conn: Connection) -> dict[str, set[str]]:
    """member DN (lower case) → platform roles, from the configured groups."""
    out: dict[str, set[str]] = {}
    for group_dn, role in _group_roles().items():
        conn.search(group_dn, "(objectClass=*)", search_scope="BASE",
                    attributes=["member", "uniqueMember"])
        for entry in conn.response or []:
            attrs = entry.get("attributes", {})
            for member in list(attrs.get("member", [])) + list(attrs.get("uniqueMember", [])):
                out.setdefault(str(member).lower(), set()).add(role)
    return out


def _search(conn: Connection, search_filter: str) -> list[tuple[str, dict[str, Any]]]:
    cfg = current_app.config
    attrs = list(set(_attribute_map().values()))
    found = conn.extend.standard.paged_search(
        cfg["LDAP_BASE_DN"], search_filter, search_scope=SUBTREE, attributes=attrs,
        paged_size=500, generator=False)
    return [(e["dn"], dict(e["attributes"])) for e in found or []
            if e.get("type") == "searchResEntry"]


def _disabled(conn: Connection, dn: str | None = None) -> set[str] | bool:
    """With LDAP_DISABLED_FILTER set: whether `dn` is disabled there, or (no dn) the
    lower-case DNs of everyone disabled."""
    disabled_filter = current_app.config.get("LDAP_DISABLED_FILTER") or ""
    if not disabled_filter:
        return False if dn else set()
    if dn:
        conn.search(dn, disabled_filter, search_scope="BASE", attributes=[])
        return any(e.get("type") == "searchResEntry" for e in conn.response or [])
    return {d.lower() for d, _a in _search(conn, disabled_filter)}


def find_and_verify(login: str, password: str) -> DirectoryPerson | None | bool:
    """The directory person whose password this is; None when the directory knows nobody by
    this login; False when it knows them and the password is wrong (or the account is
    disabled there). DirectoryUnavailable when it cannot be asked."""
    login = login.strip()
    if not login or not password:
        return False if login else None
    conn = _service()
    try:
        template = current_app.config["LDAP_USER_FILTER"]
        found = _search(conn, template.replace("{login}", escape_filter_chars(login)))
        if len(found) != 1:
            return None
        dn, attributes = found[0]
        if _disabled(conn, dn):
            # Refused before the password is even tried: nothing to learn about it here.
            raise ServiceError(_l("This account is disabled in the company directory. Ask "
                                  "your IT service desk."), field="identifier")
        managed = bool(_group_roles())
        roles = _roles_of(conn) if managed else {}
    except LDAPException as e:
        raise DirectoryUnavailable(str(e)) from e
    finally:
        conn.unbind()
    try:
        user_conn = Connection(_server(), user=dn, password=password, raise_exceptions=False,
                               receive_timeout=_timeout())
        ok = user_conn.bind()
        user_conn.unbind()
    except LDAPException as e:
        raise DirectoryUnavailable(str(e)) from e
    if not ok:
        return False
    person = _person(dn, attributes)
    if person is None:
        return None
    if managed:
        person.roles = roles.get(dn.lower(), set())
    return person


def _unit(code: str) -> OrgUnit | None:
    if not code:
        return None
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def apply_person(person: DirectoryPerson, *, create: bool,
                 ip: str = "") -> tuple[User | None, str]:
    """Create or link (by employee number) and update the account from the directory.
    (user, "created" | "updated" | "unchanged"), or (None, "skipped") when not allowed to
    create or the e-mail belongs to someone else."""
    user = db.session.scalar(select(User).where(User.employee_no == person.employee_no))
    unit = _unit(person.org_unit)
    taken = db.session.scalar(select(User.id).where(User.email == person.email))
    if user is None:
        if not create or taken is not None:
            return None, "skipped"
        user = accounts.create_user(employee_no=person.employee_no, name=person.name,
                                    email=person.email, org_unit=unit,
                                    password=accounts.generate_temporary_password(),
                                    roles=person.roles or set(), ip=ip)
        user.auth_source = DIRECTORY
        db.session.commit()
        return user, "created"
    before = (user.name, user.email, user.org_unit_id, user.auth_source, user.roles)
    user.name = person.name
    if taken is None or taken == user.id:
        user.email = person.email
    if unit is not None:
        user.org_unit = unit
    user.auth_source = DIRECTORY
    roles = person.roles
    if roles is not None and "admin" not in roles and accounts.is_last_active_admin(user):
        roles = roles | {"admin"}  # the directory never takes away the last administrator
        audit.record("last_admin_kept", target=user, ip=ip, via="directory")
    if roles is not None and roles != user.roles - {"learner"}:
        accounts._set_roles(user, roles)
        audit.record("roles_changed", target=user, ip=ip, via="directory",
                     after=sorted(roles))
    changed = before != (user.name, user.email, user.org_unit_id, user.auth_source, user.roles)
    if changed:
        audit.record("user_updated", target=user, ip=ip, via="directory")
    db.session.commit()
    return user, "updated" if changed else "unchanged"


def sign_in(login: str, password: str, ip: str = "") -> User | None | bool:
    """Directory sign-in: the account (created or linked and updated), None when the
    directory does not know this login, False for a wrong password."""
    found = find_and_verify(login, password)
    if not isinstance(found, DirectoryPerson):
        return found
    create = bool(current_app.config.get("LDAP_CREATE_USERS", True))
    user, _outcome = apply_person(found, create=create, ip=ip)
    return user if user is not None else None


def sync(ip: str = "") -> SyncResult:
    """Everyone the directory lists: create or update; directory accounts it no longer lists,
    or lists as disabled, are deactivated (and signed out). Local accounts are left alone."""
    if not enabled():
        raise ServiceError(_l("LDAP_URL is not set: there is no directory to sync with."))
    conn = _service()
    try:
        found = _search(conn, current_app.config["LDAP_SYNC_FILTER"])
        disabled = _disabled(conn)
        assert isinstance(disabled, set)
        managed = bool(_group_roles())
        roles = _roles_of(conn) if managed else {}
    except LDAPException as e:
        raise DirectoryUnavailable(str(e)) from e
    finally:
        conn.unbind()
    if not found:
        # An empty answer is far likelier a wrong filter than everyone leaving at once.
        raise ServiceError(_l("The directory listed nobody: nothing was changed. Check "
                              "LDAP_BASE_DN and LDAP_SYNC_FILTER."))
    result = SyncResult()
    seen: set[str] = set()
    for dn, attributes in found:
        if dn.lower() in disabled:
            continue  # disabled there: deactivated here below, like those who left
        person = _person(dn, attributes)
        if person is None:
            result.skipped.append(f"{dn} (no employee number or e-mail)")
            continue
        if managed:
            person.roles = roles.get(dn.lower(), set())
        user, outcome = apply_person(person, create=True, ip=ip)
        if user is None:
            result.skipped.append(f"{dn} (its e-mail belongs to another account)")
            continue
        seen.add(user.employee_no)
        setattr(result, outcome, getattr(result, outcome) + 1)
    for user in db.session.scalars(select(User).where(User.auth_source == DIRECTORY,
                                                      User.active.is_(True))):
        if user.employee_no not in seen:
            if accounts.is_last_active_admin(user):
                result.skipped.append(f"{user.employee_no} (the last active administrator)")
                continue
            user.active = False
            user.rotate_session_token()
            audit.record("user_deactivated", target=user, ip=ip, via="directory sync")
            result.deactivated += 1
    audit.record("directory_synced", ip=ip, created=result.created, updated=result.updated,
                 deactivated=result.deactivated, skipped=len(result.skipped))
    db.session.commit()
    return result


__all__ = ["DIRECTORY", "LOCAL", "DirectoryPerson", "DirectoryUnavailable", "SyncResult",
           "enabled", "find_and_verify", "sign_in", "sync"]
