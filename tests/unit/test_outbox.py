"""The outbox's storage and writer thread: durability, encryption at rest, recovery."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import stat
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.contract import CaseSubmission, CitizenRef, FaceCheck, IdentityCheck
from desktop.crypto import DataKeyStore, key_store_description
from desktop.errors import OutboxError
from desktop.outbox import OutboxService, OutboxStore, open_readonly

SSN = "110105196210150016"
CARD_NO = "A10000011"
NAME = "张伟明"
EMPLOYER = "示例贸易有限公司"


def make_case(**form) -> CaseSubmission:
    """A case as the desk builds it (local id assigned by the outbox)."""
    return CaseSubmission(
        local_id="unassigned",
        service="unemployment_benefit",
        hall_id="H0001",
        workstation_id="W01",
        clerk="clerk01",
        created_at=datetime.now(UTC),
        citizen=CitizenRef(person_ref="P0001", ssn=SSN, card_no=CARD_NO),
        identity=IdentityCheck(
            pin="ok", face=FaceCheck(decision="match", distance=0.41, threshold=0.6)
        ),
        form=form
        or {
            "reason_for_leaving": "contract_expired",
            "last_employer": EMPLOYER,
            "insured_months": 36,
            "amount": 2130.5,
            "note": NAME,
        },
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def service(data_dir: Path):
    svc = OutboxService(data_dir)
    svc.start()
    yield svc
    svc.stop()


def _row_visible_to_another_connection(db: Path, local_id: str) -> bool:
    conn = sqlite3.connect(db)
    try:
        return (
            conn.execute(
                "SELECT count(*) FROM outbox_cases WHERE local_id = ?", (local_id,)
            ).fetchone()[0]
            == 1
        )
    finally:
        conn.close()


def test_enqueue_resolves_only_after_commit(service: OutboxService, data_dir: Path):
    seen: dict[str, bool] = {}
    called = threading.Event()

    def on_done(future):
        # Runs on the writer thread the moment the future resolves: another connection only
        # sees committed data, so the row must already be there.
        queued = future.result()
        seen[queued.local_id] = _row_visible_to_another_connection(
            data_dir / "outbox.db", queued.local_id
        )
        called.set()

    future = service.enqueue(make_case())
    future.add_done_callback(on_done)
    queued = future.result(timeout=10)
    assert called.wait(10)  # callbacks run just after result() can return
    assert seen == {queued.local_id: True}
    assert queued.service == "unemployment_benefit"
    assert uuid.UUID(queued.idempotency_key).version == 4
    assert service.counts()["pending"] == 1


def test_failed_transaction_resolves_with_error_and_leaves_nothing(
    service: OutboxService, data_dir: Path, monkeypatch
):
    first = service.enqueue(make_case()).result(timeout=10)
    # A repeated idempotency key violates the unique constraint inside the transaction.
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(first.idempotency_key))
    failed = service.enqueue(make_case())
    with pytest.raises(Exception, match="UNIQUE"):
        failed.result(timeout=10)
    monkeypatch.undo()
    # Neither the row nor the day's sequence number survived the rollback.
    second = service.enqueue(make_case()).result(timeout=10)
    assert second.local_id.endswith("-0002")
    assert service.counts()["pending"] == 2


def test_local_ids_are_readable_and_sequential(service: OutboxService):
    ids = [service.enqueue(make_case()).result(timeout=10).local_id for _ in range(3)]
    day = datetime.now().strftime("%Y%m%d")
    assert ids == [f"W01-{day}-0001", f"W01-{day}-0002", f"W01-{day}-0003"]
    keys = {e.idempotency_key for e in service.list().result(timeout=10)}
    assert len(keys) == 3


def test_case_is_encrypted_at_rest(service: OutboxService, data_dir: Path):
    queued = service.enqueue(make_case()).result(timeout=10)

    def db_bytes() -> bytes:
        # The database with its WAL and shared-memory files, as they are on disk.
        files = [p for p in data_dir.iterdir() if p.name.startswith("outbox.db")]
        return b"".join(p.read_bytes() for p in files)

    live = db_bytes()
    service.stop()
    raw = live + db_bytes()
    for secret in (SSN, CARD_NO, NAME, EMPLOYER):
        assert secret.encode("utf-8") not in raw, secret
    assert queued.local_id.encode() in raw  # the non-personal receipt data is plain

    # The sealed body opens with the key and the row's AAD, and only with them.
    store = OutboxStore(data_dir)
    try:
        claimed = store.claim_next()
        assert claimed is not None and SSN.encode() in claimed.body
        conn = sqlite3.connect(data_dir / "outbox.db")
        conn.execute("UPDATE outbox_cases SET state='pending', local_id='W01-19990101-0001'")
        conn.commit()
        conn.close()
        assert store.claim_next() is None  # AAD no longer matches: not sendable
        assert store.counts()["rejected"] == 1
        assert store.entries()[0].last_error == "case_unreadable"
    finally:
        store.close()


def test_key_file_is_user_only_and_outside_the_data_dir(data_dir: Path, tmp_path: Path):
    svc = OutboxService(data_dir)
    svc.start()
    svc.stop()
    key_store = DataKeyStore(data_dir)
    key_file = key_store.key_file
    assert key_file.exists()
    assert data_dir.resolve() not in key_file.resolve().parents
    assert Path(os.environ["HALL_COUNTER_KEY_DIR"]) == key_file.parent
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert "key file" in key_store_description(data_dir)
    assert str(key_file) in key_store_description(data_dir)
    # The database file itself is user-only too.
    assert stat.S_IMODE((data_dir / "outbox.db").stat().st_mode) == 0o600
    # Another data directory gets another key.
    assert DataKeyStore(tmp_path / "other").key_file != key_file


def test_insecure_key_file_is_refused(data_dir: Path):
    svc = OutboxService(data_dir)
    svc.start()
    svc.stop()
    key_file = DataKeyStore(data_dir).key_file
    key_file.chmod(0o644)
    with pytest.raises(OutboxError) as info:
        OutboxService(data_dir).start()
    assert info.value.code == "key_file_insecure"


def test_wrong_key_is_detected(data_dir: Path):
    svc = OutboxService(data_dir)
    svc.start()
    svc.enqueue(make_case()).result(timeout=10)
    svc.stop()
    key_file = DataKeyStore(data_dir).key_file
    original = key_file.read_text(encoding="utf-8")
    key_file.unlink()  # the key is lost: no second key is made for sealed data
    with pytest.raises(OutboxError) as info:
        OutboxService(data_dir).start()
    assert info.value.code == "data_key_missing"
    assert not key_file.exists()
    # Another key in its place does not open the outbox either.
    other = json.loads(original)
    other["key"] = base64.b64encode(bytes(32)).decode()
    key_file.write_text(json.dumps(other), encoding="utf-8")
    key_file.chmod(0o600)
    with pytest.raises(OutboxError) as info:
        OutboxService(data_dir).start()
    assert info.value.code == "data_key_mismatch"


def test_key_dir_inside_data_dir_is_refused(data_dir: Path, monkeypatch):
    monkeypatch.setenv("HALL_COUNTER_KEY_DIR", str(data_dir / "keys"))
    with pytest.raises(OutboxError) as info:
        OutboxService(data_dir).start()
    assert info.value.code == "key_dir_inside_data_dir"


def test_sending_goes_back_to_pending_at_start(data_dir: Path):
    svc = OutboxService(data_dir)
    svc.start()
    queued = svc.enqueue(make_case()).result(timeout=10)
    svc.stop()
    store = OutboxStore(data_dir)
    claimed = store.claim_next()
    store.close()  # a crash while sending: the row stays in "sending"
    assert claimed is not None and claimed.local_id == queued.local_id
    with open_readonly(data_dir) as ro:
        assert ro.counts()["sending"] == 1

    svc = OutboxService(data_dir)
    svc.start()
    try:
        counts = svc.counts()
        assert counts["sending"] == 0 and counts["pending"] == 1
        [entry] = svc.list().result(timeout=10)
        assert entry.local_id == queued.local_id and entry.attempts == 1
    finally:
        svc.stop()


def test_second_process_cannot_open_the_same_outbox(service: OutboxService, data_dir: Path):
    with pytest.raises(OutboxError) as info:
        OutboxService(data_dir).start()
    assert info.value.code == "outbox_in_use"


def test_national_suite_rows_open_after_a_suite_change(data_dir: Path):
    svc = OutboxService(data_dir, crypto_suite="national")
    svc.start()
    svc.enqueue(make_case()).result(timeout=10)
    svc.stop()
    store = OutboxStore(data_dir, crypto_suite="international")
    try:
        claimed = store.claim_next()
        assert claimed is not None and SSN.encode() in claimed.body
    finally:
        store.close()


def test_withdraw_drops_the_body(service: OutboxService, data_dir: Path):
    queued = service.enqueue(make_case()).result(timeout=10)
    assert service.withdraw(queued.local_id, "entered_in_error").result(timeout=10) is True
    assert service.counts()["withdrawn"] == 1
    conn = sqlite3.connect(data_dir / "outbox.db")
    body = conn.execute("SELECT body FROM outbox_cases").fetchone()[0]
    conn.close()
    assert body is None


def test_list_entries_carry_no_personal_data(service: OutboxService):
    service.enqueue(make_case()).result(timeout=10)
    [entry] = service.list().result(timeout=10)
    text = str(entry.to_json())
    for secret in (SSN, CARD_NO, NAME, EMPLOYER):
        assert secret not in text


def test_stop_leaves_no_thread(data_dir: Path):
    svc = OutboxService(data_dir)
    svc.start()
    svc.enqueue(make_case()).result(timeout=10)
    svc.stop()
    assert not [t for t in threading.enumerate() if t.name.startswith("outbox-")]
    failed = svc.enqueue(make_case())
    with pytest.raises(OutboxError):
        failed.result(timeout=10)


def test_key_goes_to_a_usable_keyring_and_no_key_file_is_written(data_dir: Path):
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def __init__(self):
            super().__init__()
            self.items: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.items.get((service, username))

        def set_password(self, service, username, password):
            self.items[(service, username)] = password

        def delete_password(self, service, username):
            self.items.pop((service, username), None)

    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        svc = OutboxService(data_dir)
        svc.start()
        svc.enqueue(make_case()).result(timeout=10)
        svc.stop()
        store = DataKeyStore(data_dir)
        assert list(memory.items) == [("hall-counter", store.keyring_username)]
        assert not store.key_file.exists()
        assert key_store_description(data_dir).startswith("OS keyring")
        # The same key opens the outbox again.
        svc = OutboxService(data_dir)
        svc.start()
        assert svc.counts()["pending"] == 1
        svc.stop()
    finally:
        keyring.set_keyring(previous)
