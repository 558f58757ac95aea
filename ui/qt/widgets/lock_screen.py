"""The lock screen, and the watcher of input that keeps the desk from locking while in use.

The Desk locks itself after the hall's idle time (``[security] idle_lock_minutes``) or when
asked (``desk.lock()``) and reports ``on_session_locked``; the clerk window then shows
:class:`LockScreenWidget` in place of every page, so nothing of the citizen stays on screen.
The same staff member unlocks with their password (``desk.unlock``), or signs out, which wipes
the citizen's data.

:class:`ActivityFilter` sits on the application and calls ``desk.touch()`` on keyboard, mouse
and touch input, at most once every ``interval`` seconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.qt.widgets.secret_edit import secret_edit, take_text

log = logging.getLogger(__name__)

# Input that counts as using the desk.
ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
    }
)


class ActivityFilter(QObject):
    """Calls ``touch()`` on user input anywhere in the application, throttled.

    Install with ``app.installEventFilter(filter)``. ``active()`` says whether input counts
    now (a staff member signed in and the screen not locked); ``clock`` gives seconds.
    """

    def __init__(
        self,
        touch: Callable[[], None],
        active: Callable[[], bool],
        *,
        interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._touch = touch
        self._active = active
        self.interval = interval
        self._clock = clock
        self._last: float | None = None
        self.touches = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS:
            now = self._clock()
            if (self._last is None or now - self._last >= self.interval) and self._active():
                self._last = now
                self.touches += 1
                try:
                    self._touch()
                except Exception:
                    log.exception("desk.touch failed")
        return False


class LockScreenWidget(QWidget):
    """ "Screen locked": the staff member's password to go on, or sign out."""

    unlock_requested = Signal()
    sign_out_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self._name = ""
        self._reason = ""
        self._busy = False
        self._message = ""

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QWidget(self)
        layout = QVBoxLayout(box)
        self._heading = QLabel(box)
        self._heading.setObjectName("lockHeading")
        heading_font = self._heading.font()
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.5)
        self._heading.setFont(heading_font)
        layout.addWidget(self._heading)
        self._who = QLabel(box)
        self._who.setObjectName("lockWho")
        self._who.setWordWrap(True)
        layout.addWidget(self._who)
        self._password_label = QLabel(box)
        layout.addWidget(self._password_label)
        self.password = secret_edit(box, "lockPasswordEdit")
        self.password.returnPressed.connect(self._on_unlock_clicked)
        self._password_label.setBuddy(self.password)
        layout.addWidget(self.password)
        buttons = QHBoxLayout()
        self.unlock_button = QPushButton(box)
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self.sign_out_button = QPushButton(box)
        self.sign_out_button.setObjectName("lockSignOutButton")
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.sign_out_button)
        layout.addLayout(buttons)
        self._message_label = QLabel(box)
        self._message_label.setObjectName("fieldError")
        self._message_label.setWordWrap(True)
        layout.addWidget(self._message_label)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.retranslate()

    def show_locked(self, name: str, reason: str) -> None:
        """Show who is signed in and why the screen locked (``idle`` or ``manual``)."""
        self._name = name
        self._reason = reason
        self._message = ""
        self._busy = False
        self.password.setText("")
        self.retranslate()
        self.password.setFocus()

    def take_password(self) -> str:
        """The password typed; the field is emptied at once."""
        return take_text(self.password)

    def set_busy(self, busy: bool) -> None:
        """While the password is checked, the buttons wait."""
        self._busy = busy
        self.retranslate()

    def show_message(self, text: str) -> None:
        """Why the unlock failed ("" clears)."""
        self._message = text
        self.retranslate()

    def message(self) -> str:
        """The message now shown."""
        return self._message

    @Slot()
    def _on_unlock_clicked(self) -> None:
        if not self._busy and self.password.text():
            self.unlock_requested.emit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self._heading.setText(self.tr("Screen locked"))
        if self._reason == "idle":
            why = self.tr("The desk was not used for a while, so the screen locked.")
        else:
            why = self.tr("The screen is locked.")
        who = self.tr("Signed in: {name}. Enter your password to go on.").format(name=self._name)
        self._who.setText(f"{why}\n{who}" if self._name else why)
        self._password_label.setText(self.tr("Password"))
        self.unlock_button.setText(self.tr("Checking…") if self._busy else self.tr("Unlock"))
        self.unlock_button.setEnabled(not self._busy)
        self.sign_out_button.setText(self.tr("Sign out instead"))
        self.sign_out_button.setEnabled(not self._busy)
        self._message_label.setText(self._message)
        self._message_label.setVisible(bool(self._message))
