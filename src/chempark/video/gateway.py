"""The RTSP → HLS gateway's core: one ffmpeg per wanted camera, restarted with back-off, stopped when
no longer wanted.

Browsers cannot play RTSP. For each camera someone watches, an ffmpeg pulls the camera's stream and
writes a rolling HLS playlist of one-second segments into ``<root>/<camera id>/``. The owner (the
``chempark video-gateway`` service) calls :meth:`Gateway.reconcile` a few times a second with the
cameras viewers want; the gateway starts the missing ffmpegs, ends the unwanted ones, and reports
each wanted camera's :class:`StreamStatus`. A stream that does not answer — ffmpeg exits, no playlist
within ``start_timeout_s``, or a playing stream whose playlist stops moving for as long — is
:attr:`StreamState.FAILED` with the reason, and is tried again after a back-off that doubles with
each failure in a row (``retry_s`` up to ``max_retry_s``), so a dead camera costs one ffmpeg start per
back-off, not one per page view. While it is retried viewers keep seeing why it failed.

Nothing here waits for ffmpeg, and one object serves one process: the service is the only place
ffmpegs run, so a camera watched from several web processes still has one ffmpeg. Pure (no Django).
"""

from __future__ import annotations

import ctypes
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

PLAYLIST = "index.m3u8"
_STDERR = "ffmpeg.log"
_PR_SET_PDEATHSIG = 1


class StreamState(StrEnum):
    STARTING = "starting"  # ffmpeg runs, no playlist yet
    PLAYING = "playing"  # the playlist is there and moving
    FAILED = "failed"  # ffmpeg exited or produced nothing in time; see the reason


class FailureReason(StrEnum):
    EXITED = "exited"  # ffmpeg ended (connection refused, 404, unsupported codec…)
    NO_PLAYLIST = "no_playlist"  # ffmpeg ran but wrote no playlist within the start timeout
    STALLED = "stalled"  # the playlist stopped moving (the camera stopped sending)
    NOT_STARTED = "not_started"  # the ffmpeg executable could not be run


@dataclass(frozen=True)
class StreamStatus:
    state: StreamState
    reason: FailureReason | None = None
    detail: str = ""  # ffmpeg's last error line, for the operator


def ffmpeg_command(ffmpeg: str, source: str, out_dir: Path, *, transcode: bool) -> list[str]:
    """The ffmpeg command line. H.264 cameras are copied (no CPU cost); ``transcode`` re-encodes with
    x264 ultrafast for cameras a browser cannot decode (H.265). Audio is dropped: cameras send G.711,
    which HLS cannot carry, and a control room watches without sound."""
    command = [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error"]
    if source.startswith(("rtsp://", "rtsps://")):
        command += ["-rtsp_transport", "tcp"]
    command += ["-i", source, "-an"]
    if transcode:
        command += ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25"]
    else:
        command += ["-c:v", "copy"]
    command += [
        "-f", "hls", "-hls_time", "1", "-hls_list_size", "6",
        "-hls_flags", "delete_segments+independent_segments",
        "-hls_segment_filename", str(out_dir / "seg%06d.ts"),
        str(out_dir / PLAYLIST),
    ]  # fmt: skip
    return command


def is_hls_file_name(name: str) -> bool:
    """The playlist or one of ffmpeg's segments: the only names served, so no request can reach
    another path."""
    return name == PLAYLIST or (name.startswith("seg") and name.endswith(".ts") and name[3:-3].isdigit())


def mask_credentials(text: str) -> str:
    """``text`` with the user and password of every URL in it replaced by ``***``."""
    return re.sub(r"([a-z][a-z0-9+.-]*://)[^/@\s]+@", r"\1***@", text, flags=re.IGNORECASE)


def _die_with_parent_hook() -> Callable[[], None] | None:
    """What the child runs before ffmpeg starts: on Linux, ask the kernel to send it SIGTERM when the
    gateway dies, even by SIGKILL, so a killed gateway leaves no ffmpeg writing into a directory
    nobody serves. The C library is looked up here, in the parent: between fork and exec the child
    may do no more than the one call."""
    if sys.platform != "linux":
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl

    def hook() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)

    return hook


@dataclass
class _Stream:
    source: str
    directory: Path
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    status: StreamStatus = field(default_factory=lambda: StreamStatus(StreamState.STARTING))
    failures: int = 0  # in a row; reset once the stream plays
    retry_at: float = 0.0
    playlist_mtime: int = 0  # the playlist's last seen modification, and when it was seen changing
    playlist_moved: float = 0.0


class Gateway:
    """The ffmpegs of the gateway service, by camera id."""

    def __init__(
        self,
        root: Path,
        *,
        ffmpeg: str = "ffmpeg",
        transcode: bool = False,
        start_timeout_s: float = 15.0,
        retry_s: float = 5.0,
        max_retry_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.root = root
        self.ffmpeg = ffmpeg
        self.transcode = transcode
        self.start_timeout_s = start_timeout_s
        self.retry_s = retry_s
        self.max_retry_s = max_retry_s
        self.clock = clock
        self._streams: dict[int, _Stream] = {}
        self._child_hook = _die_with_parent_hook()

    def reconcile(self, wanted: Mapping[int, str]) -> dict[int, StreamStatus]:
        """Make the running ffmpegs match ``wanted`` (camera id → source address): end those no longer
        wanted (or whose address changed), start the missing ones, check the running ones and retry
        failed ones whose back-off is over. Returns the status of every wanted camera."""
        now = self.clock()
        for camera in [camera for camera in self._streams if camera not in wanted]:
            self._end(camera)
        statuses = {}
        for camera, source in wanted.items():
            stream = self._streams.get(camera)
            if stream is not None and stream.source != source:
                self._end(camera)
                stream = None
            if stream is None:
                stream = self._streams[camera] = _Stream(source, self.root / str(camera))
                self._launch(stream, now)
            elif stream.process is None and now >= stream.retry_at:
                self._launch(stream, now)  # the last failure stays shown until this attempt plays
            self._check(stream, now)
            statuses[camera] = stream.status
        return statuses

    def running(self) -> dict[int, int]:
        """Camera id → pid of its live ffmpeg."""
        return {
            camera: stream.process.pid
            for camera, stream in self._streams.items()
            if stream.process is not None and stream.process.poll() is None
        }

    def stop_all(self) -> None:
        """End every ffmpeg: all are asked at once, then each is waited for (and killed after 3 s)."""
        for stream in self._streams.values():
            if stream.process is not None and stream.process.poll() is None:
                stream.process.terminate()
        for camera in list(self._streams):
            self._end(camera)

    def clear_root(self) -> None:
        """Remove what an earlier gateway left in the root (it died without cleaning up): a stale
        playlist must never pass for a live one."""
        if self.root.is_dir():
            for entry in self.root.iterdir():
                if entry.is_dir() and entry.name.isdigit() and int(entry.name) not in self._streams:
                    shutil.rmtree(entry, ignore_errors=True)

    def _launch(self, stream: _Stream, now: float) -> None:
        shutil.rmtree(stream.directory, ignore_errors=True)  # a stale playlist would pass for a live one
        stream.directory.mkdir(parents=True)
        stream.started = now
        stream.playlist_mtime = 0
        try:
            with (stream.directory / _STDERR).open("wb") as log:
                stream.process = subprocess.Popen(  # noqa: S603 - a fixed executable, arguments as a list
                    ffmpeg_command(self.ffmpeg, stream.source, stream.directory, transcode=self.transcode),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=log,
                    preexec_fn=self._child_hook,  # noqa: PLW1509 - one C call; the gateway's loop is single-threaded
                )
        except OSError as exc:
            self._fail(stream, FailureReason.NOT_STARTED, str(exc), now)

    def _check(self, stream: _Stream, now: float) -> None:
        if stream.process is None:
            return
        code = stream.process.poll()
        if code is not None:
            self._fail(stream, FailureReason.EXITED, self._last_error(stream) or f"exit {code}", now)
            return
        try:
            mtime = (stream.directory / PLAYLIST).stat().st_mtime_ns
        except OSError:
            mtime = 0
        if mtime and mtime != stream.playlist_mtime:
            stream.playlist_mtime, stream.playlist_moved = mtime, now
            stream.status = StreamStatus(StreamState.PLAYING)
            stream.failures = 0
        elif mtime and now - stream.playlist_moved >= self.start_timeout_s:
            self._kill(stream)
            self._fail(stream, FailureReason.STALLED, self._last_error(stream), now)
        elif not mtime and now - stream.started >= self.start_timeout_s:
            self._kill(stream)
            self._fail(stream, FailureReason.NO_PLAYLIST, self._last_error(stream), now)

    def _fail(self, stream: _Stream, reason: FailureReason, detail: str, now: float) -> None:
        stream.status = StreamStatus(StreamState.FAILED, reason, detail)
        stream.process = None
        stream.failures += 1
        stream.retry_at = now + min(self.retry_s * 2 ** (stream.failures - 1), self.max_retry_s)

    def _end(self, camera: int) -> None:
        stream = self._streams.pop(camera)
        self._kill(stream)
        shutil.rmtree(stream.directory, ignore_errors=True)

    @staticmethod
    def _kill(stream: _Stream) -> None:
        if stream.process is not None and stream.process.poll() is None:
            stream.process.terminate()
            try:
                stream.process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                stream.process.kill()
                stream.process.wait()

    @staticmethod
    def _last_error(stream: _Stream) -> str:
        """ffmpeg's last error line, with the camera's password (``rtsp://user:pass@…``) masked: the
        line is shown to viewers, who may watch the camera but not log into it."""
        try:
            lines = (stream.directory / _STDERR).read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return mask_credentials(lines[-1])[:300] if lines else ""
