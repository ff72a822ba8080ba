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
        "泄漏约持续 %(release_min)s min，短于阈值对应的 %(exposure_min)s min：按稳态烟羽计算会高估影响区"),
    "dense_gas": _("重气云：以上按被动高斯模型计算的影响区只是筛查估算，重气云在泄漏源附近扩散得更宽、更短"),
    "dense_gas_model": _("重气云：影响区按 Britter–McQuaid 重气扩散模型计算，被动高斯模型算得更远处取其结果"),
}

# How the source term was found (``results.source_term.note_details``), by code.
NOTE_TEXTS: Final[dict[str, Promise]] = {
    "source_storage_pressure": _("储存压力 %(bar)s bar（绝压）"),
    "source_saturation_pressure": _("储存压力 %(bar)s bar（绝压，按储存温度下的饱和蒸气压）"),
    "source_gas_outflow_choked": _(
        "气体泄放速率 %(rate_kg_s)s kg/s（临界流，绝热指数 %(gamma)s，流量系数 1.0；Crowl & Louvar 式 4-49/4-50）"),
    "source_gas_outflow_unchoked": _(
        "气体泄放速率 %(rate_kg_s)s kg/s（亚临界流，绝热指数 %(gamma)s，流量系数 1.0；Crowl & Louvar 式 4-49/4-50）"),
    "source_cp_perry": _("液体比热容 %(cp_j_kg_k)s J/(kg·K)，取自 Perry 手册表 2-153（沸点下）"),
    "source_liquid_outflow": _(
        "液体泄放速率 %(rate_kg_s)s kg/s（伯努利方程，流量系数 0.61，密度 %(density_kg_m3)s kg/m³）"),
    "source_flash_fraction": _(
        "闪蒸分率 %(flash)s；进入大气的分率取闪蒸分率的 2 倍 = %(airborne)s（筛查规则：气溶胶随闪蒸蒸气带出）"),
    "source_no_aerosol_cooling": _("未计算气溶胶蒸发降温：气云按沸点下的蒸气计"),
    "source_aerosol_cloud": _(
        "气溶胶被卷吸空气蒸发：气云温度 %(temperature_k)s K，密度 %(density_kg_m3)s kg/m³，摩尔分数 %(mole_fraction)s"),
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
    return str(text) % {"subject": note.get("subject", ""), "message": note.get("message", "")}


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
