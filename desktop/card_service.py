"""The card thread: every card reader call of the desk happens here.

:class:`CardService` owns one thread (named "card") and one :class:`CardReader` made by the
reader factory on that thread. It watches for cards (``wait_for_change`` with a short
timeout, interrupted by ``cancel_wait`` when a job arrives or on stop), reads a card as soon as
it is inserted and tells its listeners. Other threads ask for work through methods that return
``concurrent.futures.Future``; nothing here waits for the user.

Real desks break card software in known ways, and this is where each is handled: a card taken
out and put back between two polls (the reader's event counter moved: a new session), a swap
faster than the reader's poll (the identity is read again before VERIFY, before a commit, and
while idle when ``identity_check_interval`` is set), cards that are not social security cards
(ignored with a quiet note), two citizen cards at once (the clerk picks:
:meth:`CardService.choose_reader`), a card pulled during VERIFY (``card_removed``, never a wrong
PIN, never resent), a blocked PIN (:meth:`CardService.pin_state` says so before any prompt),
pinpad readers (:meth:`CardService.verify_pin_on_pinpad`), and a PC/SC service that is down or
has no reader (``on_reader_state``).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from devices.card import health
from devices.card.errors import CardError, CardReaderError, CardRemovedError
from devices.card.keys import KeyService
from devices.card.reader import CardConnection, CardReader
from devices.card.record import CardRecord, PinResult
from devices.card.ssc import encode_pin

log = logging.getLogger(__name__)

T = TypeVar("T")

READER_READY = "ready"
READER_NONE = "no_reader"
READER_PCSC_UNAVAILABLE = "pcsc_unavailable"
READER_DRIVER_MISSING = "reader_driver_missing"
READER_DRIVER_UNAVAILABLE = "driver_unavailable"  # the unified interface's library
_READER_STATES = (READER_NONE, READER_PCSC_UNAVAILABLE, READER_DRIVER_MISSING,
                  READER_DRIVER_UNAVAILABLE)  # fmt: skip


def _state_for(error: CardReaderError) -> str:
    return error.code if error.code in _READER_STATES else READER_PCSC_UNAVAILABLE


# Seconds the citizen has to key the PIN on a pinpad reader.
PINPAD_TIMEOUT = 30


@dataclass(frozen=True)
class PinState:
    """What the desk needs before asking for the PIN (design section 4, step 3).

    ``tries_left`` None means the card does not tell ("unknown" to the citizen). ``blocked``:
    never prompt; the citizen goes to the PIN-reset service. ``pinpad``: the reader has its own
    keypad (:meth:`CardService.verify_pin_on_pinpad`), else the on-screen keypad is used.
    """

    tries_left: int | None
    blocked: bool
    pinpad: bool


class CardListener(Protocol):
    """Receives card events; every method is called on the card thread.

    The last three are optional: a listener without them is simply not told.
    """

    def on_card_inserted(self, record: CardRecord) -> None:
        """A card was inserted and read (or a swapped card was found)."""

    def on_card_removed(self) -> None:
        """The card that was read left the reader (or was replaced: see on_card_swapped)."""

    def on_card_error(self, error: CardError) -> None:
        """A card is in the reader but could not be read (``error.code`` says why).

        ``multiple_cards`` comes as :class:`~devices.card.errors.MultipleCardsError` whose
        ``readers`` the clerk picks from (:meth:`CardService.choose_reader`).
        """

    def on_reader_state(self, state: str, detail: str) -> None:
        """``ready``, ``no_reader``, ``reader_driver_missing``, ``pcsc_unavailable`` or
        ``driver_unavailable`` (the unified interface's library), with an English detail."""

    def on_card_swapped(self) -> None:
        """The card in the reader is not the one read, though no event said so (a swap faster
        than the reader's poll). ``on_card_removed`` and ``on_card_inserted`` follow."""

    def on_card_ignored(self, reader: str) -> None:
        """The card in ``reader`` is not a social security card (a security key, a virtual
        smart card): it is ignored; a quiet note at most."""

    def on_pinpad_prompt(self, reader: str, active: bool) -> None:
        """The reader's keypad waits for the citizen's PIN (``active``), or stopped waiting."""


class CardService:
    """Owns the card thread and the reader; runs card jobs and reports card events.

    ``identity_check_interval``: when set, the identity of an idle card is read again at that
    interval, so a swap faster than the reader's poll is noticed (``card watch`` uses it).
    ``no_reader_cause`` tells ``no_reader`` from ``reader_driver_missing`` when the backend
    lists no reader (:func:`devices.card.health.no_reader_cause`).
    """

    def __init__(
        self,
        reader_factory: Callable[[], CardReader],
        *,
        key_service: KeyService | None = None,
        poll_interval: float = 0.5,
        retry_interval: float = 2.0,
        identity_check_interval: float | None = None,
        thread_name: str = "card",
        no_reader_cause: Callable[[], str] = health.no_reader_cause,
    ) -> None:
        self._reader_factory = reader_factory
        self._no_reader_cause = no_reader_cause
        self._key_service = key_service
        self._poll_interval = poll_interval
        self._retry_interval = retry_interval
        self._identity_check_interval = identity_check_interval
        self._thread = threading.Thread(target=self._run, name=thread_name, daemon=True)
        self._jobs: queue.SimpleQueue[tuple[Future, Callable[[], Any]]] = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._wakeup = threading.Event()
        self._lock = threading.Lock()
        self._listeners: list[CardListener] = []
        self._reader: CardReader | None = None
        self._record: CardRecord | None = None
        self._card_state = "absent"  # "absent", "read" or "error" (card present, unreadable)
        self._reader_state: tuple[str, str] | None = None
        self._recheck = False
        self._last_identity_check = 0.0
        self._record_events: int | None = None  # the reader's event counter at the last read
        # The identity of the card that could not be read (state "error"; None: not known
        # either): the idle identity check tells another card from it.
        self._failed_identity: tuple[str, str] | None = None
        self._failed_code: str | None = None
        self._ignored: set[str] = set()  # readers already noted as holding a foreign card

    # -- any thread ------------------------------------------------------------------------

    def start(self) -> None:
        """Start the card thread."""
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the card thread: pending jobs fail with ``service_stopped``; joins it."""
        self._stopping.set()
        self._wake()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.error("card thread did not stop within %.1f s", timeout)
        self._fail_pending()

    @property
    def running(self) -> bool:
        """True while the card thread runs."""
        return self._thread.is_alive()

    def add_listener(self, listener: CardListener) -> None:
        """Register a listener (its methods run on the card thread)."""
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: CardListener) -> None:
        """Unregister a listener."""
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    @property
    def current_record(self) -> CardRecord | None:
        """The last record read, None when no card (or an unread one) is in the reader."""
        with self._lock:
            return self._record

    @property
    def reader_state(self) -> tuple[str, str] | None:
        """The last ``(state, detail)`` reported, None before the first."""
        with self._lock:
            return self._reader_state

    def read_card(self) -> Future[CardRecord]:
        """Read the card in the reader (again); listeners hear of a different card."""
        return self._submit(self._job_read_card)

    def pin_tries_left(self) -> Future[int | None]:
        """Tries left before the PIN blocks (None when the card does not tell)."""
        return self._submit(self._job_pin_tries_left)

    def verify_pin(self, pin: str) -> Future[PinResult]:
        """VERIFY ``pin`` on the card that was read.

        The identity is read first: ``CardError("card_changed")`` when another card is in the
        reader. The PIN is never logged, stored or re-sent; the card is reset afterwards so
        the verified state does not linger.
        """
        return self._submit(lambda: self._job_verify_pin(pin))

    def reread_identity(self) -> Future[tuple[str, str]]:
        """``(card_id_code, card_no)`` of the card now in the reader (before a commit)."""
        return self._submit(self._job_reread_identity)

    def pin_state(self) -> Future[PinState]:
        """Tries left, blocked or not, pinpad or not: ask before prompting for the PIN.

        Checks first that the card is the one read (``CardError("card_changed")``).
        ``CardError("app_locked")`` when the application is locked.
        """
        return self._submit(self._job_pin_state)

    def verify_pin_on_pinpad(self, timeout: int = PINPAD_TIMEOUT) -> Future[PinResult]:
        """VERIFY with the PIN keyed on the reader's own keypad (PC/SC part 10 or the unified
        interface's driver). Listeners hear ``on_pinpad_prompt`` while the reader waits.

        ``CardError`` ``no_pinpad``, ``pinpad_timeout``, ``pinpad_cancelled``,
        ``pinpad_bad_length``, ``card_changed``; the card is reset afterwards.
        """
        return self._submit(lambda: self._job_verify_on_pinpad(timeout))

    def change_pin(self, old_pin: str, new_pin: str) -> Future[PinResult]:
        """CHANGE PIN on the card that was read (the PIN-change service). Never resent;
        ``PinResult("card_removed")`` when the card left on the way."""
        return self._submit(lambda: self._job_change_pin(old_pin, new_pin))

    def choose_reader(self, reader: str | None) -> Future[CardRecord]:
        """The clerk's pick when several readers hold a social security card: read that one
        (listeners hear of it as of an insertion). None goes back to automatic selection."""
        return self._submit(lambda: self._job_choose_reader(reader))

    def _submit(self, fn: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        if self._stopping.is_set():
            future.set_exception(CardError("service_stopped"))
            return future
        self._jobs.put((future, fn))
        self._wake()
        if self._stopping.is_set():  # stop() may have drained the queue meanwhile
            self._fail_pending()
        return future

    def _wake(self) -> None:
        self._wakeup.set()
        reader = self._reader
        if reader is not None:
            try:
                reader.cancel_wait()
            except Exception:  # a reader being closed on the card thread
                log.debug("cancel_wait failed", exc_info=True)

    def _fail_pending(self) -> None:
        while True:
            try:
                future, _fn = self._jobs.get_nowait()
            except queue.Empty:
                return
            if future.set_running_or_notify_cancel():
                future.set_exception(CardError("service_stopped"))

    # -- card thread -----------------------------------------------------------------------

    def _assert_card_thread(self) -> None:
        assert threading.current_thread() is self._thread, "card reader call off the card thread"

    def _emit(self, method: str, *args: Any) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            handler = getattr(listener, method, None)
            if handler is None:
                continue
            try:
                handler(*args)
            except Exception:
                log.exception("card listener %s failed", method)

    def _set_reader_state(self, state: str, detail: str) -> None:
        with self._lock:
            if self._reader_state == (state, detail):
                return
            self._reader_state = (state, detail)
        log.info("reader state: %s", state)
        self._emit("on_reader_state", state, detail)

    def _run(self) -> None:
        log.info("card thread started")
        try:
            while not self._stopping.is_set():
                if self._reader is None and not self._open_reader():
                    self._idle(self._retry_interval)
                    continue
                try:
                    self._run_jobs()
                    if self._recheck:
                        self._recheck = False
                        self._on_change()
                    assert self._reader is not None
                    changed = self._reader.wait_for_change(self._poll_interval)
                    if self._stopping.is_set():
                        break
                    self._run_jobs()
                    if changed:
                        self._on_change()
                    elif self._identity_check_due():
                        self._check_identity()
                except CardReaderError as exc:
                    self._lose_reader(exc)
        except Exception:
            log.exception("card thread failed")
        finally:
            self._stopping.set()
            self._fail_pending()
            self._close_reader()
            log.info("card thread stopped")

    def _idle(self, seconds: float) -> None:
        """Wait without a reader, still answering jobs (they fail with the reader state)."""
        deadline = time.monotonic() + seconds
        while not self._stopping.is_set():
            self._run_jobs()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._wakeup.wait(remaining)
            self._wakeup.clear()

    def _open_reader(self) -> bool:
        try:
            self._reader = self._reader_factory()
        except CardReaderError as exc:
            self._set_reader_state(_state_for(exc), exc.detail)
            return False
        except Exception as exc:
            log.exception("card reader could not be created")
            self._set_reader_state(READER_PCSC_UNAVAILABLE, f"reader failed: {exc}")
            return False
        try:
            self._on_change()
        except CardReaderError as exc:
            self._lose_reader(exc)
            return False
        return True

    def _close_reader(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            try:
                reader.close()
            except Exception:
                log.exception("closing the card reader failed")

    def _lose_reader(self, error: CardReaderError) -> None:
        log.warning("card reader lost: %s", error.code)
        self._close_reader()
        self._forget_card()
        self._set_reader_state(_state_for(error), error.detail)

    def _run_jobs(self) -> None:
        while True:
            try:
                future, fn = self._jobs.get_nowait()
            except queue.Empty:
                return
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn()
            except CardReaderError as exc:
                future.set_exception(exc)
                if self._reader is not None and exc.code == READER_PCSC_UNAVAILABLE:
                    self._lose_reader(exc)
            except CardError as exc:
                future.set_exception(exc)
            except Exception as exc:
                log.exception("card job failed")
                future.set_exception(CardError("internal", f"{type(exc).__name__}"))
            else:
                future.set_result(result)

    def _require_reader(self) -> CardReader:
        self._assert_card_thread()
        if self._reader is None:
            state, detail = self._reader_state or (READER_PCSC_UNAVAILABLE, "")
            raise CardReaderError(state, detail or None)
        return self._reader

    # -- card state (card thread) ----------------------------------------------------------

    def _on_change(self) -> None:
        """Re-evaluate readers and the card after an event."""
        reader = self._require_reader()
        names = reader.readers()
        if names:
            self._set_reader_state(READER_READY, ", ".join(names))
        else:
            self._set_no_reader()
        present = bool(names) and reader.card_present()
        self._note_ignored(reader.ignored_readers())
        if not present:
            if self._card_state != "absent":
                self._forget_card()
            return
        if self._card_state == "read":
            record = self._record
            assert record is not None
            events = reader.event_count(record.reader)
            if events is not None and events != self._record_events:
                # Taken out and put back between two polls (PC/SC's event counter moved):
                # perhaps the same card, perhaps not; either way a new session.
                log.info("card removed and inserted again between two polls")
                self._forget_card()
                self._read_inserted()
                return
            # No event counter moved: compare identities (a swap faster than the poll).
            self._check_identity()
            return
        if self._card_state == "error" and self._failed_code != "multiple_cards":
            events = reader.event_count(reader.name) if reader.name else None
            if events is not None and events == self._record_events:
                # Still the insertion that could not be read: read it again only if its
                # identity changed (no second report of the same card).
                self._check_identity()
                return
        self._read_inserted()

    def _set_no_reader(self) -> None:
        try:
            cause = self._no_reader_cause()
        except Exception:
            log.exception("no-reader diagnosis failed")
            cause = READER_NONE
        if cause == READER_DRIVER_MISSING:
            self._set_reader_state(
                READER_DRIVER_MISSING, "a card reader is plugged in but has no driver"
            )
        else:
            self._set_reader_state(READER_NONE, "no card reader is connected")

    def _note_ignored(self, readers: list[str]) -> None:
        """Tell listeners once per insertion about cards that are not social security cards."""
        current = set(readers)
        for name in sorted(current - self._ignored):
            self._emit("on_card_ignored", name)
        if self._card_state == "ignored":
            # A named reader's foreign card: keep it noted while it stays.
            current |= self._ignored
        self._ignored = current

    def _forget_card(self) -> None:
        was_read = self._card_state == "read"
        with self._lock:
            self._record = None
        self._record_events = None
        self._failed_identity = None
        self._failed_code = None
        self._card_state = "absent"
        if was_read:
            log.info("card removed")
            self._emit("on_card_removed")

    def _read(self) -> CardRecord:
        reader = self._require_reader()
        with reader.connect() as connection:
            return connection.card().read_record(key_service=self._key_service)

    def _read_inserted(self) -> None:
        try:
            record = self._read()
        except CardRemovedError:
            log.info("card left before it was read")
            self._forget_card()
            return
        except CardReaderError:
            raise
        except CardError as exc:
            self._forget_card()
            if exc.code == "not_ssc":
                # Not a social security card: ignored, with a quiet note (named reader; with
                # automatic selection the reader lists the ignored ones itself).
                log.info("card ignored: not a social security card")
                self._card_state = "ignored"
                reader = self._require_reader()
                self._note_ignored(reader.ignored_readers() or [reader.name])
                return
            log.warning("card could not be read: %s", exc.code)
            self._card_failed(exc, self._identity_if_readable())
            return
        self._adopt(record)

    def _card_failed(self, error: CardError, identity: tuple[str, str] | None) -> None:
        """A card is present but unreadable: tell the listeners, and keep watching it.

        The idle identity check goes on (``identity_check_interval``), so the next card is
        found even when it comes faster than the reader's poll.
        """
        self._card_state = "error"
        self._failed_identity = identity
        self._failed_code = error.code
        reader = self._reader
        if reader is not None and reader.name:
            self._record_events = reader.event_count(reader.name)
        self._last_identity_check = time.monotonic()
        self._emit("on_card_error", error)

    def _identity_if_readable(self) -> tuple[str, str] | None:
        """The identity of the card in the reader, None when it cannot be read either."""
        reader = self._require_reader()
        try:
            with reader.connect() as connection:
                return connection.card().read_identity()
        except CardReaderError:
            raise
        except CardError:
            return None

    def _adopt(self, record: CardRecord) -> None:
        """Make ``record`` current; listeners hear of a new or different card."""
        previous = self._record
        if previous is not None and previous.identity != record.identity:
            self._forget_card()
        with self._lock:
            self._record = record
        self._card_state = "read"
        reader = self._reader
        self._record_events = reader.event_count(record.reader) if reader is not None else None
        self._last_identity_check = time.monotonic()
        if previous is None or previous.identity != record.identity:
            log.info("card inserted (generation %s)", record.generation)
            self._emit("on_card_inserted", record)

    def _identity_check_due(self) -> bool:
        interval = self._identity_check_interval
        return (
            interval is not None
            and self._card_state in ("read", "error")
            and time.monotonic() - self._last_identity_check >= interval
        )

    def _check_identity(self) -> None:
        """Read the identity of the card in the reader; a different card replaces the record
        (or, after a card that could not be read, is read in its turn)."""
        reader = self._require_reader()
        self._last_identity_check = time.monotonic()
        failed = self._card_state == "error"
        try:
            with reader.connect() as connection:
                identity = connection.card().read_identity()
        except CardRemovedError:
            return  # the next wait_for_change reports the removal
        except CardReaderError:
            raise
        except CardError as exc:
            if exc.code == "card_absent":
                self._forget_card()
                return
            if failed:
                if self._failed_identity is not None:
                    # The unreadable card had an identity; this one has none: another card.
                    log.info("another card is in the reader (after an unreadable one)")
                    self._forget_card()
                    self._read_inserted()
                return
            log.warning("identity check failed: %s", exc.code)
            self._forget_card()
            self._card_failed(exc, None)
            return
        if failed:
            if identity != self._failed_identity:
                log.info("another card is in the reader (after an unreadable one)")
                self._forget_card()
                self._read_inserted()
            return
        record = self._record
        if record is not None and identity != record.identity:
            log.info("another card is in the reader (swapped faster than the reader's poll)")
            self._emit("on_card_swapped")
            self._forget_card()
            self._read_inserted()

    # -- jobs (card thread) ----------------------------------------------------------------

    def _job_read_card(self) -> CardRecord:
        record = self._read()
        self._adopt(record)
        return record

    def _job_pin_tries_left(self) -> int | None:
        reader = self._require_reader()
        with reader.connect() as connection:
            return connection.card().pin_tries_left()

    def _connect_checked(self) -> CardConnection:
        """Connect and make sure the card is the one read (``card_changed`` otherwise).

        ``CardRemovedError`` when the card left (the connection is then released).
        """
        reader = self._require_reader()
        record = self._record
        if record is None:
            raise CardError("no_card_read")
        connection = reader.connect()
        try:
            identity = connection.card().read_identity()
        except BaseException:
            connection.disconnect()
            raise
        if identity != record.identity:
            connection.disconnect()
            self._recheck = True
            raise CardError("card_changed")
        return connection

    def _pin_job(self, action: Callable[[CardConnection], PinResult]) -> PinResult:
        """Run a PIN command on the checked card; reset the card afterwards so a verified
        state does not linger (a card that left cannot be reset, and trying confuses some
        drivers)."""
        try:
            connection = self._connect_checked()
        except CardRemovedError:
            return PinResult("card_removed", None)
        reset = True
        try:
            result = action(connection)
            reset = result.status != "card_removed"
            return result
        except CardRemovedError:
            reset = False
            return PinResult("card_removed", None)
        finally:
            connection.disconnect(reset=reset)

    def _job_verify_pin(self, pin: str) -> PinResult:
        encode_pin(pin)  # a malformed PIN fails before anything reaches the card
        return self._pin_job(lambda connection: connection.card().verify_pin(pin))

    def _job_change_pin(self, old_pin: str, new_pin: str) -> PinResult:
        encode_pin(old_pin)
        encode_pin(new_pin)
        return self._pin_job(lambda connection: connection.card().change_pin(old_pin, new_pin))

    def _job_verify_on_pinpad(self, timeout: int) -> PinResult:
        def verify(connection: CardConnection) -> PinResult:
            pinpad = connection.pinpad()
            if pinpad is None:
                raise CardError("no_pinpad")
            self._emit("on_pinpad_prompt", connection.reader, True)
            try:
                return pinpad.verify(timeout=timeout)
            finally:
                self._emit("on_pinpad_prompt", connection.reader, False)

        return self._pin_job(verify)

    def _job_pin_state(self) -> PinState:
        with self._connect_checked() as connection:
            tries = connection.card().pin_tries_left()
            pinpad = connection.pinpad() is not None
        return PinState(tries_left=tries, blocked=tries == 0, pinpad=pinpad)

    def _job_choose_reader(self, name: str | None) -> CardRecord:
        reader = self._require_reader()
        reader.choose(name)
        record = self._read()
        self._adopt(record)
        return record

    def _job_reread_identity(self) -> tuple[str, str]:
        reader = self._require_reader()
        with reader.connect() as connection:
            identity = connection.card().read_identity()
        record = self._record
        if record is not None and identity != record.identity:
            self._recheck = True
        self._last_identity_check = time.monotonic()
        return identity
