"""The desk's heartbeat on the real sandbox: counts arrive, a dead central harms nothing."""

from __future__ import annotations

import logging
import socket
import time
from datetime import UTC, datetime

import pytest
import requests

from desktop.central import CentralClient
from desktop.contract import CaseSubmission, DeskStats, FaultSpec
from desktop.errors import DeskError
from desktop.heartbeat import HeartbeatSender
from desktop.outbox import OutboxService
from desktop.resources import resource_path
from sandbox.server import EmbeddedSandbox
from ui.app import build_desk, training_settings

SEED = resource_path("sandbox", "seed.json")
SECRET = "w01-training-secret"
C01 = {"ssn": "110105196210150016", "card_no": "A10000011"}


def _case() -> CaseSubmission:
    return CaseSubmission.model_validate(
        {
            "local_id": "unassigned",
            "service": "pension_certification",
            "hall_id": "H0001",
            "workstation_id": "W01",
            "clerk": "clerk01",
            "created_at": datetime.now(UTC).isoformat(),
            "citizen": {"person_ref": None, **C01},
            "identity": {"pin": "not_required", "face": {"decision": "match"}},
            "form": {"residence": "local"},
        }
    )


def _wait(predicate, timeout: float = 20.0) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` passes (a bound, not a measurement)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.fixture
def http():
    """A requests session that ignores proxy settings: everything here is loopback."""
    with requests.Session() as session:
        session.trust_env = False
        yield session


@pytest.fixture
def central(tmp_path):
    with EmbeddedSandbox(tmp_path / "central.db", SEED, advance_seconds=0) as sandbox:
        yield sandbox


@pytest.fixture
def outbox(tmp_path):
    """A real outbox that does not send (so its cases stay unsent)."""
    service = OutboxService(tmp_path / "outbox", sync_factory=None)
    service.start()
    yield service
    service.stop()


def _desk_status(http, url: str, desk: str = "W01"):
    login = http.post(
        f"{url}/v1/auth/login", json={"username": "super01", "password": "super01-training"}
    )
    assert login.status_code == 200, login.text
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    answer = http.get(f"{url}/v1/stats/desks", headers=headers)
    assert answer.status_code == 200, answer.text
    return next(
        d for d in DeskStats.model_validate(answer.json()).desks if d.workstation_id == desk
    )


def _closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_outbox_counts_arrive_at_central(central, outbox, http):
    for _ in range(2):
        outbox.enqueue(_case()).result(10)
    sender = HeartbeatSender(
        outbox, CentralClient(central.url), "W01", SECRET, interval=3600, min_interval=0.05
    )
    assert _desk_status(http, central.url).offline  # never heard of before
    sender.start()
    try:
        assert _wait(lambda: sender.sent >= 1)
        status = _desk_status(http, central.url)
        assert (status.offline, status.unsent, status.rejected, status.frozen) == (
            False,
            2,
            0,
            False,
        )
        assert status.oldest_unsent_seconds is not None and status.oldest_unsent_seconds >= 0
        assert status.app_version == "0.1.0"

        # A new case brings the next beat forward (the interval is an hour).
        outbox.enqueue(_case()).result(10)
        assert _wait(lambda: _desk_status(http, central.url).unsent == 3)
    finally:
        sender.stop()
    assert not sender.running
    assert sender.failures == 0


def test_the_heartbeat_carries_no_personal_data(outbox, central):
    outbox.enqueue(_case()).result(10)
    sender = HeartbeatSender(outbox, CentralClient(central.url), "W01", SECRET)
    try:
        body = sender.body().model_dump_json()
    finally:
        sender.stop()
    assert C01["ssn"] not in body and C01["card_no"] not in body
    assert set(sender.body().model_dump()) == {
        "sent_at",
        "app_version",
        "outbox",
        "oldest_unsent_seconds",
        "frozen",
        "frozen_reason",
        "versions",
    }


def test_a_dead_central_costs_one_warning_and_the_desk_works_on(tmp_path, caplog):
    settings = training_settings(f"http://127.0.0.1:{_closed_port()}")
    desk = build_desk(
        settings, reader="sim", data_dir=tmp_path / "desk", face=False, heartbeat_seconds=0.05
    )
    caplog.set_level(logging.DEBUG, logger="desktop.heartbeat")
    desk.start()  # no exception although central is not there
    try:
        beat = desk.heartbeat
        assert _wait(lambda: beat.failures >= 3)
        assert beat.running

        # The desk goes on: it queues a case, and a sign-in fails with a sentence, not a crash.
        queued = desk.outbox.enqueue(_case()).result(10)
        assert queued.service == "pension_certification"
        with pytest.raises(DeskError) as caught:
            desk.sign_in("clerk01", "clerk01-training").result(30)
        assert caught.value.code == "central_unavailable"
    finally:
        desk.stop()
    assert not desk.heartbeat.running

    warnings = [
        r for r in caplog.records if r.name == "desktop.heartbeat" and r.levelno >= logging.WARNING
    ]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "network_error" in warnings[0].getMessage()


def test_the_heartbeat_comes_back_with_central(central, outbox, http, caplog):
    caplog.set_level(logging.INFO, logger="desktop.heartbeat")
    central.set_faults(FaultSpec(error_rate=1.0))
    sender = HeartbeatSender(
        outbox, CentralClient(central.url), "W01", SECRET, interval=0.05, min_interval=0.05
    )
    sender.start()
    try:
        assert _wait(lambda: sender.failures >= 2)
        assert sender.sent == 0
        central.set_faults(FaultSpec())
        assert _wait(lambda: sender.sent >= 1)
    finally:
        sender.stop()
    assert not _desk_status(http, central.url).offline
    messages = [r.getMessage() for r in caplog.records if r.name == "desktop.heartbeat"]
    assert sum("failed" in m for m in messages) == 1
    assert any("reaches central again" in m for m in messages)
