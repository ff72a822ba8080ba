"""The validity warnings of the consequence models in the user's language, by their stable code.

The pure core reports each warning as a code, an English message and the figures the message quotes
(:class:`chempark.consequence.accident.ModelWarning`); the API passes all three on unchanged
(``results.warning_details`` of a simulation run), and the 事故模拟 page shows the text below,
translated like the rest of the interface, with the figures filled in. A code without an entry here
falls back to the English message, so a new warning in the core is never lost, only untranslated.
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
}


def warning_texts() -> dict[str, str]:
    """Every warning text in the active language, for the page's script."""
    return {code: str(text) for code, text in WARNING_TEXTS.items()}


def _figure(value: object) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def localized_warning(detail: Mapping[str, Any]) -> str:
    """One warning (``code``, ``message``, ``params``) in the active language: its text with the
    figures filled in, or the English message when the code is unknown or a figure is missing."""
    text = WARNING_TEXTS.get(str(detail.get("code", "")))
    params = detail.get("params") or {}
    if text is None:
        return str(detail.get("message", ""))
    try:
        return str(text) % {key: _figure(value) for key, value in params.items()}
    except (KeyError, TypeError, ValueError):
        return str(detail.get("message", ""))
