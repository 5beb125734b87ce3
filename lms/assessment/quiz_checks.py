"""Checks of a quiz's draw rules against its course's banks, and of its exposure: how much of
the eligible pool a learner sees over all attempts (see `lms.assessment.bank_checks` for the
rules and thresholds)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lms.assessment.bank_checks import Finding, err, pct, warn

EXPOSURE_MAX = 0.6


def as_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def tags_of(q: Mapping[str, Any]) -> list[str]:
    tags = q.get("tags")
    return [str(t) for t in tags] if isinstance(tags, list) else []


def questions_of(bank: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    qs = bank.get("questions")
    return [q for q in qs if isinstance(q, Mapping)] if isinstance(qs, list) else []


def quiz_exposure(quiz: Mapping[str, Any], banks: Mapping[str, Mapping[str, Any]]
                  ) -> float | None:
    """Expected share of the eligible pool a learner sees over all attempts (None: no pool)."""
    attempts = as_int(quiz.get("max_attempts", 0))
    unseen: dict[tuple[str, str], float] = {}
    for rule in quiz.get("draw") or []:
        if not isinstance(rule, Mapping):
            continue
        bank = banks.get(str(rule.get("bank")))
        count = as_int(rule.get("count"))
        if bank is None or count is None or count < 1:
            continue
        tag = rule.get("tag")
        pool = [q for q in questions_of(bank) if tag is None or tag in tags_of(q)]
        if not pool:
            continue
        k, n = min(count, len(pool)), len(pool)
        miss = 0.0 if not attempts else (1 - k / n) ** attempts
        for i, q in enumerate(pool):
            key = (str(rule.get("bank")), str(q.get("id", f"#{i}")))
            unseen[key] = unseen.get(key, 1.0) * miss
    if not unseen:
        return None
    return 1 - sum(unseen.values()) / len(unseen)


def check_quiz(quiz: Mapping[str, Any], banks: Mapping[str, Mapping[str, Any]]
               ) -> list[Finding]:
    """Check a quiz's draw rules against the banks (keyed by bank id) and its exposure."""
    if not isinstance(quiz, Mapping):
        return [err("quiz-invalid", "quiz ?", "a quiz must be a mapping", detail="mapping")]
    where = f"quiz {quiz.get('id') or '?'}"
    draws = quiz.get("draw")
    if not isinstance(draws, list) or not draws:
        return [err("quiz-invalid", where, "the quiz has no draw rules", detail="draw")]
    attempts = as_int(quiz.get("max_attempts", 0))
    if attempts is None or attempts < 0:
        return [err("quiz-invalid", where, "max_attempts must be a whole number ≥ 0",
                    detail="attempts")]
    findings: list[Finding] = []
    for i, rule in enumerate(draws, 1):
        if not isinstance(rule, Mapping):
            findings.append(err("quiz-invalid", where, f"draw rule {i} is not a mapping",
                                detail="rule", rule=i))
            continue
        bank_id, tag, count = rule.get("bank"), rule.get("tag"), as_int(rule.get("count"))
        label = f"draw rule {i} ({bank_id}" + (f", tag {tag})" if tag else ")")
        if count is None or count < 1:
            findings.append(err("quiz-invalid", where, f"{label}: count must be ≥ 1",
                                detail="count", rule=i))
            continue
        bank = banks.get(str(bank_id))
        if bank is None:
            findings.append(err("unknown-bank", where, f"{label}: no bank {bank_id}", rule=i,
                                bank=str(bank_id)))
            continue
        pool = [q for q in questions_of(bank) if tag is None or tag in tags_of(q)]
        if tag is not None and not pool:
            findings.append(err("tag-without-questions", where,
                                f"{label}: no question in {bank_id} carries the tag {tag}",
                                rule=i, bank=str(bank_id), tag=str(tag)))
        elif len(pool) < count:
            findings.append(err("too-few-questions", where,
                                f"{label}: asks for {count} questions but only {len(pool)} "
                                "are eligible", rule=i, count=count, n=len(pool)))
    exposure = quiz_exposure(quiz, banks)
    if exposure is not None and exposure > EXPOSURE_MAX:
        tries = f"over {attempts} attempts" if attempts else "with unlimited attempts"
        findings.append(warn("high-exposure", where,
                             f"{tries} a learner sees about {pct(exposure)} of the eligible "
                             f"questions (at most {pct(EXPOSURE_MAX)}); add questions, "
                             "draw fewer or allow fewer attempts", attempts=attempts,
                             share=pct(exposure), max=pct(EXPOSURE_MAX)))
    return findings
