"""The validity warnings of the consequence models in the user's language, by their stable code.

The pure core reports each warning as a code, an English message and the figures the message quotes
(:class:`chempark.consequence.accident.ModelWarning`); the API passes all three on unchanged
(``results.warning_details`` of a simulation run), and the 事故模拟 page shows the text below,
translated like the rest of the interface, with the figures filled in. The source term's notes and
the reasons a leak-source fit is ill-posed come the same way (``note_details``, ``warning_details``).
A code without an entry here falls back to the English message, so a new warning in the core is
never lost, only untranslated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WARNING_TEXTS: Final[dict[str, Promise]] = {
    "zone_cut_at_limit": _("有影响区达到 %(limit_km)s km 的计算上限，在该处截断"),
    "zone_beyond_10_km": _("有影响区超过 10 km，直线烟羽模型在该距离不可靠"),
    "zone_below_100_m": _("有影响区短于 100 m：该距离内的扩散参数为外推值"),
    "low_wind_stable_air": _("稳定大气且风速低：高斯模型在此条件下最不可靠"),
    "release_shorter_than_exposure": _(
        "泄漏约持续 %(release_min)s min，短于阈值对应的 %(exposure_min)s min：按稳态烟羽计算会高估影响区"
    ),
    "dense_gas": _("重气云：以上按被动高斯模型计算的影响区只是筛查估算，重气云在泄漏源附近扩散得更宽、更短"),
    "dense_gas_model": _("重气云：影响区按 Britter–McQuaid 重气扩散模型计算，被动高斯模型算得更远处取其结果"),
}

# How the source term was found (``results.source_term.note_details``), by code.
NOTE_TEXTS: Final[dict[str, Promise]] = {
    "source_storage_pressure": _("储存压力 %(bar)s bar（绝压）"),
    "source_saturation_pressure": _("储存压力 %(bar)s bar（绝压，按储存温度下的饱和蒸气压）"),
    "source_gas_outflow_choked": _(
        "气体泄放速率 %(rate_kg_s)s kg/s（临界流，绝热指数 %(gamma)s，流量系数 1.0；Crowl & Louvar 式 4-49/4-50）"
    ),
    "source_gas_outflow_unchoked": _(
        "气体泄放速率 %(rate_kg_s)s kg/s（亚临界流，绝热指数 %(gamma)s，流量系数 1.0；Crowl & Louvar 式 4-49/4-50）"
    ),
    "source_cp_perry": _("液体比热容 %(cp_j_kg_k)s J/(kg·K)，取自 Perry 手册表 2-153（沸点下）"),
    "source_cp_rowlinson_bondi": _("液体比热容 %(cp_j_kg_k)s J/(kg·K)，按 Rowlinson–Bondi 关联式估算（沸点下）"),
    "source_liquid_outflow": _(
        "液体泄放速率 %(rate_kg_s)s kg/s（伯努利方程，流量系数 0.61，密度 %(density_kg_m3)s kg/m³）"
    ),
    "source_flash_fraction": _(
        "闪蒸分率 %(flash)s；进入大气的分率取闪蒸分率的 2 倍 = %(airborne)s（筛查规则：气溶胶随闪蒸蒸气带出）"
    ),
    "source_no_aerosol_cooling": _("未计算气溶胶蒸发降温：气云按沸点下的蒸气计"),
    "source_aerosol_cloud": _(
        "气溶胶被卷吸空气蒸发：气云温度 %(temperature_k)s K，密度 %(density_kg_m3)s kg/m³，摩尔分数 %(mole_fraction)s"
    ),
    "source_continuous_as_given": _("按给定速率连续泄漏"),
    "source_instantaneous_as_given": _("按给定质量瞬时泄漏"),
    "source_inventory_runs_out": _("存量 %(inventory_kg)s kg 在 %(minutes)s min 内泄完"),
}

# Why a leak-source fit cannot be trusted (``results.warning_details`` of a fit), by code.
ILL_POSED_TEXTS: Final[dict[str, Promise]] = {
    "ill_posed_few_readings": _("病态问题：只有 %(count)s 个非零读数，少于 3 个未知量"),
    "ill_posed_no_dof": _("病态问题：没有剩余自由度（至少需要 4 个探测器）"),
    "ill_posed_no_dof_above_floor": _("病态问题：高于检测下限的读数没有剩余自由度（至少需要 4 个探测器有读数）"),
    "ill_posed_near_singular": _("病态问题：读数不足以确定全部 3 个未知量（雅可比矩阵接近奇异）"),
}


def _all_texts() -> dict[str, Promise]:
    return {**WARNING_TEXTS, **NOTE_TEXTS, **ILL_POSED_TEXTS}


def warning_texts() -> dict[str, str]:
    """Every warning and note text in the active language, for the page's script."""
    return {code: str(text) for code, text in _all_texts().items()}


def _figure(value: object) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def localized_warning(detail: Mapping[str, Any]) -> str:
    """One warning (``code``, ``message``, ``params``) in the active language: its text with the
    figures filled in, or the English message when the code is unknown or a figure is missing."""
    text = _all_texts().get(str(detail.get("code", "")))
    params = detail.get("params") or {}
    if text is None:
        return str(detail.get("message", ""))
    try:
        return str(text) % {key: _figure(value) for key, value in params.items()}
    except (KeyError, TypeError, ValueError):
        return str(detail.get("message", ""))


# --- the QRA study: tanks left without default scenarios, and the study's warnings -----------------

SKIP_TEXTS: Final[dict[str, Promise]] = {
    "not_flammable_nor_toxic": _("%(subject)s：既无爆炸下限（不可燃），也无毒性概率函数，未生成情景"),
    "no_inventory": _("%(subject)s：无存量，未生成情景"),
    "model_refused": _("%(subject)s：模型无法计算（%(message)s），未生成情景"),
    "no_cas": _("%(subject)s：化学品无 CAS 号，未生成情景"),
}

# The consequence models' refusals that the default scenarios meet, in Chinese (the model keeps its
# English message as the stable text; an unknown one is shown as it is).
MODEL_REFUSAL_TEXTS: Final[dict[str, Promise]] = {
    "refrigerated liquefied gas: the boiling pool of a cryogenic tank is not modelled; add its scenarios by hand": _(
        "冷冻液化气体：低温储罐的沸腾液池不在模型范围内，请手工添加情景"
    ),
    "the liquid does not flash at the storage temperature (below its boiling point): pool evaporation is not "
    "estimated here; give the evaporation rate as a continuous release": _(
        "液体在储存温度下不闪蒸（低于沸点）：此处不估算液池蒸发，请以连续泄漏给出蒸发速率"
    ),
}

QRA_WARNING_TEXTS: Final[dict[str, Promise]] = {
    "contour_at_grid_edge": _("最低一级风险等值线到达计算网格边缘：请加大网格外扩距离"),
    "grid_coarsened": _("网格单元过多，已放大为 %(cell_m)s m"),
}


def localized_note(note: Mapping[str, Any] | str) -> str:
    """A tank left without default scenarios (``{code, subject, message}``; a study made before the
    codes stored plain English) in the active language."""
    if isinstance(note, str):
        return note
    text = SKIP_TEXTS.get(str(note.get("code", "")))
    if text is None:
        return f"{note.get('subject', '')}: {note.get('message', '')}"
    message = str(note.get("message", ""))
    return str(text) % {"subject": note.get("subject", ""), "message": MODEL_REFUSAL_TEXTS.get(message, message)}


def localized_qra_warnings(results: Mapping[str, Any]) -> list[str]:
    """A QRA result's warnings in the active language (by code; English where there is none)."""
    details = results.get("warning_details")
    if details is None:
        return [str(w) for w in results.get("warnings", [])]
    texts = []
    for detail in details:
        text = QRA_WARNING_TEXTS.get(str(detail.get("code", "")))
        try:
            texts.append(str(text) % (detail.get("params") or {}) if text is not None else str(detail["message"]))
        except (KeyError, TypeError, ValueError):
            texts.append(str(detail.get("message", "")))
    return texts


# --- refusals: a model that cannot take the scenario says which, and what is missing ---------------

MODEL_NAMES: Final[dict[str, Promise]] = {
    "toxic": _("有毒气体扩散模型"),
    "tank_hole": _("储罐孔洞泄漏模型"),
    "pool_fire": _("池火模型"),
    "jet_fire": _("喷射火模型"),
    "fireball": _("火球模型"),
    "vce_tnt": _("TNT 当量爆炸模型"),
    "vce_multi_energy": _("多能法爆炸模型"),
}

FIRE_REFUSAL_TEXTS: Final[dict[str, Promise]] = {
    "no_fuel_data": _("缺少化学品（CAS %(cas)s）的燃烧数据（燃烧热、燃烧速率等）"),
    "missing_input": _("缺少输入：%(field)s"),
    "invalid_input": _("输入须大于 0：%(field)s"),
    "boils_at_ambient": _(
        "该物质沸点 %(boiling_point_c)s °C，低于气温，泄漏后迅速汽化，不形成液池：请改用喷射火或火球"
    ),
    "pool_above_range": _("池直径 %(diameter_m)s m 超过关联式适用上限 %(limit_m)s m"),
    "no_liquid_density": _("缺少化学品（CAS %(cas)s）的液体密度，无法由泄漏量求液池大小：请直接填写池直径"),
    "out_of_range": _("输入超出模型适用范围"),
}

FIRE_INPUT_NAMES: Final[dict[str, Promise]] = {
    "pool_diameter_m": _("池直径"),
    "spill_mass_kg": _("泄漏量"),
    "rate_kg_s": _("泄漏速率"),
    "mass_kg": _("可燃物质量"),
    "congested_volume_m3": _("受限空间体积"),
}

# English refusals of the toxic-release path (by a phrase of the message) → the text shown.
TOXIC_REFUSAL_TEXTS: Final[tuple[tuple[str, str, Promise], ...]] = (
    ("no confirmed AEGL", "toxic", _("该化学品没有已确认的 AEGL、ERPG 或 PAC 阈值：请填写红、橙、黄区阈值（ppm）")),
    (
        "does not flash",
        "tank_hole",
        _("液体在储存温度下低于沸点、不闪蒸：本模型不估算液池蒸发，请改为连续泄漏并填写蒸发速率"),
    ),
    ("no liquid heat capacity", "tank_hole", _("缺少该化学品的液体比热或汽化热：请改为连续泄漏并填写泄漏速率")),
    ("needs a storage pressure above", "tank_hole", _("气相孔洞泄漏需要高于大气压的储存压力")),
    ("is below 1 m/s", "toxic", _("风速低于 1 m/s（静风）：高斯扩散模型不适用")),
    ("no vapour pressure", "tank_hole", _("缺少该化学品的饱和蒸气压数据：请填写储存压力")),
    ("no liquid density", "tank_hole", _("缺少该化学品在储存温度下的液体密度：请改为连续泄漏并填写泄漏速率")),
    (
        "no driving pressure",
        "tank_hole",
        _("没有推动泄漏的压力：储存压力不高于大气压且孔以上液位高度为 0，请填写储存压力（表压）或液位高度"),
    ),
)


def fire_refusal(code: str, model: str, params: Mapping[str, Any]) -> str:
    """A fire or explosion model's refusal in the active language: "池火模型拒绝计算：…"."""
    values = {key: _figure(value) for key, value in params.items()}
    if "field" in values:
        values["field"] = str(FIRE_INPUT_NAMES.get(values["field"], values["field"]))
    text = FIRE_REFUSAL_TEXTS.get(code, FIRE_REFUSAL_TEXTS["out_of_range"])
    try:
        reason = str(text) % values
    except (KeyError, TypeError, ValueError):
        reason = str(FIRE_REFUSAL_TEXTS["out_of_range"])
    return str(_("%(model)s拒绝计算：%(reason)s")) % {"model": MODEL_NAMES.get(model, model), "reason": reason}


def toxic_refusal(message: str) -> tuple[str, str] | None:
    """The toxic path's refusal (English message) as (model code, text in the active language),
    or None for a message without a text here."""
    for phrase, model, text in TOXIC_REFUSAL_TEXTS:
        if phrase in message:
            return model, str(_("%(model)s拒绝计算：%(reason)s")) % {"model": MODEL_NAMES[model], "reason": text}
    return None


# --- the fire and explosion models' warnings, the dispersion choice, figures and effects ----------

FIRE_WARNING_TEXTS: Final[dict[str, Promise]] = {
    "vapour_density_assumed": _("燃料蒸气密度未知，火焰倾角按 3 kg/m³ 估算"),
    "pool_below_1_m": _("池直径小于 1 m：火焰为光学薄，固体火焰模型不适用"),
    "pool_above_100_m": _("池直径超过 100 m：Thomas 与 Mudan–Croce 关联式为外推"),
    "pool_capped": _("泄漏液体可铺展超过 100 m，液池按关联式上限 %(limit_m)s m 计"),
    "jet_near_field": _("距火焰一个火焰长度以内属点源模型近场，结果偏差较大"),
    "fireball_above_1000_t": _("可燃物超过 1000 t：火球关联式为外推"),
    "tnt_near_field": _("TNT 当量法高估爆燃的近场超压；已知受限程度时宜用多能法"),
    "multi_energy_curves": _("多能法曲线为重建曲线，并非原图数字化"),
}

DISPERSION_TEXTS: Final[dict[str, Promise]] = {
    "dense_plume": _("重气云（Britter–McQuaid 判据 %(dense_criterion)s）：按 Britter–McQuaid 连续泄漏重气模型计算"),
    "dense_puff": _("重气云（Britter–McQuaid 判据 %(dense_criterion)s）：按 Britter–McQuaid 瞬时泄漏重气模型计算"),
    "dense_transition": _(
        "重气云（Britter–McQuaid 判据 %(dense_criterion)s）：泄漏时长介于连续与瞬时之间"
        "（u·Td/x = %(u_td_over_x)s），取两者包络"
    ),
    "passive_plume": _("非重气云：按被动高斯烟羽模型（稳态连续泄漏）计算"),
    "passive_puff": _("非重气云：按被动高斯烟团模型（瞬时泄漏）计算"),
    "passive_finite_duration": _(
        "非重气云：泄漏有限时长，按高斯烟羽计算并在 %(distance_m)s m 处折减为稳态的 %(duration_factor)s 倍"
    ),
}

FACT_TEXTS: Final[dict[str, Promise]] = {
    "spill_mass": _("泄漏量"),
    "liquid_density": _("液体密度"),
    "pool_basis_bund": _("液池面积（围堰限制）"),
    "pool_basis_spread": _("液池面积（按 10 mm 厚铺展）"),
    "pool_diameter": _("池直径"),
    "flame_length": _("火焰长度"),
    "flame_tilt": _("火焰倾角"),
    "surface_emissive_power": _("火焰表面辐射能"),
    "burning_rate": _("燃烧速率"),
    "outflow_rate": _("泄漏速率"),
    "heat_release": _("热释放速率"),
    "fireball_mass": _("火球可燃物质量"),
    "fireball_diameter": _("火球直径"),
    "fireball_duration": _("火球持续时间"),
    "cloud_mass": _("蒸气云质量"),
    "tnt_mass": _("TNT 当量"),
    "yield_factor": _("TNT 当量系数"),
    "congested_volume": _("受限空间体积"),
    "blast_strength": _("爆炸强度等级"),
    "blast_energy": _("爆炸能量"),
}

EFFECT_TEXTS: Final[dict[str, Promise]] = {
    "heat_37_5": _("设备严重损坏；人员短时暴露即可致死"),
    "heat_12_5": _("木材在有火焰时可被引燃；人员暴露 1 分钟可致死"),
    "heat_4": _("人员暴露 20 秒以上感到疼痛，可致二度烧伤"),
    "heat_1_6": _("长时间暴露无不适感"),
    "blast_8_psi": _("建筑物严重破坏，人员可能死亡"),
    "blast_3_5_psi": _("房屋严重损坏，人员可能重伤"),
    "blast_1_psi": _("房屋局部损坏，玻璃破碎伤人"),
}

UNIT_TEXTS: Final[dict[str, str]] = {
    "kW/m2": "kW/m²",
    "kg/m3": "kg/m³",
    "m2": "m²",
    "m3": "m³",
    "kg/m2/s": "kg/(m²·s)",
    "deg": "°",
}


def page_texts() -> dict[str, dict[str, str]]:
    """Every text the 事故模拟 script shows by code, in the active language."""
    return {
        "warnings": {**warning_texts(), **{code: str(text) for code, text in FIRE_WARNING_TEXTS.items()}},
        "dispersion": {code: str(text) for code, text in DISPERSION_TEXTS.items()},
        "facts": {code: str(text) for code, text in FACT_TEXTS.items()},
        "effects": {code: str(text) for code, text in EFFECT_TEXTS.items()},
        "units": dict(UNIT_TEXTS),
    }
