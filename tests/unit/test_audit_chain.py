"""The audit chain (desktop.audit): append-only records keyed with the desk's secret.

Real SQLite files in the test's folder; attacks are made the way someone with the file would
make them: with sqlite3, after dropping the append-only triggers.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from desktop.audit import (
    AUDIT_DB,
    GENESIS_MAC,
    AuditError,
    AuditKeyStore,
    AuditLog,
    AuditStore,
    canonical_bytes,
    compute_mac,
    verify_store,
)
from desktop.contract import AuditHead


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "desk"


def _log(data_dir: Path, suite: str = "international") -> AuditLog:
    log = AuditLog(data_dir, workstation_id="W01", crypto_suite=suite)
    log.start()
    return log


def _fill(data_dir: Path, count: int = 6, suite: str = "international") -> None:
    log = _log(data_dir, suite)
    try:
        for n in range(count):
            log.record(
                "pin_result",
                actor="clerk01",
                person_ref=f"P{n:04d}",
                details={"result": "ok", "tries_left": 3},
            )
        log.flush(10)
    finally:
        log.stop()


def _verify(data_dir: Path, head: AuditHead | None = None):
    key = AuditKeyStore(data_dir).load_existing()
    assert key is not None
    store = AuditStore(data_dir, None, readonly=True)
    try:
        return verify_store(store, key, central_head=head, central_source="central")
    finally:
        store.close()


def _tamper(data_dir: Path, *statements: tuple[str, tuple]) -> None:
    with sqlite3.connect(data_dir / AUDIT_DB) as db:
        db.execute("DROP TRIGGER audit_records_no_update")
        db.execute("DROP TRIGGER audit_records_no_delete")
        for sql, params in statements:
            db.execute(sql, params)


def _rows(data_dir: Path) -> list[tuple]:
    with sqlite3.connect(data_dir / AUDIT_DB) as db:
        return db.execute("SELECT * FROM audit_records ORDER BY seq").fetchall()


def test_records_chain_and_verify(data_dir):
    _fill(data_dir, 6)
    result = _verify(data_dir)
    assert result.ok and result.records == 6 and result.head_seq == 6
    rows = _rows(data_dir)
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0][8] == GENESIS_MAC
    assert all(rows[i][8] == rows[i - 1][9] for i in range(1, 6))  # prev_mac links


def test_the_file_is_private_and_the_key_lives_outside_the_data_dir(data_dir):
    _fill(data_dir, 1)
    assert (data_dir / AUDIT_DB).stat().st_mode & 0o077 == 0
    key_file = AuditKeyStore(data_dir).key_file
    assert key_file.exists() and data_dir not in key_file.parents
    assert key_file.stat().st_mode & 0o077 == 0
    # Not the outbox's key: its own file.
    assert key_file.name.startswith("audit-")


def test_the_database_refuses_updates_and_deletes(data_dir):
    _fill(data_dir, 2)
    with sqlite3.connect(data_dir / AUDIT_DB) as db:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("UPDATE audit_records SET actor = 'x' WHERE seq = 1")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("DELETE FROM audit_records WHERE seq = 2")


def test_an_edited_record_is_named(data_dir):
    _fill(data_dir, 6)
    _tamper(data_dir, ("UPDATE audit_records SET actor = 'super01' WHERE seq = 4", ()))
    result = _verify(data_dir)
    assert not result.ok
    assert (result.first_bad, result.problem) == (4, "bad_mac")


def test_an_edited_detail_is_named(data_dir):
    _fill(data_dir, 6)
    details = json.dumps({"result": "wrong", "tries_left": 3}, separators=(",", ":"))
    _tamper(data_dir, ("UPDATE audit_records SET details = ? WHERE seq = 3", (details,)))
    result = _verify(data_dir)
    assert (result.ok, result.first_bad, result.problem) == (False, 3, "bad_mac")


def test_a_deleted_record_is_named(data_dir):
    _fill(data_dir, 6)
    _tamper(data_dir, ("DELETE FROM audit_records WHERE seq = 3", ()))
    result = _verify(data_dir)
    assert (result.ok, result.first_bad, result.problem) == (False, 3, "missing")


def test_a_deletion_hidden_by_renumbering_is_named(data_dir):
    _fill(data_dir, 6)
    _tamper(
        data_dir,
        ("DELETE FROM audit_records WHERE seq = 3", ()),
        ("UPDATE audit_records SET seq = seq - 1 WHERE seq > 3", ()),
    )
    result = _verify(data_dir)
    assert not result.ok and result.first_bad == 3
    assert result.problem in ("broken_link", "bad_mac")


def test_reordered_records_are_named(data_dir):
    _fill(data_dir, 6)
    # Swap records 2 and 5 (their whole content, under each other's numbers).
    rows = {r[0]: r for r in _rows(data_dir)}
    swap = []
    for seq, other in ((2, 5), (5, 2)):
        row = rows[other]
        swap.append(
            (
                "UPDATE audit_records SET at=?, workstation_id=?, actor=?, action=?, person_ref=?,"
                " details=?, alg=?, prev_mac=?, mac=? WHERE seq=?",
                (*row[1:], seq),
            )
        )
    _tamper(data_dir, *swap)
    result = _verify(data_dir)
    assert (result.ok, result.first_bad, result.problem) == (False, 2, "broken_link")


def test_a_tail_cut_before_centrals_head_is_found(data_dir):
    _fill(data_dir, 6)
    rows = _rows(data_dir)
    central = AuditHead(seq=6, mac=rows[5][9])
    assert _verify(data_dir, central).ok

    _tamper(data_dir, ("DELETE FROM audit_records WHERE seq > 4", ()))
    result = _verify(data_dir, central)
    assert (result.ok, result.first_bad, result.problem) == (False, 5, "truncated")
    assert "central holds records up to 6" in result.detail
    # Without central's head the cut tail is not visible: that is what the head is for.
    assert _verify(data_dir).ok


def test_a_tail_cut_before_the_remembered_head_is_found(data_dir):
    _fill(data_dir, 5)
    rows = _rows(data_dir)
    key = AuditKeyStore(data_dir).load_existing()
    store = AuditStore(data_dir, key)
    store.mark_sent(AuditHead(seq=5, mac=rows[4][9]))
    store.close()
    _tamper(data_dir, ("DELETE FROM audit_records WHERE seq = 5", ()))
    key_store = AuditKeyStore(data_dir)
    store = AuditStore(data_dir, None, readonly=True)
    try:
        result = verify_store(store, key_store.load_existing())
    finally:
        store.close()
    assert (result.ok, result.first_bad, result.problem) == (False, 5, "truncated")


def test_a_rewritten_chain_disagrees_with_centrals_head(data_dir):
    _fill(data_dir, 4)
    rows = _rows(data_dir)
    central = AuditHead(seq=4, mac=rows[3][9])
    # Someone with the secret rewrites record 2 and re-MACs everything after it.
    key = AuditKeyStore(data_dir).load_existing()
    prev = rows[0][9]
    statements = []
    for row in rows[1:]:
        seq, at, ws, actor, action, ref, details, alg, _prev, _mac = row
        if seq == 2:
            actor = "someone_else"
        body = {
            "seq": seq,
            "at": at,
            "workstation_id": ws,
            "actor": actor,
            "action": action,
            "person_ref": ref,
            "details": json.loads(details),
            "alg": alg,
            "prev_mac": prev,
        }
        mac = compute_mac(key, alg, canonical_bytes(body))
        statements.append(
            (
                "UPDATE audit_records SET actor=?, prev_mac=?, mac=? WHERE seq=?",
                (actor, prev, mac, seq),
            )
        )
        prev = mac
    _tamper(data_dir, *statements)
    assert _verify(data_dir).ok  # consistent in itself ...
    result = _verify(data_dir, central)  # ... but not what central saw
    assert (result.ok, result.first_bad, result.problem) == (False, 4, "head_mismatch")


def test_hmac_sm3_for_the_national_suite(data_dir):
    _fill(data_dir, 3, suite="national")
    assert {r[7] for r in _rows(data_dir)} == {"hmac-sm3"}
    assert _verify(data_dir).ok

    # The MAC is HMAC (RFC 2104) over SM3, the same as gmssl's SM3 gives.
    from gmssl import func, sm3

    def sm3_bytes(data: bytes) -> bytes:
        return bytes.fromhex(sm3.sm3_hash(func.bytes_to_list(data)))

    key = b"k" * 32 + b"\x00" * 32  # SM3 blocks are 64 bytes
    data = b"hall-counter"
    inner = sm3_bytes(bytes(b ^ 0x36 for b in key) + data)
    expected = sm3_bytes(bytes(b ^ 0x5C for b in key) + inner).hex()
    assert compute_mac(b"k" * 32, "hmac-sm3", data) == expected


def test_records_refuse_personal_data_and_unknown_actions(data_dir):
    log = _log(data_dir)
    try:
        for details in (
            {"ssn": "110105196210150016"},
            {"note": "x-110105196210150016-y"},
            {"card": "A10000011"},
            {"name": "张伟明"},
            {"text": "free text with spaces"},
            {"nested": {"a": 1}},
        ):
            with pytest.raises(ValueError):
                log.record("pin_result", actor="clerk01", details=details)
        with pytest.raises(ValueError):
            log.record("made_up_action", actor="clerk01")
        with pytest.raises(ValueError):
            log.record("sign_in", actor="张三")
        log.record("case_queued", actor="clerk01", details={"local_id": "W01-20261204-0001"})
        log.flush(10)
    finally:
        log.stop()
    rows = _rows(data_dir)
    assert len(rows) == 1 and "W01-20261204-0001" in rows[0][6]


def test_the_writer_is_one_thread_and_stops_cleanly(data_dir):
    log = _log(data_dir)
    seen: list[str] = []
    try:
        log.call(lambda store: seen.append(threading.current_thread().name)).result(10)
        futures = [log.record("card_read", actor="workstation") for _ in range(200)]
        seqs = [f.result(10) for f in futures]
    finally:
        log.stop()
    assert seen == ["audit-writer"]
    assert seqs == list(range(1, 201))
    assert not [t for t in threading.enumerate() if t.name.startswith("audit-")]
    with pytest.raises(AuditError):
        log.record("card_read", actor="workstation").result(1)


def test_two_writers_make_one_chain(data_dir):
    # Two processes appending at once (the desk and, say, a CLI tool): BEGIN IMMEDIATE orders them.
    key = AuditKeyStore(data_dir).load()
    AuditStore(data_dir, key).close()
    barrier = threading.Barrier(4)

    def writer(name: str) -> None:
        store = AuditStore(data_dir, key)
        barrier.wait()
        for _ in range(25):
            store.append_many(
                [
                    {
                        "at": "2026-12-04T08:30:00.000000Z",
                        "workstation_id": "W01",
                        "actor": name,
                        "action": "card_read",
                        "person_ref": None,
                        "details": {},
                        "alg": "hmac-sha256",
                    }
                ]
            )
        store.close()

    threads = [threading.Thread(target=writer, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = _verify(data_dir)
    assert result.ok and result.records == 100


def test_a_chain_is_never_continued_under_another_key(data_dir):
    _fill(data_dir, 2)
    # The key is lost: the desk makes no new one (it could never open the chain) and refuses.
    key_file = AuditKeyStore(data_dir).key_file
    key_file.unlink()
    log = AuditLog(data_dir, workstation_id="W01")
    with pytest.raises(AuditError) as info:
        log.start()
    assert info.value.code == "audit_key_missing"
    assert not key_file.exists()
    assert not log.running
    # A different key in its place: the chain is not continued under it either.
    key_file.parent.mkdir(parents=True, exist_ok=True)
    other = AuditKeyStore(data_dir.parent / "elsewhere")
    other.load()
    other.key_file.rename(key_file)
    with pytest.raises(AuditError) as info:
        AuditLog(data_dir, workstation_id="W01").start()
    assert info.value.code == "audit_key_mismatch"
    result = _verify(data_dir)
    assert (result.ok, result.problem) == (False, "wrong_key")


def test_the_log_checks_its_chain_when_it_opens(data_dir):
    _fill(data_dir, 3)
    _tamper(data_dir, ("UPDATE audit_records SET action = 'sign_in' WHERE seq = 2", ()))
    heard = []

    class Listener:
        def on_audit_chain_broken(self, result):
            heard.append((result.first_bad, result.problem))

    log = AuditLog(data_dir, workstation_id="W01")
    log.add_listener(Listener())
    log.start()
    log.stop()
    assert heard == [(2, "bad_mac")]
    assert log.start_check is not None and not log.start_check.ok


def test_a_tool_appends_to_the_chain_of_a_running_desk(data_dir):
    from desktop.audit import append_record

    log = _log(data_dir)
    try:
        log.record("sign_in", actor="clerk01").result(10)
        seq = append_record(
            data_dir,
            "cases_exported",
            workstation_id="W01",
            actor="admin01",
            details={"count": 3},
        )
        assert log.record("sign_out", actor="clerk01").result(10) == seq + 1
    finally:
        log.stop()
    result = _verify(data_dir)
    assert result.ok and result.records == 3
    assert [r[4] for r in _rows(data_dir)] == ["sign_in", "cases_exported", "sign_out"]
