"""Bank import/export formats (lms/assessment/formats): round trips, Excel quirks, bad input."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from lms.assessment.formats import (
    canonical_bank,
    export_gift,
    export_moodle_xml,
    export_xlsx,
    import_gift,
    import_moodle_xml,
    import_xlsx,
    template_workbook,
)
from lms.assessment.formats.gift import escape

TRICKY = "含 ~ = # { } : 与 \\ 反斜杠、<b>不是标签</b> & “引号”\n第二行 **粗体**"


def rich_bank() -> dict[str, Any]:
    """Every type and optional field, with text that stresses each format's escaping."""
    return {
        "id": "dt-999-main",
        "title": {"zh": "测试题库：特殊字符 & 转义", "en": "Test bank: escapes & co"},
        "questions": [
            {"id": "q01", "type": "single", "tags": ["meter-data", "extra"], "difficulty": 2,
             "text": "TA 变比 200/5 的综合倍率是多少？\n\n| 项 | 值 |\n|---|---|\n| TA | 200/5 |",
             "options": [{"text": "40", "correct": True}, {"text": "200"}, {"text": "5"},
                         {"text": "=1+1 不是公式"}],
             "explanation": TRICKY},
            {"id": "q02", "type": "multiple", "tags": ["collection"], "text": TRICKY,
             "options": [{"text": "集中器掉电", "correct": True}, {"text": "SIM 卡停机",
                                                                   "correct": True},
                         {"text": "天线松脱 ~ 信号弱", "correct": True},
                         {"text": "档案地址 = 录错"}, {"text": "模块 {松动} -> 复位"}],
             "explanation": "三项共用环节。"},
            {"id": "q03", "type": "true_false", "text": "日采集成功率的分母是应采表数。",
             "answer": True, "difficulty": 1},
            {"id": "q04", "type": "true_false", "text": "可以按上月电量估抄：不用补采。",
             "answer": False, "explanation": "能补采就补采。"},
            {"id": "q05", "type": "numeric", "tags": ["meter-data"], "difficulty": 5,
             "text": "(1587.64 − 1544.38) × 40 = ? kWh", "answer": 1730.4, "tolerance": 0.1,
             "unit": "kWh", "explanation": "43.26 × 40。"},
            {"id": "q06", "type": "numeric", "text": "功率因数调整电费（元），减收为负。",
             "answer": -12.375, "tolerance": 0.005},
            {"id": "q07", "type": "numeric", "text": "一天 96 点是每隔几分钟一点？", "answer": 15},
            {"id": "q08", "type": "short_text", "tags": ["collection"],
             "text": "台区内抄读电表并上传主站的设备叫什么？", "accept": ["集中器", "采集集中器"],
             "explanation": "下行抄表、上行连主站。", "difficulty": 3},
            {"id": "q09", "type": "multiple", "text": "八个选项的多选题（Excel 需要 G、H 列）。",
             "options": [{"text": f"选项{i}", "correct": i in (2, 7)} for i in range(8)]},
        ],
    }


FORMATS: list[tuple[str, Callable[[Any], Any], Callable[..., Any]]] = [
    ("xlsx", export_xlsx, import_xlsx),
    ("moodle-xml", export_moodle_xml, import_moodle_xml),
    ("gift", export_gift, import_gift),
]


@pytest.mark.parametrize(("name", "export", "load"), FORMATS, ids=[f[0] for f in FORMATS])
def test_round_trip(name: str, export: Callable[[Any], Any], load: Callable[..., Any]) -> None:
    bank = rich_bank()
    data = export(bank)
    back, errors = load(data)
    assert errors == []
    assert back == canonical_bank(bank)
    again, _errors = load(export(back))
    assert again == back


@pytest.mark.parametrize(("name", "export", "load"), FORMATS, ids=[f[0] for f in FORMATS])
def test_round_trip_through_a_file(tmp_path: Path, name: str, export: Callable[[Any], Any],
                                   load: Callable[..., Any]) -> None:
    data = export(rich_bank())
    path = tmp_path / f"bank.{name}"
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    back, errors = load(path)
    assert errors == [] and back == canonical_bank(rich_bank())
    with path.open("rb") as fh:
        assert load(fh)[0] == back


@pytest.mark.parametrize(("name", "export", "load"), FORMATS, ids=[f[0] for f in FORMATS])
def test_bank_id_and_title_can_be_overridden(name: str, export: Callable[[Any], Any],
                                             load: Callable[..., Any]) -> None:
    back, _errors = load(export(rich_bank()), bank_id="other", title={"zh": "甲", "en": "A"})
    assert back["id"] == "other" and back["title"] == {"zh": "甲", "en": "A"}


def test_canonical_bank_fills_and_drops_defaults() -> None:
    bank = {"id": "b", "title": {"zh": "题", "en": "B"}, "questions": [
        {"id": "q1", "type": "single", "text": " 题干 ", "tags": [], "explanation": "",
         "options": [{"text": "a", "correct": True}, {"text": "b"}]},
        {"id": "q2", "type": "numeric", "text": "n", "answer": 3, "tolerance": 0, "unit": ""}]}
    assert canonical_bank(bank)["questions"] == [
        {"id": "q1", "type": "single", "text": "题干",
         "options": [{"text": "a", "correct": True}, {"text": "b", "correct": False}]},
        {"id": "q2", "type": "numeric", "text": "n", "answer": 3}]


# --- Excel -------------------------------------------------------------------------------

def xlsx_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案", "解析",
          "标签", "难度"]


def quirky_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "导入"
    ws.append(["国网某供电公司 营销服务题库（导入模板）"])
    ws.merge_cells("A1:L1")
    ws.append(HEADER)
    rows: list[list[Any]] = [
        ["单选题", "单选一", "甲", "乙", "丙", "丁", None, None, "Ｂ", "解析一", "Meter-Data", 2],
        [None, "单选二", "甲", "乙", "丙", "丁", None, None, "c", None, None, "中等"],
        [None, "单选三", "甲", "乙", "丙", "丁", None, None, " d ", None, None, None],
        ["多选题", "多选一", "甲", "乙", "丙", "丁", "戊", None, "ＡＢＤ", None, "a，b", None],
        ["多选", "多选二", "甲", "乙", "丙", "丁", None, None, "A,B,D", None, None, None],
        ["不定项选择题", "多选三", "甲", "乙", "丙", "丁", None, None, "A、C", None, None, None],
        [None] * 12,
        ["判断题", "判断一", None, None, None, None, None, None, "对", None, None, None],
        ["判断", "判断二", None, None, None, None, None, None, "×", None, None, None],
        ["判断", "判断三", None, None, None, None, None, None, "√", None, None, None],
        ["判断", "判断四", None, None, None, None, None, None, "错误", None, None, None],
        ["判断", "判断五", None, None, None, None, None, None, "Ｔ", None, None, None],
        ["判断", "判断六", None, None, None, None, None, None, "F", None, None, None],
        ["判断", "判断七", None, None, None, None, None, None, True, None, None, None],
        ["判断", "判断八", "正确", "错误", None, None, None, None, "B", None, None, None],
        ["填空题", "填空一", None, None, None, None, None, None, "集中器|采集集中器；集抄器",
         None, None, None],
        ["计算题(数值)", "计算一", None, None, None, None, None, None, "1730.4±0.1 kWh",
         None, None, 3],
        ["计算", "计算二", None, None, None, None, None, None, 12.5, None, None, None],
        ["数值", "计算三", None, None, None, None, None, None, "1,730.4", None, None, None],
        ["单选", "长选项跨两列", "很长很长的选项甲", None, "丙", "丁", None, None, "C", None, None,
         None],
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("A3:A5")  # 单选题 for rows 3-5
    ws.merge_cells("C22:D22")  # option A spans the option B column
    return xlsx_bytes(wb)


def by_text(bank: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["text"]: q for q in bank["questions"]}


def correct(q: dict[str, Any]) -> list[str]:
    return [o["text"] for o in q["options"] if o["correct"]]


def test_excel_quirks() -> None:
    bank, errors = import_xlsx(quirky_workbook())
    assert errors == []
    qs = by_text(bank)
    assert len(qs) == 19
    assert [q["id"] for q in bank["questions"]] == [f"q{i:02d}" for i in range(1, 20)]
    # merged 题型 cells, full-width and lower-case letters
    assert [qs[t]["type"] for t in ("单选一", "单选二", "单选三")] == ["single"] * 3
    assert correct(qs["单选一"]) == ["乙"] and correct(qs["单选二"]) == ["丙"]
    assert correct(qs["单选三"]) == ["丁"]
    assert qs["单选一"]["tags"] == ["meter-data"] and qs["单选一"]["difficulty"] == 2
    assert qs["单选二"]["difficulty"] == 3
    assert qs["单选一"]["explanation"] == "解析一"
    assert correct(qs["多选一"]) == ["甲", "乙", "丁"] and len(qs["多选一"]["options"]) == 5
    assert qs["多选一"]["tags"] == ["a", "b"]
    assert correct(qs["多选二"]) == ["甲", "乙", "丁"]
    assert correct(qs["多选三"]) == ["甲", "丙"] and qs["多选三"]["type"] == "multiple"
    assert [qs[f"判断{n}"]["answer"] for n in "一二三四五六七八"] == [
        True, False, True, False, True, False, True, False]
    assert "options" not in qs["判断八"]
    assert qs["填空一"]["accept"] == ["集中器", "采集集中器", "集抄器"]
    assert qs["计算一"] == {"id": "q16", "type": "numeric", "text": "计算一",
                              "answer": 1730.4, "tolerance": 0.1, "unit": "kWh",
                              "difficulty": 3}
    assert qs["计算二"]["answer"] == 12.5 and "tolerance" not in qs["计算二"]
    assert qs["计算三"]["answer"] == 1730.4
    # option A merged across the B column: B is empty, letters still follow the columns
    assert [o["text"] for o in qs["长选项跨两列"]["options"]] == ["很长很长的选项甲", "丙", "丁"]
    assert correct(qs["长选项跨两列"]) == ["丙"]


def test_excel_merged_option_header_with_letter_row() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "题型", "题干", "选项", None, None, None, "正确答案", "答案解析"])
    ws.append([None, None, None, "A", "B", "C", "D", None, None])
    ws.merge_cells("D1:G1")
    ws.merge_cells("B1:B2")
    ws.append([1, "单选", "题一", "甲", "乙", "丙", "丁", "D", "因为"])
    ws.append([2, "多选", "题二", "甲", "乙", "丙", "丁", "AC", None])
    bank, errors = import_xlsx(xlsx_bytes(wb))
    assert errors == []
    q1, q2 = bank["questions"]
    assert correct(q1) == ["丁"] and q1["explanation"] == "因为"
    assert correct(q2) == ["甲", "丙"]


def test_excel_merged_option_header_without_letter_row() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["题型", "题干", "选项", None, None, "答案"])
    ws.merge_cells("C1:E1")
    ws.append(["单选", "题一", "甲", "乙", "丙", "C"])
    bank, errors = import_xlsx(xlsx_bytes(wb))
    assert errors == [] and correct(bank["questions"][0]) == ["丙"]


def test_excel_english_headers() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Type", "Question", "Option A", "Option B", "Option C", "Answer",
               "Explanation", "Tags", "Difficulty", "Tolerance", "Unit", "ID"])
    ws.append(["single", "Pick B", "a", "b", "c", "B", "because", "fee-control", 4, None, None,
               "x-1"])
    ws.append(["true_false", "Sky is blue", None, None, None, "T", None, None, None, None, None,
               None])
    ws.append(["Numeric", "How many?", None, None, None, 3, None, None, None, 0.5, "个", None])
    ws.append(["short_text", "Name it", None, None, None, "Ab | a b", None, None, None, None,
               None, None])
    bank, errors = import_xlsx(xlsx_bytes(wb))
    assert errors == []
    q1, q2, q3, q4 = bank["questions"]
    assert q1 == {"id": "x-1", "type": "single", "text": "Pick B", "tags": ["fee-control"],
                  "options": [{"text": "a", "correct": False}, {"text": "b", "correct": True},
                              {"text": "c", "correct": False}],
                  "explanation": "because", "difficulty": 4}
    assert q2["answer"] is True and q2["id"] == "q01"
    assert (q3["answer"], q3["tolerance"], q3["unit"]) == (3, 0.5, "个")
    assert q4["accept"] == ["Ab", "a b"]


def excel_with_rows(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER + ["误差", "编号"])
    for row in rows:
        ws.append(row + [None] * (len(HEADER) + 2 - len(row)))
    return xlsx_bytes(wb)


def test_excel_row_errors_are_reported_not_raised() -> None:
    opts = ["甲", "乙", "丙", "丁", None, None]
    rows: list[list[Any]] = [
        ["单选", "好题", *opts, "A"],  # row 2
        ["问答", "未知题型", *opts, "A"],  # row 3
        ["单选", None, *opts, "A"],  # row 4
        ["单选", "两个答案", *opts, "AB"],  # row 5
        ["多选", "一个答案", *opts, "A"],  # row 6
        ["单选", "没有这个选项", *opts, "G"],  # row 7
        ["单选", "不是字母", *opts, "1"],  # row 8
        ["判断", "不是对错", None, None, None, None, None, None, "也许"],  # row 9
        ["计算", "不是数", None, None, None, None, None, None, "约十"],  # row 10
        ["计算", "误差为负", None, None, None, None, None, None, 3, None, None, None, -1],
        ["单选", "选项重复", "甲", "甲", "丙", "丁", None, None, "C"],  # row 12
        ["单选", "无选项", None, None, None, None, None, None, "A"],  # row 13
        ["填空", "没有答案", None, None, None, None, None, None, None],  # row 14
        ["单选", "坏标签难度", *opts, "B", None, "计量, ok-tag", "很难很难"],  # row 15
        ["单选", "编号重复", *opts, "C", None, None, None, None, "q1"],  # row 16
        ["单选", "编号重复二", *opts, "D", None, None, None, None, "q1"],  # row 17
        ["单选", "编号无效", *opts, "A", None, None, None, None, "第1题"],  # row 18
    ]
    bank, errors = import_xlsx(excel_with_rows(rows))
    assert "row 7: 答案: 'G' is not an option" in errors
    expected_starts = [
        "row 3: 题型: '问答' is not a question type", "row 4: 题干: empty",
        "row 5: 答案: a single-choice question takes one letter",
        "row 6: 答案: a multiple-choice question needs two or more letters",
        "row 7: 答案: 'G' is not an option", "row 8: 答案: '1' is not a set of option letters",
        "row 9: 答案: '也许' is not true or false", "row 10: 答案: '约十' is not a number",
        "row 11: 误差: '-1' is not a number ≥ 0",
        "row 13: 选项A: a choice question needs options",
        "row 15: 标签: '计量' is not a valid tag", "row 15: 难度: '很难很难' is not 1-5",
        "row 12: options: two options have the same text",
        "row 14: answer: a short-text question needs at least one accepted answer",
        "row 17: id: 'q1' is used twice", "row 18: id: '第1题' is not a valid id",
    ]
    for start in expected_starts:
        assert any(e.startswith(start) for e in errors), start
    assert len(errors) == len(expected_starts)
    kept = by_text(bank)
    assert set(kept) == {"好题", "坏标签难度", "编号重复", "编号重复二", "编号无效"}
    assert kept["坏标签难度"]["tags"] == ["ok-tag"] and "difficulty" not in kept["坏标签难度"]
    assert kept["编号重复"]["id"] == "q1"
    assert len({q["id"] for q in bank["questions"]}) == 5


@pytest.mark.parametrize("data", [b"", b"not a zip file", b"PK\x03\x04broken zip"])
def test_excel_unreadable_file_is_one_value_error(data: bytes) -> None:
    with pytest.raises(ValueError, match="not a readable .xlsx"):
        import_xlsx(data)


def test_excel_without_header_row() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "部门"])
    bank, errors = import_xlsx(xlsx_bytes(wb))
    assert bank["questions"] == [] and len(errors) == 1 and "header row" in errors[0]


def test_excel_export_keeps_text_as_text() -> None:
    wb = load_workbook(io.BytesIO(export_xlsx(rich_bank())))
    ws = wb["题目"]
    cell = ws.cell(2, 6)  # 选项D of q01
    assert cell.value == "=1+1 不是公式" and cell.data_type == "s"
    assert wb["题库信息"]["B1"].value == "dt-999-main"


def test_template_workbook() -> None:
    data = template_workbook()
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["题目", "填写说明"]
    assert [c.value for c in wb["题目"][1]][:3] == ["题型", "题干", "选项A"]
    assert "题库导入模板填写说明" in str(wb["填写说明"]["A1"].value)
    bank, errors = import_xlsx(data)
    assert errors == []
    assert [q["type"] for q in bank["questions"]] == [
        "single", "multiple", "true_false", "short_text", "numeric"]


# --- Moodle XML --------------------------------------------------------------------------

MOODLE_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category><text>$course$/top/Default for 营销</text></category>
  </question>
  <question type="multichoice">
    <name><text>Question 1</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>倍率是<b>多少</b>？&nbsp;</p><p>TA 200/5</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>200 &divide; 5 = 40</p>]]></text>
    </generalfeedback>
    <single>true</single>
    <answer fraction="100" format="html"><text><![CDATA[<p>40</p>]]></text>
      <feedback format="html"><text>对</text></feedback></answer>
    <answer fraction="0" format="html"><text>200</text></answer>
    <answer fraction="-25" format="html"><text>5</text></answer>
  </question>
  <question type="multichoice">
    <name><text>Question 2</text></name>
    <questiontext format="html"><text>选两项</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>甲</text></answer>
    <answer fraction="50"><text>乙</text></answer>
    <answer fraction="-100"><text>丙</text></answer>
    <tags><tag><text>Fee-Control</text></tag><tag><text>计量</text></tag></tags>
  </question>
  <question type="truefalse">
    <name><text>tf</text></name>
    <questiontext format="moodle_auto_format"><text>说法</text></questiontext>
    <answer fraction="0"><text>true</text></answer>
    <answer fraction="100"><text>false</text></answer>
  </question>
  <question type="numerical">
    <name><text>num</text></name>
    <questiontext format="plain_text"><text>算一算</text></questiontext>
    <answer fraction="100"><text>12.5</text><tolerance>0.05</tolerance></answer>
    <units><unit><multiplier>1</multiplier><unit_name>元</unit_name></unit>
      <unit><multiplier>0.01</multiplier><unit_name>分</unit_name></unit></units>
  </question>
  <question type="shortanswer">
    <name><text>sa</text></name>
    <questiontext format="html"><text>设备？</text></questiontext>
    <answer fraction="100"><text>集中器</text></answer>
    <answer fraction="50"><text>终端</text></answer>
  </question>
  <question type="essay">
    <name><text>essay</text></name>
    <questiontext format="html"><text>论述</text></questiontext>
  </question>
  <question type="numerical">
    <name><text>badnum</text></name>
    <questiontext format="html"><text>坏</text></questiontext>
    <answer fraction="100"><text>abc</text></answer>
  </question>
  <question type="multichoice">
    <name><text>nocorrect</text></name>
    <questiontext format="html"><text>都不对</text></questiontext>
    <single>true</single>
    <answer fraction="50"><text>甲</text></answer>
    <answer fraction="0"><text>乙</text></answer>
  </question>
</quiz>
"""


def test_moodle_import_of_a_moodle_style_export() -> None:
    bank, errors = import_moodle_xml(MOODLE_EXPORT)
    assert bank["id"] == "imported"  # "Default for 营销" is no usable id
    q1, q2, q3, q4, q5 = bank["questions"]
    assert q1 == {"id": "q01", "type": "single", "text": "倍率是多少？\n\nTA 200/5",
                  "options": [{"text": "40", "correct": True}, {"text": "200", "correct": False},
                              {"text": "5", "correct": False}],
                  "explanation": "200 ÷ 5 = 40"}
    assert correct(q2) == ["甲", "乙"] and q2["tags"] == ["fee-control"] and q2["id"] == "q02"
    assert q3["answer"] is False and q3["id"] == "tf"
    assert (q4["answer"], q4["tolerance"], q4["unit"]) == (12.5, 0.05, "元")
    assert q5["accept"] == ["集中器"]
    assert errors == [
        "question 2 (Question 2): tags: '计量' is not a valid tag (use a-z, 0-9, '-' and '_'); "
        "dropped",
        "question 6 (essay): type 'essay' is not supported; skipped",
        "question 7 (badnum): answer: 'abc' is not a number; skipped",
        "question 8 (nocorrect): answer: a single-choice question needs exactly one correct "
        "option (0); skipped",
    ]


@pytest.mark.parametrize("data", [
    b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaa">]><quiz><question type="truefalse">'
    b"<name><text>&a;</text></name></question></quiz>",
    b'<!DOCTYPE quiz SYSTEM "http://example.com/quiz.dtd"><quiz/>',
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
    b"<lolz>&lol2;</lolz>",
])
def test_moodle_refuses_doctype_and_entities(data: bytes) -> None:
    with pytest.raises(ValueError, match="DOCTYPE or ENTITY"):
        import_moodle_xml(data)


@pytest.mark.parametrize(("data", "message"), [
    (b"<quiz><question>", "not well-formed"),
    (b"", "not well-formed"),
    (b"<questions/>", "not Moodle's <quiz>"),
    (b"<quiz>&undefined;</quiz>", "not well-formed"),
])
def test_moodle_unreadable_files(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        import_moodle_xml(data)


def test_moodle_multiple_export_penalises_wrong_options() -> None:
    xml = export_moodle_xml(rich_bank()).decode()
    assert 'fraction="33.33333"' in xml and 'fraction="-50"' in xml
    assert "<!DOCTYPE" not in xml


# --- GIFT --------------------------------------------------------------------------------

MOODLE_GIFT = r"""
// question: 1  name: 倍率
// [tag:meter-data]
::倍率::TA 变比 200/5 的倍率是多少？{
  =40#对，200 ÷ 5
  ~200#忘了除以 5
  ~5
}

$CATEGORY: $course$/top/dt-101-main

::tf1::电表可以估抄。{F}

::tf2::说法二{TRUE#错了#对了}

// [id:n1]
::range::功率因数 0.85 至 0.95 取中值{#0.85..0.95####中间值}

::多::选两项 {~%50%甲 ~%50%乙 ~%-100%丙####总反馈}

::短::台区里抄表的设备是 {=集中器 =采集 集中器 =%50%终端} 。

::num2::两个答案 {#=12.5:0.5 =%50%12:1}

::essay::论述题 {}

::match::配对 {=a -> 1 =b -> 2}

::desc::这只是一段说明。

::bad::缺少右括号 {=甲 ~乙

::nc::没有正确项 {~甲 ~乙}
"""


def test_gift_import_of_moodle_style_text() -> None:
    bank, errors = import_gift(MOODLE_GIFT)
    assert bank["id"] == "dt-101-main"
    qs = {q["id"]: q for q in bank["questions"]}
    first = bank["questions"][0]
    assert first["text"] == "TA 变比 200/5 的倍率是多少？"
    assert correct(first) == ["40"] and first["tags"] == ["meter-data"]
    assert first["explanation"] == "对，200 ÷ 5"  # per-answer feedback as fallback
    assert qs["tf1"]["answer"] is False and qs["tf2"]["answer"] is True
    assert qs["n1"]["answer"] == pytest.approx(0.9) and qs["n1"]["tolerance"] == \
        pytest.approx(0.05)
    assert qs["n1"]["explanation"] == "中间值"
    multi = bank["questions"][4]
    assert multi["type"] == "multiple" and correct(multi) == ["甲", "乙"]
    assert multi["explanation"] == "总反馈"
    short = bank["questions"][5]
    assert short["accept"] == ["集中器", "采集 集中器"] and short["text"] == \
        "台区里抄表的设备是 _____ 。"
    assert bank["questions"][6]["answer"] == 12.5
    assert bank["questions"][6]["tolerance"] == 0.5
    assert [e.split(":", 1)[0] for e in errors] == [
        "question 8 (line 25)", "question 9 (line 27)", "question 10 (line 29)",
        "question 11 (line 31)", "question 12 (line 33)"]
    assert "essay" in errors[0] and "matching" in errors[1] and "no answer block" in errors[2]
    assert "no answer block" in errors[3]
    assert "multiple-choice question needs two or more correct options" in errors[4]  # as Moodle


def test_gift_escapes() -> None:
    assert escape("a~b=c#d{e}f:g\\h\ni") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"
    bank, errors = import_gift("::q1::1 \\= 1\\: 是 \\{真\\} 吗 \\\\n {=对 \\~ 是 ~错 \\# 否}")
    assert errors == []
    q = bank["questions"][0]
    assert q["text"] == "1 = 1: 是 {真} 吗 \\n"
    assert [o["text"] for o in q["options"]] == ["对 ~ 是", "错 # 否"]


def test_gift_html_format_is_read_as_text() -> None:
    bank, _errors = import_gift("::h::[html]<p>含 <b>标签</b> &amp; 实体</p>{T}")
    assert bank["questions"][0]["text"] == "含 标签 & 实体"


def test_gift_bad_difficulty_and_tags_are_dropped_with_errors() -> None:
    bank, errors = import_gift("// [difficulty:9] [tag:计量] [tag:ok]\n::a::题 {T}")
    assert bank["questions"][0] == {"id": "a", "type": "true_false", "text": "题",
                                    "tags": ["ok"], "answer": True}
    assert len(errors) == 2 and all(e.startswith("question 1 (line 1)") for e in errors)


def test_gift_unreadable_file() -> None:
    with pytest.raises(ValueError, match="not UTF-8"):
        import_gift("题".encode("gbk"))


def test_gift_empty_file_is_an_empty_bank() -> None:
    assert import_gift("") == ({"id": "imported", "title": {"zh": "导入的题库",
                                                             "en": "Imported question bank"},
                                "questions": []}, [])


# --- never more than a ValueError --------------------------------------------------------

GIFT_ALPHABET = st.sampled_from(list("=~#{}:\\%->.TF0123456789 \n甲乙/[]abc") + ["####", "//"])


@settings(max_examples=300, deadline=None)
@given(st.lists(GIFT_ALPHABET, max_size=60).map("".join))
def test_gift_import_never_crashes(text: str) -> None:
    bank, errors = import_gift(text)
    assert isinstance(errors, list)
    for q in bank["questions"]:
        assert q["type"] in ("single", "multiple", "true_false", "numeric", "short_text")


XML_PARTS = st.sampled_from([
    "<quiz>", "</quiz>", '<question type="multichoice">', '<question type="truefalse">',
    '<question type="numerical">', '<question type="shortanswer">', "</question>",
    '<answer fraction="100">', '<answer fraction="x">', "</answer>", "<text>", "</text>",
    "<single>false</single>", "<tolerance>-1</tolerance>", "甲", "1.5", "true", "<name>",
    "</name>", "<questiontext>", "</questiontext>", "<units><unit>", "</unit></units>"])


@settings(max_examples=300, deadline=None)
@given(st.lists(XML_PARTS, max_size=30).map("".join))
def test_moodle_import_raises_only_value_error(text: str) -> None:
    try:
        bank, errors = import_moodle_xml(text)
    except ValueError:
        return
    assert isinstance(errors, list) and isinstance(bank["questions"], list)
