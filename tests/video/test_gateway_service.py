"""``chempark video-gateway`` as production runs it — a process of its own beside the web processes,
on the test database: two web processes (uvicorn) whose viewers watch the same camera lead to one
ffmpeg; a camera that does not answer shows its reason; the database going away is logged and
survived; SIGTERM stops every ffmpeg, and so does killing the service outright."""

from __future__ import annotations

import json
import signal
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from chempark.accounts.models import TokenKind
from chempark.accounts.services import token_issue
from chempark.core.roles import Role
from chempark.video.models import VideoGatewayBeat, VideoStream
from tests.monitoring.test_worker import _take_the_database_away
from tests.video.conftest import camera_at
from tests.video.rtsp_source import pattern_camera
from tests.video.service_processes import WAIT_S, GatewayProcess, WebProcess, ffmpegs_writing_into
from tests.worker_processes import OUTAGE_ENV

pytestmark = pytest.mark.usefixtures("transactional_db")


def wait_until(check: Callable[[], Any], what: str, timeout: float = WAIT_S) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def data_dir(tmp_path: Path, settings: Any) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    return tmp_path / "data"


@pytest.fixture
def live_camera() -> Iterator[str]:
    with pattern_camera() as url:
        yield url


def test_two_web_processes_watching_one_camera_share_one_ffmpeg_and_sigterm_ends_it(
    park: Any, data_dir: Path, tmp_path: Path, live_camera: str
) -> None:
    camera = camera_at(park.enterprise_a, "A-LIVE", url=live_camera)
    _token, raw = token_issue(actor=park.actor(Role.DISPATCHER), name="test", kind=TokenKind.PERSON)
    gateway = GatewayProcess(data_dir, tmp_path / "gateway.log")
    webs = [WebProcess(data_dir, tmp_path / f"web-{n}.log") for n in (1, 2)]
    try:
        stream = f"/api/v1/video/cameras/{camera.pk}/stream"
        most = 0

        def both_playing() -> list[dict[str, Any]] | None:
            nonlocal most
            answers = [json.loads(web.get(stream, raw)[1]) for web in webs]  # each web process's viewer
            most = max(most, len(ffmpegs_writing_into(gateway.root)))
            return answers if all(answer["state"] == "playing" for answer in answers) else None

        answers = wait_until(both_playing, "both viewers playing")
        assert answers[0] == answers[1] and answers[0]["playlist_url"].endswith("/hls/index.m3u8")
        ffmpegs = ffmpegs_writing_into(gateway.root)
        assert list(ffmpegs.values()) == [gateway.process.pid] and most == 1  # one, the service's own
        for web in webs:  # each web process serves the one stream's files
            status, playlist = web.get(answers[0]["playlist_url"], raw)
            assert status == 200 and b"#EXTM3U" in playlist
            segment = next(line for line in playlist.decode().splitlines() if line.endswith(".ts"))
            status, body = web.get(answers[0]["playlist_url"].replace("index.m3u8", segment), raw)
            assert status in (200, 404) and (status == 404 or body[:1] == b"\x47")  # 404: rolled away meanwhile
        assert VideoStream.objects.get(camera=camera).state == "playing"

        gateway.process.send_signal(signal.SIGTERM)
        assert gateway.process.wait(timeout=WAIT_S) == 0
        assert not ffmpegs_writing_into(gateway.root) and not any(gateway.root.iterdir())
        assert "stopped" in gateway.text()
        assert VideoStream.objects.get(camera=camera).state == "idle"
        assert VideoGatewayBeat.objects.get().owner == ""  # let go: a restarted service takes over at once
        told = json.loads(webs[0].get(stream, raw)[1])
        assert (told["state"], told["message"]) == ("failed", "视频网关服务未运行")
    finally:
        for web in webs:
            web.stop()
        gateway.stop()


def test_a_camera_that_does_not_answer_shows_its_reason_and_the_database_going_away_is_survived(
    park: Any, api: Any, data_dir: Path, tmp_path: Path
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        refused = camera_at(park.enterprise_a, "A-REFUSED", url=f"rtsp://127.0.0.1:{probe.getsockname()[1]}/x")
    silent_socket = socket.socket()  # accepts the connection, answers nothing
    silent_socket.bind(("127.0.0.1", 0))
    silent_socket.listen()
    silent = camera_at(park.enterprise_a, "A-SILENT", url=f"rtsp://127.0.0.1:{silent_socket.getsockname()[1]}/x")
    client = api(Role.DISPATCHER)
    gateway = GatewayProcess(data_dir, tmp_path / "gateway.log", start_timeout_s=3, env=OUTAGE_ENV)
    try:

        def failed(camera: Any) -> Callable[[], dict[str, Any] | None]:
            def check() -> dict[str, Any] | None:
                answer: dict[str, Any] = client.call("GET", f"/video/cameras/{camera.pk}/stream").json()
                return answer if answer["state"] == "failed" else None

            return check

        status = wait_until(failed(refused), "the refusing camera's failure")
        assert status["message"] == "视频流无响应：拉流进程已退出" and "refused" in status["detail"].lower()
        status = wait_until(failed(silent), "the silent camera's failure")
        assert status["message"] == "视频流无响应：超时未收到画面"
        assert VideoStream.objects.get(camera=silent).reason == "no_playlist"

        give_back = _take_the_database_away()
        try:
            gateway.wait_logged("database unavailable", times=2)
            assert gateway.process.poll() is None
        finally:
            give_back()
        # back: the loop goes on, taking new demand and writing its answer (until the service beats
        # again, the web may say it is not running: it had not beaten for as long as the outage)
        dead = camera_at(park.enterprise_a, "A-DEAD", url="rtsp://127.0.0.1:9/none")  # the discard port: refused
        exited = "视频流无响应：拉流进程已退出"
        wait_until(lambda: (failed(dead)() or {}).get("message") == exited, "the new camera's failure")

        client.call("GET", f"/video/cameras/{silent.pk}/stream")  # still watched: retried after its back-off
        wait_until(lambda: ffmpeg_running_for(gateway.root, silent.pk), "a retry of the silent camera")
        gateway.kill()  # SIGKILL: no clean-up in the service, the kernel ends its ffmpegs
        wait_until(lambda: not ffmpegs_writing_into(gateway.root), "the killed gateway's ffmpegs to end", 10)
    finally:
        gateway.stop()
        silent_socket.close()


def ffmpeg_running_for(root: Path, camera: int) -> bool:
    """Whether an ffmpeg of the service is writing into the camera's directory."""
    directory = str(root / str(camera)).encode()
    return any(directory in Path(f"/proc/{pid}/cmdline").read_bytes() for pid in ffmpegs_writing_into(root))
