"""The gateway's core against a local ffmpeg test-pattern camera, a camera that refuses, one that
accepts but never sends, one that stalls, and a missing ffmpeg. The gateway's clock is the test's, so
start timeouts and back-offs happen when the test says; only ffmpeg's own work takes real time."""

from __future__ import annotations

import contextlib
import os
import signal
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
    is_hls_file_name,
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
    gateway = Gateway(tmp_path, start_timeout_s=10, retry_s=5, max_retry_s=20, clock=clock)
    yield gateway
    gateway.stop_all()


@pytest.fixture(scope="module")
def camera_url() -> Iterator[str]:
    with pattern_camera() as url:
        yield url


def test_plays_the_wanted_cameras_stream_as_hls_and_stops_when_no_longer_wanted(
    gateway: Gateway, clock: Clock, camera_url: str, tmp_path: Path
) -> None:
    status = wait_for(lambda: gateway.reconcile({7: camera_url})[7], StreamState.PLAYING)
    assert status == StreamStatus(StreamState.PLAYING)
    playlist = tmp_path / "7" / PLAYLIST
    segments = [line for line in playlist.read_text().splitlines() if line.endswith(".ts")]
    assert segments, playlist.read_text()
    assert all(is_hls_file_name(name) for name in segments)
    assert (tmp_path / "7" / segments[0]).read_bytes()[:1] == b"\x47"  # an MPEG-TS sync byte
    # asked again (every round of the service), the same ffmpeg goes on
    pid = gateway.running()[7]
    clock.now += 30
    time.sleep(1.2)  # the playlist moves on with ffmpeg's real time: not stalled
    assert gateway.reconcile({7: camera_url})[7].state is StreamState.PLAYING
    assert gateway.running() == {7: pid}
    # no longer wanted: the ffmpeg ends and its files go
    assert gateway.reconcile({}) == {}
    assert gateway.running() == {} and not (tmp_path / "7").exists()
    assert not _alive(pid)


def test_a_new_address_restarts_the_cameras_ffmpeg(gateway: Gateway, camera_url: str) -> None:
    wait_for(lambda: gateway.reconcile({7: camera_url})[7], StreamState.PLAYING)
    pid = gateway.running()[7]
    gateway.reconcile({7: camera_url + "?channel=2"})
    assert gateway.running()[7] != pid and not _alive(pid)


def test_a_refusing_camera_is_reported_with_the_reason_and_retried_with_a_growing_back_off(
    gateway: Gateway, clock: Clock
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"rtsp://127.0.0.1:{port}/camera"
    status = wait_for(lambda: gateway.reconcile({3: url})[3], StreamState.FAILED)
    assert status.state is StreamState.FAILED and status.reason is FailureReason.EXITED
    assert "refused" in status.detail.lower()
    clock.now += 4  # within the first back-off (5 s) the failure stands, no new ffmpeg
    assert gateway.reconcile({3: url})[3] == status and gateway.running() == {}
    clock.now += 1
    assert gateway.reconcile({3: url})[3] == status  # retried: the failure stays shown meanwhile
    assert 3 in gateway.running()
    wait_for(lambda: _fails_again(gateway, 3, url), StreamState.FAILED)
    clock.now += 9  # the second back-off is twice the first
    gateway.reconcile({3: url})
    assert gateway.running() == {}
    clock.now += 1
    gateway.reconcile({3: url})
    assert 3 in gateway.running()


def _fails_again(gateway: Gateway, camera: int, url: str) -> StreamStatus:
    """FAILED once the retry's ffmpeg has exited too (before that the old failure is shown)."""
    status = gateway.reconcile({camera: url})[camera]
    return status if camera not in gateway.running() else StreamStatus(StreamState.STARTING)


def test_a_camera_that_never_sends_fails_after_the_start_timeout(gateway: Gateway, clock: Clock) -> None:
    with socket.socket() as silent:  # accepts the connection, answers nothing
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"rtsp://127.0.0.1:{silent.getsockname()[1]}/camera"
        assert gateway.reconcile({4: url})[4].state is StreamState.STARTING
        pid = gateway.running()[4]
        clock.now += 10
        status = gateway.reconcile({4: url})[4]
    assert status.state is StreamState.FAILED and status.reason is FailureReason.NO_PLAYLIST
    assert not _alive(pid)  # the hanging ffmpeg was ended


def test_a_stream_whose_playlist_stops_moving_is_reported_stalled(
    gateway: Gateway, clock: Clock, tmp_path: Path
) -> None:
    with pattern_camera() as url:
        wait_for(lambda: gateway.reconcile({5: url})[5], StreamState.PLAYING)
        pid = gateway.running()[5]
        os.kill(pid, signal.SIGSTOP)  # ffmpeg hangs: the playlist stops moving
        try:
            time.sleep(1.5)
            gateway.reconcile({5: url})
            clock.now += 10
            status = gateway.reconcile({5: url})[5]
        finally:
            with contextlib.suppress(ProcessLookupError):  # ended by the gateway, as it should be
                os.kill(pid, signal.SIGCONT)
    assert status.state is StreamState.FAILED and status.reason is FailureReason.STALLED
    assert not _alive(pid)


def test_a_missing_ffmpeg_is_reported_not_raised(tmp_path: Path) -> None:
    gateway = Gateway(tmp_path, ffmpeg=str(tmp_path / "no-ffmpeg"))
    status = gateway.reconcile({1: "rtsp://127.0.0.1:1/x"})[1]
    gateway.stop_all()
    assert status.state is StreamState.FAILED and status.reason is FailureReason.NOT_STARTED


def test_only_the_names_ffmpeg_writes_are_hls_files() -> None:
    assert is_hls_file_name("index.m3u8") and is_hls_file_name("seg000012.ts")
    for name in ("../secret.txt", "seg1.mp4", "seg../1.ts", "seg.ts", "index.m3u8/../x", "ffmpeg.log"):
        assert not is_hls_file_name(name)


def test_a_dead_gateways_leftovers_are_cleared(tmp_path: Path) -> None:
    (tmp_path / "9").mkdir()
    (tmp_path / "9" / PLAYLIST).write_text("#EXTM3U")
    Gateway(tmp_path).clear_root()
    assert not (tmp_path / "9").exists()


def _alive(pid: int) -> bool:
    """Whether the process runs (a reaped child no longer exists; a zombie counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


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
