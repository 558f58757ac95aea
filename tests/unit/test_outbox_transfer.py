"""Outbox export and import without central: the file, its passphrase, and what import adds."""

from __future__ import annotations

import base64
import json
import stat
from datetime import datetime
from pathlib import Path

import pytest
from test_outbox import CARD_NO, EMPLOYER, NAME, SSN, make_case

from desktop.crypto import open_with_passphrase, seal_with_passphrase
from desktop.errors import OutboxError
from desktop.outbox import OutboxService, OutboxStore

PASSPHRASE = "说好的口令 and some words"


def started(data_dir: Path) -> OutboxService:
    svc = OutboxService(data_dir)
    svc.start()
    return svc


@pytest.fixture
def desk_with_cases(tmp_path: Path):
    """An outbox holding 2 pending, 1 rejected, 1 sent and 1 withdrawn case."""
    data_dir = tmp_path / "old"
    store = OutboxStore(data_dir)
    try:
        sent = store.add(make_case())
        store.claim_next()
        store.mark_sent(sent.local_id, "C1")
        rejected = store.add(make_case())
        store.claim_next()
        store.mark_rejected(rejected.local_id, "form_invalid", "HTTP 422", {"form.x": "required"})
        withdrawn = store.add(make_case())
        store.withdraw(withdrawn.local_id, "duplicate")
        pending = [store.add(make_case()) for _ in range(2)]
    finally:
        store.close()
    return data_dir, {"rejected": rejected, "pending": pending, "sent": sent}


def test_export_holds_exactly_the_unsent_cases_sealed(desk_with_cases, tmp_path: Path):
    data_dir, cases = desk_with_cases
    path = tmp_path / "move.hcx"
    svc = started(data_dir)
    try:
        result = svc.export_to(path, PASSPHRASE).result(30)
        counts = svc.counts()
    finally:
        svc.stop()
    expected = [cases["rejected"].local_id, *(q.local_id for q in cases["pending"])]
    assert list(result.local_ids) == expected
    assert counts["pending"] == 2 and counts["rejected"] == 1  # export changes nothing
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    raw = path.read_bytes()
    for secret in (SSN, CARD_NO, NAME, EMPLOYER, cases["rejected"].local_id):
        assert secret.encode() not in raw
    header = json.loads(raw)
    assert header["format"] == "hall-counter-outbox-export" and header["kdf"]["name"] == "scrypt"
    payload = json.loads(open_with_passphrase(raw, PASSPHRASE))
    assert [c["state"] for c in payload["cases"]] == ["rejected", "pending", "pending"]
    assert payload["cases"][0]["error_fields"] == {"form.x": "required"}
    assert SSN in payload["cases"][1]["body"]


def test_import_keeps_ids_and_keys_and_adds_nothing_twice(desk_with_cases, tmp_path: Path):
    data_dir, cases = desk_with_cases
    path = tmp_path / "move.hcx"
    svc = started(data_dir)
    try:
        svc.export_to(path, PASSPHRASE).result(30)
    finally:
        svc.stop()

    new = started(tmp_path / "new")
    try:
        first = new.import_from(path, PASSPHRASE).result(30)
        second = new.import_from(path, PASSPHRASE).result(30)
        entries = {e.local_id: e for e in new.list().result(10)}
        counts = new.counts()
        body = new.open_case(cases["pending"][0].local_id).result(10)
        after = new.enqueue(make_case()).result(10)
    finally:
        new.stop()
    assert len(first.imported) == 3 and not first.present and not first.conflicts
    assert not second.imported and len(second.present) == 3
    assert counts == {"pending": 2, "sending": 0, "sent": 0, "rejected": 1, "withdrawn": 0}
    for q in (cases["rejected"], *cases["pending"]):
        assert entries[q.local_id].idempotency_key == q.idempotency_key
        assert entries[q.local_id].origin == "import"
    assert entries[cases["rejected"].local_id].error_code == "form_invalid"
    assert body.citizen.ssn == SSN  # re-sealed under the new desk's key, opens there
    # The new desk numbers its own cases after the imported ones.
    day = datetime.now().strftime("%Y%m%d")
    assert after.local_id == f"W01-{day}-0006"


def test_a_case_whose_local_id_is_taken_here_is_not_imported(desk_with_cases, tmp_path: Path):
    data_dir, cases = desk_with_cases
    path = tmp_path / "move.hcx"
    svc = started(data_dir)
    try:
        svc.export_to(path, PASSPHRASE).result(30)
    finally:
        svc.stop()
    other = started(tmp_path / "other")  # a second PC working as W01 the same day
    try:
        mine = [other.enqueue(make_case()).result(10) for _ in range(2)]
        result = other.import_from(path, PASSPHRASE).result(30)
    finally:
        other.stop()
    assert mine[1].local_id == cases["rejected"].local_id
    assert result.conflicts == (cases["rejected"].local_id,)
    assert len(result.imported) == 2


def test_wrong_passphrase_and_altered_files_are_refused(desk_with_cases, tmp_path: Path):
    data_dir, _ = desk_with_cases
    path = tmp_path / "move.hcx"
    svc = started(data_dir)
    try:
        svc.export_to(path, PASSPHRASE).result(30)
        with pytest.raises(OutboxError) as info:
            svc.export_to(tmp_path / "weak.hcx", "short").result(30)
        assert info.value.code == "passphrase_too_short"
        assert not (tmp_path / "weak.hcx").exists()
    finally:
        svc.stop()
    document = json.loads(path.read_bytes())

    def variant(**changes) -> bytes:
        return json.dumps({**document, **changes}).encode()

    weaker = {**document["kdf"], "n": 2**14}
    sealed = bytearray(base64.b64decode(document["ciphertext"]))
    sealed[5] ^= 1
    cases = [
        (path.read_bytes(), "not the passphrase", "passphrase_wrong"),
        (variant(kdf=weaker), PASSPHRASE, "passphrase_wrong"),  # the header is authenticated
        (
            variant(ciphertext=base64.b64encode(bytes(sealed)).decode()),
            PASSPHRASE,
            "passphrase_wrong",
        ),
        (variant(kdf={**document["kdf"], "n": 2**30}), PASSPHRASE, "export_file_invalid"),
        (variant(format="something else"), PASSPHRASE, "export_file_invalid"),
        (b"\x00\x01 not json", PASSPHRASE, "export_file_invalid"),
    ]
    new = started(tmp_path / "new")
    try:
        for n, (data, passphrase, code) in enumerate(cases):
            bad = tmp_path / f"bad-{n}.hcx"
            bad.write_bytes(data)
            with pytest.raises(OutboxError) as info:
                new.import_from(bad, passphrase).result(30)
            assert info.value.code == code, n
        with pytest.raises(OutboxError) as info:
            new.import_from(tmp_path / "missing.hcx", PASSPHRASE).result(30)
        assert info.value.code == "file_unreadable"
        assert new.counts()["pending"] == 0
    finally:
        new.stop()


def test_a_malformed_case_in_the_file_fails_the_whole_import(tmp_path: Path):
    good = make_case().model_copy(update={"local_id": "W01-20260101-0001"})
    payload = {
        "cases": [
            {
                "local_id": "W01-20260101-0001",
                "idempotency_key": "9b2f4d6e-0c55-4a57-9d0b-4b4f5fbb1a10",
                "body": good.model_dump_json(),
            },
            {"local_id": "W01-20260101-0002", "idempotency_key": "not-a-uuid", "body": "{}"},
        ]
    }
    path = tmp_path / "odd.hcx"
    path.write_bytes(seal_with_passphrase(json.dumps(payload).encode(), PASSPHRASE))
    svc = started(tmp_path / "desk")
    try:
        with pytest.raises(OutboxError) as info:
            svc.import_from(path, PASSPHRASE).result(30)
        assert info.value.code == "export_file_invalid"
        assert svc.counts()["pending"] == 0  # all or nothing
    finally:
        svc.stop()


def test_training_and_real_cases_never_mix(desk_with_cases, tmp_path: Path):
    from desktop.errors import OutboxError

    data_dir, _cases = desk_with_cases
    training_file, real_file = tmp_path / "training.hcx", tmp_path / "real.hcx"
    svc = started(data_dir)
    try:
        svc.export_to(training_file, PASSPHRASE, training=True).result(30)
        svc.export_to(real_file, PASSPHRASE).result(30)
    finally:
        svc.stop()
    # A file from before the mark holds real cases.
    payload = json.loads(open_with_passphrase(real_file.read_bytes(), PASSPHRASE))
    del payload["training"]
    old_file = tmp_path / "old.hcx"
    old_file.write_bytes(seal_with_passphrase(json.dumps(payload).encode(), PASSPHRASE))

    production, training = started(tmp_path / "prod"), started(tmp_path / "train")
    try:
        for path, desk, is_training in (
            (training_file, production, False),
            (real_file, training, True),
            (old_file, training, True),
        ):
            with pytest.raises(OutboxError) as refused:
                desk.import_from(path, PASSPHRASE, training=is_training).result(30)
            assert refused.value.code == "export_kind_mismatch"
        assert production.counts()["pending"] == 0 and training.counts()["pending"] == 0
        assert (
            len(training.import_from(training_file, PASSPHRASE, training=True).result(30).imported)
            == 3
        )
        assert len(production.import_from(old_file, PASSPHRASE).result(30).imported) == 3
    finally:
        production.stop()
        training.stop()


def test_a_passphrase_file_that_is_not_text_is_a_usage_error(tmp_path):
    import argparse

    from ui.commands import outbox

    binary = tmp_path / "pass.bin"
    binary.write_bytes(b"\x80\xffsecret")
    with pytest.raises(outbox._UsageError, match="not UTF-8 text"):
        outbox._passphrase(argparse.Namespace(passphrase_file=binary), confirm=False)
