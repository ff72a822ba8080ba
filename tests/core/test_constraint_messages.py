"""Database refusals reach users in Chinese: every check and conditional uniqueness has a sentence;
a uniqueness names its fields by their Chinese labels and says what to do; no constraint name, table,
column or "UNIQUE constraint failed" reaches the API's error answer or a page — whether the model's
validators find the problem first or the database refuses the row (a race)."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

from chempark.core.integrity import CONSTRAINT_MESSAGES, constraint_refusal, integrity_refusal, unique_message
from chempark.core.roles import Role
from chempark.hazards.models import MajorHazard
from chempark.incidents.models import RoadNode, RoadSegment
from chempark.park.models import Enterprise, Inventory, Unit
from tests.conftest import SmallPark

RAW = re.compile(r"constraint|UNIQUE|CHECK|NOT NULL|_unique|_id\b|\b[a-z]+_[a-z_]+\b", re.IGNORECASE)


def assert_chinese(text: str, *expected: str) -> None:
    assert not RAW.search(text), text
    for part in expected:
        assert part in text, (part, text)


def every_constraint() -> list[tuple[type[models.Model], Any]]:
    return [(m, c) for m in apps.get_models() for c in m._meta.constraints]


def test_every_check_and_conditional_uniqueness_has_a_sentence() -> None:
    for model, constraint in every_constraint():
        if isinstance(constraint, models.CheckConstraint) or getattr(constraint, "condition", None) is not None:
            assert constraint.name in CONSTRAINT_MESSAGES, f"{model.__name__}.{constraint.name} has no sentence"
    named = {c.name for _m, c in every_constraint()}
    assert set(CONSTRAINT_MESSAGES) <= named, "a sentence for a constraint that no longer exists"


def test_every_uniqueness_names_its_fields_in_chinese() -> None:
    for model, constraint in every_constraint():
        refusal = constraint_refusal(model, constraint.name)
        assert refusal is not None, constraint.name
        assert_chinese(refusal.message)
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.unique and not field.primary_key:
                message = unique_message(model, (field.name,))
                assert_chinese(message, str(field.verbose_name), str(model._meta.verbose_name))


def refused(write: Callable[[], Any]) -> IntegrityError:
    """The database's own refusal of ``write`` (the model's validators are not run)."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    return caught.value


def test_the_databases_refusals_read_in_chinese(park: SmallPark) -> None:
    duplicate_uscc = refused(
        lambda: Enterprise.objects.create(park=park.park, name="重复", uscc=park.enterprise_a.uscc, lon=118.2, lat=39.2)
    )
    assert_chinese(integrity_refusal(duplicate_uscc).message, "统一社会信用代码", "企业", "请换一个")
    assert integrity_refusal(duplicate_uscc).fields == ("uscc",)

    duplicate_code = refused(
        lambda: Unit.objects.create(
            enterprise=park.enterprise_a, code=park.unit_a.code, name="重复", kind="storage", lon=118.2, lat=39.2
        )
    )
    refusal = integrity_refusal(duplicate_code)
    assert_chinese(refusal.message, "同一企业下", "「单元编码」", str(Unit._meta.verbose_name))
    assert refusal.fields == ("enterprise", "code")

    def overfull() -> None:
        Inventory.objects.filter(pk=park.inventory_a.pk).update(current_t=Decimal("999999"), design_max_t=1)

    assert_chinese(integrity_refusal(refused(overfull)).message, "当前存量不能大于设计最大量")

    hazard = MajorHazard.objects.get(unit=park.unit_a)

    def second_open_record() -> None:
        hazard.pk = None  # the same unit's open record, copied
        hazard.save()

    second = refused(second_open_record)
    assert_chinese(integrity_refusal(second).message, "未核销的重大危险源")

    a, b = RoadNode.objects.create(lon=118.1, lat=39.1), RoadNode.objects.create(lon=118.2, lat=39.2)
    stopped = refused(lambda: RoadSegment.objects.create(name="一号路", a=a, b=b, length_m=10, speed_kmh=0))
    assert_chinese(integrity_refusal(stopped).message, "通行速度须大于 0")
    no_name = refused(lambda: Enterprise.objects.create(park=park.park, name=None, uscc="X", lon=1, lat=1))
    assert_chinese(integrity_refusal(no_name).message, "「企业名称」为必填项")


def unit_payload(park: SmallPark, **changes: Any) -> dict[str, Any]:
    return {
        "enterprise": park.enterprise_a.pk,
        "code": park.unit_a.code,
        "name": "二号罐区",
        "kind": "storage",
        "lon": 118.2,
        "lat": 39.2,
        "description": "",
        **changes,
    }


@pytest.fixture(params=["validators", "database"])
def refused_by(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run each case twice: the model's validators find the problem, or (a race) only the database does."""
    if request.param == "database":
        monkeypatch.setattr(models.Model, "full_clean", lambda self, *a, **k: None)
    return str(request.param)


def test_the_api_answers_a_refusal_in_chinese(park: SmallPark, api: Any, refused_by: str) -> None:
    client = api(Role.INSPECTOR)
    units = Unit.objects.count()
    answer = client.call("POST", "/units", unit_payload(park))
    body = answer.json()
    assert answer.status_code == 422 and body["code"] in ("validation_error", "integrity_error"), body
    assert_chinese(body["message"], "同一企业下", "「单元编码」", "请换一个")
    assert set(body["details"]) & {"code", "__all__"}, "the details are keyed as the API's vocabulary says"
    assert Unit.objects.count() == units

    duplicate = client.call(
        "POST",
        "/enterprises",
        {
            "park": park.park.pk,
            "name": "重复企业",
            "uscc": park.enterprise_a.uscc,
            "kind": "production",
            "lon": 118.2,
            "lat": 39.2,
        },
    )
    assert duplicate.status_code == 422
    assert_chinese(duplicate.json()["message"], "统一社会信用代码")

    overfull = client.call("PATCH", f"/inventories/{park.inventory_a.pk}", {"current_t": 999999})
    assert overfull.status_code == 422
    assert_chinese(overfull.json()["message"], "当前存量不能大于设计最大量", "请核对")


def test_a_page_shows_a_refusal_in_chinese(park: SmallPark, client: Any, refused_by: str) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    units = Unit.objects.count()
    form = dict(unit_payload(park).items())
    response = client.post("/registry/unit/new/", form)
    html = response.content.decode()
    assert response.status_code == 422, response.status_code
    visible = re.sub(r"<[^>]+>", " ", html)
    assert "同一企业下" in visible and "「单元编码」" in visible and "请换一个" in visible
    assert visible.count("同一企业下") == 1, "said once, in the form's alert box"
    assert "UNIQUE" not in html and "unit_code_unique_in_enterprise" not in html and "park_unit" not in html
    assert Unit.objects.count() == units


def test_an_unforeseen_database_refusal_on_a_page_is_a_chinese_422(
    park: SmallPark, client: Any, monkeypatch: Any
) -> None:
    """A write outside the shared save step still never shows the database's text."""
    from chempark.park import views

    def racing(*args: Any, **kwargs: Any) -> Any:
        raise refused(
            lambda: Enterprise.objects.create(
                park=park.park, name="重复", uscc=park.enterprise_a.uscc, lon=118.2, lat=39.2
            )
        )

    monkeypatch.setattr(views.services, "registry_delete", racing)
    client.force_login(park.users[Role.INSPECTOR])
    response = client.post(f"/registry/unit/{park.unit_b.pk}/delete/")
    html = response.content.decode()
    assert response.status_code == 422
    assert "统一社会信用代码" in html and "UNIQUE" not in html and "park_enterprise" not in html
