"""The outbox's rules beyond storing: freeze, correction chain, withdrawal, retention, schema
upgrade, durability of each kind of write, the crash hook and the backoff."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_outbox import CARD_NO, NAME, SSN, make_case

from desktop.contract import CoSign
from desktop.errors import OutboxError
from desktop.outbox import (
    FreezePolicy,
    OutboxFrozenError,
    OutboxService,
    OutboxStore,
    evaluate_freeze,
    open_readonly,
)
from desktop.settings import settings_from_dict
from desktop.sync import Backoff

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path):
    s = OutboxStore(data_dir, freeze=FreezePolicy.off())
    yield s
    s.close()


def reject(store: OutboxStore, local_id: str, code: str = "form_invalid") -> None:
    """Send the case and have central refuse it (as the sync loop records it)."""
    claimed = store.claim_next()
    assert claimed is not None and claimed.local_id == local_id
    store.mark_rejected(
        local_id, code, f"HTTP 422 {code}: refused", {"form.insured_months": "minimum"}
    )


def send(store: OutboxStore, local_id: str, central_id: str = "C1") -> None:
    claimed = store.claim_next()
    assert claimed is not None and claimed.local_id == local_id
    store.mark_sent(local_id, central_id)


# --- freeze ---------------------------------------------------------------------------------------


def test_new_cases_are_refused_at_the_unsent_limit_and_accepted_once_sent(data_dir: Path):
    svc = OutboxService(data_dir, freeze=FreezePolicy(max_unsent=2, max_age_seconds=None))
    svc.start()
    try:
        first = svc.enqueue(make_case()).result(10)
        svc.enqueue(make_case()).result(10)
        assert svc.freeze_state().frozen and svc.freeze_state().reason == "unsent_count"
        with pytest.raises(OutboxFrozenError) as info:
            svc.enqueue(make_case()).result(10)
        error = info.value
        assert error.code == "outbox_frozen"
        assert error.state.unsent == 2 and error.state.max_unsent == 2
        # The message says why and what to do.
        assert "2 cases not yet sent" in error.detail
        assert "Send now" in error.detail and "outbox export" in error.detail
        assert svc.counts()["pending"] == 2  # nothing was stored

        # A withdrawn case no longer counts; the desk accepts a case again.
        assert svc.withdraw(first.local_id, "duplicate").result(10)
        assert not svc.freeze_state().frozen
        svc.enqueue(make_case()).result(10)
    finally:
        svc.stop()


def test_new_cases_are_refused_when_the_oldest_unsent_is_too_old(store: OutboxStore):
    store.freeze = FreezePolicy(max_unsent=None, max_age_seconds=3600)
    now = time.time()
    store.add(make_case(), now=now - 7200)
    with pytest.raises(OutboxFrozenError) as info:
        store.add(make_case(), now=now)
    state = info.value.state
    assert state.reason == "unsent_age" and state.oldest_unsent_seconds >= 7200
    assert "waited 2 hours (the limit is 1 hours)" in state.message()

    # Sent and rejected cases are not "unsent": once the old one is sent, cases are welcome.
    send(store, store.entries()[0].local_id)
    store.add(make_case(), now=now)
    assert not store.freeze_state().frozen


def test_corrections_and_imports_are_not_refused_by_the_freeze(store: OutboxStore):
    first = store.add(make_case())
    reject(store, first.local_id)
    store.add(make_case())
    store.freeze = FreezePolicy(max_unsent=1)
    assert store.freeze_state().frozen
    corrected = store.resubmit(first.local_id, form={"insured_months": 36})
    assert corrected.version == 2


def test_freeze_evaluation_and_settings():
    policy = FreezePolicy(max_unsent=10, max_age_seconds=60)
    assert not evaluate_freeze(policy, 9, 100.0, 150.0).frozen
    assert evaluate_freeze(policy, 10, 100.0, 150.0).reason == "unsent_count"
    assert evaluate_freeze(policy, 1, 100.0, 161.0).reason == "unsent_age"
    assert not evaluate_freeze(policy, 0, None, 1e9).frozen
    assert not evaluate_freeze(FreezePolicy.off(), 10**6, 0.0, 1e9).frozen

    base = {"central": {"url": "http://127.0.0.1:1"}, "workstation": {"hall_id": "H", "id": "W"}}
    base["workstation"]["secret"] = "s"
    settings = settings_from_dict(
        {**base, "outbox": {"freeze_max_unsent": 0, "freeze_max_age_hours": 12}}
    )
    policy = FreezePolicy.from_settings(settings)
    assert policy.max_unsent is None and policy.max_age_seconds == 12 * 3600
    defaults = FreezePolicy.from_settings(settings_from_dict(base))
    assert defaults == FreezePolicy(max_unsent=500, max_age_seconds=72 * 3600)
    from desktop.settings import SettingsError

    with pytest.raises(SettingsError) as info:
        settings_from_dict(
            {**base, "outbox": {"backoff_base_seconds": 10, "backoff_cap_seconds": 5}}
        )
    assert info.value.key == "outbox.backoff_cap_seconds"


# --- correction chain ---------------------------------------------------------------------------


def test_a_rejected_case_is_corrected_as_a_new_version(store: OutboxStore, data_dir: Path):
    first = store.add(make_case())
    reject(store, first.local_id)
    assert store.counts()["rejected"] == 1
    [entry] = store.entries()
    assert entry.error_code == "form_invalid"
    assert entry.error_fields == {"form.insured_months": "minimum"}
    assert entry.needs_clerk

    original = store.open_case(first.local_id)
    form = {**original.form, "insured_months": 36}
    v2 = store.resubmit(first.local_id, form=form, by="clerk02")
    assert v2.local_id == f"{first.local_id}.2" and v2.version == 2
    assert v2.supersedes == first.local_id
    assert v2.idempotency_key != first.idempotency_key

    # The new version holds the correction; everything else is the case as it was.
    body = store.open_case(v2.local_id)
    assert body.form["insured_months"] == 36 and body.local_id == v2.local_id
    assert body.citizen == original.citizen and body.created_at == original.created_at

    # The old version stays, recorded as replaced, and no longer waits for the clerk.
    counts = store.counts()
    assert counts["rejected"] == 0 and counts["pending"] == 1
    chain = store.history(v2.local_id)
    assert [(e.local_id, e.version, e.state) for e in chain] == [
        (first.local_id, 1, "rejected"),
        (v2.local_id, 2, "pending"),
    ]
    assert chain[0].superseded_by == v2.local_id and chain[0].changed_by == "clerk02"
    assert chain[1].supersedes == first.local_id and chain[1].case_ref == first.local_id
    conn = sqlite3.connect(data_dir / "outbox.db")
    body_left = conn.execute(
        "SELECT body FROM outbox_cases WHERE local_id = ?", (first.local_id,)
    ).fetchone()[0]
    conn.close()
    assert body_left is None  # the replaced version keeps no personal data

    # A replaced version cannot be corrected again; the chain goes on from the newest.
    with pytest.raises(OutboxError) as info:
        store.resubmit(first.local_id, form=form)
    assert info.value.code == "not_correctable"
    reject(store, v2.local_id, "approval_required")
    cosign = CoSign(supervisor="super01", reason="checked", at=datetime.now(UTC))
    v3 = store.resubmit(v2.local_id, cosign=cosign)
    assert v3.local_id == f"{first.local_id}.3"
    assert store.open_case(v3.local_id).cosign.supervisor == "super01"
    assert [e.version for e in store.history(first.local_id)] == [1, 2, 3]


def test_only_rejected_cases_can_be_corrected_and_bad_corrections_are_refused(
    store: OutboxStore,
):
    queued = store.add(make_case())
    with pytest.raises(OutboxError) as info:
        store.resubmit(queued.local_id, form={})
    assert info.value.code == "not_correctable"
    reject(store, queued.local_id)
    with pytest.raises(OutboxError) as info:
        store.resubmit(queued.local_id, form="not a form")
    assert info.value.code == "case_invalid"
    assert store.counts()["rejected"] == 1  # nothing changed
    with pytest.raises(OutboxError) as info:
        store.resubmit("W01-00000000-0000", form={})
    assert info.value.code == "no_such_case"


# --- withdrawal ---------------------------------------------------------------------------------


def test_withdrawal_keeps_a_reason_code_and_a_sealed_note(store: OutboxStore, data_dir: Path):
    queued = store.add(make_case())
    reject(store, queued.local_id)
    note = f"{NAME} will come back with the employer's letter"
    assert store.withdraw(queued.local_id, "citizen_request", note=note, by="clerk01")
    [entry] = store.entries()
    assert entry.state == "withdrawn" and entry.withdraw_reason == "citizen_request"
    assert entry.changed_by == "clerk01"
    assert NAME not in json.dumps(entry.to_json(), ensure_ascii=False)
    assert store.withdraw_note(queued.local_id) == note
    store.close()
    raw = b"".join(p.read_bytes() for p in data_dir.iterdir() if p.name.startswith("outbox.db"))
    for secret in (NAME, SSN, CARD_NO):
        assert secret.encode() not in raw

    again = OutboxStore(data_dir)
    try:
        assert not again.withdraw(queued.local_id, "duplicate")  # already withdrawn
        with pytest.raises(OutboxError) as info:
            again.withdraw(queued.local_id, "because I say so")
        assert info.value.code == "bad_withdraw_reason"
        sent = again.add(make_case())
        send(again, sent.local_id)
        assert not again.withdraw(sent.local_id, "duplicate")  # central has it: too late
    finally:
        again.close()


# --- retention ----------------------------------------------------------------------------------


def test_purge_removes_finished_chains_past_the_retention_only(store: OutboxStore):
    now = time.time()
    old = now - 40 * 86400
    sent = store.add(make_case(), now=old)
    send(store, sent.local_id)
    corrected = store.add(make_case(), now=old)
    reject(store, corrected.local_id)
    v2 = store.resubmit(corrected.local_id, form={"insured_months": 36}, now=old)
    waiting = store.add(make_case(), now=old)
    recent = store.add(make_case(), now=now)

    conn = store._conn
    conn.exec_driver_sql("UPDATE outbox_cases SET updated_at = ?", (old,))
    conn.commit()
    # The old chain's newest version is still pending: nothing of it may go.
    assert store.purge_sent(30, now=now) == 1
    ids = {e.local_id for e in store.entries()}
    assert sent.local_id not in ids
    assert {corrected.local_id, v2.local_id, waiting.local_id, recent.local_id} <= ids

    # Once the correction is sent (and that too is old), the whole chain goes.
    send(store, corrected.local_id + ".2")
    conn.exec_driver_sql("UPDATE outbox_cases SET updated_at = ?", (old,))
    conn.commit()
    assert store.purge_sent(30, now=now) == 2
    assert {e.local_id for e in store.entries()} == {waiting.local_id, recent.local_id}


# --- schema upgrade -----------------------------------------------------------------------------

SCHEMA_1 = """
CREATE TABLE outbox_cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT, local_id VARCHAR(64) NOT NULL UNIQUE,
    idempotency_key VARCHAR(36) NOT NULL UNIQUE, service VARCHAR(64) NOT NULL,
    created_at VARCHAR(32) NOT NULL, cipher VARCHAR(16), nonce BLOB, body BLOB,
    state VARCHAR(16) NOT NULL, attempts INTEGER NOT NULL, next_attempt_at FLOAT NOT NULL,
    last_error VARCHAR(500), central_id VARCHAR(64), updated_at FLOAT NOT NULL, sent_at FLOAT);
CREATE INDEX ix_outbox_cases_state ON outbox_cases (state);
CREATE TABLE outbox_sequences (day VARCHAR(8) PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE outbox_meta (key VARCHAR(64) PRIMARY KEY, value BLOB NOT NULL);
INSERT INTO outbox_cases (local_id, idempotency_key, service, created_at, state, attempts,
    next_attempt_at, last_error, central_id, updated_at, sent_at)
    VALUES ('W01-20260101-0001', '00000000-0000-4000-8000-000000000001', 'unemployment_benefit',
            '2026-01-01T08:00:00+00:00', 'sent', 1, 1.0, NULL, 'C1', 1767254400.0, 1767254400.0);
"""


def test_an_outbox_of_the_first_schema_is_upgraded(data_dir: Path):
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(data_dir / "outbox.db")
    conn.executescript(SCHEMA_1)
    conn.close()

    # Read-only (outbox status on a desk not yet restarted) works on the old schema as it is.
    with open_readonly(data_dir) as ro:
        assert ro.counts()["sent"] == 1
        assert ro.entries()[0].version == 1

    store = OutboxStore(data_dir)
    try:
        [entry] = store.entries()
        assert entry.case_ref == entry.local_id and entry.queued_at == 1767254400.0
        assert entry.origin == "desk"
        queued = store.add(make_case())
        assert store.history(queued.local_id)[0].version == 1
        assert store.integrity_check() == "ok"
    finally:
        store.close()


# --- durability ---------------------------------------------------------------------------------


def _synchronous(store: OutboxStore) -> int:
    # What the store's connection used for its last transaction: 2 = FULL, 1 = NORMAL.
    value = store._conn.exec_driver_sql("PRAGMA synchronous").scalar()
    store._conn.rollback()
    return value


def test_what_the_clerk_is_told_waits_for_the_disk_and_sync_marks_do_not(store: OutboxStore):
    queued = store.add(make_case())
    assert _synchronous(store) == 2
    store.claim_next()
    assert _synchronous(store) == 1
    store.mark_sent(queued.local_id, "C1")
    assert _synchronous(store) == 1
    second = store.add(make_case())
    assert _synchronous(store) == 2
    store.claim_next()
    store.mark_rejected(second.local_id, "form_invalid", "HTTP 422")
    store.resubmit(second.local_id, form={"insured_months": 36})
    assert _synchronous(store) == 2
    store.withdraw(second.local_id + ".2", "duplicate")
    assert _synchronous(store) == 2


# --- the crash hook -----------------------------------------------------------------------------


def test_crash_hook_does_nothing_unless_armed_and_kills_at_its_point(tmp_path: Path):
    code = (
        "import sys; from desktop.outbox import crash_point\n"
        "crash_point('after_claim'); print('passed other point', flush=True)\n"
        "crash_point('after_send'); print('passed once', flush=True)\n"
        "crash_point('after_send'); print('not reached', flush=True)\n"
    )
    import os

    env = dict(os.environ, HALL_COUNTER_CRASH_POINT="after_send:2")
    armed = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert armed.returncode == -9
    assert armed.stdout.splitlines() == ["passed other point", "passed once"]
    env.pop("HALL_COUNTER_CRASH_POINT")
    unarmed = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert unarmed.returncode == 0 and "not reached" in unarmed.stdout


# --- backoff ------------------------------------------------------------------------------------


def test_retry_after_is_a_floor_with_a_bounded_spread():
    top = Backoff(base=1, cap=300, floor=0.1, rng=lambda: 1.0)
    bottom = Backoff(base=1, cap=300, floor=0.1, rng=lambda: 0.0)
    # Never earlier than central asked; spread by at most as much again.
    assert bottom.delay(8, retry_after=2) == 2
    assert top.delay(8, retry_after=2) == 4
    # Early on the backoff's own ceiling bounds the spread.
    assert Backoff(base=0.5, cap=300, rng=lambda: 1.0).delay(1, retry_after=2) == 2.5
    # A Retry-After of 0 still leaves the floor between attempts.
    assert bottom.delay(1, retry_after=0) == 0.1
    # Without one: full jitter up to the capped exponential.
    assert top.delay(20) == 300 and bottom.delay(20) == 0.1
