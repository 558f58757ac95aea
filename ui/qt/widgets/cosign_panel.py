"""A supervisor's co-signature at the desk, asked for when a case needs one.

The supervisor signs in here with their own account (the Desk checks the role and that they are
not the clerk who made the case) and gives a reason; the case is then submitted with the
co-signature.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.qt import messages


class CosignWidget(QGroupBox):
    """Supervisor user name, password and reason; hidden until a case needs co-signing."""

    cosign_requested = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cosignPanel")
        self._approvals: list[str] = []
        self._busy = False
        self._message = ""

        layout = QVBoxLayout(self)
        self._why = QLabel(self)
        self._why.setObjectName("cosignReasons")
        self._why.setWordWrap(True)
        layout.addWidget(self._why)
        form = QFormLayout()
        self._user_label = QLabel(self)
        self.username = QLineEdit(self)
        self.username.setObjectName("cosignUserEdit")
        self._password_label = QLabel(self)
        self.password = QLineEdit(self)
        self.password.setObjectName("cosignPasswordEdit")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self._reason_label = QLabel(self)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("cosignReasonEdit")
        self.reason.setMaxLength(200)
        form.addRow(self._user_label, self.username)
        form.addRow(self._password_label, self.password)
        form.addRow(self._reason_label, self.reason)
        layout.addLayout(form)
        self._message_label = QLabel(self)
        self._message_label.setObjectName("fieldError")
        self._message_label.setWordWrap(True)
        layout.addWidget(self._message_label)
        buttons = QHBoxLayout()
        self._sign = QPushButton(self)
        self._sign.setObjectName("cosignButton")
        self._sign.clicked.connect(self._on_sign_clicked)
        self._cancel = QPushButton(self)
        self._cancel.setObjectName("cosignCancelButton")
        self._cancel.clicked.connect(self.cancelled)
        buttons.addWidget(self._sign)
        buttons.addWidget(self._cancel)
        layout.addLayout(buttons)
        self.hide()
        self.retranslate()

    def ask(self, approvals: list[str]) -> None:
        """Show the panel for the approval rules the case meets."""
        self._approvals = list(approvals)
        self._message = ""
        self.show()
        self.retranslate()
        self.username.setFocus()

    def take_credentials(self) -> tuple[str, str, str]:
        """Supervisor, password and reason; the password field is emptied at once."""
        password = self.password.text()
        self.password.setText("")
        return self.username.text().strip(), password, self.reason.text().strip()

    def show_error(self, text: str) -> None:
        """Why the co-signature failed."""
        self._message = text
        self.retranslate()

    def set_busy(self, busy: bool) -> None:
        """While central checks the supervisor, the button waits."""
        self._busy = busy
        self.retranslate()

    def reset(self) -> None:
        """Hide and empty the panel."""
        self.username.setText("")
        self.password.setText("")
        self.reason.setText("")
        self._approvals = []
        self._message = ""
        self._busy = False
        self.hide()
        self.retranslate()

    @Slot()
    def _on_sign_clicked(self) -> None:
        if self._busy:
            return
        if not (self.username.text().strip() and self.password.text() and self.reason.text()):
            self.show_error(self.tr("Enter the supervisor's user name, password and a reason."))
            return
        self.cosign_requested.emit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.setTitle(self.tr("Supervisor co-signature"))
        reasons = "\n".join(f"• {messages.approval_text(a)}" for a in self._approvals)
        self._why.setText(
            self.tr("This case needs a supervisor's co-signature:\n{reasons}").format(
                reasons=reasons
            )
        )
        self._user_label.setText(self.tr("Supervisor"))
        self._password_label.setText(self.tr("Password"))
        self._reason_label.setText(self.tr("Reason"))
        self._sign.setText(self.tr("Checking…") if self._busy else self.tr("Co-sign and submit"))
        self._sign.setEnabled(not self._busy)
        self._cancel.setText(self.tr("Cancel"))
        self._message_label.setText(self._message)
        self._message_label.setVisible(bool(self._message))
