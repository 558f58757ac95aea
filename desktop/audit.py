"""The audit trail: an append-only chain of records keyed with a per-desk secret (design 7).

Every sign-in, card read, PIN result, face decision, case, approval, export, unmasked view and
setting change at a desk is one record in the table ``audit_records`` of ``audit.db`` in the data
directory. A record holds its sequence number, time (UTC), the workstation, the actor (a staff
username, ``workstation`` or ``system``), an action code, the citizen's ``person_ref`` when there
is one (never an ID number, card number or name) and ``details``: codes, ids, counts and flags
only, checked against :class:`desktop.contract.AuditRecord` before anything is written.

Chain. ``mac`` = HMAC(secret, canonical JSON of every other field, ``prev_mac`` included), where
``prev_mac`` is the previous record's ``mac`` (:data:`GENESIS_MAC` for the first). The HMAC is
HMAC-SHA-256, or HMAC-SM3 when the hall's crypto suite is the national one; each record names its
algorithm, so a hall that changes suite keeps a verifiable chain. Editing a record breaks its MAC;
deleting or reordering records breaks the sequence or the links; only the holder of the secret can
forge records, and even then not before the last head central holds. The secret is 32 random
bytes kept like the outbox data key (:class:`AuditKeyStore`, the keyring or a user-only key file
outside the data directory); ``audit_meta`` keeps a check value of it, so a desk never continues a
chain under another key.

Append-only also at the database: triggers refuse UPDATE and DELETE on ``audit_records``. That
stops mistakes, not an attacker with the file; the chain is what catches those.

Central. :class:`AuditSender` sends the records central has not acknowledged, with the chain's
head, to ``POST /v1/audit`` as the workstation (idempotent: central keeps records by workstation
and sequence number). ``audit_meta`` remembers the last head central acknowledged, so
:func:`verify_chain` finds a tail cut after it even without asking central again.

Threads. :class:`AuditLog` owns one writer thread (``audit-writer``) that performs every write to
``audit.db``; :meth:`AuditLog.record` only validates and queues, so auditing never blocks the GUI
or a device thread. Several queued records are committed in one transaction. The sender runs on
``audit-sync`` with its own read connection and HTTP client. Both stop cleanly.

The store uses :mod:`sqlite3` directly (not SQLAlchemy like the outbox): the chain needs exact
control of ``BEGIN IMMEDIATE`` so that two processes (the desk and, say, ``outbox export``)
appending at once still make one chain.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import queue
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from pydantic import ValidationError

from desktop import migrations
from desktop.contract import (
    AUDIT_ALGORITHMS,
    AuditAck,
    AuditBatch,
    AuditHead,
    AuditRecord,
)
from desktop.crypto import KEYRING_SERVICE, DataKeyStore
from desktop.errors import OutboxError

log = logging.getLogger(__name__)

AUDIT_DB = "audit.db"
GENESIS_MAC = "0" * 64
SUITE_ALGORITHMS = {"international": "hmac-sha256", "national": "hmac-sm3"}
_KEY_CHECK_TEXT = b"hall-counter audit key check v1"

#: Every action code a record may carry, and what it records.
ACTIONS: dict[str, str] = {
    "sign_in": "a staff member signed in (details: mode online/offline)",
    "sign_in_failed": "a sign-in was refused (details: reason, mode, failures)",
    "sign_out": "the staff member signed out; the session was wiped",
    "session_locked": "the screen locked (details: reason idle/manual)",
    "session_unlocked": "the staff member unlocked the screen",
    "second_factor": "a staff second factor was checked (details: factor, outcome)",
    "card_read": "a card was read in the reader (details: generation, warnings)",
    "citizen_lookup": "the citizen was looked up at central (details: outcome, offline)",
    "pin_result": "the card PIN was verified (details: result, tries_left)",
    "face_decision": "the face check decided (details: decision, distance, threshold)",
    "case_queued": "a case was written to the outbox (details: local_id, service, approvals)",
    "case_resubmitted": "a corrected version of a rejected case was queued",
    "case_withdrawn": "a case was withdrawn (details: local_id, reason)",
    "cosign": "a supervisor co-signed at this desk (details: supervisor, mode, reason)",
    "cosign_refused": "a co-signature was refused (details: supervisor, reason)",
    "approval_decided": "a supervisor decided an approval in the inbox",
    "approval_refused": "an approval decision was refused (details: code)",
    "permission_denied": "an action was refused for the staff member's roles",
    "cases_exported": "unsent cases were exported to a file (details: count)",
    "unmasked_view": "personal data was shown unmasked (details: fields)",
    "settings_changed": "the desk's configuration changed since the last start (details: keys)",
    "alert": "something a supervisor should look at (details: kind, ...)",
}

# Strings that look like an ID number or a card number never go into details, whatever the key.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{15}|\d{17}[\dXx])(?![0-9A-Za-z])")
_CARD_NUMBER = re.compile(r"^(?=.*\d)(?=.*[A-Z])[0-9A-Z]{9}$")

# The tables and triggers: desktop/migrations/audit (alembic), applied when the store opens.


class AuditError(Exception):
    """The audit trail cannot be opened or written; ``code`` is stable."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code
        self.detail = detail or code


# --- the secret ---------------------------------------------------------------------------------


class AuditKeyStore(DataKeyStore):
    """The per-desk audit secret, kept exactly like the outbox data key but under its own name.

    Same rules as :class:`desktop.crypto.DataKeyStore` (keyring, else a 0600 key file outside
    the data directory, per data directory); only the key file's and keyring entry's names
    differ, so the outbox key and the audit secret never coincide.
    """

    @property
    def key_file(self) -> Path:
        """The key file this data directory's audit secret would use."""
        return self.key_dir / f"audit-{self._tag}.key"

    @property
    def keyring_username(self) -> str:
        """The keyring entry's user name for this data directory's audit secret."""
        return f"audit-key-{self._tag}"

    def load(self) -> bytes:
        """The secret, created on first use; AuditError when it cannot be read.

        When the data directory's ``audit.db`` already records a key check, the chain was
        written under a secret: none is created then (``audit_key_missing``, with the hint
        which key file a moved folder needs), since a new one could never open the chain.
        """
        create = not _records_key_check(self.data_dir / AUDIT_DB)
        try:
            return self.load_or_create(create=create)
        except OutboxError as exc:
            code = "audit_key_missing" if exc.code == "data_key_missing" else exc.code
            raise AuditError(code, exc.detail) from exc

    def load_existing(self) -> bytes | None:
        """The secret when one exists; None otherwise (nothing is created)."""
        if self.key_file.exists():
            return self.load()
        try:
            import keyring

            stored = keyring.get_password(KEYRING_SERVICE, self.keyring_username)
        except Exception:  # no usable keyring: the key file was the only place
            return None
        return self.load() if stored else None


def _records_key_check(db: Path) -> bool:
    """Whether ``db`` (an audit.db) holds the check value of the secret it was written under."""
    if not db.is_file():
        return False
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT 1 FROM audit_meta WHERE key = 'key_check'").fetchone()
    except sqlite3.Error:
        return False  # no meta table yet, or damaged: opening the store reports the rest
    return row is not None


def derive_key(secret: bytes, purpose: str) -> bytes:
    """A sub-key of the audit secret for another use (e.g. sealing offline sign-in verifiers)."""
    return hmac.new(secret, b"hall-counter " + purpose.encode("ascii"), hashlib.sha256).digest()


# --- records and MACs ---------------------------------------------------------------------------


def canonical_bytes(body: dict[str, Any]) -> bytes:
    """Sorted keys, compact separators, UTF-8: what a record's MAC covers."""
    return json.dumps(
        body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def compute_mac(key: bytes, alg: str, data: bytes) -> str:
    """HMAC-SHA-256 or HMAC-SM3 of ``data``, as lower-case hex."""
    if alg == "hmac-sha256":
        return hmac.new(key, data, hashlib.sha256).hexdigest()
    if alg == "hmac-sm3":
        mac = crypto_hmac.HMAC(key, hashes.SM3())
        mac.update(data)
        return mac.finalize().hex()
    raise AuditError("unknown_algorithm", f"unknown audit MAC algorithm {alg!r}")


def format_time(moment: datetime) -> str:
    """A record's time: UTC, microseconds, ``Z`` (the exact text the MAC covers)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class AuditEntry:
    """One stored record of the chain."""

    seq: int
    at: str
    workstation_id: str
    actor: str
    action: str
    person_ref: str | None
    details: dict[str, Any]
    alg: str
    prev_mac: str
    mac: str

    def body(self) -> dict[str, Any]:
        """Every field but the MAC: what the MAC covers."""
        return {
            "seq": self.seq,
            "at": self.at,
            "workstation_id": self.workstation_id,
            "actor": self.actor,
            "action": self.action,
            "person_ref": self.person_ref,
            "details": self.details,
            "alg": self.alg,
            "prev_mac": self.prev_mac,
        }

    def expected_mac(self, key: bytes) -> str:
        """The MAC this record should carry under ``key``."""
        return compute_mac(key, self.alg, canonical_bytes(self.body()))

    def to_record(self) -> AuditRecord:
        """The contract model sent to central."""
        return AuditRecord(**self.body(), mac=self.mac)

    def to_json(self) -> dict[str, Any]:
        """The record as JSON (no personal data by construction)."""
        return {**self.body(), "mac": self.mac}


def check_details(details: dict[str, Any]) -> dict[str, Any]:
    """Refuse details that could carry personal data; returns a plain copy.

    The contract's :class:`AuditRecord` rules (short ASCII tokens, numbers, flags, short lists)
    plus: nothing shaped like an ID number or a card number. Raises ValueError.
    """
    plain = json.loads(json.dumps(details, allow_nan=False))
    for key, value in plain.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and (_ID_NUMBER.search(item) or _CARD_NUMBER.match(item)):
                raise ValueError(f"audit detail {key!r} looks like an ID or card number")
    return plain


def _validated(
    *,
    seq: int,
    at: str,
    workstation_id: str,
    actor: str,
    action: str,
    person_ref: str | None,
    details: dict[str, Any],
    alg: str,
) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    try:
        AuditRecord(
            seq=seq,
            at=at,
            workstation_id=workstation_id,
            actor=actor,
            action=action,
            person_ref=person_ref,
            details=details,
            alg=alg,
            prev_mac=GENESIS_MAC,
            mac=GENESIS_MAC,
        )
    except ValidationError as exc:
        places = dict.fromkeys(".".join(str(p) for p in e["loc"][:2]) for e in exc.errors())
        problems = ", ".join(places)
        raise ValueError(f"audit record refused ({problems})") from None


# --- the store ----------------------------------------------------------------------------------


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, timeout=15)
    else:
        conn = sqlite3.connect(path, isolation_level=None, timeout=15)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=15000")
    return conn


def _entry(row: tuple) -> AuditEntry:
    seq, at, ws, actor, action, ref, details, alg, prev_mac, mac = row
    try:
        parsed = json.loads(details)
    except (TypeError, ValueError):
        parsed = {"unreadable": True}
    return AuditEntry(seq, at, ws, actor, action, ref, parsed, alg, prev_mac, mac)


_COLUMNS = "seq, at, workstation_id, actor, action, person_ref, details, alg, prev_mac, mac"


class AuditStore:
    """``audit.db``: the chain and its bookkeeping. Not thread-safe: one store per thread.

    Opened read-write it creates the file (0600), the tables and the triggers, and checks the
    secret against the stored check value. Opened ``readonly`` it changes nothing.
    """

    def __init__(self, data_dir: Path, key: bytes | None, *, readonly: bool = False):
        self.path = Path(data_dir) / AUDIT_DB
        self.key = key
        self.readonly = readonly
        if readonly:
            if not self.path.exists():
                raise AuditError("no_audit_chain", f"there is no audit chain in {data_dir}")
            self._conn = _connect(self.path, readonly=True)
            return
        if key is None:
            raise AuditError("audit_key_missing", "the audit secret is needed to write")
        Path(data_dir).mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
            os.close(fd)
        try:
            migrations.upgrade(self.path, "audit")
        except migrations.MigrationError as exc:
            raise AuditError(exc.code, exc.detail) from exc
        self._conn = _connect(self.path, readonly=False)
        self._check_key()

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def key_check(self) -> str | None:
        """The stored check value of the secret (None for a chain that never had one)."""
        return self.meta("key_check")

    def _check_key(self) -> None:
        assert self.key is not None
        expected = compute_mac(self.key, "hmac-sha256", _KEY_CHECK_TEXT)
        stored = self.key_check()
        if stored is None:
            self.set_meta("key_check", expected)
        elif not hmac.compare_digest(stored, expected):
            raise AuditError(
                "audit_key_mismatch",
                "the audit secret does not match this chain (restore the desk's audit key)",
            )

    # --- bookkeeping -------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        """A bookkeeping value, or None."""
        try:
            row = self._conn.execute("SELECT value FROM audit_meta WHERE key = ?", (key,))
            found = row.fetchone()
        except sqlite3.OperationalError:  # a read-only open of a chain without the table
            return None
        return None if found is None else found[0]

    def set_meta(self, key: str, value: str) -> None:
        """Set a bookkeeping value (its own transaction)."""
        self._conn.execute(
            "INSERT INTO audit_meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def central_head(self) -> AuditHead | None:
        """The last head central acknowledged, as remembered here."""
        seq, mac = self.meta("central_head_seq"), self.meta("central_head_mac")
        if seq is None or mac is None:
            return None
        return AuditHead(seq=int(seq), mac=mac)

    def sent_seq(self) -> int:
        """The last record central acknowledged (0: none)."""
        return int(self.meta("sent_seq") or 0)

    def mark_sent(self, head: AuditHead) -> None:
        """Remember central's acknowledged head (one transaction)."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            self.set_meta("sent_seq", str(head.seq))
            self.set_meta("central_head_seq", str(head.seq))
            self.set_meta("central_head_mac", head.mac)
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise

    def resend_from(self, seq: int) -> None:
        """Send again from record ``seq`` on (central is missing it)."""
        self.set_meta("sent_seq", str(max(0, seq - 1)))

    # --- the chain ---------------------------------------------------------------------------

    def head(self) -> AuditHead:
        """The last record's seq and MAC (seq 0 and the genesis MAC for an empty chain)."""
        row = self._conn.execute(
            "SELECT seq, mac FROM audit_records ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return AuditHead(seq=0, mac=GENESIS_MAC)
        return AuditHead(seq=row[0], mac=row[1])

    def append_many(self, items: list[dict[str, Any]]) -> list[AuditEntry]:
        """Append records in one transaction; each item has every field but seq and the MACs.

        ``BEGIN IMMEDIATE`` takes the write lock before the head is read, so two processes
        appending at once still make one chain.
        """
        assert self.key is not None and not self.readonly
        entries: list[AuditEntry] = []
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            head = self.head()
            seq, prev = head.seq, head.mac
            for item in items:
                seq += 1
                body = {**item, "seq": seq, "prev_mac": prev}
                mac = compute_mac(self.key, body["alg"], canonical_bytes(body))
                self._conn.execute(
                    f"INSERT INTO audit_records ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        seq,
                        body["at"],
                        body["workstation_id"],
                        body["actor"],
                        body["action"],
                        body["person_ref"],
                        json.dumps(
                            body["details"],
                            sort_keys=True,
                            ensure_ascii=False,
                            separators=(",", ":"),
                        ),
                        body["alg"],
                        prev,
                        mac,
                    ),
                )
                entries.append(
                    AuditEntry(
                        seq,
                        body["at"],
                        body["workstation_id"],
                        body["actor"],
                        body["action"],
                        body["person_ref"],
                        body["details"],
                        body["alg"],
                        prev,
                        mac,
                    )
                )
                prev = mac
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        return entries

    def entries(self, *, after: int = 0, limit: int | None = None) -> list[AuditEntry]:
        """Records with seq > ``after``, in seq order."""
        sql = f"SELECT {_COLUMNS} FROM audit_records WHERE seq > ? ORDER BY seq"
        params: tuple = (after,)
        if limit is not None:
            sql += " LIMIT ?"
            params = (after, limit)
        return [_entry(row) for row in self._conn.execute(sql, params)]

    def iter_entries(self, chunk: int = 2000) -> Iterator[AuditEntry]:
        """Every record in seq order, read in chunks."""
        after = 0
        while True:
            batch = self.entries(after=after, limit=chunk)
            if not batch:
                return
            yield from batch
            after = batch[-1].seq

    def count(self) -> int:
        """How many records the table holds."""
        return int(self._conn.execute("SELECT count(*) FROM audit_records").fetchone()[0])


# --- verification -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    """What :func:`verify_chain` found.

    ``problem`` codes: ``missing`` (a record was deleted: ``first_bad`` is the missing seq),
    ``broken_link`` (a record does not follow the one before it: reordered, or one removed and
    the rest renumbered), ``bad_mac`` (the record was changed), ``unknown_algorithm``,
    ``truncated`` (the chain ends before central's last head: ``first_bad`` is the first seq
    missing from the end), ``head_mismatch`` (the record at central's head is not the one
    central saw), ``wrong_key`` (the secret does not match the chain).
    """

    ok: bool
    records: int
    head_seq: int
    head_mac: str
    first_bad: int | None = None
    problem: str | None = None
    detail: str = ""
    central_head_seq: int | None = None
    central_head_source: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON object for ``audit verify --json`` (no personal data)."""
        return {
            "ok": self.ok,
            "records": self.records,
            "head_seq": self.head_seq,
            "head_mac": self.head_mac,
            "first_bad": self.first_bad,
            "problem": self.problem,
            "detail": self.detail,
            "central_head_seq": self.central_head_seq,
            "central_head_source": self.central_head_source,
        }


_PROBLEM_TEXT = {
    "missing": "record {seq} is missing (deleted)",
    "broken_link": "record {seq} does not follow the record before it (reordered or replaced)",
    "bad_mac": "record {seq} was changed (its MAC does not match)",
    "unknown_algorithm": "record {seq} names an unknown MAC algorithm",
    "truncated": "the chain ends at record {head} but central holds records up to {central}: "
    "records from {seq} on are missing",
    "head_mismatch": "record {seq} is not the record central holds as its head",
}


def verify_chain(
    entries: Iterable[AuditEntry],
    key: bytes,
    *,
    central_head: AuditHead | None = None,
    central_source: str | None = None,
) -> VerifyResult:
    """Check the chain from the first record; report the first bad one.

    With ``central_head`` (the last head central acknowledged), also check that the chain
    reaches it and that the record there is the one central saw.
    """
    expected_seq = 1
    prev = GENESIS_MAC
    count = 0
    at_central: str | None = None
    head_seq, head_mac = 0, GENESIS_MAC

    def failed(problem: str, seq: int, **extra: Any) -> VerifyResult:
        text = _PROBLEM_TEXT[problem].format(seq=seq, head=head_seq, **extra)
        return VerifyResult(
            ok=False,
            records=count,
            head_seq=head_seq,
            head_mac=head_mac,
            first_bad=seq,
            problem=problem,
            detail=text,
            central_head_seq=central_head.seq if central_head else None,
            central_head_source=central_source,
        )

    for entry in entries:
        count += 1
        if entry.seq != expected_seq:
            return failed("missing", expected_seq)
        if entry.alg not in AUDIT_ALGORITHMS:
            return failed("unknown_algorithm", entry.seq)
        if not hmac.compare_digest(entry.prev_mac, prev):
            return failed("broken_link", entry.seq)
        if not hmac.compare_digest(entry.expected_mac(key), entry.mac):
            return failed("bad_mac", entry.seq)
        if central_head is not None and entry.seq == central_head.seq:
            at_central = entry.mac
        prev = entry.mac
        head_seq, head_mac = entry.seq, entry.mac
        expected_seq += 1

    if central_head is not None and central_head.seq > 0:
        if head_seq < central_head.seq:
            return failed("truncated", head_seq + 1, central=central_head.seq)
        if at_central is None or not hmac.compare_digest(at_central, central_head.mac):
            return failed("head_mismatch", central_head.seq)
    return VerifyResult(
        ok=True,
        records=count,
        head_seq=head_seq,
        head_mac=head_mac,
        detail=f"{count} records verified",
        central_head_seq=central_head.seq if central_head else None,
        central_head_source=central_source,
    )


def verify_store(
    store: AuditStore,
    key: bytes,
    *,
    central_head: AuditHead | None = None,
    central_source: str | None = None,
) -> VerifyResult:
    """Verify a store's chain; without ``central_head``, against the head it remembers."""
    expected = compute_mac(key, "hmac-sha256", _KEY_CHECK_TEXT)
    stored = store.key_check()
    if stored is not None and not hmac.compare_digest(stored, expected):
        head = store.head()
        return VerifyResult(
            ok=False,
            records=store.count(),
            head_seq=head.seq,
            head_mac=head.mac,
            problem="wrong_key",
            detail="the audit secret does not match this chain",
        )
    if central_head is None:
        central_head = store.central_head()
        central_source = "desk" if central_head is not None else None
    return verify_chain(
        store.iter_entries(), key, central_head=central_head, central_source=central_source
    )


# --- the service --------------------------------------------------------------------------------

_STOP = object()


@dataclass
class _Pending:
    item: dict[str, Any]
    future: Future = field(default_factory=Future)


class AuditListener:
    """What the audit log reports (called on ``audit-writer``); every method is optional."""

    def on_audit_chain_broken(self, result: VerifyResult) -> None:
        """The chain failed to verify when the log opened."""


class AuditLog:
    """The desk's audit trail: queues records and writes them on ``audit-writer``.

    ``sender_factory(log)`` builds the :class:`AuditSender` that sends the chain to central
    (None: records stay local, e.g. in tests or CLI tools).
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        workstation_id: str,
        crypto_suite: str = "international",
        key_store: AuditKeyStore | None = None,
        sender_factory: Callable[[AuditLog], AuditSender] | None = None,
        verify_on_start: bool = True,
    ):
        if crypto_suite not in SUITE_ALGORITHMS:
            raise ValueError(f"unknown crypto suite {crypto_suite!r}")
        self.data_dir = Path(data_dir)
        self.workstation_id = workstation_id
        self.alg = SUITE_ALGORITHMS[crypto_suite]
        self.key_store = key_store or AuditKeyStore(self.data_dir)
        self._sender_factory = sender_factory
        self._verify_on_start = verify_on_start
        self._jobs: queue.Queue = queue.Queue()
        self._writer: threading.Thread | None = None
        self._store: AuditStore | None = None
        self._key: bytes | None = None
        self._listeners: list[Any] = []
        self._cond = threading.Condition()
        self._head = AuditHead(seq=0, mac=GENESIS_MAC)
        self._sent_seq = 0
        self.sender: AuditSender | None = None
        self.start_check: VerifyResult | None = None

    # --- lifecycle -------------------------------------------------------------------------

    def add_listener(self, listener: Any) -> None:
        """Register a listener (see :class:`AuditListener`)."""
        self._listeners.append(listener)

    @property
    def running(self) -> bool:
        """Whether the writer thread runs."""
        return self._writer is not None and self._writer.is_alive()

    def start(self) -> None:
        """Open the chain on the writer thread (checking it), then start the sender.

        Raises AuditError when the chain cannot be opened (e.g. ``audit_key_mismatch``).
        """
        if self.running:
            return
        self._writer = threading.Thread(target=self._run_writer, name="audit-writer")
        self._writer.start()
        try:
            self._submit(("call", self._open)).result()
        except BaseException:
            self._jobs.put(_STOP)
            self._writer.join()
            self._writer = None
            raise
        if self._sender_factory is not None:
            self.sender = self._sender_factory(self)
            self.sender.start()

    def stop(self) -> None:
        """Stop the sender, write what is queued, stop the writer; joins both threads."""
        if self.sender is not None:
            self.sender.stop()
            self.sender = None
        if self._writer is not None:
            self._jobs.put(_STOP)
            self._writer.join()
            self._writer = None

    def _open(self) -> None:
        self._key = self.key_store.load()
        try:
            self._store = AuditStore(self.data_dir, self._key)
            with self._cond:
                self._head = self._store.head()
                self._sent_seq = self._store.sent_seq()
            result = verify_store(self._store, self._key) if self._verify_on_start else None
        except sqlite3.DatabaseError as exc:
            if self._store is not None:
                self._store.close()
                self._store = None
            reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            raise AuditError(
                "audit_damaged",
                f"the audit chain in {self.data_dir} cannot be read ({reason}); restore "
                "audit.db from a backup",
            ) from exc
        if result is not None:
            self.start_check = result
            if not result.ok:
                log.error("the audit chain does not verify: %s", result.detail)
                self._notify("on_audit_chain_broken", result)
        log.info("audit chain open at record %s", self._head.seq)

    # --- the writer thread -----------------------------------------------------------------

    def _submit(self, job: tuple) -> Future:
        future: Future = Future()
        if self._writer is None or not self._writer.is_alive():
            future.set_exception(AuditError("audit_stopped", "the audit log is not running"))
            return future
        self._jobs.put((*job, future))
        return future

    def _run_writer(self) -> None:
        stopping = False
        while not stopping:
            job = self._jobs.get()
            if job is _STOP:
                break
            batch = [job]
            # Group commit: records queued meanwhile go into the same transaction.
            while len(batch) < 500:
                try:
                    following = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if following is _STOP:
                    stopping = True
                    break
                batch.append(following)
            self._process(batch)
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not _STOP:
                job[-1].set_exception(AuditError("audit_stopped", "the audit log has stopped"))
        if self._store is not None:
            self._store.close()
            self._store = None

    def _process(self, batch: list[tuple]) -> None:
        records: list[tuple] = []
        for job in batch:
            if job[0] == "record":
                records.append(job)
                continue
            self._write_records(records)
            records = []
            _, fn, future = job
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn())
                except BaseException as exc:
                    future.set_exception(exc)
        self._write_records(records)

    def _write_records(self, jobs: list[tuple]) -> None:
        if not jobs:
            return
        if self._store is None:
            for job in jobs:
                job[-1].set_exception(AuditError("audit_stopped", "the audit chain is not open"))
            return
        try:
            entries = self._store.append_many([job[1] for job in jobs])
        except Exception as exc:
            log.exception("audit records could not be written")
            error = AuditError("audit_write_failed", type(exc).__name__)
            for job in jobs:
                job[-1].set_exception(error)
            return
        with self._cond:
            self._head = AuditHead(seq=entries[-1].seq, mac=entries[-1].mac)
            self._cond.notify_all()
        for job, entry in zip(jobs, entries, strict=True):
            job[-1].set_result(entry.seq)
        if self.sender is not None:
            self.sender.wake()

    def call(self, fn: Callable[[AuditStore], Any]) -> Future:
        """Run ``fn(store)`` on the writer thread; Future of its result."""

        def job() -> Any:
            if self._store is None:
                raise AuditError("audit_stopped", "the audit chain is not open")
            return fn(self._store)

        return self._submit(("call", job))

    def _notify(self, method: str, *args: Any) -> None:
        for listener in list(self._listeners):
            handler = getattr(listener, method, None)
            if handler is None:
                continue
            try:
                handler(*args)
            except Exception:
                log.exception("audit listener %s.%s failed", type(listener).__name__, method)

    # --- recording -------------------------------------------------------------------------

    def record(
        self,
        action: str,
        *,
        actor: str,
        person_ref: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> Future:
        """Queue a record; Future[int] of its seq, resolved once committed.

        Validates at once on the caller's thread (ValueError for an unknown action or details
        that could hold personal data) and returns without waiting for the disk.
        """
        plain = check_details(details or {})
        item = {
            "at": format_time(datetime.now(UTC)),
            "workstation_id": self.workstation_id,
            "actor": actor,
            "action": action,
            "person_ref": person_ref,
            "details": plain,
            "alg": self.alg,
        }
        _validated(seq=1, **item)
        return self._submit(("record", item))

    def flush(self, timeout: float | None = None) -> None:
        """Wait until everything queued before this call is written."""
        self.call(lambda store: None).result(timeout)

    @property
    def head(self) -> AuditHead:
        """The chain's head as last written (no I/O)."""
        with self._cond:
            return self._head

    @property
    def sent_seq(self) -> int:
        """The last record central acknowledged (no I/O)."""
        with self._cond:
            return self._sent_seq

    def _set_sent(self, seq: int) -> None:
        with self._cond:
            self._sent_seq = seq
            self._cond.notify_all()

    def wait_sent(self, timeout: float) -> bool:
        """Wait until central acknowledged every record queued so far."""
        deadline = time.monotonic() + timeout
        self.flush(timeout)
        if self.sender is not None:
            self.sender.wake()
        with self._cond:
            while self._sent_seq < self._head.seq:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, 0.5))
            return True

    def verify(self, central_head: AuditHead | None = None) -> Future:
        """Verify the chain on the writer thread; Future[VerifyResult]."""

        def job(store: AuditStore) -> VerifyResult:
            assert self._key is not None
            source = "central" if central_head is not None else None
            return verify_store(store, self._key, central_head=central_head, central_source=source)

        return self.call(job)

    def subkey(self, purpose: str) -> bytes:
        """A sub-key of the audit secret (after :meth:`start`)."""
        if self._key is None:
            raise AuditError("audit_stopped", "the audit chain is not open")
        return derive_key(self._key, purpose)

    # --- bookkeeping for the sender (writer thread) ------------------------------------------

    def acknowledge(self, head: AuditHead) -> Future:
        """Central holds the chain up to ``head``."""

        def job(store: AuditStore) -> None:
            store.mark_sent(head)
            self._set_sent(head.seq)

        return self.call(job)

    def resend_from(self, seq: int) -> Future:
        """Central is missing records from ``seq`` on: send them again."""

        def job(store: AuditStore) -> None:
            store.resend_from(seq)
            self._set_sent(max(0, seq - 1))

        return self.call(job)


# --- sending to central ---------------------------------------------------------------------------

# Records per POST /v1/audit.
BATCH_SIZE = 500
# Wait this long after a new record before sending, so records go out in batches.
SEND_DELAY = 1.0


class AuditSender:
    """Sends the chain to central as the workstation; owns the thread ``audit-sync``.

    ``client`` is a :class:`desktop.central.CentralClient` the sender owns and closes on stop.
    Sending is idempotent: a batch central already holds is acknowledged again. When central is
    missing records (409 ``audit_gap``) the sender goes back to the first one it lacks; when
    central holds different records under the same numbers (409 ``audit_conflict``: the chain
    here was rewritten, or a second data folder acts as the same workstation) it stops sending
    and logs an error: central has raised an alert.
    """

    def __init__(
        self,
        audit: AuditLog,
        client: Any,
        workstation_id: str,
        workstation_secret: str,
        *,
        interval: float = 30.0,
        delay: float = SEND_DELAY,
        batch_size: int = BATCH_SIZE,
    ):
        from desktop.sync import WorkstationAuth

        self._audit = audit
        self._client = client
        self.workstation_id = workstation_id
        self._auth = WorkstationAuth(client, workstation_id, workstation_secret)
        self.interval = interval
        self.delay = delay
        self.batch_size = batch_size
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._reader: AuditStore | None = None
        self.conflict: str | None = None
        self._failures = 0

    def start(self) -> None:
        """Start the thread; records left from an earlier run go out at once."""
        self._stop.clear()
        self._wake.set()
        self._thread = threading.Thread(target=self._run, name="audit-sync")
        self._thread.start()

    def stop(self) -> None:
        """Stop and join (a request in flight ends within the client's timeout)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._client.close()

    def wake(self) -> None:
        """New records: send soon."""
        self._wake.set()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self._wake.wait(self.interval)
                if self._stop.is_set():
                    break
                if self._wake.is_set() and self.delay > 0:
                    self._stop.wait(self.delay)
                self._wake.clear()
                if self.conflict is not None:
                    continue
                try:
                    while self.send_pending() and not self._stop.is_set():
                        pass
                    self._failures = 0
                except Exception as exc:
                    self._failures += 1
                    code = getattr(exc, "code", type(exc).__name__)
                    if self._failures == 1:
                        log.warning("audit records not sent to central (%s); will retry", code)
                    else:
                        log.debug("audit records still not sent (%s)", code)
                    self._stop.wait(min(60.0, 0.5 * 2 ** min(self._failures, 7)))
        finally:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    def send_pending(self) -> int:
        """Send one batch of unacknowledged records (on ``audit-sync``); how many were sent."""
        from desktop.central import CentralAuthError, CentralRejectedError

        if self._reader is None:
            self._reader = AuditStore(self._audit.data_dir, None, readonly=True)
        after = self._audit.sent_seq
        entries = self._reader.entries(after=after, limit=self.batch_size)
        if not entries:
            return 0
        batch = AuditBatch(
            workstation_id=self.workstation_id,
            records=[e.to_record() for e in entries],
            head=AuditHead(seq=entries[-1].seq, mac=entries[-1].mac),
        )
        try:
            try:
                ack = self._post(batch)
            except CentralAuthError:
                self._auth.invalidate()
                ack = self._post(batch)
        except CentralRejectedError as exc:
            if exc.code == "audit_gap":
                expected = int(exc.fields.get("expected_seq", "1") or 1)
                log.warning("central lacks audit records from %s on; sending them again", expected)
                self._audit.resend_from(expected).result()
                return 1
            self.conflict = exc.code
            log.error(
                "central refused the audit chain (%s): it differs from what central holds for "
                "this workstation (changed here, or another data folder uses the same "
                "workstation id)",
                exc.code,
            )
            raise
        self._audit.acknowledge(ack.head).result()
        log.debug("audit records %s..%s at central", entries[0].seq, entries[-1].seq)
        return len(entries)

    def _post(self, batch: AuditBatch) -> AuditAck:
        token = self._auth.token()
        client = self._client
        # CentralClient's JSON call, so statuses map to the usual errors.
        return client.call_json("POST", "/v1/audit", token=token, model=AuditAck, body=batch)


def fetch_central_head(client: Any, token: str, workstation_id: str) -> AuditHead:
    """Central's head of a workstation's chain (``GET /v1/audit/{id}/head``)."""
    return client.call_json("GET", f"/v1/audit/{workstation_id}/head", token=token, model=AuditHead)


def open_audit_log(settings: Any, data_dir: Path, *, send: bool = True) -> AuditLog:
    """The desk's audit log for ``settings``, sending to its central as the workstation."""

    def make_sender(audit: AuditLog) -> AuditSender:
        from desktop.central import CentralClient

        client = CentralClient.from_settings(settings)
        return AuditSender(audit, client, settings.workstation_id, settings.workstation_secret)

    return AuditLog(
        data_dir,
        workstation_id=settings.workstation_id,
        crypto_suite=settings.crypto_suite,
        sender_factory=make_sender if send else None,
    )


def append_record(
    data_dir: Path,
    action: str,
    *,
    workstation_id: str,
    actor: str,
    crypto_suite: str = "international",
    person_ref: str | None = None,
    details: dict[str, Any] | None = None,
) -> int:
    """Append one record to a desk's chain from a tool outside the desk (a CLI command such as
    ``outbox export`` or ``card read --unmasked``); returns its seq.

    Safe while the desk runs: appends take SQLite's write lock, so both make one chain. The
    record reaches central with the desk's next batch.
    """
    log = AuditLog(
        data_dir,
        workstation_id=workstation_id,
        crypto_suite=crypto_suite,
        verify_on_start=False,
    )
    log.start()
    try:
        return log.record(action, actor=actor, person_ref=person_ref, details=details).result(30)
    finally:
        log.stop()


def settings_fingerprint(settings: Any, key: bytes) -> dict[str, str]:
    """Each setting's name with a keyed digest of its value (a secret is never in clear, and
    the digest cannot be tried against guesses without the desk's audit secret)."""
    values = getattr(settings, "__dict__", {})
    return {
        name: hmac.new(key, repr(value).encode("utf-8"), hashlib.sha256).hexdigest()[:16]
        for name, value in sorted(values.items())
    }


def changed_settings(store: AuditStore, fingerprint: dict[str, str]) -> list[str] | None:
    """The settings whose value differs from the last start's (None on the very first start);
    remembers the new fingerprint. Runs on the writer thread."""
    previous = store.meta("settings_fingerprint")
    store.set_meta("settings_fingerprint", json.dumps(fingerprint, sort_keys=True))
    if previous is None:
        return None
    try:
        before = json.loads(previous)
    except ValueError:
        before = {}
    names = set(before) | set(fingerprint)
    return sorted(n for n in names if before.get(n) != fingerprint.get(n))
