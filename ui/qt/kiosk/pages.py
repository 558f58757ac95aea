"""The kiosk's screens: one decision each, in very large type, with the words for every state.

Each page shows a heading (what to do now) and a body (why, or what happens next) from
``ui.qt.kiosk.prompts``, and at most a few large buttons. Pages hold the citizen's data only
while they show it; ``clear()`` empties every one of them (the kiosk window calls it on every
reset) and a test looks through every widget and model afterwards.

Buttons carry object names (``kioskAgreeButton``, ...) for the tests and the style sheet; a
page reports a button press as ``action_chosen(name)`` so the window decides what follows.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QImage, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScroller,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.kiosk import ContributionRecords
from ui.qt.i18n import localized
from ui.qt.kiosk.documents import contribution_table
from ui.qt.kiosk.keypad import PinKeypadWidget
from ui.qt.kiosk.prompts import Prompt, challenge_prompt, prompt

log = logging.getLogger(__name__)

FACE_PREVIEW = 300


def _text(value: object) -> str:
    """A label: a function giving the text (translated by its owner) or a localized value."""
    return value() if callable(value) else localized(value)


def _drop(buttons: list[QPushButton]) -> None:
    """Take buttons off the screen at once and delete them later; empties the list."""
    for button in buttons:
        button.hide()
        button.setParent(None)
        button.deleteLater()
    buttons.clear()


class KioskPage(QWidget):
    """A screen with a heading and a body taken from a prompt code."""

    action_chosen = Signal(str)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._code = ""
        self._values: dict[str, object] = {}
        self._actions: list[tuple[QPushButton, str]] = []
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(40, 10, 40, 10)
        self.layout_.setSpacing(10)
        self.heading = QLabel(self)
        self.heading.setObjectName("kioskHeading")
        self.heading.setWordWrap(True)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.layout_.addWidget(self.heading)
        self.body = QLabel(self)
        self.body.setObjectName("kioskBody")
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.layout_.addWidget(self.body)

    # Prompt ---------------------------------------------------------------------------------

    def set_prompt(self, code: str, **values: object) -> Prompt:
        """Show the prompt ``code`` (``values`` fill its placeholders); returns it."""
        self._code = code
        self._values = dict(values)
        self.retranslate()
        return self.current_prompt()

    def current_prompt(self) -> Prompt:
        """The prompt now shown, in the current language."""
        if self._code == "challenge":
            return challenge_prompt(str(self._values.get("action", "")))
        return prompt(self._code, **self._values)

    @property
    def code(self) -> str:
        """The prompt code now shown (the screen code a staff call names)."""
        return self._code

    def clear(self) -> None:
        """Forget the prompt and the values shown (they may be personal)."""
        self._values = {}
        self._code = ""
        self.retranslate()

    # Buttons --------------------------------------------------------------------------------

    def add_action(self, name: str, *, primary: bool = False, row=None):
        """A large button that reports ``action_chosen(name)``; its text comes from retranslate."""
        button = QPushButton(self)
        button.setObjectName(name)
        button.setProperty("kioskPrimary" if primary else "kioskSecondary", True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.clicked.connect(self._on_button_clicked)
        if row is not None:
            row.addWidget(button)
        else:
            self.layout_.addWidget(button)
        self._actions.append((button, name))
        return button

    def button(self, name: str) -> QPushButton:
        """The button with this object name."""
        return next(b for b, n in self._actions if n == name)

    @Slot()
    def _on_button_clicked(self) -> None:
        self.action_chosen.emit(self.sender().objectName())

    # Text -----------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Heading and body in the current language."""
        if not self._code:
            self.heading.setText("")
            self.body.setText("")
            return
        shown = self.current_prompt()
        self.heading.setText(shown.heading)
        self.body.setText(shown.body)
        self.body.setVisible(bool(shown.body))


class MessagePage(KioskPage):
    """A heading, a body and up to a few large buttons; buttons are named by the window.

    ``buttons`` maps a button's object name to a function giving its text, so that the text
    follows the language. ``show_actions(names)`` decides which of them are visible.
    """

    def __init__(self, name: str, buttons: dict, parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        self.layout_.addStretch(1)
        self._texts = dict(buttons)
        row = QHBoxLayout()
        row.setSpacing(30)
        for index, button_name in enumerate(buttons):
            self.add_action(button_name, primary=index == 0, row=row)
        self.layout_.addLayout(row)
        self.retranslate()

    def show_actions(self, names: list[str] | tuple[str, ...]) -> None:
        """Make only ``names`` visible, in their given order of importance."""
        for button, name in self._actions:
            button.setVisible(name in names)

    def retranslate(self) -> None:
        """Texts in the current language."""
        super().retranslate()
        for button, name in getattr(self, "_actions", []):
            button.setText(self._texts[name]())


class ClosedPage(KioskPage):
    """The kiosk is not open: a staff member signs in to open it (online, clerk role)."""

    open_requested = Signal()

    def __init__(self, *, training: bool, parent: QWidget | None = None) -> None:
        super().__init__("kioskClosedPage", parent)
        self._training = training
        self._message = ""
        self._busy = False
        box = QWidget(self)
        box.setObjectName("kioskStaffBox")
        form = QFormLayout(box)
        self._user_label = QLabel(box)
        self.username = QLineEdit(box)
        self.username.setObjectName("kioskUsername")
        self._password_label = QLabel(box)
        self.password = QLineEdit(box)
        self.password.setObjectName("kioskPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self._on_open_clicked)
        form.addRow(self._user_label, self.username)
        form.addRow(self._password_label, self.password)
        self._open = QPushButton(box)
        self._open.setObjectName("kioskOpenButton")
        self._open.setProperty("kioskSecondary", True)
        self._open.clicked.connect(self._on_open_clicked)
        form.addRow(self._open)
        self._message_label = QLabel(box)
        self._message_label.setObjectName("kioskStaffMessage")
        self._message_label.setWordWrap(True)
        form.addRow(self._message_label)
        self._hint = QLabel(box)
        self._hint.setWordWrap(True)
        form.addRow(self._hint)
        self.layout_.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 2)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.layout_.addStretch(1)
        self.set_prompt("closed")

    def take_credentials(self) -> tuple[str, str]:
        """User name and password; both fields are emptied at once."""
        username, password = self.username.text().strip(), self.password.text()
        self.username.setText("")
        self.password.setText("")
        return username, password

    def set_busy(self, busy: bool) -> None:
        """While central checks the sign-in."""
        self._busy = busy
        self.retranslate()

    def show_message(self, text: str) -> None:
        """Why the kiosk could not be opened ("" clears)."""
        self._message = text
        self.retranslate()

    def set_staff_enabled(self, enabled: bool) -> None:
        """The sign-in opens only once the desk has started."""
        self._open.setEnabled(enabled and not self._busy)
        self.username.setEnabled(enabled)
        self.password.setEnabled(enabled)

    @Slot()
    def _on_open_clicked(self) -> None:
        if not self._busy and self.username.text().strip() and self.password.text():
            self.open_requested.emit()

    def retranslate(self) -> None:
        """Texts in the current language."""
        super().retranslate()
        if not hasattr(self, "_open"):
            return
        self._user_label.setText(self.tr("Staff user name"))
        self._password_label.setText(self.tr("Password"))
        self._open.setText(self.tr("Checking…") if self._busy else self.tr("Open the kiosk"))
        self._open.setEnabled(not self._busy)
        self._message_label.setText(self._message)
        self._message_label.setVisible(bool(self._message))
        self._hint.setText(
            self.tr(
                "Staff: sign in with a clerk account to open this kiosk. Cases made here name "
                "that account. Training mode: use the training clerk account."
            )
            if self._training
            else self.tr(
                "Staff: sign in with a clerk account to open this kiosk. Cases made here name "
                "that account."
            )
        )


class PinPage(KioskPage):
    """The PIN: tries left, the dots, the keypad, and Cancel.

    On a reader with its own keypad (a pinpad) the on-screen keypad is hidden: the page asks
    for the PIN on the reader, and after a timeout or a cancel on the reader offers to try
    again (``kioskPinpadRetry``) or to stop (``kioskPinpadCancel``).
    """

    KEYPAD = "keypad"
    PINPAD = "pinpad"
    PINPAD_RETRY = "pinpad_retry"

    def __init__(self, keypad_layout: str, parent: QWidget | None = None) -> None:
        super().__init__("kioskPinPage", parent)
        self._mode = self.KEYPAD
        self.keypad = PinKeypadWidget(keypad_layout, self)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.keypad, 6)
        row.addStretch(1)
        self.layout_.addLayout(row, 1)
        self.add_action("kioskPinCancel", row=self.keypad.side_column)
        self.reader_hint = QLabel(self)
        self.reader_hint.setObjectName("kioskPinpadHint")
        self.reader_hint.setWordWrap(True)
        self.reader_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.layout_.addWidget(self.reader_hint)
        self.layout_.addStretch(1)
        self.pinpad_actions = QWidget(self)
        pinpad_row = QHBoxLayout(self.pinpad_actions)
        pinpad_row.setContentsMargins(0, 0, 0, 0)
        pinpad_row.setSpacing(30)
        self.add_action("kioskPinpadRetry", primary=True, row=pinpad_row)
        self.add_action("kioskPinpadCancel", row=pinpad_row)
        self.layout_.addWidget(self.pinpad_actions)
        self.set_mode(self.KEYPAD)
        self.retranslate()

    @property
    def mode(self) -> str:
        """``keypad`` (on screen), ``pinpad`` (on the reader) or ``pinpad_retry``."""
        return self._mode

    def set_mode(self, mode: str) -> None:
        """Show the on-screen keypad, or the reader's prompt (with Try again after a stop)."""
        self._mode = mode
        on_screen = mode == self.KEYPAD
        self.keypad.setVisible(on_screen)
        self.reader_hint.setVisible(not on_screen)
        self.button("kioskPinpadRetry").setVisible(mode == self.PINPAD_RETRY)
        self.button("kioskPinpadCancel").setVisible(not on_screen)
        self.pinpad_actions.setVisible(not on_screen)

    def clear(self) -> None:
        """No digits, no tries."""
        self.keypad.clear()
        super().clear()

    def retranslate(self) -> None:
        """Texts in the current language."""
        super().retranslate()
        if len(self._actions) < 3:
            return
        self.button("kioskPinCancel").setText(self.tr("Cancel and take the card"))
        self.button("kioskPinpadRetry").setText(self.tr("Try again"))
        self.button("kioskPinpadCancel").setText(self.tr("Cancel and take the card"))
        self.reader_hint.setText(
            self.tr("The keypad is on the card reader below the screen. Nothing is typed here.")
        )


class FacePage(KioskPage):
    """The camera step: the liveness instruction, the camera's picture and what to do next.

    The picture is the desk camera's (mirrored, as in a mirror) while a check runs; in
    training it is the sample photo, and ``caption`` says so and that liveness is not checked.
    ``advice`` carries the check's latest hint (come closer, more light, ...).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("kioskFacePage", parent)
        self._sample = False
        self._live = False
        self._advice: str | None = None
        row = QHBoxLayout()
        row.setSpacing(30)
        row.addStretch(1)
        self.preview = QLabel(self)
        self.preview.setObjectName("kioskFacePreview")
        self.preview.setFixedSize(FACE_PREVIEW, FACE_PREVIEW)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        self.caption = QLabel(self)
        self.caption.setObjectName("kioskFaceCaption")
        self.caption.setWordWrap(True)
        column.addWidget(self.caption)
        self.advice = QLabel(self)
        self.advice.setObjectName("kioskFaceAdvice")
        self.advice.setWordWrap(True)
        column.addWidget(self.advice)
        column.addStretch(1)
        row.addLayout(column, 2)
        row.addStretch(1)
        self.layout_.addLayout(row, 1)
        self.add_action("kioskFaceDecline")
        self.retranslate()

    def start(self, *, sample: bool) -> None:
        """A face check begins: no picture yet; ``sample``: training's still sample photo."""
        self.preview.clear()
        self._live = True
        self._sample = sample
        self._advice = None
        self.retranslate()

    def stop(self) -> None:
        """The face check ended: the picture goes."""
        self.preview.clear()
        self._live = False
        self._sample = False
        self._advice = None
        self.retranslate()

    def show_frame(self, image: QImage | None) -> None:
        """The camera's latest picture (None: the camera has none)."""
        if not self._live:
            return
        if image is None or image.isNull():
            self.preview.clear()
        else:
            self._set_pixmap(QPixmap.fromImage(image))
        self.retranslate()

    def _set_pixmap(self, pixmap: QPixmap) -> None:
        self.preview.setPixmap(
            pixmap.scaled(
                FACE_PREVIEW,
                FACE_PREVIEW,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def set_advice(self, code: str | None) -> None:
        """The live check's hint for the citizen (a quality prompt code; None: none)."""
        self._advice = code
        self.retranslate()

    @property
    def has_picture(self) -> bool:
        """True while a picture is shown."""
        pixmap = self.preview.pixmap()
        return pixmap is not None and not pixmap.isNull()

    def clear(self) -> None:
        """No picture."""
        self.preview.clear()
        self._sample = False
        self._live = False
        self._advice = None
        super().clear()

    def _advice_text(self) -> str:
        return {
            "face_camera": self.tr("Please look straight at the camera."),
            "move_closer": self.tr("Please come a little closer to the screen."),
            "more_light": self.tr("It is too dark here. Please ask a staff member for help."),
            "less_light": self.tr("There is too much light behind you."),
            "hold_still": self.tr("Please hold still for a moment."),
            "passed": self.tr("Well done. Comparing with your card photo…"),
        }.get(self._advice or "", "")

    def retranslate(self) -> None:
        """Texts in the current language."""
        super().retranslate()
        if not hasattr(self, "advice"):
            return
        if self._sample:
            self.caption.setText(
                self.tr(
                    "Training: the sample photo stands in for the camera. Liveness is not checked."
                )
            )
        elif self._live:
            self.caption.setText(self.tr("The camera sees you as in a mirror."))
        else:
            self.caption.setText("")
        if not self.has_picture:
            self.preview.setText(self.tr("Camera"))
        self.caption.setVisible(bool(self.caption.text()))
        advice = self._advice_text()
        self.advice.setText(advice)
        self.advice.setVisible(bool(advice))
        if self._actions:
            self.button("kioskFaceDecline").setText(self.tr("Stop the face check"))


class MenuPage(KioskPage):
    """The services: one large button each; a service the citizen cannot use here says why."""

    service_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("kioskMenuPage", parent)
        self._entries: list[dict] = []
        self._buttons: list[QPushButton] = []
        self._grid = QGridLayout()
        self._grid.setSpacing(24)
        self.layout_.addLayout(self._grid)
        self.layout_.addStretch(1)
        self.add_action("kioskFinishButton")
        self.retranslate()

    def set_entries(self, entries: list[dict]) -> None:
        """``[{"code", "name", "why_not"}]``: name a function or a localized value; why_not a
        function giving the reason the service cannot be used here ("" when it can)."""
        _drop(self._buttons)
        self._entries = list(entries)
        for entry in self._entries:
            # The name and, when the service cannot be used here, why: two labels inside the
            # button, so that a long reason wraps instead of widening the button.
            button = QPushButton(self)
            button.setObjectName(f"kioskService_{entry['code']}")
            button.setProperty("kioskService", True)
            button.setProperty("code", entry["code"])
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(self._on_service_clicked)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
            inner = QVBoxLayout(button)
            inner.setContentsMargins(20, 8, 20, 8)
            inner.setSpacing(2)
            for label_name in ("kioskServiceName", "kioskServiceReason"):
                label = QLabel(button)
                label.setObjectName(label_name)
                label.setWordWrap(True)
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
                inner.addWidget(label)
            row, column = divmod(len(self._buttons), 2)
            self._grid.addWidget(button, row, column)
            button.show()  # added to a page that may already be on screen
            self._buttons.append(button)
        self.retranslate()

    def service_button(self, code: str) -> QPushButton:
        """The button of a service."""
        return next(b for b in self._buttons if b.property("code") == code)

    def service_text(self, code: str) -> str:
        """What the button of a service says: its name, and why it cannot be used here."""
        button = self.service_button(code)
        labels = [button.findChild(QLabel, n) for n in ("kioskServiceName", "kioskServiceReason")]
        return "\n".join(label.text() for label in labels if label.text())

    @Slot()
    def _on_service_clicked(self) -> None:
        self.service_chosen.emit(str(self.sender().property("code")))

    def clear(self) -> None:
        """No greeting, no services."""
        self.set_entries([])
        super().clear()

    def retranslate(self) -> None:
        """Texts in the current language."""
        super().retranslate()
        for button, entry in zip(getattr(self, "_buttons", []), self._entries, strict=True):
            why_not = entry["why_not"]() if entry.get("why_not") else ""
            name = _text(entry["name"])
            # Unavailable is said in words, not only by a greyed-out button.
            name_label = button.findChild(QLabel, "kioskServiceName")
            reason_label = button.findChild(QLabel, "kioskServiceReason")
            name_label.setText(name)
            reason_label.setText(why_not)
            reason_label.setVisible(bool(why_not))
            for label in (name_label, reason_label):
                label.setProperty("unavailable", bool(why_not))
                label.style().unpolish(label)
                label.style().polish(label)
            button.setAccessibleName(f"{name}. {why_not}" if why_not else name)
            button.setEnabled(not why_not)
        if self._actions:
            self.button("kioskFinishButton").setText(self.tr("Finish and take the card"))


class RecordsPage(KioskPage):
    """The contribution record: a summary line and a table of years; Print or Back."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("kioskRecordsPage", parent)
        self._records: ContributionRecords | None = None
        self.model = QStandardItemModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("kioskRecordsTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(64)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Drag with a finger to scroll, as on a phone.
        QScroller.grabGesture(self.table.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        self.layout_.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.setSpacing(30)
        self.add_action("kioskPrintRecords", primary=True, row=row)
        self.add_action("kioskBackToMenu", row=row)
        self.layout_.addLayout(row)
        self.retranslate()

    def show_records(self, records: ContributionRecords) -> None:
        """Fill the table, most recent year first."""
        self._records = records
        self.retranslate()
        self.table.scrollToTop()

    def clear(self) -> None:
        """Empty the table and the model."""
        self._records = None
        self.model.clear()
        super().clear()

    def retranslate(self) -> None:
        """Texts in the current language."""
        super().retranslate()
        if not hasattr(self, "model"):
            return
        self.model.clear()
        if self._records is not None:
            header, *rows = contribution_table(self._records)
            self.model.setHorizontalHeaderLabels(list(header[:4]))
            for row in reversed(rows):
                items = [QStandardItem(cell) for cell in row[:4]]
                for item in items[1:]:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.model.appendRow(items)
        if self._actions:
            self.button("kioskPrintRecords").setText(self.tr("Print the records"))
            self.button("kioskBackToMenu").setText(self.tr("Back to the services"))


class QuestionPage(KioskPage):
    """One question of a service's form: one large button per answer, and Back."""

    answered = Signal(object)  # the answer's value (a code or a bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("kioskQuestionPage", parent)
        self._options: list[tuple[object, object]] = []  # (value, localized label)
        self._title: object = ""
        self._buttons: list[QPushButton] = []
        self._list = QVBoxLayout()
        self._list.setSpacing(20)
        self.layout_.addLayout(self._list)
        self.layout_.addStretch(1)
        self.add_action("kioskQuestionBack")
        self.retranslate()

    def ask(self, title: object, options: list[tuple[object, object]]) -> Prompt:
        """Ask ``title`` with these ``(value, label)`` options; returns the prompt shown."""
        _drop(self._buttons)
        self._title = title
        self._options = list(options)
        for index, _ in enumerate(self._options):
            button = QPushButton(self)
            button.setObjectName(f"kioskAnswer{index}")
            button.setProperty("kioskService", True)
            button.setProperty("index", index)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(self._on_answer_clicked)
            self._list.addWidget(button)
            button.show()  # added to a page that may already be on screen
            self._buttons.append(button)
        return self.set_prompt("question", title=localized(title))

    def answer_button(self, value: object) -> QPushButton:
        """The button of an answer value."""
        index = next(i for i, (v, _) in enumerate(self._options) if v == value)
        return self._buttons[index]

    @Slot()
    def _on_answer_clicked(self) -> None:
        index = int(self.sender().property("index"))
        self.answered.emit(self._options[index][0])

    def current_prompt(self) -> Prompt:
        """The question, with its title in the current language."""
        if self._code == "question":
            return prompt("question", title=localized(self._title))
        return super().current_prompt()

    def clear(self) -> None:
        """No question."""
        _drop(self._buttons)
        self._options = []
        self._title = ""
        super().clear()

    def retranslate(self) -> None:
        """Texts in the current language."""
        super().retranslate()
        for button, (_, label) in zip(getattr(self, "_buttons", []), self._options, strict=True):
            button.setText(_text(label))
        if self._actions:
            self.button("kioskQuestionBack").setText(self.tr("Back to the services"))


class AdminPage(KioskPage):
    """Hidden behind the corner gesture: an admin signs in, then closes or leaves the kiosk."""

    sign_in_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("kioskAdminPage", parent)
        self._signed_in = ""
        self._message = ""
        self._busy = False
        box = QWidget(self)
        form = QFormLayout(box)
        self._user_label = QLabel(box)
        self.username = QLineEdit(box)
        self.username.setObjectName("kioskAdminUsername")
        self._password_label = QLabel(box)
        self.password = QLineEdit(box)
        self.password.setObjectName("kioskAdminPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self._on_sign_in_clicked)
        form.addRow(self._user_label, self.username)
        form.addRow(self._password_label, self.password)
        self._sign_in = QPushButton(box)
        self._sign_in.setObjectName("kioskAdminSignIn")
        self._sign_in.setProperty("kioskSecondary", True)
        self._sign_in.clicked.connect(self._on_sign_in_clicked)
        form.addRow(self._sign_in)
        self._message_label = QLabel(box)
        self._message_label.setObjectName("kioskAdminMessage")
        self._message_label.setWordWrap(True)
        form.addRow(self._message_label)
        self._form_box = box
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 2)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.layout_.addStretch(1)
        actions = QHBoxLayout()
        actions.setSpacing(30)
        for name in ("kioskAdminExit", "kioskAdminClose", "kioskAdminBack"):
            # An admin may use a keyboard here: Tab and Space work on these buttons.
            self.add_action(name, row=actions).setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.layout_.addLayout(actions)
        self.set_prompt("admin")

    def take_credentials(self) -> tuple[str, str]:
        """User name and password; both fields are emptied at once."""
        username, password = self.username.text().strip(), self.password.text()
        self.username.setText("")
        self.password.setText("")
        return username, password

    def set_busy(self, busy: bool) -> None:
        """While central checks the sign-in."""
        self._busy = busy
        self.retranslate()

    def show_message(self, text: str) -> None:
        """Why the sign-in failed ("" clears)."""
        self._message = text
        self.retranslate()

    def set_signed_in(self, username: str) -> None:
        """An admin signed in ("" to go back to the sign-in form)."""
        self._signed_in = username
        self._message = ""
        self.retranslate()
        if username:
            self.button("kioskAdminExit").setFocus()

    @property
    def signed_in(self) -> str:
        """The admin signed in here, or ""."""
        return self._signed_in

    def clear(self) -> None:
        """Back to the sign-in form, fields empty."""
        self.username.setText("")
        self.password.setText("")
        self._signed_in = ""
        self._message = ""
        self._busy = False
        super().clear()
        self.set_prompt("admin")

    @Slot()
    def _on_sign_in_clicked(self) -> None:
        if not self._busy and self.username.text().strip() and self.password.text():
            self.sign_in_requested.emit()

    def retranslate(self) -> None:
        """Texts in the current language."""
        super().retranslate()
        if not hasattr(self, "_form_box"):
            return
        self._user_label.setText(self.tr("Administrator"))
        self._password_label.setText(self.tr("Password"))
        self._sign_in.setText(self.tr("Checking…") if self._busy else self.tr("Sign in"))
        self._sign_in.setEnabled(not self._busy)
        self._message_label.setText(self._message)
        self._message_label.setVisible(bool(self._message))
        signed_in = bool(self._signed_in)
        self._form_box.setVisible(not signed_in)
        self.button("kioskAdminExit").setText(self.tr("Exit the kiosk program"))
        self.button("kioskAdminClose").setText(self.tr("Close the kiosk (stop service)"))
        self.button("kioskAdminBack").setText(self.tr("Back to service"))
        self.button("kioskAdminExit").setVisible(signed_in)
        self.button("kioskAdminClose").setVisible(signed_in)
        if signed_in:
            self.body.setText(
                self.tr("Signed in as {name}. Choose what to do.").format(name=self._signed_in)
            )
