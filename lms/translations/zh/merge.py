# Chinese for strings written when branches were merged (scripts/i18n_fill.py applies it).
T = {
    "Roster imported: %(c)d created, %(u)d updated, %(n)d unchanged. New people sign in the "
    "first time with a one-time code: print the codes under People → Waiting for activation.":
        "花名册已导入：新增 %(c)d 人，更新 %(u)d 人，未变 %(n)d 人。新员工首次登录需使用一次性激活码："
        "请在“人员 → 待激活人员”中打印激活码。",
    "Certification %(c)s saved. Everyone it could apply to is being evaluated: the progress "
    "shows below.":
        "认证 %(c)s 已保存。正在为所有可能适用的人员评估，进度见下方。",
}
