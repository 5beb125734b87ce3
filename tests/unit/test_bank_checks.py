"""The question-bank checker (lms/assessment/bank_checks.py, quiz_checks.py, course_checks.py)
on synthetic banks and courses."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from lms.assessment import bank_checks as bc
from lms.assessment import course_checks as cc
from lms.assessment.bank_checks import Finding, check_bank
from lms.assessment.course_checks import check_course_folder, check_lesson, measure_reading
from lms.assessment.quiz_checks import check_quiz, quiz_exposure

_POOL = [chr(0x4E00 + k) for k in range(0, 4000, 7)]


def words(seed: int, n: int) -> str:
    """A deterministic string of n random Han characters (no two seeds look alike)."""
    rng = random.Random(seed)
    return "".join(rng.choice(_POOL) for _ in range(n))


def single(qid: str, right: int, *, lengths: tuple[int, ...] = (6, 6, 6, 6),
           seed: int = 0, text: str | None = None, tags: list[str] | None = None
           ) -> dict[str, Any]:
    options = [{"text": words(seed * 10 + i + 1000, n), "correct": i == right}
               for i, n in enumerate(lengths)]
    return {"id": qid, "type": "single", "tags": tags or ["alpha"],
            "text": text or words(seed, 30), "options": options}


def multiple(qid: str, n_right: int, n_options: int = 5, *, seed: int = 0,
             tags: list[str] | None = None) -> dict[str, Any]:
    options = [{"text": words(seed * 10 + i + 5000, 6), "correct": i < n_right}
               for i in range(n_options)]
    return {"id": qid, "type": "multiple", "tags": tags or ["alpha"],
            "text": words(seed, 30), "options": options}


def true_false(qid: str, answer: bool, *, seed: int = 0) -> dict[str, Any]:
    return {"id": qid, "type": "true_false", "tags": ["beta"], "text": words(seed, 30),
            "answer": answer}


def clean_bank(bank_id: str = "b-main") -> dict[str, Any]:
    """40 questions that pass every rule: 20 single, 6 multiple, 8 true/false, 4 numeric,
    2 short text; positions A-D equally used, all options of equal length."""
    qs: list[dict[str, Any]] = []
    seed = iter(range(1, 1000))
    for i in range(20):
        qs.append(single(f"s{i:02d}", i % 4, seed=next(seed)))
    for i in range(6):
        qs.append(multiple(f"m{i:02d}", 2, seed=next(seed)))
    for i in range(8):
        qs.append(true_false(f"t{i:02d}", i % 2 == 0, seed=next(seed)))
    for i in range(4):
        qs.append({"id": f"n{i:02d}", "type": "numeric", "tags": ["beta"],
                   "text": words(next(seed), 30), "answer": 12.5, "tolerance": 0.1})
    for i in range(2):
        qs.append({"id": f"x{i:02d}", "type": "short_text", "tags": ["beta"],
                   "text": words(next(seed), 30), "accept": [words(9000 + i, 4)]})
    return {"id": bank_id, "title": {"zh": "题库", "en": "Bank"}, "questions": qs}


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def replace(bank: dict[str, Any], qid: str, question: dict[str, Any]) -> None:
    qs = bank["questions"]
    qs[[q["id"] for q in qs].index(qid)] = question


# --- banks -------------------------------------------------------------------------------

def test_clean_bank_has_no_findings() -> None:
    assert check_bank(clean_bank()) == []


def test_bank_too_small() -> None:
    bank = clean_bank()
    bank["questions"].pop()
    found = check_bank(bank)
    assert codes(found) == ["bank-too-small"]
    assert found[0].level == "warning" and found[0].where == "bank b-main"


def test_length_bias_fires_above_30_percent_only() -> None:
    bank = clean_bank()
    singles = [q for q in bank["questions"] if q["type"] == "single"]
    for q in singles[:6]:  # 6 of 20 = 30 %: allowed
        right = next(o for o in q["options"] if o["correct"])
        right["text"] += "长"
    assert "length-bias" not in codes(check_bank(bank))
    right = next(o for o in singles[6]["options"] if o["correct"])
    right["text"] += "长"  # 7 of 20 = 35 %
    found = [f for f in check_bank(bank) if f.code == "length-bias"]
    assert len(found) == 1 and "7 of 20" in found[0].message and "s00" in found[0].message
    assert "long-correct-option" not in codes(check_bank(bank))  # one char is not "long"


def test_length_bias_needs_a_few_single_questions() -> None:
    qs = [single(f"q{i}", 0, lengths=(7, 6, 6, 6), seed=i)
          for i in range(bc.LENGTH_BIAS_MIN_SINGLE - 1)]
    assert "length-bias" not in codes(check_bank({"id": "b", "questions": qs}))
    qs.append(single("qz", 0, lengths=(7, 6, 6, 6), seed=99))
    assert "length-bias" in codes(check_bank({"id": "b", "questions": qs}))


def test_tie_for_longest_is_not_length_bias() -> None:
    qs = [single(f"q{i}", 0, lengths=(7, 7, 6, 6), seed=i) for i in range(10)]
    assert "length-bias" not in codes(check_bank({"id": "b", "questions": qs}))


@pytest.mark.parametrize(("lengths", "fires"), [
    ((20, 10, 9, 8), True),  # 2x and 10 characters longer
    ((16, 10, 9, 8), True),  # 1.6x and exactly 6 longer
    ((15, 10, 9, 8), False),  # 1.5x but only 5 longer
    ((13, 10, 9, 8), False),  # exactly 1.3x
    ((14, 10, 9, 8), False),  # 1.4x but only 4 longer
    ((10, 20, 9, 8), False),  # a long distractor is not this rule's business
])
def test_long_correct_option(lengths: tuple[int, ...], fires: bool) -> None:
    bank = clean_bank()
    replace(bank, "s00", single("s00", 0, lengths=lengths, seed=500))
    found = [f for f in check_bank(bank) if f.code == "long-correct-option"]
    assert bool(found) == fires
    if found:
        assert found[0].where == "b-main/s00" and found[0].level == "warning"


def test_position_bias() -> None:
    bank = clean_bank()
    # 20 singles at A, B, C, D x 5; move one from D to A: A = 6 (30 %), still fine
    replace(bank, "s03", single("s03", 0, seed=503))
    assert "position-bias" not in codes(check_bank(bank))
    replace(bank, "s07", single("s07", 0, seed=507))  # A = 7 of 20 = 35 %: allowed
    assert "position-bias" not in codes(check_bank(bank))
    replace(bank, "s11", single("s11", 0, seed=511))  # A = 8 of 20 = 40 %
    found = [f for f in check_bank(bank) if f.code == "position-bias"]
    assert len(found) == 1 and found[0].message.startswith("option A ")


def test_position_bias_needs_eight_single_questions() -> None:
    qs = [single(f"q{i}", 1, seed=i) for i in range(7)]
    assert "position-bias" not in codes(check_bank({"id": "b", "questions": qs}))
    qs.append(single("q7", 1, seed=7))
    assert "position-bias" in codes(check_bank({"id": "b", "questions": qs}))


@pytest.mark.parametrize(("answers", "fires"), [
    ([True] * 4 + [False] * 4, False),
    ([True] * 5 + [False] * 3, True),  # 62.5 %
    ([True] * 2 + [False] * 3, False),  # 40 %: boundary allowed
    ([True] * 3 + [False] * 2, False),  # 60 %
    ([True] * 1 + [False] * 4, True),  # 20 %
    ([True] * 4, False),  # fewer than 5: not judged
])
def test_true_false_balance(answers: list[bool], fires: bool) -> None:
    qs = [true_false(f"t{i}", a, seed=i) for i, a in enumerate(answers)]
    assert ("true-false-balance" in codes(check_bank({"id": "b", "questions": qs}))) == fires


def test_multiple_all_correct_is_an_error() -> None:
    bank = clean_bank()
    replace(bank, "m00", multiple("m00", 4, 4, seed=600))
    found = [f for f in check_bank(bank) if f.code == "all-options-correct"]
    assert len(found) == 1 and found[0].level == "error" and found[0].where == "b-main/m00"


def test_all_but_one_correct_share() -> None:
    bank = clean_bank()
    replace(bank, "m00", multiple("m00", 3, 4, seed=600))  # 1 of 6 = 17 %
    assert "all-but-one-correct" not in codes(check_bank(bank))
    replace(bank, "m01", multiple("m01", 4, 5, seed=601))  # 2 of 6 = 33 %
    found = [f for f in check_bank(bank) if f.code == "all-but-one-correct"]
    assert len(found) == 1 and "m00" in found[0].message and "m01" in found[0].message


def test_answer_in_stem_short_text() -> None:
    bank = clean_bank()
    q = {"id": "x00", "type": "short_text", "text": "负责下行抄表的设备是集 中 器，它叫什么？",
         "accept": ["集中器", "采集终端"]}
    replace(bank, "x00", q)
    found = [f for f in check_bank(bank) if f.code == "answer-in-stem"]
    assert len(found) == 1 and found[0].where == "b-main/x00"
    q["text"] = "台区下行抄表、上行连主站的设备叫什么？"
    assert "answer-in-stem" not in codes(check_bank(bank))


def test_answer_in_stem_short_text_ignores_case_and_width() -> None:
    q = {"id": "x", "type": "short_text", "text": "请写出“ＰＬＣ 载波”中的英文缩写。",
         "accept": ["plc"]}
    assert "answer-in-stem" in codes(check_bank({"id": "b", "questions": [q]}))


def test_answer_in_stem_choice_needs_four_characters() -> None:
    bank = clean_bank()
    q = single("s00", 0, seed=700, text="客户来柜台办理采集终端更换，应先核对什么？")
    q["options"][0]["text"] = "采集终端"
    replace(bank, "s00", q)
    assert "answer-in-stem" in codes(check_bank(bank))
    q["text"] = "客户来柜台办理集中器更换，应先核对什么？"
    q["options"][0]["text"] = "集中器"  # three characters: too short to count
    assert "answer-in-stem" not in codes(check_bank(bank))
    q["options"][0]["text"] = words(1, 6)
    q["options"][1]["text"] = "柜台办理"  # a distractor in the stem is fine
    assert "answer-in-stem" not in codes(check_bank(bank))


def test_answer_in_stem_multiple() -> None:
    q = multiple("m", 2, seed=3)
    q["text"] = f"以下哪些说法正确？例如“{q['options'][1]['text']}”。"
    assert "answer-in-stem" in codes(check_bank({"id": "b", "questions": [q]}))


def test_near_duplicate() -> None:
    bank = clean_bank()
    stem = bank["questions"][0]["text"]
    assert len(stem) == 30
    copy_q = single("s01", 1, seed=801, text=stem[:-2] + "甲乙")  # 28 of 30 shared
    replace(bank, "s01", copy_q)
    found = [f for f in check_bank(bank) if f.code == "near-duplicate"]
    assert len(found) == 1 and found[0].where == "b-main/s01" and "s00" in found[0].message
    copy_q["text"] = stem[:20] + words(4242, 10)
    assert "near-duplicate" not in codes(check_bank(bank))


def test_near_duplicate_ignores_spacing_and_case() -> None:
    a = single("a", 0, seed=1, text="What is the Daily Collection Success Rate of area A?")
    b = single("b", 1, seed=2, text="what  is the daily collection success rate of area B ?")
    assert "near-duplicate" in codes(check_bank({"id": "b", "questions": [a, b]}))


@pytest.mark.parametrize("bank", [
    None, [], {"id": "b"}, {"id": "b", "questions": []}, {"id": "b", "questions": "x"},
])
def test_unusable_bank_is_one_error(bank: Any) -> None:
    found = check_bank(bank)
    assert codes(found) == ["bank-invalid"] and found[0].level == "error"


def test_malformed_questions_are_errors_not_crashes() -> None:
    good = single("ok", 0, seed=1)
    two_right = single("two", 0, seed=2)
    two_right["options"][1]["correct"] = True
    one_right = multiple("one", 1, seed=3)
    qs = [good, "text", {"id": "t", "type": "essay", "text": "x"}, two_right, one_right,
          {"id": "ok", "type": "true_false", "text": words(4, 20), "answer": True},
          {"id": "e", "type": "single", "text": " ", "options": []},
          {"id": "o", "type": "single", "text": "x", "options": [{"text": "a"}]}]
    found = check_bank({"id": "b", "questions": qs})
    errors = [(f.code, f.where) for f in found if f.level == "error"]
    assert ("question-invalid", "b/#2") in errors
    assert ("question-invalid", "b/t") in errors
    assert ("question-invalid", "b/two") in errors
    assert ("question-invalid", "b/one") in errors
    assert ("duplicate-id", "b/ok") in errors
    assert ("question-invalid", "b/e") in errors
    assert ("question-invalid", "b/o") in errors


# --- quizzes -----------------------------------------------------------------------------

def pool(bank_id: str, n: int, tag: str = "alpha", start: int = 0) -> list[dict[str, Any]]:
    return [true_false(f"q{start + i:03d}", i % 2 == 0, seed=start + i) | {"tags": [tag]}
            for i in range(n)]


def quiz(draw: list[dict[str, Any]], attempts: int = 3) -> dict[str, Any]:
    return {"id": "final", "draw": draw, "max_attempts": attempts}


@pytest.mark.parametrize(("n", "k", "a", "expected"), [
    (14, 8, 3, 0.92), (40, 8, 3, 0.49), (40, 8, 1, 0.2), (10, 10, 1, 1.0),
])
def test_exposure_arithmetic(n: int, k: int, a: int, expected: float) -> None:
    banks = {"b": {"id": "b", "questions": pool("b", n)}}
    value = quiz_exposure(quiz([{"bank": "b", "count": k}], a), banks)
    assert value == pytest.approx(1 - (1 - k / n) ** a)
    assert value == pytest.approx(expected, abs=0.005)


def test_exposure_warning_threshold() -> None:
    small = {"b": {"id": "b", "questions": pool("b", 14)}}
    found = check_quiz(quiz([{"bank": "b", "count": 8}]), small)
    assert codes(found) == ["high-exposure"]
    assert found[0].where == "quiz final" and "92%" in found[0].message
    large = {"b": {"id": "b", "questions": pool("b", 40)}}
    assert check_quiz(quiz([{"bank": "b", "count": 8}]), large) == []


def test_exposure_combines_rules_over_the_pool() -> None:
    qs = pool("b", 10, "alpha") + pool("b", 30, "beta", start=100)
    banks = {"b": {"id": "b", "questions": qs}}
    rules = [{"bank": "b", "tag": "alpha", "count": 5}, {"bank": "b", "tag": "beta", "count": 3}]
    # one attempt: 10 questions seen with p = 0.5, 30 with p = 0.1 -> 8 of 40
    assert quiz_exposure(quiz(rules, 1), banks) == pytest.approx(0.2)
    # overlapping rules: an untagged draw of 4 and a tagged draw of 5 over the same questions
    both = [{"bank": "b", "count": 4}, {"bank": "b", "tag": "alpha", "count": 5}]
    alpha_unseen = (1 - 4 / 40) * (1 - 5 / 10)
    expected = 1 - (10 * alpha_unseen + 30 * (1 - 4 / 40)) / 40
    assert quiz_exposure(quiz(both, 1), banks) == pytest.approx(expected)


def test_unlimited_attempts_expose_everything() -> None:
    banks = {"b": {"id": "b", "questions": pool("b", 100)}}
    q = quiz([{"bank": "b", "count": 5}], attempts=0)
    assert quiz_exposure(q, banks) == 1.0
    found = check_quiz(q, banks)
    assert codes(found) == ["high-exposure"] and "unlimited" in found[0].message


def test_draw_rule_errors() -> None:
    qs = pool("b", 40, "alpha") + pool("b", 3, "beta", start=100)
    banks = {"b": {"id": "b", "questions": qs}}
    found = check_quiz(quiz([{"bank": "b", "tag": "gamma", "count": 2},
                             {"bank": "b", "tag": "beta", "count": 4},
                             {"bank": "zz", "count": 1},
                             {"bank": "b", "tag": "alpha", "count": 2}]), banks)
    assert [(f.level, f.code) for f in found] == [
        ("error", "tag-without-questions"), ("error", "too-few-questions"),
        ("error", "unknown-bank")]
    assert "gamma" in found[0].message and "asks for 4" in found[1].message


@pytest.mark.parametrize("bad", [
    {"id": "q"}, {"id": "q", "draw": []}, {"id": "q", "draw": [{"bank": "b"}]},
    {"id": "q", "draw": [{"bank": "b", "count": 1}], "max_attempts": -1}, "quiz",
])
def test_invalid_quiz(bad: Any) -> None:
    banks = {"b": {"id": "b", "questions": pool("b", 40)}}
    assert codes(check_quiz(bad, banks)) == ["quiz-invalid"]


# --- lessons -----------------------------------------------------------------------------

def test_reading_time_counts_cjk_latin_and_examples() -> None:
    md = ("## 学习目标\n\n" + "电" * 600 + "\n\n| 列 | col |\n|---|---|\n| 值 | two words |\n\n"
          "见 [国网规定](https://example.com/very/long/path?with=words) 与 <https://x.org/a>。\n\n"
          "**粗体** _em_ `code`\n\n### 工作示例：计算电费\n\n### 练习\n\n## 小结\n")
    r = measure_reading(md)
    heading_and_text_cjk = (len("学习目标") + 600 + 2 + len("见国网规定与粗体")
                            + len("工作示例计算电费练习小结"))
    assert r.cjk_chars == heading_and_text_cjk
    assert r.latin_words == 5  # col, two, words, em, code (URLs and syntax do not count)
    assert r.examples == 2
    assert r.minutes == pytest.approx(r.cjk_chars / 300 + 5 / 200 + 4)


def test_headings_in_code_fences_are_not_headings() -> None:
    md = "```\n# 工作示例\n```\n## 学习目标\n"
    assert measure_reading(md).examples == 0


def lesson_ref(minutes: int, title: str = "课时标题") -> dict[str, Any]:
    return {"file": "lessons/01-x.md", "title": {"zh": title, "en": "Lesson title"},
            "minutes": minutes, "topic": "alpha"}


def test_minutes_inflated() -> None:
    body = "## 学习目标\n\n" + "电" * 596  # 600 CJK characters = 2.0 minutes
    assert check_lesson(lesson_ref(3), body) == []
    found = check_lesson(lesson_ref(4), body)
    assert codes(found) == ["minutes-inflated"]
    assert found[0].where == "lesson lessons/01-x.md" and "at most 3" in found[0].message
    with_example = body + "\n\n## 工作示例\n"  # + 4 characters and 2 minutes
    assert check_lesson(lesson_ref(6), with_example) == []


def test_title_repeated() -> None:
    body = "## 课时标题\n\n" + "电" * 3000
    assert codes(check_lesson(lesson_ref(10), body)) == ["title-repeated"]
    assert codes(check_lesson(lesson_ref(10), "# Lesson Title #\n" + body)) \
        == ["title-repeated"]
    assert check_lesson(lesson_ref(10), "## 学习目标\n\n## 课时标题\n" + body) == []


# --- course folders ----------------------------------------------------------------------

def lesson_body(n: int) -> str:
    return f"## 学习目标\n\n{words(n, 900)}\n\n## 工作示例\n\n{words(n + 1, 300)}\n\n## 小结\n"


def write_course(root: Path, bank: dict[str, Any], *, topics: tuple[str | None, ...] =
                 ("alpha", "beta"), draw: list[dict[str, Any]] | None = None,
                 minutes: int = 8) -> Path:
    folder = root / "xx-101-test"
    (folder / "lessons").mkdir(parents=True)
    (folder / "quiz").mkdir()
    lessons = []
    for i, topic in enumerate(topics, 1):
        file = f"lessons/0{i}-l.md"
        (folder / file).write_text(lesson_body(i * 10), encoding="utf-8")
        ref: dict[str, Any] = {"file": file, "title": {"zh": f"第{i}课", "en": f"L{i}"},
                               "minutes": minutes}
        if topic:
            ref["topic"] = topic
        lessons.append(ref)
    if draw is None:
        draw = [{"bank": bank["id"], "tag": t, "count": 4} for t in topics if t]
    course = {"code": "XX-101", "title": {"zh": "课", "en": "C"}, "modules": [
        {"title": {"zh": "模块", "en": "M"}, "lessons": lessons}],
        "quiz_banks": [{"file": "quiz/bank.yaml"}],
        "quizzes": [{"id": "final", "title": {"zh": "测验", "en": "Quiz"}, "draw": draw,
                     "max_attempts": 3, "required": True}]}
    (folder / "course.yaml").write_text(yaml.safe_dump(course, allow_unicode=True),
                                        encoding="utf-8")
    (folder / "quiz/bank.yaml").write_text(yaml.safe_dump(bank, allow_unicode=True),
                                           encoding="utf-8")
    return folder


def test_clean_course_folder(tmp_path: Path) -> None:
    # 1,200 CJK characters (4 min) + 1 worked example (2 min) = 6 min; 8 <= 9 allowed
    folder = write_course(tmp_path, clean_bank())
    assert check_course_folder(folder) == []
    assert cc.main([str(folder)]) == 0
    assert cc.main([str(tmp_path)]) == 0  # a folder of course folders


def test_course_topic_rules(tmp_path: Path) -> None:
    bank = clean_bank()
    for q in bank["questions"][:35]:
        q["tags"] = ["alpha"]
    for q in bank["questions"][35:]:
        q["tags"] = ["beta", "extra"]  # beta: 5 questions
    bank["questions"][0]["tags"] = ["orphan"]
    draw = [{"bank": "b-main", "tag": "alpha", "count": 4},
            {"bank": "b-main", "tag": "extra", "count": 1},
            {"bank": "b-main", "tag": "nothing", "count": 1}]
    folder = write_course(tmp_path, bank, topics=("alpha", "beta", None), draw=draw)
    found = {(f.level, f.code, f.where) for f in check_course_folder(folder)}
    assert found == {
        ("warning", "lesson-without-topic", "lesson lessons/03-l.md"),
        ("warning", "topic-too-few-questions", "lesson lessons/02-l.md"),
        ("warning", "topic-not-drawn", "lesson lessons/02-l.md"),
        ("warning", "question-without-topic", "bank b-main"),
        ("warning", "tag-without-lesson", "quiz final"),  # extra and nothing
        ("error", "tag-without-questions", "quiz final"),  # nothing
    }
    lesson_tags = [f.message for f in check_course_folder(folder)
                   if f.code == "tag-without-lesson"]
    assert len(lesson_tags) == 2


def test_course_runs_bank_and_lesson_checks(tmp_path: Path) -> None:
    bank = clean_bank()
    bank["questions"].pop()
    folder = write_course(tmp_path, bank, minutes=20)
    (folder / "lessons/02-l.md").unlink()
    found = check_course_folder(folder)
    assert ("bank-too-small", "bank b-main") in {(f.code, f.where) for f in found}
    assert ("minutes-inflated", "lesson lessons/01-l.md") in {(f.code, f.where) for f in found}
    assert ("file-missing", "lesson lessons/02-l.md") in {(f.code, f.where) for f in found}


def test_cli_output_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank = clean_bank()
    bank["questions"].pop()
    folder = write_course(tmp_path, bank)
    assert cc.main([str(folder)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["WARNING bank-too-small xx-101-test bank b-main: 39 questions; "
                     "at least 40 needed",
                     "1 course folder(s) checked: 0 error(s), 1 warning(s)"]


def test_cli_bad_path_and_bad_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cc.main([str(tmp_path / "missing")]) == 2
    assert len(capsys.readouterr().out.splitlines()) == 1
    assert cc.main([str(tmp_path)]) == 2  # no course in it
    assert len(capsys.readouterr().out.splitlines()) == 1
    folder = write_course(tmp_path, clean_bank())
    (folder / "quiz/bank.yaml").write_text("id: b\nquestions: [\n  - {", encoding="utf-8")
    assert cc.main([str(folder)]) == 2
    out = capsys.readouterr()
    assert len(out.out.splitlines()) == 1 and "invalid YAML" in out.out
    assert "Traceback" not in out.out + out.err
    (folder / "course.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    assert cc.main([str(folder)]) == 2
    assert "not a YAML mapping" in capsys.readouterr().out


def test_check_course_folder_raises_value_error_when_unreadable(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="course.yaml"):
        check_course_folder(tmp_path)


def test_inputs_are_not_modified() -> None:
    bank = clean_bank()
    before = copy.deepcopy(bank)
    check_bank(bank)
    check_quiz(quiz([{"bank": "b-main", "count": 8}]), {"b-main": bank})
    assert bank == before
