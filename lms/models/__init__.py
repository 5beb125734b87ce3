"""SQLAlchemy models, one module per aggregate. Import from here."""

from .api import API_SCOPES, ApiToken, IdempotencyKey, XapiStatement
from .assessment import (
    QUESTION_TYPES,
    REVIEW_MODES,
    Attempt,
    Question,
    QuestionBank,
    Quiz,
    Response,
)
from .catalog import CATEGORIES, COURSE_STATUSES, Course, CourseRequirement, Lesson, Module
from .certification import (
    AWARD_STATUSES,
    REQUIREMENT_KINDS,
    Award,
    AwardEvent,
    Certification,
    CertRequirement,
    RoleRequirement,
)
from .learning import ENROLLMENT_SOURCES, Enrollment, LessonProgress
from .notification import Notification
from .people import ORG_KINDS, ROLES, JobRole, OrgUnit, RoleAssignment, User, UserRole
from .practice import RUN_MODES, SCENARIO_KINDS, Scenario, SimulationRun
from .rotation import PLAN_STATUSES, RotationPlan
from .security import AuditEvent, LoginAttempt
from .studio import EDITOR_ROLES, AssignmentRule, CourseEditor, Upload

__all__ = [
    "API_SCOPES", "ApiToken", "IdempotencyKey", "XapiStatement",
    "EDITOR_ROLES", "AssignmentRule", "CourseEditor", "Upload",
    "RUN_MODES", "SCENARIO_KINDS", "Scenario", "SimulationRun",
    "AWARD_STATUSES", "REQUIREMENT_KINDS", "Award", "AwardEvent", "CertRequirement",
    "Certification", "Notification", "PLAN_STATUSES", "RoleRequirement", "RotationPlan",
    "CATEGORIES", "COURSE_STATUSES", "ENROLLMENT_SOURCES", "ORG_KINDS", "QUESTION_TYPES",
    "REVIEW_MODES", "ROLES", "Attempt", "AuditEvent", "Course", "CourseRequirement",
    "Enrollment", "JobRole", "Lesson", "LessonProgress", "LoginAttempt", "Module", "OrgUnit",
    "Question", "QuestionBank", "Quiz", "Response", "RoleAssignment", "User", "UserRole",
]
