"""Every ``# type: ignore`` names its error code and says why, so the next reader can judge whether
it still holds (mypy's ``warn_unused_ignores`` catches the ones that no longer do)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<rest>.*)$")
WITH_REASON = re.compile(r"^\[[a-z-]+(,\s*[a-z-]+)*\]\s*#\s*\S")


def test_every_type_ignore_has_a_code_and_a_reason() -> None:
    bare = []
    for folder in ("src", "tests", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == Path(__file__).resolve():  # its own docstring names the comment
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                found = IGNORE.search(line)
                if found and not WITH_REASON.match(found.group("rest").strip()):
                    bare.append(f"{path.relative_to(ROOT)}:{number}")
    assert not bare, "type: ignore without [code] and a reason: " + ", ".join(bare)
