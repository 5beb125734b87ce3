"""People and organisation: users, their platform roles, org units, job roles, role history."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Date, DateTime, ForeignKey, String, UniqueConstraint, false, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from lms.core.db import Model, new_public_id, utcnow

# Platform roles. Everyone is a learner; these are granted on top.
ROLES = ("trainer", "manager", "hr", "admin")
ORG_KINDS = ("company", "branch", "division", "team")


class OrgUnit(Model):
    """A node of the organisation tree: company → branch → division → team."""

    __tablename__ = "org_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    # Materialised path of ids, e.g. "/1/4/9/": a subtree is one LIKE query.
    path: Mapped[str] = mapped_column(String(255), default="/", index=True)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], lazy="joined",
                                                    join_depth=1)

    def __repr__(self) -> str:
        return f"<OrgUnit {self.code}>"


class JobRole(Model):
    """A post in the marketing service division (counter clerk, dispatcher …)."""

    __tablename__ = "job_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    description_zh: Mapped[str] = mapped_column(String(500), default="")
    description_en: Mapped[str] = mapped_column(String(500), default="")

    def __repr__(self) -> str:
        return f"<JobRole {self.code}>"


class UserRole(Model):
    """One platform role granted to one user."""

    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    employee_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(255), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(default=True)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    job_role_id: Mapped[int | None] = mapped_column(ForeignKey("job_roles.id"), index=True)
    # Rotated on logout and password change: every older session cookie stops working.
    session_token: Mapped[str] = mapped_column(
        String(32), default=lambda: secrets.token_hex(16)
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A temporary password (set by an administrator) must be replaced at the next sign-in.
    must_change_password: Mapped[bool] = mapped_column(default=False,
                                                       server_default=false())

    org_unit: Mapped[OrgUnit | None] = relationship(lazy="joined")
    job_role: Mapped[JobRole | None] = relationship(lazy="joined")
    role_rows: Mapped[list[UserRole]] = relationship(
        lazy="selectin", cascade="all, delete-orphan"
    )

    # --- Flask-Login -----------------------------------------------------------------
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.active

    # --- passwords and roles ------------------------------------------------------------
    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def roles(self) -> set[str]:
        return {"learner"} | {r.role for r in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def rotate_session_token(self) -> None:
        self.session_token = secrets.token_hex(16)

    @staticmethod
    def by_login(identifier: str):
        """A select for the user whose employee number or e-mail is `identifier`."""
        ident = identifier.strip()
        return select(User).where(
            (User.employee_no == ident) | (User.email == ident.lower())
        )

    def __repr__(self) -> str:
        return f"<User {self.employee_no}>"


class RoleAssignment(Model):
    """Who held which job role when: the rotation history."""

    __tablename__ = "role_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    job_role_id: Mapped[int] = mapped_column(ForeignKey("job_roles.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(255), default="")

    job_role: Mapped[JobRole] = relationship(lazy="joined")


class RoleRequirement(Model):
    """What a job role asks of its holders, in learning-path order: certifications, courses
    and practice scores, each required or recommended."""

    __tablename__ = "role_requirements"
    __table_args__ = (UniqueConstraint("job_role_id", "kind", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_role_id: Mapped[int] = mapped_column(ForeignKey("job_roles.id", ondelete="CASCADE"),
                                             index=True)
    kind: Mapped[str] = mapped_column(String(16))  # certification | course | scenario
    ref: Mapped[str] = mapped_column(String(80))
    min_score: Mapped[float | None] = mapped_column()
    required: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    job_role: Mapped[JobRole] = relationship()
