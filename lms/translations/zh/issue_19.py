"""zh_CN for the strings added by issue 19 (training records, team progress, compliance)."""

T = {
    "Closed on %(d)s": "关闭于 %(d)s",
    "Moved on %(d)s": "到岗于 %(d)s",
    "Cancelled on %(d)s": "取消于 %(d)s",
    "Unknown action: nothing was changed.": "未知操作：未作任何更改。",
    "The form has expired or is incomplete: nothing was changed. Try again.":
        "表单已过期或不完整：未作任何更改，请重试。",
    "Choose a course.": "请选择课程。",
    "Tick at least one person.": "请至少勾选一人。",
    "%(c)s assigned: %(a)d new, %(u)d updated. They have been notified.":
        "已分配《%(c)s》：新增 %(a)d 人，更新 %(u)d 人，已通知本人。",
    "Share done": "完成比例",
    "Enrolments": "学习任务",
    "enrolments": "学习任务",
    "Counts are enrolments (one person in one course), not people.":
        "以上计数为学习任务（一人一门课程计一条），不是人数。",
    "Assign a course": "分配课程",
    "Back to the team": "返回班组",
    "Nothing is overdue.": "没有逾期的学习任务。",
    "Progress by person": "每人学习进度",
    "Select": "选择",
    "Completed on": "完成日期",
    "No courses yet.": "暂无课程。",
    "Assign a course to the people ticked above": "给上面勾选的人分配课程",
    "Assign to anyone in the team": "分配给班组中的任何人",
}
