"""Fault injection over real HTTP: the sandbox on a loopback port, requests as the client."""

from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from desktop.contract import CaseView, ErrorBody, FaultSpec
from desktop.resources import resource_path
from sandbox.server import EmbeddedSandbox

REPO = Path(__file__).resolve().parents[2]
SEED = resource_path("sandbox", "seed.json")
C01 = {"ssn": "110105196210150016", "card_no": "A10000011"}


@pytest.fixture
def http():
    """A requests session that ignores proxy settings: everything here is loopback."""
    with requests.Session() as session:
        session.trust_env = False
        yield session


def _sandbox(tmp_path: Path, spec: str = "", **faults) -> EmbeddedSandbox:
    from sandbox.faults import parse_faults

    chosen = parse_faults(spec) if spec else FaultSpec(**faults)
    return EmbeddedSandbox(tmp_path / "central.db", SEED, advance_seconds=0, faults=chosen)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _workstation(http, url) -> dict[str, str]:
    answer = http.post(
        f"{url}/v1/auth/workstation",
        json={"workstation_id": "W01", "secret": "w01-training-secret"},
    )
    assert answer.status_code == 200, answer.text
    return _bearer(answer.json()["token"])


def _staff(http, url, username: str) -> dict[str, str]:
    answer = http.post(
        f"{url}/v1/auth/login", json={"username": username, "password": f"{username}-training"}
    )
    assert answer.status_code == 200, answer.text
    return _bearer(answer.json()["token"])


def _case(local_id: str = "W01-0001") -> dict:
    return {
        "local_id": local_id,
        "service": "pension_certification",
        "hall_id": "H0001",
        "workstation_id": "W01",
        "clerk": "clerk01",
        "created_at": datetime(2026, 12, 4, 8, 30, tzinfo=UTC).isoformat(),
        "citizen": {"person_ref": None, **C01},
        "identity": {"pin": "not_required", "face": {"decision": "match"}},
        "form": {"residence": "local"},
    }


def _put_faults(http, url, headers, body: dict) -> requests.Response:
    return http.put(f"{url}/v1/admin/faults", json=body, headers=headers)


def _rows(db_path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db_path) as db:
        return db.execute("select id, idempotency_key from cases order by pk").fetchall()


def test_error_rate_one_cuts_central_but_not_health_or_admin(tmp_path, http):
    with _sandbox(tmp_path) as central:
        ws = _workstation(http, central.url)
        assert _put_faults(http, central.url, ws, {"error_rate": 1}).status_code == 200

        for method, path in (("GET", "/v1/services"), ("POST", "/v1/cases")):
            answer = http.request(method, f"{central.url}{path}", headers=ws, json=_case())
            assert answer.status_code == 503, path
            assert ErrorBody.model_validate(answer.json()).error.code == "fault_injected"
        refused = http.post(f"{central.url}/v1/auth/login", json={"username": "x", "password": "y"})
        assert refused.status_code == 503
        assert _rows(central.db_path) == []

        assert http.get(f"{central.url}/v1/health").status_code == 200
        current = http.get(f"{central.url}/v1/admin/faults", headers=ws)
        assert FaultSpec.model_validate(current.json()) == FaultSpec(error_rate=1)

        # Restored: the same token works again.
        restored = _put_faults(http, central.url, ws, {})
        assert FaultSpec.model_validate(restored.json()) == FaultSpec()
        assert http.get(f"{central.url}/v1/services", headers=ws).status_code == 200


def test_only_admins_and_training_tokens_set_faults(tmp_path, http):
    with _sandbox(tmp_path) as central:
        clerk = _staff(http, central.url, "clerk01")
        supervisor = _staff(http, central.url, "super01")
        admin = _staff(http, central.url, "admin01")
        for headers in (clerk, supervisor):
            answer = _put_faults(http, central.url, headers, {"error_rate": 1})
            assert answer.status_code == 403
            assert http.get(f"{central.url}/v1/admin/faults", headers=headers).status_code == 403
        assert _put_faults(http, central.url, {}, {"error_rate": 1}).status_code == 401

        bad = _put_faults(http, central.url, admin, {"error_rate": 3, "latency": 1})
        assert bad.status_code == 422
        assert ErrorBody.model_validate(bad.json()).error.fields == {
            "error_rate": "less_than_equal",
            "latency": "extra_forbidden",
        }
        assert http.get(f"{central.url}/v1/services", headers=clerk).status_code == 200

        assert _put_faults(http, central.url, admin, {"error_rate": 1}).status_code == 200
        assert http.get(f"{central.url}/v1/services", headers=clerk).status_code == 503


def _pattern(http, url, headers, count: int) -> list[int]:
    return [http.get(f"{url}/v1/services", headers=headers).status_code for _ in range(count)]


def test_a_seeded_error_rate_fails_a_share_and_repeats(tmp_path, http):
    with _sandbox(tmp_path, "error_rate=0.5,seed=11") as central:
        # The token is taken with faults off; the spec (and its random stream) is set again.
        central.set_faults(FaultSpec())
        ws = _workstation(http, central.url)
        central.set_faults(FaultSpec(error_rate=0.5, seed=11))
        first = _pattern(http, central.url, ws, 40)
        assert set(first) == {200, 503}
        assert 5 <= first.count(503) <= 35

        _put_faults(http, central.url, ws, {"error_rate": 0.5, "seed": 11})
        assert _pattern(http, central.url, ws, 40) == first
        _put_faults(http, central.url, ws, {"error_rate": 0.5, "seed": 12})
        assert _pattern(http, central.url, ws, 40) != first


def test_beyond_the_rate_limit_central_answers_429_with_retry_after(tmp_path, http):
    with _sandbox(tmp_path) as central:
        ws = _workstation(http, central.url)
        # One request every 100 s over all clients: the first passes, the next ones wait.
        _put_faults(http, central.url, ws, {"rate_limit": 0.01})
        assert http.get(f"{central.url}/v1/services", headers=ws).status_code == 200
        for _ in range(3):
            limited = http.get(f"{central.url}/v1/services", headers=ws)
            assert limited.status_code == 429
            assert ErrorBody.model_validate(limited.json()).error.code == "rate_limited"
            assert 1 <= int(limited.headers["Retry-After"]) <= 100
        # Over all clients: a fresh session is limited too. Health is not.
        with requests.Session() as other:
            other.trust_env = False
            assert other.get(f"{central.url}/v1/services", headers=ws).status_code == 429
            assert other.get(f"{central.url}/v1/health").status_code == 200


def test_a_delay_longer_than_the_clients_timeout_times_it_out(tmp_path, http):
    with _sandbox(tmp_path, delay_ms=800) as central:
        assert http.get(f"{central.url}/v1/health", timeout=5).status_code == 200
        with pytest.raises(requests.exceptions.ReadTimeout):
            http.get(f"{central.url}/v1/services", timeout=0.05)


def test_a_dropped_answer_leaves_the_case_stored_and_a_retry_gets_it_exactly_once(tmp_path, http):
    with _sandbox(tmp_path, "drop_after_commit=1") as central:
        ws = _workstation(http, central.url)
        key = str(uuid.uuid4())

        # The case is committed, then the connection is cut: the desk sees a network error.
        with pytest.raises(requests.ConnectionError):
            http.post(
                f"{central.url}/v1/cases", json=_case(), headers={**ws, "Idempotency-Key": key}
            )
        [(stored_id, stored_key)] = _rows(central.db_path)
        assert stored_key == key

        # The outbox retries with the same key: 200, the same case, still one row.
        retry = http.post(
            f"{central.url}/v1/cases", json=_case(), headers={**ws, "Idempotency-Key": key}
        )
        assert retry.status_code == 200
        assert CaseView.model_validate(retry.json()).id == stored_id
        assert _rows(central.db_path) == [(stored_id, key)]

        # Refused cases are answered: nothing was committed to drop.
        refused = http.post(
            f"{central.url}/v1/cases",
            json={**_case("W01-0002"), "service": "space_travel"},
            headers={**ws, "Idempotency-Key": str(uuid.uuid4())},
        )
        assert refused.status_code == 422


def test_a_share_of_new_cases_is_dropped(tmp_path, http):
    with _sandbox(tmp_path, "drop_after_commit=0.5,seed=3") as central:
        ws = _workstation(http, central.url)
        outcomes = []
        for number in range(16):
            headers = {**ws, "Idempotency-Key": str(uuid.uuid4())}
            try:
                answer = http.post(
                    f"{central.url}/v1/cases", json=_case(f"W01-{number:04d}"), headers=headers
                )
                outcomes.append(answer.status_code)
            except requests.ConnectionError:
                outcomes.append("dropped")
        assert set(outcomes) == {201, "dropped"}
        # Every case was stored, answered or not.
        assert len(_rows(central.db_path)) == 16


# --- the command ------------------------------------------------------------------------------

_LAUNCHER = "import sys\nfrom ui.cli import main\nsys.exit(main(sys.argv[1:]))\n"


def _command(tmp_path: Path, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    return subprocess.Popen(
        [sys.executable, "-c", _LAUNCHER, "--data-dir", str(tmp_path / "data"), "sandbox", *args],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--faults", "error_rate=0.1,delay=5"], "'delay=5'"),
        (["--faults", "error_rate=1.5"], "'error_rate=1.5'"),
        (["--faults", "rate_limit"], "'rate_limit'"),
        (["--history", "0"], "--history '0'"),
        (["--history", "7:many"], "--history '7:many'"),
    ],
)
def test_a_bad_spec_exits_2_naming_the_item(tmp_path, args, named):
    process = _command(tmp_path, "--port", "0", *args)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert out == ""
    assert named in err
    assert not (tmp_path / "data" / "sandbox.db").exists()


def test_the_command_serves_with_the_faults_and_history_it_was_given(tmp_path, http):
    process = _command(
        tmp_path, "--port", "0", "--faults", "error_rate=1,seed=5", "--history", "2:40"
    )
    try:
        event = json.loads(process.stdout.readline())
        url = event["url"]
        assert event["faults"] == "error_rate=1.0,seed=5"
        assert http.get(f"{url}/v1/health", timeout=10).status_code == 200
        assert http.post(f"{url}/v1/auth/workstation", json={}, timeout=10).status_code == 503
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "POST /v1/auth/workstation -> 503" in err
    with sqlite3.connect(tmp_path / "data" / "sandbox.db") as db:
        generated = "select count(*) from cases where submitted_by = 'history:generated'"
        assert db.execute(generated).fetchone() == (40,)


# --- the desk's outbox against a faulty central -------------------------------------------------


def test_the_outbox_gets_every_case_through_exactly_once_despite_faults(tmp_path, caplog):
    """Errors and cut answers: each case ends up sent once, under its own id."""
    from desktop.central import CentralClient
    from desktop.contract import CaseSubmission
    from desktop.outbox import OutboxService
    from desktop.sync import Backoff, SyncLoop

    def make_sync(outbox):
        return SyncLoop(
            outbox,
            CentralClient(central.url, timeout=5),
            "W01",
            "w01-training-secret",
            backoff=Backoff(base=0.02, cap=0.1, floor=0.01),
        )

    caplog.set_level(logging.INFO, logger="sandbox")
    with _sandbox(tmp_path, "error_rate=0.3,drop_after_commit=0.6,seed=4") as central:
        outbox = OutboxService(tmp_path / "data", sync_factory=make_sync)
        outbox.start()
        try:
            for number in range(4):
                body = {**_case(), "local_id": "unassigned", "form": {"residence": "local"}}
                body["created_at"] = datetime.now(UTC).isoformat()
                body["citizen"] = {**C01}
                queued = outbox.enqueue(CaseSubmission.model_validate(body)).result(10)
                assert queued.service == "pension_certification", number
            assert outbox.wait_until(lambda c: c["sent"] == 4, 60), outbox.counts()
            entries = outbox.list().result(10)
        finally:
            outbox.stop()

    stored = {key: case_id for case_id, key in _rows(central.db_path)}
    assert len(stored) == 4
    assert {e.idempotency_key: e.central_id for e in entries} == stored
    # The faults did strike (the seed fixes how often).
    access = [r.getMessage() for r in caplog.records if r.name == "sandbox.app"]
    assert any(line.startswith("POST /v1/cases -> no answer") for line in access)
    assert any(line.startswith("POST /v1/cases -> 503") for line in access)
    assert any(line.startswith("POST /v1/cases -> 200") for line in access)
