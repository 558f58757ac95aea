"""The card panel: who is at the counter, as far as the card and central tell.

Shows the holder's name, the ID number and the card number masked, the warnings about the card's
data, the card's status at central, and whether the identity was checked offline. Everything
personal leaves the widgets in ``clear()``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from devices.card.record import mask_ssn
from ui.qt import messages

# Desk warning codes the panel shows in their own place rather than in the warning list.
SESSION_SHOWN_APART = ("identity_offline", "name_mismatch", "birth_date_mismatch")


def mask_card_no(card_no: str | None) -> str:
    """``A1*****11``: enough for the citizen to recognise the card, not to copy it."""
    if not card_no:
        return ""
    if len(card_no) <= 4:
        return "*" * len(card_no)
    return card_no[:2] + "*" * (len(card_no) - 4) + card_no[-2:]


class CardPanelWidget(QGroupBox):
    """The citizen's card as read, with its warnings and its status at central."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardPanel")
        self._state = "empty"
        self._seconds_left = 0
        self._error = ""
        self._note = ""

        layout = QVBoxLayout(self)
        self._status = QLabel(self)
        self._status.setObjectName("cardStatusLine")
        self._status.setWordWrap(True)
        layout.addWidget(self._status)

        self._form = QFormLayout()
        self._name_caption = QLabel(self)
        self._name = QLabel(self)
        self._name.setObjectName("citizenName")
        self._name.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._ssn_caption = QLabel(self)
        self._ssn = QLabel(self)
        self._ssn.setObjectName("citizenSsn")
        self._card_no_caption = QLabel(self)
        self._card_no = QLabel(self)
        self._card_no.setObjectName("citizenCardNo")
        self._card_status_caption = QLabel(self)
        self._card_status = QLabel(self)
        self._card_status.setObjectName("cardCentralStatus")
        self._card_status.setWordWrap(True)
        self._form.addRow(self._name_caption, self._name)
        self._form.addRow(self._ssn_caption, self._ssn)
        self._form.addRow(self._card_no_caption, self._card_no)
        self._form.addRow(self._card_status_caption, self._card_status)
        layout.addLayout(self._form)

        self._central_record = QLabel(self)
        self._central_record.setObjectName("centralRecord")
        self._central_record.setWordWrap(True)
        layout.addWidget(self._central_record)
        self._offline = QLabel(self)
        self._offline.setObjectName("offlineMark")
        self._offline.setWordWrap(True)
        layout.addWidget(self._offline)
        self._warnings = QLabel(self)
        self._warnings.setObjectName("cardWarnings")
        self._warnings.setWordWrap(True)
        layout.addWidget(self._warnings)
        self._note_label = QLabel(self)
        self._note_label.setObjectName("cardNote")
        self._note_label.setWordWrap(True)
        layout.addWidget(self._note_label)
        layout.addStretch(1)

        self._record = None
        self._session = None
        self.retranslate()

    # States ---------------------------------------------------------------------------------

    def show_reading(self) -> None:
        """A card went in; its data is on the way."""
        self._state = "reading"
        self.retranslate()

    def show_record(self, record) -> None:
        """Show what the card itself says (before central answered)."""
        self._record = record
        self._session = None
        self._state = "checking"
        self.retranslate()

    def show_session(self, session) -> None:
        """Show the card together with central's answer."""
        self._record = session.record
        self._session = session
        self._state = "ready"
        self.retranslate()

    def show_checking_ecard(self) -> None:
        """An e-card code was scanned or pasted; central is checking it."""
        self._record = None
        self._session = None
        self._state = "ecard_checking"
        self.retranslate()

    def show_note(self, text: str) -> None:
        """A note that stays until the panel is cleared (e.g. why the last citizen went)."""
        self._note = text
        self.retranslate()

    def show_removed(self, seconds_left: int) -> None:
        """The card left; the form is kept ``seconds_left`` more seconds."""
        self._state = "removed"
        self._seconds_left = seconds_left
        self.retranslate()

    def show_error(self, text: str) -> None:
        """A card, reader or central problem, as a sentence."""
        self._error = text
        self._state = "error"
        self.retranslate()

    def clear(self) -> None:
        """Forget the citizen: no personal data remains in the panel."""
        self._record = None
        self._session = None
        self._error = ""
        self._note = ""
        self._state = "empty"
        self.retranslate()

    @property
    def state(self) -> str:
        """One of "empty", "reading", "checking", "ecard_checking", "ready", "removed",
        "error"."""
        return self._state

    # Text -----------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Write every text of the panel in the current language."""
        self.setTitle(self.tr("Social security card"))
        self._name_caption.setText(self.tr("Name"))
        self._ssn_caption.setText(self.tr("ID number"))
        self._card_no_caption.setText(self.tr("Card number"))
        self._card_status_caption.setText(self.tr("Card status"))

        status = {
            "empty": self.tr("Ask the citizen to insert the social security card."),
            "reading": self.tr("Reading the card…"),
            "checking": self.tr("Checking the card with central…"),
            "ecard_checking": self.tr("Checking the electronic social security card with central…"),
            "ready": self.tr("Card read.")
            if not getattr(self._session, "is_ecard", False)
            else self.tr("Electronic social security card verified by central."),
            "removed": self.tr(
                "Card removed. The form is kept for {seconds} s for the same card to come back."
            ).format(seconds=self._seconds_left),
            "error": self._error,
        }[self._state]
        self._status.setText(status)

        record = self._record
        session = self._session
        self._name.setText((record.name or "") if record else "")
        self._ssn.setText((mask_ssn(record.ssn) or "") if record else "")
        self._card_no.setText(mask_card_no(record.card_no) if record else "")

        if session is None:
            self._card_status.setText("")
            self._offline.setText("")
            self._central_record.setText("")
        else:
            self._card_status.setText(messages.card_status_text(session.card_status))
            self._offline.setText(
                self.tr(
                    "OFFLINE: central could not be reached. The identity is checked offline "
                    "and the case will say so."
                )
                if session.offline
                else ""
            )
            self._central_record.setText(self._central_differences(session))
        warnings = list(record.warnings) if record else []
        if session is not None:
            # The Desk adds its own codes: identity_offline has the OFFLINE line above, and its
            # name/birth-date codes mean "differs from central", shown side by side above.
            warnings += [
                w for w in session.warnings if w not in warnings and w not in SESSION_SHOWN_APART
            ]
        self._warnings.setText(
            "\n".join(
                self.tr("Warning: {text}").format(text=messages.card_warning_text(w))
                for w in warnings
            )
        )
        self._note_label.setText(self._note)
        for label in (self._offline, self._central_record, self._warnings, self._note_label):
            label.setVisible(bool(label.text()))

    def _central_differences(self, session) -> str:
        """Central's record beside the card's, where the two disagree."""
        lines = []
        for mismatch in getattr(session, "mismatches", ()):
            if mismatch.field == "name":
                text = self.tr("Name at central: {central} (card: {card})")
            elif mismatch.field == "birth_date":
                text = self.tr("Birth date at central: {central} (card: {card})")
            else:
                continue
            lines.append(text.format(central=mismatch.central or "—", card=mismatch.card or "—"))
        if lines:
            lines.append(self.tr("Check the resident ID card; a data correction case may be due."))
        return "\n".join(lines)
