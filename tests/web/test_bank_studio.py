"""Question banks in the trainer studio as a trainer meets them: the bank checks next to the
bank, question, quiz and lesson they concern on every save, errors that block publishing,
and importing / exporting banks as Excel, Moodle XML and GIFT — including files that are
broken, mislabelled or hostile, which get a message next to the field and never a 500."""

from __future__ import annotations

import html as html_lib
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from lms.catalog.models import Course
from lms.studio.editors import grant
from tests.forms import form_fields


@pytest.fixture(autouse=True)
def _folders(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "STUDIO_STAGING_FOLDER", str(tmp_path / "staging"))


def _course(make, db, user, code, **kw) -> Course:
    course = make.course(code, **kw)
    grant(course, user, "owner")
    db.session.commit()
    return course


def _text(resp) -> str:
    assert resp.status_code == 200, resp.status_code
    page = resp.get_data(as_text=True)
    assert "Traceback" not in page
    return html_lib.unescape(page)


def _follow(client, resp) -> str:
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    return _text(client.get(resp.headers["Location"]))


def _between(page: str, start: str, end: str) -> str:
    i = page.index(start)
    j = page.find(end, i + len(start))
    return page[i:j if j != -1 else None]


def _post_form(client, page_html: str, action: str, changes: dict | None = None,
               form_id: str | None = None, **kw):
    data: dict = form_fields(page_html, None if form_id else action, form_id)
    data.update(changes or {})
    return client.post(action, data=data, **kw)


MULTIPLE_ALL_CORRECT = [
    {"id": "q1", "type": "single", "text": "单选题", "options": [
        {"text": "甲", "correct": True}, {"text": "乙"}, {"text": "丙"}]},
    {"id": "q2", "type": "multiple", "text": "哪些做法正确？", "options": [
        {"text": "核对户号", "correct": True}, {"text": "核对表号", "correct": True},
        {"text": "核对示数", "correct": True}]},
]


# --- checks on save and publish ------------------------------------------------------------

def test_findings_show_next_to_the_bank_quiz_and_lesson_they_concern(client, make, db,
                                                                     login_as):
    trainer = login_as("trainer")
    _course(make, db, trainer, "CHK-1")
    page = _text(client.get("/author/courses/CHK-1"))
    assert "题库检查：" in page and 'id="checks-summary"' in page
    bank = _between(page, 'id="bank-chk-1-bank"', 'id="quizzes"')
    assert "共 5 道题；题库至少需要 40 道" in bank  # bank-too-small, in words, in Chinese
    quiz = _between(page, 'id="quiz-final"', "</ul>\n<a")
    assert "3 次作答下来，学员约能看到 100% 的题目" in quiz  # exposure of the final quiz
    lesson = _between(page, 'id="lesson-01-lesson"', 'id="lesson-02-lesson"')
    assert "本课没有主题" in lesson
    quiz_page = _text(client.get("/author/courses/CHK-1/quizzes/final"))
    assert "学员约能看到 100% 的题目" in _between(quiz_page, 'id="item-findings"', "</form>")
    lesson_page = _text(client.get("/author/courses/CHK-1/lessons/01-lesson"))
    assert "本课没有主题" in _between(lesson_page, 'id="item-findings"', "</form>")
    # Warnings only: the summary says they do not block.
    assert "0 个错误" in page and "警告不影响发布" in page

    form_page = _text(client.get("/author/courses/CHK-1"))
    _post_form(client, form_page, "/locale", {"locale": "en", "next": "/author/"})
    english = _text(client.get("/author/courses/CHK-1"))
    assert "5 questions; a bank needs at least 40" in english


def test_saving_a_question_shows_its_findings_and_is_not_blocked(client, make, db, login_as):
    trainer = login_as("trainer")
    _course(make, db, trainer, "CHK-2")
    url = "/author/courses/CHK-2/banks/chk-2-bank/questions/q5"
    form_page = _text(client.get(url))
    resp = _post_form(client, form_page, url, {"text": "台区内负责抄表上传的集中器叫什么？"},
                      form_id="question-form")
    page = _follow(client, resp)  # a warning never blocks saving
    assert "题目已保存到草稿" in page or "已保存" in page
    assert "答案“集中器”出现在题干中" in _between(page, 'id="item-findings"', "</form>")
    bank_page = _text(client.get("/author/courses/CHK-2/banks/chk-2-bank"))
    assert "答案“集中器”出现在题干中" in _between(bank_page, 'id="question-q5"', "</li>\n  \n")


def test_errors_block_publishing_until_fixed(client, make, db, login_as):
    trainer = login_as("trainer")
    course = _course(make, db, trainer, "CHK-3", questions=MULTIPLE_ALL_CORRECT)
    # Start a draft: rename the bank through its form.
    bank_url = "/author/courses/CHK-3/banks/chk-3-bank"
    _follow(client, _post_form(client, _text(client.get(bank_url)), bank_url,
                               {"title_zh": "新题库"}, form_id="bank-form"))
    course_page = _text(client.get("/author/courses/CHK-3"))
    assert "每个选项都正确：学员全选即可得分" in _between(course_page, 'id="bank-chk-3-bank"',
                                                       'id="quizzes"')
    publish = "/author/courses/CHK-3/publish"
    page = _follow(client, _post_form(client, course_page, publish))
    assert "草稿不能发布：检查发现 1 个错误" in page
    db.session.refresh(course)
    assert course.version == 1 and course.draft is not None
    bank_page = _text(client.get(bank_url))
    assert "每个选项都正确" in _between(bank_page, 'id="question-q2"', "</li>")

    # Fix it: one option becomes wrong.
    q_url = f"{bank_url}/questions/q2"
    form_page = _text(client.get(q_url))
    fields = form_fields(form_page, form_id="question-form")
    fields.pop("options-2-correct")
    resp = client.post(q_url, data=fields)
    assert resp.status_code == 302
    page = _follow(client, _post_form(client, _text(client.get("/author/courses/CHK-3")),
                                      publish))
    db.session.refresh(course)
    assert course.version == 2 and course.draft is None
    assert "题库检查还有" in page and "未阻止发布" in page  # warnings remain, did not block


# --- import ------------------------------------------------------------------------------

def _import_page(client, code: str) -> str:
    course_page = _text(client.get(f"/author/courses/{code}"))
    link = re.search(r'href="(/author/courses/[^"]+/banks/import)"', course_page)
    assert link, "no import link on the course page"
    return _text(client.get(link.group(1)))


def _upload(client, code: str, name: str, data: bytes, **fields):
    page = _import_page(client, code)
    action = f"/author/courses/{code}/banks/import"
    values = {**form_fields(page, action), **fields, "file": (io.BytesIO(data), name)}
    return client.post(action, data=values, content_type="multipart/form-data")


def _confirm(client, code: str, preview: str):
    action = f"/author/courses/{code}/banks/import/confirm"
    return client.post(action, data=form_fields(preview, action))


def test_template_download_and_import_with_preview_and_confirm(client, make, db, login_as):
    trainer = login_as("trainer")
    course = _course(make, db, trainer, "IMP-1")
    page = _import_page(client, "IMP-1")
    template_url = re.search(r'href="([^"]+template\.xlsx)"', page).group(1)
    resp = client.get(template_url)
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    load_workbook(io.BytesIO(resp.data))  # a real workbook

    preview = _text(_upload(client, "IMP-1", "题库模板.xlsx", resp.data, bank_id="imp-1-tpl"))
    assert "Excel 文件：题库 imp-1-tpl" in preview and "读到 5 道题" in preview
    assert "单相智能电能表铭牌标注" in preview  # the questions are shown
    assert 'id="bank-import-confirm"' in preview and "题库检查" in preview
    db.session.refresh(course)
    assert course.draft is None  # nothing is added before confirming

    page = _follow(client, _confirm(client, "IMP-1", preview))
    assert "题库 imp-1-tpl 已导入草稿，共 5 道题" in page
    assert page.count('id="question-') == 5
    db.session.refresh(course)
    bank = next(b for b in course.draft["banks"] if b["id"] == "imp-1-tpl")
    assert [q["type"] for q in bank["questions"]] == ["single", "multiple", "true_false",
                                                      "short_text", "numeric"]
    assert "difficulty" not in bank["questions"][0]
    course_page = _text(client.get("/author/courses/IMP-1"))
    assert 'id="bank-imp-1-tpl"' in course_page
    # Confirming twice does nothing more: the staged import is gone.
    again = _follow(client, _confirm(client, "IMP-1", preview))
    assert "该导入已失效，请重新上传文件" in again


@pytest.mark.parametrize("fmt", ["xlsx", "moodle", "gift"])
def test_export_then_import_round_trips_each_format(client, make, db, login_as, fmt):
    trainer = login_as("trainer")
    course = _course(make, db, trainer, f"RT-{fmt.upper()}")
    code = course.code
    bank_page = _text(client.get(f"/author/courses/{code}/banks/{code.lower()}-bank"))
    link = re.search(rf'href="([^"]+/export/{fmt})"', bank_page).group(1)
    resp = client.get(link)
    assert resp.status_code == 200
    name = resp.headers["Content-Disposition"].split("filename=")[-1].strip('"')
    preview = _text(_upload(client, code, name, resp.data, bank_id="copy"))
    assert "读到 5 道题" in preview and 'id="row-errors"' not in preview
    _follow(client, _confirm(client, code, preview))
    db.session.refresh(course)
    banks = {b["id"]: b for b in course.draft["banks"]}
    original, copy = banks[f"{code.lower()}-bank"], banks["copy"]

    def essence(q):
        return {k: v for k, v in q.items() if k != "id"}

    assert [essence(q) for q in copy["questions"]] == [essence(q) for q in original["questions"]]


def _workbook(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["题型", "题干", "选项A", "选项B", "选项C", "答案", "解析", "标签"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_rows_that_cannot_be_used_are_listed_with_the_rest_imported(client, make, db,
                                                                   login_as):
    trainer = login_as("trainer")
    _course(make, db, trainer, "IMP-2")
    data = _workbook([
        ["单选", "计量装置封印由谁加封？", "客户", "供电企业", "施工单位", "B", "", "seal"],
        ["单选", "这一行的答案不是选项", "甲", "乙", "丙", "E", "", ""],
        ["判断", "违约用电可以追补电费。", "", "", "", "√", "", "check"],
        ["多选", "哪些是计量装置？", "电能表", "互感器", "空调", "ＡＢ", "", "meter"],
        ["", "", "", "", "", "", "", ""],
        ["问答", "不支持的题型", "", "", "", "", "", ""],
    ])
    preview = _text(_upload(client, "IMP-2", "bank.xlsx", data))
    errors = _between(preview, 'id="row-errors"', "</div>")
    assert "第 3 行 · 答案: “E”不是一个选项（已跳过）" in errors
    assert "第 7 行" in errors and "不是题型" in errors
    assert "读到 3 道题" in preview and "imp-2-imported" in preview
    assert 'id="bank-import-confirm"' in preview  # the usable rows can still be added


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
       b"<quiz><question type=\"shortanswer\"><name><text>&x;</text></name></question></quiz>")
BROKEN = [
    ("empty.xlsx", b"", "文件为空"),
    ("random.xlsx", bytes(range(256)) * 20, "只能导入 Excel 工作簿"),
    ("not-a-workbook.xlsx", _zip({"hello.txt": b"hi"}), "只能导入 Excel 工作簿"),
    ("truncated.xlsx", _workbook([])[:300], "只能导入 Excel 工作簿"),
    ("garbage-inside.xlsx", _zip({"xl/workbook.xml": b"<not-xml", "[Content_Types].xml": b"x"}),
     "无法读取文件"),
    ("broken.xml", b"<quiz><question type='truefalse'>", "文件不是格式正确的 XML"),
    ("xxe.xml", XXE, "不接受含 DOCTYPE 或 ENTITY 声明的 XML"),
    ("other.xml", b"<?xml version='1.0'?><html><body/></html>", "根元素是 <html>"),
    ("gbk.gift", "::q1:: 电能表是计量装置 {T}".encode("gbk"), "只能导入 Excel 工作簿"),
    ("bank.txt", _workbook([]), "文件内容是 Excel，但文件名后缀是“.txt”"),
    ("bank.pdf", b"::q1:: 1+1=2 {T}", "文件名后缀是“.pdf”"),
    ("huge.gift", b"// " + b"a" * (5 * 1024 * 1024), "文件超过 5 MB"),
    ("nothing.gift", "// 只有注释\n".encode(), "这个文件中读不到任何题目"),
]


@pytest.mark.parametrize(("name", "data", "said"), BROKEN, ids=[b[0] for b in BROKEN])
def test_bad_files_get_a_message_never_a_500(client, make, db, login_as, name, data, said):
    trainer = login_as("trainer")
    course = _course(make, db, trainer, "BAD-1")
    page = _text(_upload(client, "BAD-1", name, data))
    assert said in page
    if "这个文件中读不到任何题目" not in said:
        assert "is-invalid" in page  # next to the file field
    assert 'id="bank-import-confirm"' not in page
    db.session.refresh(course)
    assert course.draft is None


def test_bank_id_taken_is_said_next_to_the_field(client, make, db, login_as):
    trainer = login_as("trainer")
    _course(make, db, trainer, "IMP-3")
    other = make.course("IMP-4")
    data = _workbook([["判断", "电能表属于计量装置。", "", "", "", "对", "", ""]])
    page = _text(_upload(client, "IMP-3", "a.xlsx", data, bank_id="imp-3-bank"))
    assert "本课程已有此编号的题库" in page and "is-invalid" in page
    page = _text(_upload(client, "IMP-3", "a.xlsx", data, bank_id=f"{other.code.lower()}-bank"))
    assert "另一门课程" in page or "其他课程" in page
    page = _text(_upload(client, "IMP-3", "a.xlsx", data, bank_id="Bad Id!"))
    assert "is-invalid" in page and 'id="bank-import-confirm"' not in page


def test_export_of_an_unknown_bank_or_format_is_404(client, make, db, login_as):
    trainer = login_as("trainer")
    _course(make, db, trainer, "EXP-1")
    assert client.get("/author/courses/EXP-1/banks/exp-1-bank/export/csv").status_code == 404
    assert client.get("/author/courses/EXP-1/banks/nope/export/gift").status_code == 404


def test_lesson_topic_is_set_in_the_lesson_form_and_published(client, make, db, login_as):
    from sqlalchemy import select

    from lms.catalog.models import Lesson

    trainer = login_as("trainer")
    course = _course(make, db, trainer, "TOP-2")
    url = "/author/courses/TOP-2/lessons/01-lesson"
    page = _text(client.get(url))
    resp = _post_form(client, page, url, {"topic": "Bad Topic"}, form_id="lesson-form")
    assert "is-invalid" in _text(resp)  # refused next to the field
    resp = _post_form(client, page, url, {"topic": "metering"}, form_id="lesson-form")
    page = _follow(client, resp)
    assert 'value="metering"' in page and "本课没有主题" not in _between(
        page, 'id="item-findings"', "</div>")
    course_page = _text(client.get("/author/courses/TOP-2"))
    lesson = _between(course_page, 'id="lesson-01-lesson"', 'id="lesson-02-lesson"')
    assert "metering" in lesson
    # The topic has no questions yet: the check says so next to the lesson.
    assert "主题 metering 只有 0 道题" in lesson
    _follow(client, _post_form(client, course_page, "/author/courses/TOP-2/publish"))
    db.session.refresh(course)
    assert course.version == 2
    first = db.session.scalar(select(Lesson).where(Lesson.course_id == course.id,
                                                   Lesson.slug == "01-lesson"))
    assert first.topic == "metering"


def test_findings_and_importer_messages_in_words(app):
    from lms.assessment.bank_checks import Finding, id_list
    from lms.studio.checks import in_words
    from lms.studio.import_messages import row_error

    ids = id_list([f"q{i}" for i in range(15)])
    finding = Finding("warning", "question-without-topic", "bank b", "…", {"n": 15, "ids": ids})
    with app.test_request_context():
        said = in_words(finding)
        assert said.startswith("15 道题没有以任何课时主题为标签") and "另有 3 道" in said
        assert in_words(Finding("warning", "new-rule", "bank b", "English text")) == \
            "English text"  # a rule without a text yet keeps its English message
        assert row_error("question 2 (line 7): answer: 'x' does not start with = or ~; "
                         "skipped") == "第 2 题（第 7 行） · 答案: “x”没有以 = 或 ~ 开头（已跳过）"
        said = row_error("row 4: 标签: 'a b!' is not a valid tag (use a-z, 0-9, '-' and '_'); "
                         "dropped")
        assert said == "第 4 行 · 标签: “a b!”不是有效标签（请用 a-z、0-9、“-”和“_”）（已舍弃）"
        assert row_error("something new") == "something new"
