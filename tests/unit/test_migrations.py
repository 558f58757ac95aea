"""Schema migrations (alembic, desktop/migrations) of outbox.db, audit.db and staff.db."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from desktop import migrations
from desktop.audit import AuditStore
from desktop.auth import StaffStore
from desktop.outbox import OutboxStore, metadata

# The first outbox schema, as SQLAlchemy's create_all wrote it (desktop/outbox.py of the commit
# that introduced the outbox), with a pending and a sent case, a sequence and a meta row.
OUTBOX_SCHEMA_1 = """
CREATE TABLE outbox_cases (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    local_id VARCHAR(64) NOT NULL,
    idempotency_key VARCHAR(36) NOT NULL,
    service VARCHAR(64) NOT NULL,
    created_at VARCHAR(32) NOT NULL,
    cipher VARCHAR(16),
    nonce BLOB,
    body BLOB,
    state VARCHAR(16) NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at FLOAT NOT NULL,
    last_error VARCHAR(500),
    central_id VARCHAR(64),
    updated_at FLOAT NOT NULL,
    sent_at FLOAT,
    UNIQUE (local_id),
    UNIQUE (idempotency_key)
);
CREATE INDEX ix_outbox_cases_state ON outbox_cases (state);
CREATE TABLE outbox_meta (
    "key" VARCHAR(64) NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY ("key")
);
CREATE TABLE outbox_sequences (
    day VARCHAR(8) NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (day)
);
INSERT INTO outbox_cases (local_id, idempotency_key, service, created_at, cipher, nonce, body,
    state, attempts, next_attempt_at, last_error, central_id, updated_at, sent_at)
VALUES
    ('W01-20260101-0001', '00000000-0000-4000-8000-000000000001', 'unemployment_benefit',
     '2026-01-01T08:00:00+00:00', NULL, NULL, NULL, 'sent', 1, 1.0, NULL, 'C1',
     1767254400.0, 1767254400.0),
    ('W01-20260101-0002', '00000000-0000-4000-8000-000000000002', 'pension_inquiry',
     '2026-01-01T09:00:00+00:00', 'aes-256-gcm', x'00112233445566778899aabb', x'deadbeef',
     'pending', 3, 1767258000.0, 'network_error', NULL, 1767258000.0, NULL);
INSERT INTO outbox_sequences (day, last) VALUES ('20260101', 2);
INSERT INTO outbox_meta ("key", value) VALUES ('note', x'6869');
"""

# audit.db and staff.db as their first version created them, with rows.
AUDIT_SCHEMA_1 = """
CREATE TABLE IF NOT EXISTS audit_records (
    seq INTEGER PRIMARY KEY, at TEXT NOT NULL, workstation_id TEXT NOT NULL,
    actor TEXT NOT NULL, action TEXT NOT NULL, person_ref TEXT, details TEXT NOT NULL,
    alg TEXT NOT NULL, prev_mac TEXT NOT NULL, mac TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_records_no_update BEFORE UPDATE ON audit_records
    BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_records_no_delete BEFORE DELETE ON audit_records
    BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TABLE IF NOT EXISTS audit_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO audit_records VALUES (1, '2026-01-01T08:00:00+00:00', 'W01', 'clerk01', 'sign_in',
    NULL, '{}', 'hmac-sha256', '00', 'ab');
"""

STAFF_SCHEMA_1 = """
CREATE TABLE IF NOT EXISTS staff_verifiers (
    username TEXT PRIMARY KEY, body TEXT NOT NULL, seal TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sign_in_failures (
    user_key TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_at REAL NOT NULL,
    locked_until REAL);
INSERT INTO sign_in_failures VALUES ('k1', 2, 1767254400.0, NULL);
"""


def _script(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()


def _query(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _shape(path: Path) -> dict[str, object]:
    """Tables with their columns (name, type, not null, pk) and the index names."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND name != 'alembic_version' ORDER BY name"
            )
        ]
        shape: dict[str, object] = {
            t: [(c[1], c[2], c[3], c[5]) for c in conn.execute(f'PRAGMA table_info("{t}")')]
            for t in tables
        }
        shape["indexes"] = sorted(
            (r[0], r[1])
            for r in conn.execute(
                "SELECT name, tbl_name FROM sqlite_master WHERE type='index' "
                "AND name NOT LIKE 'sqlite_%'"
            )
        )
        shape["triggers"] = sorted(
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        )
        return shape
    finally:
        conn.close()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


def test_heads_are_the_newest_revisions_of_the_scripts():
    for database, head in migrations.HEADS.items():
        assert migrations.script_head(database) == head


def test_the_migration_scripts_live_inside_the_package():
    # The wheel and the bundle carry desktop/ as it is; the scripts must be files there.
    for database in migrations.HEADS:
        versions = migrations.script_location(database) / "versions"
        assert list(versions.glob(f"{database}_0001_*.py")), database


def test_a_new_outbox_is_made_by_the_migrations_and_matches_the_model(tmp_path, data_dir):
    store = OutboxStore(data_dir)
    store.close()
    assert migrations.current_revision(data_dir / "outbox.db") == migrations.HEADS["outbox"]

    # The same tables, columns and indexes as the model in desktop/outbox.py describes.
    reference = tmp_path / "model.db"
    engine = create_engine(f"sqlite:///{reference}")
    metadata.create_all(engine)
    engine.dispose()
    assert _shape(data_dir / "outbox.db") == _shape(reference)


def test_an_outbox_of_the_first_schema_is_upgraded_keeping_its_rows(tmp_path, data_dir):
    db = data_dir / "outbox.db"
    _script(db, OUTBOX_SCHEMA_1)

    assert migrations.upgrade(db, "outbox") == ["outbox_0002"]  # recognised as 0001
    assert migrations.current_revision(db) == "outbox_0002"

    rows = _query(
        db,
        "SELECT local_id, state, attempts, central_id, body, case_ref, version, queued_at, origin "
        "FROM outbox_cases ORDER BY id",
    )
    assert rows == [
        ("W01-20260101-0001", "sent", 1, "C1", None, "W01-20260101-0001", 1, 1767254400.0, "desk"),
        (
            "W01-20260101-0002",
            "pending",
            3,
            None,
            bytes.fromhex("deadbeef"),
            "W01-20260101-0002",
            1,
            1767258000.0,
            "desk",
        ),
    ]
    assert _query(db, "SELECT day, last FROM outbox_sequences") == [("20260101", 2)]
    assert (b"hi",) in _query(db, "SELECT value FROM outbox_meta")

    reference = tmp_path / "model.db"
    engine = create_engine(f"sqlite:///{reference}")
    metadata.create_all(engine)
    engine.dispose()
    upgraded = _shape(db)
    assert upgraded["indexes"] == _shape(reference)["indexes"]
    model_columns = [c.name for c in metadata.tables["outbox_cases"].columns]
    assert [c[0] for c in upgraded["outbox_cases"]] == model_columns


def test_the_outbox_store_upgrades_at_open_and_keeps_its_pragmas(data_dir):
    _script(data_dir / "outbox.db", OUTBOX_SCHEMA_1)
    store = OutboxStore(data_dir)
    try:
        assert {e.local_id for e in store.entries()} >= {"W01-20260101-0001"}
        assert store._conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        store._conn.rollback()
        assert store.integrity_check() == "ok"
    finally:
        store.close()
    assert migrations.current_revision(data_dir / "outbox.db") == "outbox_0002"


def test_an_outbox_at_head_is_not_touched(data_dir):
    store = OutboxStore(data_dir)
    store.close()
    db = data_dir / "outbox.db"
    before = _sha256(db)
    assert migrations.upgrade(db, "outbox") == []
    assert _sha256(db) == before
    wal = data_dir / "outbox.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_an_unversioned_outbox_of_the_current_code_is_stamped(data_dir):
    db = data_dir / "outbox.db"
    # What the code wrote before migrations: create_all of the current model, and a case.
    engine = create_engine(f"sqlite:///{db}")
    metadata.create_all(engine)
    engine.dispose()
    _script(
        db,
        "INSERT INTO outbox_cases (local_id, idempotency_key, service, created_at, state, "
        "attempts, next_attempt_at, updated_at, queued_at, version, case_ref, origin) VALUES "
        "('W01-20260102-0001', '00000000-0000-4000-8000-000000000003', 'pension_inquiry', "
        "'2026-01-02T08:00:00+00:00', 'pending', 0, 1.0, 5.0, 4.0, 1, 'W01-20260102-0001', "
        "'import');",
    )
    shape = _shape(db)

    assert migrations.upgrade(db, "outbox") == []  # stamped, nothing to run
    assert migrations.current_revision(db) == "outbox_0002"
    assert _shape(db) == shape
    assert _query(db, "SELECT queued_at, origin FROM outbox_cases") == [(4.0, "import")]


def test_audit_and_staff_databases_of_the_first_schema_are_stamped_keeping_rows(data_dir):
    _script(data_dir / "audit.db", AUDIT_SCHEMA_1)
    _script(data_dir / "staff.db", STAFF_SCHEMA_1)
    audit_shape = _shape(data_dir / "audit.db")

    audit = AuditStore(data_dir, b"k" * 32)
    try:
        assert audit.count() == 1
    finally:
        audit.close()
    staff = StaffStore(data_dir, b"s" * 32)
    try:
        assert staff.failures("k1")[0] == 2
    finally:
        staff.close()

    assert migrations.current_revision(data_dir / "audit.db") == "audit_0001"
    assert migrations.current_revision(data_dir / "staff.db") == "staff_0001"
    assert _shape(data_dir / "audit.db") == audit_shape
    # The append-only triggers are still there and still work.
    conn = sqlite3.connect(data_dir / "audit.db")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM audit_records")
    conn.close()


def test_new_audit_and_staff_databases_are_made_by_the_migrations(tmp_path, data_dir):
    AuditStore(data_dir, b"k" * 32).close()
    StaffStore(data_dir, b"s" * 32).close()
    reference = tmp_path / "ref"
    reference.mkdir()
    _script(reference / "audit.db", AUDIT_SCHEMA_1)
    _script(reference / "staff.db", STAFF_SCHEMA_1)
    for name, database in (("audit.db", "audit"), ("staff.db", "staff")):
        assert migrations.current_revision(data_dir / name) == migrations.HEADS[database]
        assert _shape(data_dir / name) == _shape(reference / name)


def test_a_half_made_audit_database_is_completed(data_dir):
    # A first start cut off after the first table: the first revision adds what is missing.
    _script(data_dir / "audit.db", AUDIT_SCHEMA_1.split("CREATE TRIGGER")[0])
    AuditStore(data_dir, b"k" * 32).close()
    shape = _shape(data_dir / "audit.db")
    assert shape["triggers"] == ["audit_records_no_delete", "audit_records_no_update"]
    assert "audit_meta" in shape


def test_a_failing_step_leaves_the_database_as_it_was(data_dir, monkeypatch):
    db = data_dir / "outbox.db"
    _script(db, OUTBOX_SCHEMA_1)
    before = _shape(db)
    script = migrations._script_directory("outbox")
    module = script.get_revision("outbox_0002").module

    def broken() -> None:
        from alembic import op

        op.execute("ALTER TABLE outbox_cases ADD COLUMN queued_at FLOAT")
        op.execute("SELECT no_such_function()")

    monkeypatch.setattr(module, "upgrade", broken)
    with pytest.raises(migrations.MigrationError):
        migrations.upgrade(db, "outbox")
    assert _shape(db) == before
    assert migrations.current_revision(db) is None
