"""English for vehicle tracking: JT/T 808 terminals, positions, fences and routes, violations, the
live vehicle layer, track replay and the monthly report."""

EN = {
    "%(month)s 车辆运行月报": "Vehicle report %(month)s", "承运企业": "Carriers", "车辆数": "Vehicles",
    "行程数": "Trips", "行驶里程（km）": "Distance (km)", "停车次数": "Stops", "违规合计": "Violations in all",
    "生成时间": "Generated at", "离线": "Offline", "违规中": "In violation", "行驶": "Moving", "停车": "Stopped",
    "状态：%(state)s · %(speed).0f km/h · 朝%(dir)s": "State: %(state)s · %(speed).0f km/h · heading %(dir)s",
    "承运企业：%(name)s": "Carrier: %(name)s", "未登记车辆": "Unregistered vehicle",
    "终端：%(number)s": "Terminal: %(number)s",
    "危化品车辆（实时）": "Hazmat vehicles (live)", "限速 %(v).0f km/h": "Limit %(v).0f km/h",
    "车位 %(n)s 个": "%(n)s spaces", "电子围栏与指定路线": "Fences and designated routes",
    "指定路线": "Designated route",
    "禁行区": "No-entry zone", "停车场": "Parking lot", "持续中": "Ongoing", "已结束": "Ended",
    "车辆违规": "Vehicle violations", "车辆违规位置": "Vehicle violation location", "终端手机号": "Terminal phone no.",
    "车辆": "Vehicles", "鉴权码": "Auth code", "注册时间": "Registered at", "最新定位时间": "Last fix at",
    "经度": "Longitude", "纬度": "Latitude", "速度（km/h）": "Speed (km/h)", "方向": "Direction",
    "定位终端": "Positioning terminal", "园区边界": "Park boundary", "装卸区": "Loading area", "限速区": "Speed zone",
    "名称": "Name", "类型": "Type", "几何（GeoJSON）": "Geometry (GeoJSON)", "路线宽度（m）": "Route width (m)",
    "限速（km/h）": "Speed limit (km/h)", "车位数": "Spaces", "通行时段": "Permitted hours", "更新时间": "Updated at",
    "电子围栏": "Fence", "超速": "Overspeed", "偏离路线": "Route deviation", "驶入禁行区": "Entered a no-entry zone",
    "违规停车": "Illegal parking", "停车场满": "Parking lot full", "违规类型": "Violation", "终端": "Terminal",
    "围栏": "Fence", "开始时间": "Start time", "结束时间": "End time", "最高速度（km/h）": "Peak speed (km/h)",
    "报警编号": "Alarm no.", "标识": "Reference", "车牌号": "Plate", "状态": "Status", "最新定位": "Last fix",
    "轨迹": "Track", "围栏/路线": "Fence / route", "开始": "Start", "结束": "End", "最高速度/限速": "Peak / limit",
    "宽度（m）": "Width (m)", "时间格式无效：%(value)s": "Invalid time: %(value)s", "时间格式无效": "Invalid time",
    "车辆编号无效": "Invalid vehicle id", "违规类型无效": "Invalid violation kind",
    "%(label)s不是有效的 JSON": "%(label)s is not valid JSON", "已保存围栏“%(name)s”。": "Fence “%(name)s” saved.",
    "已删除围栏“%(name)s”。": "Fence “%(name)s” deleted.", "月份格式应为 YYYY-MM": "The month must be YYYY-MM",
    "超速：%(peak).0f km/h，限速 %(limit).0f km/h": "Overspeed: %(peak).0f km/h, limit %(limit).0f km/h",
    "偏离指定路线（或在通行时段外行驶）": "Left the designated route (or drove outside its permitted hours)",
    "在停车场和装卸区外停车": "Stopped outside the parking lot and loading areas",
    "停车场“%(name)s”车辆超过车位数 %(capacity)s":
        "Parking lot “%(name)s” holds more vehicles than its %(capacity)s spaces",
    "（两次定位之间穿越）": " (crossed between two fixes)", "驶入禁行区“%(name)s”": "Entered no-entry zone “%(name)s”",
    "车辆定位监控": "Vehicle tracking", "车辆实时监控": "Live vehicles",
    "轨迹回放": "Track replay", "电子围栏与路线": "Fences and routes", "运行月报": "Monthly report", "从": "From",
    "到": "To", "查询": "Search", "播放": "Play", "暂停": "Pause", "倍速": "Speed-up", "时间": "Time",
    "该时段没有轨迹": "No track in this period", "车辆运行月报": "Monthly vehicle report", "月份": "Month",
    "导出 Excel": "Export to Excel", "本月没有车辆运行记录": "No vehicle activity this month", "未登记": "Unregistered",
    "回放": "Replay", "最高速度 / 限速": "Peak speed / limit", "位置": "Location", "在一张图上查看": "Show on the map",
    "回放这段轨迹": "Replay this stretch", "查看报警与处置": "Alarm and its handling",
    "指定路线（中心线加宽度）、禁行区、停车场（车位数）、装卸区、限速区和园区边界。规则引擎按这里的设置判定车辆违规，修改后立即生效。":
        "Designated routes (centre line and width), no-entry zones, parking lots (spaces), loading areas, speed zones "
        "and the park boundary. The rules engine judges vehicles by these settings; changes apply at once.",
    "新增围栏或路线": "New fence or route",
    "几何（GeoJSON，经度在前）：指定路线为中心线 LineString，其余为多边形 Polygon":
        "Geometry (GeoJSON, longitude first): a route is its centre line (LineString), anything else a Polygon",
    "路线宽度（m，仅指定路线）": "Route width (m, routes only)",
    "限速（km/h，留空按 60 km/h）": "Speed limit (km/h; empty: 60 km/h)",
    "车位数（仅停车场）": "Spaces (parking lots only)",
    "通行时段（一天中的分钟数，北京时间，如 [[360, 1320]] 为 6:00–22:00；留空不限）":
        "Permitted hours (minutes of the day, Beijing time, e.g. [[360, 1320]] for 6:00–22:00; empty: always)",
    "保存": "Save", "返回": "Back", "删除": "Delete", "确定删除此围栏？": "Delete this fence?",
    "超速、偏离指定路线、驶入禁行区、违规停车和停车场满，由定位数据按电子围栏规则判定；每条违规同时是报警列表中的一条报警，在那里确认和处置。":
        "Overspeed, route deviation, no-entry zones, illegal parking and full lots, judged from positions by the fence "
        "rules; each violation is also an alarm in the alarm list, acknowledged and handled there.",
    "尚无车辆上报定位": "No vehicle has reported a position yet",
    "危化品车辆的最新定位（JT/T 808 终端或其他平台推送）。在一张图上查看“危化品车辆（实时）”图层。":
        "The hazmat vehicles' last fixes (JT/T 808 terminals or pushed by other platforms). See the "
        "“Hazmat vehicles (live)” layer on the map.",
    "打开一张图": "Open the map", "不限": "Always", "北": "north", "东北": "north-east", "东": "east",
    "东南": "south-east", "南": "south", "西南": "south-west", "西": "west", "西北": "north-west",
    "JT/T 808 服务：车载定位终端注册、鉴权与位置上报（TCP）。":
        "JT/T 808 server: vehicle terminals register, authenticate and report positions (TCP).",
    "今日预约：%(enterprise)s · %(chemical)s（UN%(un)s）%(t)s 吨":
        "Today's reservation: %(enterprise)s · %(chemical)s (UN%(un)s) %(t)s t",
    "驾驶员：%(driver)s · 押运员：%(escort)s": "Driver: %(driver)s · escort: %(escort)s",
    "今日无有效预约": "No valid reservation for today",
    "车辆行驶": "Vehicle moving", "车辆停车": "Vehicle stopped", "车辆违规中": "Vehicle in violation",
    "车辆离线": "Vehicle offline",
}
