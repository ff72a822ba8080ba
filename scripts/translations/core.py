"""English for the shared parts (chempark.core): page forms checked by the API's input schemas."""

EN = {
    "填写的内容有误：": "Please check: ", "填写的内容有误": "Please check the entries", "必填": "required", "须为整数": "must be a whole number",
    "须为数字": "must be a number", "日期格式应为 YYYY-MM-DD": "dates are written YYYY-MM-DD",
    "不能小于 %(limit)s": "must be at least %(limit)s", "须大于 %(limit)s": "must be greater than %(limit)s",
    "不能大于 %(limit)s": "must be at most %(limit)s", "须小于 %(limit)s": "must be less than %(limit)s",
    "不能超过 %(limit)s 字": "must be at most %(limit)s characters", "取值无效": "invalid value",
    "系统内部错误": "Internal server error",
    "操作没有完成，错误已记录。请稍后重试；如仍出错，请联系值班工程师并告知请求编号 %(request_id)s。":
        "The operation did not complete and the error has been logged. Please try again later; if it fails again, "
        "contact the engineer on duty and quote request id %(request_id)s.",
    "菜单": "Menu", "图例": "Legend",
}
