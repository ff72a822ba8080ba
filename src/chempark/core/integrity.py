"""Database refusals in the user's words: one place that turns a uniqueness, check, not-null or
foreign-key refusal — raised by the database (``IntegrityError``) or found first by a model's
validators — into a Chinese sentence naming the fields by their Chinese labels and saying what to do.

Why here and not at each call: the same constraint is hit from the API, from pages and from imports,
and a raw "UNIQUE constraint failed: park_enterprise.uscc" or "违反了约束“budget_positive”" means
nothing to a duty officer. The database's text differs between SQLite and PostgreSQL, so both are
read: the constraint's name (PostgreSQL's diagnostics, SQLite's CHECK text) or the table and columns
(SQLite's UNIQUE and NOT NULL text, PostgreSQL's "Key (…)=(…)" detail).

``CONSTRAINT_MESSAGES`` holds what a uniqueness of fields cannot say by itself: the meaning of every
check constraint and of every conditional uniqueness. A test walks every model's constraints and
fails on one without a sentence, so a new constraint cannot reach a user as its name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Check constraints and conditional uniqueness: what the rule means and what to do.
CONSTRAINT_MESSAGES: dict[str, Any] = {
    "road_speed_positive": gettext_lazy("路段的通行速度须大于 0 km/h：请填写正数。"),
    "road_length_not_negative": gettext_lazy("路段长度不能为负数：请填写 0 或正数（米）。"),
    "budget_positive": gettext_lazy("预算金额不能为负数：请填写 0 或正数（万元）。"),
    "budget_spending_positive": gettext_lazy("支出金额须大于 0：请填写实际支出的金额。"),
    "budget_passed_within_participants": gettext_lazy("考核合格人数不能多于参加人数：请核对两个人数。"),
    "budget_certificate_only_when_passed": gettext_lazy(
        "只有考核合格时才能填写证书编号：请先标记合格，或清空证书编号。"
    ),
    "enterprise_user_has_enterprise": gettext_lazy(
        "企业用户须选择所属企业，其他角色不能关联企业：请核对角色与所属企业。"
    ),
    "token_owner_matches_kind": gettext_lazy("个人令牌须属于一名用户，设备令牌须属于一家企业：请核对令牌类型与归属。"),
    "blacklist_one_target": gettext_lazy("一条黑名单记录须且只能指向一辆车或一个人：请只选择其中之一。"),
    "resource_lon_lat_together": gettext_lazy("经度和纬度须同时填写：请补全另一项，或两项都清空。"),
    "resource_gps_complete": gettext_lazy("实时位置须同时有经度、纬度和定位时间：请补全，或三项都清空。"),
    "inventory_current_within_design": gettext_lazy("当前存量不能大于设计最大量：请核对当前存量，或先调高设计最大量。"),
    "one_open_major_hazard_per_unit": gettext_lazy(
        "该单元已有一条未核销的重大危险源记录：请在已有记录上办理，或先将其核销。"
    ),
    "dispatch_one_active_per_resource": gettext_lazy("该应急资源正在执行另一起调派任务：请等其完成或撤回后再调派。"),
    "alarm_one_active_per_source_ref": gettext_lazy("来源系统的同一事件已有一条未消除的报警：无须重复上报。"),
    "one_open_visit_per_vehicle": gettext_lazy("该车辆已在园内（有未出园的记录）：请先登记出园。"),
    "one_open_presence": gettext_lazy("该人员已在此区域内（有未离开的记录）：请先登记离开。"),
}


@dataclass(frozen=True)
class Refusal:
    """A refusal in Chinese: ``message`` for the user, ``fields`` (model field names) it concerns."""

    message: str
    fields: tuple[str, ...] = ()

    def details(self) -> dict[str, list[str]]:
        """Per-field details in the API's error vocabulary, at the field to change — the last of a
        uniqueness (the 编号 of 企业 + 编号), so a form shows the sentence once — or ``__all__``."""
        return {self.fields[-1]: [self.message]} if self.fields else {"__all__": [self.message]}


def field_label(model: type[models.Model], name: str) -> str:
    """A field's Chinese label (its verbose name); the name itself only for something that is no field."""
    try:
        return str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]  # reverse relations have no verbose name; caught below
    except (LookupError, AttributeError, FieldDoesNotExist):
        return name


def _model_name(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name)


def unique_message(model: type[models.Model], fields: tuple[str, ...]) -> str:
    """ "同一企业下已有编号相同的监测点位" and what to do, for a uniqueness over ``fields``."""
    relations = [f for f in fields if isinstance(_field(model, f), models.ForeignKey)]
    values = [f for f in fields if f not in relations] or list(fields)
    scope = "、".join(field_label(model, f) for f in relations if f not in values)
    what = "、".join(f"「{field_label(model, f)}」" for f in values)
    if scope:
        return _("同一%(scope)s下%(what)s相同的%(model)s已存在：请换一个%(what)s，或打开已有的那条修改。") % {
            "scope": scope,
            "what": what,
            "model": _model_name(model),
        }
    return _("%(what)s相同的%(model)s已存在：请换一个%(what)s，或打开已有的那条修改。") % {
        "what": what,
        "model": _model_name(model),
    }


def constraint_refusal(model: type[models.Model] | None, name: str) -> Refusal | None:
    """The sentence for a named constraint of ``model`` (any model when None), or None if unknown."""
    for candidate in [model] if model is not None else list(apps.get_models()):
        if candidate is None:
            continue
        for constraint in candidate._meta.constraints:
            if constraint.name != name:
                continue
            fields = tuple(getattr(constraint, "fields", ()) or ())
            if name in CONSTRAINT_MESSAGES:
                return Refusal(str(CONSTRAINT_MESSAGES[name]), fields)
            if fields:
                return Refusal(unique_message(candidate, fields), fields)
    if name in CONSTRAINT_MESSAGES:
        return Refusal(str(CONSTRAINT_MESSAGES[name]))
    return None


def _field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _model_of_table(table: str) -> type[models.Model] | None:
    for model in apps.get_models():
        if model._meta.db_table == table:
            return model
    return None


def _fields_of_columns(model: type[models.Model], columns: list[str]) -> tuple[str, ...]:
    by_column = {getattr(f, "column", None): f.name for f in model._meta.concrete_fields}
    return tuple(by_column.get(column, column) for column in columns)


_SQLITE_COLUMNS = re.compile(r"^(UNIQUE|NOT NULL) constraint failed: (.+)$")
_SQLITE_CHECK = re.compile(r"^CHECK constraint failed: (\S+)")
_SQLITE_INDEX = re.compile(r"^UNIQUE constraint failed: index '([^']+)'")
_PG_KEY = re.compile(r"Key \(([^)]*)\)=")


def integrity_refusal(exc: IntegrityError) -> Refusal:
    """What ``exc`` means for the user, read from the database's own report (SQLite or PostgreSQL)."""
    diag = getattr(exc.__cause__, "diag", None)
    if diag is not None:  # PostgreSQL: the constraint's name, the table, the failing columns
        return _postgres_refusal(exc, diag)
    return _sqlite_refusal(str(exc).strip().splitlines()[0] if str(exc).strip() else "") or _unknown()


def _sqlite_refusal(text: str) -> Refusal | None:
    named = _SQLITE_INDEX.match(text) or _SQLITE_CHECK.match(text)
    if named:
        return constraint_refusal(None, named.group(1))
    columns = _SQLITE_COLUMNS.match(text)
    if columns:
        kind, spec = columns.groups()
        qualified = [part.strip() for part in spec.split(",")]
        model = _model_of_table(qualified[0].rsplit(".", 1)[0])
        if model is None:
            return None
        fields = _fields_of_columns(model, [part.rsplit(".", 1)[-1] for part in qualified])
        return _missing(model, fields[0]) if kind == "NOT NULL" else _unique_or_named(model, fields)
    return _dangling() if text.startswith("FOREIGN KEY") else None


def _postgres_refusal(exc: IntegrityError, diag: Any) -> Refusal:
    sqlstate = getattr(exc.__cause__, "sqlstate", "") or ""
    model = _model_of_table(diag.table_name or "")
    if sqlstate == "23502" and model is not None and diag.column_name:
        return _missing(model, _fields_of_columns(model, [diag.column_name])[0])
    if sqlstate == "23503":
        return _dangling()
    named = constraint_refusal(model, diag.constraint_name or "") if diag.constraint_name else None
    if named is not None:
        return named
    key = _PG_KEY.search(getattr(diag, "message_detail", "") or "")
    if sqlstate == "23505" and model is not None and key:
        columns = [c.strip().strip('"') for c in key.group(1).split(",")]
        return _unique_or_named(model, _fields_of_columns(model, columns))
    return _unknown()


def _unique_or_named(model: type[models.Model], fields: tuple[str, ...]) -> Refusal:
    """A uniqueness over columns: a conditional constraint on exactly these fields has its own sentence."""
    for constraint in model._meta.constraints:
        if tuple(getattr(constraint, "fields", ()) or ()) == fields and constraint.name in CONSTRAINT_MESSAGES:
            return Refusal(str(CONSTRAINT_MESSAGES[constraint.name]), fields)
    return Refusal(unique_message(model, fields), fields)


def _missing(model: type[models.Model], name: str) -> Refusal:
    return Refusal(_("「%(field)s」为必填项：请填写后再保存。") % {"field": field_label(model, name)}, (name,))


def _dangling() -> Refusal:
    return Refusal(_("所选的关联记录不存在或已被删除：请重新选择后再保存。"))


def _unknown() -> Refusal:
    return Refusal(_("数据与已有记录冲突或不符合规则，未保存：请核对填写的内容后重试。"))


def validation_messages(model: type[models.Model], error_dict: dict[str, list[Any]]) -> dict[str, list[str]]:
    """A model's ``full_clean`` errors with its uniqueness and constraint messages rewritten in the
    same words as the database's refusals (Django's own name the constraint, not what to do)."""
    by_message = {}
    for constraint in model._meta.constraints:
        try:
            by_message[str(constraint.get_violation_error_message())] = constraint.name
        except (KeyError, TypeError):  # a message with placeholders Django fills differently
            continue
    result: dict[str, list[str]] = {}
    for field, errors in error_dict.items():
        messages: list[str] = []
        for error in errors:
            code = getattr(error, "code", None)
            params = getattr(error, "params", None) or {}
            if code in ("unique", "unique_together") and "unique_check" in params:
                messages.append(_unique_or_named(model, tuple(params["unique_check"])).message)
                continue
            for message in error.messages if hasattr(error, "messages") else [str(error)]:
                name = by_message.get(message)
                refusal = constraint_refusal(model, name) if name else None
                messages.append(refusal.message if refusal is not None else message)
        result[field] = messages
    return result


def summary(model: type[models.Model], details: dict[str, list[str]]) -> str:
    """One line for the user: each field by its Chinese label with its messages (``__all__`` unnamed)."""
    parts = []
    for field, messages in details.items():
        text = " ".join(dict.fromkeys(messages))
        parts.append(text if field == "__all__" else f"{field_label(model, field)}：{text}")
    return "；".join(parts)
