"""The outbox view: every case this desk queued, its state, and what the clerk can do about it.

A window of its own, opened from the clerk window. It lists ``desk.outbox.list()`` (local id and
version, service, queued time, state, attempts, next try, central id, reason), refreshes on the
bridge's ``outbox_changed`` signal, and offers "Send now" (``desk.send_now()``) and "Withdraw…"
(``desk.withdraw_case``) for a pending or rejected case, and "Correct…" for a rejected one:
the service's schema-built form, pre-filled from the case, central's objections next to the
fields, sent again with ``desk.resubmit_case``. A rejected case that waits for the clerk
says so in words ("Needs action"), not by colour alone. Every Desk call goes through the
window's FutureRelay; nothing here waits on the GUI thread.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.qt import messages
from ui.qt.bridge import connect_queued
from ui.qt.i18n import localized
from ui.qt.widgets.service_form import ServiceFormWidget
from ui.qt.widgets.tables import read_only_table, wrapped_label

log = logging.getLogger(__name__)

WITHDRAW_REASONS = ("citizen_request", "duplicate", "entered_in_error", "cannot_correct", "other")
WITHDRAWABLE_STATES = ("pending", "rejected")
NOTE_MAX_CHARS = 500


class _Coded(Exception):
    """A stable code shown through messages.error_text."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _time_text(ts: float | None) -> str:
    if not ts:
        return ""
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S")


class WithdrawDialog(QDialog):
    """Asks for the reason code (one of five, translated) and an optional note."""

    def __init__(self, local_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("withdrawDialog")
        self._local_id = local_id
        layout = QVBoxLayout(self)
        self._intro = wrapped_label(self, layout)
        form = QFormLayout()
        self._reason_label = QLabel(self)
        self.reason_box = QComboBox(self)
        for code in WITHDRAW_REASONS:
            self.reason_box.addItem(messages.withdraw_reason_text(code), code)
        self._note_label = QLabel(self)
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(90)
        form.addRow(self._reason_label, self.reason_box)
        form.addRow(self._note_label, self.note_edit)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.retranslate()

    @property
    def local_id(self) -> str:
        """The case being withdrawn."""
        return self._local_id

    def reason(self) -> str:
        """The chosen reason code."""
        return str(self.reason_box.currentData())

    def note(self) -> str | None:
        """The note, or None when left empty (at most NOTE_MAX_CHARS characters)."""
        text = self.note_edit.toPlainText().strip()
        return text[:NOTE_MAX_CHARS] or None

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.setWindowTitle(self.tr("Withdraw case"))
        self._intro.setText(
            self.tr(
                "Withdraw case {local_id}? It will not be sent to central. This cannot be undone."
            ).format(local_id=self._local_id)
        )
        self._reason_label.setText(self.tr("Reason"))
        self._note_label.setText(self.tr("Note (optional)"))
        for index, code in enumerate(WITHDRAW_REASONS):
            self.reason_box.setItemText(index, messages.withdraw_reason_text(code))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Withdraw"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))


class CorrectDialog(QDialog):
    """The rejected case's form, built from the service's schema, pre-filled, central's
    objections shown next to the fields; OK only once the form passes the schema."""

    def __init__(
        self,
        local_id: str,
        schema: dict,
        form: dict,
        error_fields: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("correctDialog")
        self._local_id = local_id
        self._values: dict | None = None
        layout = QVBoxLayout(self)
        self._intro = wrapped_label(self, layout)
        self.form = ServiceFormWidget(self)
        self.form.set_schema(schema)
        names = set(self.form.field_names())
        for name, value in (form or {}).items():
            if name in names:
                self.form.set_value(name, value)
        properties = (schema or {}).get("properties", {})
        notes: dict[str, str] = {}
        for path, kind in (error_fields or {}).items():
            name = path.removeprefix("form.")
            limit = properties.get(name, {}).get(kind) if isinstance(kind, str) else None
            notes[name if name in names else ""] = messages.schema_error_text(str(kind), limit)
        self.form.show_errors(notes)
        layout.addWidget(self.form, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(560, 420)
        self.retranslate()

    @property
    def local_id(self) -> str:
        """The rejected case being corrected."""
        return self._local_id

    def values(self) -> dict | None:
        """The corrected form once accepted; None before."""
        return self._values

    def accept(self) -> None:
        """Close only when the form passes its schema; otherwise the notes show why."""
        values, notes = self.form.validate()
        if notes:
            return
        self._values = values
        super().accept()

    def done(self, result: int) -> None:
        """Closing wipes the citizen's data from the widgets."""
        super().done(result)
        self.form.clear_values()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.setWindowTitle(self.tr("Correct case"))
        self._intro.setText(
            self.tr(
                "Correct the fields central refused and send case {local_id} again as a new "
                "version."
            ).format(local_id=self._local_id)
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Send again"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))


class OutboxView(QWidget):
    """The outbox as a table, with "Send now" and "Withdraw…"; a top-level window.

    ``desk`` is the Desk, ``bridge`` its DeskBridge (for ``outbox_changed``) and ``relay`` the
    clerk window's FutureRelay. ``refresh()`` asks the outbox again; the answer arrives later.
    """

    closed = Signal()
    refreshed = Signal()  # emitted after the table shows a new answer from the outbox

    COLUMNS = 8

    def __init__(self, desk, bridge, relay, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("outboxView")
        self._desk = desk
        self._relay = relay
        self._entries: list = []
        self._service_names: dict[str, object] = {}
        self._loading = False
        self._stale = False
        self._pending_withdraw = ""
        self.withdraw_dialog: WithdrawDialog | None = None
        self.correct_dialog: CorrectDialog | None = None
        self._schemas: dict[str, dict] = {}
        self._opening: str | None = None

        layout = QVBoxLayout(self)
        self._title = QLabel(self)
        self._title.setObjectName("outboxTitle")
        font = QFont(self._title.font())
        font.setBold(True)
        self._title.setFont(font)
        layout.addWidget(self._title)
        self.table = read_only_table(self, self.COLUMNS, "outboxTable", single_selection=True)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        layout.addWidget(self.table, 1)
        self.message = wrapped_label(self, layout, "outboxMessage")
        buttons = QHBoxLayout()
        self.send_now_button = QPushButton(self)
        self.send_now_button.setObjectName("outboxSendNow")
        self.send_now_button.clicked.connect(self._on_send_now)
        self.withdraw_button = QPushButton(self)
        self.withdraw_button.setObjectName("outboxWithdraw")
        self.withdraw_button.setEnabled(False)
        self.withdraw_button.clicked.connect(self._on_withdraw_requested)
        self.correct_button = QPushButton(self)
        self.correct_button.setObjectName("outboxCorrect")
        self.correct_button.setEnabled(False)
        self.correct_button.clicked.connect(self._on_correct_requested)
        self.refresh_button = QPushButton(self)
        self.refresh_button.clicked.connect(self.refresh)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.send_now_button)
        buttons.addWidget(self.correct_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        connect_queued(bridge.outbox_changed, self._on_outbox_changed)
        self.resize(1100, 520)
        self.retranslate()
        self._relay.watch(desk.services(), self._on_services)

    # Data -----------------------------------------------------------------------------------

    def entries(self) -> list:
        """The OutboxEntry rows now shown, in table order."""
        return list(self._entries)

    @Slot()
    def refresh(self) -> None:
        """Ask the outbox for its rows; a second request while one runs is merged."""
        if self._loading:
            self._stale = True
            return
        self._loading = True
        self._stale = False
        self._relay.watch(self._desk.outbox.list(), self._on_listed)

    @Slot(object)
    def _on_outbox_changed(self, _counts) -> None:
        if self.isVisible():
            self.refresh()

    def _on_services(self, services, error) -> None:
        if error is not None:
            log.info("outbox view: service names unavailable (%s)", messages.error_code(error))
            return
        self._service_names = {s.code: s.name for s in services or []}
        self._schemas = {s.code: s.form for s in services or []}
        self._fill()

    def _on_listed(self, entries, error) -> None:
        self._loading = False
        if error is not None:
            self._show_message(messages.error_text(error))
        else:
            self._entries = list(entries or [])
            self._fill()
            self.refreshed.emit()
        if self._stale:
            self.refresh()

    def _fill(self) -> None:
        selected = self.selected_entry()
        keep = selected.local_id if selected is not None else None
        self.table.setRowCount(len(self._entries))
        for row, entry in enumerate(self._entries):
            for column, text in enumerate(self._row_texts(entry)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(Qt.ItemDataRole.UserRole, entry.local_id)
                if entry.needs_clerk:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
            if entry.local_id == keep:
                self.table.selectRow(row)
        self._on_selection_changed()

    def _row_texts(self, entry) -> list[str]:
        case = self.tr("{local_id} (v{version})").format(
            local_id=entry.local_id, version=entry.version
        )
        name = self._service_names.get(entry.service)
        service = localized(name) if name is not None else entry.service
        state = messages.outbox_state_text(entry.state)
        if entry.needs_clerk:
            state = self.tr("{state} — Needs action").format(state=state)
        elif entry.state == "rejected" and entry.superseded_by:
            state = self.tr("{state} — corrected as {local_id}").format(
                state=state, local_id=entry.superseded_by
            )
        elif entry.state == "withdrawn" and entry.withdraw_reason:
            state = self.tr("{state} — {reason}").format(
                state=state, reason=messages.withdraw_reason_text(entry.withdraw_reason)
            )
        next_try = _time_text(entry.next_attempt_at) if entry.state == "pending" else ""
        return [
            case,
            service,
            _time_text(entry.queued_at),
            state,
            str(entry.attempts),
            next_try,
            entry.central_id or "",
            self._reason_text(entry),
        ]

    def _reason_text(self, entry) -> str:
        if not entry.error_code or entry.state in ("sent", "withdrawn"):
            return ""
        text = messages.outbox_error_text(entry.error_code)
        if entry.error_fields:
            pairs = sorted(entry.error_fields.items())
            fields = ", ".join(f"{name}: {kind}" for name, kind in pairs)
            text = self.tr("{reason} Fields: {fields}").format(reason=text, fields=fields)
        return text

    # Selection and actions ------------------------------------------------------------------

    def selected_entry(self):
        """The OutboxEntry of the selected row, or None."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        local_id = self.table.item(rows[0].row(), 0)
        if local_id is None:
            return None
        wanted = local_id.data(Qt.ItemDataRole.UserRole)
        return next((e for e in self._entries if e.local_id == wanted), None)

    def select_case(self, local_id: str) -> bool:
        """Select the row of ``local_id``; False when it is not shown."""
        for row, entry in enumerate(self._entries):
            if entry.local_id == local_id:
                self.table.selectRow(row)
                return True
        return False

    @Slot()
    def _on_selection_changed(self) -> None:
        entry = self.selected_entry()
        withdrawable = entry is not None and (
            entry.state == "pending" or (entry.state == "rejected" and entry.needs_clerk)
        )
        self.withdraw_button.setEnabled(withdrawable)
        correctable = entry is not None and entry.needs_clerk and self._opening is None
        self.correct_button.setEnabled(correctable)

    @Slot()
    def _on_send_now(self) -> None:
        try:
            self._desk.send_now()
        except Exception as exc:  # the outbox may be stopped
            self._show_message(messages.error_text(exc))
            return
        log.info("outbox: send now")
        self._show_message(self.tr("Sending the waiting cases now."))
        self.refresh()

    @Slot()
    def _on_withdraw_requested(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.state not in WITHDRAWABLE_STATES:
            return
        dialog = WithdrawDialog(entry.local_id, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(self._on_withdraw_accepted)
        dialog.finished.connect(self._on_withdraw_finished)
        self.withdraw_dialog = dialog
        dialog.open()

    @Slot()
    def _on_withdraw_accepted(self) -> None:
        dialog = self.withdraw_dialog
        if dialog is None:
            return
        local_id, reason, note = dialog.local_id, dialog.reason(), dialog.note()
        self.withdraw_button.setEnabled(False)
        log.info("outbox: withdrawing %s (%s)", local_id, reason)
        self._pending_withdraw = local_id
        self._relay.watch(self._desk.withdraw_case(local_id, reason, note), self._on_withdrawn)

    @Slot(int)
    def _on_withdraw_finished(self, _result: int) -> None:
        dialog, self.withdraw_dialog = self.withdraw_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _on_withdrawn(self, _done, error) -> None:
        local_id = self._pending_withdraw
        if error is not None:
            self._show_message(messages.error_text(error))
        else:
            self._show_message(self.tr("Case {local_id} was withdrawn.").format(local_id=local_id))
        self.refresh()

    @Slot()
    def _on_correct_requested(self) -> None:
        entry = self.selected_entry()
        if entry is None or not entry.needs_clerk or self._opening is not None:
            return
        if entry.service not in self._schemas:
            self._show_message(messages.error_text(_Coded("services_unavailable")))
            return
        self._opening = entry.local_id
        self.correct_button.setEnabled(False)
        self._relay.watch(self._desk.outbox.open_case(entry.local_id), self._on_case_opened)

    def _on_case_opened(self, case, error) -> None:
        local_id, self._opening = self._opening, None
        self._on_selection_changed()
        if error is not None:
            self._show_message(messages.error_text(error))
            return
        entry = next((e for e in self._entries if e.local_id == local_id), None)
        fields = dict(entry.error_fields) if entry is not None else {}
        dialog = CorrectDialog(
            local_id, self._schemas.get(case.service, {}), dict(case.form), fields, self
        )
        del case  # personal data: only the dialog's widgets hold it, until it closes
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(self._on_correct_accepted)
        dialog.finished.connect(self._on_correct_finished)
        self.correct_dialog = dialog
        dialog.open()

    @Slot()
    def _on_correct_accepted(self) -> None:
        dialog = self.correct_dialog
        if dialog is None or dialog.values() is None:
            return
        log.info("outbox: correcting %s", dialog.local_id)
        self._relay.watch(
            self._desk.resubmit_case(dialog.local_id, dialog.values()), self._on_resubmitted
        )

    @Slot(int)
    def _on_correct_finished(self, _result: int) -> None:
        dialog, self.correct_dialog = self.correct_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _on_resubmitted(self, queued, error) -> None:
        if error is not None:
            self._show_message(messages.error_text(error))
        else:
            self._show_message(
                self.tr("Case {old} was corrected and queued as {new}.").format(
                    old=queued.supersedes or "", new=queued.local_id
                )
            )
        self.refresh()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)

    # Language and closing -------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language (the rows too)."""
        self.setWindowTitle(self.tr("Outbox"))
        self._title.setText(self.tr("Cases queued at this desk"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Case (version)"),
                self.tr("Service"),
                self.tr("Queued"),
                self.tr("State"),
                self.tr("Attempts"),
                self.tr("Next try"),
                self.tr("Central case"),
                self.tr("Reason"),
            ]
        )
        self.send_now_button.setText(self.tr("Send now"))
        self.withdraw_button.setText(self.tr("Withdraw…"))
        self.correct_button.setText(self.tr("Correct…"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.close_button.setText(self.tr("Close"))
        self._fill()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.withdraw_dialog is not None:
            self.withdraw_dialog.reject()
        if self.correct_dialog is not None:
            self.correct_dialog.reject()
        self.closed.emit()
        super().closeEvent(event)
