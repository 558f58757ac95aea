"""The outbox against the real sandbox over HTTP on 127.0.0.1: sent, replayed, refused,
queued while central is down and sent once it is back."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.central import CentralClient
from desktop.contract import CaseSubmission, CitizenRef, FaceCheck, IdentityCheck
from desktop.outbox import OutboxService, OutboxStore
from desktop.sync import Backoff, SyncLoop
from sandbox.server import EmbeddedSandbox
from ui.app import load_seed

SEED = load_seed()
WS = SEED["workstations"][0]
CITIZEN = SEED["citizens"][0]
FORM = {
    "reason_for_leaving": "contract_expired",
    "last_employer": "示例贸易有限公司",
    "insured_months": 36,
    "amount": 2130.5,
}


def make_case(form: dict | None = None) -> CaseSubmission:
    return CaseSubmission(
        local_id="unassigned",
        service="unemployment_benefit",
        hall_id=SEED["hall"]["id"],
        workstation_id=WS["id"],
        clerk="clerk01",
        created_at=datetime.now(UTC),
        citizen=CitizenRef(ssn=CITIZEN["ssn"], card_no=CITIZEN["card_no"]),
        identity=IdentityCheck(
            pin="ok", face=FaceCheck(decision="match", distance=0.35, threshold=0.6)
        ),
        form=dict(form or FORM),
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Events:
    def __init__(self):
        self.sent: list[tuple[str, str]] = []
        self.rejected: list[tuple[str, str]] = []
        self.network: list[bool] = []

    def on_case_sent(self, local_id, central_id):
        self.sent.append((local_id, central_id))

    def on_case_rejected(self, local_id, reason):
        self.rejected.append((local_id, reason))

    def on_network_state(self, online):
        self.network.append(online)


def make_outbox(data_dir: Path, url: str, events: Events | None = None) -> OutboxService:
    def make_sync(outbox):
        return SyncLoop(
            outbox,
            CentralClient(url, timeout=5),
            WS["id"],
            WS["secret"],
            backoff=Backoff(base=0.05, cap=0.2, floor=0.02),
        )

    outbox = OutboxService(data_dir, sync_factory=make_sync)
    if events is not None:
        outbox.add_listener(events)
    return outbox


@pytest.fixture
def sandbox(tmp_path):
    with EmbeddedSandbox(tmp_path / "central.db") as server:
        yield server


@pytest.fixture
def ws_client(sandbox):
    client = CentralClient(sandbox.url, timeout=5)
    token = client.workstation_login(WS["id"], WS["secret"]).token
    yield client, token
    client.close()


def test_case_is_sent_and_central_has_it(tmp_path, sandbox, ws_client):
    client, token = ws_client
    events = Events()
    outbox = make_outbox(tmp_path / "data", sandbox.url, events)
    outbox.start()
    try:
        queued = outbox.enqueue(make_case()).result(10)
        assert outbox.wait_until(lambda c: c["sent"] == 1, 30)
        [(local_id, central_id)] = events.sent
        assert local_id == queued.local_id
        [entry] = outbox.list().result(10)
        assert entry.central_id == central_id
    finally:
        outbox.stop()
    view = client.get_case(token, central_id)
    assert view.local_id == queued.local_id and view.workstation_id == "W01"


def test_replayed_key_creates_no_second_case(tmp_path, sandbox, ws_client):
    """A crash after central got the case but before the row was marked sent."""
    client, token = ws_client
    data_dir = tmp_path / "data"
    outbox = OutboxService(data_dir)  # no sync: queue only
    outbox.start()
    queued = outbox.enqueue(make_case()).result(10)
    outbox.stop()

    store = OutboxStore(data_dir)
    claimed = store.claim_next()
    status, first = client.submit_case(token, claimed.body, claimed.idempotency_key)
    store.close()  # "crash": the row stays in sending
    assert status == 201

    events = Events()
    outbox = make_outbox(data_dir, sandbox.url, events)
    outbox.start()
    try:
        assert outbox.wait_until(lambda c: c["sent"] == 1, 30)
    finally:
        outbox.stop()
    assert events.sent == [(queued.local_id, first.id)]
    mine = [c for c in client.cases(token, workstation="W01") if c.local_id == queued.local_id]
    assert [c.id for c in mine] == [first.id]

    # The same key and body again: 200 and the same case, never a second one.
    status, again = client.submit_case(token, claimed.body, claimed.idempotency_key)
    assert status == 200 and again.id == first.id


def test_same_key_with_another_body_is_rejected(tmp_path, sandbox, ws_client):
    client, token = ws_client
    data_dir = tmp_path / "data"
    outbox = OutboxService(data_dir)
    outbox.start()
    outbox.enqueue(make_case()).result(10)
    outbox.stop()
    store = OutboxStore(data_dir)
    claimed = store.claim_next()
    store.close()
    # Central already holds another body under this key (a desk bug or a forged resend).
    other = make_case({**FORM, "amount": 99.0}).model_copy(update={"local_id": "W01-X-1"})
    assert client.submit_case(token, other, claimed.idempotency_key)[0] == 201

    events = Events()
    outbox = make_outbox(data_dir, sandbox.url, events)
    outbox.start()
    try:
        assert outbox.wait_until(lambda c: c["rejected"] == 1, 30)
        [entry] = outbox.list().result(10)
        assert entry.last_error.startswith("HTTP 409")
    finally:
        outbox.stop()
    assert events.rejected and events.rejected[0][0] == claimed.local_id


def test_invalid_form_is_rejected_with_field_reasons(tmp_path, sandbox):
    events = Events()
    outbox = make_outbox(tmp_path / "data", sandbox.url, events)
    outbox.start()
    try:
        outbox.enqueue(make_case({**FORM, "insured_months": 3})).result(10)
        assert outbox.wait_until(lambda c: c["rejected"] == 1, 30)
        [entry] = outbox.list().result(10)
        assert entry.last_error.startswith("HTTP 422")
        assert "form.insured_months" in entry.last_error
    finally:
        outbox.stop()
    assert len(events.rejected) == 1


def test_case_queued_while_central_is_down_is_sent_when_it_is_back(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    events = Events()
    outbox = make_outbox(tmp_path / "data", url, events)
    outbox.start()
    try:
        queued = outbox.enqueue(make_case()).result(10)
        assert queued.local_id.startswith("W01-")
        for _ in range(500):
            if events.network:
                break
            time.sleep(0.01)
        assert events.network == [False]
        [entry] = outbox.list().result(10)
        assert entry.state in ("pending", "sending") and entry.central_id is None

        with EmbeddedSandbox(tmp_path / "central.db", port=port):
            outbox.wake()
            assert outbox.wait_until(lambda c: c["sent"] == 1, 30)
        assert events.network[-1] is True
        assert events.sent[0][0] == queued.local_id
    finally:
        outbox.stop()
