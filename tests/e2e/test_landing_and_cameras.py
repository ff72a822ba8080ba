"""Issue 17's remainders in the browser: the bureau lands on the command overview and an enterprise
on its workbench; a camera's video-analytics snapshot reaches the alarm list as a thumbnail and the
alarm page in full; a tower camera's view is edited on a page with its cone redrawn as one types."""

from __future__ import annotations

import io
import time

from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from chempark.accounts.models import TokenKind
from chempark.accounts.services import token_issue
from chempark.core.actors import SYSTEM
from chempark.monitoring.models import Alarm, Camera
from chempark.video.models import CameraKind, CameraView
from tests.e2e.conftest import login, logout, screenshot

SHOWN = (
    "([sel, width]) => { const i = document.querySelector(sel); return i && i.complete && i.naturalWidth >= width; }"
)
"""An image loaded and decoded, at least ``width`` pixels wide."""


def smoke_picture() -> bytes:
    """A 640 × 360 picture of a tank with a plume above it, as an analytics box would send."""
    picture = Image.new("RGB", (640, 360), (150, 190, 230))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 280, 640, 360), fill=(90, 100, 90))
    draw.rectangle((250, 170, 390, 290), fill=(200, 200, 205), outline=(60, 60, 60), width=3)
    for i, r in enumerate((40, 55, 70, 85)):
        draw.ellipse((300 - r + i * 25, 140 - i * 35 - r, 300 + r + i * 25, 140 - i * 35 + r), fill=(110, 110, 110))
    draw.rectangle((230, 20, 470, 300), outline=(255, 40, 40), width=4)  # the detection box
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85)
    return out.getvalue()


def test_each_role_lands_on_its_work(page: Page, demo_site: str) -> None:
    login(page, demo_site, "dispatcher")
    assert page.url == f"{demo_site}/command/overview/"
    expect(page.locator("[data-testid=overview-tiles] [data-tile=alarms]")).to_be_visible()
    expect(page.locator("[data-testid=overview-ranking] tbody tr")).to_have_count(10)
    labels = page.locator("[data-testid=overview-tiles] .label")
    expect(labels.first).to_be_visible()
    cut = labels.evaluate_all("els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)")
    assert not cut, cut  # 「出动中队伍与装备」 was 「出动中队伍与…」
    screenshot(page, "landing-command-overview")
    logout(page)
    login(page, demo_site, "ent1")
    assert page.url == f"{demo_site}/command/workbench/"
    expect(page.get_by_test_id("workbench-commitment")).to_be_visible()
    expect(page.get_by_test_id("workbench-risk")).to_contain_text("/ 100")
    screenshot(page, "landing-enterprise-workbench")


def test_a_snapshot_reaches_the_alarm_list_and_page(page: Page, demo_site: str) -> None:
    camera = Camera.objects.exclude(view__kind=CameraKind.TOWER).order_by("pk").first()
    assert camera is not None
    _token, raw = token_issue(actor=SYSTEM, name="nvr-e2e", kind=TokenKind.MACHINE, enterprise_id=camera.enterprise_id)
    answer = page.request.post(
        f"{demo_site}/api/v1/ingest/video-events",
        headers={"Authorization": f"Bearer {raw}"},
        multipart={
            "camera": camera.code,
            "kind": "smoke",
            "ts": str(int(time.time() * 1000)),
            "confidence": "0.93",
            "snapshot": {"name": "smoke.jpg", "mimeType": "image/jpeg", "buffer": smoke_picture()},
        },
    )
    assert answer.status == 201, answer.text()
    alarm = Alarm.objects.get(pk=answer.json()["alarm"])
    login(page, demo_site, "dispatcher")
    page.goto(f"{demo_site}/monitoring/alarms/")
    row = page.locator(f"tr[data-alarm='{alarm.pk}']")
    expect(row.locator("[data-testid=alarm-thumb] img")).to_be_visible()
    page.wait_for_function(SHOWN, arg=[f"tr[data-alarm='{alarm.pk}'] img", 1])
    screenshot(page, "alarm-list-snapshot-thumbnail")
    row.locator("[data-testid=alarm-thumb]").click()
    page.wait_for_url(f"**/monitoring/alarms/{alarm.pk}/")
    expect(page.get_by_test_id("alarm-snapshot")).to_contain_text("烟雾")
    page.wait_for_function(SHOWN, arg=["[data-testid=alarm-snapshot-image]", 640])
    expect(page.locator("[data-testid=alarm-video] [data-testid=video-player]").first).to_be_attached()
    page.get_by_test_id("alarm-snapshot").scroll_into_view_if_needed()
    screenshot(page, "alarm-page-snapshot")


def test_a_tower_cameras_view_is_edited_with_its_cone_previewed(page: Page, demo_site: str) -> None:
    view = CameraView.objects.filter(kind=CameraKind.TOWER).select_related("camera").order_by("pk").first()
    assert view is not None
    login(page, demo_site, "admin")
    page.goto(f"{demo_site}/video/cameras/{view.camera_id}/")
    page.get_by_test_id("camera-view-edit").click()
    page.wait_for_selector("#view-map[data-loaded=true]")
    expect(page.locator("#view-map")).to_have_attribute("data-preview", "drawn")
    cone = page.locator("#view-map path.edited-cone")
    before = cone.get_attribute("d")
    page.fill("[data-testid=view-heading]", "120")
    page.fill("[data-testid=view-fov]", "45")
    expect(cone).not_to_have_attribute("d", before or "")
    page.fill("[data-testid=view-range]", "30000")  # out of range: nothing drawn, and the server refuses it
    expect(page.locator("#view-map")).to_have_attribute("data-preview", "invalid")
    page.fill("[data-testid=view-range]", "1500")
    expect(page.locator("#view-map")).to_have_attribute("data-preview", "drawn")
    screenshot(page, "camera-view-edit")
    page.get_by_test_id("view-save").click()
    page.wait_for_url(f"**/video/cameras/{view.camera_id}/")
    view.refresh_from_db()
    assert (view.heading_deg, view.fov_deg, view.range_m) == (120.0, 45.0, 1500.0)
