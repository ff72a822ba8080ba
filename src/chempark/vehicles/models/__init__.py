"""The closed park's vehicles and people: the hazmat transport registry, reservations, gates and
personnel access control. One module per part; all models are importable from here."""

from chempark.vehicles.models.registry import (
    BlacklistEntry,
    BlacklistTarget,
    Carrier,
    CrewDuty,
    CrewMember,
    Vehicle,
    VehicleType,
)

__all__ = ["BlacklistEntry", "BlacklistTarget", "Carrier", "CrewDuty", "CrewMember", "Vehicle", "VehicleType"]
