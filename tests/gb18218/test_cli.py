"""The gb18218 command-line function: JSON in, JSON out, exit code 2 for bad input."""

import io
import json
from pathlib import Path

import pytest

from chempark.gb18218.cli import main


def run(text: str, argv: list[str] | None = None) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["-"] if argv is None else argv, stdin=io.StringIO(text), stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_published_example_from_standard_input() -> None:
    code, out, err = run('{"population_500m": 60, "holdings": [{"cas": "7446-09-5", "quantity_t": 200}]}')
    assert (code, err) == (0, "")
    # S = 200/20 = 10; alpha(60) = 1.5; R = 1.5 * 2 * 10 = 30 -> level 3.
    assert json.loads(out) == {
        "S": 10,
        "is_major": True,
        "R": 30,
        "level": 3,
        "alpha": 1.5,
        "lines": [
            {
                "substance": "二氧化硫",
                "cas": "7446-09-5",
                "q_t": 200,
                "critical_q_t": 20,
                "q_source": "Table 1 row 4",
                "beta": 2,
                "beta_source": "Table 3 二氧化硫",
                "ratio": 10,
            }
        ],
    }


def test_file_argument_and_issue_example_shapes(tmp_path: Path) -> None:
    # 甲醇 12.5 t / 500 = 0.025; W5.3 mixture 3 t / 1000 = 0.003; S = 0.028 -> not graded.
    document = {
        "population_500m": 0,
        "holdings": [
            {"name": "甲醇", "quantity_t": 12.5},
            {"category": "W5.3", "name": "稀释剂", "quantity_t": 3},
        ],
    }
    path = tmp_path / "unit.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run("", [str(path)])
    result = json.loads(out)
    assert code == 0
    assert (result["S"], result["is_major"], result["R"], result["level"]) == (0.028, False, None, None)


def test_category_list() -> None:
    # J1 (Q 5, beta 4) and W2 (Q 10, beta 1.5): Q 5, beta 4; q 5 -> S 1; 0 people alpha 0.5 -> R 2.
    code, out, _ = run('{"population_500m": 0, "holdings": [{"name": "x", "category": ["W2", "J1"], "quantity_t": 5}]}')
    assert code == 0
    assert (json.loads(out)["R"], json.loads(out)["lines"][0]["q_source"]) == (2, "Table 2 J1")


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("{", "invalid_json", "not valid JSON"),
        ("[]", "invalid_document", "JSON object"),
        ('{"holdings": [{"name": "氯", "quantity_t": 1}]}', "missing_population", "population_500m"),
        (
            '{"population_500m": -1, "holdings": [{"name": "氯", "quantity_t": 1}]}',
            "invalid_population",
            "-1",
        ),
        (
            '{"population_500m": 6.5, "holdings": [{"name": "氯", "quantity_t": 1}]}',
            "invalid_population",
            "6.5",
        ),
        (
            '{"population_500m": true, "holdings": [{"name": "氯", "quantity_t": 1}]}',
            "invalid_population",
            "true",
        ),
        ('{"population_500m": 1, "holdings": []}', "no_holdings", "holdings"),
        ('{"population_500m": 1}', "no_holdings", "holdings"),
        (
            '{"population_500m": 1, "holdings": [{"name": "氯"}]}',
            "missing_quantity",
            "holdings[0].quantity_t",
        ),
        (
            '{"population_500m": 1, "holdings": [{"name": "氯", "quantity_t": -2}]}',
            "invalid_quantity",
            "holdings[0].quantity_t",
        ),
        (
            '{"population_500m": 1, "holdings": [{"name": "氯", "quantity_t": "5"}]}',
            "invalid_quantity",
            "holdings[0].quantity_t",
        ),
        (
            '{"population_500m": 1, "holdings": [{"name": "氯", "quantity_t": true}]}',
            "invalid_quantity",
            "holdings[0].quantity_t",
        ),
        (
            '{"population_500m": 1, "holdings": [{"name": "氯", "quantity_t": NaN}]}',
            "invalid_quantity",
            "NaN",
        ),
        (
            '{"population_500m": 1, "holdings": '
            '[{"name": "氯", "quantity_t": 1}, {"name": "氯", "quantity_t": Infinity}]}',
            "invalid_quantity",
            "holdings[1].quantity_t",
        ),
        (
            '{"population_500m": 1, "holdings": [{"name": "未知物", "quantity_t": 1}]}',
            "unknown_substance",
            "holdings[0].category",
        ),
        (
            '{"population_500m": 1, "holdings": [{"name": "x", "category": "W9", "quantity_t": 1}]}',
            "unknown_category",
            "holdings[0].category",
        ),
        (
            '{"population_500m": 1, "holdings": [{"cas": "7782-50-6", "quantity_t": 1}]}',
            "invalid_cas",
            "holdings[0].cas",
        ),
        ('{"population_500m": 1, "holdings": [{"name": "氯", "qty": 1}]}', "unknown_field", "qty"),
        ('{"population_500m": 1, "holdings": [3]}', "invalid_holding", "holdings[0]"),
    ],
)
def test_bad_input_gives_one_json_line_and_exit_code_2(text: str, code: str, fragment: str) -> None:
    exit_code, out, err = run(text)
    assert (exit_code, out) == (2, "")
    assert err.count("\n") == 1
    error = json.loads(err)["error"]
    assert error["code"] == code
    assert fragment in error["message"]


def test_missing_file_and_wrong_arguments(tmp_path: Path) -> None:
    code, _, err = run("", [str(tmp_path / "absent.json")])
    assert (code, json.loads(err)["error"]["code"]) == (2, "unreadable_file")
    code, _, err = run("", [])
    assert (code, json.loads(err)["error"]["code"]) == (2, "usage")
