"""The built-in RTSP → HLS gateway: one ffmpeg per watched camera, shared by its viewers.

Browsers cannot play RTSP. When someone opens a camera, :meth:`Gateway.watch` starts (once) an
ffmpeg that pulls the camera's stream and writes a rolling HLS playlist of one-second segments into
``<root>/<camera id>/``; every later viewer reuses it. Each request for the playlist or a segment
counts as a viewer's heartbeat (:meth:`Gateway.touch`); a supervisor thread stops the ffmpeg once no
viewer has asked for ``idle_s`` seconds, and reports a stream that does not answer — ffmpeg exits,
or no playlist appears within ``start_timeout_s`` — as :attr:`StreamState.FAILED` with the reason.
A failed stream is retried by the next viewer after ``start_timeout_s`` (the back-off), so a dead
camera costs one ffmpeg start per back-off, not one per page view.

Nothing here waits for ffmpeg: ``watch`` returns at once with the state, so neither a page nor the
alarm pipeline is ever blocked by a camera. Pure (no Django): the web layer maps states to text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

PLAYLIST = "index.m3u8"
_STDERR = "ffmpeg.log"
_POLL_S = 0.5


class StreamState(StrEnum):
    STARTING = "starting"  # ffmpeg runs, no playlist yet
    PLAYING = "playing"  # the playlist is there
    FAILED = "failed"  # ffmpeg exited or produced nothing in time; see the reason


class FailureReason(StrEnum):
    EXITED = "exited"  # ffmpeg ended (connection refused, 404, unsupported codec…)
    NO_PLAYLIST = "no_playlist"  # ffmpeg ran but wrote no playlist within the start timeout
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


def mask_credentials(text: str) -> str:
    """``text`` with the user and password of every URL in it replaced by ``***``."""
    return re.sub(r"([a-z][a-z0-9+.-]*://)[^/@\s]+@", r"\1***@", text, flags=re.IGNORECASE)


@dataclass
class _Stream:
    source: str
    directory: Path
    process: subprocess.Popen[bytes] | None
    started: float
    last_viewer: float
    status: StreamStatus = field(default_factory=lambda: StreamStatus(StreamState.STARTING))
    failed_at: float = 0.0


class Gateway:
    """The running ffmpegs of one web process, by camera id, with their supervisor thread."""

    def __init__(
        self,
        root: Path,
        *,
        ffmpeg: str = "ffmpeg",
        transcode: bool = False,
        start_timeout_s: float = 15.0,
        idle_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.root = root
        self.ffmpeg = ffmpeg
        self.transcode = transcode
        self.start_timeout_s = start_timeout_s
        self.idle_s = idle_s
        self.clock = clock
        self._streams: dict[int, _Stream] = {}
        self._lock = threading.Lock()
        self._supervisor: threading.Thread | None = None
        self._stop = threading.Event()

    def watch(self, camera: int, source: str) -> StreamStatus:
        """The camera's stream state for a viewer, starting its ffmpeg when none runs (or when a
        failure is older than the back-off, or the camera's address changed)."""
        now = self.clock()
        with self._lock:
            stream = self._streams.get(camera)
            if stream is not None and stream.source != source:
                self._end(camera, stream)
                stream = None
            failed_long_ago = (
                stream is not None
                and stream.status.state is StreamState.FAILED
                and now - stream.failed_at >= self.start_timeout_s
            )
            if stream is None or failed_long_ago:
                stream = self._start(camera, source, now)
                self._streams[camera] = stream
            stream.last_viewer = now
            self._check(stream, now)
            self._ensure_supervisor()
            return stream.status

    def touch(self, camera: int) -> bool:
        """Count a request for the playlist or a segment as a viewer; False when no stream runs."""
        with self._lock:
            stream = self._streams.get(camera)
            if stream is None or stream.process is None:
                return False
            stream.last_viewer = self.clock()
            return True

    def file(self, camera: int, name: str) -> Path | None:
        """The playlist or a segment of a running stream, or None. Only the names ffmpeg writes are
        served, so no path can leave the camera's directory."""
        if not (name == PLAYLIST or (name.startswith("seg") and name.endswith(".ts") and name[3:-3].isdigit())):
            return None
        if not self.touch(camera):
            return None
        path = self.root / str(camera) / name
        return path if path.is_file() else None

    def supervise(self) -> None:
        """One round of the supervisor: note failures and stop idle streams."""
        now = self.clock()
        with self._lock:
            for camera, stream in list(self._streams.items()):
                self._check(stream, now)
                if now - stream.last_viewer >= self.idle_s:
                    self._end(camera, stream)

    def stop_all(self) -> None:
        self._stop.set()
        with self._lock:
            for camera, stream in list(self._streams.items()):
                self._end(camera, stream)

    def _start(self, camera: int, source: str, now: float) -> _Stream:
        directory = self.root / str(camera)
        shutil.rmtree(directory, ignore_errors=True)  # a stale playlist would pass for a live one
        directory.mkdir(parents=True)
        stream = _Stream(source, directory, None, now, now)
        try:
            with (directory / _STDERR).open("wb") as log:
                stream.process = subprocess.Popen(  # noqa: S603 - a fixed executable, arguments as a list
                    ffmpeg_command(self.ffmpeg, source, directory, transcode=self.transcode),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=log,
                )
        except OSError as exc:
            self._fail(stream, FailureReason.NOT_STARTED, str(exc), now)
        return stream

    def _check(self, stream: _Stream, now: float) -> None:
        if stream.process is None:
            return
        code = stream.process.poll()
        if code is not None:
            self._fail(stream, FailureReason.EXITED, self._last_error(stream) or f"exit {code}", now)
        elif (stream.directory / PLAYLIST).is_file():
            stream.status = StreamStatus(StreamState.PLAYING)
        elif now - stream.started >= self.start_timeout_s:
            self._kill(stream)
            self._fail(stream, FailureReason.NO_PLAYLIST, self._last_error(stream), now)

    def _fail(self, stream: _Stream, reason: FailureReason, detail: str, now: float) -> None:
        stream.status = StreamStatus(StreamState.FAILED, reason, detail)
        stream.failed_at = now
        stream.process = None

    def _end(self, camera: int, stream: _Stream) -> None:
        self._kill(stream)
        del self._streams[camera]
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

    def _ensure_supervisor(self) -> None:
        """Called under the lock; the supervisor clears ``_supervisor`` under the same lock as it
        ends, so a stream added while it is ending always gets a new one."""
        if self._supervisor is None:
            self._stop.clear()
            self._supervisor = threading.Thread(target=self._run, name="video-gateway", daemon=True)
            self._supervisor.start()

    def _run(self) -> None:
        while not self._stop.wait(_POLL_S):
            self.supervise()
            with self._lock:
                if not self._streams:
                    self._supervisor = None
                    return
        with self._lock:
            self._supervisor = None
