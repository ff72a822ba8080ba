"""The alarm list's marks pass WCAG 2.1 AA for normal text (contrast ≥ 4.5:1): each badge and tag's
ink on its background, and the live-state colours on the page background, computed from the colour
tokens of ``app.css`` as the browser resolves them.

The formula is WCAG 2.1's relative luminance and contrast ratio; it is checked first against
published values (black on white 21:1, #777 on white 4.48:1, the example pair of the WCAG
Understanding document for 1.4.3, and white on #e03131 4.51:1 quoted from WebAIM's checker)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import chempark

STATIC = Path(chempark.__file__).parent / "static"
TOKEN = re.compile(r"(--[\w-]+)\s*:\s*([^;]+);")


def tokens() -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in TOKEN.findall((STATIC / "chempark" / "app.css").read_text()):
        found[name] = value.strip()
    return found


def resolve(value: str, table: dict[str, str]) -> str:
    for _depth in range(10):
        match = re.fullmatch(r"var\((--[\w-]+)\)", value)
        if not match:
            return value
        value = table[match.group(1)]
    raise AssertionError(value)


def luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    ("a", "b", "ratio"), [("#000000", "#ffffff", 21.0), ("#777777", "#ffffff", 4.48), ("#ffffff", "#e03131", 4.51)]
)
def test_the_formula_against_published_ratios(a: str, b: str, ratio: float) -> None:
    assert contrast(a, b) == pytest.approx(ratio, abs=0.01)


# (background, ink) as monitoring.css pairs them
PAIRS = [
    ("--badge-critical", "--badge-ink"),
    ("--badge-major", "--badge-ink"),
    ("--badge-minor", "--badge-minor-ink"),
    ("--badge-warning", "--badge-ink"),
    ("--tag-escalated", "--badge-ink"),
    ("--tag-offline", "--badge-ink"),
    ("--tag-new", "--tag-new-ink"),
    ("--panel", "--tag-new-ink"),  # the unacknowledged bar's colour as text-level contrast on the row
    ("--bg", "--live-open"),
    ("--bg", "--live-reconnecting"),
    ("--bg", "--live-closed"),
    ("--panel", "--ink"),
]


@pytest.mark.parametrize(("background", "ink"), PAIRS)
def test_triage_marks_pass_aa(background: str, ink: str) -> None:
    table = tokens()
    assert contrast(resolve(f"var({background})", table), resolve(f"var({ink})", table)) >= 4.5


def test_the_stylesheet_uses_these_pairs() -> None:
    css = (Path(chempark.__file__).parent / "monitoring" / "static" / "monitoring" / "monitoring.css").read_text()
    for rule in (
        ".sev { padding: 1px 6px; border-radius: 3px; color: var(--badge-ink)",
        ".sev-critical { background: var(--badge-critical); }",
        ".sev-major { background: var(--badge-major); }",
        ".sev-minor { background: var(--badge-minor); color: var(--badge-minor-ink); }",
        ".sev-warning { background: var(--badge-warning); }",
        ".tag-escalated { background: var(--tag-escalated); color: var(--badge-ink);",
        ".tag-new { background: var(--tag-new); color: var(--tag-new-ink);",
        ".tag-offline { background: var(--tag-offline); color: var(--badge-ink); }",
    ):
        assert rule in css, rule
