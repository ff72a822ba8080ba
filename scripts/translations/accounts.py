"""English for the accounts pages added with the account lock, login throttling, token expiry and
account management (edit, disable, password reset and change)."""

EN = {
    "锁定时间": "Locked at", "账号解锁": "Account unlocked", "令牌编号": "Token id", "令牌类型": "Token kind",
    "对象名称": "Object name", "登录状态": "Login status", "已锁定": "Locked",
    "失败过多暂停登录的地址": "Addresses waiting after failed logins", "解锁": "Unlock", "锁定": "Lock",
    "有效期至": "Valid until", "凭据": "Credential", "%(kind)s令牌 #%(id)s": "%(kind)s token #%(id)s",
    "已锁定账号 %(name)s。": "Account %(name)s locked.", "已解锁账号 %(name)s。": "Account %(name)s unlocked.",
    "仅企业用户绑定企业。": "Only enterprise users belong to an enterprise.", "新密码": "New password",
    "留空则自动生成一个随机密码，只显示一次。": "Leave empty to generate a random password, shown only once.",
    "当前密码": "Current password", "再次输入新密码": "New password again",
    "两次输入的新密码不一致。": "The two new passwords differ.", "账号停用": "Account disabled",
    "账号启用": "Account enabled", "重置密码": "Reset password", "修改密码": "Change password", "已停用": "Disabled",
    "修改后，您在其他设备上的登录会话将结束。": "Your sessions on other devices end when you change it.",
    "返回用户与令牌": "Back to users and tokens",
    "新密码（只显示这一次，请当面或通过安全渠道交给本人）：":
        "New password (shown only this once; hand it to the person directly or through a secure channel):",
    "姓名、角色与企业": "Name, role and enterprise",
    "重置后该用户的登录会话结束、访问令牌全部吊销。": "A reset ends the user's sessions and revokes all their tokens.",
    "停用账号": "Disable the account",
    "停用后不能登录，已登录的会话和访问令牌立即失效；可以重新启用。":
        "A disabled account cannot log in; its open sessions and tokens stop at once. It can be enabled again.",
    "启用账号": "Enable the account", "已保存用户 %(name)s。": "User %(name)s saved.",
    "已启用账号 %(name)s。": "Account %(name)s enabled.", "已停用账号 %(name)s。": "Account %(name)s disabled.",
    "已重置 %(name)s 的密码。": "Password of %(name)s reset.", "密码已修改。": "Password changed.",
    "登录地址": "Login address", "连续失败次数": "Failures in a row", "等待至": "Waiting until",
}
