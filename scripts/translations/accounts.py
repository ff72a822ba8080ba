"""English for the accounts pages added with the account lock, login throttling and token expiry."""

EN = {
    "锁定时间": "Locked at", "账号解锁": "Account unlocked", "令牌编号": "Token id", "令牌类型": "Token kind",
    "对象名称": "Object name", "登录状态": "Login status", "已锁定": "Locked",
    "失败过多暂停登录的地址": "Addresses waiting after failed logins", "解锁": "Unlock", "锁定": "Lock",
    "有效期至": "Valid until", "凭据": "Credential", "%(kind)s令牌 #%(id)s": "%(kind)s token #%(id)s",
    "已锁定账号 %(name)s。": "Account %(name)s locked.", "已解锁账号 %(name)s。": "Account %(name)s unlocked.",
}
