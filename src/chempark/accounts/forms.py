"""Forms of the account pages. They only parse and check input; services do the writing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chempark.accounts.models import ROLE_CHOICES, AuditAction, enterprise_model


def _use_enterprises(field: forms.Field) -> None:
    """Offer every enterprise; set per form instance, once the app registry can name the model."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = enterprise_model()._default_manager.all()


class LoginForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)


class AuditFilterForm(forms.Form):
    """The audit trail's filters in the auditor's words: object types and actors are offered by name
    (the types and people the trail holds, given by the page), dates are whole days in local time."""

    object_type = forms.ChoiceField(label=_("对象类型"), required=False)
    object_name = forms.CharField(label=_("对象名称"), required=False, max_length=200)
    username = forms.ChoiceField(label=_("操作人"), required=False)
    action = forms.ChoiceField(label=_("操作"), required=False, choices=[("", _("全部")), *AuditAction.choices])
    since = forms.DateField(label=_("从"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data: Any, *, object_types: list[tuple[str, str]], actors: list[tuple[str, str]]) -> None:
        super().__init__(data)
        for name, choices in (("object_type", object_types), ("username", actors)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("全部")), *choices]

    def filters(self) -> dict[str, Any]:
        """The selector's keyword arguments; ``until`` includes its whole day."""
        if not self.is_valid():
            return {}
        data = {key: value for key, value in self.cleaned_data.items() if value}
        if "since" in data:
            data["since"] = dt.datetime.combine(data["since"], dt.time())
        if "until" in data:
            data["until"] = dt.datetime.combine(data["until"] + dt.timedelta(days=1), dt.time())
        return data


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    display_name = forms.CharField(label=_("姓名"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("角色"), choices=ROLE_CHOICES)
    enterprise: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("所属企业"), queryset=None, required=False)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _use_enterprises(self.fields["enterprise"])


class MachineTokenForm(forms.Form):
    name = forms.CharField(label=_("令牌名称"), max_length=100)
    enterprise: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("企业"), queryset=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _use_enterprises(self.fields["enterprise"])


class UserEditForm(forms.Form):
    display_name = forms.CharField(label=_("姓名"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("角色"), choices=ROLE_CHOICES)
    enterprise: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("所属企业"), queryset=None, required=False, help_text=_("仅企业用户绑定企业。")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _use_enterprises(self.fields["enterprise"])


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label=_("新密码"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("留空则自动生成一个随机密码，只显示一次。"),
    )


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(
        label=_("当前密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label=_("新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password_again = forms.CharField(
        label=_("再次输入新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("两次输入的新密码不一致。"))
        return data
