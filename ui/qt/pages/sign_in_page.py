"""Staff sign-in: user name and password, checked by central through the Desk."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class SignInPage(QWidget):
    """Asks a clerk to sign in; the window does the sign-in and reports back."""

    sign_in_requested = Signal()

    def __init__(self, *, training: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInPage")
        self._training = training
        self._busy = False
        self._message = ""

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QWidget(self)
        box.setMaximumWidth(460)
        layout = QVBoxLayout(box)
        self._heading = QLabel(box)
        self._heading.setObjectName("signInHeading")
        layout.addWidget(self._heading)
        form = QFormLayout()
        self._user_label = QLabel(box)
        self.username = QLineEdit(box)
        self.username.setObjectName("usernameEdit")
        self._user_label.setBuddy(self.username)
        self._password_label = QLabel(box)
        self.password = QLineEdit(box)
        self.password.setObjectName("passwordEdit")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self._password_label.setBuddy(self.password)
        form.addRow(self._user_label, self.username)
        form.addRow(self._password_label, self.password)
        layout.addLayout(form)
        self._button = QPushButton(box)
        self._button.setObjectName("signInButton")
        self._button.setDefault(True)
        self._button.clicked.connect(self._on_sign_in_clicked)
        self.password.returnPressed.connect(self._on_sign_in_clicked)
        layout.addWidget(self._button)
        self._message_label = QLabel(box)
        self._message_label.setObjectName("signInMessage")
        self._message_label.setWordWrap(True)
        layout.addWidget(self._message_label)
        self._hint = QLabel(box)
        self._hint.setWordWrap(True)
        layout.addWidget(self._hint)
        # Centred with stretches, not an alignment flag: an aligned widget only gets its size
        # hint, which cuts word-wrapped notes short.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.retranslate()

    def take_credentials(self) -> tuple[str, str]:
        """User name and password; the password field is emptied at once."""
        password = self.password.text()
        self.password.setText("")
        return self.username.text().strip(), password

    def set_busy(self, busy: bool) -> None:
        """While central checks the password the button waits."""
        self._busy = busy
        self.retranslate()

    def show_message(self, text: str) -> None:
        """Why the sign-in failed ("" clears)."""
        self._message = text
        self.retranslate()

    def reset(self) -> None:
        """Empty fields, ready for the next clerk."""
        self.username.setText("")
        self.password.setText("")
        self._message = ""
        self._busy = False
        self.retranslate()

    @Slot()
    def _on_sign_in_clicked(self) -> None:
        if not self._busy and self.username.text().strip() and self.password.text():
            self.sign_in_requested.emit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self._heading.setText(self.tr("Clerk sign-in"))
        self._user_label.setText(self.tr("User name"))
        self._password_label.setText(self.tr("Password"))
        self._button.setText(self.tr("Signing in…") if self._busy else self.tr("Sign in"))
        self._button.setEnabled(not self._busy)
        self._message_label.setText(self._message)
        self._message_label.setVisible(bool(self._message))
        self._hint.setText(
            self.tr("Training mode: sign in with a training account from your trainer.")
            if self._training
            else ""
        )
        self._hint.setVisible(self._training)
