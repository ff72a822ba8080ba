"""English for the notification subscriptions (我的订阅) and the event types modules register."""

EN = {
    # the page
    "我的订阅": "My subscriptions",
    "选择哪些事件、从哪一严重程度起通知您，以及除站内消息外是否同时发送邮件、短信。提醒类事项每天最多通知一次。": (
        "Choose which events reach you, from which severity, and whether e-mail or SMS go out besides the "
        "inbox. A reminder reaches you at most once a day."
    ),
    "值班期间，未确认报警的升级通知（值班员 → 带班领导 → 局管理员）一律送达，不受订阅设置影响。": (
        "While on duty, escalations of unacknowledged alarms (officer → leader on duty → administrators) "
        "always reach you, whatever your subscriptions say."
    ),
    "电子邮箱": "E-mail address",
    "保存联系方式": "Save contact details",
    "（默认）": "(default)",
    "最低严重程度": "Minimum severity",
    "站内消息": "Inbox",
    "邮件": "E-mail",
    "未填写电子邮箱": "No e-mail address given",
    "未填写手机号码": "No mobile phone given",
    "您的角色没有可订阅的事件。": "Your role has no events to subscribe to.",
    "保存订阅": "Save subscriptions",
    "未填写邮箱或手机号码时，相应渠道不发送。": "Without an e-mail address or phone, that channel sends nothing.",
    "联系方式已保存。": "Contact details saved.",
    "订阅已保存。": "Subscriptions saved.",
    # models
    "订阅": "Subscribed",
    "消息订阅": "Subscription",
    "事项": "Matter",
    "提醒发送记录": "Reminder sent",
    "通知进度": "Notifier progress", "已通知的实时事件": "Announced live events",
    # event types (monitoring, hazards, supervision, tracking)
    "报警产生": "Alarm raised",
    "本企业（局端人员：全园区）的新报警": "New alarms of your enterprise (bureau staff: the whole park)",
    "报警越过更高一级限值": "An alarm crossed a higher limit",
    "报警超时升级": "Alarm escalated",
    "超过确认时限未确认；值班员、带班领导按升级链必定收到，不受订阅影响": (
        "Not acknowledged in time; the officer and leader on duty are reached by the escalation chain "
        "whatever their subscriptions"
    ),
    "每天提醒一次，直至补做检查": "Reminded daily until the check is done",
    "到期前 90 天起每天提醒；逾期或从未评估为“重要”": (
        "Reminded daily from 90 days before it is due; overdue or never done is “major”"
    ),
    "安全承诺未按时提交": "Daily commitment not submitted in time",
    "截止时间后仍未提交当日承诺": "Today's commitment still missing after the deadline",
    "隐患整改期限临近": "Rectification deadline near",
    "整改期限前 3 天起每天提醒": "Reminded daily from 3 days before the deadline",
    "隐患逾期未整改": "Rectification overdue",
    "隐患督办": "Rectification escalated (督办)",
    "逾期未整改已督办；重大隐患为“紧急”": "Overdue and escalated; a major hidden danger is “critical”",
    "许可证、证书到期": "Licence or certificate expiring",
    "到期前 90 天、30 天及过期次日各提醒": "Reminded 90 and 30 days before expiry and the day after",
    "危化品车辆违规": "Hazmat vehicle violation",
    "超速、偏离路线、驶入禁区、违规停车等": "Speeding, leaving the route, entering a forbidden zone, illegal parking …",
    "突发事件接警": "Incident taken",
    "新接报的突发事件（企业用户：本企业的）；Ⅰ、Ⅱ级为“紧急”": (
        "A newly reported incident (enterprise users: their own); level Ⅰ and Ⅱ are “critical”"
    ),
}
