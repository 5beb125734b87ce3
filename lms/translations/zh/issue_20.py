"""Chinese for the strings added by issue 20 (background jobs). Applied with
scripts/i18n_fill.py lms/translations/zh/issue_20.py after the catalogs are updated."""

T = {
    "This job cannot be retried.": "此任务无法重试。",
    "The job is queued again.": "任务已重新排队。",
    "Retention purge": "过期数据清理",
    "Removed: %(what)s": "已清理：%(what)s",
    "Only a failed job can be retried.": "只有失败的任务才能重试。",
    "This kind of job is unknown to this version.": "当前版本不认识这种任务。",
    "Background jobs": "后台任务",
    "queued": "排队中",
    "running": "运行中",
    "done": "已完成",
    "failed": "失败",
    "Created (%(zone)s)": "创建时间（%(zone)s）",
    "Job": "任务",
    "Started by": "发起人",
    "schedule": "定时计划",
    "Retry": "重试",
    "No jobs.": "没有任务。",
    "Waiting for a worker": "等待后台进程处理",
    "Running": "运行中",
    "Failed": "失败",
    "%(done)d of %(total)d": "%(done)d / %(total)d",
    "Finished.": "已完成。",
    "The last attempt failed and will be retried: %(e)s": "上次尝试失败，将自动重试：%(e)s",
    "Started %(at)s (%(zone)s). You may leave this page: the work goes on, and this page "
    "shows it again when you come back.":
        "发起于 %(at)s（%(zone)s）。可以离开本页：任务会继续运行，回到本页时仍会显示进度。",
    "See the people": "查看人员",
    "Your roster import is still running.": "您发起的花名册导入仍在进行中。",
    "Follow it": "查看进度",
    "Roster import": "花名册导入",
    "Everyone evaluated (%(p)d people): %(n)d award(s) issued.":
        "已评估全部人员（%(p)d 人）：颁发 %(n)d 项认证。",
    "Certification evaluation": "认证评估",
    "Everyone is evaluated against these rules": "正在按这些规则评估全部人员",
    "Certification sweep": "认证到期巡检",
    "Reminded %(r)d, assigned %(a)d course(s), recorded %(e)d expiry(ies).":
        "已提醒 %(r)d 人，指派 %(a)d 门课程，记录 %(e)d 项到期。",
    "Assignment rules": "指派规则",
    "Assigned %(n)d course(s) by %(r)d rule(s).": "按 %(r)d 条规则指派了 %(n)d 门课程。",
    "Forwarded %(s)d statement(s); %(f)d failed (%(e)s), will retry later.":
        "已转发 %(s)d 条记录；%(f)d 条失败（%(e)s），稍后重试。",
    "Forwarded %(s)d statement(s).": "已转发 %(s)d 条记录。",
    "xAPI forwarding": "xAPI 记录转发",
    "E-mail": "电子邮件",
    "Sent to %(to)s.": "已发送至 %(to)s。",
    "Runs": "执行次数",
    "Print activation codes for the new people": "为新人员打印激活码",
}
