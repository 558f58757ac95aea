"""The command line's two ways to personal data are audited in the desk's chain:
``hall-counter card read --unmasked`` (recorded before anything is shown, refused on a computer
without a desk: no trail to record it in) and ``outbox export``. The card is the in-process
emulator (``--reader-kind sim``), the outbox and the audit chain the real ones."""

from __future__ import annotations

import json

import ui.cli
from desktop.audit import AuditStore, verify_store
from desktop.resources import resource_path

C01 = str(resource_path("cards", "c01.json"))
SSN = "110105196210150016"


def _read(capsys, data_dir, *extra: str) -> tuple[int, str, str]:
    code = ui.cli.main(
        [
            "--data-dir",
            str(data_dir),
            "card",
            "read",
            "--reader-kind",
            "sim",
            "--profile",
            C01,
            "--json",
            *extra,
        ]
    )
    out = capsys.readouterr()
    return code, out.out, out.err


def _records(training_dir) -> list[dict]:
    store = AuditStore(training_dir, None, readonly=True)
    try:
        return [e.to_json() for e in store.entries()]
    finally:
        store.close()


def test_unmasked_read_is_refused_without_a_desk(tmp_path, capsys):
    code, out, err = _read(capsys, tmp_path, "--unmasked")
    assert code == 2
    assert SSN not in out and "audit trail" in err
    # The masked read still works and records nothing.
    code, out, _err = _read(capsys, tmp_path)
    assert code == 0 and json.loads(out)["ssn"] == "110105********0016"
    assert not (tmp_path / "training" / "audit.db").exists()


def test_unmasked_read_is_recorded_in_the_desks_chain(tmp_path, capsys):
    from ui.app import store_training_workstation, training_data_dir, training_settings

    training = training_data_dir(tmp_path)
    store_training_workstation(training, training_settings("http://127.0.0.1:9"))

    code, out, _err = _read(capsys, tmp_path)
    assert code == 0 and json.loads(out)["ssn"] != SSN
    assert not (training / "audit.db").exists()  # a masked read is not recorded

    code, out, _err = _read(capsys, tmp_path, "--unmasked")
    assert code == 0 and json.loads(out)["ssn"] == SSN
    records = _records(training)
    assert [r["action"] for r in records] == ["unmasked_view"]
    record = records[0]
    assert record["actor"].startswith("os:") and record["workstation_id"] == "W01"
    assert record["details"] == {"fields": ["ssn", "name"], "via": "cli"}
    assert SSN not in json.dumps(records) and "A10000011" not in json.dumps(records)

    _read(capsys, tmp_path, "--unmasked")
    assert [r["seq"] for r in _records(training)] == [1, 2]
    from desktop.audit import AuditKeyStore

    key = AuditKeyStore(training).load_existing()
    store = AuditStore(training, None, readonly=True)
    try:
        assert verify_store(store, key).ok
    finally:
        store.close()


def test_outbox_export_is_recorded_in_the_desks_chain(tmp_path, capsys, monkeypatch):
    from datetime import UTC, datetime

    from desktop.contract import CaseSubmission, CitizenRef, FaceCheck, IdentityCheck
    from desktop.outbox import OutboxService
    from ui.app import store_training_workstation, training_data_dir, training_settings

    training = training_data_dir(tmp_path)
    outbox = OutboxService(training)
    outbox.start()
    try:
        outbox.enqueue(
            CaseSubmission(
                local_id="unassigned",
                service="unemployment_benefit",
                hall_id="H0001",
                workstation_id="W01",
                clerk="clerk01",
                created_at=datetime.now(UTC),
                citizen=CitizenRef(ssn=SSN, card_no="A10000011"),
                identity=IdentityCheck(
                    pin="ok", face=FaceCheck(decision="match", distance=0.35, threshold=0.6)
                ),
                form={"reason_for_leaving": "contract_expired", "amount": 2130.5},
            )
        ).result(10)
    finally:
        outbox.stop()
    monkeypatch.setenv("HALL_COUNTER_EXPORT_PASSPHRASE", "a passphrase for the move")
    target = tmp_path / "move.hcx"
    argv = ["--data-dir", str(tmp_path), "outbox", "export", str(target)]

    # An outbox without a desk identity: nothing leaves unrecorded.
    assert ui.cli.main(argv) == 1
    assert not target.exists() and "no desk" in capsys.readouterr().err

    store_training_workstation(training, training_settings("http://127.0.0.1:9"))
    assert ui.cli.main(argv) == 0
    assert json.loads(capsys.readouterr().out)["cases"] == 1
    records = [r for r in _records(training) if r["action"] == "cases_exported"]
    assert len(records) == 1
    assert records[0]["details"] == {"count": 1, "via": "cli"}
    assert records[0]["actor"].startswith("os:") and records[0]["workstation_id"] == "W01"
