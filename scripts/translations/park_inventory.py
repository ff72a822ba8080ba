"""English for the inventory (chempark.park): its mass fraction, which decides GB 18218 rows limited by
concentration, and the rule that it holds no more than its design maximum."""

EN = {
    "质量分数": "Mass fraction",
    "溶液中该化学品的质量分数，0–1（如甲醛溶液 0.37）；留空表示纯品或未知":
        "Mass fraction of the chemical in a solution, 0–1 (formalin: 0.37); leave empty for the pure substance or "
        "when unknown",
    "当前存量不能大于设计最大量。": "The current quantity cannot exceed the design maximum.",
}
