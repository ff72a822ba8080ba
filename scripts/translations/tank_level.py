"""English for the tank page's live level (chempark.monitoring.tank_level)."""

EN = {
    "实时液位": "Live level", "液位计": "Level gauge", "最新读数": "Latest reading", "尚无读数": "No reading yet",
    "数据过时": "Stale", "读数时间": "Read at", "充装程度": "Filled",
    "约 %(volume)s m³，按立式储罐估算": "about %(volume)s m³, estimated for an upright tank",
}
