"""What the self-service kiosk needs beyond the Desk: its options and its own calls to central.

- :class:`KioskOptions` and :func:`load_kiosk_options`: the hall's kiosk choices (idle time,
  keypad layout, voice, printer) from ``kiosk.toml`` beside the desk's configuration file.
- :class:`KioskServices`: the kiosk's calls to central that the Desk does not make — the
  citizen's contribution record, numbered documents (参保证明 and the contribution statement)
  with their verification codes, checking such a code, calling a staff member, and the admin
  sign-in that lets an admin leave the kiosk. Every call returns a
  ``concurrent.futures.Future`` and runs on the service's own thread (``kiosk-central``). The
  calls go out as the workstation (``docs/api.md``: a kiosk looks citizens up as its
  workstation), over the Desk's :class:`~desktop.central.CentralClient`.
- :func:`document_payload` / :func:`parse_document_payload`: the text of the QR verification
  code printed on a document.

The response models live here rather than in :mod:`desktop.contract` for now; the sandbox's
side (``sandbox/kiosk.py``) builds the same JSON and a test checks that it validates here.
No Qt in this module.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import tomllib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from desktop.central import (
    CentralAuthError,
    CentralClient,
    CentralError,
    CentralRejectedError,
    CentralUnavailableError,
)
from desktop.errors import DeskError
from desktop.settings import Settings, SettingsError

log = logging.getLogger(__name__)

KIOSK_FILE = "kiosk.toml"

# A workstation token is renewed this long before central says it expires.
TOKEN_MARGIN_S = 60.0

DOCUMENT_PREFIX = "HC1"


# --- options ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KioskOptions:
    """The hall's choices for a kiosk (``[kiosk]`` in ``kiosk.toml``; every key optional).

    ``idle_seconds``: time without a touch before "still there?"; ``still_there_seconds``: how
    long that question waits before the kiosk resets; ``keypad``: ``fixed`` (the default, a
    telephone layout elderly users know) or ``shuffled`` (a new layout every time the PIN is
    asked); ``speech``: voice prompts on or off; ``printer``: a printer name (the system's
    default printer when empty); ``card_reminder_seconds``: how often "take your card" is
    repeated; ``liveness_seconds``: how long the citizen has to perform the liveness
    challenge (blink, turn left, turn right) in front of the camera; ``face_attempts``: face
    checks before the citizen goes on without one; ``corner_taps``: taps on the top-left
    corner that open the admin sign-in. The camera itself is the desk's (``[camera]`` in the
    desk's configuration).
    """

    idle_seconds: float = 60.0
    still_there_seconds: float = 20.0
    keypad: Literal["fixed", "shuffled"] = "fixed"
    speech: bool = True
    printer: str = ""
    card_reminder_seconds: float = 10.0
    liveness_seconds: float = 8.0
    face_attempts: int = 2
    corner_taps: int = 5


_OPTION_TYPES: dict[str, tuple[type | tuple[type, ...], float | None]] = {
    # key -> (accepted types, smallest value for numbers)
    "idle_seconds": ((int, float), 5.0),
    "still_there_seconds": ((int, float), 3.0),
    "keypad": (str, None),
    "speech": (bool, None),
    "printer": (str, None),
    "card_reminder_seconds": ((int, float), 2.0),
    "liveness_seconds": ((int, float), 2.0),
    "face_attempts": (int, 1),
    "corner_taps": (int, 3),
}


def kiosk_options_path(config_path: Path) -> Path:
    """``kiosk.toml`` in the folder of the desk's configuration file."""
    return Path(config_path).parent / KIOSK_FILE


def load_kiosk_options(path: Path | None) -> KioskOptions:
    """Read ``[kiosk]`` from ``path``; defaults when the file does not exist.

    Raises :class:`~desktop.settings.SettingsError` naming the key for a wrong value.
    """
    if path is None or not Path(path).exists():
        return KioskOptions()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError("", f"{path}: not a readable TOML file ({exc})") from exc
    unknown = [key for key in data if key != "kiosk"]
    if unknown:
        raise SettingsError(unknown[0], "unknown section; expected [kiosk]")
    table = data.get("kiosk", {})
    if not isinstance(table, dict):
        raise SettingsError("kiosk", "must be a table ([kiosk])")
    values: dict[str, Any] = {}
    for key, value in table.items():
        spec = _OPTION_TYPES.get(key)
        if spec is None:
            raise SettingsError(f"kiosk.{key}", "unknown key")
        types, minimum = spec
        if (isinstance(value, bool) and types is not bool) or not isinstance(value, types):
            raise SettingsError(f"kiosk.{key}", "has the wrong type")
        if minimum is not None and value < minimum:
            raise SettingsError(f"kiosk.{key}", f"must be at least {minimum}")
        values[key] = float(value) if types == (int, float) else value
    if values.get("keypad", "fixed") not in ("fixed", "shuffled"):
        raise SettingsError("kiosk.keypad", "must be fixed or shuffled")
    return KioskOptions(**values)


# --- central's answers -----------------------------------------------------------------------


class _Answer(BaseModel):
    # Like desktop.contract's responses: fields a newer central adds are ignored.
    model_config = ConfigDict(extra="ignore", frozen=True)


class ContributionYear(_Answer):
    """One year of pension contributions: months paid, monthly base, the two shares (CNY)."""

    year: int
    months: int = Field(ge=0, le=12)
    base: float = Field(ge=0)
    personal: float = Field(ge=0)
    employer: float = Field(ge=0)


class ContributionRecords(_Answer):
    """A person's pension contribution record (``status``: contributing, receiving, none)."""

    scheme: str
    status: str
    insured_since: date | None
    total_months: int = Field(ge=0)
    as_of: date
    years: list[ContributionYear]


class InsuranceLine(_Answer):
    """One insurance on a certificate: ``kind`` (pension, medical, unemployment), status."""

    kind: str
    status: str
    since: date | None
    months: int = Field(ge=0)


class DocumentHolder(_Answer):
    """Whom a document is about."""

    name: str
    ssn: str
    sex: str | None
    birth_date: date


class IssuedDocument(_Answer):
    """A numbered document central issued, with its content and verification code."""

    number: str
    kind: Literal["certificate", "contributions"]
    issued_at: datetime
    hall_id: str
    hall_name: str
    verification: str
    holder: DocumentHolder
    insurances: list[InsuranceLine]
    contributions: ContributionRecords | None = None

    def __repr__(self) -> str:  # never the holder in a log line or a traceback
        return f"IssuedDocument(number={self.number!r}, kind={self.kind!r})"


class DocumentCheck(_Answer):
    """Central's answer about a printed document's number and code."""

    number: str
    kind: str
    issued_at: datetime
    hall_id: str
    holder_masked: str
    valid: bool


class StaffCall(_Answer):
    """A staff call central recorded."""

    id: str
    at: datetime


# --- QR payloads -----------------------------------------------------------------------------


def document_payload(number: str, verification: str) -> str:
    """The QR text of a document: ``HC1:DOC:<number>:<code>`` (no personal data)."""
    return f"{DOCUMENT_PREFIX}:DOC:{number}:{verification}"


def case_payload(hall_id: str, workstation_id: str, local_id: str) -> str:
    """The QR text of a case receipt: ``HC1:CASE:<hall>:<workstation>:<local case number>``."""
    return f"{DOCUMENT_PREFIX}:CASE:{hall_id}:{workstation_id}:{local_id}"


def parse_document_payload(text: str) -> tuple[str, str] | None:
    """``(number, code)`` from a document QR text; None when it is not one."""
    parts = text.strip().split(":")
    if len(parts) != 4 or parts[0] != DOCUMENT_PREFIX or parts[1] != "DOC":
        return None
    return parts[2], parts[3]


# --- the service -----------------------------------------------------------------------------


def _desk_error(exc: CentralError) -> DeskError:
    if isinstance(exc, CentralUnavailableError):
        return DeskError("central_unavailable", exc.code)
    if isinstance(exc, CentralAuthError):
        return DeskError("unauthorized", exc.code)
    if isinstance(exc, CentralRejectedError) and exc.status == 404:
        return DeskError(exc.code, exc.message)
    if isinstance(exc, CentralRejectedError) and exc.status == 403:
        return DeskError("forbidden", exc.code)
    return DeskError("central_error", exc.code)


class KioskServices:
    """The kiosk's own calls to central (see the module docstring).

    ``start()`` before use, ``stop()`` at the end (joins the thread). Errors arrive as
    :class:`~desktop.errors.DeskError` with the same codes the Desk uses
    (``central_unavailable``, ``person_not_found``, ``document_not_found``, ``not_admin``,
    ``sign_in_failed``, ...), so the UI translates them in one place.
    """

    def __init__(self, client: CentralClient, settings: Settings) -> None:
        self._client = client
        self._settings = settings
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._token: str | None = None
        self._token_until = 0.0

    def start(self) -> None:
        """Start the service's thread (idempotent)."""
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="kiosk-central"
                )

    def stop(self) -> None:
        """Stop the thread; calls not yet started are cancelled."""
        with self._lock:
            executor, self._executor = self._executor, None
            self._token = None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def _run(self, job) -> Future:
        with self._lock:
            executor = self._executor
        if executor is None:
            failed: Future = Future()
            failed.set_exception(DeskError("desk_stopped", "the kiosk services are stopped"))
            return failed
        return executor.submit(job)

    # --- plumbing (on the kiosk-central thread) ------------------------------------------

    def _workstation_token(self, *, fresh: bool = False) -> str:
        now = time.monotonic()
        if not fresh and self._token is not None and now < self._token_until:
            return self._token
        answer = self._client.workstation_login(
            self._settings.workstation_id, self._settings.workstation_secret
        )
        self._token = answer.token
        self._token_until = now + max(0.0, answer.expires_in - TOKEN_MARGIN_S)
        return answer.token

    def _call(self, method: str, path: str, model: type[BaseModel], body: Any = None):
        # The Desk's client does the transport and maps statuses to CentralError; one retry
        # with a fresh workstation token after a 401 (the token may have expired).
        raw = None if body is None else json.dumps(body).encode("utf-8")
        for attempt in (0, 1):
            try:
                token = self._workstation_token(fresh=attempt == 1)
                return self._client.call_json(method, path, token=token, model=model, body=raw)
            except CentralAuthError as exc:
                if attempt == 1:
                    raise _desk_error(exc) from exc
            except CentralError as exc:
                raise _desk_error(exc) from exc
        raise AssertionError("unreachable")

    # --- calls ---------------------------------------------------------------------------

    def contributions(self, person_ref: str) -> Future:
        """Future[ContributionRecords] of the person."""
        return self._run(
            lambda: self._call(
                "GET", f"/v1/persons/{person_ref}/contributions", ContributionRecords
            )
        )

    def issue_document(self, person_ref: str, kind: str) -> Future:
        """Future[IssuedDocument]: ``kind`` is ``certificate`` or ``contributions``."""

        def job() -> IssuedDocument:
            document = self._call(
                "POST", f"/v1/persons/{person_ref}/documents", IssuedDocument, {"kind": kind}
            )
            log.info("document %s issued (%s)", document.number, document.kind)
            return document

        return self._run(job)

    def check_document(self, number: str, code: str) -> Future:
        """Future[DocumentCheck]; DeskError ``document_not_found`` for a wrong number or code."""
        path = f"/v1/documents/{quote(number, safe='')}?code={quote(code, safe='')}"
        return self._run(lambda: self._call("GET", path, DocumentCheck))

    def call_staff(self, screen: str) -> Future:
        """Future[StaffCall]: tell the hall's staff that this kiosk needs someone."""

        def job() -> StaffCall:
            call = self._call("POST", "/v1/kiosk/assistance", StaffCall, {"screen": screen})
            log.info("staff called (%s)", call.id)
            return call

        return self._run(job)

    def admin_sign_in(self, username: str, password: str) -> Future:
        """Future[str]: the admin's user name when the account has the admin role.

        Checked at central without touching the Desk's own sign-in (the kiosk keeps serving
        as the clerk who opened it). Errors: ``sign_in_failed``, ``not_admin``,
        ``account_locked``, ``central_unavailable``.
        """

        def job() -> str:
            try:
                answer = self._client.login(username, password, self._settings.workstation_id)
            except CentralAuthError as exc:
                raise DeskError("sign_in_failed", "central did not accept the sign-in") from exc
            except CentralRejectedError as exc:
                if exc.code == "account_locked":
                    raise DeskError("account_locked", exc.code) from exc
                raise _desk_error(exc) from exc
            except CentralError as exc:
                raise _desk_error(exc) from exc
            if "admin" not in answer.roles:
                log.warning("kiosk exit refused: %s is not an admin", answer.username)
                raise DeskError("not_admin", "the account is not an admin's")
            log.info("admin %s signed in at the kiosk", answer.username)
            return answer.username

        return self._run(job)
