# ruff: noqa: E501 - translations read best one per line
"""zh_CN for the strings issue 18 adds (re-applied by scripts/i18n_fill.py after merges)."""

T = {
    "Topic (bank tag)": "主题（题库标签）",
    "The question tag that tests this lesson; a quiz can draw questions by it.":
        "考查本课的题目标签；测验可按它抽题。",
    # bank import
    "Only Excel workbooks (.xlsx), Moodle XML (.xml) and GIFT text (.gift or .txt, UTF-8) can "
    "be imported.": "只能导入 Excel 工作簿（.xlsx）、Moodle XML（.xml）和 GIFT 文本（.gift 或 .txt，UTF-8 编码）。",
    "Question %(q)s (%(n)d in the file): %(r)s; skipped.": "题目 %(q)s（文件中第 %(n)d 题）：%(r)s；已跳过。",
    "This course already has a question bank with this id. Choose another id, or delete that "
    "bank first.": "本课程已有此编号的题库。请换一个编号，或先删除那个题库。",
    "The file cannot be read: %(r)s.": "无法读取文件：%(r)s。",
    "The file cannot be read: it is damaged or not what its name says.":
        "无法读取文件：文件已损坏，或与文件名所示类型不符。",
    "The file holds %(n)d questions; a bank holds at most %(m)d. Split it into several files.":
        "文件中有 %(n)d 道题，一个题库最多 %(m)d 道。请拆成几个文件。",
    "That import is no longer valid. Upload the file again.": "这次导入已失效，请重新上传文件。",
    "Question bank %(b)s imported into the draft with %(n)d question(s). Publish the course for "
    "learners to get it.": "题库 %(b)s 已导入草稿，共 %(n)d 道题。发布课程后学员即可使用。",
    # check findings
    "A choice question needs at least two options, each with text.": "选择题至少需要两个有内容的选项。",
    "This entry is not in the course package format.": "此条目不符合课程包格式。",
    "The bank has no questions yet.": "题库中还没有题目。",
    "Unknown question type “%(t)s”.": "未知题型“%(t)s”。",
    "The question text is empty.": "题干为空。",
    "The quiz has no draw rules.": "测验没有抽题规则。",
    "The number of attempts must be a whole number, 0 or more.": "作答次数必须是 0 或正整数。",
    "Draw rule %(r)s is not in the course package format.": "抽题规则 %(r)s 不符合课程包格式。",
    "Draw rule %(r)s must draw at least one question.": "抽题规则 %(r)s 至少要抽 1 道题。",
    "%(n)s questions; a bank needs at least %(min)s so that learners cannot learn the answers "
    "by heart.": "共 %(n)s 道题；题库至少需要 %(min)s 道，学员才无法靠背答案通过。",
    "The correct option is much longer than the others (%(c)s characters, the longest "
    "distractor %(d)s): learners can guess it by its length.":
        "正确选项明显比其他选项长（%(c)s 个字符，最长的干扰项 %(d)s 个）：学员凭长度就能猜中。",
    "The correct option is the longest in %(count)s of %(total)s single-choice questions "
    "(%(share)s; at most %(max)s): %(ids)s.":
        "%(total)s 道单选题中有 %(count)s 道的正确选项最长（%(share)s；最多允许 %(max)s）：%(ids)s。",
    "Option %(option)s is the correct one in %(count)s of %(total)s single-choice questions "
    "(%(share)s; at most %(max)s per position).":
        "%(total)s 道单选题中有 %(count)s 道的正确答案是 %(option)s（%(share)s；每个位置最多 %(max)s）。",
    "The answer “%(t)s” appears in the question text.": "答案“%(t)s”出现在题干中。",
    "The question text is %(share)s similar to question %(other)s.":
        "题干与题目 %(other)s 的相似度为 %(share)s。",
    "Every option is correct: a learner who ticks all of them scores.":
        "每个选项都正确：学员全选即可得分。",
    "%(true)s of %(total)s true/false statements are true (%(share)s); keep between %(low)s "
    "and %(high)s so that guessing does not pay.":
        "%(total)s 道判断题中有 %(true)s 道答案为“对”（%(share)s）；应保持在 %(low)s 到 %(high)s 之间，猜题才不划算。",
    "All options but one are correct in %(count)s of %(total)s multiple-choice questions "
    "(%(share)s; at most %(max)s): %(ids)s.":
        "%(total)s 道多选题中有 %(count)s 道只有一个选项错误（%(share)s；最多允许 %(max)s）：%(ids)s。",
    "Draw rule %(r)s: there is no question bank %(b)s in this course.":
        "抽题规则 %(r)s：本课程没有题库 %(b)s。",
    "Draw rule %(r)s: no question of bank %(b)s carries the tag %(t)s.":
        "抽题规则 %(r)s：题库 %(b)s 中没有带标签 %(t)s 的题目。",
    "Draw rule %(r)s asks for %(c)s questions but only %(n)s can be drawn.":
        "抽题规则 %(r)s 要抽 %(c)s 道题，但只有 %(n)s 道可抽。",
    "Over %(n)s attempts a learner sees about %(share)s of the questions (at most %(max)s): add "
    "questions, draw fewer or allow fewer attempts.":
        "%(n)s 次作答下来，学员约能看到 %(share)s 的题目（最多允许 %(max)s）：请增加题目、少抽几道或减少作答次数。",
    "With unlimited attempts a learner sees about %(share)s of the questions (at most "
    "%(max)s): limit the attempts or add questions.":
        "作答次数不限时，学员约能看到 %(share)s 的题目（最多允许 %(max)s）：请限制作答次数或增加题目。",
    "States %(s)s minutes but reads in about %(m)s (text and worked examples); at most %(a)s "
    "minutes may be stated.": "标注 %(s)s 分钟，但实测阅读约 %(m)s 分钟（正文和工作示例）；最多可标注 %(a)s 分钟。",
    "The first heading “%(h)s” repeats the lesson title; start with the learning goals.":
        "第一个标题“%(h)s”重复了课时标题；请从“学习目标”开始。",
    "The lesson has no topic: give it the question tag that tests it.":
        "本课没有主题：请填写考查本课的题目标签。",
    "%(n)s question(s) carry no lesson topic as a tag: %(ids)s.":
        "%(n)s 道题没有以任何课时主题为标签：%(ids)s。",
    "The topic %(t)s has %(n)s question(s); at least %(min)s are needed.":
        "主题 %(t)s 只有 %(n)s 道题；至少需要 %(min)s 道。",
    "No required quiz draws questions with the tag %(t)s, so this lesson may go untested.":
        "没有必考测验按标签 %(t)s 抽题，本课内容可能考不到。",
    "Draws the tag %(t)s, which is no lesson's topic.": "按标签 %(t)s 抽题，但它不是任何课时的主题。",
    "Two question banks use the id %(b)s.": "两个题库使用了同一个编号 %(b)s。",
    "The question-bank checks left %(n)d warning(s); they did not block publishing. Review them "
    "below.": "题库检查还有 %(n)d 条警告，未阻止发布。请查看下方。",
    "The draft cannot be published: the checks found %(n)d error(s), shown next to the question "
    "banks, quizzes and lessons they concern. Warnings do not block publishing.":
        "草稿不能发布：检查发现 %(n)d 个错误，已标注在相关的题库、测验和课时旁。警告不影响发布。",
    "Warning": "警告",
    "Question %(q)s": "题目 %(q)s",
    "Question-bank checks: %(e)d error(s), %(w)d warning(s), shown next to what they concern. "
    "Errors must be fixed before publishing; warnings do not block.":
        "题库检查：%(e)d 个错误、%(w)d 条警告，已标注在相关内容旁。错误须在发布前改正；警告不影响发布。",
    "Question-bank checks: nothing found.": "题库检查：未发现问题。",
    # forms and pages
    "Question bank file": "题库文件",
    "Excel (.xlsx, the template's layout), Moodle XML (.xml) or GIFT (.gift or .txt, UTF-8), at "
    "most 5 MB.": "Excel（.xlsx，按模板格式）、Moodle XML（.xml）或 GIFT（.gift 或 .txt，UTF-8），不超过 5 MB。",
    "Leave empty to take the id from the file (or <course>-imported). Unique across all "
    "courses.": "留空则使用文件中的编号（或“<课程>-imported”）。在所有课程中唯一。",
    "Leave both titles empty to take them from the file.": "两个标题都留空则使用文件中的标题。",
    "Export this bank:": "导出本题库：",
    "Import a question bank": "导入题库",
    "Bring an existing bank into this course’s draft from an Excel workbook, a Moodle XML export "
    "or a GIFT file. You will see every question read, every row that could not be used and the "
    "bank checks before anything is added.":
        "从 Excel 工作簿、Moodle XML 导出文件或 GIFT 文件把现有题库导入本课程的草稿。添加之前，您会看到读到的每道题、无法使用的每一行以及题库检查结果。",
    "Download the Excel template": "下载 Excel 模板",
    "Read the file": "读取文件",
    "%(f)s file: bank %(b)s “%(t)s”, %(n)d question(s) read.":
        "%(f)s 文件：题库 %(b)s“%(t)s”，读到 %(n)d 道题。",
    "%(n)d row(s) or value(s) could not be used:": "有 %(n)d 行或数值无法使用：",
    "Question-bank checks: %(e)d error(s), %(w)d warning(s). Warnings do not block the import; "
    "errors must be fixed before the course is published.":
        "题库检查：%(e)d 个错误、%(w)d 条警告。警告不影响导入；错误须在课程发布前改正。",
    "Add this bank to the draft": "把这个题库加入草稿",
    "No question could be read from this file. Nothing was added. Compare it with the Excel "
    "template or fix the rows listed above.": "这个文件中读不到任何题目，未添加任何内容。请对照 Excel 模板，或改正上面列出的行。",
    "Export (Excel)": "导出（Excel）",
    "Import a question bank (Excel, Moodle XML, GIFT)": "导入题库（Excel、Moodle XML、GIFT）",
    # importer messages
    "Row %(n)s": "第 %(n)s 行",
    "Question %(n)s (line %(l)s)": "第 %(n)s 题（第 %(l)s 行）",
    "Question %(n)s (%(name)s)": "第 %(n)s 题（%(name)s）",
    "Question %(n)s": "第 %(n)s 题",
    "skipped": "已跳过",
    "left out": "已舍弃",
    "a new one is given": "已重新编号",
    "Answer": "答案",
    "Options": "选项",
    "Question text": "题干",
    "Tolerance": "误差",
    "the file cannot be read (%(d)s)": "无法读取文件（%(d)s）",
    "the file is larger than %(n)s MB": "文件超过 %(n)s MB",
    "the file is not UTF-8 text": "文件不是 UTF-8 编码的文本",
    "XML with a DOCTYPE or ENTITY declaration is not accepted": "不接受含 DOCTYPE 或 ENTITY 声明的 XML",
    "the file is not well-formed XML (%(d)s)": "文件不是格式正确的 XML（%(d)s）",
    "the root element is <%(t)s>, not Moodle's <quiz>": "根元素是 <%(t)s>，而不是 Moodle 的 <quiz>",
    "the file is not a readable Excel workbook": "文件不是可读取的 Excel 工作簿",
    "no sheet has a header row with 题型, 题干 and 答案 (looked at the first %(n)s rows); download "
    "the template to see the layout": "没有工作表含有“题型、题干、答案”表头行（查看了前 %(n)s 行）；请下载模板查看格式",
    "only the first %(n)s rows were read": "只读取了前 %(n)s 行",
    "“%(t)s” is not a valid tag (use a-z, 0-9, '-' and '_')": "“%(t)s”不是有效标签（请用 a-z、0-9、“-”和“_”）",
    "the type “%(t)s” is not supported": "不支持题型“%(t)s”",
    "empty": "为空",
    "a choice question needs %(a)s to %(b)s options": "选择题需要 %(a)s 到 %(b)s 个选项",
    "a choice question needs options": "选择题需要选项",
    "an option has no text": "有选项没有内容",
    "two options have the same text": "有两个选项内容相同",
    "a single-choice question needs exactly one correct option (%(n)s marked)":
        "单选题必须恰好有一个正确选项（标了 %(n)s 个）",
    "a multiple-choice question needs two or more correct options (%(n)s marked)":
        "多选题至少需要两个正确选项（标了 %(n)s 个）",
    "a true/false question needs true or false": "判断题的答案必须是“对”或“错”",
    "a numeric question needs a number": "计算题的答案必须是数字",
    "must not be negative": "不能为负数",
    "longer than %(n)s characters": "超过 %(n)s 个字符",
    "a short-text question needs at least one accepted answer": "填空题至少需要一个可接受的答案",
    "“%(x)s” is not a valid id": "“%(x)s”不是有效编号",
    "“%(x)s” is used twice": "“%(x)s”重复使用",
    "“%(x)s” is not a difficulty from 1 to 5": "“%(x)s”不是 1 到 5 的难度",
    "“%(x)s” is not a set of option letters": "“%(x)s”不是选项字母",
    "“%(x)s” is not an option": "“%(x)s”不是一个选项",
    "a single-choice question takes one letter, not “%(x)s”": "单选题只能填一个字母，而不是“%(x)s”",
    "a multiple-choice question needs two or more letters, not “%(x)s”":
        "多选题至少要填两个字母，而不是“%(x)s”",
    "“%(x)s” is not true or false (对/错, √/×, 正确/错误, T/F)":
        "“%(x)s”不是对或错（对/错、√/×、正确/错误、T/F）",
    "“%(x)s” is not a number ≥ 0": "“%(x)s”不是大于等于 0 的数",
    "“%(x)s” is not a number range": "“%(x)s”不是数值范围",
    "“%(x)s” is not a number with an optional :tolerance": "“%(x)s”不是数字（可带 :误差）",
    "“%(x)s” is not a number": "“%(x)s”不是数字",
    "“%(x)s” is not a question type (单选/多选/判断/填空/计算)": "“%(x)s”不是题型（单选/多选/判断/填空/计算）",
    "“%(x)s” does not start with = or ~": "“%(x)s”没有以 = 或 ~ 开头",
    "no fully correct numeric answer": "没有完全正确的数值答案",
    "no answers": "没有答案",
    "no answer is marked fully correct": "没有标为完全正确的答案",
    "no answer block {…} (descriptions are not supported)": "没有答案块 {…}（不支持说明文字题）",
    "essay questions are not supported": "不支持问答题",
    "matching questions are not supported": "不支持匹配题",
    "%(text)s (%(outcome)s)": "%(text)s（%(outcome)s）",
    "%(ids)s and %(n)s more": "%(ids)s 等，另有 %(n)s 道",
}
