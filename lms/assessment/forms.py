"""The answer form of a quiz attempt, built for the questions drawn in it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField

from lms.assessment.quizzes import Item


def attempt_form(items: list[Item], formdata=None) -> FlaskForm:
    class AttemptForm(FlaskForm):
        pass

    for item in items:
        name, kind = f"q{item.index}", item.question.type
        if kind == "single":
            field = RadioField(choices=[(o, o) for o in item.option_ids], validate_choice=False)
        elif kind == "multiple":
            field = SelectMultipleField(choices=[(o, o) for o in item.option_ids],
                                        validate_choice=False)
        elif kind == "true_false":
            field = RadioField(choices=[("true", "true"), ("false", "false")],
                               validate_choice=False)
        else:
            field = StringField()
        setattr(AttemptForm, name, field)
    if formdata is None:
        data = {}
        for item in items:
            value = item.answer
            if item.question.type == "true_false" and value is not None:
                value = "true" if value else "false"
            elif item.question.type == "numeric" and value is not None:
                value = f"{value:g}"
            data[f"q{item.index}"] = value
        return AttemptForm(data=data)
    return AttemptForm(formdata=formdata)


def answers_from(form: FlaskForm, items: list[Item]) -> dict[int, object]:
    return {item.index: form[f"q{item.index}"].data for item in items}
