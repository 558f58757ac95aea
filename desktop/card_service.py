"""The card thread: every card reader call of the desk happens here.

:class:`CardService` owns one thread (named "card") and one :class:`CardReader` made by the
reader factory on that thread. It watches for cards (``wait_for_change`` with a short
timeout, interrupted by ``cancel_wait`` when a job arrives or on stop), reads a card as soon as
it is inserted and tells its listeners. Other threads ask for work through methods that return
``concurrent.futures.Future``; nothing here waits for the user.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Protocol, TypeVar

from devices.card.errors import CardError, CardReaderError, CardRemovedError
from devices.card.keys import KeyService
from devices.card.reader import CardReader
from devices.card.record import CardRecord, PinResult

log = logging.getLogger(__name__)

T = TypeVar("T")

READER_READY = "ready"
READER_NONE = "no_reader"
READER_PCSC_UNAVAILABLE = "pcsc_unavailable"


class CardListener(Protocol):
    """Receives card events; every method is called on the card thread."""

    def on_card_inserted(self, record: CardRecord) -> None:
        """A card was inserted and read (or a swapped card was found)."""

    def on_card_removed(self) -> None:
        """The card that was read left the reader."""

    def on_card_error(self, error: CardError) -> None:
        """A card is in the reader but could not be read (``error.code`` says why)."""

    def on_reader_state(self, state: str, detail: str) -> None:
        """``ready``, ``no_reader`` or ``pcsc_unavailable``, with an English detail."""


class CardService:
    """Owns the card thread and the reader; runs card jobs and reports card events.

    ``identity_check_interval``: when set, the identity of an idle card is read again at that
    interval, so a swap faster than the reader's poll is noticed (``card watch`` uses it).
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
    ) -> None:
        self._reader_factory = reader_factory
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
            self._set_reader_state(exc.code if exc.code == READER_NONE else
                                   READER_PCSC_UNAVAILABLE, exc.detail)  # fmt: skip
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
        state = READER_NONE if error.code == READER_NONE else READER_PCSC_UNAVAILABLE
        self._set_reader_state(state, error.detail)

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
            self._set_reader_state(READER_NONE, "no card reader is connected")
        present = bool(names) and reader.card_present()
        if not present:
            if self._card_state != "absent":
                self._forget_card()
            return
        if self._card_state == "read":
            # Removed and inserted again between two polls, or another card: compare.
            self._check_identity()
            return
        self._read_inserted()

    def _forget_card(self) -> None:
        was_read = self._card_state == "read"
        with self._lock:
            self._record = None
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
            log.warning("card could not be read: %s", exc.code)
            self._forget_card()
            self._card_state = "error"
            self._emit("on_card_error", exc)
            return
        self._adopt(record)

    def _adopt(self, record: CardRecord) -> None:
        """Make ``record`` current; listeners hear of a new or different card."""
        previous = self._record
        if previous is not None and previous.identity != record.identity:
            self._forget_card()
        with self._lock:
            self._record = record
        self._card_state = "read"
        self._last_identity_check = time.monotonic()
        if previous is None or previous.identity != record.identity:
            log.info("card inserted (generation %s)", record.generation)
            self._emit("on_card_inserted", record)

    def _identity_check_due(self) -> bool:
        interval = self._identity_check_interval
        return (
            interval is not None
            and self._card_state == "read"
            and time.monotonic() - self._last_identity_check >= interval
        )

    def _check_identity(self) -> None:
        """Read the identity of the card in the reader; a different card replaces the record."""
        reader = self._require_reader()
        self._last_identity_check = time.monotonic()
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
            log.warning("identity check failed: %s", exc.code)
            self._forget_card()
            self._card_state = "error"
            self._emit("on_card_error", exc)
            return
        record = self._record
        if record is not None and identity != record.identity:
            log.info("another card is in the reader")
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

    def _job_verify_pin(self, pin: str) -> PinResult:
        reader = self._require_reader()
        record = self._record
        if record is None:
            raise CardError("no_card_read")
        connection = reader.connect()
        # Reset the card afterwards so the verified state does not linger; a card that left
        # cannot be reset (and trying confuses some drivers).
        reset = True
        try:
            card = connection.card()
            try:
                identity = card.read_identity()
            except CardRemovedError:
                reset = False
                return PinResult("card_removed", None)
            if identity != record.identity:
                self._recheck = True
                raise CardError("card_changed")
            result = card.verify_pin(pin)
            reset = result.status != "card_removed"
            return result
        finally:
            connection.disconnect(reset=reset)

    def _job_reread_identity(self) -> tuple[str, str]:
        reader = self._require_reader()
        with reader.connect() as connection:
            identity = connection.card().read_identity()
        record = self._record
        if record is not None and identity != record.identity:
            self._recheck = True
        self._last_identity_check = time.monotonic()
        return identity
