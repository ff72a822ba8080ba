"""The helpers every one-map layer builds its features with: the popup's escaping, the detail
addresses reversed once per answer, and the choice labels read once per answer — each must give
exactly what the per-feature way gave."""

from __future__ import annotations

import pytest
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils.html import format_html
from django.utils.translation import override

from chempark.core.map_layers import choice_labels, detail_urls, popup
from chempark.hazards.models import MajorHazard
from chempark.park.models import Enterprise, Unit


def _popup_with_format_html(title: str, *lines: str, url: str = "") -> str:
    html = format_html("<b>{}</b>", title)
    for line in lines:
        html += format_html("<br>{}", line)
    if url:
        html += format_html('<br><a href="{}">{} ›</a>', url, "查看详情")
    return str(html)


@pytest.mark.parametrize(
    ("title", "lines", "url"),
    [
        ("储罐区 <A>", ("甲类 & 乙类", "\"引号\" '单引号'"), "/registry/unit/3/?a=1&b=2"),
        ("无链接", (), ""),
        ("<script>alert(1)</script>", ("<img src=x onerror=alert(1)>",), ""),
    ],
)
def test_a_popup_escapes_every_value_as_format_html_did(title: str, lines: tuple[str, ...], url: str) -> None:
    with override("zh-hans"):
        assert popup(title, *lines, url=url) == _popup_with_format_html(title, *lines, url=url)
    assert "<script>" not in popup("<script>", "<b>")


@pytest.mark.parametrize("name", ["park:unit-detail", "park:enterprise-detail", "hazards:detail"])
def test_detail_addresses_are_those_reverse_gives(name: str) -> None:
    url = detail_urls(name)
    for pk in (1, 9, 10, 987654321, 123456789012):
        assert url(pk) == reverse(name, args=[pk])
    previous = get_script_prefix()
    set_script_prefix("/chempark/")
    try:
        moved = detail_urls(name)
        assert moved(42) == reverse(name, args=[42]) and moved(42).startswith("/chempark/")
    finally:
        set_script_prefix(previous)


@pytest.mark.parametrize(
    ("model", "field"), [(Unit, "kind"), (Enterprise, "kind"), (Enterprise, "status"), (MajorHazard, "status")]
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_choice_labels_are_the_display_values_in_the_current_language(model: type, field: str, language: str) -> None:
    with override(language):
        labels = choice_labels(model, field)
        for value, _label in model._meta.get_field(field).flatchoices:
            assert labels[value] == getattr(model(**{field: value}), f"get_{field}_display")()
