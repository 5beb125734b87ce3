"""Question banks, quizzes, attempts and the answers saved in them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.catalog.models import Course
from lms.core.db import Model, new_public_id, utcnow
from lms.people.models import User

QUESTION_TYPES = ("single", "multiple", "true_false", "numeric", "short_text")
REVIEW_MODES = ("score", "answers", "explanations")


class QuestionBank(Model):
    __tablename__ = "question_banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))

    questions: Mapped[list[Question]] = relationship(
        back_populates="bank", order_by="Question.position", cascade="all, delete-orphan")


class Question(Model):
    """One question. `options` is [{"id", "text", "correct"}]; `answer` holds the key of
    true/false ({"value": bool}), numeric ({"value", "tolerance", "unit"}) and short-text
    ({"accept": [...]}) questions."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("bank_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    bank_id: Mapped[int] = mapped_column(ForeignKey("question_banks.id", ondelete="CASCADE"),
                                         index=True)
    key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)
    type: Mapped[str] = mapped_column(String(16))
    text_md: Mapped[str] = mapped_column(Text)
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    answer: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    explanation_md: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)

    bank: Mapped[QuestionBank] = relationship(back_populates="questions")


class Quiz(Model):
    __tablename__ = "quizzes"
    __table_args__ = (UniqueConstraint("course_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    key: Mapped[str] = mapped_column(String(64))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    # [{"bank": key, "count": n, "tag": optional}]
    draw: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    pass_mark: Mapped[float] = mapped_column(default=80.0)
    max_attempts: Mapped[int] = mapped_column(default=0)  # 0 = unlimited
    time_limit_min: Mapped[int | None] = mapped_column()
    review: Mapped[str] = mapped_column(String(16), default="explanations")
    required: Mapped[bool] = mapped_column(default=True)
    # False once the quiz is removed from its course package (attempts keep pointing at it).
    active: Mapped[bool] = mapped_column(default=True, server_default="1")

    course: Mapped[Course] = relationship(lazy="joined")


class Attempt(Model):
    """One sitting of a quiz. The drawn questions and option order are frozen at the start;
    submission happens once (a conditional update on `submitted_at IS NULL`)."""

    __tablename__ = "attempts"
    __table_args__ = (UniqueConstraint("quiz_id", "user_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"),
                                         index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    # [{"q": question id, "o": [option ids in display order]}]
    layout: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    score: Mapped[float | None] = mapped_column()
    passed: Mapped[bool | None] = mapped_column()

    quiz: Mapped[Quiz] = relationship(lazy="joined")
    user: Mapped[User] = relationship()


class Response(Model):
    """The learner's answer to one question of an attempt (autosaved; graded on submit)."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"),
                                            index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"),
                                             index=True)
    answer: Mapped[Any] = mapped_column(JSON, nullable=True)
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    correct: Mapped[bool | None] = mapped_column()


__all__ = ["Attempt", "Question", "QuestionBank", "Quiz", "Response", "QUESTION_TYPES",
           "REVIEW_MODES"]


class AttemptGrant(Model):
    """Extra attempts (or a fresh start) on a quiz or a practice assessment for one person,
    granted by a trainer or HR with a reason. `kind` is the requirement kind ("quiz": ref
    "COURSE/key"; "scenario": ref the scenario code); `action` "extra" adds `extra` attempts
    to the current allowance, "reset" starts a new allowance now."""

    __tablename__ = "attempt_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(8))
    extra: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(String(500))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
