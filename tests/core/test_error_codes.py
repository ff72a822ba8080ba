"""The error codes: one enum, documented once (docs/architecture.md, "Errors"), and used by every raise."""

from __future__ import annotations

import re
from pathlib import Path

from chempark.core.errors import (
    Conflict,
    DomainError,
    ErrorCode,
    Forbidden,
    InvalidInput,
    NotFound,
    Unauthenticated,
)

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\| `([a-z_]+)` \| ([0-9x/ ]+) \|", re.MULTILINE)


def documented() -> dict[str, str]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("\n## Errors\n", 1)[1].split("\n## ", 1)[0]
    return {code: status.strip() for code, status in ROW.findall(section)}


def test_the_errors_section_lists_exactly_the_codes_of_the_enum() -> None:
    assert sorted(documented()) == sorted(code.value for code in ErrorCode)


def test_each_error_class_answers_the_status_its_default_code_is_documented_with() -> None:
    table = documented()
    for error in (DomainError, InvalidInput, NotFound, Forbidden, Conflict, Unauthenticated):
        assert str(error.status) in table[error.code].split(" / "), error.__name__


def test_no_raise_spells_a_code_as_a_free_string() -> None:
    """A domain error's code comes from the enum; Django validators keep their own form codes."""
    free = re.compile(
        r"\b(?:InvalidInput|NotFound|Forbidden|Conflict|Unauthenticated|DomainError|Refused)\([^)]*"
        r"\bcode=[\"']",
        re.DOTALL,
    )
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "src" / "chempark").rglob("*.py"))
        if free.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
