"""Forms of the account pages. They only parse and check input; services do the writing."""

from __future__ import annotations

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
    object_type = forms.CharField(label=_("对象类型"), required=False)
    object_id = forms.CharField(label=_("对象编号"), required=False)
    username = forms.CharField(label=_("操作人"), required=False)
    action = forms.ChoiceField(label=_("操作"), required=False, choices=[("", _("全部")), *AuditAction.choices])


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
