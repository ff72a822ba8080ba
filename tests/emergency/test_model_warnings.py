"""Model validity warnings: the core gives each a stable code, the API passes code, English message
and figures on, and the 事故模拟 page shows the text of the code in the user's language."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.utils import translation

from chempark.consequence import accident, leak_source
from chempark.core.roles import Role
from chempark.emergency import model_warnings
from chempark.emergency.model_warnings import (
    ILL_POSED_TEXTS,
    NOTE_TEXTS,
    WARNING_TEXTS,
    localized_warning,
)
from tests.conftest import SmallPark
from tests.emergency.conftest import chlorine_leak

ALL_CODES = {*accident.WARNING_CODES, *accident.NOTE_CODES, *leak_source.ILL_POSED_CODES}


def test_every_code_of_the_core_has_a_text() -> None:
    assert set(WARNING_TEXTS) == set(accident.WARNING_CODES)
    assert set(NOTE_TEXTS) == set(accident.NOTE_CODES)
    assert set(ILL_POSED_TEXTS) == set(leak_source.ILL_POSED_CODES)


def test_source_term_notes_have_codes_and_keep_their_english(park: SmallPark, api: Any) -> None:
    run = _simulate(api, release={"kind": "continuous", "rate_kg_s": 10.0, "inventory_kg": 200.0, "height_m": 1.0})
    term = run["results"]["source_term"]
    assert [n["message"] for n in term["note_details"]] == term["notes"]  # the API's English, unchanged
    assert [n["code"] for n in term["note_details"]] == ["source_continuous_as_given", "source_inventory_runs_out"]
    runs_out = term["note_details"][1]
    assert runs_out["params"] == {"inventory_kg": 200.0, "minutes": pytest.approx(1 / 3)}
    with translation.override("zh-hans"):
        assert localized_warning(runs_out) == "存量 200 kg 在 0.333 min 内泄完"
    with translation.override("en"):
        assert localized_warning(runs_out) == "inventory 200 kg runs out in 0.333 min"


def test_ill_posed_reasons_have_codes() -> None:
    # two detectors, one of them reading: fewer readings than unknowns and no degrees of freedom
    estimate = leak_source.estimate_leak_source(
        [0.0, 50.0], [100.0, 120.0], [1e-3, 0.0], wind_speed_m_s=3.0, wind_from_deg=270.0, stability="D"
    )
    assert estimate.ill_posed
    codes = [d.code for d in estimate.diagnoses]
    assert codes[:2] == ["ill_posed_few_readings", "ill_posed_no_dof"] and estimate.diagnoses[0].params == {"count": 1}
    assert estimate.reasons == [d.message for d in estimate.diagnoses]
    with translation.override("zh-hans"):
        detail = {"code": "ill_posed_few_readings", "message": estimate.reasons[0], "params": {"count": 1}}
        assert localized_warning(detail) == "病态问题：只有 1 个非零读数，少于 3 个未知量"


def _simulate(api: Any, **changes: Any) -> dict[str, Any]:
    response = api(Role.DISPATCHER).call("POST", "/simulations/accident", chlorine_leak(**changes))
    assert response.status_code == 201, response.json()
    run: dict[str, Any] = response.json()
    return run


def test_the_api_gives_code_message_and_figures(park: SmallPark, api: Any) -> None:
    # 10 kg/s of chlorine from a 200 kg inventory: the release lasts 20 s, the thresholds are for
    # 60 min, and the cloud is dense
    run = _simulate(api, release={"kind": "continuous", "rate_kg_s": 10.0, "inventory_kg": 200.0, "height_m": 1.0})
    details = run["results"]["warning_details"]
    assert [d["message"] for d in details] == run["warnings"]  # the English messages, unchanged
    codes = [d["code"] for d in details]
    assert "release_shorter_than_exposure" in codes
    # the dense cloud is now modelled (Britter-McQuaid) rather than warned about
    assert "dense_gas" not in codes and "dense_gas_model" in codes
    assert run["results"]["dispersion"]["model"] == "britter_mcquaid"
    assert run["results"]["dispersion"]["code"] in {"dense_plume", "dense_transition", "dense_puff"}
    short = details[codes.index("release_shorter_than_exposure")]
    assert short["params"] == {"release_min": pytest.approx(0.333, abs=1e-3), "exposure_min": 60.0}
    with translation.override("zh-hans"):
        assert localized_warning(short) == "泄漏约持续 0.333 min，短于阈值对应的 60 min：按稳态烟羽计算会高估影响区"
    with translation.override("en"):
        assert localized_warning(short) == short["message"]
        assert localized_warning(details[codes.index("dense_gas_model")]).startswith("dense cloud: zones from the")


def test_unknown_code_or_missing_figure_falls_back_to_the_message() -> None:
    assert localized_warning({"code": "new_code", "message": "something new", "params": {}}) == "something new"
    assert localized_warning({"code": "zone_cut_at_limit", "message": "cut at 20 km", "params": {}}) == "cut at 20 km"


def _page_texts(client: Any) -> dict[str, str]:
    page = client.get("/emergency/simulation/").content.decode()
    found = re.search(r'<script id="sim-warning-texts" type="application/json">(.*?)</script>', page, re.S)
    assert found is not None
    texts: dict[str, str] = json.loads(found.group(1))["warnings"]
    return texts


def test_the_page_carries_the_texts_in_its_language(park: SmallPark, client: Any) -> None:
    client.force_login(park.users[Role.DISPATCHER])
    chinese = _page_texts(client)
    # the dispersion warnings, the source-term notes, the leak-source reasons and the fire and explosion warnings
    assert set(chinese) == ALL_CODES | set(model_warnings.FIRE_WARNING_TEXTS)
    assert chinese["dense_gas"].startswith("重气云")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = _page_texts(client)
    assert english["dense_gas"].startswith("dense gas")
    assert english["low_wind_stable_air"] == "low wind in stable air: the Gaussian model is least reliable here"
    with translation.override("zh-hans"):
        assert model_warnings.page_texts()["warnings"] == chinese


def test_qra_notes_and_warnings_in_the_page_language() -> None:
    from chempark.consequence import qra_tank_scenarios
    from chempark.emergency.model_warnings import localized_note, localized_qra_warnings

    tank = qra_tank_scenarios.TankInput(1, 1, "甲公司 氮气储罐", 118.2, 39.2, "7727-37-9", "氮", 1000.0, True)
    _rows, skip = qra_tank_scenarios.default_tank_scenarios(tank)
    assert skip is not None and skip.code == "not_flammable_nor_toxic"
    note = {"code": skip.code, "subject": skip.subject, "message": skip.message}
    results = {
        "warnings": ["..."],
        "warning_details": [
            {"code": "contour_at_grid_edge", "message": "the lowest risk contour reaches the grid edge", "params": {}},
            {"code": "grid_coarsened", "message": "grid coarsened", "params": {"cell_m": 12}},
        ],
    }
    with translation.override("zh-hans"):
        assert localized_note(note) == "甲公司 氮气储罐（氮）：既无爆炸下限（不可燃），也无毒性概率函数，未生成情景"
        assert localized_qra_warnings(results)[1] == "网格单元过多，已放大为 12 m"
        assert localized_note("a study made before the codes") == "a study made before the codes"
    with translation.override("en"):
        assert localized_note(note).startswith("甲公司 氮气储罐（氮）: neither flammable")
        assert "grid edge" in localized_qra_warnings(results)[0]
