"""The outbox: cases waiting for central in an encrypted local SQLite database (design 6).

The database (``outbox.db`` in the data directory) runs in WAL mode. :class:`OutboxStore` is the
storage (SQLAlchemy Core); :class:`OutboxService` owns the one writer thread that performs every
write, and the sync loop (:mod:`desktop.sync`) that sends to central. docs/outbox.md is the
admin's and developer's guide; this docstring keeps the rules the code relies on.

Durability. What the clerk is told rests on ``synchronous=FULL`` commits: the future of
:meth:`OutboxService.enqueue` resolves only after the case's transaction is on disk, and so do
corrections, withdrawals and imports. The sync loop's own bookkeeping (claiming a row as
"sending", marking it sent, rejected or due for a retry) commits with ``synchronous=NORMAL``:
still atomic and crash-safe for the process, but it does not wait for the disk. A power cut can
at worst undo such a mark, and each of them is safe to redo: the row goes back to pending and is
sent again with the same idempotency key, which central answers with the case it already has.
That saves two disk flushes per case sent (see bench/outbox.py).

Rows. Each keeps: local id (``W01-20261204-0001``; a corrected version ``W01-20261204-0001.2``),
idempotency key (a fresh UUID4 per version), created time, queued time, the case's canonical
JSON sealed with the data key (AES-256-GCM or SM4-GCM; AAD = local id and key), state (pending,
sending, sent, rejected, withdrawn), attempts, next attempt time, the last error (a stable code,
field codes and an English detail), central's case id, and the version chain (``case_ref`` = the
first version's local id, ``version``, ``supersedes``, ``superseded_by``, ``changed_by``). A
sent row keeps only what its receipt needs: the sealed body is dropped.

Freeze rule. With a :class:`FreezePolicy`, :meth:`OutboxStore.add` refuses a new case (in the
same transaction that would store it) when the unsent cases (pending and sending) reach the
configured number or the oldest of them has waited longer than the configured age
(:class:`OutboxFrozenError`, code ``outbox_frozen``). Corrections of rejected cases and imports
are not new cases and are not refused.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import re
import signal
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError
from sqlalchemy import (
    Column,
    Engine,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    and_,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy import case as sa_case
from sqlalchemy import delete as sa_delete
from sqlalchemy.exc import DatabaseError

from desktop import migrations
from desktop.central import safe_code, safe_fields
from desktop.contract import CaseSubmission, CoSign, canonical_json
from desktop.crypto import (
    SUITE_CIPHERS,
    CaseCipher,
    DataKeyStore,
    open_with_passphrase,
    seal_with_passphrase,
)
from desktop.errors import OutboxError

log = logging.getLogger(__name__)

DB_NAME = "outbox.db"
LOCK_NAME = "outbox.lock"
STATES = ("pending", "sending", "sent", "rejected", "withdrawn")
UNSENT_STATES = ("pending", "sending")
# Why a clerk withdraws a case: stable codes the UI translates. A free-text note may go with
# them; it is sealed like the case body and never listed.
WITHDRAW_REASONS = ("citizen_request", "duplicate", "entered_in_error", "cannot_correct", "other")
EXPORT_STATES = ("pending", "sending", "rejected")

_KEY_CHECK_PLAINTEXT = b"hall-counter outbox key check v1"
_KEY_CHECK_AAD = b"key-check"
_LOCAL_ID_DAY = re.compile(r"-(\d{8})-(\d{4,})$")
_PURGE_EVERY = 3600.0

metadata = MetaData()

cases_table = Table(
    "outbox_cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("local_id", String(64), nullable=False, unique=True),
    Column("idempotency_key", String(36), nullable=False, unique=True),
    Column("service", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("cipher", String(16), nullable=True),
    Column("nonce", LargeBinary, nullable=True),
    Column("body", LargeBinary, nullable=True),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", Float, nullable=False),
    Column("last_error", String(500), nullable=True),
    Column("central_id", String(64), nullable=True),
    Column("updated_at", Float, nullable=False),
    Column("sent_at", Float, nullable=True),
    # Schema 2: queue age, error codes, the version chain, withdrawal notes, origin.
    Column("queued_at", Float, nullable=True),
    Column("error_code", String(64), nullable=True),
    Column("error_fields", String(2000), nullable=True),
    Column("version", Integer, nullable=True),
    Column("case_ref", String(64), nullable=True),
    Column("supersedes", String(64), nullable=True),
    Column("superseded_by", String(64), nullable=True),
    Column("changed_by", String(64), nullable=True),
    Column("withdraw_reason", String(32), nullable=True),
    Column("note_nonce", LargeBinary, nullable=True),
    Column("note", LargeBinary, nullable=True),
    Column("origin", String(16), nullable=True),
    Index("ix_outbox_state_queued", "state", "queued_at"),
    Index("ix_outbox_case_ref", "case_ref"),
    sqlite_autoincrement=True,
)

sequences_table = Table(
    "outbox_sequences",
    metadata,
    Column("day", String(8), primary_key=True),
    Column("last", Integer, nullable=False),
)

meta_table = Table(
    "outbox_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", LargeBinary, nullable=False),
)


# The hot path's statements, built once: SQLAlchemy then only binds parameters (building a
# statement with its values inline costs more than the SQLite work it describes).
_c = cases_table.c
# Next number of the day: insert 1 or add 1, in one statement (SQLite 3.35+: RETURNING).
_NEXT_SEQUENCE = text(
    "INSERT INTO outbox_sequences (day, last) VALUES (:day, 1) "
    "ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last"
)
_UNSENT = select(func.count(), func.min(_c.queued_at)).where(_c.state.in_(UNSENT_STATES))
_INSERT_CASE = insert(cases_table)
_NEXT_DUE_ROW = (
    select(cases_table)
    .where(_c.state == "pending", _c.next_attempt_at <= bindparam("now"))
    .order_by(_c.queued_at, _c.id)
    .limit(1)
)
_BY_ID = _c.id == bindparam("row_id")
_BY_LOCAL_ID = _c.local_id == bindparam("row_local_id")
_CLAIM = (
    update(cases_table)
    .where(_BY_ID)
    .values(state="sending", attempts=bindparam("attempts"), updated_at=bindparam("now"))
)
_MARK_SENT = (
    update(cases_table)
    .where(_BY_LOCAL_ID)
    .values(
        state="sent",
        central_id=bindparam("central_id"),
        sent_at=bindparam("now"),
        updated_at=bindparam("now"),
        last_error=None,
        error_code=None,
        error_fields=None,
        body=None,
        nonce=None,
    )
)
_MARK_RETRY = (
    update(cases_table)
    .where(_BY_LOCAL_ID)
    .values(
        state="pending",
        error_code=bindparam("code"),
        error_fields=None,
        last_error=bindparam("detail"),
        next_attempt_at=bindparam("at"),
        updated_at=bindparam("now"),
    )
)
_MARK_REJECTED = (
    update(cases_table)
    .where(_BY_LOCAL_ID)
    .values(
        state="rejected",
        error_code=bindparam("code"),
        error_fields=bindparam("fields"),
        last_error=bindparam("detail"),
        updated_at=bindparam("now"),
    )
)


# --- test hook: crash points ------------------------------------------------------------------

CRASH_POINT_ENV = "HALL_COUNTER_CRASH_POINT"
CRASH_POINTS = ("after_commit", "after_claim", "after_send")


@dataclass
class _CrashPoint:
    name: str
    at_pass: int
    passes: int = 0


@cache
def _crash_point() -> _CrashPoint | None:
    spec = os.environ.get(CRASH_POINT_ENV, "").strip()
    if not spec:
        return None
    name, _, count = spec.partition(":")
    if name not in CRASH_POINTS:
        log.error("%s=%r names no crash point; ignored", CRASH_POINT_ENV, spec)
        return None
    try:
        at_pass = max(1, int(count)) if count else 1
    except ValueError:
        at_pass = 1
    log.warning("test hook armed: the process kills itself at %s (pass %d)", name, at_pass)
    return _CrashPoint(name, at_pass)


def crash_point(name: str) -> None:
    """Test hook: SIGKILL this process when ``HALL_COUNTER_CRASH_POINT`` names this point.

    ``HALL_COUNTER_CRASH_POINT=after_send`` (or ``after_send:3``, the third time) makes the
    crash tests able to stop the desk exactly between two steps a random kill rarely hits:
    ``after_commit`` (a case committed, its receipt not yet returned), ``after_claim`` (a row
    marked sending, nothing sent), ``after_send`` (central committed the case, the row is not
    yet marked sent). Unset, as in production, it does nothing.
    """
    point = _crash_point()
    if point is None or point.name != name:
        return
    point.passes += 1
    if point.passes < point.at_pass:
        return
    log.critical("test hook: killing this process at crash point %s", name)
    for handler in logging.getLogger().handlers:
        with contextlib.suppress(Exception):
            handler.flush()
    if hasattr(signal, "SIGKILL"):
        os.kill(os.getpid(), signal.SIGKILL)
    os._exit(137)  # pragma: no cover - Windows has no SIGKILL


# --- values -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueuedCase:
    """A case the outbox has committed: what the clerk's receipt shows.

    ``version`` is 1 for a new case; a correction of a rejected case is version 2, 3, ... and
    ``supersedes`` names the version it replaces.
    """

    local_id: str
    idempotency_key: str
    service: str
    version: int = 1
    supersedes: str | None = None


@dataclass(frozen=True)
class OutboxEntry:
    """One outbox row without personal data (``outbox list``, the UI's queue view).

    ``error_code`` is a stable code for the UI to translate (central's refusal code such as
    ``form_invalid``, or a transport code such as ``network_error``, ``rate_limited``);
    ``error_fields`` maps form or case fields to central's codes (``form.amount`` ->
    ``maximum``); ``last_error`` is an English detail for the log and admins.
    """

    local_id: str
    idempotency_key: str
    service: str
    created_at: str
    state: str
    attempts: int
    next_attempt_at: float
    last_error: str | None
    central_id: str | None
    queued_at: float | None = None
    error_code: str | None = None
    error_fields: dict[str, str] = field(default_factory=dict)
    version: int = 1
    case_ref: str | None = None
    supersedes: str | None = None
    superseded_by: str | None = None
    changed_by: str | None = None
    withdraw_reason: str | None = None
    origin: str = "desk"
    updated_at: float | None = None

    @property
    def needs_clerk(self) -> bool:
        """A rejected case nobody has corrected or withdrawn yet."""
        return self.state == "rejected" and self.superseded_by is None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (times as ISO 8601 UTC)."""

        def iso(ts: float | None) -> str | None:
            if ts is None:
                return None
            return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")

        return {
            "local_id": self.local_id,
            "idempotency_key": self.idempotency_key,
            "service": self.service,
            "created_at": self.created_at,
            "queued_at": iso(self.queued_at),
            "state": self.state,
            "attempts": self.attempts,
            "next_attempt_at": iso(self.next_attempt_at) if self.state == "pending" else None,
            "error_code": self.error_code,
            "error_fields": safe_fields(self.error_fields),
            "last_error": listable_error(self.last_error, self.error_code),
            "central_id": self.central_id,
            "version": self.version,
            "case_ref": self.case_ref or self.local_id,
            "supersedes": self.supersedes,
            "superseded_by": self.superseded_by,
            "changed_by": self.changed_by,
            "withdraw_reason": self.withdraw_reason,
            "origin": self.origin,
        }


# What a row's last_error holds since central's free text is no longer stored: a code, maybe
# after "HTTP <status>", maybe with field codes: "HTTP 422 form_invalid [form.amount=maximum]".
_CODE_ONLY_ERROR = re.compile(
    r"(HTTP \d{3} )?[A-Za-z0-9_.:\-]{1,64}"
    r"( \[[A-Za-z0-9_.\-\[\]]{1,100}=[A-Za-z0-9_.:\-]{1,64}"
    r"(, [A-Za-z0-9_.\-\[\]]{1,100}=[A-Za-z0-9_.:\-]{1,64})*\])?"
)


def listable_error(last_error: str | None, error_code: str | None) -> str | None:
    """``last_error`` when it holds codes only, else the error code: a row written by an older
    version may hold central's free text, which is not shown."""
    if last_error is None or _CODE_ONLY_ERROR.fullmatch(last_error):
        return last_error
    return safe_code(error_code, "error") if error_code else "error"


@dataclass(frozen=True)
class ClaimedCase:
    """A row moved to "sending": the decrypted body travels only to the sync loop."""

    local_id: str
    idempotency_key: str
    service: str
    body: bytes
    attempts: int


@dataclass(frozen=True)
class FreezePolicy:
    """When the desk refuses new cases: ``max_unsent`` unsent cases, or the oldest unsent one
    older than ``max_age_seconds``. None (or 0) switches a limit off."""

    max_unsent: int | None = 500
    max_age_seconds: float | None = 72 * 3600.0

    @classmethod
    def off(cls) -> FreezePolicy:
        """No limit at all."""
        return cls(max_unsent=None, max_age_seconds=None)

    @classmethod
    def from_settings(cls, settings: Any) -> FreezePolicy:
        """The policy of a :class:`desktop.settings.Settings` (``[outbox] freeze_*``)."""
        hours = settings.outbox_freeze_max_age_hours
        return cls(
            max_unsent=settings.outbox_freeze_max_unsent or None,
            max_age_seconds=hours * 3600.0 if hours else None,
        )


@dataclass(frozen=True)
class FreezeState:
    """Whether new cases are refused, why (``unsent_count`` or ``unsent_age``), and the figures
    the clerk's message needs. No personal data."""

    frozen: bool
    reason: str | None
    unsent: int
    max_unsent: int | None
    oldest_unsent_seconds: float | None
    max_age_seconds: float | None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "frozen": self.frozen,
            "reason": self.reason,
            "unsent": self.unsent,
            "max_unsent": self.max_unsent,
            "oldest_unsent_seconds": (
                None if self.oldest_unsent_seconds is None else round(self.oldest_unsent_seconds)
            ),
            "max_age_seconds": self.max_age_seconds,
        }

    def message(self) -> str:
        """An English sentence for the CLI and the log: what happened and what to do."""
        if not self.frozen:
            return "the desk accepts new cases"
        if self.reason == "unsent_count":
            why = (
                f"this desk holds {self.unsent} cases not yet sent to central "
                f"(the limit is {self.max_unsent})"
            )
        else:
            hours = (self.oldest_unsent_seconds or 0) / 3600
            limit = (self.max_age_seconds or 0) / 3600
            why = (
                f"the oldest case not yet sent has waited {hours:.0f} hours "
                f"(the limit is {limit:.0f} hours)"
            )
        return (
            f"New cases are refused: {why}. Check the network and use 'Send now'; when central "
            "has them the desk accepts cases again. If central stays unreachable, export the "
            "outbox (hall-counter outbox export FILE) and call the hall's IT support."
        )


def evaluate_freeze(
    policy: FreezePolicy | None, unsent: int, oldest_queued_at: float | None, now: float
) -> FreezeState:
    """The freeze state for ``unsent`` cases whose oldest was queued at ``oldest_queued_at``."""
    policy = policy or FreezePolicy.off()
    oldest = None if oldest_queued_at is None or unsent == 0 else max(0.0, now - oldest_queued_at)
    reason = None
    if policy.max_unsent and unsent >= policy.max_unsent:
        reason = "unsent_count"
    elif policy.max_age_seconds and oldest is not None and oldest > policy.max_age_seconds:
        reason = "unsent_age"
    return FreezeState(
        frozen=reason is not None,
        reason=reason,
        unsent=unsent,
        max_unsent=policy.max_unsent or None,
        oldest_unsent_seconds=oldest,
        max_age_seconds=policy.max_age_seconds or None,
    )


class OutboxFrozenError(OutboxError):
    """A new case was refused by the freeze rule; ``state`` says why."""

    def __init__(self, state: FreezeState):
        super().__init__("outbox_frozen", state.message())
        self.state = state


@dataclass(frozen=True)
class ExportResult:
    """What ``outbox export`` wrote: how many cases, which (local ids only).

    ``unreadable`` names the cases that should have gone into the file but could not be
    decrypted (altered rows, or a wrong key): they stay in the outbox and are not in the file.
    """

    path: Path
    local_ids: tuple[str, ...]
    unreadable: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        """Cases in the file."""
        return len(self.local_ids)


@dataclass(frozen=True)
class ImportResult:
    """What ``outbox import`` did with each case of the file (local ids only).

    ``present``: a case with the same idempotency key is already here (imported before, or
    this desk's own); ``conflicts``: another case here has the same local id.
    ``workstations``: the workstations the imported cases name.
    """

    imported: tuple[str, ...]
    present: tuple[str, ...]
    conflicts: tuple[str, ...]
    workstations: tuple[str, ...]


_KEEP: Any = object()  # resubmit(): leave this part of the case as it was


def _aad(local_id: str, idempotency_key: str) -> bytes:
    return f"{local_id}\n{idempotency_key}".encode()


def _note_aad(local_id: str) -> bytes:
    return f"note\n{local_id}".encode()


def _empty_counts() -> dict[str, int]:
    return dict.fromkeys(STATES, 0)


def _open_rejected(c) -> Any:
    return and_(c.state == "rejected", c.superseded_by.is_(None))


_STATE_WORDS = {
    "missing": "missing",
    "empty": "empty",
    "no_tables": "without the outbox's tables",
    "ok": "present",
}


def damaged_error(path: Path, exc: BaseException | str) -> OutboxError:
    """The OutboxError for a database SQLite cannot read (``outbox_damaged``)."""
    reason = str(exc.orig if hasattr(exc, "orig") else exc).splitlines()[0][:200]
    return OutboxError(
        "outbox_damaged",
        f"the outbox database {path} is damaged ({reason}); stop the desk and restore it "
        "from a backup (docs/outbox.md), keeping the damaged file for the support team",
    )


def database_state(path: Path) -> str:
    """``missing``, ``empty``, ``no_tables`` or ``ok`` for the outbox database at ``path``.

    Raises OutboxError ``outbox_damaged`` when SQLite cannot read the file.
    """
    path = Path(path)
    if not path.exists():
        return "missing"
    if path.stat().st_size == 0 and not path.with_name(path.name + "-wal").exists():
        return "empty"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            found = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                (cases_table.name,),
            ).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise damaged_error(path, exc) from exc
    return "ok" if found else "no_tables"


class OutboxStore:
    """The outbox database. Not thread-safe: the writer thread of OutboxService owns it.

    ``readonly=True`` opens an existing database for ``outbox status``/``list`` without taking
    the write lock and without the data key.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        crypto_suite: str = "international",
        key_store: DataKeyStore | None = None,
        readonly: bool = False,
        freeze: FreezePolicy | None = None,
    ):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_NAME
        self.readonly = readonly
        self.freeze = freeze
        if crypto_suite not in SUITE_CIPHERS:
            raise OutboxError("unknown_crypto_suite", f"unknown crypto suite {crypto_suite!r}")
        self.cipher_id = SUITE_CIPHERS[crypto_suite]
        keys = key_store or DataKeyStore(self.data_dir)
        state = database_state(self.path)
        if readonly:
            if state == "missing":
                raise OutboxError("no_outbox", f"no outbox database in {self.data_dir}")
            if state != "ok":
                raise OutboxError(
                    "outbox_empty",
                    f"the outbox database {self.path} is {_STATE_WORDS[state]}; "
                    "restore it from a backup",
                )
        else:
            if state != "ok" and keys.exists():
                # A key means this folder has held an outbox: starting a new one would hide the
                # loss of its cases and give out their local ids again.
                raise OutboxError(
                    "outbox_missing",
                    f"the outbox database {self.path} is {_STATE_WORDS[state]}, but this data "
                    f"folder's data key exists ({keys.where()}): cases queued here may be lost "
                    "and new cases would reuse their numbers. Restore outbox.db from a backup. "
                    "Only to start an empty outbox on purpose, move that key out of the way "
                    "first (keep it while any copy of the old outbox may turn up)",
                )
            self._create_private_files()
        # Durability of the next transaction: FULL unless a sync-loop mark (see the docstring).
        self._synchronous = "FULL"
        self._begin = "BEGIN"
        if not readonly:
            # alembic (desktop.migrations) creates or upgrades the schema on a connection of
            # its own, before this store's engine and writer connection exist.
            try:
                migrations.upgrade(self.path, "outbox")
            except migrations.MigrationError as exc:
                if exc.code == "database_unreadable":
                    raise damaged_error(self.path, exc.detail) from exc
                raise OutboxError(exc.code, exc.detail) from exc
            except DatabaseError as exc:
                raise damaged_error(self.path, exc) from exc
        self.engine = self._make_engine()
        self._cipher: CaseCipher | None = None
        try:
            # One connection for the store's life: its owner is a single thread, and this
            # saves a pool checkout and a reset per transaction on the enqueue path.
            self._conn = self.engine.connect()
        except DatabaseError as exc:
            self.engine.dispose()
            raise damaged_error(self.path, exc) from exc
        try:
            self._columns = self._table_columns()
            if not readonly:
                sealed_before = self.has_key_check()
                self._cipher = CaseCipher(keys.load_or_create(create=not sealed_before))
                self._check_key(keys)
                self._scrub_central_text()
        except DatabaseError as exc:
            self.close()
            raise damaged_error(self.path, exc) from exc
        except BaseException:
            self.close()
            raise

    # --- setup -----------------------------------------------------------------------------

    def _create_private_files(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():
            # Create the file user-only first; SQLite gives -wal and -shm the same mode.
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
            os.close(fd)

    def _make_engine(self) -> Engine:
        engine = create_engine(f"sqlite:///{self.path}")

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
            # Let SQLAlchemy's "begin" event issue BEGIN (IMMEDIATE) itself.
            dbapi_conn.isolation_level = None
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA busy_timeout=10000")
            if not self.readonly:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # pragma: no cover - exercised by every test
            wanted = self._synchronous
            writing = self._begin != "BEGIN"
            if writing and conn.info.get("synchronous") != wanted:
                # Outside a transaction, so SQLite applies it to the commit that follows.
                conn.exec_driver_sql(f"PRAGMA synchronous={wanted}")
                conn.info["synchronous"] = wanted
            conn.exec_driver_sql(self._begin)

        return engine

    @contextlib.contextmanager
    def _tx(self, *, durable: bool = True) -> Iterator[Any]:
        """A write transaction; ``durable=False`` commits without waiting for the disk."""
        if self.readonly:
            raise OutboxError("readonly", "the outbox was opened read-only")
        self._synchronous = "FULL" if durable else "NORMAL"
        self._begin = "BEGIN IMMEDIATE"
        try:
            with self._conn.begin():
                yield self._conn
        finally:
            self._synchronous = "FULL"
            self._begin = "BEGIN"

    @contextlib.contextmanager
    def _read(self) -> Iterator[Any]:
        """A read-only (deferred) transaction, ended after the block."""
        try:
            yield self._conn
        finally:
            self._conn.rollback()

    def _table_columns(self) -> set[str]:
        with self._read() as conn:
            rows = conn.exec_driver_sql("PRAGMA table_info(outbox_cases)").fetchall()
        return {row[1] for row in rows}

    def _scrub_central_text(self) -> None:
        """Drop free text central wrote into rows (older versions stored it): codes stay."""
        c = cases_table.c
        with self._read() as conn:
            rows = conn.execute(
                select(c.id, c.last_error, c.error_code, c.error_fields).where(
                    or_(c.last_error.is_not(None), c.error_fields.is_not(None))
                )
            ).all()
        changes = []
        for row in rows:
            last_error = listable_error(row.last_error, row.error_code)
            fields = _fields_json(safe_fields(_parse_fields(row.error_fields)))
            if last_error != row.last_error or fields != row.error_fields:
                changes.append({"row_id": row.id, "le": last_error, "ef": fields})
        if not changes:
            return
        statement = (
            update(cases_table)
            .where(_BY_ID)
            .values(last_error=bindparam("le"), error_fields=bindparam("ef"))
        )
        with self._tx() as conn:
            conn.execute(statement, changes)
        log.info("removed central's free text from %d outbox row(s)", len(changes))

    def has_key_check(self) -> bool:
        """Whether the database holds data sealed under a key (its key check value)."""
        with self._read() as conn:
            found = conn.execute(
                select(meta_table.c.key).where(meta_table.c.key == "key_check")
            ).first()
        return found is not None

    def _check_key(self, keys: DataKeyStore | None = None) -> None:
        assert self._cipher is not None
        with self._tx() as conn:
            stored = conn.execute(
                select(meta_table.c.value).where(meta_table.c.key == "key_check")
            ).scalar_one_or_none()
            if stored is None:
                nonce, sealed = self._cipher.seal(
                    "aes-256-gcm", _KEY_CHECK_PLAINTEXT, _KEY_CHECK_AAD
                )
                conn.execute(insert(meta_table).values(key="key_check", value=nonce + sealed))
                return
        try:
            plain = self._cipher.open("aes-256-gcm", stored[:12], stored[12:], _KEY_CHECK_AAD)
        except OutboxError:
            plain = None
        if plain != _KEY_CHECK_PLAINTEXT:
            hint = ""
            if keys is not None:
                others = keys.key_files_of_other_folders()
                if others:
                    listed = "; ".join(f"{path} (made for {folder})" for path, folder in others[:5])
                    hint = (
                        f" If this folder was moved or restored from another place, the key "
                        f"file made for its old place opens it (copy it to {keys.key_file}); "
                        f"candidates: {listed}"
                    )
            raise OutboxError(
                "data_key_mismatch",
                f"the data key found for {self.data_dir} does not open this outbox; the key "
                "store (keyring or key file) was changed or belongs to another data directory."
                + hint,
            )

    def close(self) -> None:
        """Close every connection."""
        self._conn.close()
        self.engine.dispose()

    def _require_key(self) -> CaseCipher:
        if self._cipher is None:
            raise OutboxError("readonly", "the outbox was opened read-only")
        return self._cipher

    # --- new cases (writer thread) ----------------------------------------------------------

    def _next_local_id(self, conn, workstation_id: str, now: float) -> str:
        day = datetime.fromtimestamp(now).strftime("%Y%m%d")
        seq = conn.execute(_NEXT_SEQUENCE, {"day": day}).scalar_one()
        return f"{workstation_id}-{day}-{seq:04d}"

    def _insert_version(
        self,
        conn,
        case: CaseSubmission,
        *,
        key: str,
        now: float,
        version: int,
        case_ref: str,
        supersedes: str | None,
        origin: str,
    ) -> None:
        cipher = self._require_key()
        nonce, sealed = cipher.seal(self.cipher_id, canonical_json(case), _aad(case.local_id, key))
        conn.execute(
            _INSERT_CASE,
            {
                "local_id": case.local_id,
                "idempotency_key": key,
                "service": case.service,
                "created_at": case.created_at.astimezone(UTC).isoformat(timespec="seconds"),
                "queued_at": now,
                "cipher": self.cipher_id,
                "nonce": nonce,
                "body": sealed,
                "state": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "updated_at": now,
                "version": version,
                "case_ref": case_ref,
                "supersedes": supersedes,
                "origin": origin,
            },
        )

    def add(
        self, case: CaseSubmission, *, now: float | None = None, check_freeze: bool = True
    ) -> QueuedCase:
        """Give the case its local id and a fresh idempotency key, seal it, commit it.

        Raises OutboxFrozenError when the freeze rule refuses new cases.
        """
        self._require_key()
        now = time.time() if now is None else now
        key = str(uuid.uuid4())
        with self._tx() as conn:
            if check_freeze and self.freeze is not None:
                state = self._freeze_state(conn, now)
                if state.frozen:
                    log.warning("new case refused: outbox frozen (%s)", state.reason)
                    raise OutboxFrozenError(state)
            local_id = self._next_local_id(conn, case.workstation_id, now)
            numbered = case.model_copy(update={"local_id": local_id})
            self._insert_version(
                conn,
                numbered,
                key=key,
                now=now,
                version=1,
                case_ref=local_id,
                supersedes=None,
                origin="desk",
            )
        # The transaction has committed (WAL, synchronous=FULL): the case is durable.
        crash_point("after_commit")
        log.info("case %s queued (service %s)", local_id, numbered.service)
        return QueuedCase(local_id=local_id, idempotency_key=key, service=numbered.service)

    # --- the freeze rule --------------------------------------------------------------------

    def _freeze_state(self, conn, now: float) -> FreezeState:
        unsent, oldest = conn.execute(_UNSENT).one()
        return evaluate_freeze(self.freeze, unsent, oldest, now)

    def unsent_summary(self) -> tuple[int, float | None]:
        """(number of unsent cases, queued time of the oldest) for the freeze rule."""
        c = cases_table.c
        column = c.queued_at if "queued_at" in self._columns else c.updated_at
        with self._read() as conn:
            unsent, oldest = conn.execute(
                select(func.count(), func.min(column)).where(c.state.in_(UNSENT_STATES))
            ).one()
        return unsent, oldest

    def freeze_state(self, *, now: float | None = None) -> FreezeState:
        """The freeze state now (reads the database)."""
        unsent, oldest = self.unsent_summary()
        return evaluate_freeze(self.freeze, unsent, oldest, time.time() if now is None else now)

    # --- the sync loop's marks (writer thread; not waiting for the disk) ---------------------

    def recover_sending(self) -> int:
        """Put rows left in "sending" by a crash back to "pending"; return how many."""
        now = time.time()
        with self._tx() as conn:
            result = conn.execute(
                update(cases_table)
                .where(cases_table.c.state == "sending")
                .values(state="pending", next_attempt_at=now, updated_at=now)
            )
        if result.rowcount:
            log.warning("%d case(s) left in sending went back to pending", result.rowcount)
        return result.rowcount

    def claim_next(self, *, now: float | None = None) -> ClaimedCase | None:
        """Move the oldest due pending row to "sending" and return it decrypted."""
        cipher = self._require_key()
        now = time.time() if now is None else now
        c = cases_table.c
        with self._tx(durable=False) as conn:
            row = conn.execute(_NEXT_DUE_ROW, {"now": now}).one_or_none()
            if row is None:
                return None
            try:
                body = cipher.open(
                    row.cipher, row.nonce, row.body, _aad(row.local_id, row.idempotency_key)
                )
            except OutboxError as exc:
                # A row that cannot be opened can never be sent; show it instead of looping.
                conn.execute(
                    update(cases_table)
                    .where(c.id == row.id)
                    .values(
                        state="rejected",
                        error_code=exc.code,
                        last_error=exc.code,
                        updated_at=now,
                    )
                )
                log.error("case %s cannot be decrypted: %s", row.local_id, exc.code)
                return None
            conn.execute(_CLAIM, {"row_id": row.id, "attempts": row.attempts + 1, "now": now})
        crash_point("after_claim")
        return ClaimedCase(
            local_id=row.local_id,
            idempotency_key=row.idempotency_key,
            service=row.service,
            body=body,
            attempts=row.attempts + 1,
        )

    def mark_sent(self, local_id: str, central_id: str) -> None:
        """Central has the case: keep only the receipt (the sealed body is dropped)."""
        params = {"row_local_id": local_id, "central_id": central_id, "now": time.time()}
        with self._tx(durable=False) as conn:
            conn.execute(_MARK_SENT, params)
        log.info("case %s sent (central id %s)", local_id, central_id)

    def mark_rejected(
        self,
        local_id: str,
        code: str,
        detail: str,
        fields: dict[str, str] | None = None,
    ) -> None:
        """Central refused the case for good; it waits for correction or withdrawal."""
        params = {
            "row_local_id": local_id,
            "code": code[:64],
            "fields": _fields_json(fields),
            "detail": detail[:500],
            "now": time.time(),
        }
        with self._tx(durable=False) as conn:
            conn.execute(_MARK_REJECTED, params)
        log.warning("case %s rejected by central: %s", local_id, code)

    def mark_retry(self, local_id: str, code: str, detail: str, next_attempt_at: float) -> None:
        """Sending failed for a reason that may pass; try again at ``next_attempt_at``."""
        params = {
            "row_local_id": local_id,
            "code": code[:64],
            "detail": detail[:500],
            "at": next_attempt_at,
            "now": time.time(),
        }
        with self._tx(durable=False) as conn:
            conn.execute(_MARK_RETRY, params)

    def make_all_due(self, *, now: float | None = None) -> int:
        """Make every pending row due now ("send now"); return how many."""
        now = time.time() if now is None else now
        with self._tx(durable=False) as conn:
            result = conn.execute(
                update(cases_table)
                .where(cases_table.c.state == "pending", cases_table.c.next_attempt_at > now)
                .values(next_attempt_at=now)
            )
        return result.rowcount

    # --- the clerk's decisions on rejected cases (writer thread; durable) --------------------

    def _row(self, conn, local_id: str):
        row = conn.execute(
            select(cases_table).where(cases_table.c.local_id == local_id)
        ).one_or_none()
        if row is None:
            raise OutboxError("no_such_case", f"no case {local_id} in the outbox")
        return row

    def open_case(self, local_id: str) -> CaseSubmission:
        """The case as queued (personal data: for the correction dialog, never logged)."""
        cipher = self._require_key()
        with self._read() as conn:
            row = self._row(conn, local_id)
        if row.body is None:
            raise OutboxError("case_body_gone", f"case {local_id} keeps only its receipt")
        body = cipher.open(row.cipher, row.nonce, row.body, _aad(row.local_id, row.idempotency_key))
        return CaseSubmission.model_validate_json(body)

    def resubmit(
        self,
        local_id: str,
        *,
        form: dict[str, Any] | None = _KEEP,
        cosign: CoSign | None = _KEEP,
        by: str | None = None,
        now: float | None = None,
    ) -> QueuedCase:
        """Queue a corrected version of a rejected case (a new local id and idempotency key).

        The new version is ``<first local id>.<n>``; the rejected row records who replaced it
        and by which version, and drops its body. Only a rejected case nobody has corrected
        yet can be corrected (``not_correctable`` otherwise).
        """
        cipher = self._require_key()
        now = time.time() if now is None else now
        key = str(uuid.uuid4())
        c = cases_table.c
        with self._tx() as conn:
            row = self._row(conn, local_id)
            if row.state != "rejected" or row.superseded_by is not None or row.body is None:
                raise OutboxError(
                    "not_correctable",
                    f"case {local_id} is {row.state}"
                    + (f", replaced by {row.superseded_by}" if row.superseded_by else "")
                    + "; only a rejected case can be corrected",
                )
            old = CaseSubmission.model_validate_json(
                cipher.open(
                    row.cipher, row.nonce, row.body, _aad(row.local_id, row.idempotency_key)
                )
            )
            case_ref = row.case_ref or row.local_id
            version = (row.version or 1) + 1
            changes: dict[str, Any] = {"local_id": f"{case_ref}.{version}"}
            if form is not _KEEP:
                changes["form"] = form
            if cosign is not _KEEP:
                changes["cosign"] = None if cosign is None else cosign.model_dump(mode="json")
            try:
                new = CaseSubmission.model_validate({**old.model_dump(mode="json"), **changes})
            except ValidationError as exc:
                fields = {".".join(str(p) for p in e["loc"]): e["type"] for e in exc.errors()}
                raise OutboxError(
                    "case_invalid", f"the corrected case is invalid: {fields}"
                ) from exc
            self._insert_version(
                conn,
                new,
                key=key,
                now=now,
                version=version,
                case_ref=case_ref,
                supersedes=row.local_id,
                origin=row.origin or "desk",
            )
            conn.execute(
                update(cases_table)
                .where(c.id == row.id)
                .values(
                    superseded_by=new.local_id,
                    changed_by=by,
                    body=None,
                    nonce=None,
                    updated_at=now,
                )
            )
        log.info("case %s corrected as %s (version %d)", local_id, new.local_id, version)
        return QueuedCase(
            local_id=new.local_id,
            idempotency_key=key,
            service=new.service,
            version=version,
            supersedes=local_id,
        )

    def withdraw(
        self, local_id: str, reason: str, *, note: str | None = None, by: str | None = None
    ) -> bool:
        """Withdraw a pending or rejected case; False if it is in another state.

        ``reason`` is one of :data:`WITHDRAW_REASONS`; ``note`` (free text, may name the
        citizen) is sealed like a case body. The case body is dropped.
        """
        if reason not in WITHDRAW_REASONS:
            raise OutboxError(
                "bad_withdraw_reason",
                f"reason must be one of {', '.join(WITHDRAW_REASONS)}, not {reason!r}",
            )
        cipher = self._require_key()
        now = time.time()
        note_nonce = sealed_note = None
        if note:
            note_nonce, sealed_note = cipher.seal(
                self.cipher_id, note.encode("utf-8"), _note_aad(local_id)
            )
        c = cases_table.c
        with self._tx() as conn:
            result = conn.execute(
                update(cases_table)
                .where(
                    c.local_id == local_id,
                    or_(c.state == "pending", _open_rejected(c)),
                )
                .values(
                    state="withdrawn",
                    withdraw_reason=reason,
                    # The body goes; the cipher column now describes the sealed note.
                    cipher=self.cipher_id,
                    note_nonce=note_nonce,
                    note=sealed_note,
                    changed_by=by,
                    body=None,
                    nonce=None,
                    updated_at=now,
                )
            )
        if result.rowcount == 1:
            log.info("case %s withdrawn (%s)", local_id, reason)
        return result.rowcount == 1

    def withdraw_note(self, local_id: str) -> str | None:
        """The sealed note of a withdrawn case, opened (personal data: UI only)."""
        cipher = self._require_key()
        with self._read() as conn:
            row = self._row(conn, local_id)
        if row.note is None:
            return None
        return cipher.open(row.cipher, row.note_nonce, row.note, _note_aad(local_id)).decode()

    # --- retention --------------------------------------------------------------------------

    def purge_sent(self, retention_days: int, *, now: float | None = None) -> int:
        """Delete finished cases older than the retention; return how many rows went.

        A case goes with its whole version chain, once no version waits any more (every
        version is sent, withdrawn or replaced) and the newest change is past the retention.
        """
        now = time.time() if now is None else now
        cutoff = now - timedelta(days=retention_days).total_seconds()
        c = cases_table.c
        waiting = or_(c.state.in_(UNSENT_STATES), _open_rejected(c))
        finished_refs = (
            select(c.case_ref)
            .group_by(c.case_ref)
            .having(
                func.sum(sa_case((waiting, 1), else_=0)) == 0,
                func.max(c.updated_at) < cutoff,
            )
        )
        with self._tx(durable=False) as conn:
            result = conn.execute(sa_delete(cases_table).where(c.case_ref.in_(finished_refs)))
        return result.rowcount

    # --- export and import (writer thread) ----------------------------------------------------

    def export_cases(self, unreadable: list[str] | None = None) -> list[dict[str, Any]]:
        """Every case still to be sent or corrected, decrypted, oldest first.

        A case that cannot be decrypted is left out and its local id appended to
        ``unreadable`` (when given; otherwise its OutboxError is raised).
        """
        cipher = self._require_key()
        c = cases_table.c
        with self._read() as conn:
            rows = conn.execute(
                select(cases_table)
                .where(or_(c.state.in_(UNSENT_STATES), _open_rejected(c)))
                .order_by(c.queued_at, c.id)
            ).all()
        cases = []
        for row in rows:
            if row.body is None:
                continue
            try:
                body = cipher.open(
                    row.cipher, row.nonce, row.body, _aad(row.local_id, row.idempotency_key)
                )
            except OutboxError as exc:
                if unreadable is None:
                    raise OutboxError(exc.code, f"case {row.local_id}: {exc.detail}") from exc
                log.error("case %s cannot be decrypted for export: %s", row.local_id, exc.code)
                unreadable.append(row.local_id)
                continue
            cases.append(
                {
                    "local_id": row.local_id,
                    "idempotency_key": row.idempotency_key,
                    "service": row.service,
                    "created_at": row.created_at,
                    "queued_at": row.queued_at,
                    "state": "rejected" if row.state == "rejected" else "pending",
                    "attempts": row.attempts,
                    "error_code": row.error_code,
                    "error_fields": _parse_fields(row.error_fields),
                    "last_error": row.last_error,
                    "version": row.version or 1,
                    "case_ref": row.case_ref or row.local_id,
                    "supersedes": row.supersedes,
                    "body": body.decode("utf-8"),
                }
            )
        return cases

    def import_cases(
        self, cases: list[dict[str, Any]], *, now: float | None = None
    ) -> ImportResult:
        """Add exported cases, keeping their local ids and idempotency keys (all or nothing).

        A case whose key is already here is left alone (``present``): importing twice, or
        importing cases this desk has sent, adds nothing. A case whose local id is taken by
        another case here is not imported (``conflicts``).
        """
        cipher = self._require_key()
        now = time.time() if now is None else now
        checked = [_check_exported(item) for item in cases]
        imported: list[str] = []
        present: list[str] = []
        conflicts: list[str] = []
        workstations: set[str] = set()
        c = cases_table.c
        with self._tx() as conn:
            for item, submission in checked:
                key = item["idempotency_key"]
                if conn.execute(select(c.id).where(c.idempotency_key == key)).first():
                    present.append(item["local_id"])
                    continue
                if conn.execute(select(c.id).where(c.local_id == item["local_id"])).first():
                    conflicts.append(item["local_id"])
                    continue
                body = canonical_json(submission)
                nonce, sealed = cipher.seal(self.cipher_id, body, _aad(item["local_id"], key))
                conn.execute(
                    insert(cases_table).values(
                        local_id=item["local_id"],
                        idempotency_key=key,
                        service=submission.service,
                        created_at=submission.created_at.astimezone(UTC).isoformat(
                            timespec="seconds"
                        ),
                        queued_at=float(item.get("queued_at") or now),
                        cipher=self.cipher_id,
                        nonce=nonce,
                        body=sealed,
                        state=item["state"],
                        attempts=int(item.get("attempts") or 0),
                        next_attempt_at=now,
                        updated_at=now,
                        error_code=item.get("error_code"),
                        error_fields=_fields_json(item.get("error_fields")),
                        last_error=item.get("last_error"),
                        version=int(item.get("version") or 1),
                        case_ref=item.get("case_ref") or item["local_id"],
                        supersedes=item.get("supersedes"),
                        origin="import",
                    )
                )
                self._bump_sequence(conn, item.get("case_ref") or item["local_id"])
                imported.append(item["local_id"])
                workstations.add(submission.workstation_id)
        log.info(
            "outbox import: %d imported, %d already present, %d conflicts",
            len(imported),
            len(present),
            len(conflicts),
        )
        return ImportResult(
            imported=tuple(imported),
            present=tuple(present),
            conflicts=tuple(conflicts),
            workstations=tuple(sorted(workstations)),
        )

    def _bump_sequence(self, conn, local_id: str) -> None:
        # New cases of this desk must not take a local id an imported case already has.
        match = _LOCAL_ID_DAY.search(local_id)
        if match is None:
            return
        day, seq = match.group(1), int(match.group(2))
        last = conn.execute(
            select(sequences_table.c.last).where(sequences_table.c.day == day)
        ).scalar_one_or_none()
        if last is None:
            conn.execute(insert(sequences_table).values(day=day, last=seq))
        elif last < seq:
            conn.execute(
                update(sequences_table).where(sequences_table.c.day == day).values(last=seq)
            )

    # --- reads -----------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per state (every state present).

        ``rejected`` counts the rejected cases still waiting for the clerk: a corrected one is
        counted by its new version.
        """
        return self.summary()[0]

    def summary(self) -> tuple[dict[str, int], float | None]:
        """(counts as :meth:`counts`, queued time of the oldest unsent case) in one query."""
        counts = _empty_counts()
        c = cases_table.c
        if "queued_at" in self._columns:
            query = (
                select(c.state, func.count(), func.min(c.queued_at))
                .where(c.superseded_by.is_(None))
                .group_by(c.state)
            )
        else:  # an older outbox opened read-only
            query = select(c.state, func.count(), func.min(c.updated_at)).group_by(c.state)
        oldest: float | None = None
        with self._read() as conn:
            for state, n, first in conn.execute(query):
                counts[state] = n
                if state in UNSENT_STATES and first is not None:
                    oldest = first if oldest is None else min(oldest, first)
        return counts, oldest

    def entries(
        self,
        *,
        states: tuple[str, ...] | None = None,
        limit: int = 1000,
        case_ref: str | None = None,
    ) -> list[OutboxEntry]:
        """Rows without personal data, oldest first."""
        c = cases_table.c
        names = [
            "local_id",
            "idempotency_key",
            "service",
            "created_at",
            "state",
            "attempts",
            "next_attempt_at",
            "last_error",
            "central_id",
            "updated_at",
            *(n for n in _ENTRY_EXTRA if n in self._columns),
        ]
        order = [c.queued_at, c.id] if "queued_at" in self._columns else [c.id]
        query = select(*(c[n] for n in names)).order_by(*order).limit(limit)
        if states:
            query = query.where(c.state.in_(states))
        if case_ref is not None:
            query = query.where(c.case_ref == case_ref)
        with self._read() as conn:
            rows = [_entry(dict(row._mapping)) for row in conn.execute(query)]
        return rows

    def history(self, local_id: str) -> list[OutboxEntry]:
        """Every version of the case ``local_id`` belongs to, first version first."""
        with self._read() as conn:
            row = self._row(conn, local_id)
        chain = self.entries(case_ref=row.case_ref or row.local_id, limit=10_000)
        return sorted(chain, key=lambda e: e.version)

    def next_due(self) -> float | None:
        """The earliest next attempt time among pending rows, or None."""
        with self._read() as conn:
            value = conn.execute(
                select(func.min(cases_table.c.next_attempt_at)).where(
                    cases_table.c.state == "pending"
                )
            ).scalar()
        return value

    def integrity_check(self) -> str:
        """SQLite's quick_check result ("ok" for a sound database)."""
        with self._read() as conn:
            result = conn.execute(text("PRAGMA quick_check")).scalar()
        return str(result)


_ENTRY_EXTRA = (
    "queued_at",
    "error_code",
    "error_fields",
    "version",
    "case_ref",
    "supersedes",
    "superseded_by",
    "changed_by",
    "withdraw_reason",
    "origin",
)


def _entry(values: dict[str, Any]) -> OutboxEntry:
    values["error_fields"] = _parse_fields(values.get("error_fields"))
    values["version"] = values.get("version") or 1
    values["origin"] = values.get("origin") or "desk"
    return OutboxEntry(**values)


def _fields_json(fields: dict[str, str] | None) -> str | None:
    if not fields:
        return None
    return json.dumps({str(k): str(v) for k, v in sorted(fields.items())}, ensure_ascii=False)[
        :2000
    ]


def _parse_fields(value: str | None) -> dict[str, str]:
    if not value:
        return {}
    try:
        parsed = json.loads(value)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in parsed.items()} if isinstance(parsed, dict) else {}


def _check_exported(item: Any) -> tuple[dict[str, Any], CaseSubmission]:
    """Validate one case of an export file; raise OutboxError("export_file_invalid")."""
    try:
        if not isinstance(item, dict):
            raise ValueError("a case is not an object")
        key = str(uuid.UUID(item["idempotency_key"]))
        if key != item["idempotency_key"]:
            raise ValueError("the idempotency key is not in canonical form")
        submission = CaseSubmission.model_validate_json(item["body"])
        if submission.local_id != item["local_id"]:
            raise ValueError("the local id does not match the case body")
        if item.get("state", "pending") not in ("pending", "rejected"):
            raise ValueError(f"unexpected state {item.get('state')!r}")
    except (KeyError, TypeError, ValueError, ValidationError) as exc:
        raise OutboxError("export_file_invalid", f"a case in the file is malformed: {exc}") from exc
    return {**item, "state": item.get("state", "pending")}, submission


# --- the service ------------------------------------------------------------------------------


class OutboxListener(Protocol):
    """What the outbox reports; called on the outbox's threads."""

    def on_outbox_changed(self, counts: dict[str, int]) -> None: ...
    def on_case_sent(self, local_id: str, central_id: str) -> None: ...
    def on_case_rejected(self, local_id: str, reason: str) -> None: ...
    def on_network_state(self, online: bool) -> None: ...


class _ProcessLock:
    """An exclusive lock file in the data directory: one outbox sender per data directory."""

    def __init__(self, path: Path):
        self.path = path
        self._fh = None

    def acquire(self) -> None:
        fh = open(self.path, "a+b")  # noqa: SIM115 - held until release()
        try:
            if os.name == "nt":  # pragma: no cover - Windows desks
                import msvcrt

                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            fh.close()
            raise OutboxError(
                "outbox_in_use",
                f"another Hall Counter process is using the outbox in {self.path.parent}",
            ) from exc
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()
            self._fh = None


_STOP = object()


def write_private_file(
    path: Path, data: bytes, *, check: Callable[[Path], Any] | None = None
) -> None:
    """Write ``data`` to ``path`` readable only by the user, atomically and durably.

    ``check``, when given, is called with the written temporary file before it replaces
    ``path``; whatever it raises leaves ``path`` as it was and no temporary file behind.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if check is not None:
            check(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


class OutboxService:
    """Owns the outbox's writer thread and its sync loop.

    Every database write runs on the thread ``outbox-writer``; the HTTP calls to central run
    on ``outbox-sync`` (see :class:`desktop.sync.SyncLoop`), which hands each state change back to
    the writer. Nothing here blocks the caller: methods return futures or cached values.
    ``sync_factory=None`` runs the outbox without sending (e.g. ``outbox import``).
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        crypto_suite: str = "international",
        retention_days: int = 30,
        sync_factory: Callable[[OutboxService], Any] | None = None,
        key_store: DataKeyStore | None = None,
        freeze: FreezePolicy | None = None,
    ):
        self.data_dir = Path(data_dir)
        self.crypto_suite = crypto_suite
        self.retention_days = retention_days
        self.freeze = freeze
        self._sync_factory = sync_factory
        self._key_store = key_store
        self._jobs: queue.Queue = queue.Queue()
        self._writer: threading.Thread | None = None
        self._store: OutboxStore | None = None
        self._lock = _ProcessLock(self.data_dir / LOCK_NAME)
        self._listeners: list[OutboxListener] = []
        self._counts = _empty_counts()
        self._oldest_unsent: float | None = None
        self._counts_cond = threading.Condition()
        self._next_purge = 0.0
        self.sync = None
        self._started = False

    # --- lifecycle -------------------------------------------------------------------------

    def add_listener(self, listener: OutboxListener) -> None:
        """Register a listener (before start)."""
        self._listeners.append(listener)

    def start(self) -> None:
        """Open the database on the writer thread, recover, then start the sync loop.

        Raises OutboxError when the outbox cannot be opened (in use, wrong key, ...).
        """
        if self._started:
            return
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._lock.acquire()
        self._writer = threading.Thread(target=self._run_writer, name="outbox-writer")
        self._writer.start()
        try:
            self._call(self._open).result()
        except BaseException:
            self._jobs.put(_STOP)
            self._writer.join()
            self._writer = None
            self._lock.release()
            raise
        self._started = True
        if self._sync_factory is not None:
            self.sync = self._sync_factory(self)
            self.sync.start()

    def stop(self) -> None:
        """Stop the sync loop, finish queued writes, stop the writer; joins both threads."""
        if self.sync is not None:
            self.sync.stop()
            self.sync = None
        if self._writer is not None:
            self._jobs.put(_STOP)
            self._writer.join()
            self._writer = None
        self._lock.release()
        self._started = False

    def _open(self) -> None:
        self._store = OutboxStore(
            self.data_dir,
            crypto_suite=self.crypto_suite,
            key_store=self._key_store,
            freeze=self.freeze,
        )
        try:
            self._store.recover_sending()
        except DatabaseError as exc:
            path = self._store.path
            self._store.close()
            self._store = None
            raise damaged_error(path, exc) from exc
        self._purge()
        self._refresh_counts()

    def _purge(self) -> None:
        assert self._store is not None
        self._next_purge = time.monotonic() + _PURGE_EVERY
        try:
            purged = self._store.purge_sent(self.retention_days)
        except DatabaseError:
            log.exception("could not purge the outbox")
            return
        if purged:
            log.info("purged %d finished case row(s) past retention", purged)

    # --- the writer thread -----------------------------------------------------------------

    def _run_writer(self) -> None:
        while True:
            job = self._jobs.get()
            if job is _STOP:
                break
            fn, future = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn()
            except BaseException as exc:
                future.set_exception(exc)
            else:
                future.set_result(result)
            # Sent rows past the retention go while the desk runs, not only at start.
            if self._store is not None and time.monotonic() >= self._next_purge:
                self._purge()
                self._refresh_counts()
        # Drain jobs that arrived after stop: they fail rather than hang their callers.
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not _STOP:
                job[1].set_exception(OutboxError("outbox_stopped", "the outbox has stopped"))
        if self._store is not None:
            self._store.close()
            self._store = None

    def _call(self, fn: Callable[[], Any]) -> Future:
        future: Future = Future()
        if self._writer is None or not self._writer.is_alive():
            future.set_exception(OutboxError("outbox_stopped", "the outbox is not running"))
            return future
        self._jobs.put((fn, future))
        return future

    def assert_writer_thread(self) -> None:
        """Fail loudly when a write is attempted off the writer thread."""
        if threading.current_thread() is not self._writer:
            raise RuntimeError("outbox writes must run on the outbox-writer thread")

    def _with_store(self, fn: Callable[[OutboxStore], Any], *, changes: bool = True):
        def job():
            self.assert_writer_thread()
            assert self._store is not None
            try:
                return fn(self._store)
            except DatabaseError as exc:
                log.error("the outbox database cannot be read: %s", type(exc).__name__)
                raise damaged_error(self._store.path, exc) from exc
            finally:
                if changes:
                    self._refresh_counts()

        return self._call(job)

    def _refresh_counts(self) -> None:
        assert self._store is not None
        try:
            counts, oldest = self._store.summary()
            unsent = counts["pending"] + counts["sending"]
        except DatabaseError:
            log.exception("could not count the outbox")
            return
        with self._counts_cond:
            changed = counts != self._counts
            self._counts = counts
            self._oldest_unsent = oldest if unsent else None
            self._counts_cond.notify_all()
        if changed:
            self._notify("on_outbox_changed", dict(counts))

    def _notify(self, method: str, *args: Any) -> None:
        for listener in list(self._listeners):
            handler = getattr(listener, method, None)
            if handler is None:
                continue
            try:
                handler(*args)
            except Exception:
                log.exception("outbox listener %s.%s failed", type(listener).__name__, method)

    # --- the public API (any thread; nothing blocks) ---------------------------------------

    def enqueue(self, case: CaseSubmission) -> Future:
        """Queue a case; the future gives a QueuedCase once the transaction has committed.

        The outbox assigns the local id (whatever ``case.local_id`` holds is replaced) and a
        fresh idempotency key. Fails with OutboxFrozenError (code ``outbox_frozen``) when the
        freeze rule refuses new cases.
        """
        future = self._with_store(lambda store: store.add(case))
        future.add_done_callback(lambda f: self._kick() if f.exception() is None else None)
        return future

    def counts(self) -> dict[str, int]:
        """The last known rows per state (no I/O; updated after every write)."""
        with self._counts_cond:
            return dict(self._counts)

    def freeze_state(self) -> FreezeState:
        """Whether new cases are refused now, and why (no I/O)."""
        with self._counts_cond:
            unsent = self._counts["pending"] + self._counts["sending"]
            oldest = self._oldest_unsent
        return evaluate_freeze(self.freeze, unsent, oldest, time.time())

    def list(self, *, states: tuple[str, ...] | None = None) -> Future:
        """Future of the rows (OutboxEntry, no personal data), oldest first."""
        return self._with_store(lambda store: store.entries(states=states), changes=False)

    def history(self, local_id: str) -> Future:
        """Future of every version of a case (OutboxEntry), first version first."""
        return self._with_store(lambda store: store.history(local_id), changes=False)

    def open_case(self, local_id: str) -> Future:
        """Future[CaseSubmission]: a pending or rejected case's content, for the correction
        dialog (personal data: show it, never log it)."""
        return self._with_store(lambda store: store.open_case(local_id), changes=False)

    def resubmit(
        self,
        local_id: str,
        *,
        form: dict[str, Any] | None = _KEEP,
        cosign: CoSign | None = _KEEP,
        by: str | None = None,
    ) -> Future:
        """Future[QueuedCase]: queue a corrected version of a rejected case.

        ``form`` replaces the form, ``cosign`` the co-signature (left out: kept as they were).
        Errors: OutboxError ``not_correctable``, ``case_invalid``, ``no_such_case``.
        """
        future = self._with_store(
            lambda store: store.resubmit(local_id, form=form, cosign=cosign, by=by)
        )
        future.add_done_callback(lambda f: self._kick() if f.exception() is None else None)
        return future

    def withdraw(
        self, local_id: str, reason: str, *, note: str | None = None, by: str | None = None
    ) -> Future:
        """Future[bool]: withdraw a pending or rejected case with a reason code
        (:data:`WITHDRAW_REASONS`) and an optional note (kept sealed)."""
        return self._with_store(lambda store: store.withdraw(local_id, reason, note=note, by=by))

    def export_to(self, path: Path, passphrase: str, *, training: bool = False) -> Future:
        """Future[ExportResult]: write every unsent case to ``path`` sealed under a passphrase.

        The cases stay in this outbox: if this desk sends them later, central recognises their
        idempotency keys. The file is written user-only, atomically, and says whether its
        cases are training cases (``training``): only a desk of the same kind imports it.
        """
        path = Path(path)

        def job(store: OutboxStore) -> ExportResult:
            unreadable: list[str] = []
            cases = store.export_cases(unreadable)
            payload = {
                "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "training": training,
                "cases": cases,
            }
            data = seal_with_passphrase(
                json.dumps(payload, ensure_ascii=False).encode("utf-8"), passphrase
            )
            try:
                write_private_file(path, data)
            except OSError as exc:
                raise OutboxError(
                    "file_unwritable", f"cannot write {path}: {exc.strerror or exc}"
                ) from exc
            log.info("exported %d unsent case(s), %d unreadable", len(cases), len(unreadable))
            return ExportResult(
                path=path,
                local_ids=tuple(c["local_id"] for c in cases),
                unreadable=tuple(unreadable),
            )

        return self._with_store(job, changes=False)

    def import_from(self, path: Path, passphrase: str, *, training: bool = False) -> Future:
        """Future[ImportResult]: add the cases of an export file (see OutboxStore.import_cases).

        ``training``: this is a training desk. Training cases never go into a production
        outbox, nor real cases into a training one (``export_kind_mismatch``). Other errors:
        OutboxError ``export_file_invalid``, ``passphrase_wrong``, ``file_unreadable``.
        """
        path = Path(path)

        def job(store: OutboxStore) -> ImportResult:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise OutboxError("file_unreadable", f"cannot read {path}: {exc.strerror}") from exc
            plain = open_with_passphrase(data, passphrase)
            try:
                payload = json.loads(plain.decode("utf-8"))
                cases = payload["cases"]
                if not isinstance(cases, list):
                    raise TypeError("cases is not a list")
            except (ValueError, KeyError, TypeError) as exc:
                raise OutboxError("export_file_invalid", "the file holds no case list") from exc
            # A file from before the mark holds real cases.
            from_training = payload.get("training", False) is True
            if from_training != training:
                raise OutboxError(
                    "export_kind_mismatch",
                    "the file holds training cases and this is a production desk"
                    if from_training
                    else "the file holds real cases and this is a training desk",
                )
            result = store.import_cases(cases)
            if result.imported:
                self._kick()
            return result

        return self._with_store(job)

    def wake(self) -> None:
        """Send now: clears any backoff pause of the sync loop."""
        if self.sync is not None:
            self.sync.wake()

    send_now = wake

    def _kick(self) -> None:
        if self.sync is not None:
            self.sync.kick()

    def wait_until(self, predicate: Callable[[dict[str, int]], bool], timeout: float) -> bool:
        """Block (not on a GUI thread) until ``predicate(counts)`` holds or the timeout ends."""
        deadline = time.monotonic() + timeout
        with self._counts_cond:
            while not predicate(self._counts):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._counts_cond.wait(remaining)
            return True

    # --- used by the sync loop (each runs on the writer thread) ----------------------------

    def _claim_next(self) -> Future:
        return self._with_store(lambda store: store.claim_next())

    def _mark_sent(self, local_id: str, central_id: str) -> Future:
        # Listeners hear of the case before the counts change, so "sent" counts never run
        # ahead of the case_sent events.
        def job(store: OutboxStore) -> None:
            store.mark_sent(local_id, central_id)
            self._notify("on_case_sent", local_id, central_id)

        return self._with_store(job)

    def _mark_rejected(
        self, local_id: str, code: str, detail: str, fields: dict[str, str] | None = None
    ) -> Future:
        def job(store: OutboxStore) -> None:
            store.mark_rejected(local_id, code, detail, fields)
            self._notify("on_case_rejected", local_id, code)

        return self._with_store(job)

    def _mark_retry(self, local_id: str, code: str, detail: str, at: float) -> Future:
        return self._with_store(lambda store: store.mark_retry(local_id, code, detail, at))

    def _make_all_due(self) -> Future:
        return self._with_store(lambda store: store.make_all_due(), changes=False)

    def _next_due(self) -> Future:
        return self._with_store(lambda store: store.next_due(), changes=False)


@contextlib.contextmanager
def open_readonly(data_dir: Path, *, freeze: FreezePolicy | None = None) -> Iterator[OutboxStore]:
    """Open an existing outbox for reading counts and rows (no key, no write lock).

    SQLite errors inside the block come out as OutboxError ``outbox_damaged``.
    """
    store = OutboxStore(data_dir, readonly=True, freeze=freeze)
    try:
        yield store
    except DatabaseError as exc:
        raise damaged_error(store.path, exc) from exc
    finally:
        store.close()
