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
}
