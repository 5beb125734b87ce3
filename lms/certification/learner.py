"""The learner's "Certifications" page: every active certification with its requirements in
words (course, quiz and scenario titles, not codes), the person's progress toward each (one
batch per requirement kind, through the registry), what to do next, and the certificates
they hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.assessment.models import Quiz
from lms.catalog.models import Course
from lms.certification import holds
from lms.certification.models import Award, Certification
from lms.certification.state import state
from lms.core import requirements
from lms.extensions import db
from lms.i18n import localized
from lms.people.models import User
from lms.practice.models import Scenario


@dataclass
class Step:
    text: Any  # the requirement in words
    met: bool
    detail: Any
    link: str | None = None


@dataclass
class CertView:
    cert: Certification
    steps: list[Step] = field(default_factory=list)
    award: Award | None = None
    state: str = ""
    on_hold: bool = False

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.met)

    @property
    def next_step(self) -> Step | None:
        return next((s for s in self.steps if not s.met), None)


def _score(value: float | None) -> str:
    return f"{value:g}" if value is not None else ""


def _titles(certs: list[Certification]) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(kind, ref) → (title, link) for every requirement shown, a query per kind."""
    refs: dict[str, set[str]] = {}
    for cert in certs:
        for r in cert.requirements:
            refs.setdefault(r.kind, set()).add(r.ref)
    out: dict[tuple[str, str], tuple[str, str | None]] = {}
    codes = {ref.partition("/")[0] for ref in refs.get("quiz", set())} | refs.get("course",
                                                                                  set())
    courses = {c.code: c for c in db.session.scalars(select(Course).where(
        Course.code.in_(codes)))} if codes else {}
    for ref in refs.get("course", set()):
        c = courses.get(ref)
        out[("course", ref)] = (localized(c, "title"), url_for("learn.course", code=ref)) \
            if c else (ref, None)
    if refs.get("quiz"):
        quizzes = {(q.course.code, q.key): q for q in db.session.scalars(
            select(Quiz).join(Course).where(Course.code.in_(codes)))}
        for ref in refs["quiz"]:
            code, _sep, key = ref.partition("/")
            q = quizzes.get((code, key))
            out[("quiz", ref)] = (f"{localized(q, 'title')} · {localized(q.course, 'title')}",
                                  url_for("learn.quiz", public_id=q.public_id)) \
                if q else (ref, None)
    if refs.get("scenario"):
        scenarios = {s.code: s for s in db.session.scalars(select(Scenario).where(
            Scenario.code.in_(refs["scenario"])))}
        for ref in refs["scenario"]:
            s = scenarios.get(ref)
            out[("scenario", ref)] = (localized(s, "name"), url_for(
                "learn.practice_assessment", scenario=ref)) if s else (ref, None)
    for ref in refs.get("certification", set()):
        held = next((x for x in certs if x.code == ref), None)
        out[("certification", ref)] = (localized(held, "name"), f"#cert-{ref}") if held \
            else (ref, None)
    return out


def _words(kind: str, title: str, min_score: float | None) -> Any:
    if kind == "course":
        return _l("Complete the course “%(t)s”", t=title)
    if kind == "quiz":
        return _l("Score at least %(m)s in the quiz “%(t)s”", m=_score(min_score), t=title) \
            if min_score is not None else _l("Pass the quiz “%(t)s”", t=title)
    if kind == "scenario":
        return _l("Score at least %(m)s in an assessment of the practice scenario “%(t)s”",
                  m=_score(min_score), t=title) if min_score is not None else \
            _l("Pass an assessment of the practice scenario “%(t)s”", t=title)
    if kind == "certification":
        return _l("Hold the certification “%(t)s”", t=title)
    return f"{kind}: {title}"


def overview(user: User) -> list[CertView]:
    certs = list(db.session.scalars(select(Certification).where(
        Certification.active.is_(True)).order_by(Certification.code)))
    reqs = [requirements.Requirement(r.kind, r.ref, r.min_score)
            for c in certs for r in c.requirements]
    outcomes = requirements.check_many([user.id], reqs)
    titles = _titles(certs)
    awards: dict[int, Award] = {}
    for a in db.session.scalars(select(Award).where(
            Award.user_id == user.id, Award.status != "superseded")
            .order_by(Award.issued_at)):
        awards[a.certification_id] = a  # the latest per certification
    blocked = holds.state_for(user.id).blocked
    views = []
    for cert in certs:
        view = CertView(cert, award=awards.get(cert.id), on_hold=cert.id in blocked)
        view.state = state(view.award) if view.award else ""
        for r in cert.requirements:
            req = requirements.Requirement(r.kind, r.ref, r.min_score)
            outcome = outcomes[(user.id, req)]
            title, link = titles.get((r.kind, r.ref), (r.ref, None))
            view.steps.append(Step(_words(r.kind, title, r.min_score), outcome.met,
                                   outcome.detail, link))
        views.append(view)
    return views


def held(user: User) -> list[Award]:
    """Certificates the person holds or held (not the superseded ones), newest first."""
    return list(db.session.scalars(select(Award).where(
        Award.user_id == user.id, Award.status != "superseded")
        .order_by(Award.issued_at.desc())))
