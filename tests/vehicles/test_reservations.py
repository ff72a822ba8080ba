"""Reservations: who may ask, the entry conditions refused each with its reason, and the workflow
(409 naming the allowed actions, reasons required, transitions and audit rows kept)."""

from __future__ import annotations

from typing import Any

import pytest

from chempark.accounts.models import AuditEvent
from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.vehicles import workflow
from chempark.vehicles.models import Reservation, ReservationStatus, ReservationTransition
from chempark.vehicles.services import entity_create, entity_update
from tests.vehicles.conftest import Fleet, reservation_values, today


def body(park: Any, fleet: Fleet, **changes: Any) -> dict[str, Any]:
    values = reservation_values(park, fleet, **changes)
    return {**values, "quantity_t": str(values["quantity_t"]), "date": values["date"].isoformat()}


def test_workflow_table_matches_the_model_statuses() -> None:
    assert {s.value for s in workflow.Status} == set(ReservationStatus.values)
    assert workflow.allowed_actions(workflow.Status.REQUESTED) == [workflow.Action.APPROVE, workflow.Action.REFUSE]
    with pytest.raises(workflow.TransitionNotAllowedError) as caught:
        workflow.next_status(workflow.Status.REFUSED, workflow.Action.APPROVE)
    assert caught.value.allowed == []


def test_enterprise_requests_and_bureau_approves(park: Any, fleet: Fleet, api: Any) -> None:
    answer = api(Role.ENTERPRISE).call("POST", "/vehicles/reservations", body(park, fleet))
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert (created["status"], created["enterprise"], created["plate"]) == (
        "requested",
        park.enterprise_a.pk,
        "苏E12345",
    )
    approved = api(Role.INSPECTOR).call(
        "POST", f"/vehicles/reservations/{created['id']}/transition", {"action": "approve"}
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    steps = list(ReservationTransition.objects.filter(reservation_id=created["id"]).values_list("action", "to_status"))
    assert steps == [("request", "requested"), ("approve", "approved")]
    assert AuditEvent.objects.filter(object_type="reservation", object_id=str(created["id"])).count() == 2


def test_enterprise_cannot_approve_nor_reserve_for_another(park: Any, fleet: Fleet, api: Any) -> None:
    client = api(Role.ENTERPRISE)
    created = client.call("POST", "/vehicles/reservations", body(park, fleet)).json()
    assert (
        client.call("POST", f"/vehicles/reservations/{created['id']}/transition", {"action": "approve"}).status_code
        == 403
    )
    other = client.call("POST", "/vehicles/reservations", body(park, fleet, enterprise=park.enterprise_b.pk))
    assert (other.status_code, other.json()["code"]) == (403, "other_enterprise")


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ("permit", "papers_expired", "vehicle"),
        ("certificate", "papers_expired", "escort"),
        ("ban_vehicle", "blacklisted", "vehicle"),
        ("ban_driver", "blacklisted", "driver"),
        ("cargo", "cargo_not_licensed", "chemical"),
        ("un_number", "cargo_not_licensed", "un_number"),
        ("swap_crew", "crew_mismatch", "driver"),
    ],
)
def test_creation_refused_with_a_clear_reason(
    park: Any, fleet: Fleet, api: Any, change: str, code: str, field: str
) -> None:
    changes: dict[str, Any] = {}
    if change == "permit":
        entity_update(actor=SYSTEM, kind="carrier", pk=fleet.carrier.pk, values={"permit_expires": today(-1)})
    elif change == "certificate":
        entity_update(actor=SYSTEM, kind="crew", pk=fleet.escort.pk, values={"certificate_expires": today(-1)})
    elif change == "ban_vehicle":
        entity_create(
            actor=SYSTEM,
            kind="blacklist",
            values={"target": "vehicle", "vehicle": fleet.truck.pk, "reason": "多次违规停车", "starts_on": today(-3)},
        )
    elif change == "ban_driver":
        entity_create(
            actor=SYSTEM,
            kind="blacklist",
            values={
                "target": "person",
                "person": fleet.driver.pk,
                "reason": "超速",
                "starts_on": today(-3),
                "expires_on": today(30),
            },
        )
    elif change == "cargo":
        changes = {"chemical": park.ammonia.pk, "un_number": "1005"}  # enterprise A holds no ammonia
    elif change == "un_number":
        changes = {"un_number": "1005"}
    elif change == "swap_crew":
        changes = {"driver": fleet.escort.pk}
    answer = api(Role.ENTERPRISE).call("POST", "/vehicles/reservations", body(park, fleet, **changes))
    assert answer.status_code == 422, answer.content
    error = answer.json()
    assert error["code"] == code
    assert field in error["details"]
    assert not error["message"].isascii()
    assert not Reservation.objects.exists()


def test_a_ban_that_ended_does_not_refuse(park: Any, fleet: Fleet, api: Any) -> None:
    entity_create(
        actor=SYSTEM,
        kind="blacklist",
        values={
            "target": "vehicle",
            "vehicle": fleet.truck.pk,
            "reason": "旧禁令",
            "starts_on": today(-400),
            "expires_on": today(-35),
        },
    )
    assert api(Role.ENTERPRISE).call("POST", "/vehicles/reservations", body(park, fleet)).status_code == 201


def test_past_dates_and_second_open_reservation_refused(park: Any, fleet: Fleet, api: Any) -> None:
    client = api(Role.ENTERPRISE)
    past = client.call("POST", "/vehicles/reservations", body(park, fleet, date=today(-1)))
    assert (past.status_code, list(past.json()["details"])) == (422, ["date"])
    assert client.call("POST", "/vehicles/reservations", body(park, fleet)).status_code == 201
    again = client.call("POST", "/vehicles/reservations", body(park, fleet))
    assert (again.status_code, again.json()["code"]) == (409, "already_reserved")
    assert client.call("POST", "/vehicles/reservations", body(park, fleet, date=today(1))).status_code == 201


def test_forbidden_transition_names_the_allowed_actions(
    park: Any, fleet: Fleet, approved: Reservation, api: Any
) -> None:
    answer = api(Role.INSPECTOR).call(
        "POST", f"/vehicles/reservations/{approved.pk}/transition", {"action": "refuse", "reason": "x"}
    )
    assert answer.status_code == 409
    error = answer.json()
    assert error["code"] == "transition_not_allowed"
    assert error["details"] == {"status": "approved", "allowed": ["cancel", "use", "expire"]}


def test_refuse_and_cancel_need_a_reason(park: Any, fleet: Fleet, api: Any) -> None:
    created = api(Role.ENTERPRISE).call("POST", "/vehicles/reservations", body(park, fleet)).json()
    path = f"/vehicles/reservations/{created['id']}/transition"
    bare = api(Role.INSPECTOR).call("POST", path, {"action": "refuse", "reason": "  "})
    assert (bare.status_code, bare.json()["code"]) == (422, "reason_required")
    refused = api(Role.INSPECTOR).call("POST", path, {"action": "refuse", "reason": "押运员资质待核实"})
    assert refused.json()["status"] == "refused"
    assert refused.json()["reason"] == "押运员资质待核实"


def test_approval_checks_again(park: Any, fleet: Fleet, api: Any) -> None:
    created = api(Role.ENTERPRISE).call("POST", "/vehicles/reservations", body(park, fleet)).json()
    entity_create(
        actor=SYSTEM,
        kind="blacklist",
        values={"target": "vehicle", "vehicle": fleet.truck.pk, "reason": "违规停车", "starts_on": today()},
    )
    answer = api(Role.INSPECTOR).call(
        "POST", f"/vehicles/reservations/{created['id']}/transition", {"action": "approve"}
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "blacklisted")
    assert Reservation.objects.get(pk=created["id"]).status == "requested"


def test_unused_approved_reservations_expire(park: Any, fleet: Fleet, approved: Reservation) -> None:
    from chempark.vehicles.services import reservations_expire

    assert reservations_expire(actor=SYSTEM) == 0
    Reservation.objects.filter(pk=approved.pk).update(date=today(-1))
    assert reservations_expire(actor=SYSTEM) == 1
    assert Reservation.objects.get(pk=approved.pk).status == "expired"


def test_enterprise_sees_only_its_reservations(park: Any, fleet: Fleet, approved: Reservation, api: Any) -> None:
    assert [r["id"] for r in api(Role.ENTERPRISE).call("GET", "/vehicles/reservations").json()["items"]] == [
        approved.pk
    ]
    assert [r["id"] for r in api(Role.DISPATCHER).call("GET", "/vehicles/reservations").json()["items"]] == [
        approved.pk
    ]
    Reservation.objects.filter(pk=approved.pk).update(enterprise=park.enterprise_b)
    assert api(Role.ENTERPRISE).call("GET", "/vehicles/reservations").json()["items"] == []
    assert api(Role.ENTERPRISE).call("GET", f"/vehicles/reservations/{approved.pk}").status_code == 404
