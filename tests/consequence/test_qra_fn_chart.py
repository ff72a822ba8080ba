"""The F-N chart's data: criterion lines from the packaged file (marked unconfirmed) or the study's
own, sampled on the line F = C/N^a, and the curve's key points."""

import pytest

from chempark.consequence import qra_platform


def test_packaged_lines_are_marked_unconfirmed_until_the_standard_is_entered():
    lines = qra_platform.packaged_fn_lines()
    assert lines and all(line["source"] for line in lines)
    assert all(line["confidence"] == "unconfirmed" for line in lines if "GB 36894" not in line["source"])


def test_chart_samples_the_study_line_and_picks_key_points():
    fn = [[1.0, 1e-4], [2.5, 5e-5], [12.0, 2e-6], [40.0, 1e-7]]
    row = {"name": "测试", "intolerable_constant": 1e-3, "intolerable_slope": 2.0, "source": "s", "confidence": "c"}
    chart = qra_platform.fn_chart(fn, row)
    (line,) = chart["lines"]
    for n, f in line["points"]:
        assert f == pytest.approx(1e-3 / n**2)
    assert line["points"][0][0] == 1.0 and line["points"][-1][0] == pytest.approx(1000.0)
    # F(N >= 3) is the F at the first point with N >= 3 (N = 12), F(N >= 100) has no event
    assert chart["key_points"] == [[1.0, 1e-4], [3.0, 2e-6], [10.0, 2e-6], [30.0, 1e-7]]


def test_without_a_study_criterion_the_packaged_lines_are_drawn():
    chart = qra_platform.fn_chart([[1.0, 1e-5]], None)
    assert [line["name"] for line in chart["lines"]] == [line["name"] for line in qra_platform.packaged_fn_lines()]
