"""A camera on this machine for the tests: ffmpeg's test pattern, served over RTSP.

ffmpeg can publish RTSP (ANNOUNCE/RECORD) but not serve it to a pulling client, and a camera is
pulled. So a small relay stands in for the camera's RTSP server: ffmpeg publishes its test pattern
(H.264, one key frame a second) to the relay over TCP, and every client that connects and says
PLAY gets the publisher's interleaved RTP packets. Only what ffmpeg as publisher and as client
send is understood (OPTIONS, ANNOUNCE, DESCRIBE, SETUP with interleaved TCP, RECORD, PLAY, TEARDOWN).
"""

from __future__ import annotations

import socket
import socketserver
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Relay(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.sdp = b""
        self.sdp_ready = threading.Event()
        self.players: list[socket.socket] = []
        self.lock = threading.Lock()


class _Session(socketserver.StreamRequestHandler):
    server: _Relay

    def handle(self) -> None:
        publishing = False
        while True:
            try:
                lead = self.rfile.read(1)
            except OSError:  # the client went away
                return
            if not lead:
                return
            if lead == b"$":  # an interleaved RTP/RTCP packet: $, channel, length (2 bytes), payload
                header = lead + self.rfile.read(3)
                self._forward(header + self.rfile.read(int.from_bytes(header[2:4], "big")))
                continue
            first = lead + self.rfile.readline()
            headers: dict[str, str] = {}
            while (line := self.rfile.readline().strip()) != b"":
                name, _, value = line.decode().partition(":")
                headers[name.strip().lower()] = value.strip()
            body = self.rfile.read(int(headers.get("content-length", "0")))
            method = first.split()[0].decode()
            extra = ""
            content = b""
            if method == "OPTIONS":
                extra = "Public: OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD, TEARDOWN\r\n"
            elif method == "ANNOUNCE":
                self.server.sdp = body
                self.server.sdp_ready.set()
                publishing = True
            elif method == "DESCRIBE":
                if not self.server.sdp_ready.wait(10):
                    self._reply(headers, "404 Not Found")
                    continue
                content = self.server.sdp
                extra = "Content-Type: application/sdp\r\n"
            elif method == "SETUP":
                extra = f"Transport: {headers.get('transport', '')}\r\nSession: 1\r\n"
            elif method == "PLAY" and not publishing:
                self._reply(headers, "200 OK", "Session: 1\r\n")
                with self.server.lock:
                    self.server.players.append(self.connection)
                continue
            self._reply(headers, "200 OK", extra, content)

    def _reply(self, headers: dict[str, str], status: str, extra: str = "", content: bytes = b"") -> None:
        head = f"RTSP/1.0 {status}\r\nCSeq: {headers.get('cseq', '0')}\r\n{extra}Content-Length: {len(content)}\r\n\r\n"
        self.connection.sendall(head.encode() + content)

    def _forward(self, packet: bytes) -> None:
        with self.server.lock:
            for player in list(self.server.players):
                try:
                    player.sendall(packet)
                except OSError:
                    self.server.players.remove(player)


@contextmanager
def pattern_camera() -> Iterator[str]:
    """An ``rtsp://`` URL playing ffmpeg's test pattern, for as long as the context lasts."""
    relay = _Relay()
    thread = threading.Thread(target=relay.serve_forever, daemon=True)
    thread.start()
    url = f"rtsp://127.0.0.1:{relay.server_address[1]}/camera"
    publisher = subprocess.Popen(
        ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-re",
         "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25",
         "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-g", "25",
         "-f", "rtsp", "-rtsp_transport", "tcp", url],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        if not relay.sdp_ready.wait(15):
            raise RuntimeError("the test-pattern publisher did not start")
        yield url
    finally:
        publisher.terminate()
        publisher.wait(5)
        relay.shutdown()
        relay.server_close()
