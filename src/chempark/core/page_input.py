"""Page forms checked by the API's input schemas, so a page and the API accept exactly the same input.

A form posts text; :func:`form_input` reads the schema's fields from it, turns the text of a number
field into a number and a checkbox into a boolean (the schemas refuse text for numbers, as a JSON
client must send numbers), and validates the result with the schema's own rules.
:func:`checked_input` validates data a page has already assembled (lists of rows, say). Either way
a refusal is an :class:`InvalidInput` (422) naming each field in the page's words, with per-field
``details`` like the API's.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel
from pydantic import ValidationError as SchemaError

from chempark.core.errors import InvalidInput

S = TypeVar("S", bound=BaseModel)

CHECKED = "on"  # what a ticked HTML checkbox posts


def form_input(schema: type[S], form: Mapping[str, Any], *, labels: Mapping[str, str]) -> S:
    """The schema's fields read from a posted ``form``. An empty field counts as not given (an
    optional field keeps its default); a boolean field is a checkbox, ticked or not. ``labels`` name
    the fields in the page's words for the error message."""
    values: dict[str, Any] = {}
    for name, field in schema.model_fields.items():
        types = _types(field.annotation)
        raw = str(form.get(name, "")).strip()
        if bool in types:
            values[name] = raw == CHECKED
        elif raw != "":
            values[name] = _number(raw, types)
    return checked_input(schema, values, labels=labels)


def checked_input(schema: type[S], data: Mapping[str, Any], *, labels: Mapping[str, str]) -> S:
    """``data`` validated by ``schema`` as the API validates a JSON body."""
    try:
        return schema.model_validate(data)
    except SchemaError as exc:
        raise _refusal(exc, labels) from None


def number_or_text(raw: str) -> float | str:
    """A form's number field as a number, or its text when it is none (the schema then refuses it
    with the field's name)."""
    value: float | str = _number(raw, {float})
    return value


def _types(annotation: Any) -> set[Any]:
    """The plain types an annotation allows (``Annotated[StrictInt, ...] | None`` → int, None)."""
    if get_origin(annotation) is Annotated:
        return _types(get_args(annotation)[0])
    if get_origin(annotation) in (Union, UnionType):
        return set().union(*(_types(arg) for arg in get_args(annotation)))
    return {annotation}


def _number(raw: str, types: set[Any]) -> Any:
    """The text as the number the field takes, or the text itself (which the schema then refuses
    with the field's name: "+-5", "²" and "12abc" are no numbers)."""
    for kind in (int, float):
        if kind in types:
            try:
                return kind(raw)
            except ValueError:
                pass
    return raw


_INVALID = gettext_lazy("取值无效")
# pydantic's error types in the page's words, with the context value a message names
_PROBLEMS: dict[str, tuple[Any, str | None]] = {
    "missing": (gettext_lazy("必填"), None),
    "int_parsing": (gettext_lazy("须为整数"), None),
    "int_type": (gettext_lazy("须为整数"), None),
    "int_from_float": (gettext_lazy("须为整数"), None),
    "float_parsing": (gettext_lazy("须为数字"), None),
    "float_type": (gettext_lazy("须为数字"), None),
    "finite_number": (gettext_lazy("须为数字"), None),
    "date": (gettext_lazy("日期格式应为 YYYY-MM-DD"), None),
    "greater_than_equal": (gettext_lazy("不能小于 %(limit)s"), "ge"),
    "greater_than": (gettext_lazy("须大于 %(limit)s"), "gt"),
    "less_than_equal": (gettext_lazy("不能大于 %(limit)s"), "le"),
    "less_than": (gettext_lazy("须小于 %(limit)s"), "lt"),
    "string_too_long": (gettext_lazy("不能超过 %(limit)s 字"), "max_length"),
}


def _problem(error: Any) -> str:
    kind = "date" if error["type"].startswith("date") else error["type"]
    text, limit = _PROBLEMS.get(kind, (_INVALID, None))
    if limit is None:
        return str(text)
    return str(text) % {"limit": (error.get("ctx") or {}).get(limit)}


def _refusal(exc: SchemaError, labels: Mapping[str, str]) -> InvalidInput:
    details: dict[str, list[str]] = {}
    for error in exc.errors():
        location = ".".join(str(part) for part in error["loc"])
        details.setdefault(location, []).append(_problem(error))
    named = [
        f"{labels.get(location, labels.get(location.split('.', 1)[0], location))}：{'，'.join(problems)}"
        for location, problems in details.items()
    ]
    return InvalidInput(_("填写的内容有误：") + "；".join(named), details=details)
