"""The outbox against the real sandbox misbehaving on purpose (sandbox/faults.py), and the
outbox's export/import and correction paths against central: exactly once throughout."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from test_sync_sandbox import FORM, WS, Events, make_case, make_outbox

from desktop.central import CentralClient
from desktop.contract import FaultSpec
from desktop.outbox import OutboxService
from sandbox.server import EmbeddedSandbox

PASSPHRASE = "correct horse battery staple"


def central_cases(db: Path) -> list[tuple[str, str]]:
    """(idempotency key, local id) of every case central stored."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT idempotency_key, local_id FROM cases").fetchall()
    finally:
        conn.close()


def queue_only(data_dir: Path, n: int, form: dict | None = None) -> list:
    """Queue ``n`` cases with no central (the desk is offline)."""
    outbox = OutboxService(data_dir)
    outbox.start()
    try:
        return [outbox.enqueue(make_case(form)).result(10) for _ in range(n)]
    finally:
        outbox.stop()


def drain(data_dir: Path, url: str, events: Events | None = None) -> dict[str, int]:
    outbox = make_outbox(data_dir, url, events)
    outbox.start()
    try:
        assert outbox.wait_until(lambda c: c["pending"] == 0 and c["sending"] == 0, 60)
        return dict(outbox.sync.answers)
    finally:
        outbox.stop()


@pytest.mark.slow
def test_errors_and_cut_answers_still_give_exactly_once(tmp_path):
    faults = FaultSpec(error_rate=0.3, drop_after_commit=0.4, seed=11)
    queued = queue_only(tmp_path / "data", 12)
    with EmbeddedSandbox(tmp_path / "central.db", faults=faults, advance_seconds=0) as central:
        events = Events()
        answers = drain(tmp_path / "data", central.url, events)
    stored = central_cases(tmp_path / "central.db")

    # Each case once at central, by key and by local id; the desk heard of each once.
    assert sorted(k for k, _ in stored) == sorted(q.idempotency_key for q in queued)
    assert Counter(local_id for _, local_id in stored) == Counter(q.local_id for q in queued)
    assert sorted(local_id for local_id, _ in events.sent) == sorted(q.local_id for q in queued)
    # The faults did happen: refused requests, cut answers then replays answered 200.
    assert answers.get("503", 0) >= 1, answers
    assert answers.get("network_error", 0) >= 1 and answers.get("200", 0) >= 1, answers
    assert events.rejected == []


@pytest.mark.slow
def test_rate_limited_desk_waits_and_sends_each_case_once(tmp_path):
    queued = queue_only(tmp_path / "data", 6)
    with EmbeddedSandbox(
        tmp_path / "central.db", faults=FaultSpec(rate_limit=2), advance_seconds=0
    ) as central:
        answers = drain(tmp_path / "data", central.url)
    assert answers.get("429", 0) >= 1, answers
    assert answers.get("201") == 6
    assert len(central_cases(tmp_path / "central.db")) == len(queued)


@pytest.mark.slow
def test_export_import_twice_and_after_sending_creates_no_duplicate(tmp_path):
    """A desk's PC fails while central is down: its cases go to a replacement PC enrolled as
    the same workstation. The file is imported twice; later the old PC comes back and sends
    too; the file is imported once more on a third PC after everything was sent."""
    old_pc, new_pc, third_pc = tmp_path / "old", tmp_path / "new", tmp_path / "third"
    queued = queue_only(old_pc, 3)
    rejected = queue_only(old_pc, 1, {**FORM, "insured_months": 3})  # central will refuse it
    export = tmp_path / "outbox.hcx"

    outbox = OutboxService(old_pc)
    outbox.start()
    try:
        result = outbox.export_to(export, PASSPHRASE).result(30)
    finally:
        outbox.stop()
    assert result.count == 4

    replacement = OutboxService(new_pc)
    replacement.start()
    try:
        first = replacement.import_from(export, PASSPHRASE).result(30)
        second = replacement.import_from(export, PASSPHRASE).result(30)
        entries = {e.local_id: e for e in replacement.list().result(10)}
    finally:
        replacement.stop()
    assert len(first.imported) == 4 and first.present == () and first.conflicts == ()
    assert second.imported == () and len(second.present) == 4
    assert first.workstations == (WS["id"],)
    # The importing desk keeps the original local ids and idempotency keys.
    for q in queued + rejected:
        assert entries[q.local_id].idempotency_key == q.idempotency_key
        assert entries[q.local_id].origin == "import"

    with EmbeddedSandbox(tmp_path / "central.db", advance_seconds=0) as central:
        new_events = Events()
        drain(new_pc, central.url, new_events)
        old_answers = drain(old_pc, central.url)  # the old PC is back and sends its copies
        assert old_answers.get("201", 0) == 0 and old_answers.get("200", 0) == 3

        late = OutboxService(third_pc)
        late.start()
        try:
            assert len(late.import_from(export, PASSPHRASE).result(30).imported) == 4
        finally:
            late.stop()
        third_events = Events()
        third_answers = drain(third_pc, central.url, third_events)
        client = CentralClient(central.url)
        token = client.workstation_login(WS["id"], WS["secret"]).token
        views = {v.local_id: v.id for v in client.cases(token, workstation=WS["id"])}
        client.close()

    stored = central_cases(tmp_path / "central.db")
    assert sorted(k for k, _ in stored) == sorted(q.idempotency_key for q in queued)
    assert Counter(local_id for _, local_id in stored) == Counter(q.local_id for q in queued)
    assert third_answers.get("200") == 3 and third_answers.get("201", 0) == 0
    assert dict(third_events.sent) == {q.local_id: views[q.local_id] for q in queued}
    assert [r[0] for r in new_events.rejected] == [rejected[0].local_id]


@pytest.mark.slow
def test_a_refused_case_corrected_by_the_clerk_reaches_central_as_version_2(tmp_path):
    with EmbeddedSandbox(tmp_path / "central.db", advance_seconds=0) as central:
        events = Events()
        outbox = make_outbox(tmp_path / "data", central.url, events)
        outbox.start()
        try:
            bad = outbox.enqueue(make_case({**FORM, "insured_months": 3})).result(10)
            assert outbox.wait_until(lambda c: c["rejected"] == 1, 30)
            [entry] = outbox.list().result(10)
            assert entry.error_code == "form_invalid"
            assert entry.error_fields == {"form.insured_months": "minimum"}

            case = outbox.open_case(bad.local_id).result(10)
            fixed = outbox.resubmit(
                bad.local_id, form={**case.form, "insured_months": 36}, by="clerk01"
            ).result(10)
            assert outbox.wait_until(lambda c: c["sent"] == 1 and c["rejected"] == 0, 30)
            chain = outbox.history(fixed.local_id).result(10)
        finally:
            outbox.stop()
    assert [(e.version, e.state) for e in chain] == [(1, "rejected"), (2, "sent")]
    assert events.rejected == [(bad.local_id, "form_invalid")]
    assert [local_id for local_id, _ in events.sent] == [f"{bad.local_id}.2"]
    stored = central_cases(tmp_path / "central.db")
    assert stored == [(fixed.idempotency_key, f"{bad.local_id}.2")]
