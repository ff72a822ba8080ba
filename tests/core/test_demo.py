"""``chempark demo --no-serve``: the demo park is complete, valid and loaded only once."""

from __future__ import annotations

import io

from django.core.management import call_command

from chempark.accounts.models import AuditEvent, User
from chempark.common.identifiers import is_valid_cas, is_valid_uscc
from chempark.park.models import Area, Chemical, Enterprise, Inventory, ProtectiveTarget, Tank, Unit


def test_demo_loads_once(transactional_db: None) -> None:
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert Enterprise.objects.count() >= 40
    assert Unit.objects.count() >= 150
    assert Chemical.objects.count() >= 30
    assert ProtectiveTarget.objects.count() >= 20
    assert Inventory.objects.count() > Unit.objects.count()
    assert Tank.objects.exists() and Area.objects.filter(kind="public_road").exists()
    assert all(is_valid_uscc(u) for u in Enterprise.objects.values_list("uscc", flat=True))
    assert all(is_valid_cas(c) for c in Chemical.objects.values_list("cas", flat=True))
    assert set(Chemical.objects.values_list("cas", flat=True)) >= {
        "7782-50-5",
        "7664-41-7",
        "68476-85-7",
        "67-56-1",
        "71-43-2",
        "7783-06-4",
    }
    ent1 = User.objects.get(username="ent1")
    assert ent1.enterprise_id == Enterprise.objects.order_by("id").first().pk
    assert set(User.objects.values_list("username", flat=True)) >= {
        "admin",
        "inspector",
        "dispatcher",
        "expert",
        "auditor",
        "secadmin",
        "ent1",
    }
    assert User.objects.get(username="admin").check_password("chempark-demo")
    # protective targets lie around the park, within a few kilometres of 39.2 N 118.2 E
    for geometry in ProtectiveTarget.objects.values_list("geometry", flat=True):
        ring = geometry["coordinates"] if geometry["type"] == "Point" else geometry["coordinates"][0][0]
        assert abs(ring[0] - 118.2) < 0.1 and abs(ring[1] - 39.2) < 0.1
    counts = (Enterprise.objects.count(), Unit.objects.count(), AuditEvent.objects.count())
    call_command("demo", "--no-serve", stdout=io.StringIO())
    assert (Enterprise.objects.count(), Unit.objects.count(), AuditEvent.objects.count()) == counts
    assert "chempark-demo" in out.getvalue()
