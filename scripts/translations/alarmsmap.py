"""English for the alarm list's triage (filters, tags, bulk acknowledgement, live state) and the
one-map's located layers, clusters, warning colours and search."""

EN = {
    # alarm list
    "选择": "Select", "操作": "Action", "范围": "Extent", "待处置": "Awaiting handling", "已升级": "Escalated",
    "全部": "All", "企业": "Enterprise", "点位类型": "Point kind", "严重程度": "Severity", "报警类型": "Alarm type",
    "状态": "Status", "起始日期": "From", "截止日期": "End date",
    "截止日期不能早于起始日期。": "The end date cannot be before the start date.",
    "请至少选择一条报警。": "Select at least one alarm.",
    "未确认": "Unacknowledged", "离线": "Offline", "确认": "Acknowledge", "处置说明": "Handling note",
    "如：已电话通知企业现场核实": "e.g. phoned the enterprise to check on site", "确认所选报警": "Acknowledge selected",
    "实时：连接中": "Live: connecting", "实时：已连接": "Live: connected", "实时：重新连接中": "Live: reconnecting",
    "实时：已断开": "Live: disconnected", "所选报警编号无效。": "The selected alarm ids are invalid.",
    "已确认 %(n)d 条报警。": "%(n)d alarms acknowledged.",
    "%(n)d 条报警此前已被确认，未重复处理。": "%(n)d alarms had already been acknowledged and were left as they were.",
    "%(n)d 条报警不存在或不属于本企业。": "%(n)d alarms do not exist or are not your enterprise's.",

    # one-map
    "%(n)d 个点位": "%(n)d points", "%(n)d 个单元": "%(n)d units", "%(n)d 个重大危险源": "%(n)d major hazards",
    "%(n)d 个企业": "%(n)d enterprises", "放大地图查看详情": "Zoom in for details", "红色预警": "Red warning", "橙色预警": "Orange warning",
    "黄色预警": "Yellow warning", "蓝色预警": "Blue warning", "一级重大危险源": "Level 1 major hazard",
    "二级重大危险源": "Level 2 major hazard", "三级重大危险源": "Level 3 major hazard",
    "四级重大危险源": "Level 4 major hazard", "储罐": "Tank", "防护目标": "Protective targets",
    "监测点位": "Monitoring points", "摄像机": "Camera", "没有找到": "Nothing found", "查看详情": "Details",
    "搜索企业、单元、储罐、点位、摄像机": "Search enterprises, units, tanks, points, cameras",
    "搜索企业、单元、储罐、防护目标、点位、摄像机":
        "Search enterprises, units, tanks, protective targets, points, cameras",
}
