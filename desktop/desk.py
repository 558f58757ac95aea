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
from desktop.outbox import OutboxService, QueuedCase
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


@dataclass(frozen=True)
class StaffSession:
    """The signed-in staff member (the bearer token stays inside the desk)."""

    username: str
    name: str
    roles: tuple[str, ...]
    hall_id: str

    @property
    def is_supervisor(self) -> bool:
        """True when the staff member may co-sign."""
        return "supervisor" in self.roles


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
    _reference: bytes | None = field(default=None, repr=False)
    ended: bool = False

    @property
    def person_ref(self) -> str | None:
        """Central's opaque reference of the person, None offline."""
        return self.lookup.person_ref if self.lookup else None

    @property
    def pin_ok(self) -> bool:
        """True once VERIFY succeeded for this citizen."""
        return self.pin_status == "ok"

    def identity_check(self, service: Service) -> IdentityCheck:
        """The IdentityCheck a case of ``service`` records."""
        if self.pin_ok:
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
    ):
        self.settings = settings
        self.card_service = card_service
        self.outbox = outbox
        self.client = client
        self.catalog = catalog
        self.face_worker = face_worker
        self.kiosk = kiosk
        self._listeners: list[Any] = []
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.RLock()
        self._staff: StaffSession | None = None
        self._token: str | None = None
        self._citizen: CitizenSession | None = None
        self._grace: threading.Timer | None = None
        self._online: bool | None = None
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
            self.outbox.start()
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
        if citizen is not None:
            citizen.clear()
        self.card_service.stop()
        if self.face_worker is not None:
            self.face_worker.stop()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        self.outbox.stop()
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
        if citizen is not None and citizen.record is not None:
            if record.identity == citizen.record.identity:
                self._cancel_grace()
            else:
                self._end_citizen("card_swapped")
        self._notify("on_card_inserted", record)

    def on_card_removed(self) -> None:
        with self._lock:
            citizen = self._citizen
        if citizen is not None:
            grace = 0.0 if self.kiosk else self.settings.card_grace_seconds
            if grace <= 0:
                self._end_citizen("card_removed")
            else:
                self._start_grace(grace)
        self._notify("on_card_removed")

    def on_card_error(self, error: Any) -> None:
        self._notify("on_card_error", getattr(error, "code", str(error)))

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
        citizen.clear()
        if self.face_worker is not None:
            self.face_worker.clear_references()
        log.info("citizen session ended (%s)", reason)
        self._notify("on_citizen_ended", reason)

    # --- staff -----------------------------------------------------------------------------

    def sign_in(self, username: str, password: str) -> Future:
        """Sign a staff member in at central; Future[StaffSession].

        Errors: DeskError ``sign_in_failed`` (401), ``central_unavailable``, ``central_error``.
        """

        def job() -> StaffSession:
            try:
                answer = self.client.login(username, password, self.settings.workstation_id)
            except CentralAuthError as exc:
                self._set_online(True)
                raise DeskError("sign_in_failed", "central did not accept the sign-in") from exc
            except CentralUnavailableError as exc:
                self._set_online(False)
                raise DeskError("central_unavailable", exc.code) from exc
            except CentralError as exc:
                raise DeskError("central_error", exc.code) from exc
            self._set_online(True)
            staff = StaffSession(
                username=answer.username,
                name=answer.name,
                roles=tuple(answer.roles),
                hall_id=answer.hall_id,
            )
            with self._lock:
                self._staff, self._token = staff, answer.token
            log.info("staff %s signed in", staff.username)
            return staff

        return self._run(job)

    def sign_out(self) -> None:
        """Forget the staff session and end the citizen session."""
        self._cancel_grace()
        self._end_citizen("signed_out")
        with self._lock:
            self._staff, self._token = None, None

    @property
    def staff(self) -> StaffSession | None:
        """The signed-in staff member, if any."""
        return self._staff

    def _require_staff(self) -> tuple[StaffSession, str]:
        with self._lock:
            if self._staff is None or self._token is None:
                raise DeskError("not_signed_in", "no staff member is signed in")
            return self._staff, self._token

    def _central(self, call: Callable[[str], Any]) -> Any:
        """Run a staff call; map auth and availability errors to DeskError."""
        _, token = self._require_staff()
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
            self._require_staff()
            self._end_citizen("new_citizen")
            try:
                record = self.card_service.read_card().result(CARD_TIMEOUT)
            except Exception as exc:
                raise _card_error(exc) from exc
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
                    raise DeskError("person_not_found", exc.code) from exc
                raise DeskError("central_error", exc.code) from exc
            except CentralError as exc:
                raise DeskError("central_error", exc.code) from exc

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
        return _chain(self.card_service.pin_tries_left(), lambda n: n, _card_error)

    def verify_pin(self, session: CitizenSession, pin: str) -> Future:
        """VERIFY the PIN on the card; Future[PinResult]. The PIN is not kept anywhere."""
        try:
            self._require_citizen(session)
            current = self.card_service.current_record
            if current is None:
                raise DeskError("no_card", "no card in the reader")
            if current.identity != session.record.identity:
                raise DeskError("card_changed", "the card is not the citizen's")
        except DeskError as exc:
            failed: Future = Future()
            failed.set_exception(exc)
            return failed

        def record(result: Any) -> Any:
            if not session.ended:
                session.pin_status = result.status
            log.info("PIN result %s (tries left %s)", result.status, result.tries_left)
            return result

        return _chain(self.card_service.verify_pin(pin), record, _card_error)

    def check_face(self, session: CitizenSession, probe_image: bytes) -> Future:
        """Compare a live probe with the reference photo from central; Future[FaceResult].

        The reference is fetched once per citizen. The session records only the decision,
        the distance and the threshold. Fails with DeskError ``face_unavailable`` (and
        records decision "unavailable") when there is no reference (offline, or central has
        no usable photo) or no face worker.
        """

        def job() -> Any:
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
            return result

        return self._run(job)

    def decline_face(self, session: CitizenSession) -> None:
        """The citizen declined the face check (the service's alternative applies)."""
        self._require_citizen(session)
        session.face = FaceCheck(decision="declined")

    def cosign(self, username: str, password: str, reason: str) -> Future:
        """A supervisor co-signs at this desk (online); Future[CoSign].

        Errors: ``sign_in_failed``, ``cosign_not_supervisor``, ``cosign_self`` (a supervisor
        never co-signs their own case), ``central_unavailable``.
        """

        def job() -> CoSign:
            staff, _ = self._require_staff()
            try:
                answer = self.client.login(username, password, self.settings.workstation_id)
            except CentralAuthError as exc:
                raise DeskError("sign_in_failed", "the supervisor's sign-in failed") from exc
            except CentralError as exc:
                raise DeskError("central_unavailable", exc.code) from exc
            if "supervisor" not in answer.roles:
                raise DeskError("cosign_not_supervisor", "the co-signer is not a supervisor")
            if answer.username == staff.username:
                raise DeskError("cosign_self", "a supervisor cannot co-sign their own case")
            return CoSign(supervisor=answer.username, reason=reason, at=datetime.now(UTC))

        return self._run(job)

    def submit(
        self,
        session: CitizenSession,
        service_code: str,
        form: dict[str, Any],
        *,
        cosign: CoSign | None = None,
    ) -> Future:
        """Queue a case for the citizen; Future[QueuedCase], resolved after the commit.

        Checks, in order: the session is current, the service exists, the form is valid
        (``form_invalid`` with ``fields``), the service's factors are satisfied
        (``pin_required``/``face_required``), the approvals it needs are co-signed
        (``cosign_required``), and the card in the reader is still the citizen's
        (``card_changed``, re-read just before the commit).
        """

        def job() -> QueuedCase:
            staff, _ = self._require_staff()
            self._require_citizen(session)
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
            if needed and cosign is None:
                raise DeskError(
                    "cosign_required",
                    "a supervisor must co-sign",
                    fields={"approvals": ",".join(needed)},
                )

            # The card may have been swapped faster than the reader's poll (design 4.6).
            try:
                card_identity = self.card_service.reread_identity().result(CARD_TIMEOUT)
            except Exception as exc:
                raise _card_error(exc) from exc
            record = session.record
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
                return self.outbox.enqueue(case).result()
            except OutboxError as exc:
                raise DeskError("outbox_error", exc.code) from exc

        return self._run(job)
