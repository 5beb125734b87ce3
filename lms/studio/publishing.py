"""Publishing a course's draft as its next version, discarding it, archiving and restoring the
course, and the course's history of changes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.catalog.models import Course
from lms.catalog.package import PackageError
from lms.core import audit
from lms.core.audit import AuditEvent
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User
from lms.studio.checks import DraftChecks, check_draft
from lms.studio.drafts import live_draft, load_draft
from lms.studio.editors import require_edit
from lms.studio.packages import ImportResult, apply_package


class ChecksFailed(ServiceError):
    """The question-bank checks found errors in the draft: it is not published."""

    def __init__(self, checks: DraftChecks):
        super().__init__(_l("The draft cannot be published: the checks found %(n)d error(s), "
                            "shown next to the question banks, quizzes and lessons they "
                            "concern. Warnings do not block publishing.", n=checks.errors))
        self.checks = checks


def publish(course: Course, actor: User | None) -> tuple[ImportResult, DraftChecks]:
    """Validate the draft with the package loader and the question-bank checks and apply it
    as the next version; returns the result and the checks' findings (warnings only).

    Raises PackageError (the full list of problems) when the draft is not a valid package,
    ChecksFailed when the checks find errors; nothing changes then.
    """
    require_edit(actor, course)
    db.session.refresh(course, ["draft", "version"], with_for_update=True)
    draft = course.draft
    if draft is None:
        raise ServiceError(_l("There is no draft to publish."))
    first = not course.content_hash
    version = course.version if first else course.version + 1
    package = load_draft(draft, version=version, status="published")
    checks = check_draft(draft)
    if checks.errors:
        raise ChecksFailed(checks)
    if not first:
        mine = load_draft(draft, version=course.version, status="published").content_hash
        try:
            live = load_draft(live_draft(course), version=course.version,
                              status="published").content_hash
        except PackageError:
            live = ""
        if mine == live:
            raise ServiceError(_l("The draft is the same as the published course: nothing "
                                  "to publish."))
    try:
        result = apply_package(package, actor)
        course.draft = None
        course.draft_updated_at = None
        audit.record("course_published", actor=actor, target=course, change="published",
                     item=f"v{course.version}", version=course.version,
                     changes=result.changes[:100])
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result, checks


def discard_draft(course: Course, actor: User | None) -> None:
    require_edit(actor, course)
    if course.draft is None:
        raise ServiceError(_l("There is no draft to discard."))
    course.draft = None
    course.draft_updated_at = None
    audit.record("course_draft_discarded", actor=actor, target=course, change="discarded",
                 item=course.code)
    db.session.commit()


def archive(course: Course, actor: User | None) -> None:
    """Hide the course from the catalogue; enrolments, progress and awards stay."""
    require_edit(actor, course)
    if course.status == "archived":
        raise ServiceError(_l("The course is already archived."))
    before = course.status
    course.status = "archived"
    audit.record("course_archived", actor=actor, target=course, change="archived",
                 item=course.code, before=before)
    db.session.commit()


def restore(course: Course, actor: User | None) -> None:
    require_edit(actor, course)
    if course.status != "archived":
        raise ServiceError(_l("The course is not archived."))
    course.status = "published" if course.content_hash else "draft"
    audit.record("course_restored", actor=actor, target=course, change="restored",
                 item=course.code)
    db.session.commit()


def history(course: Course, limit: int = 300) -> list[AuditEvent]:
    """Every recorded change of the course, newest first."""
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.target_type == "course", AuditEvent.target_id == course.code)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))
