"""No template carries code or style the Content-Security-Policy would refuse: no inline <script>
body, no <style> element, no on*= handler, no style= attribute, no javascript: URL. (The browser
walk in tests/e2e/test_pages_csp.py catches what renders; this catches templates it does not open.)"""

from __future__ import annotations

import re
from pathlib import Path

import chempark

TEMPLATES = sorted(Path(chempark.__file__).parent.glob("**/templates/**/*.html"))
REFUSED = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def test_templates_are_found() -> None:
    assert len(TEMPLATES) > 30


def test_no_template_has_inline_code_or_style() -> None:
    found = [
        f"{path.relative_to(Path(chempark.__file__).parent)}:{text[: m.start()].count(chr(10)) + 1}: {what}"
        for path in TEMPLATES
        for text in (path.read_text(encoding="utf-8"),)
        for what, pattern in REFUSED.items()
        for m in pattern.finditer(text)
    ]
    assert not found, "\n".join(found)
