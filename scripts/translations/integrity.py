"""English for database refusals in the user's words (chempark.core.integrity)."""

EN = {
    "路段的通行速度须大于 0 km/h：请填写正数。": "A road segment's speed must be above 0 km/h: enter a positive number.",
    "路段长度不能为负数：请填写 0 或正数（米）。": "A road segment's length cannot be negative: enter 0 or more (metres).",
    "预算金额不能为负数：请填写 0 或正数（万元）。": "A budget cannot be negative: enter 0 or more (10,000 yuan).",
    "支出金额须大于 0：请填写实际支出的金额。": "A spending must be above 0: enter the amount actually spent.",
    "考核合格人数不能多于参加人数：请核对两个人数。":
        "More passed than took part: check both numbers.",
    "只有考核合格时才能填写证书编号：请先标记合格，或清空证书编号。":
        "A certificate number needs a pass: mark the pass first, or clear the certificate number.",
    "企业用户须选择所属企业，其他角色不能关联企业：请核对角色与所属企业。":
        "An enterprise user needs an enterprise and other roles none: check the role and the enterprise.",
    "个人令牌须属于一名用户，设备令牌须属于一家企业：请核对令牌类型与归属。":
        "A personal token belongs to a user and a device token to an enterprise: check the kind and owner.",
    "一条黑名单记录须且只能指向一辆车或一个人：请只选择其中之一。":
        "A blacklist entry names exactly one vehicle or one person: choose only one.",
    "经度和纬度须同时填写：请补全另一项，或两项都清空。":
        "Longitude and latitude go together: fill in the other one, or clear both.",
    "实时位置须同时有经度、纬度和定位时间：请补全，或三项都清空。":
        "A live position has a longitude, a latitude and a fix time together: complete it, or clear all three.",
    "当前存量不能大于设计最大量：请核对当前存量，或先调高设计最大量。":
        "The current quantity cannot exceed the design maximum: check it, or raise the design maximum first.",
    "该单元已有一条未核销的重大危险源记录：请在已有记录上办理，或先将其核销。":
        "This unit already has an open major hazard record: work on that record, or cancel it first.",
    "该应急资源正在执行另一起调派任务：请等其完成或撤回后再调派。":
        "This resource is on another dispatch: wait until it is done or recalled.",
    "来源系统的同一事件已有一条未消除的报警：无须重复上报。":
        "The source's event already has an active alarm: no need to report it again.",
    "该车辆已在园内（有未出园的记录）：请先登记出园。": "This vehicle is already in the park: record its exit first.",
    "该人员已在此区域内（有未离开的记录）：请先登记离开。": "This person is already in the area: record the exit first.",
    "同一%(scope)s下%(what)s相同的%(model)s已存在：请换一个%(what)s，或打开已有的那条修改。":
        "A %(model)s with the same %(what)s already exists in this %(scope)s: choose another %(what)s, "
        "or open the existing one.",
    "%(what)s相同的%(model)s已存在：请换一个%(what)s，或打开已有的那条修改。":
        "A %(model)s with the same %(what)s already exists: choose another %(what)s, or open the existing one.",
    "「%(field)s」为必填项：请填写后再保存。": "“%(field)s” is required: fill it in and save again.",
    "所选的关联记录不存在或已被删除：请重新选择后再保存。":
        "The related record chosen does not exist or was deleted: choose again and save.",
    "数据与已有记录冲突或不符合规则，未保存：请核对填写的内容后重试。":
        "Not saved: the data conflict with an existing record or break a rule; check the entries and retry.",
}
