"""The downloadable Excel template: one example row per type and a 填写说明 sheet."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .common import Question
from .xlsx import MAX_ROWS, save, write_sheet

_EXAMPLES: list[Question] = [
    {"id": "", "type": "single", "tags": ["meter-data"], "difficulty": 2,
     "text": "单相智能电能表铭牌标注“5(60)A”，其中 60A 表示什么？",
     "options": [{"text": "基本电流", "correct": False}, {"text": "最大电流", "correct": True},
                 {"text": "启动电流", "correct": False}, {"text": "短路电流", "correct": False}],
     "explanation": "括号外 5A 是基本电流，括号内 60A 是最大电流；启动电流远小于基本电流。"},
    {"id": "", "type": "multiple", "tags": ["troubleshooting"], "difficulty": 3,
     "text": "某公变台区全部电表当天都抄读失败，可能的原因有哪些？",
     "options": [{"text": "集中器掉电", "correct": True},
                 {"text": "集中器 SIM 卡欠费停机", "correct": True},
                 {"text": "某一块电表档案地址录错", "correct": False},
                 {"text": "某一块电表通信模块松动", "correct": False}],
     "explanation": "全台区失败指向所有表共用的集中器及其远程信道；单块表的问题只影响该表。"},
    {"id": "", "type": "true_false", "tags": ["success-rate"], "difficulty": 1,
     "text": "日采集成功率 = 当日采集成功的电能表数 ÷ 应采集的电能表数 × 100%。",
     "answer": True, "explanation": "分母是应采表数，不是在线表数。"},
    {"id": "", "type": "short_text", "tags": ["collection"], "difficulty": 2,
     "text": "台区内负责抄读电表、再经远程信道把数据上传主站的设备叫什么？",
     "accept": ["集中器", "采集集中器"], "explanation": "集中器下行抄表、上行连主站。"},
    {"id": "", "type": "numeric", "tags": ["meter-data"], "difficulty": 3,
     "text": "低压客户经电流互感器接入计量，TA 变比 200/5。本月示值 1587.64，上月 1544.38，"
             "本月计费电量是多少？",
     "answer": 1730.4, "tolerance": 0.1, "unit": "kWh",
     "explanation": "倍率 200 ÷ 5 = 40；(1587.64 − 1544.38) × 40 = 1730.4 kWh。"},
]

_INSTRUCTIONS = [
    "题库导入模板填写说明",
    "",
    "1. 每行一道题。第一行是表头，请勿修改表头文字（也可使用英文表头：type, stem, "
    "option A…option F, answer, explanation, tags, difficulty）。",
    "2. 题型：单选、多选、判断、填空、计算（数值题）。",
    "3. 选项A–选项F：单选、多选题填写选项（单选建议 4 个，多选 4–5 个）；判断、填空、计算题留空。",
    "4. 答案：单选填一个字母，如 B；多选填两个及以上字母，如 ABD、A,B,D 或 A、B；"
    "全角字母（Ａ、ＡＢＤ）也能识别。",
    "5. 判断题答案填 对/错（也可写 √/×、正确/错误、T/F）。",
    "6. 填空题答案填可接受的写法，多个写法用 | 分隔，如 集中器|采集集中器；"
    "判分时忽略空格和大小写。",
    "7. 计算题答案填数值，如 1730.4；允许误差填在“误差”列（或写成 1730.4±0.1），单位填在“单位”列。",
    "8. 解析：说明正确答案为什么对、常见错误为什么错。",
    "9. 标签：小写英文标识，如 meter-data，多个用逗号分隔；第一个写所属课时的主题。",
    "10. 难度：1（易）到 5（难）的整数，可不填。编号：可不填，导入时自动编为 q01、q02……",
    "11. 同一题型连续多行时，“题型”列可以纵向合并单元格。",
    "12. 防猜题：单选题各选项长度相近，正确答案在 A/B/C/D 间分布均匀；多选题不要全部选项都正确；"
    "判断题“对”“错”大致各半。",
    "13. 示例行可直接删除。",
]


def template_workbook() -> bytes:
    """A downloadable .xlsx template: one example row per type and a 填写说明 sheet."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "题目"
    write_sheet(ws, [dict(q) for q in _EXAMPLES], with_ids=False)
    types = DataValidation(type="list", formula1='"单选,多选,判断,填空,计算"', allow_blank=True)
    ws.add_data_validation(types)
    types.add(f"A2:A{MAX_ROWS}")
    notes = wb.create_sheet("填写说明")
    for line in _INSTRUCTIONS:
        notes.append([line])
    notes.column_dimensions["A"].width = 120
    notes["A1"].font = Font(bold=True, size=14)
    return save(wb)
