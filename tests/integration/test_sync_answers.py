"""What the sync loop does with answers from central it must not trust: a 2xx about another
case, and free text (codes, ids, messages) that is huge, has control characters or personal
data. Over real HTTP against a scripted central on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import sqlite3

import pytest
from test_sync import Rig, make_case
from test_sync_helpers import Reply, ScriptedCentral, case_view, error

from desktop.sync import Backoff

SSN = "110105196210150016"
NAME = "张伟明"


@pytest.fixture
def central():
    with ScriptedCentral() as server:
        yield server


def _slow_backoff() -> Backoff:
    return Backoff(base=30, cap=30, floor=30, rng=lambda: 1.0)


@pytest.mark.parametrize(
    "change",
    [
        {"local_id": "W01-19990101-9999", "id": "C-OTHER"},
        {"service": "pension_claim"},
        {"workstation_id": "W99"},
        {"hall_id": "H9999"},
        {"id": "C-1\n2026-12-04 00:00:00 INFO fake log line"},
        {"id": "C" * 65},
    ],
)
def test_a_2xx_answer_about_another_case_is_never_taken_as_sent(tmp_path, central, change):
    def answer(seen):
        view = case_view(json.loads(seen.body)["local_id"], "C-100")
        view.update(change)
        return Reply(201, view)

    central.script("POST", "/v1/cases", answer)
    with Rig(tmp_path, central.url, _slow_backoff()) as rig:
        queued = [rig.outbox.enqueue(make_case()).result(10) for _ in range(3)]
        assert rig.wait(lambda c: bool(central.requests_to("POST", "/v1/cases")))
        assert rig.wait(lambda c: c["sending"] == 0 and c["pending"] == 3)
        entries = {e.local_id: e for e in rig.outbox.list().result(10)}
        first = entries[queued[0].local_id]
        for _ in range(200):
            first = rig.entry(queued[0].local_id)
            if first.error_code:
                break
        assert first.error_code == "answer_mismatch"
        assert all(e.state == "pending" and e.central_id is None for e in entries.values())
        assert rig.recorder.sent == []


def test_central_text_is_bounded_cleaned_and_personal_data_is_not_stored(tmp_path, central, caplog):
    huge_code = "x" * 100_000
    central.script(
        "POST",
        "/v1/cases",
        Reply(503, error(huge_code, "down")),
        Reply(
            422,
            error(
                "form_invalid\nFAKE LINE",
                f"the citizen {NAME} ({SSN}) is not eligible",
                {"form.amount": f"{NAME} {SSN}", "citizen\nssn": "x", "form.insured_months": "min"},
            ),
        ),
    )
    caplog.set_level(logging.DEBUG)
    with Rig(tmp_path, central.url, Backoff(base=0.01, cap=0.01, floor=0.01)) as rig:
        queued = rig.outbox.enqueue(make_case()).result(10)
        assert rig.wait(lambda c: c["rejected"] == 1)
        entry = rig.entry(queued.local_id)
        listed = json.dumps(entry.to_json(), ensure_ascii=False)
    assert entry.error_code == "http_422"
    assert entry.error_fields == {"form.amount": "invalid", "form.insured_months": "min"}
    for text in (SSN, NAME, "FAKE", "\n"):
        assert text not in listed
    assert huge_code not in caplog.text
    assert all("\n" not in r.getMessage() for r in caplog.records if r.name.startswith("desk"))
    assert SSN not in caplog.text and NAME not in caplog.text
    # Nothing central said about the citizen is in the database file, in any column.
    conn = sqlite3.connect(tmp_path / "outbox.db")
    try:
        rows = conn.execute(
            "SELECT last_error, error_code, error_fields FROM outbox_cases"
        ).fetchall()
    finally:
        conn.close()
    stored = json.dumps(rows, ensure_ascii=False)
    assert SSN not in stored and NAME not in stored and "not eligible" not in stored


def test_free_text_stored_by_an_older_version_is_removed_and_never_listed(tmp_path):
    from desktop.outbox import OutboxService, open_readonly

    outbox = OutboxService(tmp_path)
    outbox.start()
    try:
        local_id = outbox.enqueue(make_case()).result(10).local_id
    finally:
        outbox.stop()
    conn = sqlite3.connect(tmp_path / "outbox.db")
    conn.execute(
        "UPDATE outbox_cases SET state = 'rejected', error_code = 'form_invalid', "
        "last_error = ?, error_fields = ? WHERE local_id = ?",
        (
            f"HTTP 422 form_invalid: {NAME} {SSN} is not eligible",
            json.dumps({"form.amount": f"{NAME} {SSN}", "form.x": "required"}),
            local_id,
        ),
    )
    conn.commit()
    conn.close()
    with open_readonly(tmp_path) as store:
        listed = json.dumps([e.to_json() for e in store.entries()], ensure_ascii=False)
    assert SSN not in listed and NAME not in listed and "form_invalid" in listed
    outbox = OutboxService(tmp_path)
    outbox.start()
    outbox.stop()
    conn = sqlite3.connect(tmp_path / "outbox.db")
    row = conn.execute("SELECT last_error, error_fields FROM outbox_cases").fetchone()
    conn.close()
    assert row == ("form_invalid", json.dumps({"form.amount": "invalid", "form.x": "required"}))
