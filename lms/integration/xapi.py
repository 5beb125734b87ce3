"""Learning records as xAPI statements (xAPI 1.0.3).

Every lesson completion, course completion, quiz attempt, practice run and award adds one
statement, in the same transaction as the event it records (the listeners below only add a
row: no network, nothing that could slow or fail the learner's request).

When an external Learning Record Store is configured (`LRS_URL`, with `LRS_AUTH` as the
Authorization header value), `forward_pending` sends the statements that have not been
forwarded yet, in batches, and backs off exponentially per statement after a failure.
`flask lms forward-xapi` runs it (once, or in a loop with --watch); a background worker may
call the same function.

Vocabulary: ADL verbs (completed, passed, failed, attempted, scored) and activity types;
awards follow the xAPI Open Badges recipe (verb "earned", the badge class and assertion as
extensions), so an LRS can follow them to the hosted Open Badges documents.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, or_, select

from lms.catalog.models import Course, Lesson
from lms.certification.models import Award
from lms.core import events
from lms.core.clock import as_utc
from lms.extensions import db
from lms.integration.models import XapiStatement
from lms.people.models import User
from lms.practice.models import SimulationRun

log = logging.getLogger(__name__)

XAPI_VERSION = "1.0.3"
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    "completed": ADL + "completed",
    "passed": ADL + "passed",
    "failed": ADL + "failed",
    "attempted": ADL + "attempted",
    "scored": ADL + "scored",
    # The xAPI Open Badges recipe's verb (there is no "earned" among the ADL verbs).
    "earned": "http://specification.openbadges.org/xapi/verbs/earned",
    "voided": ADL + "voided",
}
ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "scenario": "http://adlnet.gov/expapi/activities/simulation",
    "badge": "http://activitystrea.ms/schema/1.0/badge",
}
OB_RECIPE = "http://specification.openbadges.org/xapi/recipe/base/0_0_2"
OB_ASSERTION_EXT = "http://specification.openbadges.org/xapi/extensions/badgeassertion"
OB_CLASS_EXT = "http://specification.openbadges.org/xapi/extensions/badgeclass"

MAX_ATTEMPTS_DEFAULT = 12
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=6)


def now() -> datetime:
    return datetime.now(UTC)


def _base() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def _iso(value: datetime) -> str:
    return as_utc(value).astimezone(UTC).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def activity_id(kind: str, *parts: str) -> str:
    """A stable activity IRI under the site's BASE_URL."""
    from urllib.parse import quote

    return f"{_base()}/xapi/activities/{kind}/" + "/".join(quote(p, safe="") for p in parts)


def _lang(zh: str, en: str) -> dict[str, str]:
    names = {}
    if zh:
        names["zh-CN"] = zh
    if en:
        names["en-US"] = en
    return names or {"en-US": "-"}


def actor(user: User) -> dict[str, Any]:
    """The learner as an xAPI Agent identified by an account: this site + employee number."""
    return {"objectType": "Agent", "name": user.name,
            "account": {"homePage": _base(), "name": user.employee_no}}


def _activity(kind: str, iri: str, zh: str, en: str, **extra: Any) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": ACTIVITY_TYPES[kind], "name": _lang(zh, en)}
    definition.update(extra)
    return {"objectType": "Activity", "id": iri, "definition": definition}


def _course_context(course: Course) -> dict[str, Any]:
    return {"platform": current_app.config.get("ORG_NAME", "LMS"),
            "contextActivities": {"parent": [_activity(
                "course", activity_id("course", course.code), course.title_zh,
                course.title_en)]}}


def _verb(name: str) -> dict[str, Any]:
    return {"id": VERBS[name], "display": {"en-US": name}}


def _score(raw: float | None, low: float = 0.0, high: float = 100.0) -> dict[str, Any]:
    raw = float(raw or 0.0)
    raw = min(max(raw, low), high)
    return {"scaled": round((raw - low) / (high - low), 4), "raw": raw, "min": low,
            "max": high}


def _duration(start: datetime | None, end: datetime | None) -> str | None:
    if start is None or end is None:
        return None
    seconds = max(0.0, (as_utc(end) - as_utc(start)).total_seconds())
    return f"PT{seconds:.0f}S"


def record(user: User, verb: str, obj: dict[str, Any], *, at: datetime | None = None,
           result: dict[str, Any] | None = None,
           context: dict[str, Any] | None = None) -> XapiStatement:
    """Add a statement to the session; the caller's commit writes it."""
    row = XapiStatement(statement_id=str(uuid.uuid4()), user_id=user.id, verb=VERBS[verb],
                        actor=actor(user), object=obj, result=result, context=context,
                        timestamp=as_utc(at or now()), stored_at=now())
    db.session.add(row)
    return row


def as_statement(row: XapiStatement, *, stored: bool = True) -> dict[str, Any]:
    """The statement as xAPI JSON (without `stored` when it goes to an LRS, which sets it)."""
    data: dict[str, Any] = {"id": row.statement_id, "actor": row.actor,
                            "verb": {"id": row.verb,
                                     "display": {"en-US": row.verb.rsplit("/", 1)[-1]}},
                            "object": row.object, "timestamp": _iso(row.timestamp),
                            "version": XAPI_VERSION}
    if row.result:
        data["result"] = row.result
    if row.context:
        data["context"] = row.context
    if stored:
        data["stored"] = _iso(row.stored_at)
    return data


# --- what produces statements -------------------------------------------------------------

def _safely(fn):
    """A learning record must never cost the learner their work: log and go on."""
    def wrapper(**kw):
        try:
            fn(**kw)
        except Exception:  # pragma: no cover - defensive
            log.exception("Could not build the xAPI statement for %s", fn.__name__)
    wrapper.__name__ = fn.__name__
    return wrapper


def _user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


@events.on("lesson_completed")
@_safely
def on_lesson_completed(user_id: int, lesson: Lesson, course: Course, **_kw) -> None:
    user = _user(user_id)
    if user is None:
        return
    obj = _activity("lesson", activity_id("lesson", course.code, lesson.slug), lesson.title_zh,
                    lesson.title_en)
    record(user, "completed", obj, result={"completion": True},
           context=_course_context(course))


@events.on("course_completed")
@_safely
def on_course_completed(user_id: int, course: Course, **_kw) -> None:
    user = _user(user_id)
    if user is None:
        return
    obj = _activity("course", activity_id("course", course.code), course.title_zh,
                    course.title_en)
    record(user, "completed", obj, result={"completion": True},
           context={"platform": current_app.config.get("ORG_NAME", "LMS")})


@events.on("quiz_submitted")
@_safely
def on_quiz_submitted(user_id: int, attempt, **_kw) -> None:
    user = _user(user_id)
    if user is None:
        return
    quiz = attempt.quiz
    course = quiz.course
    obj = _activity("quiz", activity_id("quiz", course.code, quiz.key), quiz.title_zh,
                    quiz.title_en)
    passed = bool(attempt.passed)
    result: dict[str, Any] = {"score": _score(attempt.score), "success": passed,
                              "completion": True}
    duration = _duration(attempt.started_at, attempt.submitted_at)
    if duration:
        result["duration"] = duration
    context = _course_context(course)
    context["extensions"] = {f"{_base()}/xapi/extensions/attempt-number": attempt.number}
    record(user, "passed" if passed else "failed", obj, at=attempt.submitted_at,
           result=result, context=context)


@events.on("practice_finished")
@_safely
def on_practice_finished(user_id: int, run: SimulationRun, **_kw) -> None:
    user = _user(user_id)
    if user is None or run.score is None:
        return
    scenario = run.scenario
    obj = _activity("scenario", activity_id("scenario", scenario.code), scenario.name_zh,
                    scenario.name_en)
    result: dict[str, Any] = {"score": _score(run.score), "completion": True}
    verb = "attempted"
    if run.mode == "assessment":
        from lms.practice.attempts import assessment_rules

        verb = "scored"
        result["success"] = float(run.score) >= assessment_rules(scenario).pass_score
    duration = _duration(run.created_at, run.finished_at)
    if duration:
        result["duration"] = duration
    record(user, verb, obj, at=run.finished_at, result=result,
           context={"platform": current_app.config.get("ORG_NAME", "LMS"),
                    "extensions": {f"{_base()}/xapi/extensions/practice-mode": run.mode}})


@events.on("award_issued")
@_safely
def on_award_issued(user_id: int, award: Award, **_kw) -> None:
    from lms.certification.documents import assertion_url, badge_class_url, issuer_url

    user = _user(user_id)
    if user is None:
        return
    cert = award.certification
    base = _base()
    obj = _activity("badge", badge_class_url(base, cert.code), cert.name_zh, cert.name_en,
                    extensions={OB_CLASS_EXT: {
                        "@id": badge_class_url(base, cert.code),
                        "image": f"{base}/static/img/badge.svg",
                        "criteria": badge_class_url(base, cert.code),
                        "issuer": issuer_url(base)}})
    record(user, "earned", obj, at=award.issued_at,
           result={"completion": True, "success": True,
                   "extensions": {OB_ASSERTION_EXT: {
                       "@id": assertion_url(base, award.verification_code)}}},
           context={"platform": current_app.config.get("ORG_NAME", "LMS"),
                    "contextActivities": {"category": [{"objectType": "Activity",
                                                        "id": OB_RECIPE}]}})


@events.on("award_revoked")
@_safely
def on_award_revoked(user_id: int, award: Award, **_kw) -> None:
    """A revoked award's `earned` statement is voided (xAPI 1.0.3 §2.5: a voiding statement
    whose object is a StatementRef to it)."""
    from lms.certification.documents import assertion_url

    user = _user(user_id)
    if user is None:
        return
    target = assertion_url(_base(), award.verification_code)
    for row in db.session.scalars(select(XapiStatement).where(
            XapiStatement.user_id == user_id, XapiStatement.verb == VERBS["earned"])):
        ext = ((row.result or {}).get("extensions") or {}).get(OB_ASSERTION_EXT) or {}
        if ext.get("@id") == target:
            record(user, "voided", {"objectType": "StatementRef", "id": row.statement_id},
                   at=award.revoked_at)


# --- reading ------------------------------------------------------------------------------

def statements_query(*, since: datetime | None = None, until: datetime | None = None,
                     verb: str | None = None, employee_no: str | None = None) -> Select:
    stmt = select(XapiStatement).order_by(XapiStatement.timestamp, XapiStatement.id)
    if since is not None:
        stmt = stmt.where(XapiStatement.timestamp >= since)
    if until is not None:
        stmt = stmt.where(XapiStatement.timestamp < until)
    if verb:
        iri = VERBS.get(verb, verb)
        stmt = stmt.where(XapiStatement.verb == iri)
    if employee_no:
        stmt = stmt.join(User, User.id == XapiStatement.user_id).where(
            User.employee_no == employee_no)
    return stmt


def export_lines(stmt: Select, chunk: int = 500) -> Iterator[str]:
    """The statements of `stmt` as JSON lines, read in chunks (for large exports)."""
    last_id = 0
    base = stmt.order_by(None).order_by(XapiStatement.id)
    while True:
        rows = list(db.session.scalars(base.where(XapiStatement.id > last_id).limit(chunk)))
        if not rows:
            return
        for row in rows:
            yield json.dumps(as_statement(row), ensure_ascii=False, sort_keys=True) + "\n"
        last_id = rows[-1].id


# --- forwarding to an external LRS ----------------------------------------------------------

@dataclass
class ForwardResult:
    sent: int = 0
    failed: int = 0
    error: str = ""
    configured: bool = True


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 30 s, 1 min, 2 min … up to 6 hours."""
    return min(BACKOFF_BASE * (2 ** max(0, attempts - 1)), BACKOFF_MAX)


def _due(at: datetime, max_attempts: int) -> Select:
    return select(XapiStatement).where(
        XapiStatement.forwarded_at.is_(None),
        XapiStatement.forward_attempts < max_attempts,
        or_(XapiStatement.next_attempt_at.is_(None), XapiStatement.next_attempt_at <= at),
    ).order_by(XapiStatement.id)


def pending_count() -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count(XapiStatement.id)).where(
        XapiStatement.forwarded_at.is_(None))) or 0


def _post(url: str, auth: str | None, batch: list[dict[str, Any]], timeout: float) -> None:
    """POST statements to the LRS; raise on anything but a 2xx answer."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"LRS_URL must be an http(s) URL, not {url!r}")
    body = json.dumps(batch, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310
        "Content-Type": "application/json", "X-Experience-API-Version": XAPI_VERSION})
    if auth:
        request.add_header("Authorization", auth)
    # The URL comes from the operator's configuration (checked above), never from a request.
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        response.read()


def _statements_url(lrs_url: str) -> str:
    url = lrs_url.rstrip("/")
    return url if url.endswith("/statements") else url + "/statements"


def forward_pending(*, at: datetime | None = None, batch_size: int = 100,
                    max_batches: int | None = None) -> ForwardResult:
    """Send due statements to the LRS in batches. A failed batch is marked for a later try
    (exponential backoff per statement) and ends this round: the LRS is likely down."""
    cfg = current_app.config
    url = cfg.get("LRS_URL")
    if not url:
        return ForwardResult(configured=False)
    at = at or now()
    max_attempts = int(cfg.get("LRS_MAX_ATTEMPTS") or MAX_ATTEMPTS_DEFAULT)
    result = ForwardResult()
    batches = 0
    while max_batches is None or batches < max_batches:
        rows = list(db.session.scalars(_due(at, max_attempts).limit(batch_size)))
        if not rows:
            break
        batches += 1
        try:
            _post(_statements_url(url), cfg.get("LRS_AUTH"),
                  [as_statement(r, stored=False) for r in rows],
                  float(cfg.get("LRS_TIMEOUT") or 10))
        except (OSError, ValueError) as e:  # URLError and HTTPError are OSErrors
            message = _describe(e)
            for row in rows:
                row.forward_attempts += 1
                row.last_error = message[:500]
                row.next_attempt_at = at + backoff(row.forward_attempts)
            db.session.commit()
            log.warning("xAPI forwarding to the LRS failed (%d statements): %s", len(rows),
                        message)
            result.failed += len(rows)
            result.error = message
            break
        stamp = now()
        for row in rows:
            row.forwarded_at = stamp
            row.forward_attempts += 1
            row.last_error = ""
            row.next_attempt_at = None
        db.session.commit()
        result.sent += len(rows)
    return result


def _describe(error: Exception) -> str:
    if isinstance(error, urllib.error.HTTPError):
        try:
            detail = error.read(300).decode("utf-8", "replace").strip()
        except OSError:
            detail = ""
        return f"HTTP {error.code} {error.reason}" + (f": {detail}" if detail else "")
    if isinstance(error, urllib.error.URLError):
        return f"cannot reach the LRS: {error.reason}"
    return f"{type(error).__name__}: {error}"


__all__ = ["ACTIVITY_TYPES", "VERBS", "ForwardResult", "activity_id", "actor", "as_statement",
           "backoff", "export_lines", "forward_pending", "pending_count", "record",
           "statements_query"]
