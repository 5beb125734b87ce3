"""Reading and validating a course package folder (format: courses/FORMAT.md).

`load_package(folder)` returns a `Package` or raises `PackageError` with every problem
found, each naming the file, the field and the reason. Nothing here touches the database.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from lms.catalog.models import CATEGORIES
from simulations import safe_yaml
from simulations.strict import NumberChecks

MAX_LESSON_BYTES = 200_000
MAX_FILES = 200

Code = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9-]{1,31}$")]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
RelPath = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_./-]+$", max_length=200)]


class Strict(NumberChecks):
    """No unknown fields, finite numbers only, no true/false where a number is expected."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class I18n(Strict):
    zh: Text200
    en: Text200


class LongI18n(Strict):
    zh: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    en: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class LessonRef(Strict):
    file: RelPath
    title: I18n
    minutes: int = Field(default=10, ge=1, le=600)
    topic: Key | None = None  # the bank tag that tests this lesson (drawn by the final quiz)


class ModuleSpec(Strict):
    title: I18n
    lessons: list[LessonRef] = Field(min_length=1, max_length=50)


class BankRef(Strict):
    file: RelPath


class DrawRule(Strict):
    bank: Key
    count: int = Field(ge=1, le=100)
    tag: Key | None = None


class QuizSpec(Strict):
    id: Key
    title: I18n
    draw: list[DrawRule] = Field(min_length=1, max_length=20)
    pass_mark: float = Field(default=80, ge=0, le=100)
    max_attempts: int = Field(default=0, ge=0, le=100)
    time_limit_min: int | None = Field(default=None, ge=1, le=600)
    review: Literal["score", "answers", "explanations"] = "explanations"
    required: bool = True


ScenarioCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,63}$")]


class PracticeSpec(Strict):
    """A practice drill the course includes: an assessment run of a stored scenario."""

    scenario: ScenarioCode
    title: I18n
    pass_score: float = Field(default=70, ge=0, le=100)
    required: bool = True
    max_attempts: int = Field(default=3, ge=0, le=100)  # 0 = unlimited


class CourseSpec(Strict):
    code: Code
    version: int = Field(default=1, ge=1)
    title: I18n
    summary: LongI18n
    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    audience: list[Key] = Field(default_factory=list, max_length=20)
    estimated_minutes: int = Field(ge=1, le=10_000)
    status: Literal["draft", "published"] = "draft"
    modules: list[ModuleSpec] = Field(min_length=1, max_length=30)
    quiz_banks: list[BankRef] = Field(default_factory=list, max_length=20)
    quizzes: list[QuizSpec] = Field(default_factory=list, max_length=10)
    practice: list[PracticeSpec] = Field(default_factory=list, max_length=10)


class OptionSpec(Strict):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    correct: bool = False


class QuestionSpec(Strict):
    id: Key
    type: Literal["single", "multiple", "true_false", "numeric", "short_text"]
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
    tags: list[Key] = Field(default_factory=list, max_length=20)
    options: list[OptionSpec] | None = None
    answer: bool | float | None = None
    tolerance: float | None = Field(default=None, ge=0)
    unit: str | None = Field(default=None, max_length=20)
    accept: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] | None = None
    explanation: str = Field(default="", max_length=5000)

    @model_validator(mode="after")
    def _shape(self) -> QuestionSpec:
        t = self.type
        if t in ("single", "multiple"):
            if not self.options or not 2 <= len(self.options) <= 8:
                raise ValueError("options: a choice question needs 2 to 8 options")
            right = sum(o.correct for o in self.options)
            if t == "single" and right != 1:
                raise ValueError("options: a single-choice question needs exactly one "
                                 f"correct option (found {right})")
            if t == "multiple" and right < 2:
                raise ValueError("options: a multiple-choice question needs at least two "
                                 f"correct options (found {right})")
            if len({o.text for o in self.options}) != len(self.options):
                raise ValueError("options: two options have the same text")
            if self.answer is not None or self.accept is not None:
                raise ValueError("a choice question takes options, not answer/accept")
        elif t == "true_false":
            if not isinstance(self.answer, bool):
                raise ValueError("answer: a true/false question needs answer: true or false")
        elif t == "numeric":
            if isinstance(self.answer, bool) or not isinstance(self.answer, int | float):
                raise ValueError("answer: a numeric question needs a number")
        elif t == "short_text":
            if not self.accept:
                raise ValueError("accept: a short-text question needs at least one answer")
        if t not in ("single", "multiple") and self.options:
            raise ValueError(f"options: a {t} question takes no options")
        return self


class BankSpec(Strict):
    id: Key
    title: I18n
    questions: list[QuestionSpec] = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _unique(self) -> BankSpec:
        seen: set[str] = set()
        for q in self.questions:
            if q.id in seen:
                raise ValueError(f"questions: the id {q.id} is used twice")
            seen.add(q.id)
        return self


@dataclass
class LessonFile:
    slug: str
    file: str
    title: I18n
    minutes: int
    body: str
    topic: str | None = None


@dataclass
class Package:
    spec: CourseSpec
    folder: str
    lessons: list[list[LessonFile]]  # per module
    banks: list[tuple[str, BankSpec]]  # (file, bank)
    content_hash: str = ""


@dataclass
class Problem:
    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}" if self.field else \
            f"{self.file}: {self.reason}"


class PackageError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class _Reader:
    root: Path
    name: str
    problems: list[Problem] = field(default_factory=list)

    def problem(self, file: str, fld: str, reason: str) -> None:
        self.problems.append(Problem(f"{self.name}/{file}", fld, reason))

    def read_text(self, rel: str) -> str | None:
        path = (self.root / rel).resolve()
        if not path.is_relative_to(self.root.resolve()):
            self.problem(rel, "", "points outside the package")
            return None
        if not path.is_file():
            self.problem(rel, "", "file not found")
            return None
        if path.stat().st_size > MAX_LESSON_BYTES:
            self.problem(rel, "", f"larger than {MAX_LESSON_BYTES // 1000} kB")
            return None
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.problem(rel, "", "is not UTF-8 text")
            return None

    def read_yaml(self, rel: str) -> Any:
        text = self.read_text(rel)
        if text is None:
            return None
        try:
            data = safe_yaml.load(text)
            if data is None:
                self.problem(rel, "", "is empty")
            return data
        except safe_yaml.TooDeep as e:
            self.problem(rel, f"line {e.line}", f"is not valid YAML ({e})")
            return None
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark else ""
            self.problem(rel, where, f"is not valid YAML ({getattr(e, 'problem', e)})")
            return None

    def validate(self, model: type[BaseModel], data: Any, rel: str) -> Any:
        if not isinstance(data, dict):
            self.problem(rel, "", "must be a YAML mapping")
            return None
        try:
            return model.model_validate(data)
        except ValidationError as e:
            for err in e.errors():
                loc = ".".join(str(x) for x in err["loc"])
                msg = err["msg"].removeprefix("Value error, ")
                if ": " in msg and not loc:
                    loc, msg = msg.split(": ", 1)
                self.problem(rel, loc, msg)
            return None


def _slug(file: str) -> str:
    stem = Path(file).stem
    return re.sub(r"[^a-z0-9_-]", "-", stem.lower())[:80]


def _hash(spec: CourseSpec, lessons: list[list[LessonFile]],
          banks: list[tuple[str, BankSpec]]) -> str:
    # File names are packaging, not content: lessons are keyed by slug, banks by id.
    content = spec.model_dump(mode="json", exclude={
        "quiz_banks": True, "modules": {"__all__": {"lessons": {"__all__": {"file"}}}}})
    if not content.get("practice"):
        content.pop("practice", None)  # packages without practice items keep their hash
    blob = json.dumps({"spec": content,
                       "lessons": [[(lf.slug, lf.body) for lf in m] for m in lessons],
                       "banks": [b.model_dump(mode="json") for _f, b in banks]},
                      sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def load_package(folder: str | Path) -> Package:
    root = Path(folder)
    reader = _Reader(root, root.name)
    raw = reader.read_yaml("course.yaml")
    spec = reader.validate(CourseSpec, raw, "course.yaml") if raw is not None else None
    if spec is None:
        raise PackageError(reader.problems)
    lessons: list[list[LessonFile]] = []
    slugs: set[str] = set()
    for mi, module in enumerate(spec.modules):
        files = []
        for li, ref in enumerate(module.lessons):
            slug = _slug(ref.file)
            if slug in slugs:
                reader.problem("course.yaml", f"modules.{mi}.lessons.{li}.file",
                               "two lessons have the same file name")
            slugs.add(slug)
            body = reader.read_text(ref.file)
            if body is not None:
                files.append(LessonFile(slug, ref.file, ref.title, ref.minutes, body, ref.topic))
        lessons.append(files)
    banks: list[tuple[str, BankSpec]] = []
    for ref in spec.quiz_banks:
        data = reader.read_yaml(ref.file)
        if data is not None:
            bank = reader.validate(BankSpec, data, ref.file)
            if bank is not None:
                banks.append((ref.file, bank))
    bank_questions = {b.id: b for _f, b in banks}
    for qi, quiz in enumerate(spec.quizzes):
        for di, rule in enumerate(quiz.draw):
            bank = bank_questions.get(rule.bank)
            where = f"quizzes.{qi}.draw.{di}"
            if bank is None:
                reader.problem("course.yaml", f"{where}.bank",
                               f"no bank {rule.bank} in this package")
                continue
            pool = [q for q in bank.questions if rule.tag is None or rule.tag in q.tags]
            if len(pool) < rule.count:
                reader.problem("course.yaml", f"{where}.count",
                               f"asks for {rule.count} questions but the bank has {len(pool)}")
    if len({q.id for q in spec.quizzes}) != len(spec.quizzes):
        reader.problem("course.yaml", "quizzes", "two quizzes have the same id")
    if len({p.scenario for p in spec.practice}) != len(spec.practice):
        reader.problem("course.yaml", "practice", "a scenario is listed twice")
    if reader.problems:
        raise PackageError(reader.problems)
    return Package(spec, str(root), lessons, banks, _hash(spec, lessons, banks))


def find_packages(folder: str | Path) -> list[Path]:
    """Package folders under `folder` (or `folder` itself when it is one), sorted."""
    root = Path(folder)
    if (root / "course.yaml").is_file():
        return [root]
    return sorted(p.parent for p in root.glob("*/course.yaml"))
