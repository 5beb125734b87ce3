# Chinese for strings written when branches were merged (scripts/i18n_fill.py applies it).
T = {
    "Certification %(c)s saved. Everyone it could apply to is being evaluated: the progress "
    "shows below.":
        "认证 %(c)s 已保存。正在为所有可能适用的人员评估，进度见下方。",
    "Started learning": "已开始",
}
