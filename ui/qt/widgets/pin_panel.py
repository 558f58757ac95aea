"""PIN entry: tries left first, then a masked field with an on-screen keypad (or the reader's
own keypad), and the CHANGE PIN service.

The PIN state comes before any prompt: the tries left ("unknown" when the card cannot tell),
whether the PIN is blocked (then there is no prompt at all, only the way to the PIN-reset
service) and whether the reader has its own keypad (then the citizen keys the PIN there).

The PIN goes only to the card. ``take_pin()`` and ``take_change()`` hand it over and empty the
fields in the same step (``setText`` also drops a field's undo history), so the digits do not
stay on screen or in the widget while the card works.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, Signal, Slot
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

# States: idle, asking, ready (on-screen keypad), pinpad_ready, pinpad_waiting, verifying,
# change (CHANGE PIN on the on-screen keypad), changing, done, blocked, not_applicable (e-card).
_ENTRY_STATES = ("ready", "change")
_BUSY_STATES = ("verifying", "pinpad_waiting", "changing")


def _pin_edit(parent: QWidget, name: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(PIN_MAX)
    edit.setValidator(QRegularExpressionValidator(QRegularExpression(rf"\d{{0,{PIN_MAX}}}"), edit))
    edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    edit.setDragEnabled(False)
    return edit


class PinPanelWidget(QGroupBox):
    """Asks for the card PIN once the PIN state is known; offers CHANGE PIN."""

    verify_requested = Signal()
    pinpad_requested = Signal()
    change_requested = Signal()
    pin_reset_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinPanel")
        self._state = "idle"
        self._tries: int | None = None
        self._tries_known = False
        self._pinpad = False
        self._result_status = ""
        self._result_tries: int | None = None
        self._result_kind = "verify"  # "verify" or "change"
        self._back_after_change = "ready"  # where Cancel in CHANGE PIN goes back to
        self._error = ""

        layout = QVBoxLayout(self)
        self._tries_label = QLabel(self)
        self._tries_label.setObjectName("pinTriesLeft")
        layout.addWidget(self._tries_label)
        self._prompt = QLabel(self)
        self._prompt.setObjectName("pinPrompt")
        self._prompt.setWordWrap(True)
        layout.addWidget(self._prompt)

        self._pinpad_button = QPushButton(self)
        self._pinpad_button.setObjectName("pinPinpadButton")
        self._pinpad_button.clicked.connect(self._on_pinpad_clicked)
        layout.addWidget(self._pinpad_button)

        self._entry = QWidget(self)
        entry_layout = QVBoxLayout(self._entry)
        entry_layout.setContentsMargins(0, 0, 0, 0)
        self._verify_row = QWidget(self._entry)
        row = QHBoxLayout(self._verify_row)
        row.setContentsMargins(0, 0, 0, 0)
        self._edit = _pin_edit(self._verify_row, "pinEdit")
        self._edit.returnPressed.connect(self._on_verify_clicked)
        self._edit.textChanged.connect(self._on_text_changed)
        row.addWidget(self._edit, 1)
        self._verify = QPushButton(self._verify_row)
        self._verify.setObjectName("pinVerifyButton")
        self._verify.clicked.connect(self._on_verify_clicked)
        row.addWidget(self._verify)
        entry_layout.addWidget(self._verify_row)

        # CHANGE PIN: the old PIN and the new one twice, typed on the same keypad.
        # Side by side, captions above, so the panel grows little beside the keypad.
        self._change_box = QWidget(self._entry)
        change_grid = QGridLayout(self._change_box)
        change_grid.setContentsMargins(0, 0, 0, 0)
        self._old_caption = QLabel(self._change_box)
        self._new_caption = QLabel(self._change_box)
        self._repeat_caption = QLabel(self._change_box)
        self._old_edit = _pin_edit(self._change_box, "pinOldEdit")
        self._new_edit = _pin_edit(self._change_box, "pinNewEdit")
        self._repeat_edit = _pin_edit(self._change_box, "pinRepeatEdit")
        self._change_edits = (self._old_edit, self._new_edit, self._repeat_edit)
        captions = (self._old_caption, self._new_caption, self._repeat_caption)
        for column, (caption, edit) in enumerate(zip(captions, self._change_edits, strict=True)):
            caption.setBuddy(edit)
            change_grid.addWidget(caption, 0, column)
            change_grid.addWidget(edit, 1, column)
        for edit in self._change_edits:
            edit.installEventFilter(self)
            edit.textChanged.connect(self._on_text_changed)
        self._target = self._old_edit
        entry_layout.addWidget(self._change_box)

        # On-screen keypad: digits go into the masked field, never anywhere else.
        keypad = QGridLayout()
        self._digit_buttons: list[QPushButton] = []
        for index, digit in enumerate("1234567890"):
            button = QPushButton(digit, self._entry)
            button.setObjectName(f"pinKey{digit}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setProperty("digit", digit)
            button.setProperty("keypad", True)
            button.clicked.connect(self._on_digit_clicked)
            position = (3, 1) if digit == "0" else divmod(index, 3)
            keypad.addWidget(button, *position)
            self._digit_buttons.append(button)
        self._clear_key = QPushButton(self._entry)
        self._clear_key.setObjectName("pinKeyClear")
        self._clear_key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._clear_key.setProperty("keypad", True)
        self._clear_key.clicked.connect(self._on_clear_clicked)
        keypad.addWidget(self._clear_key, 3, 0)
        self._back_key = QPushButton(self._entry)
        self._back_key.setObjectName("pinKeyBack")
        self._back_key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._back_key.setProperty("keypad", True)
        self._back_key.clicked.connect(self._on_back_clicked)
        keypad.addWidget(self._back_key, 3, 2)
        entry_layout.addLayout(keypad)

        self._change_buttons = QWidget(self._entry)
        buttons = QHBoxLayout(self._change_buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        self._change_submit = QPushButton(self._change_buttons)
        self._change_submit.setObjectName("pinChangeSubmitButton")
        self._change_submit.clicked.connect(self._on_change_submit_clicked)
        self._change_cancel = QPushButton(self._change_buttons)
        self._change_cancel.setObjectName("pinChangeCancelButton")
        self._change_cancel.clicked.connect(self._on_change_cancel_clicked)
        buttons.addWidget(self._change_submit)
        buttons.addWidget(self._change_cancel)
        entry_layout.addWidget(self._change_buttons)
        layout.addWidget(self._entry)

        self._result = QLabel(self)
        self._result.setObjectName("pinResult")
        self._result.setWordWrap(True)
        layout.addWidget(self._result)
        self._change_button = QPushButton(self)
        self._change_button.setObjectName("pinChangeButton")
        self._change_button.clicked.connect(self._on_change_clicked)
        layout.addWidget(self._change_button)
        self._reset_button = QPushButton(self)
        self._reset_button.setObjectName("pinResetButton")
        self._reset_button.clicked.connect(self.pin_reset_requested)
        layout.addWidget(self._reset_button)
        layout.addStretch(1)
        self._apply_state()

    # States ---------------------------------------------------------------------------------

    def show_asking(self) -> None:
        """A card is in; the PIN state (tries left, blocked, pinpad) is being read."""
        self._state = "asking"
        self._tries_known = False
        self._result_status = ""
        self._apply_state()

    def show_pin_state(self, tries: int | None, *, blocked: bool, pinpad: bool) -> None:
        """The card's PIN state, before any prompt: a blocked PIN opens no entry at all."""
        self._tries = 0 if blocked and tries is None else tries
        self._tries_known = True
        self._pinpad = pinpad
        if blocked:
            self._state = "blocked"
        else:
            self._state = "pinpad_ready" if pinpad else "ready"
        self._apply_state()

    def show_tries(self, tries: int | None) -> None:
        """The tries left alone (None: the card does not say); the on-screen keypad opens."""
        self.show_pin_state(tries, blocked=tries == 0, pinpad=False)

    def show_not_applicable(self) -> None:
        """The citizen showed the e-card: no card PIN."""
        self.clear()
        self._state = "not_applicable"
        self._apply_state()

    def take_pin(self) -> str:
        """Hand over the PIN typed so far and empty the field at once."""
        pin = self._edit.text()
        self._edit.setText("")
        return pin

    def take_change(self) -> tuple[str, str]:
        """Hand over (old PIN, new PIN) and empty the three fields at once."""
        old, new = self._old_edit.text(), self._new_edit.text()
        for edit in self._change_edits:
            edit.setText("")
        self._target = self._old_edit
        return old, new

    def show_verifying(self) -> None:
        """VERIFY is on its way to the card."""
        self._state = "verifying"
        self._apply_state()

    def show_pinpad_waiting(self, waiting: bool) -> None:
        """The reader's keypad waits for the citizen (True) or stopped waiting."""
        if waiting and self._state in ("pinpad_ready", "verifying"):
            self._state = "pinpad_waiting"
        elif not waiting and self._state == "pinpad_waiting":
            self._state = "verifying"
        self._apply_state()

    def show_changing(self) -> None:
        """CHANGE PIN is on its way to the card."""
        self._state = "changing"
        self._apply_state()

    def show_result(self, status: str, tries_left: int | None) -> None:
        """The card's answer to VERIFY."""
        self._show_answer("verify", status, tries_left, "pinpad_ready" if self._pinpad else "ready")

    def show_change_result(self, status: str, tries_left: int | None) -> None:
        """The card's answer to CHANGE PIN."""
        self._show_answer("change", status, tries_left, "change")

    def _show_answer(self, kind: str, status: str, tries_left: int | None, retry: str) -> None:
        """Record the card's answer; then done, blocked, idle (card gone), or ``retry``."""
        self._result_kind = kind
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
            self._state = retry
        self._apply_state()

    def show_error(self, text: str) -> None:
        """A problem that is not a PIN result (e.g. another card, central, the keypad)."""
        self._error = text
        self._result_status = "error"
        if self._state in ("verifying", "pinpad_waiting"):
            if not self._tries_known:
                self._state = "idle"
            else:
                self._state = "pinpad_ready" if self._pinpad else "ready"
        elif self._state == "changing":
            self._state = "change"
        elif self._state == "asking":
            self._state = "idle"
        self._apply_state()

    def set_card_present(self, present: bool) -> None:
        """Entry is possible only while the card is in the reader."""
        if not present and self._state in (
            "asking", "ready", "pinpad_ready", "change", *_BUSY_STATES
        ):  # fmt: skip
            self._state = "idle"
            self._clear_fields()
        self._apply_state()

    def clear(self) -> None:
        """Back to the start: no tries, no result, empty fields."""
        self._clear_fields()
        self._state = "idle"
        self._tries = None
        self._tries_known = False
        self._pinpad = False
        self._result_status = ""
        self._error = ""
        self._apply_state()

    def _clear_fields(self) -> None:
        self._edit.setText("")
        for edit in self._change_edits:
            edit.setText("")
        self._target = self._old_edit

    @property
    def state(self) -> str:
        """One of the states listed at the top of this module."""
        return self._state

    @property
    def verified(self) -> bool:
        """True once the card accepted the PIN in this session."""
        return self._state == "done"

    @property
    def tries_text(self) -> str:
        """The tries-left line as shown."""
        return self._tries_label.text()

    # Slots ----------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The keypad types into the CHANGE PIN field the clerk or citizen last touched.
        focus = (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress)
        if event.type() in focus and watched in self._change_edits:
            self._target = watched
        return super().eventFilter(watched, event)

    def _typing_field(self) -> QLineEdit | None:
        if self._state == "ready":
            return self._edit
        if self._state == "change":
            return self._target
        return None

    @Slot()
    def _on_digit_clicked(self) -> None:
        field = self._typing_field()
        if field is None:
            return
        if len(field.text()) >= PIN_MAX and field is self._target:
            # A full field hands on to the next one.
            index = self._change_edits.index(field)
            if index + 1 < len(self._change_edits):
                field = self._target = self._change_edits[index + 1]
        if len(field.text()) < PIN_MAX:
            field.insert(str(self.sender().property("digit")))

    @Slot()
    def _on_clear_clicked(self) -> None:
        field = self._typing_field()
        if field is not None:
            field.setText("")

    @Slot()
    def _on_back_clicked(self) -> None:
        field = self._typing_field()
        if field is not None:
            field.backspace()

    @Slot(str)
    def _on_text_changed(self, _text: str) -> None:
        self._update_buttons()

    @Slot()
    def _on_verify_clicked(self) -> None:
        if self._state == "ready" and len(self._edit.text()) >= PIN_MIN:
            self.verify_requested.emit()

    @Slot()
    def _on_pinpad_clicked(self) -> None:
        if self._state == "pinpad_ready":
            self._result_status = ""
            self.pinpad_requested.emit()

    @Slot()
    def _on_change_clicked(self) -> None:
        if self._state in ("ready", "pinpad_ready", "done"):
            self._back_after_change = self._state
            self._state = "change"
            self._result_status = ""
            self._target = self._old_edit
            self._apply_state()
            self._old_edit.setFocus()

    @Slot()
    def _on_change_cancel_clicked(self) -> None:
        if self._state != "change":
            return
        for edit in self._change_edits:
            edit.setText("")
        self._state = self._back_after_change
        self._result_status = ""
        self._apply_state()

    @Slot()
    def _on_change_submit_clicked(self) -> None:
        if self._state != "change" or not self._change_complete():
            return
        if self._new_edit.text() != self._repeat_edit.text():
            self._new_edit.setText("")
            self._repeat_edit.setText("")
            self._target = self._new_edit
            self._error = messages.error_text(_Coded("pin_mismatch"))
            self._result_status = "error"
            self._apply_state()
            return
        self.change_requested.emit()

    def _change_complete(self) -> bool:
        return all(len(edit.text()) >= PIN_MIN for edit in self._change_edits)

    # Text -----------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._apply_state()
        super().changeEvent(event)

    def _update_buttons(self) -> None:
        self._verify.setEnabled(self._state == "ready" and len(self._edit.text()) >= PIN_MIN)
        self._change_submit.setEnabled(self._state == "change" and self._change_complete())

    def _apply_state(self) -> None:
        self.setTitle(self.tr("Card PIN"))
        self._verify.setText(self.tr("Verify PIN"))
        self._clear_key.setText(self.tr("Clear"))
        self._back_key.setText(self.tr("Delete"))
        self._reset_button.setText(self.tr("Open the PIN reset service"))
        self._change_button.setText(self.tr("Change PIN"))
        self._pinpad_button.setText(self.tr("Start PIN entry on the reader's keypad"))
        self._old_caption.setText(self.tr("Current PIN"))
        self._new_caption.setText(self.tr("New PIN"))
        self._repeat_caption.setText(self.tr("New PIN again"))
        self._change_submit.setText(self.tr("Change the PIN"))
        self._change_cancel.setText(self.tr("Cancel"))
        self._edit.setAccessibleName(self.tr("Card PIN"))
        self._old_edit.setAccessibleName(self.tr("Current PIN"))
        self._new_edit.setAccessibleName(self.tr("New PIN"))
        self._repeat_edit.setAccessibleName(self.tr("New PIN again"))

        state = self._state
        changing = state in ("change", "changing")
        # The keypad is shown while a PIN can be typed on screen; never for a blocked PIN.
        self._entry.setVisible(state in ("idle", "asking", "ready", "verifying") or changing)
        self._verify_row.setVisible(not changing)
        self._change_box.setVisible(changing)
        self._change_buttons.setVisible(changing)
        self._edit.setEnabled(state == "ready")
        for edit in self._change_edits:
            edit.setEnabled(state == "change")
        for button in (*self._digit_buttons, self._clear_key, self._back_key):
            button.setEnabled(state in _ENTRY_STATES)
        self._change_cancel.setEnabled(state == "change")
        self._update_buttons()
        self._pinpad_button.setVisible(state == "pinpad_ready")
        self._change_button.setVisible(state in ("ready", "pinpad_ready", "done"))

        # Tries left come first, before any prompt to type.
        if state == "asking":
            self._tries_label.setText(self.tr("Reading how many tries are left…"))
        elif self._tries_known and state != "not_applicable":
            self._tries_label.setText(messages.tries_left_text(self._tries))
        else:
            self._tries_label.setText("")

        prompt = {
            "idle": self.tr("Insert the card to enter the PIN."),
            "ready": self.tr(
                "Ask the citizen to enter the card PIN on the keypad ({minimum}–{maximum} digits)."
            ).format(minimum=PIN_MIN, maximum=PIN_MAX),
            "pinpad_ready": self.tr(
                "This reader has its own keypad: the citizen enters the PIN there."
            ),
            "pinpad_waiting": messages.pinpad_prompt_text(),
            "verifying": self.tr("Checking the PIN with the card…"),
            "change": self.tr(
                "Ask the citizen to enter the current PIN, then the new PIN twice "
                "({minimum}–{maximum} digits)."
            ).format(minimum=PIN_MIN, maximum=PIN_MAX),
            "changing": self.tr("Changing the PIN on the card…"),
            "blocked": self.tr("The PIN cannot be entered: it is blocked."),
            "not_applicable": self.tr(
                "No card PIN is needed: the citizen showed the electronic social security card."
            ),
        }.get(state, "")
        self._prompt.setText(prompt)
        self._prompt.setVisible(bool(prompt))

        if self._result_status == "error":
            result = self._error
        elif self._result_status and self._result_kind == "change":
            result = self._change_result_text(self._result_status, self._result_tries)
        elif self._result_status:
            result = messages.pin_result_text(self._result_status, self._result_tries)
        elif state == "blocked":
            result = messages.card_error_text("pin_blocked")
        else:
            result = ""
        self._result.setText(result)
        self._result.setVisible(bool(result))
        self._reset_button.setVisible(state == "blocked")

    def _change_result_text(self, status: str, tries: int | None) -> str:
        if status == "ok":
            return self.tr("The PIN has been changed. Use the new PIN from now on.")
        if status == "wrong":
            if tries is None:
                return self.tr("The current PIN is wrong. The PIN was not changed.")
            return self.tr(
                "The current PIN is wrong. The PIN was not changed. Tries left: {count}."
            ).format(count=tries)
        if status == "card_removed":
            return self.tr(
                "The card was taken out while the PIN was being changed. This does not count "
                "as a wrong PIN; insert the card and try again."
            )
        return messages.pin_result_text(status, tries)


class _Coded(Exception):
    """A local error with a message code, for messages.error_text."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
