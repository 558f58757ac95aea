"""The desk: the facade the clerk's window, the kiosk and the headless demo drive.

:class:`Desk` ties the card service, central, the service catalog, the face worker and the
outbox into the identity workflow of design section 4. Every method that does I/O returns a
``concurrent.futures.Future`` at once; the work runs on the desk's worker thread (``desk-0``),
the card thread, the face worker or the outbox's threads, never on the caller's thread.
Listeners (:class:`DeskListener`) are called on those worker threads; the Qt bridge re-emits
them as signals on the GUI thread.

Personal data lives only in the current :class:`CitizenSession` and is dropped by
:meth:`Desk.end_citizen` (also when the card stays out of the reader past the grace period).
The PIN is passed straight to the card service and kept nowhere.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from desktop.auth import DeskGuard, SecurityPolicy, permits
from desktop.catalog import Catalog, form_problems
from desktop.central import (
    CentralAuthError,
    CentralClient,
    CentralError,
    CentralRejectedError,
    CentralUnavailableError,
)
from desktop.contract import (
    CaseSubmission,
    CitizenRef,
    CoSign,
    FaceCheck,
    IdentityCheck,
    PersonLookupResponse,
    Service,
)
from desktop.errors import DeskError, OutboxError
from desktop.outbox import OutboxFrozenError, OutboxService, QueuedCase
from desktop.settings import Settings

log = logging.getLogger(__name__)

# How long the desk thread waits for the card thread or the face worker before giving up.
CARD_TIMEOUT = 30.0
FACE_TIMEOUT = 120.0

REFUSED_CARD_STATUSES = {
    "lost": "card_lost",
    "cancelled": "card_cancelled",
    "replaced": "card_replaced",
}
_NO_CARD_CODES = {"card_absent", "card_removed", "no_card_read", "no_reader"}
# The "reader" of a session begun from the electronic card (CitizenSession.source "ecard").
ECARD_READER = "e-card"


class DeskListener(Protocol):
    """What the desk reports; every method is called on a worker thread."""

    def on_card_inserted(self, record: Any) -> None: ...
    def on_card_removed(self) -> None: ...
    def on_card_error(self, code: str) -> None: ...
    def on_reader_state(self, state: str) -> None: ...
    def on_network_state(self, online: bool) -> None: ...
    def on_outbox_changed(self, counts: dict[str, int]) -> None: ...
    def on_case_sent(self, local_id: str, central_id: str) -> None: ...
    def on_case_rejected(self, local_id: str, reason: str) -> None: ...

    # Optional: ``on_citizen_ended(reason: str)`` ("card_removed", "card_swapped", "ended").
    # Optional (card): ``on_multiple_cards(readers: tuple[str, ...])`` (the clerk picks with
    # Desk.choose_reader), ``on_card_ignored(reader: str)`` (not a social security card),
    # ``on_card_swapped()`` (a swap faster than the reader's poll), ``on_pinpad_prompt(active)``.
    # Optional (desktop.auth.DeskGuard): ``on_session_locked(reason: str)`` ("idle", "manual"),
    # ``on_signed_out(reason: str)``, ``on_alert(alert: dict)`` (kind, subject, source, ...),
    # ``on_approvals_changed(inbox: ApprovalInbox)`` while a supervisor watches the inbox.


@dataclass(frozen=True)
class StaffSession:
    """The signed-in staff member (the bearer token stays inside the desk)."""

    username: str
    name: str
    roles: tuple[str, ...]
    hall_id: str
    mode: str = "online"  # "offline": signed in against this desk's verifier, without a token
    second_factor: str | None = None  # "face" or "card_pin" while still to be checked

    @property
    def is_supervisor(self) -> bool:
        """True when the staff member may co-sign."""
        return "supervisor" in self.roles

    def can(self, permission: str) -> bool:
        """Whether the roles carry ``permission`` (``desktop.auth.PERMISSIONS``)."""
        return permits(self.roles, permission)


@dataclass(frozen=True)
class Mismatch:
    """Card data that disagrees with central's record, shown side by side."""

    field: str  # "name" or "birth_date"
    card: str | None
    central: str | None


@dataclass(eq=False)
class CitizenSession:
    """The citizen being served: card record, central's answer and the identity checks.

    ``warnings`` are stable codes: the card's own (check digit, birth date, sex) plus
    ``name_mismatch``, ``birth_date_mismatch`` and ``identity_offline``.
    """

    record: Any  # devices.card.record.CardRecord
    lookup: PersonLookupResponse | None
    offline: bool
    card_status: str | None
    warnings: tuple[str, ...] = ()
    mismatches: tuple[Mismatch, ...] = ()
    pin_status: str | None = None  # the last PinResult.status
    face: FaceCheck | None = None
    face_consent: bool = False  # the citizen agreed to the face check (Desk.consent_face)
    _reference: bytes | None = field(default=None, repr=False)
    ended: bool = False
    # "card" (the physical card in the reader) or "ecard" (the electronic card, verified by
    # central: no card in the reader, no PIN).
    source: str = "card"
    # The card said its PIN is blocked (Desk.pin_state): the PIN is never asked for again.
    pin_blocked: bool = False

    @property
    def person_ref(self) -> str | None:
        """Central's opaque reference of the person, None offline."""
        return self.lookup.person_ref if self.lookup else None

    @property
    def pin_ok(self) -> bool:
        """True once VERIFY succeeded for this citizen."""
        return self.pin_status == "ok"

    @property
    def is_ecard(self) -> bool:
        """True when the citizen showed the electronic card rather than the physical one."""
        return self.source == "ecard"

    def identity_check(self, service: Service) -> IdentityCheck:
        """The IdentityCheck a case of ``service`` records."""
        if self.is_ecard:
            # Central verified the e-card, which the citizen unlocked in the app: no card PIN.
            pin = "ecard" if "pin" in service.factors else "not_required"
        elif self.pin_ok:
            pin = "ok"
        elif "pin" in service.factors:
            pin = "not_checked"
        else:
            pin = "not_required"
        face = self.face
        if face is None:
            face = FaceCheck(
                decision="not_required" if "face" not in service.factors else "unavailable"
            )
        return IdentityCheck(pin=pin, face=face, offline=self.offline)

    def clear(self) -> None:
        """Drop everything personal."""
        self.record = None
        self.lookup = None
        self.mismatches = ()
        self.face = None
        self.face_consent = False
        self._reference = None
        self.ended = True

    def __repr__(self) -> str:
        return f"CitizenSession(offline={self.offline}, card_status={self.card_status!r})"


def _chain(source: Future, convert: Callable[[Any], Any], errors: Callable | None = None):
    """A future that resolves with ``convert(source.result())`` (on the source's thread)."""
    target: Future = Future()
    target.set_running_or_notify_cancel()

    def done(f: Future) -> None:
        try:
            target.set_result(convert(f.result()))
        except BaseException as exc:
            target.set_exception(errors(exc) if errors else exc)

    source.add_done_callback(done)
    return target


def _card_error(exc: BaseException) -> BaseException:
    code = getattr(exc, "code", None)
    if code is None or isinstance(exc, DeskError):
        return exc
    if code == "card_changed":
        return DeskError("card_changed", str(exc))
    if code in _NO_CARD_CODES:
        return DeskError("no_card", str(exc))
    error = DeskError("card_error", str(exc), fields={"card_code": code})
    error.__cause__ = exc
    return error


class Desk:
    """The application core behind every interface (see the module docstring)."""

    def __init__(
        self,
        settings: Settings,
        *,
        card_service: Any,
        outbox: OutboxService,
        client: CentralClient,
        catalog: Catalog,
        face_worker: Any | None = None,
        kiosk: bool = False,
        heartbeat: Any | None = None,
        audit: Any | None = None,
        security: SecurityPolicy | None = None,
        camera_factory: Callable[[Any], Any] | None = None,
        face_liveness: bool = True,
    ):
        self.settings = settings
        # The live face check (desktop.face_check): a camera for a citizen session (a new,
        # unstarted devices.camera.Camera each check), and whether it runs the liveness
        # challenge (off only for training's still sample photos).
        self.camera_factory = camera_factory
        self.face_liveness = face_liveness
        self._face_check: Any | None = None
        self.card_service = card_service
        self.outbox = outbox
        self.client = client
        self.catalog = catalog
        self.face_worker = face_worker
        self.kiosk = kiosk
        self.heartbeat = heartbeat  # desktop.heartbeat.HeartbeatSender, started with the desk
        self._listeners: list[Any] = []
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.RLock()
        self._staff: StaffSession | None = None
        self._token: str | None = None
        self._citizen: CitizenSession | None = None
        self._grace: threading.Timer | None = None
        self._online: bool | None = None
        # Sign-in, roles, idle lock, audit trail, co-signs, alerts (desktop.auth). ``audit``:
        # a desktop.audit.AuditLog; by default one in the outbox's data directory.
        self.guard = DeskGuard(self, audit=audit, policy=security)
        card_service.add_listener(self)
        outbox.add_listener(self)

    # --- lifecycle -------------------------------------------------------------------------

    def add_listener(self, listener: Any) -> None:
        """Register a DeskListener."""
        self._listeners.append(listener)

    def start(self) -> None:
        """Start the outbox, the card service, the face worker and the desk thread.

        A desk starts once; on failure everything already started is stopped again.
        """
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="desk")
        try:
            self.guard.start()
            self.outbox.start()
            if self.heartbeat is not None:
                self.heartbeat.start()
            self.card_service.start()
            if self.face_worker is not None:
                self.face_worker.start()
        except BaseException:
            self.stop()
            raise
        log.info("desk %s started", self.settings.workstation_id)

    def stop(self) -> None:
        """Stop every thread and process the desk started; leaves nothing running.

        The devices stop first, so that a desk job waiting on the card or the face worker
        fails at once; the outbox stops last, after any case being queued has committed.
        """
        self._cancel_grace()
        with self._lock:
            citizen, self._citizen = self._citizen, None
        self._cancel_face_check(wait=True)
        if citizen is not None:
            citizen.clear()
        self.card_service.stop()
        if self.face_worker is not None:
            self.face_worker.stop()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        if self.heartbeat is not None:
            self.heartbeat.stop()
        self.outbox.stop()
        # Last: the audit log writes what the parts above recorded while stopping.
        self.guard.stop()
        self.client.close()
        log.info("desk %s stopped", self.settings.workstation_id)

    def _run(self, fn: Callable[[], Any]) -> Future:
        if self._executor is None:
            future: Future = Future()
            future.set_exception(DeskError("desk_stopped", "the desk is not running"))
            return future
        return self._executor.submit(fn)

    # --- listeners -------------------------------------------------------------------------

    def _notify(self, method: str, *args: Any) -> None:
        for listener in list(self._listeners):
            handler = getattr(listener, method, None)
            if handler is None:
                continue
            try:
                handler(*args)
            except Exception:
                log.exception("desk listener %s.%s failed", type(listener).__name__, method)

    def _set_online(self, online: bool) -> None:
        with self._lock:
            changed = online != self._online
            self._online = online
        if changed:
            self._notify("on_network_state", online)

    @property
    def online(self) -> bool | None:
        """Whether central answered the last call (None before any call)."""
        return self._online

    # card service -> desk (card thread)
    def on_card_inserted(self, record: Any) -> None:
        with self._lock:
            citizen = self._citizen
        if citizen is not None and citizen.is_ecard:
            # A card for someone at an e-card counter: the card's holder is served next.
            self._end_citizen("card_inserted")
        elif citizen is not None and citizen.record is not None:
            if record.identity == citizen.record.identity:
                self._cancel_grace()
            else:
                self._end_citizen("card_swapped")
        self.guard.record(
            "card_read",
            trigger="inserted",
            generation=record.generation,
            warnings=len(record.warnings),
        )
        self._notify("on_card_inserted", record)

    def on_card_removed(self) -> None:
        with self._lock:
            citizen = self._citizen
        if citizen is not None and not citizen.is_ecard:
            grace = 0.0 if self.kiosk else self.settings.card_grace_seconds
            if grace <= 0:
                self._end_citizen("card_removed")
            else:
                self._start_grace(grace)
        self._notify("on_card_removed")

    def on_card_error(self, error: Any) -> None:
        code = getattr(error, "code", str(error))
        self._notify("on_card_error", code)
        readers = getattr(error, "readers", None)
        if code == "multiple_cards" and readers:
            # Social security cards in several readers: the clerk picks (choose_reader).
            self._notify("on_multiple_cards", tuple(readers))

    def on_card_ignored(self, reader: str) -> None:
        self._notify("on_card_ignored", reader)

    def on_card_swapped(self) -> None:
        # Another card went in faster than the reader's poll: the citizen ends when it is
        # read (on_card_inserted); listeners hear why first.
        log.info("card swapped faster than the reader's poll")
        self._notify("on_card_swapped")

    def on_pinpad_prompt(self, reader: str, active: bool) -> None:
        self._notify("on_pinpad_prompt", bool(active))

    def on_reader_state(self, state: str, detail: str = "") -> None:
        self._notify("on_reader_state", state)

    # outbox -> desk (outbox threads)
    def on_outbox_changed(self, counts: dict[str, int]) -> None:
        self._notify("on_outbox_changed", counts)

    def on_case_sent(self, local_id: str, central_id: str) -> None:
        self._notify("on_case_sent", local_id, central_id)

    def on_case_rejected(self, local_id: str, reason: str) -> None:
        self._notify("on_case_rejected", local_id, reason)

    def on_network_state(self, online: bool) -> None:
        self._set_online(online)

    # --- grace period ----------------------------------------------------------------------

    def _start_grace(self, seconds: float) -> None:
        with self._lock:
            if self._grace is not None:
                return
            timer = threading.Timer(seconds, self._end_citizen, args=("card_removed",))
            timer.name = "desk-grace"
            self._grace = timer
            # Started under the lock, so _cancel_grace never joins a timer not yet started.
            timer.start()

    def _cancel_grace(self) -> None:
        with self._lock:
            timer, self._grace = self._grace, None
        if timer is not None:
            timer.cancel()
            if timer is not threading.current_thread():
                timer.join()

    def _end_citizen(self, reason: str) -> None:
        with self._lock:
            citizen, self._citizen = self._citizen, None
            if threading.current_thread() is self._grace:
                self._grace = None
        if citizen is None:
            return
        self._cancel_face_check()
        citizen.clear()
        if self.face_worker is not None:
            self.face_worker.clear_references()
        log.info("citizen session ended (%s)", reason)
        self._notify("on_citizen_ended", reason)

    # --- staff -----------------------------------------------------------------------------

    def sign_in(self, username: str, password: str) -> Future:
        """Sign a staff member in; Future[StaffSession].

        Online at central; when central is unreachable, offline against the verifier this desk
        derived at the staff member's last online sign-in here (``mode`` "offline"). See
        desktop.auth. Errors: DeskError ``sign_in_failed`` (``fields.failures``),
        ``account_locked`` (``fields.retry_after``), ``central_unavailable`` (and no offline
        sign-in possible), ``offline_expired``, ``central_error``.
        """

        def job() -> StaffSession:
            result = self.guard.sign_in(username, password)
            staff = StaffSession(
                username=result.username,
                name=result.name,
                roles=tuple(result.roles),
                hall_id=result.hall_id,
                mode=result.mode,
                second_factor=self.guard.pending_factor(),
            )
            with self._lock:
                previous = self._staff
                self._staff, self._token = staff, result.token
            if previous is not None:
                # Another staff member takes over: nothing of the previous session stays.
                self._end_citizen("signed_out")
                self.guard.session_ended(previous, "replaced")
            self.guard.session_started(staff, result)
            log.info("staff %s signed in (%s)", staff.username, staff.mode)
            return staff

        return self._run(job)

    def sign_out(self, reason: str = "signed_out") -> None:
        """Forget the staff session and end the citizen session; nothing of either stays."""
        self._cancel_grace()
        self._end_citizen("signed_out")
        with self._lock:
            staff = self._staff
            self._staff, self._token = None, None
        self.guard.session_ended(staff, reason)
        if staff is not None:
            self._notify("on_signed_out", reason)

    def lock(self) -> None:
        """Lock the screen now; every action is refused until :meth:`unlock`."""
        self.guard.lock("manual")

    def touch(self) -> None:
        """The staff member used the desk: restart the idle time (the UI calls it on input)."""
        self.guard.touch()

    @property
    def locked(self) -> str | None:
        """Why the screen is locked (``idle``, ``manual``), or None."""
        return self.guard.locked

    def unlock(self, password: str) -> Future:
        """Unlock the screen with the signed-in staff member's password; Future[StaffSession].

        Checked like a sign-in (online, else offline; failures count towards the lockout, and a
        lockout signs the staff member out). Errors as :meth:`sign_in`, and ``not_signed_in``.
        """

        def job() -> StaffSession:
            with self._lock:
                staff = self._staff
            if staff is None:
                raise DeskError("not_signed_in", "no staff member is signed in")
            try:
                result = self.guard.unlock(staff, password)
            except DeskError as exc:
                if exc.code == "account_locked":
                    self.sign_out("locked_out")
                raise
            renewed = StaffSession(
                username=staff.username,
                name=result.name,
                roles=tuple(result.roles),
                hall_id=result.hall_id,
                mode=result.mode,
                second_factor=staff.second_factor,
            )
            with self._lock:
                if self._staff is staff:
                    self._staff = renewed
                    self._token = result.token
            return renewed

        return self._run(job)

    # --- the staff member's second factor (SecurityPolicy.second_factor) -------------------

    def _pending_factor(self, factor: str) -> StaffSession:
        with self._lock:
            staff = self._staff
        if staff is None:
            raise DeskError("not_signed_in", "no staff member is signed in")
        self.guard.check_active(staff)
        if staff.second_factor != factor:
            raise DeskError("second_factor_not_pending", f"no {factor} check is due")
        return staff

    def _factor_passed(self, staff: StaffSession, factor: str) -> StaffSession:
        passed = StaffSession(
            username=staff.username,
            name=staff.name,
            roles=staff.roles,
            hall_id=staff.hall_id,
            mode=staff.mode,
        )
        with self._lock:
            if self._staff is not staff:
                raise DeskError("session_ended", "the staff session changed meanwhile")
            self._staff = passed
        self.guard.record("second_factor", actor=staff.username, factor=factor, outcome="ok")
        log.info("staff %s passed the second factor (%s)", staff.username, factor)
        return passed

    def verify_staff_card(self, pin: str) -> Future:
        """Second factor ``card_pin``: the staff member's own card in the reader and its PIN.

        Future[StaffSession] without a pending factor. Errors: ``staff_card_mismatch`` (not the
        card central has on file for the staff member), ``staff_pin_wrong`` (``fields``:
        ``tries_left``), ``pin_blocked``, ``no_card``, ``second_factor_unavailable`` (no card
        on file), ``second_factor_not_pending``. The PIN goes to the card only.
        """

        def job() -> StaffSession:
            staff = self._pending_factor("card_pin")
            expected = self.guard.staff_card_no
            if not expected:
                raise DeskError("second_factor_unavailable", "no staff card on file")
            try:
                record = self.card_service.read_card().result(CARD_TIMEOUT)
            except Exception as exc:
                raise _card_error(exc) from exc
            if record.card_no != expected:
                self.guard.record(
                    "second_factor", actor=staff.username, factor="card_pin", outcome="other_card"
                )
                raise DeskError("staff_card_mismatch", "this is not the staff member's card")
            try:
                result = self.card_service.verify_pin(pin).result(CARD_TIMEOUT)
            except Exception as exc:
                raise _card_error(exc) from exc
            if result.status != "ok":
                self.guard.record(
                    "second_factor", actor=staff.username, factor="card_pin", outcome=result.status
                )
                code = {"wrong": "staff_pin_wrong", "blocked": "pin_blocked"}.get(
                    result.status, "no_card"
                )
                raise DeskError(
                    code, "the card PIN was not accepted", fields={"tries_left": result.tries_left}
                )
            return self._factor_passed(staff, "card_pin")

        return self._run(job)

    def verify_staff_face(self, probe_image: bytes) -> Future:
        """Second factor ``face``: the staff member's live face against their reference photo
        at central, through the same face worker as citizens; Future[StaffSession].

        Needs central (the photo stays there): ``second_factor_unavailable`` offline or without
        a face worker; ``staff_face_mismatch`` when the face does not match.
        """

        def job() -> StaffSession:
            staff = self._pending_factor("face")
            with self._lock:
                token = self._token
            if token is None or self.face_worker is None:
                raise DeskError("second_factor_unavailable", "the face check needs central")
            try:
                reference = self.client.staff_face_reference(token, staff.username)
            except CentralError as exc:
                raise DeskError("second_factor_unavailable", exc.code) from exc
            try:
                result = self.face_worker.submit(reference, probe_image).result(FACE_TIMEOUT)
            except Exception as exc:
                raise DeskError("face_unavailable", type(exc).__name__) from exc
            finally:
                self.face_worker.clear_references()
            if result.match is not True:
                self.guard.record(
                    "second_factor",
                    actor=staff.username,
                    factor="face",
                    outcome="no_match" if result.match is False else result.quality,
                    distance=None if result.distance is None else round(float(result.distance), 4),
                )
                raise DeskError("staff_face_mismatch", "the face does not match the staff member")
            return self._factor_passed(staff, "face")

        return self._run(job)

    @property
    def staff(self) -> StaffSession | None:
        """The signed-in staff member, if any."""
        return self._staff

    def dashboard(self, **options: Any) -> Any:
        """The hall dashboard's client (desktop.dashboard) for the signed-in supervisor.

        Raises DeskError ``not_signed_in``, or ``forbidden`` without a supervisor or admin role.
        The client keeps no token of its own: it asks the desk, and gets None after sign-out.
        """
        from desktop.dashboard import DashboardClient

        staff, _token = self._require_staff()

        def token() -> str | None:
            with self._lock:
                return self._token if self._staff is staff else None

        return DashboardClient(self.client, staff.roles, token=token, **options)

    def _require_staff(self) -> tuple[StaffSession, str | None]:
        """The signed-in staff member and token (None when signed in offline).

        Refuses when nobody is signed in and while the screen is locked or idle too long.
        """
        with self._lock:
            if self._staff is None:
                raise DeskError("not_signed_in", "no staff member is signed in")
            staff, token = self._staff, self._token
        self.guard.check_active(staff)
        self.guard.check_second_factor(staff)
        return staff, token

    def _allowed(self, permission: str) -> tuple[StaffSession, str | None]:
        """:meth:`_require_staff`, and the staff member's roles must carry ``permission``."""
        staff, token = self._require_staff()
        self.guard.authorize(staff, permission)
        return staff, token

    def _central(self, call: Callable[[str], Any]) -> Any:
        """Run a staff call; map auth and availability errors to DeskError."""
        _, token = self._require_staff()
        if token is None:
            # Signed in offline: central is treated as unreachable until the next sign-in.
            raise CentralUnavailableError("signed_in_offline", "signed in offline")
        try:
            result = call(token)
        except CentralAuthError as exc:
            self._set_online(True)
            raise DeskError("session_expired", "sign in again") from exc
        except CentralUnavailableError:
            self._set_online(False)
            raise
        self._set_online(True)
        return result

    # --- catalog ---------------------------------------------------------------------------

    def services(self) -> Future:
        """Future[list[Service]] from central (cached, see desktop.catalog)."""

        def job() -> list[Service]:
            with self._lock:
                token = self._token
            try:
                services = self.catalog.load(token)
            except CentralAuthError as exc:
                raise DeskError("session_expired", "sign in again") from exc
            except CentralError as exc:
                raise DeskError("central_unavailable", exc.code) from exc
            return services

        return self._run(job)

    # --- the citizen -----------------------------------------------------------------------

    def begin_citizen(self) -> Future:
        """Read the card now in the reader and look it up at central; Future[CitizenSession].

        Offline: the session is marked offline with no person_ref. A lost, cancelled or
        replaced card fails with DeskError ``card_lost`` / ``card_cancelled`` /
        ``card_replaced``; a card central does not know with ``person_not_found``.
        """

        def job() -> CitizenSession:
            self._allowed("serve_citizen")
            self._end_citizen("new_citizen")
            try:
                record = self.card_service.read_card().result(CARD_TIMEOUT)
            except Exception as exc:
                raise _card_error(exc) from exc
            self.guard.record("card_read", trigger="serve", generation=record.generation)
            self.guard.count_lookup()
            if not record.ssn:
                raise DeskError("card_error", "the card's ID number is not readable")
            warnings = list(record.warnings)
            lookup = None
            offline = False
            try:
                lookup = self._central(
                    lambda token: self.client.lookup_person(token, record.ssn, record.card_no)
                )
            except CentralUnavailableError:
                offline = True
                warnings.append("identity_offline")
                log.warning("central unreachable: identity is checked offline")
            except CentralRejectedError as exc:
                if exc.status == 404:
                    self.guard.record("citizen_lookup", outcome="person_not_found")
                    raise DeskError("person_not_found", exc.code) from exc
                raise DeskError("central_error", exc.code) from exc
            except CentralError as exc:
                raise DeskError("central_error", exc.code) from exc
            self.guard.record(
                "citizen_lookup",
                person_ref=lookup.person_ref if lookup else None,
                outcome=lookup.card_status if lookup else "offline",
                offline=offline,
            )

            mismatches: list[Mismatch] = []
            if lookup is not None:
                refusal = REFUSED_CARD_STATUSES.get(lookup.card_status)
                if refusal:
                    log.info("card refused: status %s", lookup.card_status)
                    raise DeskError(refusal, f"the card is {lookup.card_status}")
                if (record.name or "").strip() != lookup.name.strip():
                    mismatches.append(Mismatch("name", record.name, lookup.name))
                    warnings.append("name_mismatch")
                if record.birth_date != lookup.birth_date:
                    mismatches.append(
                        Mismatch(
                            "birth_date",
                            record.birth_date.isoformat() if record.birth_date else None,
                            lookup.birth_date.isoformat(),
                        )
                    )
                    warnings.append("birth_date_mismatch")
            session = CitizenSession(
                record=record,
                lookup=lookup,
                offline=offline,
                card_status=lookup.card_status if lookup else None,
                warnings=tuple(dict.fromkeys(warnings)),
                mismatches=tuple(mismatches),
            )
            with self._lock:
                self._citizen = session
            log.info("citizen session begun (offline=%s, warnings=%s)", offline, session.warnings)
            return session

        return self._run(job)

    @property
    def citizen(self) -> CitizenSession | None:
        """The current citizen session, if any."""
        return self._citizen

    def _require_citizen(self, session: CitizenSession) -> CitizenSession:
        with self._lock:
            if session is None or session is not self._citizen or session.ended:
                raise DeskError("session_ended", "this citizen session has ended")
            return session

    def end_citizen(self) -> None:
        """End the citizen session and drop its personal data."""
        self._cancel_grace()
        self._end_citizen("ended")

    def pin_tries_left(self) -> Future:
        """Future[int | None]: the PIN tries left on the card (None when it cannot say)."""
        try:
            self._allowed("serve_citizen")
        except DeskError as exc:
            failed: Future = Future()
            failed.set_exception(exc)
            return failed
        return _chain(self.card_service.pin_tries_left(), lambda n: n, _card_error)

    def _check_card_citizen(self, session: CitizenSession, *, prompt: bool = True) -> None:
        """The session is current, came from the card now in the reader, and (``prompt``) its
        PIN may be asked for: DeskError ``pin_not_applicable`` (e-card), ``pin_blocked``,
        ``no_card``, ``card_changed``."""
        self._allowed("serve_citizen")
        self._require_citizen(session)
        if session.is_ecard:
            raise DeskError("pin_not_applicable", "the citizen showed the e-card")
        if prompt and session.pin_blocked:
            # Never prompt for a blocked PIN: the PIN-reset service is the way on.
            raise DeskError("pin_blocked", "the card's PIN is blocked")
        current = self.card_service.current_record
        if current is None:
            raise DeskError("no_card", "no card in the reader")
        if current.identity != session.record.identity:
            raise DeskError("card_changed", "the card is not the citizen's")

    @staticmethod
    def _failed(exc: BaseException) -> Future:
        failed: Future = Future()
        failed.set_exception(exc)
        return failed

    def _pin_recorder(self, session: CitizenSession, method: str) -> Callable[[Any], Any]:
        """What a PIN answer does to the session and the audit trail (never the PIN)."""
        person_ref = session.person_ref

        def record(result: Any) -> Any:
            if not session.ended:
                if result.status != "card_removed" or session.pin_status != "ok":
                    session.pin_status = result.status
                if result.status == "blocked":
                    session.pin_blocked = True
            log.info("PIN %s: %s (tries left %s)", method, result.status, result.tries_left)
            self.guard.record(
                "pin_result",
                person_ref=person_ref,
                result=result.status,
                tries_left=result.tries_left,
                method=method,
            )
            return result

        return record

    def pin_state(self, session: CitizenSession) -> Future:
        """What the PIN prompt needs, asked of the card before it is shown;
        Future[desktop.card_service.PinState] (tries left or None = unknown, blocked, pinpad).

        A blocked PIN is remembered in the session: :meth:`verify_pin` then refuses
        (``pin_blocked``) and the citizen goes to the PIN-reset service. Errors as
        :meth:`verify_pin`, and ``card_error`` (``card_code`` ``app_locked``).
        """
        try:
            self._check_card_citizen(session, prompt=False)
        except DeskError as exc:
            return self._failed(exc)

        def note(state: Any) -> Any:
            if state.blocked and not session.ended:
                session.pin_blocked = True
                session.pin_status = "blocked"
            log.info("PIN state: tries %s, blocked %s, pinpad %s",
                     state.tries_left, state.blocked, state.pinpad)  # fmt: skip
            return state

        return _chain(self.card_service.pin_state(), note, _card_error)

    def verify_pin(self, session: CitizenSession, pin: str) -> Future:
        """VERIFY the PIN on the card; Future[PinResult]. The PIN is not kept anywhere.

        Refused before the card is asked: ``pin_not_applicable`` (e-card), ``pin_blocked``
        (known from :meth:`pin_state`), ``no_card``, ``card_changed``. A card pulled during
        VERIFY gives ``PinResult("card_removed")``: no try counted, nothing resent.
        """
        try:
            self._check_card_citizen(session)
        except DeskError as exc:
            return self._failed(exc)
        return _chain(
            self.card_service.verify_pin(pin), self._pin_recorder(session, "keypad"), _card_error
        )

    def verify_pin_on_pinpad(self, session: CitizenSession, timeout: int | None = None) -> Future:
        """VERIFY with the PIN keyed on the reader's own keypad (PC/SC part 10);
        Future[PinResult]. Listeners hear ``on_pinpad_prompt(True)`` while the reader waits.

        Errors as :meth:`verify_pin`, and ``card_error`` with ``card_code``
        ``pinpad_timeout``, ``pinpad_cancelled``, ``pinpad_bad_length``, ``no_pinpad``.
        """
        from desktop.card_service import PINPAD_TIMEOUT

        try:
            self._check_card_citizen(session)
        except DeskError as exc:
            return self._failed(exc)
        return _chain(
            self.card_service.verify_pin_on_pinpad(timeout or PINPAD_TIMEOUT),
            self._pin_recorder(session, "pinpad"),
            _card_error,
        )

    def change_pin(self, session: CitizenSession, old_pin: str, new_pin: str) -> Future:
        """CHANGE PIN on the citizen's card (old PIN, new PIN); Future[PinResult].

        ``ok``: the new PIN is set (and the old one was right, which counts as a verified PIN);
        ``wrong``/``blocked``: the old PIN was wrong, with the tries left. Neither PIN is kept
        or logged. Errors as :meth:`verify_pin`, and ``pin_format`` (4 to 12 digits) as
        ``card_error``.
        """
        try:
            self._check_card_citizen(session)
        except DeskError as exc:
            return self._failed(exc)
        return _chain(
            self.card_service.change_pin(old_pin, new_pin),
            self._pin_recorder(session, "change"),
            _card_error,
        )

    def choose_reader(self, reader: str | None) -> Future:
        """The clerk's pick among readers that each hold a social security card
        (``on_multiple_cards``); Future[CardRecord]. The card is then read as if inserted."""
        try:
            self._allowed("serve_citizen")
        except DeskError as exc:
            return self._failed(exc)
        log.info("reader chosen by the clerk")
        return _chain(self.card_service.choose_reader(reader), lambda record: record, _card_error)

    def begin_ecard(self, payload: Any) -> Future:
        """Serve the citizen who showed the electronic card; Future[CitizenSession].

        ``payload`` is a desktop.ecard.EcardPayload: sent to central (``POST /v1/ecard/verify``)
        and nowhere else. Central's answer takes the place of the card read and the lookup; the
        session has no PIN (``pin_not_applicable``) and the face check is as the service needs.
        Errors: ``ecard_rejected`` (``fields.reason``: central's code), ``ecard_needs_central``
        (offline: the e-card cannot be checked at the desk), ``card_lost`` /
        ``card_cancelled`` / ``card_replaced``, ``central_error``.
        """
        from desktop.ecard import EcardError, verify_ecard

        def job() -> CitizenSession:
            self._allowed("serve_citizen")
            self._end_citizen("new_citizen")
            self.guard.count_lookup()
            try:
                person = self._central(lambda token: verify_ecard(self.client, token, payload))
            except EcardError as exc:
                self.guard.record("citizen_lookup", outcome="ecard_rejected", source="ecard")
                raise DeskError(
                    "ecard_rejected", exc.code, fields={"reason": exc.reason or exc.code}
                ) from exc
            except CentralUnavailableError as exc:
                raise DeskError("ecard_needs_central", exc.code) from exc
            except CentralError as exc:
                raise DeskError("central_error", exc.code) from exc
            self.guard.record(
                "citizen_lookup",
                person_ref=person.person_ref,
                outcome=person.card_status,
                offline=False,
                source="ecard",
            )
            refusal = REFUSED_CARD_STATUSES.get(person.card_status)
            if refusal:
                log.info("e-card refused: status %s", person.card_status)
                raise DeskError(refusal, f"the card is {person.card_status}")
            lookup = PersonLookupResponse(
                person_ref=person.person_ref,
                name=person.name,
                birth_date=person.birth_date,
                card_status=person.card_status,
            )
            session = CitizenSession(
                record=ecard_record(person),
                lookup=lookup,
                offline=False,
                card_status=person.card_status,
                source="ecard",
            )
            with self._lock:
                self._citizen = session
            log.info("citizen session begun from an e-card")
            return session

        return self._run(job)

    def check_face(self, session: CitizenSession, probe_image: bytes) -> Future:
        """Compare a live probe with the reference photo from central; Future[FaceResult].

        The reference is fetched once per citizen. The session records only the decision,
        the distance and the threshold. Fails with DeskError ``face_unavailable`` (and
        records decision "unavailable") when there is no reference (offline, or central has
        no usable photo) or no face worker.
        """

        def job() -> Any:
            self._allowed("serve_citizen")
            self._require_citizen(session)
            if self.face_worker is None:
                session.face = FaceCheck(decision="unavailable")
                raise DeskError("face_unavailable", "no face worker on this desk")
            if session._reference is None:
                if session.person_ref is None:
                    session.face = FaceCheck(decision="unavailable")
                    raise DeskError("face_unavailable", "no reference photo offline")
                try:
                    ref = self._central(
                        lambda token: self.client.face_reference(token, session.person_ref)
                    )
                except CentralError as exc:
                    session.face = FaceCheck(decision="unavailable")
                    raise DeskError("face_unavailable", exc.code) from exc
                session._reference = ref
            try:
                result = self.face_worker.submit(session._reference, probe_image).result(
                    FACE_TIMEOUT
                )
            except Exception as exc:
                session.face = FaceCheck(decision="unavailable")
                raise DeskError("face_unavailable", type(exc).__name__) from exc
            self._require_citizen(session)
            if result.quality.startswith("reference_"):
                session.face = FaceCheck(decision="unavailable", threshold=result.threshold)
            elif result.match is not None:
                session.face = FaceCheck(
                    decision="match" if result.match else "no_match",
                    distance=round(float(result.distance), 4),
                    threshold=float(result.threshold),
                )
            log.info("face check: quality %s, match %s", result.quality, result.match)
            face = session.face
            self.guard.record(
                "face_decision",
                person_ref=session.person_ref,
                decision=face.decision if face else "none",
                distance=face.distance if face else None,
                threshold=face.threshold if face else None,
                quality=result.quality,
            )
            return result

        return self._run(job)

    def consent_face(self, session: CitizenSession) -> None:
        """The citizen agreed to the face check; recorded before any picture is taken."""
        self._allowed("serve_citizen")
        self._require_citizen(session)
        session.face_consent = True
        # Recorded as a face_decision stage (the audit log has no action of its own for it).
        self.guard.record("face_decision", person_ref=session.person_ref, consent="given")

    def start_face_check(
        self,
        session: CitizenSession,
        *,
        listener: Any | None = None,
        challenge: str | None = None,
        time_limit_s: float | None = None,
        camera_wait_s: float | None = None,
    ) -> Any:
        """Start the live face check for ``session``; returns a desktop.face_check.LiveFaceCheck.

        Needs :meth:`consent_face` first. Returns at once: the reference photo is fetched, the
        camera opened and the challenge judged off the caller's thread; ``check.result`` is a
        Future[FaceOutcome] (decision, distance, threshold, liveness, reason) and the session
        records the decision. ``listener`` hears the status, the frames (for a preview) and the
        prompts (desktop.face_check.FaceCheckListener). A check already running is cancelled.
        """
        from desktop import face_check

        check = face_check.LiveFaceCheck(
            self,
            session,
            camera_factory=self.camera_factory,
            listener=listener,
            challenge=challenge,
            liveness=self.face_liveness,
            time_limit_s=time_limit_s or face_check.CHALLENGE_TIME_S,
            camera_wait_s=camera_wait_s or face_check.CAMERA_WAIT_S,
        )
        with self._lock:
            previous, self._face_check = self._face_check, check
        if previous is not None:
            previous.cancel()
        future = self._run(check._begin)
        if future.done() and future.exception() is not None:
            check._fail(future.exception())
        return check

    def _face_check_ended(self, check: Any) -> None:
        with self._lock:
            if self._face_check is check:
                self._face_check = None

    def _cancel_face_check(self, *, wait: bool = False) -> None:
        with self._lock:
            check, self._face_check = self._face_check, None
        if check is not None:
            check.cancel(wait=wait)

    def decline_face(self, session: CitizenSession) -> None:
        """The citizen declined the face check (the service's alternative applies)."""
        self._allowed("serve_citizen")
        self._require_citizen(session)
        self._cancel_face_check()
        session.face = FaceCheck(decision="declined")
        self.guard.record("face_decision", person_ref=session.person_ref, decision="declined")

    def cosign(
        self,
        username: str,
        password: str,
        reason: str | None = None,
        *,
        reason_code: str | None = None,
    ) -> Future:
        """A supervisor co-signs at this desk, online or offline; Future[CoSign].

        The supervisor's password is checked like a sign-in (at central, else against this
        desk's offline verifier); the co-signer must hold the supervisor role and must not be
        the staff member signed in here, who makes the case. ``reason_code`` picks one of the
        hall's templates (:meth:`cosign_reasons`); else ``reason`` is typed. The CoSign is
        accepted by :meth:`submit` for the current citizen only. Errors: ``sign_in_failed``,
        ``account_locked``, ``cosign_not_supervisor``, ``cosign_self``, ``reason_required``,
        ``unknown_reason``, ``central_unavailable``, ``offline_expired``.
        """

        def job() -> CoSign:
            staff, _ = self._allowed("serve_citizen")
            return self.guard.cosign(staff, self._citizen, username, password, reason, reason_code)

        return self._run(job)

    def cosign_reasons(self) -> tuple[Any, ...]:
        """The hall's co-sign reason templates (desktop.auth.CosignReason: code, zh_CN, en)."""
        return self.guard.policy.cosign_reasons

    def submit(
        self,
        session: CitizenSession,
        service_code: str,
        form: dict[str, Any],
        *,
        cosign: CoSign | None = None,
        defer_approval: bool = False,
    ) -> Future:
        """Queue a case for the citizen; Future[QueuedCase], resolved after the commit.

        Checks, in order: the staff member may submit cases (``forbidden``), the session is
        current, the service exists, the form is valid (``form_invalid`` with ``fields``), the
        service's factors are satisfied (``pin_required``/``face_required``), the approvals it
        needs are co-signed (``cosign_required``, unless ``defer_approval``: then the case goes
        to the hall's approval inbox at central), a co-signature was made at this desk for this
        citizen by someone else (``cosign_unverified``, ``cosign_self``), and the card in the
        reader is still the citizen's (``card_changed``, re-read just before the commit).
        """

        def job() -> QueuedCase:
            staff, _ = self._allowed("submit_case")
            self._require_citizen(session)
            freeze = self.outbox.freeze_state()
            if freeze.frozen:
                raise _frozen_error(freeze)
            service = self.catalog.get(service_code)
            if service is None:
                raise DeskError("unknown_service", f"no service {service_code!r}")
            problems = form_problems(service, form)
            if problems:
                raise DeskError("form_invalid", "the form has errors", fields=problems)
            if "face" in service.factors and session.face is None:
                # Not attempted is not "unavailable": the clerk must check or record a decline.
                raise DeskError(
                    "face_required",
                    "no face check yet",
                    fields={"identity.face.decision": "face_required"},
                )
            identity = session.identity_check(service)
            factor_problems = service.factor_problems(identity)
            if factor_problems:
                code = next(iter(factor_problems.values()))
                raise DeskError(code, "identity factors missing", fields=factor_problems)
            needed = service.approvals_needed(identity, form)
            if needed and cosign is None and not defer_approval:
                raise DeskError(
                    "cosign_required",
                    "a supervisor must co-sign",
                    fields={"approvals": ",".join(needed)},
                )
            if cosign is not None:
                self.guard.check_cosign(cosign, session, staff)

            record = session.record
            if session.is_ecard:
                # No card in the reader to re-read; central named the card the e-card stands for.
                if record is None or not record.ssn or not record.card_no:
                    raise DeskError("ecard_incomplete", "central gave no card data for the e-card")
            else:
                # The card may have been swapped faster than the reader's poll (design 4.6).
                try:
                    card_identity = self.card_service.reread_identity().result(CARD_TIMEOUT)
                except Exception as exc:
                    raise _card_error(exc) from exc
                if record is None or tuple(card_identity) != record.identity:
                    raise DeskError("card_changed", "the card in the reader is not the citizen's")

            case = CaseSubmission(
                local_id="unassigned",
                service=service.code,
                hall_id=self.settings.hall_id,
                workstation_id=self.settings.workstation_id,
                clerk=staff.username,
                created_at=datetime.now(UTC),
                citizen=CitizenRef(
                    person_ref=session.person_ref, ssn=record.ssn, card_no=record.card_no
                ),
                identity=identity,
                form=form,
                cosign=cosign,
            )
            try:
                queued = self.outbox.enqueue(case).result()
            except OutboxFrozenError as exc:
                raise _frozen_error(exc.state) from exc
            except OutboxError as exc:
                raise DeskError("outbox_error", exc.code) from exc
            if cosign is not None:
                self.guard.consume_cosign(cosign)
            self.guard.count_case()
            self.guard.record(
                "case_queued",
                person_ref=session.person_ref,
                local_id=queued.local_id,
                service=service.code,
                approvals=needed,
                cosigned_by=cosign.supervisor if cosign else None,
                inbox=bool(needed) and cosign is None,
                offline=identity.offline,
            )
            return queued

        return self._run(job)

    # --- the outbox: rejected cases ----------------------------------------------------------

    def send_now(self) -> None:
        """Send the queued cases now, without waiting for the backoff."""
        self.outbox.send_now()

    def resubmit_case(
        self,
        local_id: str,
        form: dict[str, Any],
        *,
        cosign: CoSign | None = None,
    ) -> Future:
        """Queue a corrected version of a rejected case; Future[QueuedCase].

        The form is checked against the catalog first (``form_invalid`` with ``fields``);
        ``cosign`` (a supervisor's co-signature from :meth:`cosign`) is added when given.
        Errors: ``not_signed_in``, ``unknown_service``, ``form_invalid``, ``not_correctable``,
        ``outbox_error``.
        """

        def job() -> QueuedCase:
            staff, _ = self._allowed("correct_case")
            try:
                case = self.outbox.open_case(local_id).result()
            except OutboxError as exc:
                raise DeskError("not_correctable", exc.code) from exc
            if cosign is not None:
                self.guard.check_cosign(cosign, None, staff)
                if cosign.supervisor == case.clerk:
                    raise DeskError("cosign_self", "a supervisor cannot co-sign their own case")
            service = self.catalog.get(case.service)
            if service is None:
                raise DeskError("unknown_service", f"no service {case.service!r}")
            problems = form_problems(service, form)
            if problems:
                raise DeskError("form_invalid", "the form has errors", fields=problems)
            changes: dict[str, Any] = {"form": form, "by": staff.username}
            if cosign is not None:
                changes["cosign"] = cosign
            try:
                queued = self.outbox.resubmit(local_id, **changes).result()
            except OutboxError as exc:
                code = exc.code if exc.code == "not_correctable" else "outbox_error"
                raise DeskError(code, exc.code) from exc
            if cosign is not None:
                self.guard.consume_cosign(cosign)
            self.guard.record(
                "case_resubmitted",
                person_ref=case.citizen.person_ref,
                local_id=queued.local_id,
                supersedes=local_id,
                cosigned_by=cosign.supervisor if cosign else None,
            )
            return queued

        return self._run(job)

    def withdraw_case(self, local_id: str, reason: str, note: str | None = None) -> Future:
        """Withdraw a pending or rejected case with a reason code; Future[bool].

        ``reason`` is one of ``desktop.outbox.WITHDRAW_REASONS``; ``note`` is kept sealed.
        """

        def job() -> bool:
            staff, _ = self._allowed("withdraw_case")
            try:
                done = self.outbox.withdraw(local_id, reason, note=note, by=staff.username).result()
            except OutboxError as exc:
                raise DeskError("outbox_error", exc.code) from exc
            self.guard.record("case_withdrawn", local_id=local_id, reason=reason)
            return done

        return self._run(job)

    # --- approvals, alerts, audit (desktop.approvals, desktop.auth) ---------------------------

    def approvals(self) -> Future:
        """The hall's approval inbox at central; Future[ApprovalInbox] (supervisor or admin).

        Errors: ``forbidden``, ``central_unavailable`` (also when signed in offline),
        ``session_expired``.
        """
        from desktop.approvals import fetch_inbox

        def job() -> Any:
            self._allowed("view_approvals")
            try:
                inbox = self._central(
                    lambda token: fetch_inbox(self.client, token, self.settings.hall_id)
                )
            except CentralError as exc:
                raise DeskError("central_unavailable", exc.code) from exc
            self.guard.remember_inbox(inbox)
            return inbox

        return self._run(job)

    def decide_approval(
        self,
        case_id: str,
        stage: int,
        decision: str,
        *,
        reason: str | None = None,
        reason_code: str | None = None,
    ) -> Future:
        """Decide one approval stage of a case in the hall's inbox; Future[ApprovalResult].

        ``decision`` is ``approved`` or ``rejected``. Refused here already for a staff member
        without an approver role (``forbidden``) and for the clerk who made the case
        (``self_approval``, when the inbox listed it); central decides the rest: the first
        decision wins (``approval_decided``), stages go in order (``approval_out_of_order``),
        ``role_required``, ``approver_repeated``. ``central_unavailable`` offline.
        """
        from desktop.approvals import decision_error, post_decision
        from desktop.contract import ApprovalDecisionRequest

        def job() -> Any:
            staff, _ = self._allowed("decide_approval")
            if reason_code is not None and self.guard.policy.cosign_reason(reason_code) is None:
                raise DeskError("unknown_reason", f"no reason template {reason_code!r}")
            text = reason
            if text is None and reason_code is not None:
                template = self.guard.policy.cosign_reason(reason_code)
                text = template.text(self.settings.language) if template else None
            body = ApprovalDecisionRequest(
                stage=stage, decision=decision, reason=text, reason_code=reason_code
            )
            item = self.guard.inbox_item(case_id, stage)
            if item is not None and item.clerk == staff.username:
                self.guard.record(
                    "approval_refused", case_id=case_id, stage=stage, code="self_approval"
                )
                raise DeskError("self_approval", "nobody approves a case they made")
            try:
                result = self._central(
                    lambda token: post_decision(self.client, token, case_id, body)
                )
            except CentralRejectedError as exc:
                error = decision_error(exc)
                self.guard.record("approval_refused", case_id=case_id, stage=stage, code=error.code)
                raise error from exc
            except CentralError as exc:
                raise DeskError("central_unavailable", exc.code) from exc
            self.guard.record(
                "approval_decided",
                case_id=case_id,
                stage=stage,
                decision=decision,
                reason=reason_code or ("typed" if reason else None),
                status=result.status,
            )
            if not self.guard.policy.opening_hours.is_open(datetime.now(UTC)):
                self.guard.alert(
                    "approval_outside_hours",
                    subject=staff.username,
                    where="inbox",
                    case_id=case_id,
                    central_raises=True,
                )
            return result

        return self._run(job)

    def watch_approvals(self) -> None:
        """Keep the inbox fresh: listeners get ``on_approvals_changed(inbox)`` as approvals
        are asked or decided anywhere in the hall, until sign-out, lock or
        :meth:`stop_watching_approvals`. Supervisor or admin, online."""
        from desktop.approvals import ApprovalWatcher

        staff, token = self._allowed("view_approvals")
        if token is None:
            raise DeskError("central_unavailable", "the inbox needs central")

        def current_token() -> str | None:
            with self._lock:
                return self._token if self._staff is staff else None

        def changed(inbox: Any) -> None:
            self.guard.remember_inbox(inbox)
            self._notify("on_approvals_changed", inbox)

        client = CentralClient.from_settings(self.settings)
        self.guard.watch(ApprovalWatcher(client, current_token, self.settings.hall_id, changed))

    def stop_watching_approvals(self) -> None:
        """Stop keeping the inbox fresh."""
        self.guard.stop_watching()

    def alerts(self, since: int = 0) -> Future:
        """The hall's alerts from central, newest first; Future[AlertList] (supervisor, admin).

        Alerts raised at this desk are also in ``desk.guard.recent_alerts`` and reach the
        listeners' ``on_alert`` as they happen.
        """
        from desktop.approvals import fetch_alerts

        def job() -> Any:
            self._allowed("view_alerts")
            try:
                return self._central(
                    lambda token: fetch_alerts(
                        self.client, token, self.settings.hall_id, since=since
                    )
                )
            except CentralError as exc:
                raise DeskError("central_unavailable", exc.code) from exc

        return self._run(job)

    def unmasked_identity(self, session: CitizenSession) -> dict[str, str | None]:
        """The citizen's full ID number and name (supervisor or admin; audited as
        ``unmasked_view``)."""
        self._allowed("view_unmasked")
        self._require_citizen(session)
        record = session.record
        self.guard.record("unmasked_view", person_ref=session.person_ref, fields=["ssn", "name"])
        return {"ssn": record.ssn, "name": record.name}

    def export_cases(self, path: Any, passphrase: str) -> Future:
        """Export the unsent cases to ``path`` under a passphrase; Future[ExportResult].

        Supervisor or admin; audited as ``cases_exported`` (the count and local ids' number).
        """

        def job() -> Any:
            self._allowed("export_cases")
            try:
                result = self.outbox.export_to(
                    path, passphrase, training=self.settings.training
                ).result()
            except OutboxError as exc:
                raise DeskError("outbox_error", exc.code) from exc
            self.guard.record("cases_exported", count=result.count)
            return result

        return self._run(job)

    def verify_audit(self) -> Future:
        """Verify this desk's audit chain; Future[desktop.audit.VerifyResult] (supervisor, admin).

        A chain that fails raises an ``audit_chain_broken`` alert.
        """

        def job() -> Any:
            self._allowed("verify_audit")
            result = self.guard.audit.verify().result()
            if not result.ok:
                self.guard.alert(
                    "audit_chain_broken",
                    subject=self.settings.workstation_id,
                    problem=result.problem,
                    first_bad=result.first_bad,
                )
            return result

        return self._run(job)


def ecard_record(person: Any) -> Any:
    """The card data an e-card stands for, as a CardRecord (reader ``e-card``): name, ID number,
    card number and birth date from central; nothing else is known."""
    from devices.card.record import CardRecord

    return CardRecord(
        reader=ECARD_READER,
        atr="",
        generation=0,
        card_id_code=ECARD_READER,
        card_type=None,
        version="",
        init_org=None,
        issue_date=None,
        expiry_date=None,
        card_no=person.card_no or "",
        ssn=person.ssn,
        name=person.name,
        sex=None,
        ethnicity=None,
        birthplace=None,
        birth_date=person.birth_date,
    )


def _frozen_error(state: Any) -> DeskError:
    """DeskError ``outbox_frozen`` with what the clerk's message needs (see FreezeState)."""
    fields = {k: v for k, v in state.to_json().items() if k != "frozen"}
    return DeskError("outbox_frozen", state.message(), fields=fields)
