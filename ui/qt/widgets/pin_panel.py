"""PIN entry: tries left first, then a masked field with an on-screen keypad.

The PIN goes only to the card. ``take_pin()`` hands it over and empties the field in the same
step (``setText`` also drops the field's undo history), so the digits do not stay on screen or
in the widget while the card works.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRegularExpression, Qt, Signal, Slot
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.qt import messages

PIN_MIN = 4
PIN_MAX = 12


class PinPanelWidget(QGroupBox):
    """Asks for the card PIN once the tries left are known."""

    verify_requested = Signal()
    pin_reset_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinPanel")
        self._state = "idle"  # idle, asking, ready, verifying, done, blocked, error
        self._tries: int | None = None
        self._tries_known = False
        self._result_status = ""
        self._result_tries: int | None = None
        self._error = ""

        layout = QVBoxLayout(self)
        self._tries_label = QLabel(self)
        self._tries_label.setObjectName("pinTriesLeft")
        layout.addWidget(self._tries_label)
        self._prompt = QLabel(self)
        self._prompt.setWordWrap(True)
        layout.addWidget(self._prompt)

        self._entry = QWidget(self)
        entry_layout = QVBoxLayout(self._entry)
        entry_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self._edit = QLineEdit(self)
        self._edit.setObjectName("pinEdit")
        self._edit.setEchoMode(QLineEdit.EchoMode.Password)
        self._edit.setMaxLength(PIN_MAX)
        self._edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(rf"\d{{0,{PIN_MAX}}}"), self._edit)
        )
        self._edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self._edit.setDragEnabled(False)
        self._edit.returnPressed.connect(self._on_verify_clicked)
        self._edit.textChanged.connect(self._on_text_changed)
        row.addWidget(self._edit, 1)
        self._verify = QPushButton(self)
        self._verify.setObjectName("pinVerifyButton")
        self._verify.clicked.connect(self._on_verify_clicked)
        row.addWidget(self._verify)
        entry_layout.addLayout(row)

        # On-screen keypad: digits go into the masked field, never anywhere else.
        keypad = QGridLayout()
        self._digit_buttons: list[QPushButton] = []
        for index, digit in enumerate("1234567890"):
            button = QPushButton(digit, self)
            button.setObjectName(f"pinKey{digit}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setProperty("digit", digit)
            button.setProperty("keypad", True)
            button.clicked.connect(self._on_digit_clicked)
            position = (3, 1) if digit == "0" else divmod(index, 3)
            keypad.addWidget(button, *position)
            self._digit_buttons.append(button)
        self._clear_key = QPushButton(self)
        self._clear_key.setObjectName("pinKeyClear")
        self._clear_key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._clear_key.setProperty("keypad", True)
        self._clear_key.clicked.connect(self._on_clear_clicked)
        keypad.addWidget(self._clear_key, 3, 0)
        self._back_key = QPushButton(self)
        self._back_key.setObjectName("pinKeyBack")
        self._back_key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._back_key.setProperty("keypad", True)
        self._back_key.clicked.connect(self._on_back_clicked)
        keypad.addWidget(self._back_key, 3, 2)
        entry_layout.addLayout(keypad)
        layout.addWidget(self._entry)

        self._result = QLabel(self)
        self._result.setObjectName("pinResult")
        self._result.setWordWrap(True)
        layout.addWidget(self._result)
        self._reset_button = QPushButton(self)
        self._reset_button.setObjectName("pinResetButton")
        self._reset_button.clicked.connect(self.pin_reset_requested)
        layout.addWidget(self._reset_button)
        layout.addStretch(1)
        self._apply_state()

    # States ---------------------------------------------------------------------------------

    def show_asking(self) -> None:
        """A card is in; the tries left are being read."""
        self._state = "asking"
        self._tries_known = False
        self._result_status = ""
        self._apply_state()

    def show_tries(self, tries: int | None) -> None:
        """The card said how many tries are left (None: it does not say); entry opens."""
        self._tries = tries
        self._tries_known = True
        self._state = "blocked" if tries == 0 else "ready"
        self._apply_state()

    def take_pin(self) -> str:
        """Hand over the PIN typed so far and empty the field at once."""
        pin = self._edit.text()
        self._edit.setText("")
        return pin

    def show_verifying(self) -> None:
        """VERIFY is on its way to the card."""
        self._state = "verifying"
        self._apply_state()

    def show_result(self, status: str, tries_left: int | None) -> None:
        """The card's answer to VERIFY."""
        self._result_status = status
        self._result_tries = tries_left
        if tries_left is not None:
            self._tries = tries_left
            self._tries_known = True
        if status == "ok":
            self._state = "done"
        elif status == "blocked":
            self._state = "blocked"
        elif status == "card_removed":
            self._state = "idle"
        else:
            self._state = "ready"
        self._apply_state()

    def show_error(self, text: str) -> None:
        """A problem that is not a PIN result (e.g. another card, central)."""
        self._error = text
        self._result_status = "error"
        if self._state == "verifying":
            self._state = "ready" if self._tries_known else "idle"
        self._apply_state()

    def set_card_present(self, present: bool) -> None:
        """Entry is possible only while the card is in the reader."""
        if not present and self._state in ("asking", "ready", "verifying"):
            self._state = "idle"
            self._edit.setText("")
        self._apply_state()

    def clear(self) -> None:
        """Back to the start: no tries, no result, an empty field."""
        self._edit.setText("")
        self._state = "idle"
        self._tries = None
        self._tries_known = False
        self._result_status = ""
        self._error = ""
        self._apply_state()

    @property
    def state(self) -> str:
        """idle, asking, ready, verifying, done, blocked or error."""
        return self._state

    @property
    def verified(self) -> bool:
        """True once the card accepted the PIN in this session."""
        return self._state == "done"

    # Slots ----------------------------------------------------------------------------------

    @Slot()
    def _on_digit_clicked(self) -> None:
        if self._state == "ready" and len(self._edit.text()) < PIN_MAX:
            self._edit.insert(str(self.sender().property("digit")))

    @Slot()
    def _on_clear_clicked(self) -> None:
        self._edit.setText("")

    @Slot()
    def _on_back_clicked(self) -> None:
        self._edit.backspace()

    @Slot(str)
    def _on_text_changed(self, _text: str) -> None:
        self._verify.setEnabled(self._state == "ready" and len(self._edit.text()) >= PIN_MIN)

    @Slot()
    def _on_verify_clicked(self) -> None:
        if self._state == "ready" and len(self._edit.text()) >= PIN_MIN:
            self.verify_requested.emit()

    # Text -----------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._apply_state()
        super().changeEvent(event)

    def _apply_state(self) -> None:
        self.setTitle(self.tr("Card PIN"))
        self._verify.setText(self.tr("Verify PIN"))
        self._clear_key.setText(self.tr("Clear"))
        self._back_key.setText(self.tr("Delete"))
        self._reset_button.setText(self.tr("Open the PIN reset service"))
        self._edit.setAccessibleName(self.tr("Card PIN"))

        entry_open = self._state == "ready"
        # Once the PIN is accepted or blocked there is nothing more to type.
        self._entry.setVisible(self._state not in ("done", "blocked"))
        self._edit.setEnabled(entry_open)
        for button in (*self._digit_buttons, self._clear_key, self._back_key):
            button.setEnabled(entry_open)
        self._verify.setEnabled(entry_open and len(self._edit.text()) >= PIN_MIN)

        # Tries left come first, before any prompt to type.
        if self._state == "asking":
            self._tries_label.setText(self.tr("Reading how many tries are left…"))
        elif self._tries_known:
            self._tries_label.setText(messages.tries_left_text(self._tries))
        else:
            self._tries_label.setText("")

        prompt = {
            "idle": self.tr("Insert the card to enter the PIN."),
            "asking": "",
            "ready": self.tr(
                "Ask the citizen to enter the card PIN on the keypad ({minimum}–{maximum} digits)."
            ).format(minimum=PIN_MIN, maximum=PIN_MAX),
            "verifying": self.tr("Checking the PIN with the card…"),
            "done": "",
            "blocked": self.tr("The PIN cannot be entered: it is blocked."),
        }.get(self._state, "")
        self._prompt.setText(prompt)
        self._prompt.setVisible(bool(prompt))

        if self._result_status == "error":
            result = self._error
        elif self._result_status:
            result = messages.pin_result_text(self._result_status, self._result_tries)
        elif self._state == "blocked":
            result = messages.pin_result_text("blocked", 0)
        else:
            result = ""
        self._result.setText(result)
        self._result.setVisible(bool(result))
        self._reset_button.setVisible(self._state == "blocked")
