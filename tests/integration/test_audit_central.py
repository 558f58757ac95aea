"""The audit chain at central (``POST /v1/audit``) and ``hall-counter audit verify``.

Records come from a real desk chain (desktop.audit.AuditLog in the test's folder); central is the
sandbox over HTTP; the command line runs in a child process like an admin would run it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from security_support import Http, write_seed

from desktop.audit import AUDIT_DB, AuditLog, AuditSender, AuditStore
from desktop.central import CentralClient
from desktop.contract import AuditRecord
from sandbox.server import EmbeddedSandbox
from ui.app import store_training_workstation, training_settings

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def central(tmp_path):
    sandbox = EmbeddedSandbox(tmp_path / "central.db", write_seed(tmp_path), advance_seconds=0)
    url = sandbox.start()
    http = Http(url)
    try:
        yield http
    finally:
        http.close()
        sandbox.stop()


def _chain(data_dir: Path, count: int, **details) -> list[AuditRecord]:
    log = AuditLog(data_dir, workstation_id="W01")
    log.start()
    try:
        for n in range(count):
            log.record("card_read", actor="clerk01", details={"n": n, **details})
        log.flush(10)
    finally:
        log.stop()
    store = AuditStore(data_dir, None, readonly=True)
    try:
        return [e.to_record() for e in store.entries()]
    finally:
        store.close()


def _batch(records: list[AuditRecord]) -> dict:
    last = records[-1]
    return {
        "workstation_id": "W01",
        "records": [r.model_dump(mode="json") for r in records],
        "head": {"seq": last.seq, "mac": last.mac},
    }


def test_batches_are_stored_once_and_idempotent(central, tmp_path):
    records = _chain(tmp_path / "desk", 5)
    token = central.workstation()
    first = central.post(token, "/v1/audit", _batch(records[:3]))
    assert first.status_code == 200, first.text
    assert first.json()["stored"] == 3 and first.json()["head"]["seq"] == 3

    again = central.post(token, "/v1/audit", _batch(records[:3]))
    assert again.status_code == 200 and again.json()["stored"] == 0
    rest = central.post(token, "/v1/audit", _batch(records[1:]))  # overlapping
    assert rest.status_code == 200 and rest.json()["stored"] == 2
    assert rest.json()["head"] == {"seq": 5, "mac": records[-1].mac}

    head = central.get(token, "/v1/audit/W01/head")
    assert head.json() == {"seq": 5, "mac": records[-1].mac}
    assert central.get(central.login("super01"), "/v1/audit/W01/head").status_code == 200
    assert central.get(central.login("clerk01"), "/v1/audit/W01/head").status_code == 403
    with sqlite3.connect(tmp_path / "central.db") as db:
        stored = db.execute("select seq from audit_records order by seq").fetchall()
    assert stored == [(1,), (2,), (3,), (4,), (5,)]


def test_only_the_workstation_sends_its_own_chain(central, tmp_path):
    records = _chain(tmp_path / "desk", 2)
    staff = central.post(central.login("super01"), "/v1/audit", _batch(records))
    assert staff.status_code == 403
    other = dict(_batch(records), workstation_id="W02")
    mismatch = central.post(central.workstation(), "/v1/audit", other)
    assert mismatch.status_code == 403
    assert mismatch.json()["error"]["code"] == "workstation_mismatch"


def test_a_gap_asks_for_the_missing_records(central, tmp_path):
    records = _chain(tmp_path / "desk", 4)
    answer = central.post(central.workstation(), "/v1/audit", _batch(records[2:]))
    assert answer.status_code == 409
    assert answer.json()["error"] == {
        "code": "audit_gap",
        "message": "records before this batch are missing",
        "fields": {"expected_seq": "1"},
    }


def test_records_that_do_not_link_are_refused(central, tmp_path):
    records = _chain(tmp_path / "desk", 3)
    broken = [records[0], records[2]]
    answer = central.post(central.workstation(), "/v1/audit", _batch(broken))
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "audit_invalid"


def test_a_rewritten_chain_is_refused_and_raises_an_alert(central, tmp_path):
    original = _chain(tmp_path / "desk", 3)
    token = central.workstation()
    assert central.post(token, "/v1/audit", _batch(original)).status_code == 200

    # Another chain under the same numbers (as after the desk's chain was cut and rewritten).
    rewritten = _chain(tmp_path / "other", 4, rewritten=True)
    answer = central.post(token, "/v1/audit", _batch(rewritten))
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "audit_conflict"
    assert answer.json()["error"]["fields"] == {"seq": "1"}
    alerts = central.alerts(central.login("super01"))
    assert [(a["kind"], a["workstation_id"]) for a in alerts] == [("audit_chain_broken", "W01")]
    # Central keeps what it had.
    assert central.get(token, "/v1/audit/W01/head").json()["seq"] == 3


def test_desk_alerts_arrive_with_the_chain(central, tmp_path):
    log = AuditLog(tmp_path / "desk", workstation_id="W01")
    log.start()
    try:
        details = {"kind": "lookups_without_cases", "subject": "clerk01", "lookups": 25}
        log.record("alert", actor="clerk01", details=details)
        log.record("alert", actor="clerk01", details={"kind": "no_such_kind"})
        log.flush(10)
    finally:
        log.stop()
    store = AuditStore(tmp_path / "desk", None, readonly=True)
    records = [e.to_record() for e in store.entries()]
    store.close()
    assert central.post(central.workstation(), "/v1/audit", _batch(records)).status_code == 200
    alerts = central.alerts(central.login("super01"))
    assert [(a["kind"], a["subject"], a["source"]) for a in alerts] == [
        ("lookups_without_cases", "clerk01", "desk")
    ]
    assert alerts[0]["detail"]["lookups"] == 25


def test_the_sender_delivers_the_chain(central, tmp_path):
    settings = training_settings(central.url)
    client = CentralClient(central.url)

    def sender(log: AuditLog) -> AuditSender:
        return AuditSender(log, client, "W01", settings.workstation_secret, delay=0.0)

    log = AuditLog(tmp_path / "desk", workstation_id="W01", sender_factory=sender)
    log.start()
    try:
        for n in range(7):
            log.record("card_read", actor="clerk01", details={"n": n})
        assert log.wait_sent(30)
        head = log.head
    finally:
        log.stop()
    answer = central.get(central.workstation(), "/v1/audit/W01/head")
    assert answer.json() == {"seq": 7, "mac": head.mac}


# --- hall-counter audit verify ---------------------------------------------------------------


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost"}
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", "--data-dir", str(tmp_path / "data"), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _training_desk(tmp_path: Path, url: str, count: int) -> Path:
    """A training desk's chain with ``count`` records, all sent to central."""
    data_dir = tmp_path / "data" / "training"
    settings = training_settings(url)
    store_training_workstation(data_dir, settings)
    client = CentralClient(url)

    def sender(log: AuditLog) -> AuditSender:
        return AuditSender(log, client, "W01", settings.workstation_secret, delay=0.0)

    log = AuditLog(data_dir, workstation_id="W01", sender_factory=sender)
    log.start()
    try:
        for n in range(count):
            log.record("pin_result", actor="clerk01", person_ref=f"P{n:05d}", details={"n": n})
        assert log.wait_sent(30)
    finally:
        log.stop()
    return data_dir


def _tamper(data_dir: Path, sql: str) -> None:
    with sqlite3.connect(data_dir / AUDIT_DB) as db:
        db.execute("DROP TRIGGER IF EXISTS audit_records_no_update")
        db.execute("DROP TRIGGER IF EXISTS audit_records_no_delete")
        db.executescript(sql)


def test_verify_passes_an_intact_chain(central, tmp_path):
    _training_desk(tmp_path, central.url, 5)
    answer = _cli(tmp_path, "audit", "verify", "--central", central.url, "--json")
    assert answer.returncode == 0, answer.stderr
    result = json.loads(answer.stdout)
    assert result["ok"] is True and result["records"] == 5
    assert (result["central_head_seq"], result["central_head_source"]) == (5, "central")

    text = _cli(tmp_path, "audit", "verify")
    assert text.returncode == 0 and "intact: 5 records" in text.stdout


@pytest.mark.parametrize(
    ("sql", "first_bad", "problem"),
    [
        ("UPDATE audit_records SET actor = 'admin01' WHERE seq = 3", 3, "bad_mac"),
        ("DELETE FROM audit_records WHERE seq = 2", 2, "missing"),
        (
            "UPDATE audit_records SET seq = 100 WHERE seq = 4;"
            "UPDATE audit_records SET seq = 4 WHERE seq = 6;"
            "UPDATE audit_records SET seq = 6 WHERE seq = 100;",
            4,
            "broken_link",
        ),
    ],
)
def test_verify_names_the_first_bad_record(central, tmp_path, sql, first_bad, problem):
    data_dir = _training_desk(tmp_path, central.url, 7)
    _tamper(data_dir, sql)
    answer = _cli(tmp_path, "audit", "verify", "--json")
    assert answer.returncode == 1, answer.stdout + answer.stderr
    result = json.loads(answer.stdout)
    assert (result["ok"], result["first_bad"], result["problem"]) == (False, first_bad, problem)
    text = _cli(tmp_path, "audit", "verify")
    assert text.returncode == 1 and f"first bad record: {first_bad}" in text.stdout


def test_verify_finds_a_tail_cut_before_centrals_last_head(central, tmp_path):
    data_dir = _training_desk(tmp_path, central.url, 6)
    # Cut the tail, and the desk's own note of central's head with it.
    _tamper(data_dir, "DELETE FROM audit_records WHERE seq > 3")
    with sqlite3.connect(data_dir / AUDIT_DB) as db:
        db.execute("DELETE FROM audit_meta WHERE key LIKE 'central_head%'")
    assert _cli(tmp_path, "audit", "verify").returncode == 0  # consistent in itself ...

    answer = _cli(tmp_path, "audit", "verify", "--central", central.url, "--json")
    assert answer.returncode == 1, answer.stderr
    result = json.loads(answer.stdout)
    assert (result["first_bad"], result["problem"]) == (4, "truncated")
    assert result["central_head_seq"] == 6


def test_verify_without_a_chain_or_key_fails_clearly(tmp_path):
    missing = _cli(tmp_path, "audit", "verify")
    assert missing.returncode == 1 and "no_audit_chain" in missing.stderr
    data_dir = tmp_path / "data" / "training"
    _chain(data_dir, 1)
    from desktop.audit import AuditKeyStore

    AuditKeyStore(data_dir).key_file.unlink()
    lost = _cli(tmp_path, "audit", "verify")
    assert lost.returncode == 1 and "audit_key_missing" in lost.stderr
    assert not AuditKeyStore(data_dir).key_file.exists()  # verifying creates nothing


def test_audit_list_prints_records_without_personal_data(central, tmp_path):
    _training_desk(tmp_path, central.url, 3)
    answer = _cli(tmp_path, "audit", "list")
    assert answer.returncode == 0, answer.stderr
    rows = [json.loads(line) for line in answer.stdout.splitlines()]
    assert [r["seq"] for r in rows] == [1, 2, 3]
    assert {r["action"] for r in rows} == {"pin_result"}
    assert all(set(r) >= {"mac", "prev_mac", "person_ref"} for r in rows)
