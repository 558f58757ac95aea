"""The outbox: cases waiting for central in an encrypted local SQLite database (design 6).

The database (``outbox.db`` in the data directory) runs in WAL mode with ``synchronous=FULL``,
so a committed case survives a power cut. :class:`OutboxStore` is the storage (SQLAlchemy Core);
:class:`OutboxService` owns the one writer thread that performs every write, and the sync loop
(:mod:`desktop.sync`) that sends to central. The caller's future of :meth:`OutboxService.enqueue`
resolves only after the case's transaction has committed, so "accepted" is never said early.

Each row keeps: local id (``W01-20261204-0001``), idempotency key (a fresh UUID4), created time,
the case's canonical JSON sealed with the data key (AES-256-GCM or SM4-GCM; AAD = local id and
key), state (pending, sending, sent, rejected, withdrawn), attempts, next attempt time, last error
and central's case id. A sent row keeps only what its receipt needs: the sealed body is dropped.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy import delete as sa_delete
from sqlalchemy.exc import OperationalError

from desktop.contract import CaseSubmission, canonical_json
from desktop.crypto import SUITE_CIPHERS, CaseCipher, DataKeyStore
from desktop.errors import OutboxError

log = logging.getLogger(__name__)

DB_NAME = "outbox.db"
LOCK_NAME = "outbox.lock"
STATES = ("pending", "sending", "sent", "rejected", "withdrawn")
_KEY_CHECK_PLAINTEXT = b"hall-counter outbox key check v1"
_KEY_CHECK_AAD = b"key-check"

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
    Column("state", String(16), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", Float, nullable=False),
    Column("last_error", String(500), nullable=True),
    Column("central_id", String(64), nullable=True),
    Column("updated_at", Float, nullable=False),
    Column("sent_at", Float, nullable=True),
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


@dataclass(frozen=True)
class QueuedCase:
    """A case the outbox has committed: what the clerk's receipt shows."""

    local_id: str
    idempotency_key: str
    service: str


@dataclass(frozen=True)
class OutboxEntry:
    """One outbox row without personal data (``outbox list``, the UI's queue view)."""

    local_id: str
    idempotency_key: str
    service: str
    created_at: str
    state: str
    attempts: int
    next_attempt_at: float
    last_error: str | None
    central_id: str | None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (times as ISO 8601 UTC)."""
        return {
            "local_id": self.local_id,
            "idempotency_key": self.idempotency_key,
            "service": self.service,
            "created_at": self.created_at,
            "state": self.state,
            "attempts": self.attempts,
            "next_attempt_at": datetime.fromtimestamp(self.next_attempt_at, UTC).isoformat(
                timespec="seconds"
            ),
            "last_error": self.last_error,
            "central_id": self.central_id,
        }


@dataclass(frozen=True)
class ClaimedCase:
    """A row moved to "sending": the decrypted body travels only to the sync loop."""

    local_id: str
    idempotency_key: str
    service: str
    body: bytes
    attempts: int


def _aad(local_id: str, idempotency_key: str) -> bytes:
    return f"{local_id}\n{idempotency_key}".encode()


def _empty_counts() -> dict[str, int]:
    return dict.fromkeys(STATES, 0)


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
    ):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_NAME
        self.readonly = readonly
        if crypto_suite not in SUITE_CIPHERS:
            raise OutboxError("unknown_crypto_suite", f"unknown crypto suite {crypto_suite!r}")
        self.cipher_id = SUITE_CIPHERS[crypto_suite]
        if readonly:
            if not self.path.exists():
                raise OutboxError("no_outbox", f"no outbox database in {self.data_dir}")
        else:
            self._create_private_files()
        self.engine = self._make_engine()
        if not readonly:
            metadata.create_all(self.engine)
        self._cipher: CaseCipher | None = None
        if not readonly:
            store = key_store or DataKeyStore(self.data_dir)
            self._cipher = CaseCipher(store.load_or_create())
            self._check_key()

    # --- setup -----------------------------------------------------------------------------

    def _create_private_files(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():
            # Create the file user-only first; SQLite gives -wal and -shm the same mode.
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
            os.close(fd)

    def _make_engine(self) -> Engine:
        engine = create_engine(f"sqlite:///{self.path}")
        begin = "BEGIN" if self.readonly else "BEGIN IMMEDIATE"

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
            conn.exec_driver_sql(begin)

        return engine

    def _check_key(self) -> None:
        assert self._cipher is not None
        with self.engine.begin() as conn:
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
            raise OutboxError(
                "data_key_mismatch",
                f"the data key found for {self.data_dir} does not open this outbox; the key "
                "store (keyring or key file) was changed or belongs to another data directory",
            )

    def close(self) -> None:
        """Close every connection."""
        self.engine.dispose()

    # --- writes (writer thread) -------------------------------------------------------------

    def add(self, case: CaseSubmission, *, now: float | None = None) -> QueuedCase:
        """Give the case its local id and a fresh idempotency key, seal it, commit it."""
        if self._cipher is None:
            raise OutboxError("readonly", "the outbox was opened read-only")
        now = time.time() if now is None else now
        day = datetime.fromtimestamp(now).strftime("%Y%m%d")
        key = str(uuid.uuid4())
        with self.engine.begin() as conn:
            last = conn.execute(
                select(sequences_table.c.last).where(sequences_table.c.day == day)
            ).scalar_one_or_none()
            seq = (last or 0) + 1
            if last is None:
                conn.execute(insert(sequences_table).values(day=day, last=seq))
            else:
                conn.execute(
                    update(sequences_table).where(sequences_table.c.day == day).values(last=seq)
                )
            local_id = f"{case.workstation_id}-{day}-{seq:04d}"
            numbered = CaseSubmission.model_validate(
                {**case.model_dump(mode="json"), "local_id": local_id}
            )
            nonce, sealed = self._cipher.seal(
                self.cipher_id, canonical_json(numbered), _aad(local_id, key)
            )
            conn.execute(
                insert(cases_table).values(
                    local_id=local_id,
                    idempotency_key=key,
                    service=numbered.service,
                    created_at=numbered.created_at.astimezone(UTC).isoformat(timespec="seconds"),
                    cipher=self.cipher_id,
                    nonce=nonce,
                    body=sealed,
                    state="pending",
                    attempts=0,
                    next_attempt_at=now,
                    updated_at=now,
                )
            )
        # The transaction has committed (WAL, synchronous=FULL): the case is durable.
        log.info("case %s queued (service %s)", local_id, numbered.service)
        return QueuedCase(local_id=local_id, idempotency_key=key, service=numbered.service)

    def recover_sending(self) -> int:
        """Put rows left in "sending" by a crash back to "pending"; return how many."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(cases_table)
                .where(cases_table.c.state == "sending")
                .values(state="pending", next_attempt_at=time.time(), updated_at=time.time())
            )
        if result.rowcount:
            log.warning("%d case(s) left in sending went back to pending", result.rowcount)
        return result.rowcount

    def claim_next(self, *, now: float | None = None) -> ClaimedCase | None:
        """Move the oldest due pending row to "sending" and return it decrypted."""
        if self._cipher is None:
            raise OutboxError("readonly", "the outbox was opened read-only")
        now = time.time() if now is None else now
        c = cases_table.c
        with self.engine.begin() as conn:
            row = conn.execute(
                select(cases_table)
                .where(c.state == "pending", c.next_attempt_at <= now)
                .order_by(c.id)
                .limit(1)
            ).one_or_none()
            if row is None:
                return None
            try:
                body = self._cipher.open(
                    row.cipher, row.nonce, row.body, _aad(row.local_id, row.idempotency_key)
                )
            except OutboxError as exc:
                # A row that cannot be opened can never be sent; show it instead of looping.
                conn.execute(
                    update(cases_table)
                    .where(c.id == row.id)
                    .values(state="rejected", last_error=exc.code, updated_at=now)
                )
                log.error("case %s cannot be decrypted: %s", row.local_id, exc.code)
                return None
            conn.execute(
                update(cases_table)
                .where(c.id == row.id)
                .values(state="sending", attempts=row.attempts + 1, updated_at=now)
            )
        return ClaimedCase(
            local_id=row.local_id,
            idempotency_key=row.idempotency_key,
            service=row.service,
            body=body,
            attempts=row.attempts + 1,
        )

    def mark_sent(self, local_id: str, central_id: str) -> None:
        """Central has the case: keep only the receipt (the sealed body is dropped)."""
        now = time.time()
        with self.engine.begin() as conn:
            conn.execute(
                update(cases_table)
                .where(cases_table.c.local_id == local_id)
                .values(
                    state="sent",
                    central_id=central_id,
                    sent_at=now,
                    updated_at=now,
                    last_error=None,
                    body=None,
                    nonce=None,
                )
            )
        log.info("case %s sent (central id %s)", local_id, central_id)

    def mark_rejected(self, local_id: str, error: str) -> None:
        """Central refused the case for good; it waits for correction or withdrawal."""
        with self.engine.begin() as conn:
            conn.execute(
                update(cases_table)
                .where(cases_table.c.local_id == local_id)
                .values(state="rejected", last_error=error[:500], updated_at=time.time())
            )
        log.warning("case %s rejected by central: %s", local_id, error)

    def mark_retry(self, local_id: str, error: str, next_attempt_at: float) -> None:
        """Sending failed for a reason that may pass; try again at ``next_attempt_at``."""
        with self.engine.begin() as conn:
            conn.execute(
                update(cases_table)
                .where(cases_table.c.local_id == local_id)
                .values(
                    state="pending",
                    last_error=error[:500],
                    next_attempt_at=next_attempt_at,
                    updated_at=time.time(),
                )
            )

    def make_all_due(self, *, now: float | None = None) -> int:
        """Make every pending row due now ("send now"); return how many."""
        now = time.time() if now is None else now
        with self.engine.begin() as conn:
            result = conn.execute(
                update(cases_table)
                .where(cases_table.c.state == "pending", cases_table.c.next_attempt_at > now)
                .values(next_attempt_at=now)
            )
        return result.rowcount

    def withdraw(self, local_id: str, reason: str) -> bool:
        """Withdraw a pending or rejected case (its body is dropped); False if not possible."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(cases_table)
                .where(
                    cases_table.c.local_id == local_id,
                    cases_table.c.state.in_(("pending", "rejected")),
                )
                .values(
                    state="withdrawn",
                    last_error=f"withdrawn: {reason}"[:500],
                    body=None,
                    nonce=None,
                    updated_at=time.time(),
                )
            )
        return result.rowcount == 1

    def purge_sent(self, retention_days: int, *, now: float | None = None) -> int:
        """Delete sent and withdrawn rows older than the retention; return how many."""
        now = time.time() if now is None else now
        cutoff = now - timedelta(days=retention_days).total_seconds()
        with self.engine.begin() as conn:
            result = conn.execute(
                sa_delete(cases_table).where(
                    cases_table.c.state.in_(("sent", "withdrawn")),
                    cases_table.c.updated_at < cutoff,
                )
            )
        return result.rowcount

    # --- reads -----------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per state (every state present)."""
        counts = _empty_counts()
        with self.engine.connect() as conn:
            for state, n in conn.execute(
                select(cases_table.c.state, func.count()).group_by(cases_table.c.state)
            ):
                counts[state] = n
            conn.rollback()
        return counts

    def entries(self, *, states: tuple[str, ...] | None = None, limit: int = 1000):
        """Rows without personal data, oldest first."""
        c = cases_table.c
        query = (
            select(
                c.local_id,
                c.idempotency_key,
                c.service,
                c.created_at,
                c.state,
                c.attempts,
                c.next_attempt_at,
                c.last_error,
                c.central_id,
            )
            .order_by(c.id)
            .limit(limit)
        )
        if states:
            query = query.where(c.state.in_(states))
        with self.engine.connect() as conn:
            rows = [OutboxEntry(*row) for row in conn.execute(query)]
            conn.rollback()
        return rows

    def next_due(self) -> float | None:
        """The earliest next attempt time among pending rows, or None."""
        with self.engine.connect() as conn:
            value = conn.execute(
                select(func.min(cases_table.c.next_attempt_at)).where(
                    cases_table.c.state == "pending"
                )
            ).scalar()
            conn.rollback()
        return value


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


class OutboxService:
    """Owns the outbox's writer thread and its sync loop.

    Every database write runs on the thread ``outbox-writer``; the HTTP calls to central run
    on ``outbox-sync`` (see :class:`desktop.sync.SyncLoop`), which hands each state change back to
    the writer. Nothing here blocks the caller: methods return futures or cached values.
    ``sync=None`` runs the outbox without sending (e.g. a desk with no central configured).
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        crypto_suite: str = "international",
        retention_days: int = 30,
        sync_factory: Callable[[OutboxService], Any] | None = None,
        key_store: DataKeyStore | None = None,
    ):
        self.data_dir = Path(data_dir)
        self.crypto_suite = crypto_suite
        self.retention_days = retention_days
        self._sync_factory = sync_factory
        self._key_store = key_store
        self._jobs: queue.Queue = queue.Queue()
        self._writer: threading.Thread | None = None
        self._store: OutboxStore | None = None
        self._lock = _ProcessLock(self.data_dir / LOCK_NAME)
        self._listeners: list[OutboxListener] = []
        self._counts = _empty_counts()
        self._counts_cond = threading.Condition()
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
            self.data_dir, crypto_suite=self.crypto_suite, key_store=self._key_store
        )
        self._store.recover_sending()
        purged = self._store.purge_sent(self.retention_days)
        if purged:
            log.info("purged %d sent or withdrawn case(s) past retention", purged)
        self._refresh_counts()

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
            finally:
                if changes:
                    self._refresh_counts()

        return self._call(job)

    def _refresh_counts(self) -> None:
        assert self._store is not None
        try:
            counts = self._store.counts()
        except OperationalError:
            log.exception("could not count the outbox")
            return
        with self._counts_cond:
            changed = counts != self._counts
            self._counts = counts
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

    # --- the public API --------------------------------------------------------------------

    def enqueue(self, case: CaseSubmission) -> Future:
        """Queue a case; the future gives a QueuedCase once the transaction has committed.

        The outbox assigns the local id (whatever ``case.local_id`` holds is replaced) and a
        fresh idempotency key.
        """
        future = self._with_store(lambda store: store.add(case))
        future.add_done_callback(lambda f: self._kick() if f.exception() is None else None)
        return future

    def counts(self) -> dict[str, int]:
        """The last known rows per state (no I/O; updated after every write)."""
        with self._counts_cond:
            return dict(self._counts)

    def list(self, *, states: tuple[str, ...] | None = None) -> Future:
        """Future of the rows (OutboxEntry, no personal data), oldest first."""
        return self._with_store(lambda store: store.entries(states=states), changes=False)

    def withdraw(self, local_id: str, reason: str) -> Future:
        """Future[bool]: withdraw a pending or rejected case with a reason."""
        return self._with_store(lambda store: store.withdraw(local_id, reason))

    def wake(self) -> None:
        """Send now: clears any backoff pause of the sync loop."""
        if self.sync is not None:
            self.sync.wake()

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

    def _mark_rejected(self, local_id: str, error: str, reason: str) -> Future:
        def job(store: OutboxStore) -> None:
            store.mark_rejected(local_id, error)
            self._notify("on_case_rejected", local_id, reason)

        return self._with_store(job)

    def _mark_retry(self, local_id: str, error: str, at: float) -> Future:
        return self._with_store(lambda store: store.mark_retry(local_id, error, at))

    def _make_all_due(self) -> Future:
        return self._with_store(lambda store: store.make_all_due(), changes=False)

    def _next_due(self) -> Future:
        return self._with_store(lambda store: store.next_due(), changes=False)


@contextlib.contextmanager
def open_readonly(data_dir: Path) -> Iterator[OutboxStore]:
    """Open an existing outbox for reading counts and rows (no key, no write lock)."""
    store = OutboxStore(data_dir, readonly=True)
    try:
        yield store
    finally:
        store.close()
