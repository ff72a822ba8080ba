"""GB 18218-2018 identification and grading of major hazard installations: the standard's tables,
the engine and its command line. Pure (no Django), so the park registry can validate a chemical's
category codes and the hazards app can assess units without either importing the other."""
