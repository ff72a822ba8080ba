"""The alarm list's filters: a form that parses the query string and names a bad field in Chinese.

Coded filters offer their model's choices, so an alarm type or point kind added to the choices
appears in the list's menus with no change here."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chempark.monitoring.models import AlarmStatus, AlarmType, MqttAccountKind, PointKind, Severity
from chempark.park.models import Enterprise

SHOW_CHOICES = (("open", _("待处置")), ("escalated", _("已升级")), ("all", _("全部")))


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("全部")), *choices]


class DayInput(forms.DateInput):
    input_type = "date"


class AlarmFilterForm(forms.Form):
    show = forms.ChoiceField(label=_("范围"), required=False, choices=SHOW_CHOICES)
    enterprise = forms.TypedChoiceField(label=_("企业"), required=False, coerce=int, empty_value=None)
    point_kind = forms.ChoiceField(label=_("点位类型"), required=False, choices=_any(PointKind.choices))
    severity = forms.ChoiceField(label=_("严重程度"), required=False, choices=_any(Severity.choices))
    alarm_type = forms.ChoiceField(label=_("报警类型"), required=False, choices=_any(AlarmType.choices))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=_any(AlarmStatus.choices))
    since = forms.DateField(label=_("起始日期"), required=False, widget=DayInput)
    until = forms.DateField(label=_("截止日期"), required=False, widget=DayInput)

    def __init__(self, data: Any, *, enterprises: list[tuple[int, str]]) -> None:
        super().__init__(data)
        field = self.fields["enterprise"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = _any(enterprises)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return cleaned

    def search_arguments(self) -> dict[str, Any]:
        """The selector's keyword arguments: the dates as the park's days, the end day included."""
        data = self.cleaned_data
        show = data.get("show") or "open"
        return {
            "enterprise": data.get("enterprise"),
            "point_kind": data.get("point_kind", ""),
            "severity": data.get("severity", ""),
            "alarm_type": data.get("alarm_type", ""),
            "status": data.get("status", ""),
            "open_only": show == "open",
            "escalated_only": show == "escalated",
            "since": _day_start(data.get("since")),
            "until": _day_start(data["until"] + timedelta(days=1)) if data.get("until") else None,
        }


def _day_start(day: date | None) -> datetime | None:
    return None if day is None else timezone.make_aware(datetime.combine(day, time.min))


class MqttEnterpriseOpenForm(forms.Form):
    """An enterprise gateway's account. The page offers only enterprises without an account in use;
    any enterprise parses here, so a stale choice reaches the service, whose refusal is shown."""

    enterprise: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("企业"), queryset=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Enterprise.objects.all()
        field.error_messages["invalid_choice"] = _("企业须从列表中选择。")


class MqttPlatformOpenForm(forms.Form):
    """A positioning platform's account. Its name is taken as typed (not trimmed) and checked by the
    service, as the API checks it: one topic level, no blank, colon, ``/``, ``+`` or ``#``, at most 64
    characters, not ``readings``, not a name another kind of account holds."""

    name = forms.CharField(label=_("平台名称"), max_length=64, strip=False)


class MqttWorkerOpenForm(forms.Form):
    """The account of one of the platform's own workers (monitoring data or vehicle positions)."""

    kind = forms.ChoiceField(
        label=_("接入服务"),
        choices=[
            (MqttAccountKind.INGEST.value, MqttAccountKind.INGEST.label),
            (MqttAccountKind.POSITIONS_INGEST.value, MqttAccountKind.POSITIONS_INGEST.label),
        ],
    )
    username = forms.CharField(
        label=_("用户名"),
        max_length=64,
        strip=False,
        required=False,
    )
