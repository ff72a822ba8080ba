"""The gateway service's rounds (``chempark video-gateway``): the viewers' demand in, the ffmpegs
reconciled by the pure :class:`~chempark.video.gateway.Gateway`, each stream's status out.

The web processes write a camera's demand (``VideoStream.wanted_at``, refreshed every few seconds
while a player fetches the playlist); this side never compares that time with its own clock — a
demand is fresh when its value *changed*, seen on this process's monotonic clock — so a web process
on another machine, or a test with its clock set, cannot make a stream run forever or never. A
camera whose demand has not changed for ``idle_s`` is stopped.

Only one gateway service works at a time: it holds the single :class:`VideoGatewayBeat` row and
counts its beats; another one started beside it stands by, and takes over once the count has not
moved for :data:`STALE_S` (the first died without letting go). A service that cannot beat for as
long (its database is away) stops its ffmpegs rather than risk a second gateway running them too.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections.abc import Callable

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from chempark.video.gateway import Gateway, StreamStatus
from chempark.video.models import StreamState, VideoGatewayBeat, VideoStream

log = logging.getLogger("chempark.video")

HEARTBEAT_S = 2.0
STALE_S = 15.0
"""A gateway whose beat count has not moved for this long is gone (it beats every HEARTBEAT_S)."""
BEAT_ROW = 1

_Written = tuple[str, str, str]  # state, reason, detail as last written
_IDLE: _Written = (StreamState.IDLE, "", "")


def _row_values(status: StreamStatus) -> _Written:
    return (status.state.value, status.reason.value if status.reason else "", status.detail[:300])


class Supervisor:
    """One gateway service's view of the database: whether it is the active one, the demand it has
    seen (camera → the last ``wanted_at`` value and when it was seen changing) and the statuses it
    wrote."""

    def __init__(
        self, gateway: Gateway, *, owner: str, idle_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.gateway = gateway
        self.owner = owner
        self.idle_s = idle_s
        self.clock = clock
        self.active = False
        self._beats = 0
        self._last_beat = -math.inf  # when this process last beat successfully
        self._other: tuple[tuple[str, int], float] | None = None  # another gateway's beat, when first seen
        self._seen: dict[int, tuple[dt.datetime, float, str]] = {}  # camera → wanted_at, seen changing, source
        self._fresh_start = True
        self._written: dict[int, _Written] = {}

    def round(self) -> None:
        """Beat, read the demand, reconcile the ffmpegs, write what changed. A database error is
        raised after the ffmpegs were still checked and idle ones stopped on what was last known."""
        now = self.clock()
        error: DatabaseError | None = None
        try:
            if now - self._last_beat >= HEARTBEAT_S:
                self._beat(now)
            if self.active:
                self._read_demand(now)
        except DatabaseError as exc:
            error = exc
        if now - self._last_beat >= STALE_S and self.active:
            log.warning("video gateway %s lost its heartbeat; stopping its streams", self.owner)
            self.active = False
        wanted = {}
        if self.active:
            wanted = {
                camera: source
                for camera, (_, seen, source) in self._seen.items()
                if source and now - seen < self.idle_s
            }
        statuses = self.gateway.reconcile(wanted)
        if not self.active:
            self._seen.clear()
            self._written.clear()
            self._fresh_start = True
        if error is not None:
            raise error
        if self.active:
            self._write(statuses)

    def close(self) -> None:
        """End every ffmpeg, mark their streams idle and let go of the beat (another service can take
        over at once). The ffmpegs end even when the database is away."""
        self.gateway.stop_all()
        if not self.active:
            return
        try:
            wall = timezone.now()
            VideoStream.objects.filter(pk__in=list(self._written)).exclude(state=StreamState.IDLE).update(
                state=StreamState.IDLE, reason="", detail="", changed_at=wall
            )
            VideoGatewayBeat.objects.filter(pk=BEAT_ROW, owner=self.owner).update(owner="", beat_at=wall)
        except DatabaseError as exc:
            log.warning("database unavailable while stopping: %s", exc)
        self.active = False

    def _beat(self, now: float) -> None:
        wall = timezone.now()
        beat = VideoGatewayBeat.objects.filter(pk=BEAT_ROW).first()
        if beat is None:
            try:
                with transaction.atomic():
                    VideoGatewayBeat.objects.create(pk=BEAT_ROW, owner=self.owner, beats=1, beat_at=wall)
            except IntegrityError:
                return  # another service made it first: look again next round
            self._became_active(now, 1)
            return
        if beat.owner == self.owner:
            self._beats = beat.beats + 1
            if not VideoGatewayBeat.objects.filter(pk=BEAT_ROW, owner=self.owner).update(
                beats=self._beats, beat_at=wall
            ):
                self._lose()
            elif self.active:
                self._last_beat = now
            else:  # back after the database was away past STALE_S: start afresh
                self._became_active(now, self._beats)
            return
        if self.active:
            self._lose()
        observed = (beat.owner, beat.beats)
        if beat.owner and (self._other is None or self._other[0] != observed):
            if self._other is None:
                log.info("video gateway %s stands by: %s is active", self.owner, beat.owner)
            self._other = (observed, now)
            return
        if beat.owner and self._other is not None and now - self._other[1] < STALE_S:
            return
        taken = VideoGatewayBeat.objects.filter(pk=BEAT_ROW, owner=beat.owner, beats=beat.beats).update(
            owner=self.owner, beats=beat.beats + 1, beat_at=wall
        )
        if taken:
            if beat.owner:
                log.warning("video gateway %s takes over from %s (no heartbeat)", self.owner, beat.owner)
            self._became_active(now, beat.beats + 1)

    def _became_active(self, now: float, beats: int) -> None:
        """A previous gateway may have died mid-stream: its rows and files describe nothing running."""
        self.active, self._beats, self._last_beat, self._other = True, beats, now, None
        self._fresh_start = True
        self._written.clear()
        VideoStream.objects.exclude(state=StreamState.IDLE).update(
            state=StreamState.IDLE, reason="", detail="", changed_at=timezone.now()
        )
        self.gateway.clear_root()
        log.info("video gateway %s active, HLS in %s", self.owner, self.gateway.root)

    def _lose(self) -> None:
        log.warning("video gateway %s is no longer the active one; stopping its streams", self.owner)
        self.active = False

    def _read_demand(self, now: float) -> None:
        """Note which cameras' demand changed. At a fresh start a demand already in the table counts
        only when it is recent by this machine's clock (best effort: the web's clock may differ);
        otherwise the web's next refresh, a few seconds later, counts."""
        wall = timezone.now()
        seen: dict[int, tuple[dt.datetime, float, str]] = {}
        rows = VideoStream.objects.values_list("camera_id", "wanted_at", "camera__stream_url")
        for camera, wanted_at, source in rows:
            before = self._seen.get(camera)
            if before is not None and before[0] == wanted_at:
                seen[camera] = (wanted_at, before[1], source)
            elif before is None and self._fresh_start:
                recent = abs((wall - wanted_at).total_seconds()) < self.idle_s
                seen[camera] = (wanted_at, now if recent else now - self.idle_s, source)
            else:
                seen[camera] = (wanted_at, now, source)
        self._seen = seen
        self._fresh_start = False

    def _write(self, statuses: dict[int, StreamStatus]) -> None:
        wanted = {camera: _row_values(status) for camera, status in statuses.items()}
        for camera in list(self._written):
            if camera not in wanted and self._written[camera] != _IDLE:
                wanted[camera] = _IDLE
        wall = timezone.now()
        for camera, values in wanted.items():
            if self._written.get(camera) == values:
                continue
            state, reason, detail = values
            VideoStream.objects.filter(pk=camera).update(state=state, reason=reason, detail=detail, changed_at=wall)
            self._written[camera] = values
