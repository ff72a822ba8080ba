"""English for the periodic tasks run by ``chempark scheduler`` and their page 定时任务 (chempark.core)."""

EN = {
    # models
    "成功": "Succeeded", "任务": "Task", "运行进程": "Scheduler process", "占用至": "Held until",
    "最近开始时间": "Last started at", "最近结束时间": "Last finished at", "最近结果": "Last outcome",
    "最近运行摘要": "Last summary", "最近失败时间": "Last failed at", "最近失败原因": "Last error",
    "连续失败次数": "Failures in a row", "定时任务状态": "Periodic task state", "运行摘要": "Summary",
    "每日任务运行记录": "Daily task run",
    # the tasks the modules register
    "报警升级与离线检查": "Alarm escalation and offline checks",
    "监测数据保留期清理": "Monitoring data retention",
    "车辆超时停留与预约过期检查": "Vehicle overstay and reservation expiry checks",
    "企业风险指数日记录": "Daily record of the enterprise risk index",
    "隐患逾期督办与整改提醒": "Escalation of overdue hidden dangers and rectification reminders",
    # the page
    "定时任务": "Periodic tasks",
    "每天 %(time)s": "Daily at %(time)s", "每 %(n)s 小时": "Every %(n)s h", "每 %(n)s 分钟": "Every %(n)s min",
    "每 %(n)s 秒": "Every %(n)s s",
    "昨日（%(day)s）未运行": "Did not run yesterday (%(day)s)",
    "昨日（%(day)s）运行失败": "Failed yesterday (%(day)s)",
    "昨日（%(day)s）运行未完成": "Did not finish yesterday (%(day)s)",
    "今日已过运行时间仍未运行": "Past its time today and not run",
    "今日运行失败": "Failed today",
    "长时间未运行，请检查调度进程": "Not run for a long time: check the scheduler process",
    "从未运行": "Never run",
    "运行时间": "Schedule", "最近开始": "Last started", "最近结束": "Last finished", "最近失败": "Last failure",
    "没有登记的定时任务": "No periodic tasks registered",
    (
        "以下任务由调度进程（chempark scheduler）按时运行，无需另设系统定时器。每日任务每天运行一次，"
        "调度进程停机错过时间的，恢复后当天补运行一次；运行失败的，10 分钟后重试，每天最多 3 次。"
    ): (
        "The scheduler process (chempark scheduler) runs these tasks on time; no system timers are needed. "
        "A daily task runs once a day; if the scheduler was down at its time it runs once when it is back, "
        "the same day; a failed run is tried again 10 minutes later, at most 3 times a day."
    ),
    "连续 %(n)s 次": "%(n)s in a row",
    "%(n)s 项任务未按时运行，请检查调度进程及失败原因。": (
        "%(n)s task(s) did not run on time: check the scheduler process and the reasons for failure."
    ),
}
