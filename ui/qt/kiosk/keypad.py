"""The kiosk's PIN keypad: very large keys, digits shown as dots, the PIN handed over once.

The default layout is fixed, the telephone layout elderly users know by heart (1 2 3 on top,
0 at the bottom); a hall may choose a shuffled layout (``keypad = "shuffled"``), which places
the digits anew every time the PIN is asked, so that fingerprints on the glass or someone
watching the hand learn nothing. Every digit key has the same size and look in both layouts.

The digits live in one list in this widget only. :meth:`take_pin` hands them over and empties
the list in the same step; nothing else keeps them (no field, no undo history, no accessible
text: the dots' accessible name says how many digits are in, never which). The voice is never
told about a key press.
"""

from __future__ import annotations

import secrets

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

PIN_MIN = 4
PIN_MAX = 12
FIXED_ORDER = "1234567890"
DOT = "●"
EMPTY = "○"
EXPECTED_LENGTH = 6  # social security card PINs are six digits; longer ones still fit


class PinKeypadWidget(QWidget):
    """Digit keys, Delete, Clear and Confirm; the PIN as dots above them."""

    confirmed = Signal()  # the citizen pressed Confirm with enough digits
    changed = Signal(int)  # the number of digits now entered

    def __init__(self, layout: str = "fixed", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kioskKeypad")
        self._layout_kind = layout
        self._digits: list[str] = []
        self._enabled = True
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        # The keys on the left; the dots, Confirm (and the page's own buttons) on the right.
        outer = QHBoxLayout(self)
        outer.setSpacing(40)
        self._dots = QLabel(self)
        self._dots.setObjectName("kioskPinDots")
        self._dots.setAlignment(Qt.AlignmentFlag.AlignCenter)

        grid = QGridLayout()
        grid.setSpacing(10)
        self._digit_keys: list[QPushButton] = []
        for index in range(10):
            key = QPushButton(self)
            key.setObjectName(f"kioskKey{index}")  # the position, not the digit
            key.setProperty("kioskKey", True)
            key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            key.clicked.connect(self._on_digit_clicked)
            row, column = (3, 1) if index == 9 else divmod(index, 3)
            grid.addWidget(key, row, column)
            self._digit_keys.append(key)
        self._clear_key = QPushButton(self)
        self._clear_key.setObjectName("kioskKeyClear")
        self._clear_key.setProperty("kioskKey", True)
        self._clear_key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._clear_key.clicked.connect(self.clear)
        grid.addWidget(self._clear_key, 3, 0)
        self._back_key = QPushButton(self)
        self._back_key.setObjectName("kioskKeyBack")
        self._back_key.setProperty("kioskKey", True)
        self._back_key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._back_key.clicked.connect(self._on_back_clicked)
        grid.addWidget(self._back_key, 3, 2)
        outer.addLayout(grid, 3)
        self.side_column = QVBoxLayout()
        self.side_column.setSpacing(24)
        self.side_column.addWidget(self._dots)
        self.side_column.addStretch(1)
        self._confirm = QPushButton(self)
        self._confirm.setObjectName("kioskPinConfirm")
        self._confirm.setProperty("kioskPrimary", True)
        self._confirm.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._confirm.clicked.connect(self._on_confirm_clicked)
        self.side_column.addWidget(self._confirm)
        outer.addLayout(self.side_column, 2)
        self.arrange()
        self.retranslate()

    # The layout -----------------------------------------------------------------------------

    @property
    def layout_kind(self) -> str:
        """``fixed`` or ``shuffled``."""
        return self._layout_kind

    def arrange(self) -> None:
        """Put the digits on the keys: the telephone order, or a new random order."""
        order = list(FIXED_ORDER)
        if self._layout_kind == "shuffled":
            secrets.SystemRandom().shuffle(order)
        for key, digit in zip(self._digit_keys, order, strict=True):
            key.setText(digit)
            key.setProperty("digit", digit)

    def key_for(self, digit: str) -> QPushButton:
        """The key that now carries ``digit``."""
        return next(key for key in self._digit_keys if key.property("digit") == digit)

    def digit_order(self) -> str:
        """The digits in key order (top left to bottom right), e.g. ``1234567890``."""
        return "".join(str(key.property("digit")) for key in self._digit_keys)

    # The PIN --------------------------------------------------------------------------------

    @property
    def length(self) -> int:
        """How many digits are entered."""
        return len(self._digits)

    def take_pin(self) -> str:
        """Hand the PIN over and forget it at once."""
        pin = "".join(self._digits)
        self.clear()
        return pin

    @Slot()
    def clear(self) -> None:
        """Forget every digit entered."""
        self._digits.clear()
        self._update()

    def set_enabled(self, enabled: bool) -> None:
        """Keys work only while the kiosk waits for the PIN."""
        self._enabled = enabled
        self._update()

    def _add(self, digit: str) -> None:
        if self._enabled and len(self._digits) < PIN_MAX:
            self._digits.append(digit)
            self._update()

    @Slot()
    def _on_digit_clicked(self) -> None:
        self._add(str(self.sender().property("digit")))

    @Slot()
    def _on_back_clicked(self) -> None:
        if self._digits:
            self._digits.pop()
            self._update()

    @Slot()
    def _on_confirm_clicked(self) -> None:
        if self._enabled and len(self._digits) >= PIN_MIN:
            self.confirmed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A keyboard or a USB number pad works like the keys on screen.
        text = event.text()
        if text.isdigit() and len(text) == 1:
            self._add(text)
        elif event.key() == Qt.Key.Key_Backspace:
            self._on_back_clicked()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_confirm_clicked()
        else:
            super().keyPressEvent(event)

    # Text -----------------------------------------------------------------------------------

    def _update(self) -> None:
        count = len(self._digits)
        shown = max(EXPECTED_LENGTH, count)
        self._dots.setText(" ".join(DOT * count + EMPTY * (shown - count)))
        self._dots.setAccessibleName(
            self.tr("PIN: {count} digits entered").format(count=count) if count else ""
        )
        for key in (*self._digit_keys, self._clear_key, self._back_key):
            key.setEnabled(self._enabled)
        self._confirm.setEnabled(self._enabled and count >= PIN_MIN)
        self.changed.emit(count)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self._clear_key.setText(self.tr("Clear"))
        self._back_key.setText(self.tr("Delete"))
        self._confirm.setText(self.tr("Confirm"))
        self._update()
