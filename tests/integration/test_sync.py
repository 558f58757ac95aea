"""The sync loop's status handling over real HTTP against a scripted central on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from test_sync_helpers import Reply, ScriptedCentral, case_view, error

from desktop.central import CentralClient
from desktop.contract import CaseSubmission, CitizenRef, FaceCheck, IdentityCheck
from desktop.outbox import OutboxService
from desktop.sync import Backoff, SyncLoop

SSN = "110105196210150016"


def make_case() -> CaseSubmission:
    from datetime import UTC, datetime

    return CaseSubmission(
        local_id="unassigned",
        service="unemployment_benefit",
        hall_id="H0001",
        workstation_id="W01",
        clerk="clerk01",
        created_at=datetime.now(UTC),
        citizen=CitizenRef(person_ref="P0001", ssn=SSN, card_no="A10000011"),
        identity=IdentityCheck(pin="ok", face=FaceCheck(decision="match", distance=0.4)),
        form={"reason_for_leaving": "contract_expired", "amount": 100},
    )


class Recorder:
    """An outbox listener that keeps what it heard."""

    def __init__(self):
        self.sent: list[tuple[str, str]] = []
        self.rejected: list[tuple[str, str]] = []
        self.network: list[bool] = []
        self.counts: list[dict[str, int]] = []
        self.event = threading.Event()

    def on_outbox_changed(self, counts):
        self.counts.append(counts)

    def on_case_sent(self, local_id, central_id):
        self.sent.append((local_id, central_id))
        self.event.set()

    def on_case_rejected(self, local_id, reason):
        self.rejected.append((local_id, reason))
        self.event.set()

    def on_network_state(self, online):
        self.network.append(online)


class Rig:
    """An outbox with a sync loop pointed at a scripted central."""

    def __init__(self, data_dir: Path, url: str, backoff: Backoff | None = None):
        self.client = CentralClient(url, timeout=2)
        self.recorder = Recorder()
        self.backoff = backoff or Backoff(base=0.02, cap=0.1, floor=0.01)
        self.outbox = OutboxService(data_dir, sync_factory=self._make_sync)
        self.outbox.add_listener(self.recorder)

    def _make_sync(self, outbox):
        return SyncLoop(outbox, self.client, "W01", "w01-secret", backoff=self.backoff)

    def wait(self, predicate, timeout: float = 15) -> bool:
        return self.outbox.wait_until(predicate, timeout)

    def entry(self, local_id: str):
        return next(e for e in self.outbox.list().result(10) if e.local_id == local_id)

    def __enter__(self) -> Rig:
        self.outbox.start()
        return self

    def __exit__(self, *exc) -> None:
        self.outbox.stop()
        self.client.close()


@pytest.fixture
def central():
    with ScriptedCentral() as server:
        yield server


def _sent(n: int):
    return lambda counts: counts["sent"] == n


def test_created_case_is_sent_with_its_key(tmp_path, central):
    central.script(
        "POST",
        "/v1/cases",
        lambda seen: Reply(201, case_view(json.loads(seen.body)["local_id"], "C-100")),
    )
    with Rig(tmp_path, central.url) as rig:
        queued = rig.outbox.enqueue(make_case()).result(10)
        assert rig.wait(_sent(1))
        entry = rig.entry(queued.local_id)
        assert entry.central_id == "C-100" and entry.last_error is None
        assert rig.recorder.sent == [(queued.local_id, "C-100")]
        assert rig.recorder.network == [True]
    [seen] = central.requests_to("POST", "/v1/cases")
    assert seen.headers["Idempotency-Key"] == queued.idempotency_key
    assert seen.headers["Authorization"] == "Bearer tok-1"
    body = json.loads(seen.body)
    assert body["local_id"] == queued.local_id and body["citizen"]["ssn"] == SSN


def test_401_renews_the_workstation_token_and_never_rejects(tmp_path, central):
    central.script(
        "POST",
        "/v1/cases",
        Reply(401, error("token_expired")),
        lambda seen: Reply(201, case_view(json.loads(seen.body)["local_id"], "C-2")),
    )
    with Rig(tmp_path, central.url) as rig:
        rig.outbox.enqueue(make_case()).result(10)
        assert rig.wait(_sent(1))
        assert dict(rig.outbox.sync.answers) == {"401": 1, "201": 1}
    tokens = [s.headers["Authorization"] for s in central.requests_to("POST", "/v1/cases")]
    assert tokens == ["Bearer tok-1", "Bearer tok-2"]
    assert rig.recorder.rejected == []


def test_refused_workstation_credentials_keep_the_case_queued(tmp_path, central):
    central.script("POST", "/v1/auth/workstation", Reply(401, error("bad_credentials")))
    with Rig(tmp_path, central.url) as rig:
        queued = rig.outbox.enqueue(make_case()).result(10)
        for _ in range(500):
            if len(central.requests_to("POST", "/v1/auth/workstation")) >= 3:
                break
            time.sleep(0.01)
        assert len(central.requests_to("POST", "/v1/auth/workstation")) >= 3
        entry = rig.entry(queued.local_id)
        assert entry.state in ("pending", "sending")
        assert entry.last_error.startswith("workstation_auth_failed")
        assert rig.recorder.rejected == []
    assert central.requests_to("POST", "/v1/cases") == []


@pytest.mark.parametrize(
    ("status", "code"), [(403, "forbidden"), (409, "idempotency_conflict"), (422, "form_invalid")]
)
def test_permanent_refusals_reject_the_case_with_the_reason(tmp_path, central, status, code):
    central.script(
        "POST", "/v1/cases", Reply(status, error(code, "refused", {"form.amount": "too_large"}))
    )
    with Rig(tmp_path, central.url) as rig:
        queued = rig.outbox.enqueue(make_case()).result(10)
        assert rig.wait(lambda c: c["rejected"] == 1)
        assert rig.recorder.event.wait(5)
        assert rig.recorder.rejected == [(queued.local_id, code)]
        entry = rig.entry(queued.local_id)
        assert f"HTTP {status} {code}" in entry.last_error
        assert "form.amount=too_large" in entry.last_error
    assert len(central.requests_to("POST", "/v1/cases")) == 1


@pytest.mark.parametrize(
    "failure",
    [
        Reply(500, error("boom")),
        Reply(502, b"<html>bad gateway</html>"),
        Reply(503, error("maintenance"), {"Retry-After": "0"}),
        Reply(201, b"{this is not json"),
        Reply(200, {"id": "C-1"}),  # valid JSON, not a CaseView
        Reply(404, error("not_found")),  # a wrong base URL must not reject cases
    ],
)
def test_retryable_failures_retry_then_send(tmp_path, central, failure):
    central.script(
        "POST",
        "/v1/cases",
        failure,
        lambda seen: Reply(200, case_view(json.loads(seen.body)["local_id"], "C-7")),
    )
    with Rig(tmp_path, central.url) as rig:
        queued = rig.outbox.enqueue(make_case()).result(10)
        assert rig.wait(_sent(1))
        entry = rig.entry(queued.local_id)
        assert entry.attempts == 2 and entry.central_id == "C-7"
        assert rig.recorder.rejected == []
    keys = {s.headers["Idempotency-Key"] for s in central.requests_to("POST", "/v1/cases")}
    assert keys == {queued.idempotency_key}


def test_malformed_answer_is_recorded_with_a_clear_code(tmp_path, central):
    central.script("POST", "/v1/cases", Reply(201, b"\x00garbage"))
    backoff = Backoff(base=30, cap=30, floor=30, rng=lambda: 1.0)
    with Rig(tmp_path, central.url, backoff) as rig:
        queued = rig.outbox.enqueue(make_case()).result(10)
        assert rig.wait(lambda c: c["pending"] == 1 and c["sending"] == 0 and _tried(central))
        entry = _wait_for_error(rig, queued.local_id)
        assert entry.state == "pending" and entry.last_error.startswith("bad_response")
        assert rig.recorder.network == [True]


def _tried(central) -> bool:
    return bool(central.requests_to("POST", "/v1/cases"))


def _wait_for_error(rig, local_id):
    for _ in range(200):
        entry = rig.entry(local_id)
        if entry.last_error:
            return entry
        time.sleep(0.02)
    raise AssertionError("no error recorded")


def test_429_honours_retry_after_and_wake_sends_now(tmp_path, central):
    central.script(
        "POST",
        "/v1/cases",
        Reply(429, error("too_many_requests"), {"Retry-After": "120"}),
        lambda seen: Reply(201, case_view(json.loads(seen.body)["local_id"], "C-3")),
    )
    backoff = Backoff(base=0.01, cap=0.01, floor=0.0, rng=lambda: 0.0)
    with Rig(tmp_path, central.url, backoff) as rig:
        before = time.time()
        queued = rig.outbox.enqueue(make_case()).result(10)
        entry = _wait_for_error(rig, queued.local_id)
        # The stored next attempt honours Retry-After even though the jitter drew zero.
        assert entry.next_attempt_at >= before + 120
        assert entry.error_code == "too_many_requests" and entry.error_fields == {}
        assert rig.recorder.network[-1] is False
        assert rig.outbox.counts()["sent"] == 0
        rig.outbox.wake()
        assert rig.wait(_sent(1))
        assert rig.recorder.network[-1] is True
        assert dict(rig.outbox.sync.answers) == {"429": 1, "201": 1}
        assert rig.entry(queued.local_id).error_code is None


def test_oldest_case_goes_first_one_at_a_time(tmp_path, central):
    in_flight = []
    peak = []
    lock = threading.Lock()

    def answer(seen):
        with lock:
            in_flight.append(1)
            peak.append(len(in_flight))
        time.sleep(0.05)
        with lock:
            in_flight.pop()
        return Reply(201, case_view(json.loads(seen.body)["local_id"], "C"))

    # Queue while central is failing, so that all cases wait, then let them through.
    central.script("POST", "/v1/cases", Reply(503, error("down")), answer)
    backoff = Backoff(base=0.3, cap=0.3, floor=0.3, rng=lambda: 1.0)
    with Rig(tmp_path, central.url, backoff) as rig:
        ids = [rig.outbox.enqueue(make_case()).result(10).local_id for _ in range(4)]
        assert rig.wait(_sent(4))
    order = [json.loads(s.body)["local_id"] for s in central.requests_to("POST", "/v1/cases")]
    assert order[0] == ids[0]
    assert order[1:] == ids
    assert max(peak) == 1


def test_backoff_is_full_jitter_and_capped():
    draws = iter([1.0, 0.5, 1.0, 0.0])
    backoff = Backoff(base=2, cap=10, floor=0.1, rng=lambda: next(draws))
    assert backoff.delay(1) == 2.0
    assert backoff.delay(3) == 4.0
    assert backoff.delay(10) == 10.0
    assert backoff.delay(2, retry_after=7) == 7.0  # Retry-After plus a zero draw
