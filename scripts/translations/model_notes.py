"""English for the consequence models' notes shown on 事故模拟: how the source term was found and why a
leak-source fit is ill-posed (chempark.emergency.model_warnings), the same sentences the API gives."""

EN = {
    "储存压力 %(bar)s bar（绝压）": "storage pressure %(bar)s bar(a)",
    "储存压力 %(bar)s bar（绝压，按储存温度下的饱和蒸气压）":
        "storage pressure %(bar)s bar(a) (saturation pressure at the storage temperature)",
    "气体泄放速率 %(rate_kg_s)s kg/s（临界流，绝热指数 %(gamma)s，流量系数 1.0；Crowl & Louvar 式 4-49/4-50）":
        "gas outflow %(rate_kg_s)s kg/s (choked, gamma %(gamma)s, Cd 1.0; Crowl & Louvar eqs. 4-49/4-50)",
    "气体泄放速率 %(rate_kg_s)s kg/s（亚临界流，绝热指数 %(gamma)s，流量系数 1.0；Crowl & Louvar 式 4-49/4-50）":
        "gas outflow %(rate_kg_s)s kg/s (unchoked, gamma %(gamma)s, Cd 1.0; Crowl & Louvar eqs. 4-49/4-50)",
    "液体比热容 %(cp_j_kg_k)s J/(kg·K)，取自 Perry 手册表 2-153（沸点下）":
        "liquid heat capacity %(cp_j_kg_k)s J/kg/K from Perry's Table 2-153 at the boiling point",
    "液体比热容 %(cp_j_kg_k)s J/(kg·K)，按 Rowlinson–Bondi 关联式估算（沸点下）":
        "liquid heat capacity %(cp_j_kg_k)s J/kg/K estimated by Rowlinson–Bondi at the boiling point",
    "液体泄放速率 %(rate_kg_s)s kg/s（伯努利方程，流量系数 0.61，密度 %(density_kg_m3)s kg/m³）":
        "liquid outflow %(rate_kg_s)s kg/s (Bernoulli, Cd 0.61, density %(density_kg_m3)s kg/m3)",
    "闪蒸分率 %(flash)s；进入大气的分率取闪蒸分率的 2 倍 = %(airborne)s（筛查规则：气溶胶随闪蒸蒸气带出）":
        "flash fraction %(flash)s; airborne fraction taken as 2 x flash = %(airborne)s "
        "(screening rule: aerosol carried with the flashed vapour)",
    "未计算气溶胶蒸发降温：气云按沸点下的蒸气计":
        "aerosol cooling not computed: cloud taken as the vapour at its boiling point",
    "气溶胶被卷吸空气蒸发：气云温度 %(temperature_k)s K，密度 %(density_kg_m3)s kg/m³，摩尔分数 %(mole_fraction)s":
        "aerosol evaporated by entrained air: cloud at %(temperature_k)s K, %(density_kg_m3)s kg/m3, "
        "%(mole_fraction)s mole fraction",
    "按给定速率连续泄漏": "continuous release as given",
    "按给定质量瞬时泄漏": "instantaneous release as given",
    "存量 %(inventory_kg)s kg 在 %(minutes)s min 内泄完": "inventory %(inventory_kg)s kg runs out in %(minutes)s min",
    "病态问题：只有 %(count)s 个非零读数，少于 3 个未知量":
        "ill-posed: only %(count)s non-zero reading(s) for 3 unknowns",
    "病态问题：没有剩余自由度（至少需要 4 个探测器）":
        "ill-posed: no residual degrees of freedom (need at least 4 detectors)",
    "病态问题：高于检测下限的读数没有剩余自由度（至少需要 4 个探测器有读数）":
        "ill-posed: no residual degrees of freedom above the detection floor (need at least 4 detecting)",
    "病态问题：读数不足以确定全部 3 个未知量（雅可比矩阵接近奇异）":
        "ill-posed: the readings do not constrain all three unknowns (near-singular Jacobian)",
}
