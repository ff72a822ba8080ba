"""The one-map layer 估计泄漏源: gas detectors ingest readings through the monitoring service; when two
or more of an enterprise's detectors alarm, the layer offers the source fitted from all its
detectors' readings (and its zones), computed on request; one alarm is not enough; an enterprise
user sees only its own enterprise's estimate."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np
import orjson
import pytest

from chempark import config
from chempark.consequence import dispersion, gas_units, weather, zones
from chempark.core import map_layers as layers
from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.emergency import leak_layer
from chempark.emergency.models import SimulationRun
from chempark.monitoring import point_index
from chempark.monitoring.config_services import point_create
from chempark.monitoring.models import Alarm, Transport
from chempark.monitoring.services import IncomingMessage, ingest_messages
from tests.conftest import SmallPark

CENTRE = (118.2, 39.2)
SOURCE_A = (118.19, 39.205)
SOURCE_B = (118.225, 39.19)
CHLORINE_M = 70.906  # g/mol
# wind from the east (90°), 3 m/s at 10 m, class D: the platform's default when nothing is configured
WIND_SPEED, WIND_FROM, STABILITY = 3.0, 90.0, "D"
OFFSETS = [(-300, 0), (-300, 60), (-300, -60), (-600, 0), (-600, 120), (-600, -120), (-900, 40), (-200, 200)]


@pytest.fixture(autouse=True)
def _fresh_point_index(configure: Any) -> Iterator[None]:
    configure(default_wind_from_deg=90.0, default_wind_speed_m_s=3.0, default_stability="D")
    point_index.invalidate()
    yield
    point_index.invalidate()


def plume_ppm(rate_g_s: float, source: tuple[float, float], dx: float, dy: float) -> float:
    """The ground plume of a ground source at a detector dx east, dy north of it, as ppm of chlorine
    (20 °C, 1 atm): c[g/m³] × R T / (p M) × 10⁶."""
    transport = weather.transport_wind_speed_m_s(WIND_SPEED, 10.0, 0.0, STABILITY, "rural")
    downwind, crosswind = -dx, dy  # wind from the east: downwind is west
    if downwind <= 0:
        return 0.0
    c = dispersion.gaussian_plume_concentration_g_m3(
        rate_g_s,
        float(downwind),
        float(crosswind),
        1.5,
        wind_speed_m_s=transport,
        release_height_m=0.0,
        stability=STABILITY,
        mixing_height_m=math.inf,
    )
    return float(c) * 8.314462618 * 293.15 / (101_325.0 * CHLORINE_M) * 1e6


def detectors(
    enterprise: Any, unit: Any, tank: Any, source: tuple[float, float], prefix: str
) -> list[tuple[str, float]]:
    """Toxic-gas detectors (ppm, high alarm at 1 ppm) placed around a source; their positions and
    the readings the plume of 200 g/s gives them."""
    src = zones.lonlat_to_local(np.array([source]), *CENTRE)[0]
    readings = []
    for index, (dx, dy) in enumerate(OFFSETS):
        lon, lat = zones.local_to_lonlat(np.array([[src[0] + dx, src[1] + dy]]), *CENTRE)[0]
        code = f"{prefix}{index:02d}"
        point_create(
            actor=SYSTEM,
            values={
                "enterprise": enterprise.pk,
                "unit": unit.pk,
                "tank": tank.pk,
                "code": code,
                "name": f"氯气探测器 {code}",
                "kind": "gas_ppm",
                "unit_of_measure": "ppm",
                "range_min": 0.0,
                "range_max": 1000.0,
                "h": 1.0,
                "hh": 5.0,
                "lon": float(lon),
                "lat": float(lat),
            },
        )
        readings.append((code, plume_ppm(200.0, source, dx, dy)))
    return readings


def ingest(enterprise: Any, readings: list[tuple[str, float]]) -> None:
    point_index.invalidate()
    ts = int(time.time() * 1000) - 1000
    raw = orjson.dumps({"readings": [{"point": code, "ts": ts, "value": round(v, 6)} for code, v in readings]})
    outcome = ingest_messages(actor=SYSTEM, messages=[IncomingMessage(raw, enterprise.pk)], transport=Transport.HTTP)
    assert outcome[0].accepted == len(readings)


def distance_m(lon: float, lat: float, target: tuple[float, float]) -> float:
    return float(math.hypot(*zones.lonlat_to_local(np.array([[lon, lat]]), *target)[0]))


def sources(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in features if f["properties"]["kind"] == "source"]


def test_the_conversions_by_hand() -> None:
    # 10 ppm chlorine at 20 °C: 10e-6 × 101325 × 70.906 / (8.314462618 × 293.15) = 0.029475 g/m³
    assert gas_units.ppm_to_g_m3(10.0, CHLORINE_M) == pytest.approx(0.029475, rel=1e-4)
    # 50 %LEL methane (LFL 4.4 vol%): 0.022 vol = 22 000 ppm × M 16.043 → 14.673 g/m³
    assert gas_units.lower_flammability_limit("74-82-8") == pytest.approx(0.044)
    assert gas_units.lel_percent_to_g_m3(50.0, 0.044, 16.043) == pytest.approx(14.673, rel=1e-3)


def test_the_layer_offers_the_source_of_two_or_more_alarming_detectors(park: SmallPark, api: Any) -> None:
    readings = detectors(park.enterprise_a, park.unit_a, park.tank_a, SOURCE_A, "GA")
    ingest(park.enterprise_a, readings)
    alarming = sum(1 for _, v in readings if v > 1.0)
    assert alarming >= 3 and Alarm.objects.filter(status="active_unack").count() == alarming
    response = api(Role.DISPATCHER).call("GET", "/map/layers/leak_source")
    assert response.status_code == 200, response.content
    features = response.json()["features"]
    [source] = sources(features)
    lon, lat = source["geometry"]["coordinates"]
    assert distance_m(lon, lat, SOURCE_A) < 10.0  # noise-free readings: the fit lands on the source
    props = source["properties"]
    assert props["rate_g_s"] == pytest.approx(200.0, rel=0.03)
    assert props["ill_posed"] is False and props["chemical_cas"] == "7782-50-5"
    assert sorted(props["detectors"]) == [code for code, _ in readings]
    popup = props["popup"]
    assert "×/÷" in popup and "假定风况" in popup and "GA00*" in popup
    # 200 g/s of chlorine is dense near the source: the model's warning in the page's language
    assert "重气云" in popup and "dense-gas criterion" not in popup
    # chlorine has AEGLs: three zones, each with its colour token, innermost (red) first
    zones_drawn = [f for f in features if f["properties"]["kind"] == "zone"]
    assert sorted(f["properties"]["fillColor"] for f in zones_drawn) == ["--zone-0", "--zone-1", "--zone-2"]
    # the link opens 事故模拟 with the source, rate and wind filled in
    href = popup.split('href="')[1].split('"')[0].replace("&amp;", "&")
    url = urlsplit(href)
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert url.path == "/emergency/simulation/"
    assert query["cas"] == "7782-50-5" and query["kind"] == "continuous"
    assert float(query["rate_kg_s"]) == pytest.approx(props["rate_g_s"] / 1000.0, rel=1e-5)
    assert (query["wind_from_deg"], query["wind_speed_m_s"], query["stability"]) == ("90", "3", "D")
    assert distance_m(float(query["lon"]), float(query["lat"]), SOURCE_A) < 10.0
    assert not SimulationRun.objects.exists(), "the layer computes on request and stores nothing"


def test_one_alarming_detector_offers_nothing(park: SmallPark, api: Any) -> None:
    readings = detectors(park.enterprise_a, park.unit_a, park.tank_a, SOURCE_A, "GA")
    quiet = [(code, 5.0 if code == "GA00" else 0.0) for code, _ in readings]
    ingest(park.enterprise_a, quiet)
    assert Alarm.objects.filter(status="active_unack").count() == 1
    assert api(Role.DISPATCHER).call("GET", "/map/layers/leak_source").json()["features"] == []
    assert leak_layer.alarming_groups(park.actor(Role.DISPATCHER)) == []


def test_an_enterprise_user_sees_only_its_own_estimate(park: SmallPark) -> None:
    ingest(park.enterprise_a, detectors(park.enterprise_a, park.unit_a, park.tank_a, SOURCE_A, "GA"))
    ingest(park.enterprise_b, detectors(park.enterprise_b, park.unit_b, park.tank_b, SOURCE_B, "GB"))
    layer = layers.get("leak_source")
    assert layer is not None and layer.capability == "simulation.run"
    bureau = sources(layer.build(park.actor(Role.DISPATCHER)))
    assert sorted(f["properties"]["name"] for f in bureau) == ["乙化工有限公司", "甲化工有限公司"]
    found_b = next(f for f in bureau if f["properties"]["name"] == "乙化工有限公司")
    assert distance_m(*found_b["geometry"]["coordinates"], SOURCE_B) < 10.0
    own = sources(layer.build(park.actor(Role.ENTERPRISE)))
    assert [f["properties"]["name"] for f in own] == ["甲化工有限公司"]
    assert distance_m(*own[0]["geometry"]["coordinates"], SOURCE_A) < 10.0
    # without simulation.run the layer is not offered at all
    assert "leak_source" not in [x.name for x in layers.layers_for(park.actor(Role.AUDITOR))]


def test_the_configured_wind_is_used(park: SmallPark, monkeypatch: pytest.MonkeyPatch) -> None:
    environment = {
        "CHEMPARK_DEFAULT_WIND_FROM_DEG": "270",
        "CHEMPARK_DEFAULT_WIND_SPEED_M_S": "4",
        "CHEMPARK_DEFAULT_STABILITY": "e",
    }
    monkeypatch.setattr(config, "_current", config.load(environment))
    met = leak_layer.default_wind()
    assert (met.wind_from_deg, met.wind_speed_m_s, met.stability) == (270.0, 4.0, "E")
    for name, value in (("STABILITY", "G"), ("WIND_SPEED_M_S", "0.5"), ("WIND_FROM_DEG", "east")):
        with pytest.raises(config.ConfigError, match=f"CHEMPARK_DEFAULT_{name}"):
            config.load({f"CHEMPARK_DEFAULT_{name}": value})


def test_a_fit_is_kept_until_its_detectors_or_alarms_change(park: SmallPark, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same readings give the cached fit; moved readings reuse it for REUSE_SECONDS (the popup
    says when it was computed), then it is recomputed; a detector that starts alarming recomputes it
    at once."""
    calls: list[int] = []
    real_fit = leak_layer.services.leak_source_fit

    def counted(**kwargs: Any) -> Any:
        calls.append(1)
        return real_fit(**kwargs)

    monkeypatch.setattr(leak_layer.services, "leak_source_fit", counted)
    readings = detectors(park.enterprise_a, park.unit_a, park.tank_a, SOURCE_A, "GA")
    quiet = [code for code, v in readings if v <= 1.0]
    assert quiet, "a detector off the plume stays below its 1 ppm alarm"
    ingest(park.enterprise_a, readings)
    dispatcher = park.actor(Role.DISPATCHER)
    [first] = sources(leak_layer.build(dispatcher))
    assert len(calls) == 1 and "估计时间" in first["properties"]["popup"]
    assert sources(leak_layer.build(dispatcher)) == [first] and len(calls) == 1
    # twice the leak, the same detectors alarming: within REUSE_SECONDS the estimate is the first one
    doubled = [(code, 2 * v if v > 1.0 else v) for code, v in readings]
    time.sleep(0.002)
    ingest(park.enterprise_a, doubled)
    [again] = sources(leak_layer.build(dispatcher))
    assert len(calls) == 1 and again["properties"]["rate_g_s"] == first["properties"]["rate_g_s"]
    monkeypatch.setattr(leak_layer, "REUSE_SECONDS", 0)
    [moved] = sources(leak_layer.build(dispatcher))
    assert len(calls) == 2 and moved["properties"]["rate_g_s"] > 1.5 * first["properties"]["rate_g_s"]
    # a quiet detector starts alarming: a new alarm set is recomputed at once, whatever the window
    monkeypatch.setattr(leak_layer, "REUSE_SECONDS", 3600)
    time.sleep(0.002)
    ingest(park.enterprise_a, [(code, 5.0 if code == quiet[0] else v) for code, v in doubled])
    [widened] = sources(leak_layer.build(dispatcher))
    assert len(calls) == 3 and f"{quiet[0]}*" in widened["properties"]["popup"]
    # an enterprise user's fit is its own entry (its protective targets may differ)
    assert len(sources(leak_layer.build(park.actor(Role.ENTERPRISE)))) == 1 and len(calls) == 4
