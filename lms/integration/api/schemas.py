"""Request and response bodies of the API as pydantic models: they validate what comes in,
shape what goes out, and are the source of the OpenAPI document's schemas."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    model_serializer,
)

# No control characters in any text we take (PostgreSQL refuses NUL; none belongs in a name).
_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
EmployeeNo = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
Text80 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80,
                                          pattern=_PRINTABLE)]
Search = Annotated[str, StringConstraints(max_length=100, pattern=_PRINTABLE)]
ExternalId = Annotated[str, StringConstraints(min_length=1, max_length=100,
                                              pattern=r"^[^\x00-\x1f\x7f]{1,100}$")]
Locale = Literal["zh_CN", "en"]


def _to_utc(value: datetime) -> datetime:
    """Naive times are taken as UTC; out-of-range ones are refused, not crashed on."""
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError as e:
        raise ValueError("the time is out of range") from e


UtcDateTime = Annotated[datetime, AfterValidator(_to_utc)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Query(BaseModel):
    """Query parameters (unknown ones are ignored)."""

    model_config = ConfigDict(extra="ignore")


class PageQuery(_Query):
    page: int = Field(default=1, ge=1, le=100_000, description="Page number, from 1.")
    per_page: int = Field(default=25, ge=1, le=100, description="Items per page (≤ 100).")


# --- errors --------------------------------------------------------------------------------

class FieldError(BaseModel):
    field: str | None
    code: str
    message: str


class ErrorDetail(BaseModel):
    code: str = Field(description="Machine-readable, e.g. invalid, not_found, unauthorized.")
    message: str = Field(description="For people (English).")
    field: str | None = Field(default=None, description="The input at fault, when there is one "
                                                        "(dotted path into the body).")
    details: list[FieldError] | None = None


class Error(BaseModel):
    error: ErrorDetail


# --- pagination ----------------------------------------------------------------------------

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int = Field(description="Number of items over all pages.")
    next: str | None = Field(description="The next page's URL (relative), or null on the last.")


# --- people and organisation --------------------------------------------------------------

class UserOut(BaseModel):
    employee_no: str
    name: str
    email: str
    active: bool
    org_unit: str | None = Field(description="Org unit code.")
    job_role: str | None = Field(description="Job role code.")
    roles: list[str] = Field(description="Platform roles (managed in the admin pages).")
    locale: str | None
    created_at: datetime
    last_login_at: datetime | None


class UserQuery(PageQuery):
    active: bool | None = None
    org_unit: Code | None = Field(default=None, description="Org unit code (that unit only).")
    job_role: Code | None = None
    q: Search | None = Field(default=None, description="Search in name, employee no., e-mail.")


class UserCreate(_In):
    """A person from the HR system. Sending someone who exists already updates them."""

    employee_no: EmployeeNo
    name: Text80
    email: Annotated[EmailStr, StringConstraints(max_length=255)]
    org_unit: Code | None = Field(default=None, description="Org unit code.")
    job_role: Code | None = Field(default=None, description="Job role code.")
    locale: Locale | None = None
    active: bool = True


class UserUpdate(_In):
    """Only the fields sent change."""

    name: Text80 | None = None
    email: Annotated[EmailStr, StringConstraints(max_length=255)] | None = None
    org_unit: Code | None = None
    job_role: Code | None = None
    locale: Locale | None = None
    active: bool | None = None


class OrgUnitOut(BaseModel):
    code: str
    name_zh: str
    name_en: str
    kind: str
    parent: str | None = Field(description="The parent unit's code.")


class JobRoleOut(BaseModel):
    code: str
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str


# --- catalogue -----------------------------------------------------------------------------

class CourseQuery(PageQuery):
    status: Literal["draft", "published", "archived"] | None = Field(
        default=None, description="Default: published.")
    category: Code | None = None
    q: Search | None = None


class CourseOut(BaseModel):
    code: str
    version: int
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str
    category: str
    audience: list[str]
    estimated_minutes: int
    status: str
    updated_at: datetime


class LessonOut(BaseModel):
    slug: str
    title_zh: str
    title_en: str
    minutes: int


class ModuleOut(BaseModel):
    title_zh: str
    title_en: str
    lessons: list[LessonOut]


class QuizOut(BaseModel):
    key: str
    title_zh: str
    title_en: str
    pass_mark: float
    max_attempts: int
    required: bool


class CourseDetail(CourseOut):
    modules: list[ModuleOut]
    quizzes: list[QuizOut]


# --- enrolments -----------------------------------------------------------------------------

class EnrollmentQuery(PageQuery):
    employee_no: EmployeeNo | None = None
    course: Code | None = None
    status: Literal["not_started", "in_progress", "completed", "overdue"] | None = None
    due_before: date | None = None


class EnrollmentOut(BaseModel):
    employee_no: str
    course: str
    source: str
    status: Literal["not_started", "in_progress", "completed", "overdue"]
    due_date: date | None
    enrolled_at: datetime
    completed_at: datetime | None


class EnrollmentAssign(_In):
    """Assign a published course to people. With `external_id`, repeating the request does
    nothing new and answers as the first time; the same id with other data is refused."""

    external_id: ExternalId | None = None
    course: Code
    employee_nos: list[EmployeeNo] = Field(min_length=1, max_length=1000)
    due_date: date | None = None


class AssignResult(BaseModel):
    external_id: str | None
    course: str
    due_date: date | None
    added: int = Field(description="Newly enrolled.")
    updated: int = Field(description="Already enrolled (due date and source updated).")
    enrollments: list[EnrollmentOut]


# --- awards ---------------------------------------------------------------------------------

AwardState = Literal["valid", "expiring", "expired", "revoked", "superseded"]


class AwardQuery(PageQuery):
    state: AwardState | None = Field(default=None, description="Derived state.")
    certification: Code | None = None
    employee_no: EmployeeNo | None = None
    expires_before: date | None = None
    expires_after: date | None = None


class AwardOut(BaseModel):
    code: str = Field(description="The verification code.")
    employee_no: str
    name: str
    certification: str
    certification_name_zh: str
    certification_name_en: str
    status: Literal["active", "revoked", "superseded"]
    state: AwardState
    valid: bool = Field(description="Whether the certification counts now.")
    source: str
    issued_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    verify_url: str = Field(description="The public verification page.")
    assertion_url: str = Field(description="Open Badges 2.0 assertion (hosted verification).")
    badge_class_url: str
    issuer_url: str


# --- rotation -------------------------------------------------------------------------------

class RotationQuery(PageQuery):
    status: Literal["active", "moved", "cancelled"] | None = None
    employee_no: EmployeeNo | None = None
    to_role: Code | None = None


class RotationPlanOut(BaseModel):
    id: str
    employee_no: str
    name: str
    from_role: str | None
    to_role: str
    start_date: date
    mentor: str | None = Field(description="The mentor's employee number.")
    status: str
    notes: str
    created_at: datetime
    closed_at: datetime | None


# --- xAPI -----------------------------------------------------------------------------------

class StatementQuery(PageQuery):
    since: UtcDateTime | None = Field(default=None, description="Timestamp ≥ since.")
    until: UtcDateTime | None = Field(default=None, description="Timestamp < until.")
    verb: Annotated[str, StringConstraints(max_length=255, pattern=_PRINTABLE)] | None = Field(
        default=None, description="A verb IRI or its last word (completed, passed …).")
    employee_no: EmployeeNo | None = None


class ExportQuery(_Query):
    since: UtcDateTime | None = None
    until: UtcDateTime | None = None
    verb: Annotated[str, StringConstraints(max_length=255, pattern=_PRINTABLE)] | None = None
    employee_no: EmployeeNo | None = None


class XapiVerb(BaseModel):
    id: str
    display: dict[str, str]


class XapiStatementOut(BaseModel):
    """An xAPI 1.0.3 statement."""

    id: str
    actor: dict[str, Any]
    verb: XapiVerb
    object: dict[str, Any]
    result: dict[str, Any] | None = None
    context: dict[str, Any] | None = None
    timestamp: str
    stored: str
    version: str

    @model_serializer(mode="wrap")
    def _without_nulls(self, handler):
        return {k: v for k, v in handler(self).items() if v is not None}
