"""The one registry of requirement kinds.

A requirement is "person X has done Y": a course completed, a quiz passed with a score, a
practice assessment scored, a certification held, a classroom course attended ("class",
registered by lms/records/kinds.py: present at 80% of the class's sessions).
Certification rules, course completion and rotation readiness all ask this registry; each
kind is defined once, by the feature that owns the evidence, and says

- `check(user_id, req, since)`: one person, with the evidence that decided it (shown on an
  award's evidence snapshot and on the person's page);
- `check_many(user_ids, reqs, since)`: many people at once in a fixed number of queries
  (rotation board, skills matrix, "who would qualify" previews). Both must agree; a test
  runs every registered kind through both;
- `exists(ref)`: whether a requirement may name `ref` (checked when HR saves one);
- `course_parts(course_ids)`: optionally, the parts of courses this kind makes required
  for completion (a course's required quizzes).

Features register their kinds when imported (`lms.features.load()` imports them all).
This module imports no feature.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Requirement:
    kind: str
    ref: str
    min_score: float | None = None


@dataclass
class Outcome:
    met: bool
    detail: Any  # a lazy translated string: pages that show it pay for translating it
    evidence: dict[str, Any] = field(default_factory=dict)
    score: float | None = None
    started: bool = False  # some evidence exists (a course in progress, a quiz taken)


@dataclass(frozen=True)
class CoursePart:
    """Something besides the lessons that a course needs for completion."""

    requirement: Requirement
    title: str
    required: bool = True
    target: Any = None  # the object the page links to (a quiz, a scenario)


Key = tuple[int, Requirement]


class Kind(ABC):
    name: str
    label: Any  # lazy translated name of the kind, for forms and lists

    @abstractmethod
    def exists(self, ref: str) -> bool: ...

    @abstractmethod
    def check(self, user_id: int, req: Requirement, since: datetime | None = None
              ) -> Outcome: ...

    @abstractmethod
    def check_many(self, user_ids: list[int], reqs: list[Requirement],
                   since: datetime | None = None) -> dict[Key, Outcome]: ...

    def course_parts(self, course_ids: list[int]) -> dict[int, list[CoursePart]]:
        return {}

    def prerequisites(self, ref: str) -> list[Requirement]:
        """Requirements `ref` itself has (certifications needing certifications)."""
        return []


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def kind(name: str) -> Kind | None:
    return KINDS.get(name)


class UnknownKind(Kind):
    """A stored requirement whose kind no feature provides: never met, said so."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.label = name

    def exists(self, ref: str) -> bool:
        return False

    def _outcome(self) -> Outcome:
        from flask_babel import lazy_gettext as _l

        return Outcome(False, _l("%(k)s requirements are not available yet", k=self.name))

    def check(self, user_id: int, req: Requirement, since: datetime | None = None) -> Outcome:
        return self._outcome()

    def check_many(self, user_ids: list[int], reqs: list[Requirement],
                   since: datetime | None = None) -> dict[Key, Outcome]:
        return {(u, r): self._outcome() for u in user_ids for r in reqs}


def choices(names: Iterable[str], blank: Any) -> list[tuple[str, Any]]:
    """(name, label) pairs for a form's kind select, in the order given."""
    return [("", blank), *[(n, KINDS[n].label) for n in names if n in KINDS]]


def get(name: str) -> Kind:
    return KINDS.get(name) or UnknownKind(name)


def check(user_id: int, req: Requirement, since: datetime | None = None) -> Outcome:
    return get(req.kind).check(user_id, req, since)


def check_many(user_ids: Iterable[int], reqs: Iterable[Requirement],
               since: datetime | None = None) -> dict[Key, Outcome]:
    """Every (person, requirement) pair, one batch per kind."""
    ids = list(dict.fromkeys(user_ids))
    by_kind: dict[str, list[Requirement]] = {}
    for req in reqs:
        by_kind.setdefault(req.kind, [])
        if req not in by_kind[req.kind]:
            by_kind[req.kind].append(req)
    out: dict[Key, Outcome] = {}
    if not ids:
        return out
    for name, group in by_kind.items():
        out.update(get(name).check_many(ids, group, since))
    return out


def course_parts(course_ids: list[int]) -> dict[int, list[CoursePart]]:
    out: dict[int, list[CoursePart]] = {cid: [] for cid in course_ids}
    if not course_ids:
        return out
    for k in KINDS.values():
        for cid, parts in k.course_parts(course_ids).items():
            out.setdefault(cid, []).extend(parts)
    return out


# --- fresh allowances ----------------------------------------------------------------------
# Features that limit attempts (quizzes, practice assessments) ask when the person's current
# allowance began; certification answers with the opening of a renewal window of a held
# award that requires that quiz or scenario (renewal gets fresh attempts).

AllowanceStart = Callable[[int, str, str, datetime], "datetime | None"]
ALLOWANCE_STARTS: list[AllowanceStart] = []


def allowance_start(user_id: int, kind: str, ref: str, at: datetime) -> datetime | None:
    """The start of the person's current allowance: the latest fresh start any feature
    reports (a renewal window opening, a reset granted by a trainer or HR)."""
    starts = [s for fn in ALLOWANCE_STARTS if (s := fn(user_id, kind, ref, at)) is not None]
    return max(starts) if starts else None


# Extra attempts granted on top of a limit, within the current allowance.
ExtraAttempts = Callable[[int, str, str, "datetime | None"], int]
EXTRA_ATTEMPTS: list[ExtraAttempts] = []


def extra_attempts(user_id: int, kind: str, ref: str, since: datetime | None) -> int:
    return sum(fn(user_id, kind, ref, since) for fn in EXTRA_ATTEMPTS)


# --- stable references ---------------------------------------------------------------------
# Codes that requirements name (a course, a quiz key, a scenario, a certification) must not
# silently change. Features that store requirements register who refers to (kind, ref); the
# features owning those codes ask before a code changes.

Referrers = Callable[[str, str], list[str]]
REFERRERS: list[Referrers] = []


def referenced_by(kind: str, ref: str) -> list[str]:
    """What refers to `ref` of `kind` (human-readable names; empty when nothing does)."""
    return [name for fn in REFERRERS for name in fn(kind, ref)]
