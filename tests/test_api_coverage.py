"""Every API endpoint has its permissions checked for every role somewhere.

Each ``tests/<app>/test_permission_matrix*.py`` declares ``COVERED_PATHS``, the endpoints whose
policy it walks; an endpoint none of them covers fails here, so a new endpoint cannot ship without
its row in a permission matrix.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from chempark.api import api

TESTS = Path(__file__).parent


def covered_paths() -> set[str]:
    covered: set[str] = set()
    for module_file in sorted(TESTS.glob("*/test_permission_matrix*.py")):
        module = importlib.import_module(f"tests.{module_file.parent.name}.{module_file.stem}")
        covered |= set(module.COVERED_PATHS)
    return covered


def test_every_endpoint_is_in_a_permission_matrix() -> None:
    endpoints = set(api.get_openapi_schema()["paths"])
    missing = endpoints - covered_paths()
    assert not missing, f"endpoints without a permission-matrix test: {sorted(missing)}"
