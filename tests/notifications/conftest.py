"""Local peers of the notification channels: an SMTP server (aiosmtpd), a fake Alibaba Cloud SMS
gateway that checks each request's signature, and a group-robot webhook that records messages."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from aiosmtpd.controller import Controller

from chempark.notifications.aliyun_sms import signature

SMS_SECRET = "gateway-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    messages: list[tuple[str, list[str], str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"

    def to(self, address: str) -> list[str]:
        return [body for _f, rcpts, body in self.messages if address in rcpts]


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, Mailbox]]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield f"smtp://127.0.0.1:{controller.port}", mailbox
    controller.stop()


@dataclass
class Gateway:
    requests: list[dict[str, str]] = field(default_factory=list)
    webhooks: list[dict[str, Any]] = field(default_factory=list)
    answer_code: str = "OK"

    def phones(self) -> list[str]:
        return [r["PhoneNumbers"] for r in self.requests]


@pytest.fixture
def gateway() -> Iterator[tuple[str, Gateway]]:
    """``http://…/sms`` answers SendSms (``SignatureDoesNotMatch`` when the signature is wrong);
    ``http://…/robot`` takes a robot message."""
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def _answer(self, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
            sent = params.pop("Signature", "")
            if sent != signature(params, SMS_SECRET):
                self._answer({"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"})
                return
            state.requests.append(params)
            self._answer({"Code": state.answer_code, "Message": "OK" if state.answer_code == "OK" else "refused"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            state.webhooks.append(json.loads(self.rfile.read(length)))
            self._answer({"errcode": 0, "errmsg": "ok"})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", state
    server.shutdown()
    server.server_close()
