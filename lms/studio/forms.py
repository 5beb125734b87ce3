"""Forms of the trainer studio. The rules themselves are the course package's (checked by
services/studio.py with the package models); these forms only carry the input."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import Length, NumberRange, Optional

from lms.catalog.package import MAX_LESSON_BYTES
from lms.extensions import db
from lms.i18n import localized
from lms.people.models import JobRole

MAX_OPTIONS = 8
DRAW_ROWS = 4


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def category_choices():
    return [("digital-tools", _l("Digital tools")), ("service", _l("Customer service")),
            ("data", _l("Data and analysis")), ("security", _l("Data security")),
            ("energy", _l("Energy services")), ("dispatch", _l("Repair dispatch"))]


def audience_choices():
    roles = db.session.scalars(select(JobRole).order_by(JobRole.code))
    return [(r.code, localized(r, "name")) for r in roles]


def type_choices():
    return [("single", _l("Single choice")), ("multiple", _l("Multiple choice")),
            ("true_false", _l("True or false")), ("numeric", _l("Number")),
            ("short_text", _l("Short answer"))]


def review_choices():
    return [("score", _l("Score only")), ("answers", _l("Score and correct answers")),
            ("explanations", _l("Score, answers and explanations"))]


class ActionForm(FlaskForm):
    """A bare POST (publish, delete, move): the CSRF token is the point."""

    direction = HiddenField(default="")


class CourseForm(FlaskForm):
    code = StringField(_l("Course code"), validators=[Optional(), Length(max=32)],
                       description=_l("Capital letters, digits and '-', e.g. DT-110. Cannot "
                                      "be changed later."))
    title_zh = StringField(_l("Title (Chinese)"), validators=[Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Length(max=200)])
    summary_zh = TextAreaField(_l("Summary (Chinese)"), validators=[Length(max=2000)],
                               render_kw={"rows": 3})
    summary_en = TextAreaField(_l("Summary (English)"), validators=[Length(max=2000)],
                               render_kw={"rows": 3})
    category = SelectField(_l("Category"), choices=category_choices)
    audience = MultiCheckboxField(_l("Audience (job roles)"), choices=audience_choices,
                                  validate_choice=False)
    estimated_minutes = IntegerField(_l("Estimated minutes (whole course)"),
                                     validators=[Optional()])


class ModuleForm(FlaskForm):
    title_zh = StringField(_l("Module title (Chinese)"), validators=[Length(max=200)])
    title_en = StringField(_l("Module title (English)"), validators=[Length(max=200)])


class LessonForm(FlaskForm):
    slug = StringField(_l("File name"), validators=[Optional(), Length(max=64)],
                       description=_l("Lower-case letters, digits, '-' and '_'. Learners' "
                                      "progress follows this name; leave empty for one to be "
                                      "chosen."))
    module = SelectField(_l("Module"), coerce=int, default=0)
    title_zh = StringField(_l("Title (Chinese)"), validators=[Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Length(max=200)])
    minutes = IntegerField(_l("Minutes"), default=10, validators=[Optional()])
    topic = StringField(_l("Topic (bank tag)"), validators=[Optional(), Length(max=64)],
                        description=_l("The question tag that tests this lesson; a quiz can "
                                       "draw questions by it."))
    body = TextAreaField(_l("Lesson text (Markdown)"),
                         validators=[Length(max=MAX_LESSON_BYTES)],
                         render_kw={"rows": 24, "spellcheck": "false"})


class PreviewForm(FlaskForm):
    body = TextAreaField(validators=[Length(max=MAX_LESSON_BYTES)])


class BankForm(FlaskForm):
    bank_id = StringField(_l("Bank id"), validators=[Optional(), Length(max=64)],
                          description=_l("Unique across all courses, e.g. dt-110-main."))
    title_zh = StringField(_l("Title (Chinese)"), validators=[Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Length(max=200)])


class OptionForm(Form):
    text = StringField(_l("Option"), validators=[Length(max=1000)])
    correct = BooleanField(_l("Correct"))


class QuestionForm(FlaskForm):
    key = StringField(_l("Question id"), validators=[Length(max=64)],
                      description=_l("Unique within the bank, e.g. q12."))
    type = SelectField(_l("Type"), choices=type_choices, default="single")
    text = TextAreaField(_l("Question (Markdown)"), validators=[Length(max=5000)],
                         render_kw={"rows": 3})
    tags = StringField(_l("Tags"), validators=[Length(max=400)],
                       description=_l("Separated by spaces or commas; draw rules can pick "
                                      "questions by tag."))
    options = FieldList(FormField(OptionForm), min_entries=6, max_entries=MAX_OPTIONS)
    answer_tf = SelectField(_l("The statement is"), default="",
                            choices=[("", "—"), ("true", _l("True")), ("false", _l("False"))])
    answer_num = StringField(_l("Correct number"), validators=[Length(max=40)])
    tolerance = StringField(_l("Tolerance (±)"), validators=[Length(max=40)])
    unit = StringField(_l("Unit"), validators=[Length(max=20)])
    accept = TextAreaField(_l("Accepted answers (one per line)"),
                           validators=[Length(max=4000)], render_kw={"rows": 3},
                           description=_l("Compared after trimming, ignoring case and spaces."))
    explanation = TextAreaField(_l("Explanation (Markdown)"), validators=[Length(max=5000)],
                                render_kw={"rows": 3})


class DrawForm(Form):
    bank = SelectField(_l("Bank"), default="", validate_choice=False)
    count = IntegerField(_l("Questions"), validators=[Optional()])
    tag = StringField(_l("Only with tag"), validators=[Optional(), Length(max=64)])


class QuizForm(FlaskForm):
    quiz_id = StringField(_l("Quiz id"), validators=[Length(max=64)],
                          description=_l("e.g. final"))
    title_zh = StringField(_l("Title (Chinese)"), validators=[Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Length(max=200)])
    draw = FieldList(FormField(DrawForm), min_entries=DRAW_ROWS, max_entries=20)
    pass_mark = FloatField(_l("Pass mark (%)"), default=80, validators=[Optional()])
    max_attempts = IntegerField(_l("Attempts allowed (0 = unlimited)"), default=0,
                                validators=[Optional()])
    time_limit_min = IntegerField(_l("Time limit in minutes (empty = none)"),
                                  validators=[Optional()])
    review = SelectField(_l("After submitting, learners see"), choices=review_choices,
                         default="explanations")
    required = BooleanField(_l("Passing is required to complete the course"), default=True)


class ImportForm(FlaskForm):
    file = FileField(_l("Course package (.zip)"), validators=[FileRequired()])


class ConfirmImportForm(FlaskForm):
    token = HiddenField()


class BankImportForm(FlaskForm):
    file = FileField(_l("Question bank file"), validators=[FileRequired()],
                     description=_l("Excel (.xlsx, the template's layout), Moodle XML (.xml) or "
                                    "GIFT (.gift or .txt, UTF-8), at most 5 MB."))
    bank_id = StringField(_l("Bank id"), validators=[Optional(), Length(max=64)],
                          description=_l("Leave empty to take the id from the file (or "
                                         "<course>-imported). Unique across all courses."))
    title_zh = StringField(_l("Title (Chinese)"), validators=[Optional(), Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=200)],
                           description=_l("Leave both titles empty to take them from the "
                                          "file."))


class UploadForm(FlaskForm):
    file = FileField(_l("Image or PDF"), validators=[FileRequired()],
                     description=_l("PNG, JPEG, GIF, WebP or PDF, at most 5 MB."))


class AssignForm(FlaskForm):
    target = RadioField(_l("Assign to"), default="people", choices=[
        ("people", _l("Chosen people")), ("unit", _l("An org unit")),
        ("role", _l("A job role"))])
    employee_nos = TextAreaField(_l("Employee numbers"), validators=[Length(max=20000)],
                                 render_kw={"rows": 3},
                                 description=_l("Separated by spaces, commas or new lines."))
    unit = SelectField(_l("Org unit"), coerce=int, default=0)
    with_subunits = BooleanField(_l("Include its sub-units"), default=True)
    job_role = SelectField(_l("Job role"), coerce=int, default=0)
    due = DateField(_l("Due date"), validators=[Optional()])
    as_rule = BooleanField(_l("Keep assigning it to people who join this unit or role later"))
    due_days = IntegerField(_l("For a rule: due this many days after joining"),
                            validators=[Optional(), NumberRange(min=1, max=3650)])


class EditorForm(FlaskForm):
    employee_no = StringField(_l("Employee number"), validators=[Length(max=32)])
    role = SelectField(_l("Role"), default="editor", choices=[
        ("editor", _l("Editor")), ("owner", _l("Owner (may also add editors)"))])
