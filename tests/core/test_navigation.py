"""Pages per role: the menu offers only pages the role can use, a login lands on one of them, and
the auditor and the security administrator are refused every business page (three-role separation).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import get_script_prefix, include, path, set_script_prefix

from chempark.core import navigation
from chempark.core.roles import Role
from chempark.emergency.models import QraStudy
from tests.conftest import PASSWORD, SmallPark

PERSONS = [r for r in Role if r is not Role.MACHINE]
LANDING = {
    # the bureau lands on the command overview (duty, alarms to act on, figures, risk ranking), an
    # enterprise user on its workbench (today's commitment, own alarms, overdue checks)
    Role.BUREAU_ADMIN: "/command/overview/",
    Role.INSPECTOR: "/command/overview/",
    Role.DISPATCHER: "/command/overview/",
    Role.EXPERT: "/command/overview/",
    Role.ENTERPRISE: "/command/workbench/",
    Role.AUDITOR: "/accounts/audit/",
    Role.SECURITY_ADMIN: "/accounts/users/",
    Role.FINANCE: "/budget/",
    Role.SERVICE_ORG: "/supervision/dangers/",  # a service organisation works on hidden dangers only
}
SEPARATED = {Role.AUDITOR, Role.SECURITY_ADMIN}
# the security administrator's credentials besides users and tokens: the broker accounts
MENU_AFTER_LANDING = {Role.SECURITY_ADMIN: ["/monitoring/broker-accounts/"]}


def business_pages(park: SmallPark) -> list[str]:
    study = QraStudy.objects.create(park=park.park, name="研究")
    return [
        "/registry/enterprise/",
        "/registry/enterprise/export.xlsx",
        f"/registry/enterprise/{park.enterprise_a.pk}/",
        "/registry/tank/",
        "/registry/import/",
        "/registry/import/template.xlsx",
        "/hazards/",
        "/hazards/supervision/",
        "/hazards/commitments/",
        "/monitoring/alarms/",
        "/monitoring/points/",
        "/monitoring/indicators/",
        "/monitoring/live/",
        "/emergency/simulation/",
        "/emergency/qra/",
        f"/emergency/qra/{study.pk}/",
        "/budget/",
        "/budget/activities/",
    ]


def menu_links(html: str) -> list[str]:
    sidebar = re.search(r'<nav class="sidebar".*?</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', sidebar.group(0)) if sidebar else []


@pytest.mark.parametrize("role", PERSONS, ids=lambda r: r.value)
def test_login_lands_on_a_usable_page_and_every_menu_entry_opens(park: SmallPark, role: Role) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": role.value, "password": PASSWORD})
    assert response.status_code == 302
    landing = response["Location"]
    assert landing == LANDING[role], role
    page = client.get(landing)
    assert page.status_code == 200, (role, landing)
    links = menu_links(page.content.decode())
    assert links and landing == links[0], role
    for link in links:
        assert client.get(link).status_code == 200, (role, link)


@pytest.mark.parametrize("role", sorted(SEPARATED), ids=lambda r: r.value)
def test_auditor_and_security_admin_get_no_business_page(park: SmallPark, role: Role) -> None:
    client = Client()
    client.force_login(park.users[role])
    for url in business_pages(park):
        assert client.get(url).status_code == 403, (role, url)
    root = client.get("/")
    assert root.status_code == 302 and root["Location"] == LANDING[role]
    links = menu_links(client.get(LANDING[role]).content.decode())
    assert links == [LANDING[role], *MENU_AFTER_LANDING.get(role, [])]


def test_the_bureau_still_gets_them(park: SmallPark) -> None:
    client = Client()
    client.force_login(park.users[Role.BUREAU_ADMIN])
    for url in business_pages(park):
        if url != "/monitoring/live/":  # a stream: its status is enough
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.ENTERPRISE], ids=lambda r: r.value)
def test_the_site_address_leads_to_the_landing_page_and_the_map_stays_in_the_menu(park: SmallPark, role: Role) -> None:
    """Typing the site's address sends one to the login with ``next=/``: that means "where I work"
    (the landing page), not the bare map; the one-map is still a menu entry and still at ``/``."""
    client = Client()
    assert client.get("/")["Location"].startswith("/accounts/login/")
    response = client.post("/accounts/login/?next=/", {"username": role.value, "password": PASSWORD})
    assert response["Location"] == LANDING[role]
    page = client.get(LANDING[role]).content.decode()
    assert "/" in menu_links(page) and f'class="brand" href="{LANDING[role]}"' in page
    assert client.get("/").status_code == 200  # the one-map itself
    kept = client.post("/accounts/logout/") and Client()
    answer = kept.post("/accounts/login/?next=/monitoring/alarms/", {"username": role.value, "password": PASSWORD})
    assert answer["Location"] == "/monitoring/alarms/"  # any other page asked for is kept


urlpatterns = [path("park/", include("chempark.urls"))]  # this module as a URL configuration: the site moved


def test_the_menu_addresses_follow_the_url_configuration_and_the_script_prefix(park: SmallPark) -> None:
    """The menu's addresses are reversed once and kept: a site mounted elsewhere (another URL
    configuration, or a script prefix from the proxy) gets its own addresses on the next page."""
    client = Client()
    client.force_login(park.users[Role.BUREAU_ADMIN])
    assert "/monitoring/alarms/" in menu_links(client.get("/monitoring/alarms/").content.decode())
    with override_settings(ROOT_URLCONF=__name__):
        links = menu_links(client.get("/park/monitoring/alarms/").content.decode())
    assert links and all(link.startswith("/park/") for link in links)
    assert "/park/monitoring/alarms/" in links
    previous = get_script_prefix()
    set_script_prefix("/chempark/")
    try:
        assert navigation.href("monitoring:alarm-list") == "/chempark/monitoring/alarms/"
    finally:
        set_script_prefix(previous)
    assert navigation.href("monitoring:alarm-list") == "/monitoring/alarms/"
    links = menu_links(client.get("/monitoring/alarms/").content.decode())
    assert "/monitoring/alarms/" in links and not any(link.startswith("/park/") for link in links)
