"""The English translation tables agree with each other: a Chinese source string has one English text.

``scripts/translations_en.py`` merges its own table with every ``scripts/translations/*.py`` table
(file order, the last one read wins) and a repeated key inside one dict literal silently keeps its
last value, so a key given two different English texts gets whichever comes last — a page then
says "Enterprise" here and "Company" there for the same 企业, depending on file names. This test
reads every table as written (each dict literal assigned to ``EN`` or passed to ``EN.update``,
every entry with its line) and imports each module to be sure nothing was missed."""

from __future__ import annotations

import ast
import importlib.util
from collections import defaultdict
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
TABLES = [SCRIPTS / "translations_en.py", *sorted((SCRIPTS / "translations").glob("*.py"))]

Entry = tuple[str, str, str]  # English, file, line


def _written_entries(path: Path) -> list[tuple[str, str, int]]:
    """(Chinese, English, line) of every entry of the ``EN`` dict literals in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    literals: list[ast.Dict] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "EN" for t in node.targets):
            literals += [node.value] if isinstance(node.value, ast.Dict) else []
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "EN"
        ):
            literals += [arg for arg in node.args if isinstance(arg, ast.Dict)]
    entries = []
    for literal in literals:
        for key, value in zip(literal.keys, literal.values, strict=True):
            assert isinstance(key, ast.Constant) and isinstance(key.value, str), f"{path.name}:{literal.lineno}"
            assert isinstance(value, ast.Constant) and isinstance(value.value, str), f"{path.name}:{key.lineno}"
            entries.append((key.value, value.value, key.lineno))
    return entries


def _imported_table(path: Path) -> dict[str, str]:
    spec = importlib.util.spec_from_file_location(f"translation_table_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table = module.EN
    assert isinstance(table, dict)
    return table


def _all_entries() -> dict[str, list[Entry]]:
    by_key: dict[str, list[Entry]] = defaultdict(list)
    for path in TABLES:
        written = _written_entries(path)
        imported = _imported_table(path)
        # what the module defines is exactly what its literals say (no entry built another way)
        assert {key for key, _english, _line in written} == set(imported), path.name
        for key, english, line in written:
            by_key[key].append((english, str(path.relative_to(SCRIPTS)), str(line)))
    return by_key


def test_every_table_is_read() -> None:
    assert len(TABLES) > 20
    assert sum(len(entries) for entries in _all_entries().values()) > 2000


def test_no_key_has_two_english_texts() -> None:
    conflicts = {
        key: entries for key, entries in _all_entries().items() if len({english for english, *_ in entries}) > 1
    }
    described = [
        f"{key}: " + "; ".join(f"{english!r} ({where}:{line})" for english, where, line in entries)
        for key, entries in sorted(conflicts.items())
    ]
    assert not conflicts, f"{len(conflicts)} keys with conflicting English:\n" + "\n".join(described)


@pytest.mark.parametrize("text", ["企业 ", "企业\n"])
def test_the_check_sees_a_conflict(tmp_path: Path, text: str) -> None:
    """A table with a key given two texts is caught — within one literal too, where Python keeps the last."""
    table = tmp_path / "table.py"
    table.write_text(f'EN = {{"企业": "Enterprise", {text.strip()!r}: "Company"}}\nEN.update({{"名称": "Name"}})\n')
    entries = _written_entries(table)
    assert entries == [("企业", "Enterprise", 1), ("企业", "Company", 1), ("名称", "Name", 2)]
    assert _imported_table(table) == {"企业": "Company", "名称": "Name"}
