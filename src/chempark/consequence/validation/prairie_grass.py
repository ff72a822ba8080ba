"""Gaussian plume against Project Prairie Grass (O'Neill, Nebraska, 1956) arc maxima.

Prairie Grass released SO2 continuously from 0.46 m for 10 minutes and sampled it at 1.5 m on arcs
at 50, 100, 200, 400 and 800 m. It is the data set the Pasquill–Gifford curves were largely drawn
from, which makes it the natural first check of our plume and of the choice among σ schemes, and
also means agreement here is a consistency check rather than an independent test.

Only the runs with meteorology in ``prairie_grass_met_partial.csv`` (five runs, 25 arc maxima)
can be modelled: the arc file carries no wind or stability. The modelled value is the plume
centre-line concentration at the sampler height, compared with the highest sampler reading on the
arc (``obs_max_conc``); the Gaussian-fit peak (``cmax_fitted``) is reported as a second reference.

Run: ``python -m chempark.consequence.validation.prairie_grass [--data-dir DIR]``. The data directory
defaults to ``$CHEMPARK_SHARED_DIR/data/prairie_grass`` or the copy shipped in ``validation/data/``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TextIO

import numpy as np

from chempark.config import current
from chempark.consequence import dispersion, weather
from chempark.consequence.metrics import EvaluationMetrics, evaluate

RELEASE_HEIGHT_M: Final[float] = 0.46
SAMPLER_HEIGHT_M: Final[float] = 1.5
WIND_MEASUREMENT_HEIGHT_M: Final[float] = 2.0


@dataclass(frozen=True)
class ArcObservation:
    """One sampling arc of one run, with the run's meteorology."""

    run: int
    stability: weather.StabilityClass
    wind_speed_2m_m_s: float
    rate_g_s: float
    distance_m: float
    observed_max_g_m3: float
    fitted_peak_g_m3: float


@dataclass(frozen=True)
class SchemeResult:
    """Predictions and statistics of one σ scheme over all arcs."""

    scheme: weather.SigmaScheme
    predicted_g_m3: tuple[float, ...]
    against_observed_max: EvaluationMetrics
    against_fitted_peak: EvaluationMetrics


PACKAGED_DATA_DIR = Path(__file__).resolve().parent / "data"


def default_data_dir() -> Path:
    """``$CHEMPARK_SHARED_DIR/data/prairie_grass`` if set, else the copy shipped in this package."""
    shared = current().shared_dir
    if shared:
        return Path(shared) / "data" / "prairie_grass"
    return PACKAGED_DATA_DIR


def _data_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


def load_observations(data_dir: Path) -> list[ArcObservation]:
    """Arc maxima of the runs that have meteorology, ordered by run and distance."""
    met = {int(row["run"]): row for row in _data_rows(data_dir / "prairie_grass_met_partial.csv")}
    observations: list[ArcObservation] = []
    for row in _data_rows(data_dir / "prairie_grass_arcs.csv"):
        run = int(row["run"])
        if run not in met:
            continue
        observations.append(
            ArcObservation(
                run=run,
                stability=weather.parse_stability(met[run]["pasquill_class"]),
                wind_speed_2m_m_s=float(met[run]["u_2m_m_per_s"]),
                rate_g_s=float(row["Q_g_per_s"]),
                distance_m=float(row["arc_distance_m"]),
                observed_max_g_m3=float(row["obs_max_conc"]),
                fitted_peak_g_m3=float(row["cmax_fitted"]),
            )
        )
    return sorted(observations, key=lambda arc: (arc.run, arc.distance_m))


def predict(arc: ArcObservation, scheme: weather.SigmaScheme) -> float:
    """Plume centre-line concentration (g/m³) at the sampler height on the arc.

    The transport wind follows the ISC3 rule (:func:`weather.transport_wind_speed_m_s`): the wind
    measured at 2 m is used as it is for a release below 10 m. The mixing lid is disabled: the
    5 runs' mixing heights are not in the data and a lid hundreds of metres up does not change a
    0.46 m release within 800 m.
    """
    wind = weather.transport_wind_speed_m_s(
        arc.wind_speed_2m_m_s, WIND_MEASUREMENT_HEIGHT_M, RELEASE_HEIGHT_M, arc.stability, "rural"
    )
    concentration = dispersion.gaussian_plume_concentration_g_m3(
        arc.rate_g_s,
        arc.distance_m,
        0.0,
        SAMPLER_HEIGHT_M,
        wind_speed_m_s=wind,
        release_height_m=RELEASE_HEIGHT_M,
        stability=arc.stability,
        scheme=scheme,
        terrain="rural",
        mixing_height_m=float("inf"),
    )
    return float(concentration)


def compare(observations: list[ArcObservation]) -> list[SchemeResult]:
    """Predictions and statistics for every σ scheme."""
    observed = np.array([arc.observed_max_g_m3 for arc in observations])
    fitted = np.array([arc.fitted_peak_g_m3 for arc in observations])
    results: list[SchemeResult] = []
    for scheme in weather.SIGMA_SCHEMES:
        predicted = np.array([predict(arc, scheme) for arc in observations])
        results.append(
            SchemeResult(
                scheme=scheme,
                predicted_g_m3=tuple(float(value) for value in predicted),
                against_observed_max=evaluate(observed, predicted),
                against_fitted_peak=evaluate(fitted, predicted),
            )
        )
    return results


def write_report(observations: list[ArcObservation], results: list[SchemeResult], out: TextIO) -> None:
    """Print the per-arc table and the statistics (Markdown, so it can go straight into the docs)."""
    schemes = [result.scheme for result in results]
    out.write(
        f"Prairie Grass: {len({arc.run for arc in observations})} runs with meteorology, "
        f"{len(observations)} arc maxima (release 0.46 m, samplers 1.5 m)\n\n"
    )
    header = "| run | class | u2 (m/s) | Q (g/s) | x (m) | observed max (g/m3) | " + " | ".join(
        f"{scheme} (g/m3) | ratio" for scheme in schemes
    )
    out.write(header + " |\n")
    out.write("|" + "---|" * (6 + 2 * len(schemes)) + "\n")
    for index, arc in enumerate(observations):
        cells = [
            str(arc.run),
            arc.stability,
            f"{arc.wind_speed_2m_m_s:.2f}",
            f"{arc.rate_g_s:.1f}",
            f"{arc.distance_m:.0f}",
            f"{arc.observed_max_g_m3:.3g}",
        ]
        for result in results:
            predicted = result.predicted_g_m3[index]
            cells += [f"{predicted:.3g}", f"{predicted / arc.observed_max_g_m3:.2f}"]
        out.write("| " + " | ".join(cells) + " |\n")
    out.write("\n| scheme | reference | n | FB | MG | NMSE | VG | FAC2 |\n|---|---|---|---|---|---|---|---|\n")
    for result in results:
        for label, stats in (
            ("observed max", result.against_observed_max),
            ("fitted peak", result.against_fitted_peak),
        ):
            out.write(
                f"| {result.scheme} | {label} | {stats.n} | {stats.fb:+.2f} | {stats.mg:.2f} | "
                f"{stats.nmse:.2f} | {stats.vg:.2f} | {stats.fac2:.2f} |\n"
            )
    default = next(result for result in results if result.scheme == weather.DEFAULT_SIGMA_SCHEME)
    stats = default.against_observed_max
    verdict = "meets" if stats.fac2 >= 0.5 and abs(stats.fb) <= 0.3 else "does NOT meet"
    out.write(
        f"\nDefault scheme {weather.DEFAULT_SIGMA_SCHEME}: FAC2 = {stats.fac2:.2f}, FB = {stats.fb:+.2f} "
        f"-> {verdict} the target FAC2 >= 0.5 and |FB| <= 0.3 (against the observed arc maxima).\n"
    )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: print the comparison; exit 1 if the data files are missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data-dir", type=Path, default=None, help="directory with the Prairie Grass CSVs")
    args = parser.parse_args(argv)
    data_dir: Path = args.data_dir or default_data_dir()
    if not (data_dir / "prairie_grass_arcs.csv").is_file():
        sys.stderr.write(f"Prairie Grass data not found in {data_dir}\n")
        return 1
    observations = load_observations(data_dir)
    write_report(observations, compare(observations), sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
