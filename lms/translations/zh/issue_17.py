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
    "Open more counters in the hours where demand outgrew them": "在需求超出窗口能力的时段增开窗口",
    "Close the counters that demand did not need": "关闭需求用不上的窗口",
    "Staff each hour to its demand": "按各时段需求安排窗口",
    "Let every counter serve every service type": "让每个窗口都能办理所有业务",
    "Guide more paying customers to the kiosks": "引导更多缴费客户使用自助终端",
    "Run the online-channel campaign": "开展线上渠道引导活动",
    "Do without the online-channel campaign (it costs a lobby guide)":
        "不开展线上引导活动（可省下一名大堂引导员）",
    "One more crew on shift": "增加一支在岗抢修队",
    "One crew fewer on shift": "减少一支在岗抢修队",
    "Size each depot's crews to its zone's ticket load": "按各片区工单负荷配置各驻点抢修队",
    "Call in more standby crews": "调用更多支援抢修队",
    "Call in fewer standby crews": "少调用一些支援抢修队",
    "Change the dispatch policy": "调整派单策略",
    "would have scored %(s).1f instead of %(b).1f on the same %(n)d days":
        "在相同的 %(n)d 个模拟日中得分将为 %(s).1f，而不是 %(b).1f",
    "What would have scored better": "怎样可以得分更高",
    "Each suggestion changes one thing in your plan and was run on the same simulated days "
    "as yours.": "每条建议只改动方案中的一项，并在与你相同的模拟日上运行验证。",
    "Budget": "预算",
    "at most %(m)s %(u)s; over it the score shrinks, to 0 at %(z)s":
        "不超过 %(m)s %(u)s；超出后总分按比例降低，达到 %(z)s 时为 0",
    "staff-hours": "人员工时",
    "crew-hours": "抢修队工时",
}
