"""An accident simulation (事故模拟) as the platform runs it: release → source term → threat zones
on the map → the protective targets inside each zone.

This module strings the package's models together for one question a duty officer asks: "chemical
X is leaking here, at this rate, in this weather — where are AEGL-3, -2 and -1 exceeded, and who is
inside?" It is pure (no Django): the platform's service resolves units, tanks, the chemical
catalogue and the protective targets, and passes plain values in.

Choices, each reported back in ``notes`` or ``warnings`` so a reader of the result sees them:

* **Release.** A continuous rate (kg/s), an instantaneous mass (kg), or a hole in a tank. For a
  hole below a liquefied gas the Bernoulli outflow is driven by the saturation pressure at the
  storage temperature (plus the liquid head), and the airborne part is taken as twice the flash
  fraction, capped at 1 (the aerosol carried with the flashed vapour — a common screening rule,
  not a model of rain-out). A hole in the vapour space uses the choked/unchoked gas flow.
* **Dispersion** (:mod:`release_regime`). The cloud's density decides the model, as ALOHA does: a
  flashing liquefied gas makes a cold aerosol-laden cloud (its density after the aerosol has
  evaporated), other releases are their vapour. When the Britter–McQuaid criterion says the cloud
  is dense the zones come from the workbook correlations, otherwise from the passive Gaussian plume
  (continuous) or puff peak (instantaneous). A release of finite duration (inventory / rate) is a
  plume near the source and a puff far away: u·Td/x ≥ 2.5 / ≤ 0.6 for the dense model, the
  Palazzi erf factor for the Gaussian one. ``AccidentResult.dispersion`` says which was used and why.
* **Air pressure** from ``WeatherInput.ambient_pressure_pa``, else from the site's altitude
  (standard atmosphere), else 1 atm: it sets the gas densities, the gauge pressure of a hole and
  the mass concentration of a level given in ppm (a volume fraction of the thinner air).
* **Thresholds.** By default AEGL-3/2/1 of the chemical at the chosen duration from the confirmed
  toxic table; otherwise given explicitly (g/m³ or ppm). Zones are drawn innermost first: red,
  orange, yellow.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

import numpy as np

from chempark.consequence import (
    dense_gas,
    dispersion,
    exposure,
    gas_units,
    release_regime,
    source,
    toxic,
    weather,
    zones,
)
from chempark.consequence._checks import FloatArray, in_range, non_negative, positive
from chempark.consequence.errors import ConsequenceInputError

# re-exported: the platform names them through this module
from chempark.consequence.exposure import AffectedTarget as AffectedTarget  # noqa: PLC0414 - explicit re-export
from chempark.consequence.exposure import TargetInput as TargetInput  # noqa: PLC0414 - explicit re-export

ReleaseKind = Literal["continuous", "instantaneous", "tank_hole"]
ZONE_COLOURS: Final[tuple[str, ...]] = ("#e03131", "#f76707", "#fab005", "#74c0fc")
DEFAULT_LEVELS: Final[tuple[str, ...]] = ("AEGL-3", "AEGL-2", "AEGL-1")
# When a chemical has no AEGLs tabulated, the next family is used, as ALOHA does (AEGL → ERPG → PAC).
LEVEL_FAMILIES: Final[tuple[tuple[str, ...], ...]] = (
    DEFAULT_LEVELS,
    ("ERPG-3", "ERPG-2", "ERPG-1"),
    ("PAC-3", "PAC-2", "PAC-1"),
)
AMBIENT_PRESSURE_PA: Final[float] = 101_325.0
GAS_CONSTANT: Final[float] = 8.314462618
AIR_MOLAR_MASS_KG_MOL: Final[float] = 0.028964
DEFAULT_HEAT_CAPACITY_RATIO: Final[float] = 1.3
"""γ for a hole in the vapour space when none is given (diatomic gases 1.4, most others 1.2–1.35)."""
LOW_WIND_WARNING_M_S: Final[float] = 2.0


@dataclass(frozen=True)
class ReleaseInput:
    """What is released. ``kind`` picks which of the other fields apply."""

    kind: ReleaseKind
    rate_kg_s: float | None = None
    mass_kg: float | None = None
    hole_diameter_mm: float | None = None
    phase: Literal["liquid", "gas"] = "liquid"
    storage_temperature_k: float | None = None  # default: the air temperature
    storage_pressure_pa: float | None = None  # absolute; default: saturation pressure at the temperature
    liquid_head_m: float = 0.0
    heat_capacity_ratio: float = DEFAULT_HEAT_CAPACITY_RATIO
    inventory_kg: float | None = None  # caps the release (duration = inventory / rate)
    height_m: float = 1.0


@dataclass(frozen=True)
class WeatherInput:
    """Wind and stability. Give ``stability`` (A–F), or ``daytime`` with ``insolation`` (by day) or
    ``cloud_cover_oktas`` (by night) and the class is looked up in Pasquill's table."""

    wind_speed_m_s: float
    wind_from_deg: float
    stability: str | None = None
    daytime: bool | None = None
    insolation: str | None = None
    cloud_cover_oktas: int | None = None
    wind_height_m: float = 10.0
    ambient_temperature_k: float = 293.15
    altitude_m: float = 0.0  # of the site, for the air pressure when ``ambient_pressure_pa`` is not given
    ambient_pressure_pa: float | None = None

    @property
    def pressure_pa(self) -> float:
        """The air pressure: as given, else from the altitude (ICAO standard atmosphere)."""
        if self.ambient_pressure_pa is not None:
            return in_range(self.ambient_pressure_pa, "ambient_pressure_pa", 50_000.0, 110_000.0)
        return gas_units.pressure_at_altitude_pa(self.altitude_m)

    def pressure_facts(self) -> dict[str, float | str]:
        """The air pressure a run used and where it came from, for the run's results."""
        return pressure_facts(
            self.pressure_pa,
            altitude_m=self.altitude_m,
            source="altitude" if self.ambient_pressure_pa is None else "given",
        )


def pressure_facts(pressure_pa: float, *, altitude_m: float, source: str) -> dict[str, float | str]:
    """What a run's results say of its air pressure: the value (Pa), where it came from
    (``altitude``: the standard atmosphere at the site's altitude; ``given``: a measured or stated
    pressure) and the site's altitude."""
    return {"ambient_pressure_pa": round(pressure_pa), "ambient_pressure_source": source, "altitude_m": altitude_m}


@dataclass(frozen=True)
class Threshold:
    """A level of concern: its label, value and where the value comes from."""

    label: str
    concentration_g_m3: float
    level: str = "custom"
    source: str = ""


@dataclass(frozen=True)
class SourceTerm:
    """What enters the air: a continuous rate or an instantaneous mass, with how it was found."""

    continuous: bool
    rate_kg_s: float = 0.0
    mass_kg: float = 0.0
    duration_s: float | None = None
    vapour_density_kg_m3: float | None = None
    # How it was found, each with a stable code (:data:`NOTE_CODES`) so a page can say it in its language.
    note_details: tuple[ModelWarning, ...] = ()
    outflow_kg_s: float | None = None  # what leaves the tank, when more than the airborne rate
    cloud: release_regime.CloudState | None = None  # a flashing release's cold aerosol cloud

    @property
    def notes(self) -> tuple[str, ...]:
        """The notes in English."""
        return tuple(note.message for note in self.note_details)


@dataclass(frozen=True)
class ZoneResult:
    """One threat zone: the threshold, its extent in metres and the GeoJSON feature (WGS84)."""

    threshold: Threshold
    colour: str
    zone: zones.ThreatZone
    feature: dict[str, Any]
    map_polygon_m: FloatArray  # (east, north) metres around the source


@dataclass(frozen=True)
class ModelWarning:
    """A result outside where a model is trustworthy. ``code`` is stable (the platform shows its own
    translated text for it), ``message`` the English sentence, ``params`` the figures it quotes."""

    code: str
    message: str
    params: dict[str, float | str] = field(default_factory=dict)


WARNING_CODES: Final[tuple[str, ...]] = (
    "zone_cut_at_limit",
    "zone_beyond_10_km",
    "zone_below_100_m",
    "low_wind_stable_air",
    "release_shorter_than_exposure",
    "dense_gas",
    "dense_gas_model",
)
"""Every code :func:`simulate` may report; never renumber or reuse one. ``dense_gas`` (a dense cloud
drawn with the passive model) is no longer emitted since dense clouds use Britter–McQuaid
(``dense_gas_model``); it stays for the runs stored with it."""

NOTE_CODES: Final[tuple[str, ...]] = (
    "source_storage_pressure",
    "source_saturation_pressure",
    "source_gas_outflow_choked",
    "source_gas_outflow_unchoked",
    "source_cp_perry",
    "source_cp_rowlinson_bondi",
    "source_liquid_outflow",
    "source_flash_fraction",
    "source_no_aerosol_cooling",
    "source_aerosol_cloud",
    "source_continuous_as_given",
    "source_instantaneous_as_given",
    "source_inventory_runs_out",
)
"""Every code of a source term's notes (:attr:`SourceTerm.note_details`); never renumber or reuse one."""


@dataclass(frozen=True)
class AccidentResult:
    """Everything the page, the API and the stored run need."""

    stability: weather.StabilityClass
    transport_wind_speed_m_s: float
    source_term: SourceTerm
    zones: list[ZoneResult]
    model_warnings: list[ModelWarning] = field(default_factory=list)
    dispersion: release_regime.DispersionChoice | None = None  # which model made the zones, and why

    @property
    def warnings(self) -> list[str]:
        """The warnings' English messages."""
        return [warning.message for warning in self.model_warnings]

    def geojson(self) -> dict[str, Any]:
        """The zones as a FeatureCollection, innermost first."""
        return {"type": "FeatureCollection", "features": [zone.feature for zone in self.zones]}


def resolve_stability(met: WeatherInput) -> weather.StabilityClass:
    """The Pasquill class given, or looked up from day/night, insolation and cloud (Turner 1970)."""
    if met.stability:
        return weather.parse_stability(met.stability)
    if met.daytime is None:
        raise ConsequenceInputError("give a stability class (A-F), or daytime with insolation or cloud cover")
    wind_10m = positive(met.wind_speed_m_s, "wind_speed_m_s")
    insolation = met.insolation
    if insolation is not None and insolation not in weather.INSOLATIONS:
        raise ConsequenceInputError(f"unknown insolation {insolation!r}; expected strong, moderate or slight")
    return weather.pasquill_stability_class(
        wind_10m,
        daytime=met.daytime,
        insolation=insolation if insolation in weather.INSOLATIONS else None,  # type: ignore[arg-type]  # checked against weather.INSOLATIONS just before
        cloud_cover_oktas=met.cloud_cover_oktas,
    )


def _vapour_density(molar_mass_kg_mol: float, temperature_k: float, pressure_pa: float = AMBIENT_PRESSURE_PA) -> float:
    return pressure_pa * molar_mass_kg_mol / (GAS_CONSTANT * temperature_k)


def _note(code: str, message: str, **params: float | str) -> ModelWarning:
    return ModelWarning(code, message, dict(params))


def _liquid_heat_capacity(cas: str, props: source.ChemicalProperties) -> tuple[float | None, ModelWarning | None]:
    """Liquid cp: Poling (through ``source``), else Perry's Table 2-153 polynomial at the boiling
    point (J/kmol/K, C1 + C2 T + C3 T² + C4 T³ + C5 T⁴) when the boiling point is within 5 K of its
    range, else the Rowlinson–Bondi corresponding-states estimate at the boiling point from the
    ideal-gas cp at 25 °C (CRC) and the critical temperature and acentric factor (Poling, Prausnitz &
    O'Connell 2001 eq. 6-6.4; a few per cent away from Tr 0.99) — phosgene has no tabulated liquid cp."""
    if props.liquid_heat_capacity_j_kg_k is not None:
        return props.liquid_heat_capacity_j_kg_k, None
    import chemicals
    from chemicals import heat_capacity

    perry = source.perry_liquid_heat_capacity_j_kg_k(cas, props.boiling_point_k, props.molar_mass_kg_mol)
    if perry is not None:
        return perry, _note(
            "source_cp_perry",
            f"liquid heat capacity {perry:.4g} J/kg/K from Perry's Table 2-153 at the boiling point",
            cp_j_kg_k=perry,
        )
    crc = heat_capacity.CRC_standard_data
    gas_cp = float(crc.at[cas, "Cpg"]) if cas in crc.index else math.nan
    tc, omega = chemicals.Tc(cas), chemicals.omega(cas)
    if math.isnan(gas_cp) or tc is None or omega is None or props.boiling_point_k >= float(tc):
        return None, None
    cp = (
        heat_capacity.Rowlinson_Bondi(props.boiling_point_k, float(tc), float(omega), gas_cp)
        / 1000.0
        / (props.molar_mass_kg_mol)
    )
    return cp, _note(
        "source_cp_rowlinson_bondi",
        f"liquid heat capacity {cp:.4g} J/kg/K estimated by Rowlinson–Bondi at the boiling point",
        cp_j_kg_k=cp,
    )


def _tank_hole(cas: str, release: ReleaseInput, ambient_temperature_k: float, ambient_pressure_pa: float) -> SourceTerm:
    diameter_m = positive(release.hole_diameter_mm, "hole_diameter_mm") / 1000.0
    temperature = positive(
        release.storage_temperature_k if release.storage_temperature_k is not None else ambient_temperature_k,
        "storage_temperature_k",
    )
    props = source.chemical_properties(cas)
    pressure = (
        positive(release.storage_pressure_pa, "storage_pressure_pa")
        if release.storage_pressure_pa is not None
        else source.vapour_pressure_pa(cas, temperature)
    )
    notes = [
        _note("source_storage_pressure", f"storage pressure {pressure / 1e5:.3g} bar(a)", bar=pressure / 1e5)
        if release.storage_pressure_pa is not None
        else _note(
            "source_saturation_pressure",
            f"storage pressure {pressure / 1e5:.3g} bar(a) (saturation pressure at the storage temperature)",
            bar=pressure / 1e5,
        )
    ]
    if release.phase == "gas":
        if pressure <= ambient_pressure_pa:
            raise ConsequenceInputError("a hole in the vapour space needs a storage pressure above the air's")
        flow = source.gas_release_rate(
            hole_diameter_m=diameter_m,
            upstream_pressure_pa=pressure,
            temperature_k=temperature,
            molar_mass_kg_mol=props.molar_mass_kg_mol,
            heat_capacity_ratio=release.heat_capacity_ratio,
        )
        notes.append(
            _note(
                "source_gas_outflow_choked" if flow.choked else "source_gas_outflow_unchoked",
                f"gas outflow {flow.rate_kg_s:.4g} kg/s ({'choked' if flow.choked else 'unchoked'}, "
                f"gamma {release.heat_capacity_ratio:g}, Cd 1.0; Crowl & Louvar eqs. 4-49/4-50)",
                rate_kg_s=flow.rate_kg_s,
                gamma=release.heat_capacity_ratio,
            )
        )
        return SourceTerm(
            True,
            rate_kg_s=flow.rate_kg_s,
            vapour_density_kg_m3=_vapour_density(props.molar_mass_kg_mol, temperature, ambient_pressure_pa),
            note_details=tuple(notes),
        )
    density = source.liquid_density_kg_m3(cas, temperature)
    gauge = max(pressure - ambient_pressure_pa, 0.0)
    outflow = source.liquid_release_rate_kg_s(
        hole_diameter_m=diameter_m,
        liquid_density_kg_m3=density,
        gauge_pressure_pa=gauge,
        liquid_head_m=non_negative(release.liquid_head_m, "liquid_head_m"),
    )
    cp, cp_note = _liquid_heat_capacity(cas, props)
    if cp is None or props.heat_of_vaporisation_j_kg is None:
        raise ConsequenceInputError(
            f"no liquid heat capacity or heat of vaporisation for CAS {cas}: "
            "give the airborne rate as a continuous release instead"
        )
    flash = source.flash_fraction(
        temperature_k=temperature,
        boiling_point_k=props.boiling_point_k,
        liquid_heat_capacity_j_kg_k=cp,
        heat_of_vaporisation_j_kg=props.heat_of_vaporisation_j_kg,
    )
    if cp_note is not None:
        notes.append(cp_note)
    if flash <= 0.0:
        raise ConsequenceInputError(
            "the liquid does not flash at the storage temperature (below its boiling point): pool "
            "evaporation is not estimated here; give the evaporation rate as a continuous release"
        )
    airborne = min(1.0, 2.0 * flash)
    notes.append(
        _note(
            "source_liquid_outflow",
            f"liquid outflow {outflow:.4g} kg/s (Bernoulli, Cd 0.61, density {density:.4g} kg/m3)",
            rate_kg_s=outflow,
            density_kg_m3=density,
        )
    )
    notes.append(
        _note(
            "source_flash_fraction",
            f"flash fraction {flash:.3g}; airborne fraction taken as 2 x flash = {airborne:.3g} "
            "(screening rule: aerosol carried with the flashed vapour)",
            flash=flash,
            airborne=airborne,
        )
    )
    try:
        cloud = release_regime.flashing_cloud(
            aerosol_fraction=(airborne - flash) / airborne,
            molar_mass_kg_mol=props.molar_mass_kg_mol,
            boiling_point_k=props.boiling_point_k,
            heat_of_vaporisation_j_kg=props.heat_of_vaporisation_j_kg,
            liquid_heat_capacity_j_kg_k=cp,
            ambient_temperature_k=ambient_temperature_k,
            ambient_pressure_pa=ambient_pressure_pa,
            vapour_pressure_pa=lambda t: source.vapour_pressure_pa(cas, t),
        )
    except ConsequenceInputError:
        # no vapour-pressure curve down there: the vapour at its boiling point, as before
        notes.append(
            _note(
                "source_no_aerosol_cooling",
                "aerosol cooling not computed: cloud taken as the vapour at its boiling point",
            )
        )
        return SourceTerm(
            True,
            rate_kg_s=outflow * airborne,
            note_details=tuple(notes),
            outflow_kg_s=outflow,
            vapour_density_kg_m3=_vapour_density(props.molar_mass_kg_mol, props.boiling_point_k, ambient_pressure_pa),
        )
    notes.append(
        _note(
            "source_aerosol_cloud",
            f"aerosol evaporated by entrained air: cloud at {cloud.temperature_k:.4g} K, "
            f"{cloud.density_kg_m3:.3g} kg/m3, {cloud.release_mole_fraction:.3g} mole fraction",
            temperature_k=cloud.temperature_k,
            density_kg_m3=cloud.density_kg_m3,
            mole_fraction=cloud.release_mole_fraction,
        )
    )
    return SourceTerm(
        True,
        rate_kg_s=outflow * airborne,
        vapour_density_kg_m3=cloud.density_kg_m3,
        note_details=tuple(notes),
        outflow_kg_s=outflow,
        cloud=cloud,
    )


def resolve_source_term(
    cas: str,
    release: ReleaseInput,
    molar_mass_g_mol: float,
    ambient_temperature_k: float,
    *,
    ambient_pressure_pa: float = AMBIENT_PRESSURE_PA,
) -> SourceTerm:
    """The airborne release of ``release`` (see the module docstring)."""
    density_ambient = _vapour_density(molar_mass_g_mol / 1000.0, ambient_temperature_k, ambient_pressure_pa)
    if release.kind == "continuous":
        term = SourceTerm(
            True,
            rate_kg_s=positive(release.rate_kg_s, "rate_kg_s"),
            vapour_density_kg_m3=density_ambient,
            note_details=(_note("source_continuous_as_given", "continuous release as given"),),
        )
    elif release.kind == "instantaneous":
        return SourceTerm(
            False,
            mass_kg=positive(release.mass_kg, "mass_kg"),
            vapour_density_kg_m3=density_ambient,
            note_details=(_note("source_instantaneous_as_given", "instantaneous release as given"),),
        )
    elif release.kind == "tank_hole":
        term = _tank_hole(cas, release, ambient_temperature_k, ambient_pressure_pa)
    else:
        raise ConsequenceInputError(f"unknown release kind {release.kind!r}")
    if release.inventory_kg is not None:
        inventory = positive(release.inventory_kg, "inventory_kg")
        duration = inventory / (term.outflow_kg_s or term.rate_kg_s)
        runs_out = _note(
            "source_inventory_runs_out",
            f"inventory {inventory:g} kg runs out in {duration / 60:.3g} min",
            inventory_kg=inventory,
            minutes=duration / 60,
        )
        term = replace(term, duration_s=duration, note_details=(*term.note_details, runs_out))
    return term


def default_thresholds(
    cas: str,
    duration_min: float,
    temperature_k: float,
    levels: Sequence[str] | None = None,
    pressure_pa: float = AMBIENT_PRESSURE_PA,
) -> list[Threshold]:
    """The named levels of ``cas`` at ``duration_min`` from the confirmed table, their ppm read at
    the ambient temperature and pressure; without names, the first complete family of AEGL-3/2/1,
    ERPG-3/2/1, PAC-3/2/1 (the error names the first family)."""
    if levels is None:
        first_error: ValueError | None = None
        for family in LEVEL_FAMILIES:
            try:
                return default_thresholds(cas, duration_min, temperature_k, family, pressure_pa)
            except ValueError as exc:
                first_error = first_error or exc
        assert first_error is not None
        raise first_error
    molar_mass = toxic.molar_mass_g_mol(cas)
    found: list[Threshold] = []
    for name in levels:
        level = toxic.level_of_concern(cas, name, duration_min)
        value = float(toxic.ppm_to_mg_m3(level.value_ppm, molar_mass, temperature_k, pressure_pa)) / 1000.0
        found.append(
            Threshold(
                f"{level.level} ({level.duration_min:g} min, {level.value_ppm:g} ppm)",
                value,
                level.level,
                f"{level.source} [{level.revision}]",
            )
        )
    return found


def has_default_thresholds(cas: str, duration_min: float = 60.0) -> bool:
    """Whether a simulation of ``cas`` without named levels finds a complete family of levels (a
    chemical with, say, only AEGL-1 tabulated needs thresholds given by the user)."""
    try:
        default_thresholds(cas, duration_min, 293.15)
    except ValueError:
        return False
    return True


def ppm_threshold(
    label: str, ppm: float, molar_mass_g_mol: float, temperature_k: float, pressure_pa: float = AMBIENT_PRESSURE_PA
) -> Threshold:
    """A threshold given in ppm, converted at the ambient temperature and pressure."""
    value = float(toxic.ppm_to_mg_m3(positive(ppm, "ppm"), molar_mass_g_mol, temperature_k, pressure_pa)) / 1000.0
    return Threshold(label, value, "custom", "given")


def simulate(
    *,
    cas: str,
    molar_mass_g_mol: float,
    source_lon_deg: float,
    source_lat_deg: float,
    release: ReleaseInput,
    met: WeatherInput,
    thresholds: Sequence[Threshold],
    duration_min: float = 60.0,
) -> AccidentResult:
    """Threat zones of one release (see the module docstring)."""
    if not thresholds:
        raise ConsequenceInputError("at least one threshold is needed")
    lon = in_range(source_lon_deg, "source_lon_deg", -180.0, 180.0)
    lat = in_range(source_lat_deg, "source_lat_deg", -89.0, 89.0)
    direction = in_range(met.wind_from_deg, "wind_from_deg", 0.0, 360.0)
    wind = positive(met.wind_speed_m_s, "wind_speed_m_s")
    if wind < dispersion.GAUSSIAN_MIN_WIND_M_S:
        raise ConsequenceInputError(
            f"wind speed {wind:g} m/s is below {dispersion.GAUSSIAN_MIN_WIND_M_S:g} m/s, where the Gaussian "
            "model does not apply (calm: the cloud pools around the source)"
        )
    stability = resolve_stability(met)
    ambient = in_range(met.ambient_temperature_k, "ambient_temperature_k", 200.0, 340.0)
    pressure = met.pressure_pa
    height = non_negative(release.height_m, "height_m")
    term = resolve_source_term(cas, release, molar_mass_g_mol, ambient, ambient_pressure_pa=pressure)
    transport = weather.transport_wind_speed_m_s(wind, met.wind_height_m, height, stability, "rural")
    wind_10m = float(weather.wind_speed_at_height(wind, met.wind_height_m, 10.0, stability, "rural"))
    selection = _dense_selection(term, wind_10m, ambient, pressure)
    profile: zones.CentrelineProfile
    if term.continuous:
        profile = zones.plume_profile(
            term.rate_kg_s * 1000.0, wind_speed_m_s=transport, release_height_m=height, stability=stability
        )
        if term.duration_s is not None:
            profile = release_regime.finite_duration_gaussian(
                profile, wind_speed_m_s=transport, duration_s=term.duration_s, stability=stability
            )
    else:
        profile = zones.puff_profile(
            term.mass_kg * 1000.0, wind_speed_m_s=transport, release_height_m=height, stability=stability
        )
    passive = profile
    if selection is not None and selection.model == "britter_mcquaid":
        cloud = term.cloud or release_regime.CloudState(
            term.vapour_density_kg_m3 or 0.0, ambient, 1.0, 0.0, molar_mass_g_mol / 1000.0
        )
        dense = release_regime.DenseRelease(
            cloud,
            molar_mass_g_mol / 1000.0,
            rate_kg_s=term.rate_kg_s if term.continuous else None,
            duration_s=term.duration_s,
            mass_kg=None if term.continuous else term.mass_kg,
        )
        profile = release_regime.envelope(
            passive,
            release_regime.dense_gas_profile(
                dense, wind_speed_10m_m_s=wind_10m, ambient_temperature_k=ambient, ambient_pressure_pa=pressure
            ),
        )
    ordered = sorted(thresholds, key=lambda t: -t.concentration_g_m3)
    results: list[ZoneResult] = []
    for index, threshold in enumerate(ordered):
        zone = zones.threat_zone(profile, threshold.concentration_g_m3)
        colour = ZONE_COLOURS[min(index, len(ZONE_COLOURS) - 1)]
        feature = zones.zone_geojson(
            zone,
            source_lon_deg=lon,
            source_lat_deg=lat,
            wind_from_deg=direction,
            properties={"label": threshold.label, "level": threshold.level, "colour": colour, "index": index},
        )
        polygon = zones.rotate_to_map(zone.polygon_xy_m, direction) if not zone.is_empty else np.zeros((0, 2))
        results.append(ZoneResult(threshold, colour, zone, feature, polygon))
    far = max([r.zone.downwind_extent_m for r in results] + [1.0])
    choice = _choice(term, selection, far, wind_10m=wind_10m, transport=transport, stability=stability)
    if choice.model == "britter_mcquaid":
        # which of the two models sets the outermost zone's end (the passive one far downwind)
        dense_wins = bool(profile(np.array([far]))[0][0] > passive(np.array([far]))[0][0] * (1.0 + 1e-9))
        choice.params["far_field_model"] = "britter_mcquaid" if dense_wins else "gaussian"
    warnings = _warnings(results, term, transport, stability, duration_min=duration_min, choice=choice)
    return AccidentResult(stability, transport, term, results, warnings, choice)


def _dense_selection(
    term: SourceTerm, wind_10m: float, ambient_k: float, pressure_pa: float
) -> dense_gas.Selection | None:
    """The Britter–McQuaid criterion for the released cloud (None when its density is unknown)."""
    if term.vapour_density_kg_m3 is None:
        return None
    return dense_gas.select_dispersion_model(
        release="continuous" if term.continuous else "instantaneous",
        amount=(term.rate_kg_s if term.continuous else term.mass_kg)
        * (1.0 + (term.cloud.air_kg_per_kg if term.cloud else 0.0)),
        release_density_kg_m3=term.vapour_density_kg_m3,
        ambient_density_kg_m3=_vapour_density(AIR_MOLAR_MASS_KG_MOL, ambient_k, pressure_pa),
        wind_speed_10m_m_s=wind_10m,
    )


def _choice(
    term: SourceTerm,
    selection: dense_gas.Selection | None,
    far_m: float,
    *,
    wind_10m: float,
    transport: float,
    stability: weather.StabilityClass,
) -> release_regime.DispersionChoice:
    """Which model and regime made the zones, judged at the far end of the outermost zone."""
    params: dict[str, float | str] = {"distance_m": round(far_m, 1)}
    if term.cloud is not None:
        params.update(
            cloud_density_kg_m3=round(term.cloud.density_kg_m3, 3),
            cloud_temperature_k=round(term.cloud.temperature_k, 1),
        )
    if selection is not None:
        params["dense_criterion"] = round(selection.criterion, 3)
    if selection is not None and selection.model == "britter_mcquaid":
        if not term.continuous:
            return release_regime.DispersionChoice(
                "britter_mcquaid",
                "dense_puff",
                (f"dense cloud ({selection.reason}): Britter-McQuaid instantaneous release"),
                params,
            )
        if term.duration_s is None:
            return release_regime.DispersionChoice(
                "britter_mcquaid",
                "dense_plume",
                (f"dense cloud ({selection.reason}): Britter-McQuaid continuous release"),
                params,
            )
        ratio = wind_10m * term.duration_s / far_m
        params["u_td_over_x"] = round(ratio, 3)
        code = (
            "dense_plume"
            if ratio >= release_regime.CONTINUOUS_RATIO
            else "dense_puff"
            if ratio <= release_regime.INSTANTANEOUS_RATIO
            else "dense_transition"
        )
        return release_regime.DispersionChoice(
            "britter_mcquaid",
            code,
            (
                f"dense cloud ({selection.reason}); u*Td/x = {ratio:.3g} at {far_m:.0f} m "
                "(continuous >= 2.5, instantaneous <= 0.6)"
            ),
            params,
        )
    if not term.continuous:
        return release_regime.DispersionChoice("gaussian", "passive_puff", "passive cloud: Gaussian puff", params)
    if term.duration_s is None:
        return release_regime.DispersionChoice(
            "gaussian", "passive_plume", "passive cloud: steady Gaussian plume", params
        )
    factor = float(release_regime.finite_duration_factor(np.array([far_m]), transport, term.duration_s, stability)[0])
    params["duration_factor"] = round(factor, 3)
    code = "passive_plume" if factor >= 0.99 else "passive_finite_duration"
    return release_regime.DispersionChoice(
        "gaussian",
        code,
        (
            f"passive cloud: Gaussian plume of {term.duration_s:.0f} s, peak x {factor:.3g} of the steady "
            f"plume at {far_m:.0f} m (erf(u*Td/(2*sqrt(2)*sigma_x)))"
        ),
        params,
    )


def _warnings(
    results: list[ZoneResult],
    term: SourceTerm,
    transport: float,
    stability: str,
    *,
    duration_min: float,
    choice: release_regime.DispersionChoice,
) -> list[ModelWarning]:
    warnings: list[ModelWarning] = []
    extents = [r.zone.downwind_extent_m for r in results]
    if any(extent >= zones.MAX_ZONE_DISTANCE_M for extent in extents):
        limit_km = zones.MAX_ZONE_DISTANCE_M / 1000
        warnings.append(
            ModelWarning(
                "zone_cut_at_limit",
                f"a zone reaches the {limit_km:g} km limit and is cut there",
                {"limit_km": limit_km},
            )
        )
    if any(extent > dispersion.GAUSSIAN_VALID_DISTANCE_M[1] for extent in extents):
        warnings.append(
            ModelWarning("zone_beyond_10_km", "a zone extends beyond 10 km, where a straight-line plume is unreliable")
        )
    gaussian = choice.model == "gaussian"
    if gaussian and any(0.0 < extent < dispersion.GAUSSIAN_VALID_DISTANCE_M[0] for extent in extents):
        warnings.append(
            ModelWarning(
                "zone_below_100_m", "a zone is shorter than 100 m: the dispersion coefficients are extrapolated there"
            )
        )
    if gaussian and transport < LOW_WIND_WARNING_M_S and stability in ("E", "F"):
        warnings.append(
            ModelWarning("low_wind_stable_air", "low wind in stable air: the Gaussian model is least reliable here")
        )
    if term.duration_s is not None and term.duration_s < duration_min * 60.0:
        release_min = float(f"{term.duration_s / 60:.3g}")
        warnings.append(
            ModelWarning(
                "release_shorter_than_exposure",
                f"the release lasts about {release_min:g} min, shorter than the {duration_min:g} min of the "
                "thresholds: a steady plume overstates the zones",
                {"release_min": release_min, "exposure_min": duration_min},
            )
        )
    if choice.model == "britter_mcquaid":
        warnings.append(
            ModelWarning(
                "dense_gas_model",
                f"dense cloud: zones from the Britter-McQuaid dense-gas model, and from the "
                f"passive Gaussian model wherever it reaches farther ({choice.message})",
                {"dense_criterion": choice.params.get("dense_criterion", "")},
            )
        )
    return warnings


# --- protective targets in the zones --------------------------------------------------------------


def zone_shapes(result: AccidentResult) -> list[exposure.ZoneShape]:
    """The result's zones as outlines in metres (east, north) around the source, innermost first."""
    return [
        exposure.ZoneShape(r.threshold.label, r.map_polygon_m if not r.zone.is_empty else np.zeros((0, 2)))
        for r in result.zones
    ]


def affected_targets(
    result: AccidentResult, targets: Sequence[TargetInput], *, source_lon_deg: float, source_lat_deg: float
) -> list[AffectedTarget]:
    """Targets inside a zone, each counted once in the innermost zone it touches, nearest first
    (:func:`chempark.consequence.exposure.affected_targets`)."""
    return exposure.affected_targets(
        zone_shapes(result), targets, source_lon_deg=source_lon_deg, source_lat_deg=source_lat_deg
    )
