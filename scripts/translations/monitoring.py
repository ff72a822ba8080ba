"""English for the monitoring module (监测预警: points, alarms, indicators, live banner)."""

EN = {
    "监测预警": "Monitoring", "报警": "Alarms", "监测点位": "Monitoring points", "监测指标": "Monitoring indicators",
    "L / H / HH": "L / H / HH", "严重程度": "Severity", "主题": "Topic", "今日报警": "Alarms today",
    "低低报": "Low-low", "低低报级别": "Low-low severity", "低报": "Low", "低报级别": "Low severity",
    "低限报警": "Low alarm", "依据": "Rule", "储罐": "Tank", "全部": "All", "关闭提醒": "Dismiss", "其他": "Other",
    "内容": "Content", "再次提醒": "Reminder", "区域入侵": "Intrusion", "升级时间": "Escalated at", "单元": "Unit",
    "压力": "Pressure", "原因": "Reason", "原始报文": "Raw payload", "可燃气体 (%LEL)": "Combustible gas (%LEL)",
    "名称": "Name", "启用": "Enabled", "周边 300 米摄像机": "Cameras within 300 m", "在线": "Online",
    "均值": "Mean", "处置记录": "Handling record", "处置记录已保存。": "Handling record saved.", "实时": "Live",
    "峰值": "Peak", "已升级": "Escalated", "待处置": "Awaiting handling",
    "报警中，或已恢复但尚未确认": "Active, or cleared but not yet acknowledged", "已恢复·已确认": "Cleared · acknowledged",
    "已恢复·未确认": "Cleared · unacknowledged", "已采取的措施": "Measures taken",
    "平均确认用时": "Mean time to acknowledge", "当前在线": "Online now", "当日在线率": "Online rate today",
    "恢复时间": "Cleared at", "恢复死区": "Deadband", "打电话": "Phone use", "报文长度": "Payload size",
    "报警中": "In alarm", "报警中·已确认": "Active · acknowledged", "报警中·未确认": "Active · unacknowledged",
    "报警仍未确认（第 %s 次提醒）": "Alarm still unacknowledged (reminder %s)", "报警处置中": "Alarm being handled",
    "报警已确认。": "Alarm acknowledged.", "报警延时 (s)": "On-delay (s)", "报警时间": "Raised at",
    "报警未确认": "Alarm unacknowledged", "报警类型": "Alarm type", "报警级别": "Level",
    "报警超时未确认，已升级": "Alarm not acknowledged in time, escalated", "报警限": "Alarm limits",
    "接入时间": "Registered at", "接入率": "Connection rate", "接收时间": "Received at", "提示": "Warning",
    "提醒次数": "Reminders", "搜索": "Search", "摄像机": "Camera", "数据异常": "Data abnormal",
    "新报警": "New alarm", "无": "None", "时间": "Time", "明火": "Fire", "更新时间": "Updated at", "最大": "Max",
    "最小": "Min", "最新值": "Latest value", "有毒气体 (ppm)": "Toxic gas (ppm)", "未戴安全帽": "No helmet",
    "未确认": "Unacknowledged", "未穿工作服": "No workwear", "查看并处置": "View and handle", "查询": "Search",
    "次要": "Minor", "正常": "Normal", "没有报警": "No alarms", "没有点位": "No points", "流量": "Flow",
    "液位": "Level", "添加记录": "Add record", "温度": "Temperature", "演示": "Demo", "点位": "Point",
    "点位/摄像机": "Point / camera", "点位名称": "Point name", "点位数": "Points", "点位编码": "Point code",
    "烟雾": "Smoke", "状态": "Status", "监测类型": "Kind", "目标": "target", "确认": "Acknowledge",
    "确认人": "Acknowledged by", "确认并记录处置": "Acknowledge and record handling", "确认报警": "Acknowledge",
    "确认时间": "Acknowledged at", "离线": "Offline", "离线判定 (s)": "Stale timeout (s)", "类型": "Type",
    "紧急": "Critical", "纬度": "Latitude", "组分": "Composition", "经度": "Longitude", "编号": "No.",
    "编码或名称": "Code or name", "补充处置记录": "Add to the handling record", "被拒读数": "Rejected readings",
    "视频流": "Stream", "视频流地址": "Stream URL", "视频识别": "Video analytics", "触发值": "Trigger value",
    "触发值/峰值": "Value / peak", "计量单位": "Unit of measure", "记录人": "Recorded by", "识别类型": "Detection",
    "说明": "Description", "超时升级": "Escalated", "跑冒滴漏": "Leak", "距离": "Distance", "近期报警": "Recent alarms",
    "返回列表": "Back to list", "通道": "Transport", "重要": "Major",
    "量程": "Range", "量程上限": "Range max", "量程下限": "Range min", "预警等级": "Warning level",
    "频繁报警": "Flapping", "高报": "High", "高报级别": "High severity", "高限报警": "High alarm",
    "高高报": "High-high", "高高报级别": "High-high severity",
    "企业网关": "Enterprise gateway", "接入服务": "Ingest service",
    "车辆定位平台": "Vehicle positioning platform", "定位接入服务": "Position ingest service", "用户名": "Username", "签发时间": "Issued at",
    "企业": "Enterprise",
    "吊销时间": "Revoked at", "风速": "Wind speed", "风向": "Wind direction",
    "待审批的变更申请": "Change requests awaiting approval",
    "企业对报警限值、恢复死区、报警延时和启用状态的修改须经应急管理局审批，批准前点位保持原设置。":
        "An enterprise's changes of alarm limits, deadband, on-delay and enabling need the bureau's approval; "
        "until then the point keeps its settings.",
    "停用": "Out of service", "申请人": "Requested by", "申请时间": "Requested at", "原值": "Current values",
    "申请值": "Requested values", "已批准": "Approved", "已驳回": "Rejected", "决定": "Decision",
    "审批人": "Decided by", "审批时间": "Decided at", "理由": "Reason",
    # the duty officer's banner and the alarm page's place
    "报警加重": "Alarm worsened", "静音": "Mute", "取消静音": "Unmute", "全部关闭": "Close all",
    "共 %%s 条": "%%s alarms", "位置": "Location", "在一张图中查看": "Show on the one-map",
    # video-analytics snapshots
    "抓拍": "Snapshot", "视频智能分析抓拍": "Video analytics snapshot", "置信度": "Confidence",
    "抓拍图片无法解码（不是完整的 JPEG 或 PNG 图片）。": "The snapshot cannot be decoded (not a complete JPEG or PNG).",
    '点位计数变化': 'point count change',
    # broker accounts page (物联网接入账号)
    "物联网接入账号": "IoT access accounts", "只读": "Read only", "只发布": "Publish only",
    "轮换密码": "Rotate password", "开通": "Open", "请选择": "Choose…", "账号": "Accounts", "在用": "In use",
    "主题权限": "Topic access", "平台名称": "Platform name", "账号类型": "Account kind",
    "返回账号列表": "Back to the accounts", "已开通新密码": "New password issued", "然后": "then",
    "开通企业网关账号": "Open an enterprise gateway account",
    "开通车辆定位平台账号": "Open a vehicle positioning platform account",
    "开通平台接入服务账号": "Open an account for the platform's ingest service",
    "没有符合条件的账号": "No accounts match", "没有这种账号类型。": "No such account kind.",
    "没有这种账号状态。": "No such account state.", "请从页面上的表单提交。": "Submit one of the page's forms.",
    "给 %(name)s 换一个新密码？代理重新读取账号文件后旧密码即失效，设备须改用新密码。": (
        "Give %(name)s a new password? The old one stops working once the broker rereads its account files; "
        "the device must use the new one."
    ),
    "吊销 %(name)s？代理重新读取账号文件后该账号即不能登录。": (
        "Revoke %(name)s? The account can no longer log in once the broker rereads its account files."
    ),
    "企业网关、车辆定位平台和平台自身的接入服务登录消息代理（MQTT）所用的账号。每个账号只能发布或读取自己的主题；密码只在开通或轮换时显示一次，平台只保存其摘要。": (
        "The accounts with which enterprise gateways, vehicle positioning platforms and the platform's own ingest "
        "services log in to the message broker (MQTT). Each account may only publish or read its own topic; a "
        "password is shown once, when it is issued or rotated, and the platform keeps only its hash."
    ),
    "列出尚无在用账号的企业；用户名为企业的统一社会信用代码。已有账号的企业请在下表中轮换密码。": (
        "Enterprises without an account in use; the username is the enterprise's unified social credit code. "
        "For an enterprise that has one, rotate its password in the table below."
    ),
    "平台名称即用户名，也是它发布的主题的最后一级：不含空白、冒号、/、+、#，不超过 64 个字符，不能是": (
        "The platform name is the username and the last level of the topic it publishes to: no blanks, colons, "
        "/, + or #, at most 64 characters, not"
    ),
    "，也不能与企业网关或接入服务的账号同名。": (
        ", and not the name of an enterprise gateway's or an ingest service's account."
    ),
    "用户名留空即用默认名：": "Leave the username empty for the default: ",
    "（监测数据）、": " (monitoring data), ", "（车辆定位）。": " (vehicle positions).",
    "开通、轮换或吊销之后，代理（Mosquitto）要重新读取账号文件才生效：运维人员在代理所在服务器上执行": (
        "An issue, rotation or revocation takes effect only when the broker (Mosquitto) rereads its account "
        "files: on the broker's server, the operator runs"
    ),
    "。在此之前，新密码不能登录，旧密码和已吊销的账号仍可登录。": (
        ". Until then a new password cannot log in, and old passwords and revoked accounts still can."
    ),
    "密码只显示这一次：请现在选中复制，通过安全渠道交给设备或平台的运维人员。离开或刷新本页后不再显示，平台也无法找回；遗失时只能轮换密码。": (
        "The password is shown this once: select and copy it now and hand it to the device's or platform's "
        "operators over a secure channel. Once you leave or reload this page it is not shown again and cannot "
        "be recovered; if it is lost, rotate the password."
    ),
    "该账号只能订阅（读取）主题": "This account may only subscribe to (read) the topic",
    "该账号只能向主题发布": "This account may only publish to the topic",
    "，不能发布或读取其他主题。": ", and may publish to or read no other topic.",
    "代理地址（平台接入服务所用）": "Broker address (as the platform's ingest services use it)",
    "企业网关或外部平台经其他网络接入时，以运维人员提供的地址为准。": (
        "Gateways and outside platforms that connect over another network use the address their operators give."
    ),
    "新密码只显示一次，已经显示过，不再显示。遗失时请在账号列表中轮换密码。": (
        "A new password is shown only once; it has been shown and is not shown again. If it is lost, rotate the "
        "password in the account list."
    ),
    "已吊销 %(name)s。重新生成代理的账号文件并让代理重新读取（SIGHUP）后，该账号即不能再登录。": (
        "%(name)s revoked. It can no longer log in once the broker's account files are rewritten and the broker "
        "rereads them (SIGHUP)."
    ),
}
