"""English for the command centre (chempark.command): the 大屏 and the enterprise dynamic risk index."""

EN = {
    "指挥中心": "Command centre", "指挥大屏": "Command screen", "化工园区安全生产指挥大屏": "Chemical park safety command screen",
    "实时连接中": "Connecting live", "实时已连接": "Live", "实时重连中": "Reconnecting", "更新于": "Updated",
    "返回平台": "Back to the platform", "园区指标": "Park figures", "企业预警等级": "Enterprise warning levels",
    "企业动态风险排名": "Enterprises by dynamic risk", "24 小时报警趋势": "Alarms in the last 24 hours",
    "当前报警": "Active alarms", "当前无报警": "No active alarms", "报警数": "Alarms", "风险指数": "Risk index",
    "固有": "Inherent", "监测": "Monitoring", "管理": "Management",
    "数据获取失败，稍后自动重试": "Could not fetch the figures; retrying shortly",
    "红色": "Red", "橙色": "Orange", "黄色": "Yellow", "蓝色": "Blue",
    "企业接入": "Enterprises connected", "在营企业": "Operating enterprises", "已接入监测": "Connected to monitoring",
    "家": "enterprises", "处": "installations", "个": "points", "条": "alarms", "项": "items", "接入率": "Connection rate", "在线": "Online", "离线": "Offline",
    "实时报警": "Live alarms", "未确认·%(severity)s": "Unacknowledged · %(severity)s",
    "承诺与履职": "Commitments and duties", "今日承诺已报": "Committed today", "今日承诺未报": "Not committed today",
    "包保履职逾期": "Overdue duty checks", "企业动态风险指数": "Enterprise dynamic risk index",
    "重大危险源级别与 R 值": "Major hazard level and R", "未确认报警": "Unacknowledged alarms",
    "离线点位占比": "Share of points offline", "近 7 日未报安全承诺": "Commitments missed in the last 7 days",
    "固有风险": "Inherent risk", "监测状态": "Monitoring state", "管理状态": "Management state",
    "因素": "Factor", "得分（0–100）": "Score (0–100)", "类内权重": "Weight in family",
    "近 30 日": "Last 30 days",
    "固有风险、监测状态、管理状态三类加权合成；计算方法见平台文档。":
        "A weighted combination of inherent risk, monitoring state and management state; the method is in the documentation.",
    "企业风险指数记录": "Enterprise risk index record", "日期": "Date", "分项得分": "Family scores",
    "记录时间": "Recorded at",
    "没有该企业的风险指数（企业不存在、不在营或不在您的权限范围内）。":
        "No risk index for this enterprise (it does not exist, is not operating or is outside your scope).",
}
