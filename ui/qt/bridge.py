"""Carry worker-thread events onto the GUI thread.

Two pieces, both living in the GUI thread:

- ``DeskBridge`` implements the Desk's listener protocol. The Desk calls it on its card, outbox
  and sync threads (and now and then on the GUI thread itself, e.g. ``end_citizen``); each
  callback only re-emits a Qt signal. Receivers connect methods decorated with ``@Slot``, never
  lambdas (PySide6 has crashed on lambdas connected across threads), with ``connect_queued`` so
  that a slot always runs later from the GUI thread's event loop, never inside a Desk call.
- ``FutureRelay`` delivers the result of a ``concurrent.futures.Future`` (every Desk call returns
  one) to a handler on the GUI thread, through a signal, so that nothing on the GUI thread ever
  waits for a worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

log = logging.getLogger(__name__)

FutureHandler = Callable[[Any, BaseException | None], None]


def _assert_gui_thread() -> None:
    app = QCoreApplication.instance()
    assert app is not None and QThread.currentThread() is app.thread(), "not on the GUI thread"


def connect_queued(signal, slot) -> None:
    """Connect ``signal`` to a ``@Slot`` method, always queued to the receiver's thread."""
    signal.connect(slot, Qt.ConnectionType.QueuedConnection)


class DeskBridge(QObject):
    """The Desk's listener: re-emits every callback as a signal, from whichever thread calls it."""

    card_inserted = Signal(object)  # CardRecord
    card_removed = Signal()
    card_error_raised = Signal(str)  # CardError code
    reader_state_changed = Signal(str)  # "ready", "no_reader", "pcsc_unavailable"
    network_state_changed = Signal(bool)  # True = central reachable
    outbox_changed = Signal(object)  # dict[str, int] of counts by state
    case_sent = Signal(str, str)  # local_id, central_id
    case_rejected = Signal(str, str)  # local_id, reason
    citizen_ended = Signal(str)  # reason: "card_removed", "card_swapped", "ended", ...
    multiple_cards = Signal(object)  # tuple[str, ...]: readers holding a citizen's card
    card_ignored = Signal(str)  # reader whose card is not a social security card
    card_swapped = Signal()  # a card exchanged faster than the reader's poll
    pinpad_prompt = Signal(bool)  # the reader's keypad waits for the PIN (True) or stopped
    session_locked = Signal(str)  # reason: "idle", "manual"
    signed_out = Signal(str)  # reason: "signed_out", "locked_out", ...
    alert_raised = Signal(object)  # dict: kind, subject, source, ...
    approvals_changed = Signal(object)  # desktop.contract.ApprovalInbox

    def __init__(self, parent: QObject | None = None) -> None:
        _assert_gui_thread()
        super().__init__(parent)

    def _emit(self, signal, *args) -> None:
        # The GUI may already have deleted this object while a worker reports a late event.
        try:
            signal.emit(*args)
        except RuntimeError:
            log.debug("desk event after the bridge was deleted; dropped")

    # DeskListener protocol: called on worker threads -------------------------------------------

    def on_card_inserted(self, record) -> None:
        """A card was inserted and read."""
        self._emit(self.card_inserted, record)

    def on_card_removed(self) -> None:
        """The card left the reader."""
        self._emit(self.card_removed)

    def on_card_error(self, code: str) -> None:
        """The card or the reader failed; ``code`` is a stable CardError code."""
        self._emit(self.card_error_raised, str(code))

    def on_reader_state(self, state: str) -> None:
        """The reader became ready or went away."""
        self._emit(self.reader_state_changed, str(state))

    def on_network_state(self, online: bool) -> None:
        """Central became reachable or unreachable."""
        self._emit(self.network_state_changed, bool(online))

    def on_outbox_changed(self, counts: dict[str, int]) -> None:
        """The outbox counts by state changed."""
        self._emit(self.outbox_changed, dict(counts))

    def on_case_sent(self, local_id: str, central_id: str) -> None:
        """Central accepted a queued case."""
        self._emit(self.case_sent, str(local_id), str(central_id))

    def on_case_rejected(self, local_id: str, reason: str) -> None:
        """Central refused a queued case for good."""
        self._emit(self.case_rejected, str(local_id), str(reason))

    def on_citizen_ended(self, reason: str) -> None:
        """The Desk ended the citizen session and dropped its personal data."""
        self._emit(self.citizen_ended, str(reason))

    def on_multiple_cards(self, readers) -> None:
        """Several readers hold a social security card: the clerk picks one."""
        self._emit(self.multiple_cards, tuple(str(r) for r in readers))

    def on_card_ignored(self, reader: str) -> None:
        """A card that is not a social security card is ignored."""
        self._emit(self.card_ignored, str(reader))

    def on_card_swapped(self) -> None:
        """The card was exchanged faster than the reader's poll."""
        self._emit(self.card_swapped)

    def on_pinpad_prompt(self, active: bool) -> None:
        """The reader's own keypad waits for the citizen's PIN, or stopped waiting."""
        self._emit(self.pinpad_prompt, bool(active))

    def on_session_locked(self, reason: str) -> None:
        """The Desk locked the screen (idle time passed, or asked to)."""
        self._emit(self.session_locked, str(reason))

    def on_signed_out(self, reason: str) -> None:
        """The staff member's session ended."""
        self._emit(self.signed_out, str(reason))

    def on_alert(self, alert: dict) -> None:
        """The Desk raised a security alert."""
        # The guard's own dict, not a copy: the audit record's number lands in it once the
        # record is written, and the alerts view matches central's copy of the alert by it.
        self._emit(self.alert_raised, alert)

    def on_approvals_changed(self, inbox) -> None:
        """The hall's approval inbox changed (while a supervisor watches it)."""
        self._emit(self.approvals_changed, inbox)


class FutureRelay(QObject):
    """Hands the outcome of futures to handlers on the GUI thread.

    ``watch(future, handler)`` calls ``handler(result, error)`` on the GUI thread once the
    future is done: ``error`` is None on success, otherwise the exception (``result`` is then
    None). A handler is always called later from the event loop, never from inside ``watch``.
    ``forget_all()`` drops the pending handlers (their results are then ignored).
    """

    _future_done = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        _assert_gui_thread()
        super().__init__(parent)
        self._handlers: dict[Future, FutureHandler] = {}
        # Queued even for a future that is already done, so handlers never run re-entrantly.
        self._future_done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def watch(self, future: Future, handler: FutureHandler) -> Future:
        """Call ``handler(result, error)`` on the GUI thread when ``future`` is done."""
        _assert_gui_thread()
        self._handlers[future] = handler
        future.add_done_callback(self._relay)
        return future

    def pending(self) -> int:
        """How many watched futures have not been delivered yet."""
        return len(self._handlers)

    def forget_all(self) -> None:
        """Drop every pending handler; late results are ignored."""
        self._handlers.clear()

    def _relay(self, future: Future) -> None:
        # Runs on the thread that completed the future.
        try:
            self._future_done.emit(future)
        except RuntimeError:
            log.debug("future finished after its relay was deleted; dropped")

    @Slot(object)
    def _deliver(self, future: Future) -> None:
        handler = self._handlers.pop(future, None)
        if handler is None:
            return
        try:
            error = future.exception()
        except CancelledError as exc:
            error = exc
        handler(None if error is not None else future.result(), error)
