"""JSON adapters for the consequence models: one ``MODELS`` table per family, merged here.

The command line (``chempark consequence FILE``) and the web service look a request's ``"model"`` up
in :data:`MODELS`. Each family keeps its own table so the dispersion, fire and explosion adapters can
grow independently; a name defined twice is a programming error and fails at import.
"""

from collections.abc import Callable
from typing import Any

from chempark.consequence.adapters import dispersion, explosion, fire

Adapter = Callable[[dict[str, Any]], dict[str, Any]]


def _merge(*tables: dict[str, Adapter]) -> dict[str, Adapter]:
    merged: dict[str, Adapter] = {}
    for table in tables:
        duplicated = merged.keys() & table.keys()
        if duplicated:
            raise ImportError(f"consequence model names defined twice: {sorted(duplicated)}")
        merged.update(table)
    return merged


MODELS: dict[str, Adapter] = _merge(dispersion.MODELS, fire.MODELS, explosion.MODELS)
