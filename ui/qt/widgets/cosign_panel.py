"""A supervisor's co-signature at the desk, asked for when a case needs one.

The supervisor signs in here with their own account (the Desk checks the role and that they are
not the clerk who made the case) and gives a reason: one of the hall's templates
(``desk.cosign_reasons()``, set with :meth:`CosignWidget.set_reasons`) or typed; the case is then
submitted with the co-signature. When no supervisor is at hand, "Send to the hall's inbox"
submits the case without one (``defer_approval``): it then waits at central until a supervisor
decides it in the approval inbox.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
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
from ui.qt.i18n import current_language
from ui.qt.widgets.secret_edit import secret_edit, take_text

TYPED = ""  # the reason box's entry for a typed reason


class ReasonChooser(QWidget):
    """A reason: one of the hall's templates from a list, or typed (the list then shows
    "Choose a reason…" or "Other")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reasons: tuple = ()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.box = QComboBox(self)
        self.box.setObjectName("reasonTemplateBox")
        self.box.currentIndexChanged.connect(self._on_choice)
        self.typed = QLineEdit(self)
        self.typed.setObjectName("reasonTypedEdit")
        self.typed.setMaxLength(200)
        layout.addWidget(self.box, 1)
        layout.addWidget(self.typed, 2)
        self.retranslate()

    def set_reasons(self, reasons) -> None:
        """The hall's templates (desktop.auth.CosignReason)."""
        self._reasons = tuple(reasons)
        self.retranslate()

    def reason(self) -> tuple[str, str | None]:
        """(text, template code or None); text "" when nothing was chosen or typed."""
        code = self.box.currentData()
        if code is None or code == TYPED:
            return self.typed.text().strip(), None
        template = next((r for r in self._reasons if r.code == code), None)
        if template is None:
            return "", None
        return template.text(current_language()), code

    def choose(self, code: str | None) -> None:
        """Pick a template by code (None: "Other", typed)."""
        self.box.setCurrentIndex(max(0, self.box.findData(TYPED if code is None else code)))

    def clear(self) -> None:
        """Back to "choose a reason", nothing typed."""
        self.box.setCurrentIndex(0)
        self.typed.setText("")

    @Slot(int)
    def _on_choice(self, _index: int) -> None:
        # A template chosen is the reason; otherwise what is typed.
        typed = self.box.currentData() in (None, TYPED)
        self.typed.setEnabled(typed)
        if typed and self.box.currentData() == TYPED:
            self.typed.setFocus()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Template texts in the current language."""
        chosen = self.box.currentData()
        self.box.blockSignals(True)
        self.box.clear()
        self.box.addItem(self.tr("Choose a reason…"), None)
        language = current_language()
        for reason in self._reasons:
            self.box.addItem(reason.text(language), reason.code)
        self.box.addItem(self.tr("Other reason (type it)"), TYPED)
        index = self.box.findData(chosen) if chosen is not None else 0
        self.box.setCurrentIndex(max(0, index))
        self.box.blockSignals(False)
        self.typed.setPlaceholderText(self.tr("Type the reason"))
        self.typed.setEnabled(self.box.currentData() in (None, TYPED))


class CosignWidget(QGroupBox):
    """Supervisor user name, password and reason; hidden until a case needs co-signing."""

    cosign_requested = Signal()
    defer_requested = Signal()  # submit without a co-signature: the hall's inbox decides
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
        self.password = secret_edit(self, "cosignPasswordEdit")
        self._reason_label = QLabel(self)
        self.reason_choice = ReasonChooser(self)
        self.reason = self.reason_choice.typed
        self.reason.setObjectName("cosignReasonEdit")
        self.reason_choice.box.setObjectName("cosignReasonBox")
        form.addRow(self._user_label, self.username)
        form.addRow(self._password_label, self.password)
        form.addRow(self._reason_label, self.reason_choice)
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
        self._defer = QPushButton(self)
        self._defer.setObjectName("cosignDeferButton")
        self._defer.clicked.connect(self._on_defer_clicked)
        buttons.addWidget(self._sign)
        buttons.addWidget(self._defer)
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

    def set_reasons(self, reasons) -> None:
        """The hall's co-sign reason templates (desktop.auth.CosignReason)."""
        self.reason_choice.set_reasons(reasons)

    def take_credentials(self) -> tuple[str, str, str]:
        """Supervisor, password and reason text; the password field is emptied at once."""
        password = take_text(self.password)
        return self.username.text().strip(), password, self.reason_choice.reason()[0]

    def reason_code(self) -> str | None:
        """The hall template chosen, or None for a typed reason."""
        return self.reason_choice.reason()[1]

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
        self.reason_choice.clear()
        self._approvals = []
        self._message = ""
        self._busy = False
        self.hide()
        self.retranslate()

    @Slot()
    def _on_sign_clicked(self) -> None:
        if self._busy:
            return
        if not (
            self.username.text().strip() and self.password.text() and self.reason_choice.reason()[0]
        ):
            self.show_error(self.tr("Enter the supervisor's user name, password and a reason."))
            return
        self.cosign_requested.emit()

    @Slot()
    def _on_defer_clicked(self) -> None:
        if not self._busy:
            self.password.setText("")
            self.defer_requested.emit()

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
        self._defer.setText(self.tr("Send to the hall's approval inbox"))
        self._defer.setToolTip(
            self.tr(
                "No supervisor here: save the case without a co-signature; it waits at central "
                "until a supervisor approves it in the inbox."
            )
        )
        self._defer.setEnabled(not self._busy)
        self._cancel.setText(self.tr("Cancel"))
        self._message_label.setText(self._message)
        self._message_label.setVisible(bool(self._message))


def cosign_note(cosign, deferred: bool) -> str:
    """The line a saved case shows about its approval: who co-signed, when and why, or that
    it waits in the hall's approval inbox ("" for a case that needs neither)."""
    if cosign is not None:
        return QCoreApplication.translate(
            "CosignWidget", "Co-signed by {supervisor} at {time}. Reason: {reason}"
        ).format(
            supervisor=cosign.supervisor,
            time=cosign.at.astimezone().strftime("%H:%M"),
            reason=cosign.reason,
        )
    if deferred:
        return QCoreApplication.translate(
            "CosignWidget",
            "Not co-signed here: the case waits in the hall's approval inbox for a supervisor.",
        )
    return ""
