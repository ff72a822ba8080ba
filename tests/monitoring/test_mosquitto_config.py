"""Broker accounts: the ``$7$`` hash Mosquitto itself verifies, the files it reads, and a real
Mosquitto enforcing them — an enterprise publishes only to its own topic, the worker only reads."""

from __future__ import annotations

import io
import stat
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from django.core.management import call_command
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from chempark.accounts.models import AuditEvent
from chempark.core.actors import SYSTEM
from chempark.core.errors import ErrorCode, Forbidden, InvalidInput
from chempark.core.roles import Role
from chempark.monitoring import mosquitto_files as mf
from chempark.monitoring import mqtt_accounts
from chempark.monitoring.models import MqttCredential
from tests.monitoring.broker import Mosquitto

NOT_AUTHORIZED = 135


def test_hash_is_the_one_mosquitto_passwd_writes(tmp_path: Path) -> None:
    path = tmp_path / "pw"
    subprocess.run(["mosquitto_passwd", "-c", "-b", str(path), "alice", "s3cret"], check=True)
    encoded = path.read_text().strip().split(":", 1)[1]
    assert encoded.startswith("$7$101$")
    assert mf.verify_password("s3cret", encoded)
    assert not mf.verify_password("wrong", encoded)
    ours = mf.hash_password("s3cret", salt=b"0123456789ab")
    assert ours.startswith("$7$101$MDEyMzQ1Njc4OWFi$") and mf.verify_password("s3cret", ours)
    assert not mf.verify_password("s3cret", "$6$abc$def")


def test_files_refuse_names_that_would_change_their_meaning() -> None:
    with pytest.raises(ValueError, match="not usable"):
        mf.acl_file([mf.Account("a b", "$7$1$x$y", write=("t",))])
    with pytest.raises(ValueError, match="not usable"):
        mf.password_file([mf.Account("a:b", "$7$1$x$y")])


def test_only_the_security_admin_issues_and_rotation_is_audited(park: Any) -> None:
    for role in (Role.BUREAU_ADMIN, Role.ENTERPRISE, Role.DISPATCHER, Role.AUDITOR):
        with pytest.raises(Forbidden):
            mqtt_accounts.enterprise_credential_issue(actor=park.actor(role), enterprise_id=park.enterprise_a.pk)
    admin = park.actor(Role.SECURITY_ADMIN)
    credential, first = mqtt_accounts.enterprise_credential_issue(actor=admin, enterprise_id=park.enterprise_a.pk)
    assert credential.username == park.enterprise_a.uscc
    assert first not in credential.password_hash and mf.verify_password(first, credential.password_hash)
    _c, second = mqtt_accounts.enterprise_credential_issue(actor=admin, enterprise_id=park.enterprise_a.pk)
    stored = MqttCredential.objects.get(username=park.enterprise_a.uscc)
    assert second != first and mf.verify_password(second, stored.password_hash)
    assert not mf.verify_password(first, stored.password_hash)
    rows = list(AuditEvent.objects.filter(object_type="mqtt_credential").order_by("id"))
    assert [r.before is None for r in rows] == [True, False]
    assert rows[1].actor_role == "security_admin" and "password_hash" not in rows[1].after
    assert first not in str(rows[1].after) and second not in str(rows[1].after)


def test_command_writes_both_files_atomically_with_mode_0600(park: Any, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("mqtt-credential", "--enterprise", park.enterprise_a.uscc, stdout=out)
    assert "password: " in out.getvalue()
    call_command("mqtt-credential", "--ingest", stdout=io.StringIO())
    pw, acl = tmp_path / "passwd", tmp_path / "acl"
    pw.write_text("stale\n")
    call_command("mosquitto-config", "--password-file", str(pw), "--acl-file", str(acl), stdout=io.StringIO())
    for path in (pw, acl):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(line.split(":")[0] for line in pw.read_text().splitlines()) == sorted(
        [park.enterprise_a.uscc, "chempark-ingest"]
    )
    text = acl.read_text()
    assert f"user {park.enterprise_a.uscc}\ntopic write chempark/{park.enterprise_a.uscc}/readings\n" in text
    assert "user chempark-ingest\ntopic read chempark/+/readings\n" in text
    assert list(tmp_path.iterdir()) == [acl, pw] or sorted(tmp_path.iterdir()) == sorted([acl, pw])


def test_the_broker_settings_limit_message_size_to_the_parsers_limit(park: Any, tmp_path: Path) -> None:
    from chempark.monitoring.ingest.payload import DEFAULT_MAX_BYTES

    pw, acl, conf = tmp_path / "passwd", tmp_path / "acl", tmp_path / "chempark.conf"
    call_command(
        "mosquitto-config",
        "--password-file",
        str(pw),
        "--acl-file",
        str(acl),
        "--conf-file",
        str(conf),
        stdout=io.StringIO(),
    )
    lines = conf.read_text().splitlines()
    assert f"message_size_limit {DEFAULT_MAX_BYTES}" in lines
    assert f"password_file {pw}" in lines and f"acl_file {acl}" in lines
    assert stat.S_IMODE(conf.stat().st_mode) == 0o600


class Client:
    """A paho MQTT v5 client that records CONNACK, PUBACK and SUBACK reason codes."""

    def __init__(self, port: int, username: str, password: str, client_id: str) -> None:
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
        self.client.username_pw_set(username, password)
        self.connected = threading.Event()
        self.connack: int | None = None
        self.pubacks: dict[int, int] = {}
        self.subacks: list[int] = []
        self.messages: list[tuple[str, bytes]] = []
        self.changed = threading.Condition()
        self.client.on_connect = self._on_connect
        self.client.on_publish = self._on_publish
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()

    def _on_connect(self, _c: Any, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        self.connack = reason.value
        self.connected.set()

    def _on_publish(self, _c: Any, _u: Any, mid: int, reason: Any, _p: Any) -> None:
        with self.changed:
            self.pubacks[mid] = reason.value
            self.changed.notify_all()

    def _on_subscribe(self, _c: Any, _u: Any, _mid: int, reasons: Any, _p: Any) -> None:
        with self.changed:
            self.subacks.extend(r.value for r in reasons)
            self.changed.notify_all()

    def _on_message(self, _c: Any, _u: Any, message: Any) -> None:
        with self.changed:
            self.messages.append((message.topic, message.payload))
            self.changed.notify_all()

    def wait(self, predicate: Any) -> None:
        with self.changed:
            assert self.changed.wait_for(predicate, timeout=10)

    def publish(self, topic: str, payload: bytes) -> int:
        info = self.client.publish(topic, payload, qos=1, properties=Properties(PacketTypes.PUBLISH))
        self.wait(lambda: info.mid in self.pubacks)
        return self.pubacks[info.mid]

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def secured_broker(tmp_path: Path) -> Iterator[Mosquitto]:
    broker = Mosquitto(tmp_path, extra=f"password_file {tmp_path}/passwd\nacl_file {tmp_path}/acl\n")
    broker.config.write_text(broker.config.read_text().replace("allow_anonymous true", "allow_anonymous false"))
    yield broker
    broker.stop()


def test_real_mosquitto_enforces_the_generated_files(park: Any, secured_broker: Mosquitto, tmp_path: Path) -> None:
    _c, password_a = mqtt_accounts.enterprise_credential_issue(actor=SYSTEM, enterprise_id=park.enterprise_a.pk)
    _c, password_b = mqtt_accounts.enterprise_credential_issue(actor=SYSTEM, enterprise_id=park.enterprise_b.pk)
    _c, worker_password = mqtt_accounts.ingest_credential_issue(actor=SYSTEM)
    mqtt_accounts.mosquitto_config_write(password_file=tmp_path / "passwd", acl_file=tmp_path / "acl")
    secured_broker.start()
    port = secured_broker.port
    uscc_a, uscc_b = park.enterprise_a.uscc, park.enterprise_b.uscc
    clients: list[Client] = []
    try:
        worker = Client(port, "chempark-ingest", worker_password, "worker")
        gateway = Client(port, uscc_a, password_a, "gw-a")
        gateway_b = Client(port, uscc_b, password_b, "gw-b")
        intruder = Client(port, uscc_a, password_a + "x", "gw-a-wrong")
        clients += [worker, gateway, gateway_b, intruder]
        for client in clients:
            assert client.connected.wait(10)
        assert worker.connack == 0 and gateway.connack == 0
        assert intruder.connack != 0, "a wrong password is refused"
        worker.client.subscribe("chempark/+/readings", qos=1)
        worker.wait(lambda: len(worker.subacks) == 1)
        assert worker.subacks == [1]
        # an enterprise may subscribe (Mosquitto 2.0 checks reading at delivery) but is delivered nothing
        gateway.client.subscribe("chempark/+/readings", qos=1)
        gateway.wait(lambda: len(gateway.subacks) == 1)
        assert gateway.publish(f"chempark/{uscc_b}/readings", b"forged") == NOT_AUTHORIZED
        assert gateway.publish(f"chempark/{uscc_a}/readings", b"own") == 0
        assert gateway_b.publish(f"chempark/{uscc_b}/readings", b"own-b") == 0
        worker.wait(lambda: len(worker.messages) >= 2)
        assert sorted(worker.messages) == sorted(
            [(f"chempark/{uscc_a}/readings", b"own"), (f"chempark/{uscc_b}/readings", b"own-b")]
        ), "forged one dropped"
        # the worker's account cannot publish readings
        assert worker.publish(f"chempark/{uscc_a}/readings", b"x") == NOT_AUTHORIZED
        assert gateway.messages == [], "an enterprise reads no readings, its own or another's"
    finally:
        for client in clients:
            client.close()


def test_position_accounts_reach_the_files_and_names_are_checked(park: Any, tmp_path: Path) -> None:
    from chempark.tracking.mqtt import TOPIC_FILTER as POSITIONS_WORKER_FILTER

    assert mqtt_accounts.POSITIONS_TOPIC_FILTER == POSITIONS_WORKER_FILTER
    out = io.StringIO()
    call_command("mqtt-credential", "--positions-platform", "hb-logistics", stdout=out)
    assert "username: hb-logistics\npassword: " in out.getvalue()
    call_command("mqtt-credential", "--positions-ingest", stdout=io.StringIO())
    assert set(MqttCredential.objects.values_list("username", "kind")) == {
        ("hb-logistics", "vehicle_platform"),
        ("chempark-positions", "positions_ingest"),
    }
    pw, acl = tmp_path / "passwd", tmp_path / "acl"
    call_command("mosquitto-config", "--password-file", str(pw), "--acl-file", str(acl), stdout=io.StringIO())
    assert sorted(line.split(":")[0] for line in pw.read_text().splitlines()) == ["chempark-positions", "hb-logistics"]
    blocks = set(acl.read_text().strip().split("\n\n")[1:])
    assert blocks == {
        "user hb-logistics\ntopic write chempark/positions/hb-logistics",
        "user chempark-positions\ntopic read chempark/positions/+",
    }

    admin = park.actor(Role.SECURITY_ADMIN)
    with pytest.raises(Forbidden):
        mqtt_accounts.position_platform_credential_issue(actor=park.actor(Role.BUREAU_ADMIN), name="other")
    for bad in ("a/b", "a+", "#", "a b", "a:b", "", "x" * 65, "readings"):
        with pytest.raises(InvalidInput) as refused:
            mqtt_accounts.position_platform_credential_issue(actor=admin, name=bad)
        assert refused.value.code == ErrorCode.INVALID_USERNAME, bad
    # one name, one kind of account: neither the worker's nor an enterprise's name can become a platform
    mqtt_accounts.enterprise_credential_issue(actor=admin, enterprise_id=park.enterprise_a.pk)
    for taken in ("chempark-positions", park.enterprise_a.uscc):
        with pytest.raises(InvalidInput) as refused:
            mqtt_accounts.position_platform_credential_issue(actor=admin, name=taken)
        assert refused.value.code == ErrorCode.USERNAME_TAKEN
    with pytest.raises(InvalidInput):
        mqtt_accounts.ingest_credential_issue(actor=admin, username="hb-logistics")
    assert MqttCredential.objects.get(username="hb-logistics").kind == "vehicle_platform"


def test_real_mosquitto_enforces_the_position_accounts(park: Any, secured_broker: Mosquitto, tmp_path: Path) -> None:
    _c, platform_password = mqtt_accounts.position_platform_credential_issue(actor=SYSTEM, name="hb-logistics")
    _c, other_password = mqtt_accounts.position_platform_credential_issue(actor=SYSTEM, name="tj-transport")
    _c, worker_password = mqtt_accounts.positions_ingest_credential_issue(actor=SYSTEM)
    _c, gateway_password = mqtt_accounts.enterprise_credential_issue(actor=SYSTEM, enterprise_id=park.enterprise_a.pk)
    _c, readings_password = mqtt_accounts.ingest_credential_issue(actor=SYSTEM)
    mqtt_accounts.mosquitto_config_write(password_file=tmp_path / "passwd", acl_file=tmp_path / "acl")
    secured_broker.start()
    port = secured_broker.port
    uscc_a = park.enterprise_a.uscc
    clients: list[Client] = []
    try:
        worker = Client(port, "chempark-positions", worker_password, "positions-worker")
        platform = Client(port, "hb-logistics", platform_password, "platform")
        other = Client(port, "tj-transport", other_password, "other-platform")
        gateway = Client(port, uscc_a, gateway_password, "gw-a")
        readings_worker = Client(port, "chempark-ingest", readings_password, "readings-worker")
        clients += [worker, platform, other, gateway, readings_worker]
        for client in clients:
            assert client.connected.wait(10) and client.connack == 0
        worker.client.subscribe("chempark/positions/+", qos=1)
        worker.wait(lambda: len(worker.subacks) == 1)
        assert worker.subacks == [1]
        readings_worker.client.subscribe("chempark/+/readings", qos=1)
        readings_worker.wait(lambda: len(readings_worker.subacks) == 1)
        # a platform publishes on its own topic only, and on no enterprise's readings
        assert platform.publish("chempark/positions/tj-transport", b"forged") == NOT_AUTHORIZED
        assert platform.publish(f"chempark/{uscc_a}/readings", b"forged") == NOT_AUTHORIZED
        assert gateway.publish("chempark/positions/hb-logistics", b"forged") == NOT_AUTHORIZED
        assert platform.publish("chempark/positions/hb-logistics", b"own") == 0
        assert other.publish("chempark/positions/tj-transport", b"own-tj") == 0
        worker.wait(lambda: len(worker.messages) >= 2)
        assert sorted(worker.messages) == [
            ("chempark/positions/hb-logistics", b"own"),
            ("chempark/positions/tj-transport", b"own-tj"),
        ], "forged ones dropped"
        # the position worker cannot publish, and reads no readings; the readings worker no positions
        assert worker.publish("chempark/positions/hb-logistics", b"x") == NOT_AUTHORIZED
        assert gateway.publish(f"chempark/{uscc_a}/readings", b"reading") == 0
        readings_worker.wait(lambda: len(readings_worker.messages) >= 1)
        assert readings_worker.messages == [(f"chempark/{uscc_a}/readings", b"reading")]
        assert len(worker.messages) == 2
    finally:
        for client in clients:
            client.close()
