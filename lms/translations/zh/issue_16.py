"""zh_CN translations of the strings added by issue 16 (certification you can trust)."""

T = {
    "Reason for lifting the hold": "解除暂停的理由",
    "The hold has been lifted.": "已解除暂停。",
    "Awarded again on new evidence.": "已依据新的成绩重新颁发。",
    "Give the reason for lifting the hold.": "请填写解除暂停的理由。",
    "Your certification %(c)s has been revoked: %(r)s": "你的认证%(c)s已被撤销：%(r)s",
    "The certification %(c)s of %(p)s has been revoked: %(r)s":
        "%(p)s的认证%(c)s已被撤销：%(r)s",
    "The hold on your certification %(c)s has been lifted: you can qualify again with new "
    "results (%(r)s).": "你的认证%(c)s的撤销暂停已解除：可凭新的成绩重新取得（%(r)s）。",
    "The revocation hold on %(c)s for %(p)s has been lifted: %(r)s":
        "%(p)s的认证%(c)s的撤销暂停已解除：%(r)s",
    "Your certification %(c)s expires on %(d)s (in %(n)d days): recertify before then.":
        "你的认证%(c)s将于%(d)s到期（还有%(n)d天），请在此之前完成复训认证。",
    "Your certification %(c)s expired on %(d)s.": "你的认证%(c)s已于%(d)s到期。",
    "Certificates expiring: %(n)d notices today": "证书到期提醒：今日%(n)d条",
    "This certification is retired: it is no longer awarded.": "该认证已停用，不再颁发。",
    "%(name)s's award was revoked and is on hold: lift the hold on the award page first.":
        "%(name)s的证书已被撤销并处于暂停状态：请先在证书页面解除暂停。",
    "This hold has already been lifted.": "该暂停已经解除。",
    "Revocation holds": "撤销暂停",
    "These certifications are not awarded again automatically until the hold is lifted; "
    "after that only results dated after the revocation count.":
        "在解除暂停之前，这些认证不会自动重新颁发；解除后只认可撤销之后取得的成绩。",
    "revoked %(d)s": "%(d)s撤销",
    "Lift the hold": "解除暂停",
    # part 2: the award page
    "Renewed": "已换发",
    "Reminded (renewal window opened)": "已提醒（复训认证期开始）",
    "Superseded by a newer award": "已被新证书替代",
    "Hold lifted": "解除暂停",
    "Expiry notice: 60 days": "到期提醒：60天",
    "Expiry notice: 30 days": "到期提醒：30天",
    "Expiry notice: 7 days": "到期提醒：7天",
    "Expiry notice: expired": "到期提醒：已到期",
    "Award": "证书",
    "Verification": "验证",
    "Certificate": "证书文件",
    "As checked when the award was issued (%(t)s).": "颁发时的核查结果（%(t)s）。",
    "Requirement": "要求",
    "What was found": "核查结果",
    "not met": "未满足",
    "No evidence recorded.": "没有记录证据。",
    "By": "操作人",
    "Note": "备注",
    "the system": "系统",
    "Revocation hold": "撤销暂停",
    "Not awarded again automatically until the hold is lifted; after that only results dated "
    "after the revocation count.": "解除暂停之前不会自动重新颁发；解除后只认可撤销之后取得的成绩。",
    "Hold lifted %(t)s: %(r)s": "已于%(t)s解除暂停：%(r)s",
    # part 3: defining, previews, references, retiring
    "required by %(c)s": "被%(c)s要求",
    "required by a job role": "被岗位要求引用",
    "named by issued certificates and their badge links": "已颁发的证书及其徽章链接使用此代码",
    "The code %(c)s is in use (%(why)s): it cannot be changed.":
        "代码%(c)s正在使用中（%(why)s），不能修改。",
    "The certification %(c)s is retired: it cannot be required.":
        "认证%(c)s已停用，不能作为要求。",
    "This would make a cycle: %(p)s.": "这会形成循环：%(p)s。",
    "Give the reason for retiring.": "请填写停用的理由。",
    "This certification is already retired.": "该认证已经停用。",
    "Active certifications require it (%(c)s): change them first.":
        "仍有启用的认证要求它（%(c)s），请先修改这些认证。",
    "Give the reason for bringing it back.": "请填写恢复颁发的理由。",
    "%(c)s is retired: no new awards; existing awards keep their dates.":
        "%(c)s已停用：不再颁发新证书，已有证书的日期保持不变。",
    "%(c)s is awarded again.": "%(c)s已恢复颁发。",
    "Certification %(c)s saved; %(n)d people awarded it.": "认证%(c)s已保存，%(n)d人获得该认证。",
    "Retired": "已停用",
    "A retired certification is no longer awarded; existing awards keep their dates and its "
    "badge stays verifiable.": "停用的认证不再颁发；已有证书的日期保持不变，其徽章仍可验证。",
    "Award it again": "恢复颁发",
    "Before saving: who this definition applies to": "保存之前：此定义适用于哪些人",
    "people would be awarded it now": "人将立即获得认证",
    "would lose eligibility (their current awards keep their dates)":
        "人将失去资格（现有证书的日期不变）",
    "%(n)d already hold it": "%(n)d人已持有",
    "%(n)d qualify but are on a revocation hold": "%(n)d人符合条件但处于撤销暂停中",
    "Would be awarded": "将获得认证",
    "No one": "无",
    "Would lose eligibility": "将失去资格",
    "The first %(n)d names of each list are shown.": "每个列表只显示前%(n)d个姓名。",
    "Change a field to see a new preview; confirming saves exactly what is previewed and "
    "evaluates everyone at once.":
        "修改任何字段会重新预览；确认后按预览内容保存，并立即对所有人进行评定。",
    "Confirm and save": "确认并保存",
    "Preview who qualifies": "预览符合条件的人",
    "Hide retired certifications": "隐藏已停用的认证",
    "Show retired certifications": "显示已停用的认证",
    "The id %(c)s is required by %(by)s: it cannot be changed.":
        "标识%(c)s被%(by)s要求，不能修改。",
    # part 4: expiry notices
    "expires in %(n)d days": "%(n)d天后到期",
    "expired": "已到期",
    # part 5: extra attempts
    "Quiz (COURSE/quiz)": "测验（课程代码/测验）",
    "Practice assessment (scenario)": "实训考核（场景）",
    "Quiz (COURSE/quiz) or scenario code": "测验（课程代码/测验）或场景代码",
    "Grant": "授予",
    "Extra attempts": "追加次数",
    "Reset attempts (start afresh)": "重置次数（重新开始）",
    "How many extra attempts": "追加几次",
    "Granted to %(name)s; they have been told.": "已授予%(name)s，并已通知本人。",
    "Choose a quiz or a practice assessment.": "请选择测验或实训考核。",
    "Choose what to grant.": "请选择授予的内容。",
    "Grant from 1 to 10 extra attempts.": "可追加1到10次。",
    "Give the reason.": "请填写理由。",
    "You have been granted %(n)d extra attempts on %(r)s: %(why)s":
        "你在%(r)s上获得了%(n)d次追加机会：%(why)s",
    "Your attempts on %(r)s have been reset: %(why)s": "你在%(r)s上的作答次数已重置：%(why)s",
    "When someone has used every attempt on a required quiz or practice assessment, grant "
    "more or let them start afresh. The reason is recorded and the person is told.":
        "当有人用完了必修测验或实训考核的全部次数时，可追加次数或让其重新开始。理由会被记录，并通知本人。",
    "Recent grants": "最近的授予记录",
    "+%(n)d attempts": "追加%(n)d次",
    "Reset": "重置",
    "None yet.": "暂无。",
    # part 6: the learner's certifications page
    "Complete the course “%(t)s”": "完成课程“%(t)s”",
    "Score at least %(m)s in the quiz “%(t)s”": "测验“%(t)s”成绩不低于%(m)s分",
    "Pass the quiz “%(t)s”": "通过测验“%(t)s”",
    "Score at least %(m)s in an assessment of the practice scenario “%(t)s”":
        "实训场景“%(t)s”考核成绩不低于%(m)s分",
    "Pass an assessment of the practice scenario “%(t)s”": "通过实训场景“%(t)s”的考核",
    "Hold the certification “%(t)s”": "持有认证“%(t)s”",
    "My certificates": "我的证书",
    "On hold": "暂停中",
    "%(d)d of %(n)d requirements met": "%(n)d项要求中已满足%(d)d项",
    "valid for %(m)d months": "有效期%(m)d个月",
    "Renewal due before %(d)s: meet the requirements again with new results.":
        "请在%(d)s之前复训认证：用新的成绩再次满足各项要求。",
    "Your certificate was revoked; HR must lift the hold before you can qualify again.":
        "你的证书已被撤销；须由人力资源部解除暂停后才能重新取得。",
    "Next step": "下一步",
    "No certifications are defined yet.": "尚未定义任何认证。",
    # part 7: one time policy
    "You have been awarded the certification %(c)s on %(d)s": "你已于%(d)s获得认证%(c)s",
}
