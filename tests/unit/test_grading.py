"""Grading rules for each question type."""

from types import SimpleNamespace

from lms.assessment.quizzes import is_correct, normalise_text


def q(type_, options=None, answer=None):
    return SimpleNamespace(type=type_, options=options or [], answer=answer or {})


OPTS = [{"id": "o1", "text": "a", "correct": True}, {"id": "o2", "text": "b", "correct": True},
        {"id": "o3", "text": "c", "correct": False}]


def test_choice_questions():
    single = q("single", [{"id": "o1", "correct": False}, {"id": "o2", "correct": True}])
    assert is_correct(single, "o2") and not is_correct(single, "o1")
    multiple = q("multiple", OPTS)
    assert is_correct(multiple, ["o2", "o1"])
    assert not is_correct(multiple, ["o1"]) and not is_correct(multiple, ["o1", "o2", "o3"])
    assert not is_correct(multiple, None)


def test_true_false_and_numeric_tolerance():
    assert is_correct(q("true_false", answer={"value": False}), False)
    assert not is_correct(q("true_false", answer={"value": False}), True)
    num = q("numeric", answer={"value": 128.5, "tolerance": 0.5})
    assert is_correct(num, 128.0) and is_correct(num, 129.0) and not is_correct(num, 129.01)
    exact = q("numeric", answer={"value": 0.1 + 0.2, "tolerance": 0})
    assert is_correct(exact, 0.3)


def test_short_text_is_normalised():
    assert normalise_text(" ＡＢ c ") == "abc"
    st = q("short_text", answer={"accept": ["集中器", "Data Concentrator"]})
    assert is_correct(st, " 集 中 器 ") and is_correct(st, "data concentrator")
    assert not is_correct(st, "采集器")
