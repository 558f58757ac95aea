"""The electronic social security card (电子社保卡) at the clerk's desk.

Two ways in, both ending in ``Desk.begin_ecard``:

- :class:`WedgeKeyFilter`: a keyboard-wedge scanner types the QR payload as a burst of
  keystrokes, wherever the focus is. The filter watches key presses in the clerk's window (not
  a field with the focus) and feeds :class:`desktop.ecard.KeyboardWedgeDetector`; it holds keys
  while they may still be a burst (one gap, ~35 ms) and hands typing back to the widget it was
  meant for, in order. Password fields (the PIN, sign-in) are never watched.
- :class:`EcardInputWidget`: the clerk pastes the payload into the e-card field (masked) and
  presses the button. In training mode it also offers each training citizen's e-card code.

The payload is never shown, stored or logged: it travels as an ``EcardPayload`` (no ``repr``)
straight to the Desk.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ecard import MAX_PAYLOAD_LENGTH, EcardError, EcardPayload, KeyboardWedgeDetector
from ui.qt import messages

log = logging.getLogger(__name__)

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# Events after which held keystrokes cannot be a scanner's burst any more.
_SETTLING_EVENTS = (
    QEvent.Type.MouseButtonPress,
    QEvent.Type.LanguageChange,
    QEvent.Type.FocusOut,
)
POLL_MS = 20


class WedgeKeyFilter(QObject):
    """An application event filter that picks scanner bursts out of the window's key presses.

    ``window``: only key presses for widgets in this window are watched, and only while
    ``active()`` says so (a clerk is serving). ``clock`` gives seconds (monotonic). Emits
    :attr:`payload_scanned` with an ``EcardPayload`` for each burst.
    """

    payload_scanned = Signal(object)

    def __init__(
        self,
        window: QWidget,
        *,
        active: Callable[[], bool] = lambda: True,
        detector: KeyboardWedgeDetector | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._detector = detector or KeyboardWedgeDetector()
        self._clock = clock
        self._held: list[tuple[QWidget, QKeyEvent]] = []
        # True while held keys are handed back or a scan is reported: the keys sent back
        # pass the filter untouched, and a flush asked for meanwhile has nothing to add.
        self._handling = False
        self._active = active
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._on_poll)

    def install(self) -> None:
        """Watch the application's key presses (removed again by :meth:`remove`)."""
        QCoreApplication.instance().installEventFilter(self)

    def remove(self) -> None:
        """Stop watching; anything held is handed back first."""
        self.flush()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    @property
    def pending(self) -> bool:
        """True while keystrokes are held."""
        return bool(self._held)

    def flush(self) -> None:
        """Hand every held keystroke back to its widget now.

        Does nothing while keystrokes are being handed back or a scan is being reported: what
        that work started (e.g. a scan that begins a new citizen) may ask to settle the typing,
        and the held keys are already being dealt with in order.
        """
        if self._handling:
            return
        self._handle(self._detector.poll(float("inf")))

    def _watched(self, target: QObject) -> bool:
        if not isinstance(target, QWidget) or not self._active():
            return False
        if target.window() is not self._window:
            return False
        # A password field (PIN, sign-in) is typed into by people only: never held back.
        return not (
            isinstance(target, QLineEdit) and target.echoMode() != QLineEdit.EchoMode.Normal
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._handling:
            return False
        if self._held and event.type() in _SETTLING_EVENTS:
            # A click (e.g. on Submit), a language switch or a focus change right after
            # typing: the typing lands first.
            self.flush()
            return False
        if event.type() != QEvent.Type.KeyPress:
            return False
        if not self._watched(watched):
            return False
        key_event: QKeyEvent = event  # type: ignore[assignment]
        mods = key_event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        )
        text = key_event.text()
        if key_event.key() in _ENTER_KEYS and not mods:
            char = "\r"
        elif len(text) == 1 and text.isprintable() and not mods:
            char = text
        else:
            # Anything else (Backspace, arrows, shortcuts): the held keys go first, in order.
            self.flush()
            return False
        copy = QKeyEvent(
            QEvent.Type.KeyPress,
            key_event.key(),
            key_event.modifiers(),
            text if char != "\r" else "\r",
            key_event.isAutoRepeat(),
            key_event.count(),
        )
        self._held.append((watched, copy))
        self._handle(self._detector.feed(self._clock(), char))
        self._update_timer()
        return True

    def _handle(self, outputs) -> None:
        outer, self._handling = self._handling, True
        try:
            self._handle_outputs(outputs)
        finally:
            self._handling = outer
        self._update_timer()

    def _handle_outputs(self, outputs) -> None:
        for output in outputs:
            if output.kind == "burst":
                payload = output.payload
                # The payload's characters and its Enter are not typing: they are dropped.
                count = len(payload.value) + 1
                del self._held[: min(count, len(self._held))]
                log.info("e-card scanned")
                self.payload_scanned.emit(payload)
            else:
                count = len(output.text)
                replay, self._held = self._held[:count], self._held[count:]
                self._replay(replay)

    def _replay(self, events: list[tuple[QWidget, QKeyEvent]]) -> None:
        for widget, event in events:
            if shiboken6.isValid(widget):
                QCoreApplication.sendEvent(widget, event)

    def _update_timer(self) -> None:
        if self._held and not self._timer.isActive():
            self._timer.start()
        elif not self._held and self._timer.isActive():
            self._timer.stop()

    @Slot()
    def _on_poll(self) -> None:
        self._handle(self._detector.poll(self._clock()))


class EcardInputWidget(QGroupBox):
    """The e-card field: paste the payload (masked) and check it; training samples."""

    payload_ready = Signal(object)  # desktop.ecard.EcardPayload

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ecardInput")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self._edit = QLineEdit(self)
        self._edit.setObjectName("ecardEdit")
        # The payload is never shown: masked, no undo, no drag out.
        self._edit.setEchoMode(QLineEdit.EchoMode.Password)
        self._edit.setMaxLength(MAX_PAYLOAD_LENGTH + 64)
        self._edit.setDragEnabled(False)
        self._edit.returnPressed.connect(self._on_check_clicked)
        self._edit.textChanged.connect(self._on_text_changed)
        row.addWidget(self._edit, 1)
        self._check = QPushButton(self)
        self._check.setObjectName("ecardCheckButton")
        self._check.clicked.connect(self._on_check_clicked)
        self._check.setEnabled(False)
        row.addWidget(self._check)
        layout.addLayout(row)

        self._training = QWidget(self)
        training_row = QHBoxLayout(self._training)
        training_row.setContentsMargins(0, 0, 0, 0)
        self._samples = QComboBox(self._training)
        self._samples.setObjectName("ecardSamples")
        training_row.addWidget(self._samples, 1)
        self._use_sample = QPushButton(self._training)
        self._use_sample.setObjectName("ecardSampleButton")
        self._use_sample.clicked.connect(self._on_use_sample_clicked)
        training_row.addWidget(self._use_sample)
        self._training.setVisible(False)
        layout.addWidget(self._training)

        self._message = QLabel(self)
        self._message.setObjectName("ecardMessage")
        self._message.setWordWrap(True)
        self._message.setVisible(False)
        layout.addWidget(self._message)
        self._sample_payloads: list[str] = []
        self.retranslate()

    def set_training_samples(self, samples: list[tuple[str, str]]) -> None:
        """Training mode: ``(label, payload)`` for each training citizen's e-card."""
        self._samples.clear()
        self._sample_payloads = [payload for _label, payload in samples]
        for label, _payload in samples:
            self._samples.addItem(label)
        self._training.setVisible(bool(samples))

    def show_message(self, text: str) -> None:
        """A sentence under the field (empty hides it)."""
        self._message.setText(text)
        self._message.setVisible(bool(text))

    def clear(self) -> None:
        """Empty the field and the message."""
        self._edit.setText("")
        self.show_message("")

    @Slot(str)
    def _on_text_changed(self, text: str) -> None:
        self._check.setEnabled(bool(text.strip()))

    @Slot()
    def _on_check_clicked(self) -> None:
        text = self._edit.text()
        self._edit.setText("")  # also drops the undo history
        if not text.strip():
            return
        try:
            payload = EcardPayload.from_paste(text)
        except EcardError as exc:
            self.show_message(messages.error_text(exc))
            return
        del text
        self.show_message("")
        self.payload_ready.emit(payload)

    @Slot()
    def _on_use_sample_clicked(self) -> None:
        index = self._samples.currentIndex()
        if 0 <= index < len(self._sample_payloads):
            self.show_message("")
            self.payload_ready.emit(EcardPayload(self._sample_payloads[index]))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.setTitle(self.tr("Electronic social security card"))
        # Space is short beside the keypad: the explanation is the field's tooltip.
        hint = self.tr(
            "Scan the citizen's e-card code with the scanner, or paste it here. "
            "The code is sent to central only."
        )
        self.setToolTip(hint)
        self._edit.setToolTip(hint)
        self._edit.setPlaceholderText(self.tr("Scan or paste the e-card code"))
        self._edit.setAccessibleName(self.tr("E-card code"))
        self._check.setText(self.tr("Check e-card"))
        self._use_sample.setText(self.tr("Use this training e-card"))
        self._samples.setToolTip(self.tr("Training citizens' e-card codes"))
