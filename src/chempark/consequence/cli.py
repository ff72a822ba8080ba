"""``chempark consequence FILE``: run one consequence model described by a JSON file (``-`` = stdin).

The request names its model, e.g.::

    {"model": "gaussian_plume",
     "release": {"rate_g_s": 48.4, "height_m": 0.46},
     "weather": {"wind_speed_m_s": 7.39, "wind_height_m": 2.0, "stability": "D", "terrain": "rural"},
     "receptors": [{"x_m": 100, "y_m": 0, "z_m": 1.5}]}

and the answer is that model's JSON on standard output (exit 0). Any bad input — unreadable file,
invalid JSON, unknown model, a missing or mistyped field, a value outside the model's validity —
prints one line ``{"error": {"code": ..., "message": ...}}`` on standard error and exits 2, so
scripts and the web platform can tell a data problem from a crash. Model names and request shapes
are in ``docs/consequence.md``.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from chempark.consequence.adapters import MODELS
from chempark.consequence.errors import ConsequenceInputError

EXIT_OK = 0
EXIT_BAD_INPUT = 2
USAGE = "usage: chempark consequence FILE  (FILE may be - for standard input)"


class _RequestError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _refuse_constant(token: str) -> Any:
    raise _RequestError("invalid_json", f"{token} is not a valid JSON number")


def _read_request(argv: list[str], stdin: TextIO) -> dict[str, Any]:
    if len(argv) != 1:
        raise _RequestError("usage", USAGE)
    source = argv[0]
    try:
        if source == "-":
            text = stdin.read()
        else:
            with open(source, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as exc:
        raise _RequestError("file_not_readable", f"cannot read {source}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise _RequestError("invalid_json", f"{source} is not UTF-8 text") from exc
    try:
        request = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise _RequestError("invalid_json", f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    if not isinstance(request, dict):
        raise _RequestError("invalid_type", 'the request must be a JSON object with a "model" key')
    return request


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Dispatch a parsed request to its model adapter; raises on bad input."""
    model = request.get("model")
    if model is None:
        raise _RequestError("missing_field", "missing required field model")
    if not isinstance(model, str) or model not in MODELS:
        known = ", ".join(sorted(MODELS))
        raise _RequestError("unknown_model", f"unknown model {model!r}; known models: {known}")
    return MODELS[model](request)


def _error_line(code: str, message: str) -> str:
    return json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False) + "\n"


def main(
    argv: list[str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Command-line entry point; returns the exit code (0 ok, 2 bad input)."""
    args = sys.argv[1:] if argv is None else argv
    in_stream = sys.stdin if stdin is None else stdin
    out_stream = sys.stdout if stdout is None else stdout
    err_stream = sys.stderr if stderr is None else stderr
    try:
        result = run(_read_request(args, in_stream))
    except _RequestError as exc:
        err_stream.write(_error_line(exc.code, exc.message))
        return EXIT_BAD_INPUT
    except ConsequenceInputError as exc:
        err_stream.write(_error_line(getattr(exc, "code", "invalid_input"), str(exc)))
        return EXIT_BAD_INPUT
    try:
        text = json.dumps(result, ensure_ascii=False, allow_nan=False)
    except ValueError as exc:
        # json.dumps refuses NaN/inf: a model produced a non-finite number from inputs at its edge.
        err_stream.write(_error_line("result_not_finite", f"the model produced a non-finite result: {exc}"))
        return EXIT_BAD_INPUT
    out_stream.write(text + "\n")
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
