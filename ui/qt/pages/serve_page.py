"""Serving one citizen: card, PIN, face check, service form, submit, receipt.

Every Desk call returns a Future; its outcome comes back through the window's FutureRelay to a
handler here, on the GUI thread. Handlers carry the citizen "generation" they were started for,
so that a late answer about a citizen who has left (card removed and wiped, another card) is
dropped instead of shown.

Card removed: the Desk keeps the citizen session for ``card_grace_seconds`` (none in kiosk
mode) and ends it when the time is up, or at once when another card comes in. This page shows
the countdown, keeps the form while the session lives, carries on when the same card comes back,
and wipes every personal datum from the widgets and from itself when the session ends (or when
its own countdown runs out first).
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.qt import messages
from ui.qt.bridge import DeskBridge, FutureRelay, connect_queued
from ui.qt.camera import FaceCheckRelay
from ui.qt.widgets.card_panel import CardPanelWidget
from ui.qt.widgets.cosign_panel import cosign_note
from ui.qt.widgets.ecard_input import EcardInputWidget
from ui.qt.widgets.face_panel import FacePanelWidget
from ui.qt.widgets.pin_panel import PinPanelWidget
from ui.qt.widgets.receipt_panel import ReceiptWidget
from ui.qt.widgets.service_panel import ServicePanelWidget

log = logging.getLogger(__name__)


class _Coded(Exception):
    """A local error with a message code, for messages.error_text."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class ServePage(QWidget):
    """The clerk's working screen while signed in."""

    citizen_wiped = Signal()
    sign_in_required = Signal(str)  # the sentence to show on the sign-in page

    # Codes that mean the clerk's sign-in is gone: back to the sign-in page.
    SIGN_IN_CODES = ("session_expired", "not_signed_in")

    def __init__(
        self,
        desk,
        bridge: DeskBridge,
        relay: FutureRelay,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("servePage")
        self._desk = desk
        self._relay = relay
        kiosk = bool(getattr(desk, "kiosk", False))
        self._grace_seconds = 0 if kiosk else max(0, math.ceil(desk.settings.card_grace_seconds))
        self._active = False
        self._card_present = False

        # The citizen now served; all of it is dropped in wipe().
        self._generation = 0
        self._record = None
        self._session = None
        self._grace_left = 0
        self._grace_timer = QTimer(self)
        self._grace_timer.setInterval(1000)
        self._grace_timer.timeout.connect(self._on_grace_tick)
        # Hands keystrokes still held back (by the window's e-card scanner filter) to their
        # fields. Called before a card event changes what the fields belong to, so typing
        # lands in the form it was typed into and never in the next citizen's.
        self.settle_typing: Callable[[], None] = lambda: None

        # Layout ---------------------------------------------------------------------------
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self._heading = QLabel(self)
        self._heading.setObjectName("serveHeading")
        top.addWidget(self._heading)
        top.addStretch(1)
        self._end_button = QPushButton(self)
        self._end_button.setObjectName("endServiceButton")
        self._end_button.clicked.connect(self._on_end_service_clicked)
        top.addWidget(self._end_button)
        outer.addLayout(top)

        # The panels scroll when the screen is shorter than they are (a 1366x768 desk under a
        # task bar): the window never has to be taller than the screen.
        body = QWidget(self)
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        self.card_panel = CardPanelWidget(self)
        self.pin_panel = PinPanelWidget(self)
        self.ecard_input = EcardInputWidget(self)
        self.ecard_input.payload_ready.connect(self._on_ecard_payload)
        left.addWidget(self.card_panel)
        left.addWidget(self.pin_panel)
        left.addWidget(self.ecard_input)
        columns.addLayout(left, 3)
        self.face_panel = FacePanelWidget(self)
        columns.addWidget(self.face_panel, 2)
        right = QVBoxLayout()
        self.service_panel = ServicePanelWidget(self)
        self.receipts = ReceiptWidget(self)
        right.addWidget(self.service_panel, 1)
        right.addWidget(self.receipts, 0)
        columns.addLayout(right, 4)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("serveScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(body)
        outer.addWidget(self.scroll, 1)

        # Wiring: Desk events always arrive through the event loop ---------------------------
        connect_queued(bridge.card_inserted, self._on_card_inserted)
        connect_queued(bridge.card_removed, self._on_card_removed)
        connect_queued(bridge.card_error_raised, self._on_card_error)
        connect_queued(bridge.case_sent, self._on_case_sent)
        connect_queued(bridge.case_rejected, self._on_case_rejected)
        connect_queued(bridge.citizen_ended, self._on_citizen_ended)
        self.pin_panel.verify_requested.connect(self._on_verify_requested)
        self.pin_panel.pin_reset_requested.connect(self._on_pin_reset_requested)
        self.pin_panel.pinpad_requested.connect(self._on_pinpad_requested)
        self.pin_panel.change_requested.connect(self._on_change_pin_requested)
        connect_queued(bridge.pinpad_prompt, self._on_pinpad_prompt)
        connect_queued(bridge.card_swapped, self._on_card_swapped)
        connect_queued(bridge.multiple_cards, self._on_multiple_cards)
        self.reader_picker = None
        self._waiting_readers: list[str] = []
        self._swap_note = False
        # The live face check's preview and prompts, from the camera and worker threads.
        self._face_relay = FaceCheckRelay(self)
        self._face_relay.frame_ready.connect(self.face_panel.show_frame)
        self._face_relay.progress.connect(
            self.face_panel.show_progress, Qt.ConnectionType.QueuedConnection
        )
        self._face_relay.status.connect(
            self.face_panel.show_status, Qt.ConnectionType.QueuedConnection
        )
        self.face_panel.consent_given.connect(self._on_face_consent_given)
        self.face_panel.consent_declined.connect(self._on_face_declined)
        self.face_panel.check_requested.connect(self._on_face_check_requested)
        self.service_panel.service_chosen.connect(self._on_service_chosen)
        self.service_panel.submit_requested.connect(self._on_submit_requested)
        self.service_panel.cosign.cosign_requested.connect(self._on_cosign_requested)
        self.service_panel.cosign.cancelled.connect(self._on_cosign_cancelled)
        self.service_panel.cosign.defer_requested.connect(self._on_defer_requested)
        self.retranslate()

    # Lifecycle ------------------------------------------------------------------------------

    def activate(self) -> None:
        """A clerk signed in: load the catalogue, serve the card already in the reader."""
        self._active = True
        self.service_panel.show_loading()
        self._relay.watch(self._desk.services(), self._on_services_loaded)
        if self._card_present:
            self._begin_citizen()
        elif self._waiting_readers:
            self._on_multiple_cards(self._waiting_readers)

    def deactivate(self) -> None:
        """The clerk signs out: wipe the citizen and this sign-in's receipts."""
        self.wipe()
        self._active = False
        self.receipts.clear()

    @property
    def session(self):
        """The citizen session now shown, or None."""
        return self._session

    @property
    def citizen_present(self) -> bool:
        """True while a citizen's data is held (also during the grace period)."""
        return self._record is not None

    @property
    def grace_seconds_left(self) -> int:
        """Seconds until the wipe, while the card is out (0 otherwise)."""
        return self._grace_left if self._grace_timer.isActive() else 0

    def wipe(self) -> None:
        """Drop every personal datum of the citizen from the widgets and from memory."""
        self.settle_typing()
        had_citizen = self._record is not None or self._session is not None
        self._generation += 1
        self._grace_timer.stop()
        self._grace_left = 0
        self._record = None
        self._session = None
        self._face_relay.stop()
        self.card_panel.clear()
        self.pin_panel.clear()
        self.ecard_input.clear()
        self.face_panel.clear()
        self.service_panel.form.clear_values()
        self.service_panel.cosign.reset()
        self.service_panel.show_message("")
        self._update_submit()
        if had_citizen:
            self._desk.end_citizen()
            log.info("citizen data wiped")
            self.citizen_wiped.emit()

    # Card events (GUI thread, from the bridge) ----------------------------------------------

    @Slot(object)
    def _on_card_inserted(self, record) -> None:
        self.settle_typing()
        self._card_present = True
        self._waiting_readers = []
        if self.reader_picker is not None and self.reader_picker.isVisible():
            self.reader_picker.reject()  # one card left, or the clerk's pick was read
        if not self._active:
            return
        if self._record is not None and record.identity == self._record.identity:
            # The same card came back within the grace period: carry on as before.
            log.info("same card back within the grace period")
            self._grace_timer.stop()
            self._grace_left = 0
            self._resume_citizen()
            return
        self.wipe()
        self._begin_citizen(record)

    @Slot()
    def _on_card_removed(self) -> None:
        self.settle_typing()
        self._card_present = False
        self._waiting_readers = []
        if self._is_ecard():
            return  # the e-card citizen has no card in the reader
        self.pin_panel.set_card_present(False)
        self._update_submit()
        if self._record is None:
            self._generation += 1  # a lookup still in flight is for a card that has gone
            self.card_panel.clear()
            return
        self._start_grace()

    def _start_grace(self) -> None:
        if self._grace_seconds == 0:
            self.wipe()
            return
        self._grace_left = self._grace_seconds
        self._grace_timer.start()
        self.card_panel.show_removed(self._grace_left)

    @Slot()
    def _on_grace_tick(self) -> None:
        self._grace_left -= 1
        if self._grace_left <= 0:
            log.info("grace period over")
            self.wipe()
            return
        self.card_panel.show_removed(self._grace_left)

    @Slot(str)
    def _on_citizen_ended(self, reason: str) -> None:
        # Only the end of the session shown here matters (not of one already replaced).
        if self._session is not None and getattr(self._session, "ended", False):
            log.info("desk ended the citizen session (%s)", reason)
            self.wipe()

    @Slot(str)
    def _on_card_error(self, code: str) -> None:
        if self._active:
            self.card_panel.show_error(messages.card_error_text(code))

    # The citizen ----------------------------------------------------------------------------

    def _begin_citizen(self, record=None) -> None:
        # What the card itself says shows at once; central's answer follows.
        if record is not None:
            self.card_panel.show_record(record)
        else:
            self.card_panel.show_reading()
        if self._swap_note:
            # Why the previous citizen went: the card was exchanged under them.
            self._swap_note = False
            self.card_panel.show_note(messages.card_swapped_text())
        self.pin_panel.clear()
        self.face_panel.clear()
        handler = functools.partial(self._on_citizen_ready, self._generation)
        self._relay.watch(self._desk.begin_citizen(), handler)

    def _on_citizen_ready(self, generation: int, session, error) -> None:
        if generation != self._generation:
            # The card left while central was asked. No other card is being read, so this
            # session would otherwise linger in the Desk with nobody to end it.
            if session is not None and not self._card_present and session is self._desk.citizen:
                self._desk.end_citizen()
            return
        if error is not None:
            # Lost, cancelled or replaced cards stop here, with a plain message.
            self.card_panel.show_error(self._explain(error))
            return
        self._session = session
        self._record = session.record
        self.card_panel.show_session(session)
        self._update_submit()
        self._ask_tries_left()
        self.face_panel.show_consent()

    def _resume_citizen(self) -> None:
        self.card_panel.show_session(self._session)
        self._update_submit()
        if not self.pin_panel.verified:
            self._ask_tries_left()

    def _ask_tries_left(self) -> None:
        # The PIN state (tries left, blocked, pinpad) is shown before the citizen is asked to
        # type; a blocked PIN is never asked for.
        if self._session is None:
            return
        if self._is_ecard():
            self.pin_panel.show_not_applicable()
            return
        self.pin_panel.show_asking()
        handler = functools.partial(self._on_pin_state, self._generation)
        self._relay.watch(self._desk.pin_state(self._session), handler)

    def _on_pin_state(self, generation: int, state, error) -> None:
        if generation != self._generation:
            return
        if error is not None:
            if not self._card_swap_error(error):
                self.pin_panel.show_error(self._explain(error))
            return
        self.pin_panel.show_pin_state(state.tries_left, blocked=state.blocked, pinpad=state.pinpad)

    def _is_ecard(self) -> bool:
        return bool(getattr(self._session, "is_ecard", False))

    def _card_swap_error(self, error: BaseException) -> bool:
        """A card exchanged under the citizen (``card_changed``): wipe, and say why. The card
        service reads the new card next, as if inserted."""
        if messages.error_code(error) != "card_changed":
            return False
        self._on_card_swapped()
        return True

    @Slot()
    def _on_card_swapped(self) -> None:
        if not self._active:
            return
        log.info("card exchanged under the citizen")
        self._swap_note = True
        if self._record is not None and not self._is_ecard():
            self.wipe()
        self.card_panel.show_note(messages.card_swapped_text())

    @Slot(object)
    def _on_multiple_cards(self, readers) -> None:
        # Remembered until a card is read or removed: a clerk who signs in later still picks.
        self._waiting_readers = list(readers)
        if not self._active:
            return
        from ui.qt.widgets.reader_picker import ReaderPickerDialog

        if self.reader_picker is None:
            self.reader_picker = ReaderPickerDialog(self)
            self.reader_picker.reader_chosen.connect(self._on_reader_chosen)
        self.card_panel.show_error(messages.multiple_cards_text())
        self.reader_picker.ask(list(readers))

    @Slot(str)
    def _on_reader_chosen(self, reader: str) -> None:
        self.card_panel.show_reading()
        handler = functools.partial(self._on_reader_read, self._generation)
        self._relay.watch(self._desk.choose_reader(reader), handler)

    def _on_reader_read(self, generation: int, _record, error) -> None:
        # On success the card service reports the card as inserted: the citizen begins there.
        if error is not None and generation == self._generation:
            self.card_panel.show_error(self._explain(error))

    # E-card ---------------------------------------------------------------------------------

    @Slot(object)
    def _on_ecard_payload(self, payload) -> None:
        self.begin_ecard(payload)

    def begin_ecard(self, payload) -> bool:
        """Serve the citizen who showed the e-card (``payload``: desktop.ecard.EcardPayload,
        sent to central and not kept here). False when no clerk is serving."""
        if not self._active:
            return False
        self.wipe()
        self.card_panel.show_checking_ecard()
        self.pin_panel.show_not_applicable()
        self.face_panel.clear()
        handler = functools.partial(self._on_citizen_ready, self._generation)
        self._relay.watch(self._desk.begin_ecard(payload), handler)
        del payload
        return True

    # PIN ------------------------------------------------------------------------------------

    @Slot()
    def _on_verify_requested(self) -> None:
        if self._session is None:
            return
        # The field is emptied before the card sees the PIN; the PIN is kept nowhere here.
        future = self._desk.verify_pin(self._session, self.pin_panel.take_pin())
        self.pin_panel.show_verifying()
        self._watch_pin(future, self.pin_panel.show_result)

    def _watch_pin(self, future, show) -> None:
        """Hand the card's answer to ``show``: the PIN panel's show_result or show_change_result."""
        self._relay.watch(future, functools.partial(self._on_pin_answer, self._generation, show))

    def _on_pin_answer(self, generation: int, show, result, error) -> None:
        if generation != self._generation:
            return
        if error is not None:
            if not self._card_swap_error(error):
                self.pin_panel.show_error(self._explain(error))
            return
        show(result.status, result.tries_left)

    @Slot()
    def _on_pinpad_requested(self) -> None:
        if self._session is None:
            return
        self.pin_panel.show_verifying()
        future = self._desk.verify_pin_on_pinpad(self._session)
        self._watch_pin(future, self.pin_panel.show_result)

    @Slot(bool)
    def _on_pinpad_prompt(self, active: bool) -> None:
        if self._session is not None:
            self.pin_panel.show_pinpad_waiting(active)

    @Slot()
    def _on_change_pin_requested(self) -> None:
        if self._session is None:
            return
        # The fields are emptied before the card sees the PINs; they are kept nowhere here.
        old, new = self.pin_panel.take_change()
        future = self._desk.change_pin(self._session, old, new)
        del old, new
        self.pin_panel.show_changing()
        self._watch_pin(future, self.pin_panel.show_change_result)

    @Slot()
    def _on_pin_reset_requested(self) -> None:
        # The PIN reset service is the one whose approval rules name pin_reset.
        for service in self.service_panel.services():
            if service.rule("pin_reset") is not None:
                self.service_panel.choose(service.code)
                return
        self.service_panel.show_message(messages.error_text(_Coded("unknown_service")))

    # Face -----------------------------------------------------------------------------------

    @Slot()
    def _on_face_consent_given(self) -> None:
        if self._session is None:
            return
        try:
            self._desk.consent_face(self._session)
        except Exception as exc:  # the session ended meanwhile, or the sign-in expired
            self.face_panel.show_error(self._explain(exc))
            return
        self._start_face_check()

    def _start_face_check(self) -> None:
        # The check runs off the GUI thread: the desk fetches the photo on record, the camera
        # thread feeds the face worker, the relay brings preview frames and prompts here.
        self.face_panel.show_preparing(sample=not getattr(self._desk, "face_liveness", True))
        listener = self._face_relay.new_listener()
        check = self._desk.start_face_check(self._session, listener=listener)
        handler = functools.partial(self._on_face_checked, self._generation)
        self._relay.watch(check.result, handler)

    @Slot()
    def _on_face_declined(self) -> None:
        if self._session is None:
            return
        self._face_relay.stop()
        try:
            self._desk.decline_face(self._session)
        except Exception as exc:  # the session ended meanwhile
            self.face_panel.show_error(self._explain(exc))
            return
        self.face_panel.show_declined()
        log.info("face check declined")

    @Slot()
    def _on_face_check_requested(self) -> None:
        if self._session is None or not self._session.face_consent:
            return
        self._start_face_check()

    def _on_face_checked(self, generation: int, outcome, error) -> None:
        if generation != self._generation:
            return
        if error is not None:
            self.face_panel.show_error(self._explain(error))
            return
        if outcome.reason == "cancelled":
            return  # declined or replaced by another check: that one is shown
        self.face_panel.show_outcome(outcome)

    # Service and case -----------------------------------------------------------------------

    def _on_services_loaded(self, services, error) -> None:
        if error is not None:
            self.service_panel.set_services([])
            self.service_panel.show_message(self._explain(error))
            return
        self.service_panel.set_services(services)

    @Slot(str)
    def _on_service_chosen(self, _code: str) -> None:
        self._update_submit()

    def _update_submit(self) -> None:
        ready = self._session is not None and (self._card_present or self._is_ecard())
        self.service_panel.set_can_submit(ready)

    @Slot()
    def _on_submit_requested(self) -> None:
        self._submit(cosign=None)

    def _submit(self, *, cosign, defer: bool = False) -> None:
        service = self.service_panel.current_service()
        if service is None or self._session is None:
            return
        values, notes = self.service_panel.form.validate()
        if notes:
            self.service_panel.show_message(messages.error_text(_Coded("form_invalid")))
            return
        self.service_panel.set_busy(True)
        self.service_panel.show_message("")
        future = self._desk.submit(
            self._session, service.code, values, cosign=cosign, defer_approval=defer
        )
        handler = functools.partial(
            self._on_case_queued, self._generation, service, cosign=cosign, deferred=defer
        )
        self._relay.watch(future, handler)

    def _on_case_queued(
        self, generation: int, service, queued, error, *, cosign=None, deferred=False
    ) -> None:
        self.service_panel.set_busy(False)
        self.service_panel.cosign.set_busy(False)
        if error is not None:
            self._show_submit_error(generation, service, error)
            return
        # The receipt holds no personal data; it stays even if the citizen has gone.
        log.info("case queued %s", queued.local_id)
        self.receipts.add(queued.local_id, service.name)
        if generation == self._generation:
            self.service_panel.form.clear_values()
            self.service_panel.cosign.reset()
            text = self.tr("Case saved on this desk with local number {local}.").format(
                local=queued.local_id
            )
            self.service_panel.show_message(f"{text}\n{cosign_note(cosign, deferred)}".strip())

    def _show_submit_error(self, generation: int, service, error) -> None:
        code = messages.error_code(error)
        fields = dict(getattr(error, "fields", None) or {})
        if generation != self._generation:
            self.service_panel.show_message(self._explain(error))
            return
        if code == "cosign_required":
            approvals = [a for a in str(fields.get("approvals", "")).split(",") if a]
            self.service_panel.cosign.ask(approvals)
        elif code == "form_invalid":
            properties = service.form.get("properties", {})
            notes = {}
            for path, kind in fields.items():
                name = path.removeprefix("form.")
                limit = properties.get(name, {}).get(str(kind))
                notes[name] = messages.schema_error_text(str(kind), limit)
            self.service_panel.form.show_errors(notes)
        elif code in ("cosign_not_supervisor", "cosign_self", "sign_in_failed"):
            self.service_panel.cosign.show_error(self._explain(error))
            return
        self.service_panel.show_message(self._explain(error))

    @Slot()
    def _on_cosign_requested(self) -> None:
        if self._session is None:
            return
        supervisor, password, reason = self.service_panel.cosign.take_credentials()
        self.service_panel.cosign.set_busy(True)
        code = self.service_panel.cosign.reason_code()
        future = self._desk.cosign(supervisor, password, reason, reason_code=code)
        self._relay.watch(future, functools.partial(self._on_cosigned, self._generation))

    def _on_cosigned(self, generation: int, cosign, error) -> None:
        if generation != self._generation:
            return
        if error is not None:
            self.service_panel.cosign.set_busy(False)
            self.service_panel.cosign.show_error(self._explain(error))
            return
        log.info("case co-signed")
        self._submit(cosign=cosign)

    @Slot()
    def _on_defer_requested(self) -> None:
        if self._session is None:
            return
        self.service_panel.cosign.set_busy(True)
        self._submit(cosign=None, defer=True)

    @Slot()
    def _on_cosign_cancelled(self) -> None:
        self.service_panel.cosign.reset()

    @Slot(str, str)
    def _on_case_sent(self, local_id: str, central_id: str) -> None:
        self.receipts.mark_sent(local_id, central_id)

    @Slot(str, str)
    def _on_case_rejected(self, local_id: str, reason: str) -> None:
        self.receipts.mark_rejected(local_id, reason)

    @Slot()
    def _on_end_service_clicked(self) -> None:
        self.wipe()

    def _explain(self, error: BaseException) -> str:
        """The sentence for a Desk error; an expired sign-in also sends the clerk to sign in."""
        text = messages.error_text(error)
        if messages.error_code(error) in self.SIGN_IN_CODES:
            self.sign_in_required.emit(text)
        return text

    # Text -----------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self._heading.setText(self.tr("Serving a citizen"))
        self._end_button.setText(self.tr("Finish with this citizen"))
