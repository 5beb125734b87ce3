"""Chinese for the strings added by issue 17 (fair practice scores)."""

T = {
    "Budget: %(k)s": "预算：%(k)s",
    "not applicable (no data)": "不适用（无数据）",
    "no data: counted as missed": "无数据：按未达标计",
    "multiplies the score": "乘以总分",
}
