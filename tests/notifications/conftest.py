"""Local peers of the notification channels: an SMTP server (aiosmtpd), a fake Alibaba Cloud SMS
gateway that checks each request's signature, and a group-robot webhook that records messages; the
officer and leader on duty with their addresses, and alarms raised and escalated."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import orjson
import pytest
import time_machine
from aiosmtpd.controller import Controller

from chempark.command.duty_services import shift_create
from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.monitoring.config_services import point_create
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Alarm, Point, Transport
from chempark.monitoring.services import IncomingMessage, alarms_escalate, ingest_messages
from chempark.notifications.aliyun_sms import signature
from chempark.notifications.models import Contact
from tests.conftest import SmallPark
from tests.monitoring.conftest import point_values

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


# The escalation chain's setting, shared by the escalation and subscription tests.
RAISED = datetime(2027, 6, 3, 6, 30, tzinfo=UTC)  # 14:30 in the park
ESCALATED = RAISED + timedelta(minutes=15)  # monitoring's acknowledgement limit (900 s)
OFFICER_MAIL, LEADER_MAIL = "dispatcher@bureau.example", "admin@bureau.example"
OFFICER_PHONE, LEADER_PHONE = "13800000001", "13800000002"


@pytest.fixture
def on_duty(park: SmallPark) -> SmallPark:
    for role, mail, phone in [
        (Role.DISPATCHER, OFFICER_MAIL, OFFICER_PHONE),
        (Role.BUREAU_ADMIN, LEADER_MAIL, LEADER_PHONE),
    ]:
        user = park.users[role]
        user.email = mail
        user.save(update_fields=["email"])
        Contact.objects.create(user=user, phone=phone)
    shift_create(
        actor=SYSTEM,
        starts_at=RAISED - timedelta(hours=6),
        ends_at=RAISED + timedelta(hours=18),
        leader=park.users[Role.BUREAU_ADMIN].pk,
        officers=[park.users[Role.DISPATCHER].pk],
    )
    return park


@pytest.fixture
def channels(
    configure: Callable[..., Any], smtp_server: tuple[str, Mailbox], gateway: tuple[str, Gateway]
) -> tuple[Mailbox, Gateway]:
    smtp_url, mailbox = smtp_server
    base, state = gateway
    configure(
        smtp_url=smtp_url,
        sms_url=f"{base}/sms",
        sms_access_key_id="key-id",
        sms_access_key_secret=SMS_SECRET,
        sms_sign_name="园区应急",
        sms_template_code="SMS_1",
        webhook_urls=(f"{base}/robot/send?access_token=abc",),
        escalation_minutes=("0", "15", "30"),
    )
    return mailbox, state


def raise_alarms(park: SmallPark, count: int = 1) -> list[Alarm]:
    points: list[Point] = [
        point_create(actor=SYSTEM, values=point_values(park.enterprise_a, park.unit_a, f"LT-{i}")) for i in range(count)
    ]
    readings = [{"point": p.code, "ts": datetime_to_ms(RAISED), "value": 9.5} for p in points]
    with time_machine.travel(RAISED, tick=False):
        message = IncomingMessage(orjson.dumps({"readings": readings}), park.enterprise_a.pk)
        ingest_messages(actor=SYSTEM, messages=[message], transport=Transport.DEMO)
    with time_machine.travel(ESCALATED, tick=False):
        alarms_escalate(actor=SYSTEM, now=ESCALATED)
    alarms = list(Alarm.objects.filter(escalated_at__isnull=False))
    assert len(alarms) == count
    return alarms
