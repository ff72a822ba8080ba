"""The demo accounts: one per role, plus ``ent1`` bound to the first enterprise.

Loaded by the park app because ``ent1`` needs the demo park's first enterprise (accounts sits below
park and does not import it)."""

from __future__ import annotations

from chempark.accounts.models import User
from chempark.accounts.services import user_create
from chempark.config import current
from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.park.models import Enterprise

DEMO_ACCOUNTS: tuple[tuple[str, Role, str], ...] = (
    ("admin", Role.BUREAU_ADMIN, "系统管理员"),
    ("inspector", Role.INSPECTOR, "监管执法员"),
    ("dispatcher", Role.DISPATCHER, "值班调度员"),
    ("expert", Role.EXPERT, "安全专家"),
    ("auditor", Role.AUDITOR, "审计员"),
    ("secadmin", Role.SECURITY_ADMIN, "安全管理员"),
    ("ent1", Role.ENTERPRISE, "企业安全员"),
    ("finance", Role.FINANCE, "财务人员"),
)


def load_demo_accounts() -> str:
    """Create the demo accounts that do not exist yet, with the password of CHEMPARK_DEMO_PASSWORD."""
    password = current().demo_password
    created = []
    first_enterprise = Enterprise.objects.order_by("id").first()
    for username, role, display_name in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        enterprise_id = first_enterprise.pk if role is Role.ENTERPRISE and first_enterprise else None
        if role is Role.ENTERPRISE and enterprise_id is None:
            continue
        user_create(
            actor=SYSTEM,
            username=username,
            password=password,
            role=role,
            enterprise_id=enterprise_id,
            display_name=display_name,
            check_password_rules=False,
        )
        created.append(username)
    done = f"已创建演示账号：{', '.join(created)}。" if created else "演示账号已存在。"
    names = ", ".join(username for username, _role, _name in DEMO_ACCOUNTS)
    return f"{done}演示账号 {names} 的密码为 {password!r}（CHEMPARK_DEMO_PASSWORD）。仅供演示，切勿用于生产。"
