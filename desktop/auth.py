"""Staff sign-in, roles and permissions at the desk (design 7).

Roles. Central gives each staff member roles (``clerk``, ``supervisor``, ``admin``); what a role
may do at the desk is :data:`PERMISSIONS`, and :func:`require` is what every
:class:`desktop.desk.Desk` action calls before it does anything: hiding a button is a
convenience for the user, this is the rule. A supervisor who is also a clerk serves citizens
too; an admin alone does not serve citizens.

Sign-in (:class:`StaffAuthenticator`, on the desk's own thread):

- online at central (``POST /v1/auth/login``); on success the desk derives a scrypt verifier
  of the password (N=2^14, r=8, p=1, random salt) and keeps it with the staff member's name,
  roles and hall in ``staff.db`` in the data directory, sealed with an HMAC under a sub-key of
  the desk's audit secret, valid for ``SecurityPolicy.offline_days``;
- when central cannot be reached, against that verifier: refused when there is none or it was
  tampered with (``central_unavailable``, ``fields.offline`` = ``no_verifier``) and when it
  expired (``offline_expired``);
- lockout: ``max_failures`` wrong passwords in a row for a user name (online and offline
  alike, counted here and kept in ``staff.db`` so a restart does not reset them) lock it at
  this desk for ``lockout_minutes`` (``account_locked``), whatever central says; central locks
  the account on its side as well. User names are kept in the failure table only as keyed
  hashes, since a mistyped user name is sometimes a password.

The password is never stored, logged or kept after the call.

:class:`SecurityPolicy` is the hall's ``[security]`` configuration: offline validity, lockout,
idle lock, second factor, opening hours, co-sign reason templates and alert thresholds.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from desktop import migrations
from desktop.contract import OpeningHours
from desktop.errors import DeskError

log = logging.getLogger(__name__)

ROLES = ("clerk", "supervisor", "admin")

#: What each permission needs: any one of these roles.
PERMISSIONS: dict[str, frozenset[str]] = {
    "serve_citizen": frozenset({"clerk"}),  # read cards, look citizens up, PIN, face
    "submit_case": frozenset({"clerk"}),
    "correct_case": frozenset({"clerk"}),
    "withdraw_case": frozenset({"clerk", "supervisor"}),
    "cosign": frozenset({"supervisor"}),  # the co-signer's role, checked on the co-signer
    "decide_approval": frozenset({"supervisor", "admin"}),  # the stage names its own role
    "view_approvals": frozenset({"supervisor", "admin"}),
    "view_alerts": frozenset({"supervisor", "admin"}),
    "export_cases": frozenset({"supervisor", "admin"}),
    "view_unmasked": frozenset({"supervisor", "admin"}),
    "change_settings": frozenset({"admin"}),
    "verify_audit": frozenset({"supervisor", "admin"}),
}

STAFF_DB = "staff.db"
SECOND_FACTORS = ("none", "face", "card_pin")

# scrypt cost of the offline verifier: RFC 7914's interactive setting (16 MiB, ~50 ms).
_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1


def _note_audit_seq(alert: dict[str, Any], written: Future) -> None:
    """Audit writer thread: the alert's record is committed; note its number in the alert."""
    if not written.cancelled() and written.exception() is None:
        alert["audit_seq"] = written.result()


def permits(roles: Iterable[str], permission: str) -> bool:
    """Whether any of ``roles`` carries ``permission`` (unknown permissions: never)."""
    allowed = PERMISSIONS.get(permission)
    return bool(allowed and allowed & set(roles))


def require(staff: Any, permission: str) -> None:
    """Raise DeskError unless ``staff`` (a StaffSession or None) holds ``permission``.

    ``not_signed_in`` without a staff member; ``forbidden`` (``fields``: the permission and the
    roles that have it) otherwise.
    """
    if staff is None:
        raise DeskError("not_signed_in", "no staff member is signed in")
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    if not permits(staff.roles, permission):
        needed = ",".join(sorted(PERMISSIONS[permission]))
        raise DeskError(
            "forbidden",
            f"{permission} needs the role {needed}",
            fields={"permission": permission, "roles": needed},
        )


# --- the hall's security policy -------------------------------------------------------------------


class PolicyError(ValueError):
    """A ``[security]`` setting is invalid; ``key`` names it (``security.offline_days``)."""

    def __init__(self, key: str, problem: str):
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


@dataclass(frozen=True)
class CosignReason:
    """A co-sign reason template of the hall, in its two languages."""

    code: str
    zh_CN: str
    en: str

    def text(self, language: str) -> str:
        """The reason in ``language`` (zh_CN or en)."""
        return self.en if language == "en" else self.zh_CN


DEFAULT_COSIGN_REASONS = (
    CosignReason(
        "resident_id_checked",
        "已核验居民身份证原件",
        "Resident ID card checked in person",
    ),
    CosignReason(
        "photo_outdated",
        "参考照片与本人差异较大，已人工核验",
        "Reference photo outdated; identity checked in person",
    ),
    CosignReason(
        "central_offline",
        "中心系统不可用，已人工核验身份",
        "Central unavailable; identity checked in person",
    ),
    CosignReason(
        "amount_checked",
        "金额已与材料核对无误",
        "Amount checked against the documents",
    ),
    CosignReason(
        "pin_reset_requested",
        "本人申请重置密码，已核验身份",
        "PIN reset asked for in person; identity checked",
    ),
)


@dataclass(frozen=True)
class SecurityPolicy:
    """The hall's security settings (``[security]`` in the desk's configuration).

    ::

        [security]
        offline_days = 7            # an offline verifier is valid this long after the last
                                    # online sign-in at this desk (0: no offline sign-in)
        max_failures = 5            # wrong passwords in a row before the user is locked here
        lockout_minutes = 15
        idle_lock_minutes = 5       # lock the screen after this long without use (0: never)
        second_factor = "none"      # none, face (the staff member's own face) or card_pin
        failed_sign_in_alert = 3    # failures in a row that raise an alert
        lookup_alert_min = 20       # lookups in a session before the lookup rule applies
        lookup_alert_ratio = 3.0    # ... and more than this many per case made (plus one)

        [security.opening_hours]    # approvals outside these hours raise an alert
        utc_offset_minutes = 480
        days = [1, 2, 3, 4, 5]
        sessions = ["08:30-17:30"]

        [[security.cosign_reason]]  # the hall's reason templates (replace the defaults)
        code = "resident_id_checked"
        zh_CN = "已核验居民身份证原件"
        en = "Resident ID card checked in person"
    """

    offline_days: float = 7.0
    max_failures: int = 5
    lockout_minutes: float = 15.0
    idle_lock_minutes: float = 5.0
    second_factor: str = "none"
    failed_sign_in_alert: int = 3
    lookup_alert_min: int = 20
    lookup_alert_ratio: float = 3.0
    opening_hours: OpeningHours = field(default_factory=OpeningHours)
    cosign_reasons: tuple[CosignReason, ...] = DEFAULT_COSIGN_REASONS

    def cosign_reason(self, code: str) -> CosignReason | None:
        """The template with ``code``, or None."""
        return next((r for r in self.cosign_reasons if r.code == code), None)

    @classmethod
    def from_table(cls, table: dict[str, Any]) -> SecurityPolicy:
        """Validate a parsed ``[security]`` table; raises PolicyError naming the key."""
        if not isinstance(table, dict):
            raise PolicyError("security", "must be a table ([security])")
        numbers: dict[str, tuple[type, float, float]] = {
            "offline_days": (float, 0, 90),
            "max_failures": (int, 1, 100),
            "lockout_minutes": (float, 0, 24 * 60),
            "idle_lock_minutes": (float, 0, 24 * 60),
            "failed_sign_in_alert": (int, 1, 100),
            "lookup_alert_min": (int, 1, 100_000),
            "lookup_alert_ratio": (float, 1, 1000),
        }
        known = {*numbers, "second_factor", "opening_hours", "cosign_reason"}
        values: dict[str, Any] = {}
        for key, value in table.items():
            name = f"security.{key}"
            if key not in known:
                raise PolicyError(name, "unknown key")
            if key in numbers:
                kind, low, high = numbers[key]
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise PolicyError(name, "must be a number")
                if kind is int and not isinstance(value, int):
                    raise PolicyError(name, "must be an integer")
                if not low <= value <= high:
                    raise PolicyError(name, f"must be between {low:g} and {high:g}")
                values[key] = kind(value)
            elif key == "second_factor":
                if value not in SECOND_FACTORS:
                    raise PolicyError(name, f"must be one of {', '.join(SECOND_FACTORS)}")
                values[key] = value
            elif key == "opening_hours":
                try:
                    values[key] = OpeningHours.model_validate(value)
                except ValidationError as exc:
                    where = ".".join(str(p) for p in exc.errors()[0]["loc"])
                    raise PolicyError(f"{name}.{where}".rstrip("."), "is not valid") from None
            else:
                values["cosign_reasons"] = _reasons(value)
        return cls(**values)


def _reasons(value: Any) -> tuple[CosignReason, ...]:
    name = "security.cosign_reason"
    if not isinstance(value, list) or not value:
        raise PolicyError(name, "must be a non-empty list of [[security.cosign_reason]] tables")
    reasons: list[CosignReason] = []
    for index, item in enumerate(value):
        where = f"{name}[{index}]"
        if not isinstance(item, dict) or set(item) != {"code", "zh_CN", "en"}:
            raise PolicyError(where, "needs exactly code, zh_CN and en")
        code = item["code"]
        if not isinstance(code, str) or not code.replace("_", "").isalnum() or len(code) > 64:
            raise PolicyError(f"{where}.code", "must be a short code of letters, digits and _")
        for lang in ("zh_CN", "en"):
            if not isinstance(item[lang], str) or not 0 < len(item[lang].strip()) <= 200:
                raise PolicyError(f"{where}.{lang}", "must be a text of 1-200 characters")
        reasons.append(CosignReason(code.lower(), item["zh_CN"].strip(), item["en"].strip()))
    if len({r.code for r in reasons}) != len(reasons):
        raise PolicyError(name, "repeats a code")
    return tuple(reasons)


# --- offline verifiers and lockout ----------------------------------------------------------------


@dataclass(frozen=True)
class SignInResult:
    """A staff member whose password was accepted, and how (``online`` or ``offline``).

    ``token`` is central's bearer token (None offline). ``valid_until`` is when the offline
    verifier expires (epoch seconds). ``staff_card_no``: the staff member's own card, for the
    ``card_pin`` second factor.
    """

    username: str
    name: str
    roles: tuple[str, ...]
    hall_id: str
    mode: str
    token: str | None = field(default=None, repr=False)
    valid_until: float | None = None
    staff_card_no: str | None = field(default=None, repr=False)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def derive_verifier(password: str) -> str:
    """A scrypt verifier ``scrypt$N$r$p$salt$hash`` of ``password``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def check_verifier(password: str, verifier: str) -> bool:
    """Whether ``password`` matches a verifier made by :func:`derive_verifier`."""
    try:
        scheme, n, r, p, salt, expected = verifier.split("$")
        if scheme != "scrypt" or not (2**10 <= int(n) <= 2**20 and int(r) <= 32 and int(p) <= 16):
            return False
        want = base64.b64decode(expected)
        got = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(want),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


# The tables: desktop/migrations/staff (alembic), applied when the store opens.


class StaffStore:
    """``staff.db``: sealed offline verifiers and failure counters. One thread uses it."""

    def __init__(self, data_dir: Path, seal_key: bytes):
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = data_dir / STAFF_DB
        if not self.path.exists():
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        self._key = seal_key
        try:
            migrations.upgrade(self.path, "staff")
        except migrations.MigrationError as exc:
            raise DeskError(exc.code, exc.detail) from exc
        # Used by the desk's thread only; closed by whoever stops the desk.
        self._conn = sqlite3.connect(
            self.path, isolation_level=None, timeout=15, check_same_thread=False
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def _seal(self, username: str, body: str) -> str:
        data = json.dumps([username, body], ensure_ascii=False).encode("utf-8")
        return hmac.new(self._key, data, hashlib.sha256).hexdigest()

    def user_key(self, username: str) -> str:
        """A keyed hash of a typed user name (what the failure table keeps)."""
        typed = username.strip().lower().encode("utf-8")
        return hmac.new(self._key, b"user:" + typed, hashlib.sha256).hexdigest()[:32]

    def put_verifier(self, username: str, body: dict[str, Any]) -> None:
        """Store (replace) a staff member's sealed verifier record."""
        text = json.dumps(body, sort_keys=True, ensure_ascii=False)
        self._conn.execute(
            "INSERT INTO staff_verifiers (username, body, seal) VALUES (?, ?, ?) "
            "ON CONFLICT(username) DO UPDATE SET body = excluded.body, seal = excluded.seal",
            (username, text, self._seal(username, text)),
        )

    def verifier(self, username: str) -> dict[str, Any] | None:
        """The staff member's verifier record; None when absent or its seal is broken."""
        row = self._conn.execute(
            "SELECT body, seal FROM staff_verifiers WHERE username = ?", (username,)
        ).fetchone()
        if row is None:
            return None
        body, seal = row
        if not hmac.compare_digest(seal, self._seal(username, body)):
            log.warning("the offline verifier of %s was altered; ignoring it", username)
            return None
        return json.loads(body)

    def failures(self, user_key: str) -> tuple[int, float, float | None]:
        """(failures in a row, last failure time, locked until) for a user key."""
        row = self._conn.execute(
            "SELECT failures, last_at, locked_until FROM sign_in_failures WHERE user_key = ?",
            (user_key,),
        ).fetchone()
        return (0, 0.0, None) if row is None else (int(row[0]), float(row[1]), row[2])

    def set_failures(
        self, user_key: str, failures: int, last_at: float, locked_until: float | None
    ) -> None:
        """Store the failure counter of a user key."""
        self._conn.execute(
            "INSERT INTO sign_in_failures (user_key, failures, last_at, locked_until) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(user_key) DO UPDATE SET failures = excluded.failures,"
            " last_at = excluded.last_at, locked_until = excluded.locked_until",
            (user_key, failures, last_at, locked_until),
        )

    def clear_failures(self, user_key: str) -> None:
        """Forget a user key's failures (after a successful sign-in)."""
        self._conn.execute("DELETE FROM sign_in_failures WHERE user_key = ?", (user_key,))


class StaffAuthenticator:
    """Checks staff passwords online at central or offline against stored verifiers.

    Every method runs on one thread (the desk's ``desk-0``), which is the only writer of
    ``staff.db``. Errors are DeskError with these codes: ``sign_in_failed`` (``fields``:
    ``failures``, ``mode``), ``account_locked`` (``retry_after`` seconds, ``by``: desk or
    central), ``central_unavailable`` (no usable verifier offline), ``offline_expired``,
    ``central_error``.
    """

    def __init__(
        self,
        data_dir: Path,
        client: Any,
        workstation_id: str,
        policy: SecurityPolicy,
        seal_key: bytes,
        *,
        clock: Callable[[], float] = time.time,
    ):
        self.data_dir = Path(data_dir)
        self.client = client
        self.workstation_id = workstation_id
        self.policy = policy
        self.clock = clock
        self._seal_key = seal_key
        self._store: StaffStore | None = None
        self._thread: threading.Thread | None = None

    def _db(self) -> StaffStore:
        current = threading.current_thread()
        if self._store is None:
            self._store = StaffStore(self.data_dir, self._seal_key)
            self._thread = current
        elif current is not self._thread:
            raise RuntimeError("the staff store is used by one thread only")
        return self._store

    def close(self) -> None:
        """Close ``staff.db`` (on the thread that used it)."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def user_key(self, username: str) -> str:
        """The keyed hash the failure table and audit use for a typed user name."""
        return self._db().user_key(username)

    def locked_for(self, username: str) -> float:
        """Seconds the user name stays locked at this desk (0: not locked)."""
        _, _, until = self._db().failures(self._db().user_key(username))
        return max(0.0, (until or 0.0) - self.clock())

    def has_verifier(self, username: str) -> bool:
        """Whether an intact offline verifier exists for the user (expired or not)."""
        return self._db().verifier(username) is not None

    def authenticate(self, username: str, password: str) -> SignInResult:
        """Check a password online, else offline; counts failures and locks (see class doc)."""
        from desktop.central import (
            CentralAuthError,
            CentralError,
            CentralRejectedError,
            CentralUnavailableError,
        )

        db = self._db()
        key = db.user_key(username)
        now = self.clock()
        _, _, until = db.failures(key)
        if until is not None and until > now:
            raise DeskError(
                "account_locked",
                "too many failed sign-ins at this desk",
                fields={"retry_after": int(until - now) + 1, "by": "desk"},
            )
        try:
            answer = self.client.login(username, password, self.workstation_id)
        except CentralAuthError:
            self._failed(key, "online")
        except CentralRejectedError as exc:
            if exc.code == "account_locked":
                raise DeskError(
                    "account_locked",
                    "central locked the account",
                    fields={"retry_after": 0, "by": "central"},
                ) from exc
            raise DeskError("central_error", exc.code) from exc
        except CentralUnavailableError:
            return self._offline(username, password, key)
        except CentralError as exc:
            raise DeskError("central_error", exc.code) from exc

        db.clear_failures(key)
        valid_until = now + self.policy.offline_days * 86400
        if self.policy.offline_days > 0:
            db.put_verifier(
                answer.username,
                {
                    "username": answer.username,
                    "name": answer.name,
                    "roles": list(answer.roles),
                    "hall_id": answer.hall_id,
                    "verifier": derive_verifier(password),
                    "derived_at": now,
                    "valid_until": valid_until,
                    "staff_card_no": answer.staff_card_no,
                },
            )
        return SignInResult(
            username=answer.username,
            name=answer.name,
            roles=tuple(answer.roles),
            hall_id=answer.hall_id,
            mode="online",
            token=answer.token,
            valid_until=valid_until if self.policy.offline_days > 0 else None,
            staff_card_no=answer.staff_card_no,
        )

    def _offline(self, username: str, password: str, key: str) -> SignInResult:
        db = self._db()
        record = db.verifier(username)
        if record is None or self.policy.offline_days <= 0:
            raise DeskError(
                "central_unavailable",
                "central is unreachable and this desk cannot check the password offline",
                fields={"offline": "no_verifier"},
            )
        now = self.clock()
        if now >= float(record["valid_until"]) or now < float(record["derived_at"]) - 300:
            # Expired, or a clock set back before the verifier was made.
            raise DeskError(
                "offline_expired",
                "the offline sign-in expired; sign in once while central is reachable",
                fields={"valid_until": int(record["valid_until"])},
            )
        if not check_verifier(password, str(record["verifier"])):
            self._failed(key, "offline")
        db.clear_failures(key)
        return SignInResult(
            username=record["username"],
            name=record["name"],
            roles=tuple(record["roles"]),
            hall_id=record["hall_id"],
            mode="offline",
            valid_until=float(record["valid_until"]),
            staff_card_no=record.get("staff_card_no"),
        )

    def _failed(self, key: str, mode: str) -> None:
        db = self._db()
        now = self.clock()
        failures, last_at, _ = db.failures(key)
        # Failures further apart than the lockout time do not add up.
        window = max(self.policy.lockout_minutes * 60, 60.0)
        failures = failures + 1 if now - last_at <= window else 1
        if failures >= self.policy.max_failures:
            until = now + self.policy.lockout_minutes * 60
            db.set_failures(key, 0, now, until)
            raise DeskError(
                "account_locked",
                "too many failed sign-ins at this desk",
                fields={
                    "retry_after": int(self.policy.lockout_minutes * 60),
                    "by": "desk",
                    "failures": failures,
                    "mode": mode,
                },
            )
        db.set_failures(key, failures, now, None)
        raise DeskError(
            "sign_in_failed",
            "the password was not accepted",
            fields={"failures": failures, "mode": mode},
        )


# --- the desk's guard ----------------------------------------------------------------------------


class DeskGuard:
    """The security side of a :class:`desktop.desk.Desk`, kept out of the workflow's code.

    Owns the audit log (started first, stopped last with the desk), the staff authenticator,
    the idle lock, the permission checks with their audit trail, the registry of co-signatures
    made at this desk, the approval inbox watcher and the desk's alert rules:

    - ``failed_sign_ins``: ``failed_sign_in_alert`` wrong passwords in a row for a user name,
      or a lockout at this desk;
    - ``lookups_without_cases``: in one staff session, at least ``lookup_alert_min`` citizens
      looked up and more than ``lookup_alert_ratio`` times the cases made (plus one);
    - ``approval_outside_hours``: a co-signature or inbox decision made here outside the hall's
      opening hours;
    - ``audit_chain_broken``: the chain fails to verify when the desk starts or when asked.

    An alert is an audit record (action ``alert``; central raises it for the hall when the
    chain arrives) and a call of the desk listeners' optional ``on_alert(alert: dict)``.

    ``clock`` gives wall-clock seconds (offline verifier expiry), ``monotonic`` the idle time;
    tests replace them.
    """

    def __init__(
        self,
        desk: Any,
        *,
        audit: Any | None = None,
        policy: SecurityPolicy | None = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        settings = desk.settings
        self.desk = desk
        self.policy = policy or getattr(settings, "security", None) or SecurityPolicy()
        if audit is None:
            from desktop.audit import open_audit_log

            audit = open_audit_log(settings, desk.outbox.data_dir)
        self.audit = audit
        audit.add_listener(self)
        self.clock = clock
        self.monotonic = monotonic
        self.authenticator: StaffAuthenticator | None = None
        self._lock = threading.RLock()
        self._locked: str | None = None
        self._last_activity = monotonic()
        self._idle_timer: threading.Timer | None = None
        self._lookups = 0
        self._cases = 0
        self._lookup_alerted = False
        self._cosigns: dict[int, tuple[Any, Any]] = {}
        self._staff_card_no: str | None = None
        self._watcher: Any | None = None
        self._stopped_watchers: list[Any] = []
        self._inbox: Any | None = None
        self.recent_alerts: list[dict[str, Any]] = []

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Open the audit chain (checking it) and the staff store; note changed settings."""
        from desktop.audit import changed_settings, settings_fingerprint

        self.audit.start()
        try:
            self.authenticator = StaffAuthenticator(
                self.audit.data_dir,
                self.desk.client,
                self.desk.settings.workstation_id,
                self.policy,
                self.audit.subkey("staff-verifiers"),
                clock=lambda: self.clock(),
            )
            fingerprint = settings_fingerprint(self.desk.settings, self.audit.subkey("settings"))
            keys = self.audit.call(lambda store: changed_settings(store, fingerprint)).result()
        except BaseException:
            self.audit.stop()
            raise
        if keys:
            self.record("settings_changed", actor="system", keys=keys[:32])

    def stop(self) -> None:
        """Stop the watcher and the idle timer, close the staff store, stop the audit log."""
        self.stop_watching(join=True)
        self._cancel_idle_timer()
        staff = self.desk.staff
        if staff is not None and self.audit.running:
            self.record("sign_out", actor=staff.username, reason="desk_stopped")
        if self.authenticator is not None:
            self.authenticator.close()
            self.authenticator = None
        self.audit.stop()

    # --- audit -----------------------------------------------------------------------------

    def actor(self) -> str:
        """Who acts now: the signed-in staff member, else ``workstation``."""
        staff = self.desk.staff
        return staff.username if staff is not None else "workstation"

    def record(
        self,
        action: str,
        *,
        actor: str | None = None,
        person_ref: str | None = None,
        **details: Any,
    ) -> Future | None:
        """Queue an audit record; Future[int] of its sequence number, or None when it could
        not be queued. Never raises into the workflow (a failure is logged)."""
        clean = {k: v for k, v in details.items() if v is not None}
        try:
            return self.audit.record(
                action, actor=actor or self.actor(), person_ref=person_ref, details=clean
            )
        except ValueError:
            log.exception("audit record %s refused (a bug: details must be codes)", action)
        except Exception as exc:
            log.error("audit record %s not written: %s", action, getattr(exc, "code", exc))
        return None

    def alert(self, kind: str, *, subject: str | None = None, **detail: Any) -> None:
        """Raise an alert: an audit record for central and an ``on_alert`` for the desk.

        ``central_raises=True`` marks an alert central raises on its own from what it receives
        (it then does not raise the desk's copy again).
        """
        written = self.record("alert", kind=kind, subject=subject, **detail)
        alert = {"kind": kind, "subject": subject, "source": "desk", **detail}
        alert["at"] = datetime.now(UTC)
        if written is not None:
            # Central lists the desk's copy under this record's number (``audit_seq``); the
            # alerts view shows the two as one.
            written.add_done_callback(functools.partial(_note_audit_seq, alert))
        with self._lock:
            self.recent_alerts = [alert, *self.recent_alerts][:100]
        log.warning("alert %s (%s)", kind, subject or "-")
        self.desk._notify("on_alert", alert)

    # audit log -> guard (audit-writer thread)
    def on_audit_chain_broken(self, result: Any) -> None:
        self.alert(
            "audit_chain_broken",
            subject=self.desk.settings.workstation_id,
            problem=result.problem,
            first_bad=result.first_bad,
        )

    # --- permissions -----------------------------------------------------------------------

    def authorize(self, staff: Any, permission: str) -> None:
        """:func:`require`, with a ``permission_denied`` audit record when refused."""
        try:
            require(staff, permission)
        except DeskError as exc:
            if exc.code == "forbidden":
                self.record("permission_denied", permission=permission)
                log.warning("%s refused to %s", staff.username, permission)
            raise

    def idle_seconds(self) -> float:
        """The idle time before the screen locks (0: never; a kiosk never locks)."""
        if getattr(self.desk, "kiosk", False):
            return 0.0
        return self.policy.idle_lock_minutes * 60

    def check_active(self, staff: Any) -> None:
        """Refuse when the screen is locked or the idle time has passed; else note activity."""
        idle = self.idle_seconds()
        with self._lock:
            locked = self._locked
            expired = locked is None and idle > 0 and self.monotonic() - self._last_activity >= idle
            if locked is None and not expired:
                self._last_activity = self.monotonic()
                return
        if expired:
            self.lock("idle")
        raise DeskError("session_locked", "the screen is locked; enter the password again")

    def check_second_factor(self, staff: Any) -> None:
        """Refuse while the staff member's second factor is still to be checked."""
        factor = getattr(staff, "second_factor", None)
        if factor:
            raise DeskError(
                "second_factor_required",
                "the staff member's second factor is still to be checked",
                fields={"factor": factor},
            )

    def pending_factor(self) -> str | None:
        """The second factor a new staff session must pass (None: the hall wants none)."""
        factor = self.policy.second_factor
        return None if factor == "none" else factor

    @property
    def staff_card_no(self) -> str | None:
        """The signed-in staff member's own card number (for the ``card_pin`` factor)."""
        with self._lock:
            return self._staff_card_no

    def touch(self) -> None:
        """The staff member used the desk (the UI calls this on input)."""
        with self._lock:
            if self._locked is None:
                self._last_activity = self.monotonic()

    @property
    def locked(self) -> str | None:
        """Why the screen is locked (``idle``, ``manual``), or None."""
        return self._locked

    def lock(self, reason: str = "manual") -> None:
        """Lock the screen: every action is refused until :meth:`unlock` succeeds."""
        staff = self.desk.staff
        with self._lock:
            if staff is None or self._locked is not None:
                return
            self._locked = reason
        self._cancel_idle_timer()
        self.stop_watching()
        self.record("session_locked", actor=staff.username, reason=reason)
        log.info("screen locked (%s)", reason)
        self.desk._notify("on_session_locked", reason)

    # --- staff sessions (desk thread) ------------------------------------------------------

    def _authenticator(self) -> StaffAuthenticator:
        if self.authenticator is None:
            raise DeskError("desk_stopped", "the desk is not running")
        return self.authenticator

    def sign_in(self, username: str, password: str) -> SignInResult:
        """Check a sign-in (online, else offline); audit it; DeskError when refused."""
        auth = self._authenticator()
        try:
            result = auth.authenticate(username, password)
        except DeskError as exc:
            self._refused(username, exc, "sign_in_failed")
            raise
        self.desk._set_online(result.mode == "online")
        return result

    def _subject(self, username: str) -> str:
        """A typed user name fit for the audit trail: the name when staff of this desk."""
        auth = self._authenticator()
        if auth.has_verifier(username):
            return username
        return "user#" + auth.user_key(username)[:16]

    def _refused(self, username: str, exc: DeskError, action: str, **extra: Any) -> None:
        subject = self._subject(username)
        if exc.code == "central_unavailable" or exc.code.startswith("offline_"):
            self.desk._set_online(False)
        failures = exc.fields.get("failures")
        self.record(
            action,
            actor=subject if action == "sign_in_failed" else None,
            reason=exc.code,
            mode=exc.fields.get("mode"),
            failures=failures,
            **extra,
        )
        locked_here = exc.code == "account_locked" and exc.fields.get("by") == "desk"
        if locked_here and failures is None:
            return  # already locked: the alert went out when it locked
        if locked_here or (
            exc.code == "sign_in_failed" and (failures or 0) >= self.policy.failed_sign_in_alert
        ):
            self.alert("failed_sign_ins", subject=subject, failures=failures, locked=locked_here)

    def session_started(self, staff: Any, result: SignInResult | None = None) -> None:
        """A staff member signed in: audit it and start the idle lock."""
        with self._lock:
            self._staff_card_no = result.staff_card_no if result is not None else None
            self._locked = None
            self._last_activity = self.monotonic()
            self._lookups = 0
            self._cases = 0
            self._lookup_alerted = False
            self._cosigns.clear()
            self._inbox = None
        self.record("sign_in", actor=staff.username, mode=staff.mode)
        self._schedule_idle_timer()

    def session_ended(self, staff: Any, reason: str) -> None:
        """The staff member signed out: audit it and forget everything of the session."""
        self.stop_watching()
        self._cancel_idle_timer()
        with self._lock:
            self._locked = None
            self._cosigns.clear()
            self._inbox = None
            self._staff_card_no = None
        if staff is not None:
            self.record("sign_out", actor=staff.username, reason=reason)

    def unlock(self, staff: Any, password: str) -> SignInResult:
        """Check the signed-in staff member's password to lift the lock (desk thread).

        A lockout on the way signs the staff member out (``account_locked``).
        """
        auth = self._authenticator()
        try:
            result = auth.authenticate(staff.username, password)
        except DeskError as exc:
            self._refused(staff.username, exc, "sign_in_failed", purpose="unlock")
            raise
        with self._lock:
            self._locked = None
            self._last_activity = self.monotonic()
        self.desk._set_online(result.mode == "online")
        self.record("session_unlocked", actor=staff.username, mode=result.mode)
        self._schedule_idle_timer()
        return result

    # --- the idle lock ---------------------------------------------------------------------

    def _schedule_idle_timer(self) -> None:
        idle = self.idle_seconds()
        if idle <= 0:
            return
        with self._lock:
            if self._idle_timer is not None:
                self._idle_timer.cancel()
            remaining = max(0.05, idle - (self.monotonic() - self._last_activity))
            timer = threading.Timer(remaining, self._on_idle_timer)
            timer.name = "desk-idle"
            timer.daemon = True
            self._idle_timer = timer
            timer.start()

    def _cancel_idle_timer(self) -> None:
        with self._lock:
            timer, self._idle_timer = self._idle_timer, None
        if timer is not None:
            timer.cancel()
            if timer is not threading.current_thread():
                timer.join()

    def _on_idle_timer(self) -> None:
        idle = self.idle_seconds()
        with self._lock:
            if self._idle_timer is not threading.current_thread():
                return
            self._idle_timer = None
            if self._locked is not None or self.desk.staff is None:
                return
            elapsed = self.monotonic() - self._last_activity
        if elapsed >= idle:
            self.lock("idle")
        else:
            self._schedule_idle_timer()

    # --- co-signatures at the desk ---------------------------------------------------------

    def cosign(
        self,
        staff: Any,
        citizen: Any,
        username: str,
        password: str,
        reason: str | None,
        reason_code: str | None,
    ) -> Any:
        """Check a supervisor co-signing at this desk (online, else offline); a CoSign.

        The co-signer must hold the supervisor role and must not be the signed-in staff member
        (who makes the case). The CoSign is remembered: :meth:`check_cosign` accepts only
        co-signatures made here. Errors: ``sign_in_failed``, ``account_locked``,
        ``cosign_not_supervisor``, ``cosign_self``, ``reason_required``, ``unknown_reason``,
        ``central_unavailable``, ``offline_expired``.
        """

        from desktop.contract import CoSign

        person_ref = getattr(citizen, "person_ref", None)
        if reason_code is not None:
            template = self.policy.cosign_reason(reason_code)
            if template is None:
                raise DeskError("unknown_reason", f"no co-sign reason {reason_code!r}")
            reason = reason or template.text(self.desk.settings.language)
        if not reason or not reason.strip():
            raise DeskError("reason_required", "a co-signature needs a reason")
        auth = self._authenticator()
        try:
            result = auth.authenticate(username, password)
        except DeskError as exc:
            self._refused(username, exc, "cosign_refused", purpose="cosign")
            raise
        if not permits(result.roles, "cosign"):
            self.record(
                "cosign_refused",
                person_ref=person_ref,
                supervisor=result.username,
                reason="cosign_not_supervisor",
            )
            raise DeskError("cosign_not_supervisor", "the co-signer is not a supervisor")
        if result.username == staff.username:
            self.record("cosign_refused", person_ref=person_ref, reason="cosign_self")
            raise DeskError("cosign_self", "a supervisor cannot co-sign their own case")
        now = datetime.now(UTC)
        cosign = CoSign(supervisor=result.username, reason=reason.strip()[:200], at=now)
        with self._lock:
            self._cosigns[id(cosign)] = (cosign, citizen)
        self.record(
            "cosign",
            actor=result.username,
            person_ref=person_ref,
            clerk=staff.username,
            mode=result.mode,
            reason=reason_code or "typed",
        )
        if not self.policy.opening_hours.is_open(now):
            # Central raises its own when the case arrives: this one is for the desk's view.
            self.alert(
                "approval_outside_hours", subject=result.username, where="desk", central_raises=True
            )
        return cosign

    def check_cosign(self, cosign: Any, citizen: Any, staff: Any) -> None:
        """Refuse a co-signature not made at this desk for this citizen (``cosign_unverified``)
        or made by the staff member who makes the case (``cosign_self``)."""
        with self._lock:
            entry = self._cosigns.get(id(cosign))
        if (
            entry is None
            or entry[0] is not cosign
            or (citizen is not None and entry[1] is not citizen)
        ):
            self.record("cosign_refused", reason="cosign_unverified")
            raise DeskError(
                "cosign_unverified", "the co-signature was not made by a supervisor at this desk"
            )
        if cosign.supervisor == staff.username:
            raise DeskError("cosign_self", "a supervisor cannot co-sign their own case")

    def consume_cosign(self, cosign: Any) -> None:
        """A co-signature was used for a case: it cannot sign another."""
        with self._lock:
            self._cosigns.pop(id(cosign), None)

    # --- the lookup rule -------------------------------------------------------------------

    def count_lookup(self) -> None:
        """A citizen was looked up in this staff session (a kiosk's lookups do not count: its
        citizens look their own records up)."""
        if getattr(self.desk, "kiosk", False):
            return
        with self._lock:
            self._lookups += 1
            lookups, cases = self._lookups, self._cases
            due = (
                not self._lookup_alerted
                and lookups >= self.policy.lookup_alert_min
                and lookups > self.policy.lookup_alert_ratio * (cases + 1)
            )
            if due:
                self._lookup_alerted = True
        if due:
            self.alert("lookups_without_cases", subject=self.actor(), lookups=lookups, cases=cases)

    def count_case(self) -> None:
        """A case was made in this staff session."""
        with self._lock:
            self._cases += 1

    # --- the approval inbox ----------------------------------------------------------------

    def remember_inbox(self, inbox: Any) -> None:
        """Keep the last inbox seen (for the desk-side self-approval check)."""
        with self._lock:
            self._inbox = inbox

    def inbox_item(self, case_id: str, stage: int) -> Any | None:
        """The item of the last inbox seen for a case's stage, if any."""
        with self._lock:
            inbox = self._inbox
        if inbox is None:
            return None
        return next((i for i in inbox.items if i.case_id == case_id and i.stage == stage), None)

    def watch(self, watcher: Any) -> None:
        """Run ``watcher`` (an ApprovalWatcher) until sign-out, lock or :meth:`stop_watching`."""
        self.stop_watching()
        with self._lock:
            self._watcher = watcher
        watcher.start()

    def stop_watching(self, *, join: bool = False) -> None:
        """Stop the approval watcher, if one runs, without waiting for its request in flight.

        Sign-out and lock call this on the GUI thread, which must not wait for a long poll; the
        stopped watchers are joined by :meth:`stop` (``join=True``).
        """
        with self._lock:
            watcher, self._watcher = self._watcher, None
            if watcher is not None:
                self._stopped_watchers.append(watcher)
            stopped = list(self._stopped_watchers) if join else []
            if join:
                self._stopped_watchers.clear()
        if watcher is not None:
            watcher.stop(join=False)
        for old in stopped:
            old.join()
