"""Every page of the vehicles module runs under the Content-Security-Policy without a script error,
as the roles that use them: the enterprise safety manager (reservations, its access areas, headcounts,
the roster) and the inspector (the transport registry, gates, vehicles in the park, the overstay
alarm on its map, the gate layer on the one-map)."""

from __future__ import annotations

from playwright.sync_api import Page

from chempark.accounts.models import User
from chempark.monitoring.models import Alarm
from chempark.vehicles.models import EnterpriseArea, Reservation, Vehicle
from tests.e2e.conftest import login, logout
from tests.e2e.test_pages_csp import Problems, visit, watched

__all__ = ["watched"]  # the fixture, used by name


def test_vehicle_pages_run_under_the_policy(watched: tuple[Page, Problems], demo_site: str) -> None:
    page, problems = watched
    site = demo_site
    login(page, site, "ent1")
    problems.check("login")
    ent1 = User.objects.get(username="ent1")
    reservation = Reservation.objects.filter(enterprise_id=ent1.enterprise_id).order_by("pk").first()
    area = EnterpriseArea.objects.get(name="中控室")
    for path, shot in (
        ("/vehicles/reservations/", "ent-reservations"),
        ("/vehicles/reservations/new/", "ent-reservation-form"),
        ("/vehicles/in-park/", "ent-in-park"),
        ("/vehicles/headcounts/", "ent-headcounts"),
        (f"/vehicles/roster/{area.pk}/", "ent-roster"),
        ("/vehicles/accessarea/", "ent-access-areas"),
        (f"/vehicles/accessarea/{area.pk}/edit/", "ent-access-area-edit"),
        ("/vehicles/worker/", "ent-workers"),
    ):
        visit(page, problems, f"{site}{path}", f"vehicles-{shot}")
    if reservation is not None:
        visit(page, problems, f"{site}/vehicles/reservations/{reservation.pk}/", "vehicles-ent-reservation")
    logout(page)

    login(page, site, "inspector")
    truck = Vehicle.objects.get(plate="冀B12345")
    overstay = Alarm.objects.get(alarm_type="overstay")
    for path, shot in (
        ("/vehicles/vehicle/", "vehicles"),
        (f"/vehicles/vehicle/{truck.pk}/", "vehicle"),
        (f"/vehicles/vehicle/{truck.pk}/edit/", "vehicle-edit"),
        ("/vehicles/carrier/", "carriers"),
        ("/vehicles/crew/", "crew"),
        ("/vehicles/blacklist/", "blacklist"),
        ("/vehicles/gate/", "gates"),
        ("/vehicles/in-park/", "in-park"),
        ("/monitoring/alarms/", "alarms-with-overstay"),
    ):
        visit(page, problems, f"{site}{path}", f"vehicles-{shot}")
    visit(
        page,
        problems,
        f"{site}/monitoring/alarms/{overstay.pk}/",
        "vehicles-overstay-alarm",
        "[data-testid=alarm-map][data-loaded=true]",
    )
    visit(page, problems, f"{site}/", "vehicles-onemap", "#map[data-loaded=true]")
