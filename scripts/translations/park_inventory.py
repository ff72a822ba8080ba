"""English for the inventory's mass fraction (chempark.park), which decides GB 18218 rows limited by concentration."""

EN = {
    "质量分数": "Mass fraction",
    "溶液中该化学品的质量分数，0–1（如甲醛溶液 0.37）；留空表示纯品或未知":
        "Mass fraction of the chemical in a solution, 0–1 (formalin: 0.37); leave empty for the pure substance or "
        "when unknown",
}
