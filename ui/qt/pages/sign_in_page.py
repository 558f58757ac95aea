"""Staff sign-in: user name and password, checked by central through the Desk; then, when the
hall asks for one (``[security] second_factor``), the second step: the staff member's own card
and its PIN, or their face in front of the desk's camera."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRegularExpression, Signal, Slot
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.qt.widgets.secret_edit import secret_edit, take_text


class SignInPage(QWidget):
    """Asks a clerk to sign in; the window does the sign-in and reports back."""

    sign_in_requested = Signal()
    card_factor_requested = Signal()  # the staff card's PIN was typed: take_pin()
    face_factor_requested = Signal()  # check the staff member's face now
    factor_cancelled = Signal()  # give up the second step: sign out

    def __init__(self, *, training: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInPage")
        self._training = training
        self._busy = False
        self._message = ""
        self._factor: str | None = None
        self._staff_name = ""

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
        self.password = secret_edit(box, "passwordEdit")
        self._password_label.setBuddy(self.password)
        form.addRow(self._user_label, self.username)
        form.addRow(self._password_label, self.password)
        self._credentials = QWidget(box)
        self._credentials.setLayout(form)
        layout.addWidget(self._credentials)
        # The second step (hidden until the password was accepted and the hall wants one).
        self.factor_box = QWidget(box)
        self.factor_box.setObjectName("secondFactorBox")
        factor_layout = QVBoxLayout(self.factor_box)
        factor_layout.setContentsMargins(0, 0, 0, 0)
        self._factor_text = QLabel(self.factor_box)
        self._factor_text.setObjectName("secondFactorText")
        self._factor_text.setWordWrap(True)
        factor_layout.addWidget(self._factor_text)
        pin_row = QHBoxLayout()
        self._pin_label = QLabel(self.factor_box)
        self.pin = secret_edit(self.factor_box, "staffPinEdit")
        self.pin.setMaxLength(12)
        self.pin.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,12}"), self.pin)
        )
        self.pin.returnPressed.connect(self._on_factor_clicked)
        self._pin_label.setBuddy(self.pin)
        pin_row.addWidget(self._pin_label)
        pin_row.addWidget(self.pin, 1)
        factor_layout.addLayout(pin_row)
        factor_buttons = QHBoxLayout()
        self.factor_button = QPushButton(self.factor_box)
        self.factor_button.setObjectName("secondFactorButton")
        self.factor_button.clicked.connect(self._on_factor_clicked)
        self.factor_cancel_button = QPushButton(self.factor_box)
        self.factor_cancel_button.setObjectName("secondFactorCancelButton")
        self.factor_cancel_button.clicked.connect(self.factor_cancelled)
        factor_buttons.addWidget(self.factor_button)
        factor_buttons.addWidget(self.factor_cancel_button)
        factor_layout.addLayout(factor_buttons)
        self.factor_box.hide()
        layout.addWidget(self.factor_box)
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
        password = take_text(self.password)
        return self.username.text().strip(), password

    def ask_second_factor(self, factor: str, name: str) -> None:
        """Show the second step (``card_pin`` or ``face``) for the staff member ``name``."""
        self._factor = factor
        self._staff_name = name
        self._busy = False
        self.pin.setText("")
        self.retranslate()
        if factor == "card_pin":
            self.pin.setFocus()
        else:
            self.factor_button.setFocus()

    @property
    def second_factor(self) -> str | None:
        """The second step shown now, or None."""
        return self._factor

    def take_pin(self) -> str:
        """The staff card's PIN; the field is emptied at once."""
        return take_text(self.pin)

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
        self.pin.setText("")
        self._message = ""
        self._busy = False
        self._factor = None
        self._staff_name = ""
        self.retranslate()

    @Slot()
    def _on_sign_in_clicked(self) -> None:
        if not self._busy and self.username.text().strip() and self.password.text():
            self.sign_in_requested.emit()

    @Slot()
    def _on_factor_clicked(self) -> None:
        if self._busy or self._factor is None:
            return
        if self._factor == "card_pin":
            if len(self.pin.text()) >= 4:
                self.card_factor_requested.emit()
        else:
            self.face_factor_requested.emit()

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
        factor = self._factor
        self._credentials.setVisible(factor is None)
        self._button.setVisible(factor is None)
        self.factor_box.setVisible(factor is not None)
        self.pin.setVisible(factor == "card_pin")
        self._pin_label.setVisible(factor == "card_pin")
        if factor == "card_pin":
            self._factor_text.setText(
                self.tr(
                    "{name}, one more step: insert your own staff card into the reader and "
                    "enter its PIN."
                ).format(name=self._staff_name)
            )
            self.factor_button.setText(self.tr("Checking…") if self._busy else self.tr("Confirm"))
        elif factor is not None:
            self._factor_text.setText(
                self.tr(
                    "{name}, one more step: look into the camera, then press the button."
                ).format(name=self._staff_name)
            )
            self.factor_button.setText(
                self.tr("Checking…") if self._busy else self.tr("Check my face")
            )
        self._pin_label.setText(self.tr("Card PIN"))
        self.factor_button.setEnabled(not self._busy)
        self.factor_cancel_button.setText(self.tr("Cancel and sign out"))
        self._message_label.setText(self._message)
        self._message_label.setVisible(bool(self._message))
        self._hint.setText(
            self.tr("Training mode: sign in with a training account from your trainer.")
            if self._training
            else ""
        )
        self._hint.setVisible(self._training)
