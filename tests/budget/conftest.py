from __future__ import annotations

from pathlib import Path

import pytest

from chempark.budget import services
from chempark.budget.models import Project
from chempark.core.actors import SYSTEM
from tests.conftest import SmallPark

STATEMENT = Path(__file__).parents[2] / "src/chempark/budget/data/bureau-performance-targets.txt"
YEAR = 2026


@pytest.fixture
def imported(park: SmallPark) -> list[Project]:
    """The statement imported for 2026 (the small park gives the users of every role)."""
    services.document_import(actor=SYSTEM, data=STATEMENT.read_bytes(), year=YEAR, filename=STATEMENT.name)
    return list(Project.objects.filter(budget_year__year=YEAR).order_by("number"))
