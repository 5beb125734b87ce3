"""SQLAlchemy models, one module per aggregate. Import from here."""

from .people import ORG_KINDS, ROLES, JobRole, OrgUnit, RoleAssignment, User, UserRole
from .security import AuditEvent, LoginAttempt

__all__ = [
    "ORG_KINDS", "ROLES", "AuditEvent", "JobRole", "LoginAttempt", "OrgUnit",
    "RoleAssignment", "User", "UserRole",
]
