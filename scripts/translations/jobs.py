"""English for the background jobs (the job table, the import progress and its limits)."""

EN = {
    "运行中": "Running",
    "失败": "Failed",
    "参数": "Arguments",
    "已尝试次数": "Attempts",
    "最多尝试次数": "Maximum attempts",
    "最早运行时间": "Run after",
    "已完成": "Finished",
    "总量": "Total",
    "进度说明": "Progress",
    "失败原因": "Reason for failure",
    "工作进程": "Worker",
    "心跳时间": "Last heartbeat",
    "对象类型": "Object type",
    "对象编号": "Object id",
    "结束时间": "End time",
    "读取工作簿": "Reading the workbook",
    "写入数据": "Writing the rows",
    "风险计算": "Computing the risk",
    "以下只列出前 %(shown)s 个。": "Only the first %(shown)s are listed below.",
}
