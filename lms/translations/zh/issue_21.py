"""Chinese for the strings issue 21 added (re-applied by the lead after merging catalogs)."""

T = {
    "Choose your own password before you continue: the one you signed in with was temporary.":
        "继续之前请设置您自己的密码：您登录所用的是临时密码。",
    "This code is not valid for this account, was already used or has expired. Ask HR for a new one.":
        "此激活码对该账号无效、已被使用或已过期。请向人事部门索取新的激活码。",
    "Activation code": "激活码",
    "The code on the sheet HR or an administrator gave you, e.g. ABCD-EFGH-JKLM.":
        "人事部门或管理员发给您的纸条上的激活码，例如 ABCD-EFGH-JKLM。",
    "Your account is ready. From now on sign in with your new password.":
        "您的账号已激活。今后请使用新密码登录。",
    "Roster imported: %(c)d created, %(u)d updated, %(n)d unchanged.":
        "花名册已导入：新增 %(c)d 人，更新 %(u)d 人，未变 %(n)d 人。",
    "Print codes for": "为以下人员打印激活码",
    "people waiting who have no valid code yet": "尚无有效激活码的待激活人员",
    "everyone waiting (their earlier codes stop working)": "全部待激活人员（之前的激活码作废）",
    "Temporary password": "临时密码",
    "Temporary password for %(no)s": "%(no)s 的临时密码",
    "Give this password to %(name)s. It is shown only this once; they must choose their own password when they sign in with it.":
        "请将此密码交给 %(name)s。它只显示这一次；对方用它登录时必须设置自己的密码。",
    "Back to the user": "返回用户",
    "Sets a new temporary password and signs the user out everywhere. They must replace it when they next sign in.":
        "设置新的临时密码，并使该用户在所有设备上退出登录。下次登录时必须更换密码。",
    "Or print a one-time activation code: the person chooses their own password with it.":
        "或打印一次性激活码：本人用它设置自己的密码。",
    "Print an activation code": "打印激活码",
    "Activate your account": "激活账号",
    "First time here? Enter your employee number and the one-time code you were given, then choose your own password.":
        "首次使用？请输入您的工号和收到的一次性激活码，然后设置您自己的密码。",
    "Activate and sign in": "激活并登录",
    "I already have a password: sign in": "我已有密码：登录",
    "First sign-in with an activation code": "首次登录（使用激活码）",
    "Waiting for activation": "待激活人员",
    "People who have never signed in. Each needs a one-time activation code to choose their own password; codes are shown only on the printed sheet.":
        "从未登录过的人员。每人需要一个一次性激活码来设置自己的密码；激活码只显示在打印页上。",
    "Print activation codes": "打印激活码",
    "valid until %(date)s": "有效期至 %(date)s",
    "none": "无",
    "Everyone has signed in at least once.": "所有人都至少登录过一次。",
    "Activation codes": "激活码",
    "These codes are shown only on this page: print it now (Ctrl+P) and hand each person their slip. A code works once; printing a new one for someone makes their earlier code void.":
        "激活码只在本页显示：请立即打印（Ctrl+P），把纸条分发给每个人。每个激活码只能使用一次；为某人重新打印会使其之前的激活码作废。",
    "Open %(url)s, enter your employee number and this code, and choose your password. Valid until %(date)s.":
        "打开 %(url)s，输入您的工号和此激活码，然后设置密码。有效期至 %(date)s。",
    "Nobody needed a code.": "没有人需要激活码。",
    "A person with this employee number already exists: change them with PATCH /users/{employee_no}.":
        "已有此工号的人员：请用 PATCH /users/{employee_no} 修改。",
    "%(no)s holds the platform role(s) %(roles)s: API tokens cannot change, rename or deactivate people with platform roles. An administrator changes them in the browser.":
        "%(no)s 拥有平台角色 %(roles)s：API 令牌不能修改、改名或停用拥有平台角色的人员。请由管理员在浏览器中修改。",
    "Valid for (days)": "有效天数",
    "A token is valid for 1 to %(n)d days.": "令牌有效期为 1 至 %(n)d 天。",
    "At most %(n)d days. An expired token answers 401; make a new one before it runs out.":
        "最多 %(n)d 天。过期的令牌会返回 401；请在到期前创建新令牌。",
}
