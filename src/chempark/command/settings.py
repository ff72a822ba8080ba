"""The command centre's settings, read through ``chempark.config``."""

from __future__ import annotations

from chempark.command.risk_index import RiskWeights, parse_weights
from chempark.config import ConfigError, current, variable


def risk_weights() -> RiskWeights:
    """``CHEMPARK_RISK_WEIGHTS``, e.g. ``inherent=40,monitoring=35,management=25``."""
    try:
        return parse_weights(current().risk_weights)
    except ValueError as exc:
        raise ConfigError(f"{variable('risk_weights')}: {exc}") from exc
