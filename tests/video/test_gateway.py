"""The built-in RTSP → HLS gateway against a local ffmpeg test-pattern camera, a camera that refuses,
one that accepts but never sends, and a missing ffmpeg. The gateway's clock is the test's, so idle
stops and start timeouts happen when the test says; only ffmpeg's own work takes real time."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from chempark.video.gateway import (
    PLAYLIST,
    FailureReason,
    Gateway,
    StreamState,
    StreamStatus,
    ffmpeg_command,
    mask_credentials,
)
from tests.video.rtsp_source import pattern_camera

REAL_WAIT_S = 20.0  # ffmpeg's start-up on a busy machine; reached only when something is broken


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def wait_for(check: Callable[[], StreamStatus], state: StreamState) -> StreamStatus:
    """Poll the gateway until the real ffmpeg reaches ``state`` (the test's clock does not move)."""
    deadline = time.monotonic() + REAL_WAIT_S
    status = check()
    while status.state is not state and time.monotonic() < deadline:
        time.sleep(0.2)
        status = check()
    return status


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def gateway(tmp_path: Path, clock: Clock) -> Iterator[Gateway]:
    gateway = Gateway(tmp_path, start_timeout_s=10, idle_s=30, clock=clock)
    yield gateway
    gateway.stop_all()


@pytest.fixture(scope="module")
def camera_url() -> Iterator[str]:
    with pattern_camera() as url:
        yield url


def test_plays_the_cameras_stream_as_hls_and_stops_when_nobody_watches(
    gateway: Gateway, clock: Clock, camera_url: str, tmp_path: Path
) -> None:
    status = wait_for(lambda: gateway.watch(7, camera_url), StreamState.PLAYING)
    assert status == StreamStatus(StreamState.PLAYING)
    playlist = gateway.file(7, PLAYLIST)
    assert playlist == tmp_path / "7" / PLAYLIST
    segments = [line for line in playlist.read_text().splitlines() if line.endswith(".ts")]
    assert segments, playlist.read_text()
    segment = gateway.file(7, segments[0])
    assert segment is not None and segment.read_bytes()[:1] == b"\x47"  # an MPEG-TS sync byte
    # a second viewer shares the same ffmpeg
    process = gateway._streams[7].process
    assert gateway.watch(7, camera_url).state is StreamState.PLAYING and gateway._streams[7].process is process

    clock.now += 29  # the segment requests keep it alive...
    assert gateway.file(7, PLAYLIST) is not None
    clock.now += 29
    gateway.supervise()
    assert process is not None and process.poll() is None
    clock.now += 30  # ...and without a viewer for idle_s it stops and cleans up
    gateway.supervise()
    assert process.poll() is not None
    assert gateway.file(7, PLAYLIST) is None and not (tmp_path / "7").exists()


def test_a_refusing_camera_is_reported_with_the_reason_and_retried_after_the_back_off(
    gateway: Gateway, clock: Clock
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"rtsp://127.0.0.1:{port}/camera"
    status = wait_for(lambda: gateway.watch(3, url), StreamState.FAILED)
    assert status.state is StreamState.FAILED and status.reason is FailureReason.EXITED
    assert "refused" in status.detail.lower()
    clock.now += 5  # within the back-off the failure is repeated, no new ffmpeg
    assert gateway.watch(3, url) == status
    clock.now += 10
    assert gateway.watch(3, url).state is StreamState.STARTING  # retried


def test_a_camera_that_never_sends_fails_after_the_start_timeout(gateway: Gateway, clock: Clock) -> None:
    with socket.socket() as silent:  # accepts the connection, answers nothing
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"rtsp://127.0.0.1:{silent.getsockname()[1]}/camera"
        assert gateway.watch(4, url).state is StreamState.STARTING
        process = gateway._streams[4].process
        clock.now += 10
        status = gateway.watch(4, url)
    assert status.state is StreamState.FAILED and status.reason is FailureReason.NO_PLAYLIST
    assert process is not None and process.poll() is not None  # the hanging ffmpeg was ended


def test_a_missing_ffmpeg_is_reported_not_raised(tmp_path: Path) -> None:
    gateway = Gateway(tmp_path, ffmpeg=str(tmp_path / "no-ffmpeg"))
    status = gateway.watch(1, "rtsp://127.0.0.1:1/x")
    gateway.stop_all()
    assert status.state is StreamState.FAILED and status.reason is FailureReason.NOT_STARTED


def test_serves_only_the_files_ffmpeg_writes(gateway: Gateway, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("x")
    for name in ("../secret.txt", "seg1.mp4", "seg../1.ts", "index.m3u8"):
        assert gateway.file(1, name) is None  # and nothing at all while no stream runs


def test_copies_h264_and_transcodes_on_request(tmp_path: Path) -> None:
    copy = ffmpeg_command("ffmpeg", "rtsp://cam/1", tmp_path, transcode=False)
    assert copy[copy.index("-rtsp_transport") + 1] == "tcp" and copy[copy.index("-c:v") + 1] == "copy"
    assert copy[copy.index("-hls_time") + 1] == "1" and copy[copy.index("-hls_list_size") + 1] == "6"
    assert "delete_segments" in copy[copy.index("-hls_flags") + 1]
    transcode = ffmpeg_command("ffmpeg", "http://cam/1.flv", tmp_path, transcode=True)
    assert "-rtsp_transport" not in transcode and transcode[transcode.index("-c:v") + 1] == "libx264"


def test_the_reason_shown_to_viewers_hides_the_cameras_password() -> None:
    line = "rtsp://admin:Hik12345@10.0.0.9:554/Streaming/Channels/101: Connection refused"
    assert mask_credentials(line) == "rtsp://***@10.0.0.9:554/Streaming/Channels/101: Connection refused"
    assert mask_credentials("rtsp://10.0.0.9/1: 404") == "rtsp://10.0.0.9/1: 404"
