"""Columns of the list tables drawn by ``templates/_table.html``.

Every list page draws its table with the same partial (headings, sort links, the empty row) and
names only its columns here and its cells in a small row template, so the lists look and behave
alike and a change to the table reaches all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Column:
    """A column heading; ``sort`` is the list's sort key when the column can be sorted by."""

    label: str | Promise
    sort: str = ""


def columns(*labels: str | Promise) -> list[Column]:
    """Columns that do not sort, from their headings."""
    return [Column(label) for label in labels]


def import_error_columns() -> list[Column]:
    """The headings of every import's error report (rows drawn by ``_import_error_row.html``)."""
    return columns(gettext_lazy("工作表"), gettext_lazy("行"), gettext_lazy("列"), gettext_lazy("原因"))
