"""Chinese for the strings added by issue 17 (fair practice scores)."""

T = {
    "Budget: %(k)s": "预算：%(k)s",
    "not applicable (no data)": "不适用（无数据）",
    "no data: counted as missed": "无数据：按未达标计",
    "multiplies the score": "乘以总分",
    "95%% interval over the days: %(a)s – %(b)s": "各模拟日得分的95%%区间：%(a)s – %(b)s",
    "Reference plan, same days": "参考方案（相同模拟日）",
    "Starting plan, same days": "初始方案（相同模拟日）",
    "the same hidden days for every trainee": "所有学员使用相同的隐藏模拟日",
    "Your whole-day plan is scored over a fixed set of simulated days, the same hidden days "
    "for every trainee, so the same plan always gets the same score.":
        "考核按一组固定的模拟日为你的全天方案评分，所有学员使用相同的隐藏模拟日，"
        "因此相同方案总是得到相同分数。",
    "Step-through is for practice: an assessment scores a plan for the whole day.":
        "分步模式仅用于练习：考核评的是全天方案。",
    "Assessments score a whole-day plan over a fixed set of days: choose “Run the "
    "assessment”. Step through the day in practice mode.":
        "考核按一组固定的模拟日为全天方案评分：请选择“开始考核”。分步推演请在练习模式中进行。",
}
