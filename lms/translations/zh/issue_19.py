"""zh_CN for the strings added by issue 19 (training records, team progress, compliance)."""

T = {
    "Closed on %(d)s": "关闭于 %(d)s",
    "Moved on %(d)s": "到岗于 %(d)s",
    "Cancelled on %(d)s": "取消于 %(d)s",
    "Unknown action: nothing was changed.": "未知操作：未作任何更改。",
    "The form has expired or is incomplete: nothing was changed. Try again.":
        "表单已过期或不完整：未作任何更改，请重试。",
}
