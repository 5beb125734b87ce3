"""zh_CN for the strings issue 18 adds (re-applied by scripts/i18n_fill.py after merges)."""

T = {
    "Topic (bank tag)": "主题（题库标签）",
    "The question tag that tests this lesson; a quiz can draw questions by it.":
        "考查本课的题目标签；测验可按它抽题。",
}
