"""Where a camera stands is monitoring's data (``Camera.lon/lat``); how it looks (heading, field of
view, range) is the video module's. The video module's view-editing page changes both in one go, but
must not write monitoring's rows itself: monitoring registers its own audited service here in its
``AppConfig.ready`` and the video service calls it inside its transaction."""

from __future__ import annotations

from typing import Protocol

from chempark.core.actors import Actor


class Mover(Protocol):
    def __call__(self, *, actor: Actor, pk: int, lon: float, lat: float) -> None: ...


_MOVER: list[Mover] = []


def register(mover: Mover) -> None:
    _MOVER[:] = [mover]


def move(*, actor: Actor, pk: int, lon: float, lat: float) -> None:
    """Move camera ``pk`` by the registered service (which checks, writes and audits)."""
    if not _MOVER:
        raise RuntimeError("no camera service registered (is chempark.monitoring installed?)")
    _MOVER[0](actor=actor, pk=pk, lon=lon, lat=lat)
