"""The closed park's vehicles and people: the hazmat transport registry, reservations, gates and
personnel access control. One module per part; all models are importable from here."""

from chempark.vehicles.models.access import AccessEvent, AccessGate, AreaKind, EnterpriseArea, Presence, Worker
from chempark.vehicles.models.gates import Direction, Gate, GateDecision, GateEvent, Visit
from chempark.vehicles.models.registry import (
    BlacklistEntry,
    BlacklistTarget,
    Carrier,
    CrewDuty,
    CrewMember,
    Vehicle,
    VehicleType,
)
from chempark.vehicles.models.reservations import Reservation, ReservationStatus, ReservationTransition

__all__ = [
    "AccessEvent",
    "AccessGate",
    "AreaKind",
    "BlacklistEntry",
    "BlacklistTarget",
    "Carrier",
    "CrewDuty",
    "CrewMember",
    "Direction",
    "EnterpriseArea",
    "Gate",
    "GateDecision",
    "GateEvent",
    "Presence",
    "Reservation",
    "ReservationStatus",
    "ReservationTransition",
    "Vehicle",
    "VehicleType",
    "Visit",
    "Worker",
]
