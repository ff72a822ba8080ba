"""The closed park's entry journey: an enterprise safety manager files a reservation for a truck, the
inspector approves it, and the gate then lets the truck in while a truck without a reservation is
turned away with the reason; the dispatcher sees both at the gate log and the truck in the park.
Gate events go through the HTTP ingest with a machine token, as the gate's system sends them."""

from __future__ import annotations

import urllib.request

import orjson
from django.utils import timezone
from playwright.sync_api import Page, expect

from chempark.accounts.models import TokenKind, User
from chempark.accounts.services import token_issue
from chempark.core.actors import SYSTEM
from chempark.vehicles.models import CrewMember, Vehicle
from tests.e2e.conftest import login, logout, screenshot

TRUCK = "冀J7890挂"  # its earlier reservation was refused: it may ask again
UNRESERVED = "津A45678"


def gate_read(site: str, token: str, plate: str) -> dict[str, object]:
    body = {"gate": "G01", "plate": plate, "direction": "in", "time": timezone.now().replace(microsecond=0).isoformat()}
    request = urllib.request.Request(
        f"{site}/api/v1/ingest/gate-events",
        data=orjson.dumps(body),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        answer: dict[str, object] = orjson.loads(response.read())
        return answer


def test_reserved_truck_enters_and_unreserved_one_is_turned_away(page: Page, demo_site: str) -> None:
    truck = Vehicle.objects.get(plate=TRUCK)
    driver = CrewMember.objects.get(carrier=truck.carrier, duty="driver")
    escort = CrewMember.objects.get(carrier=truck.carrier, duty="escort")
    enterprise = User.objects.get(username="ent1").enterprise
    assert enterprise is not None

    login(page, demo_site, "ent1")
    page.click("text=入园预约")
    page.click("text=新增")
    page.select_option("#r-vehicle", str(truck.pk))
    page.select_option("#r-driver", str(driver.pk))
    page.select_option("#r-escort", str(escort.pk))
    page.fill("#r-quantity", "12.5")
    page.click("button:has-text('提交预约')")
    expect(page.locator("[data-testid=reservation-status]")).to_have_text("待审批")
    expect(page.locator("[data-testid=reservation-fields]")).to_contain_text(TRUCK)
    expect(page.locator("[data-testid=action-approve]")).to_have_count(0)  # the enterprise cannot approve
    reservation_url = page.url
    logout(page)

    login(page, demo_site, "inspector")
    page.goto(f"{demo_site}/vehicles/reservations/?status=requested")
    row = page.locator("[data-testid=reservation-table] tr", has_text=TRUCK)
    expect(row).to_contain_text(enterprise.name)
    row.locator("a").click()
    assert page.url == reservation_url
    page.locator("[data-testid=action-approve] button").click()
    expect(page.locator("[data-testid=reservation-status]")).to_have_text("已批准")
    expect(page.locator("[data-testid=transition-table]")).to_contain_text("已批准")
    logout(page)

    _token, raw = token_issue(actor=SYSTEM, name="卡口系统", kind=TokenKind.MACHINE, enterprise_id=enterprise.pk)
    allowed = gate_read(demo_site, raw, TRUCK)
    assert (allowed["decision"], allowed["reason"]) == ("allow", None)
    denied = gate_read(demo_site, raw, UNRESERVED)
    assert (denied["decision"], denied["reason"], denied["message"]) == ("deny", "no_reservation", "今日无有效预约")

    login(page, demo_site, "dispatcher")
    page.click("text=在园车辆")
    expect(page.locator("[data-testid=in-park-table]")).to_contain_text(TRUCK)
    log = page.locator("[data-testid=gate-event-table]")
    expect(log.locator("tr", has_text=UNRESERVED).first).to_contain_text("今日无有效预约")
    expect(log.locator("tr", has_text=TRUCK).first).to_contain_text("放行")
    screenshot(page, "vehicles-in-park-after-gate")
    page.goto(reservation_url)
    expect(page.locator("[data-testid=reservation-status]")).to_have_text("已入园")
