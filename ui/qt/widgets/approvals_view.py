"""The hall's approval inbox for supervisors: every desk's cases waiting for a decision.

A window of its own, opened from the clerk window by a supervisor or an admin (the Desk checks
the role again: ``view_approvals``, ``decide_approval``). It lists ``desk.approvals()`` and
stays fresh with ``desk.watch_approvals()``: the bridge's ``approvals_changed`` brings each new
inbox, and cases not seen before are marked "New". Each row shows the case, service, clerk,
desk, the stage and its role, why approval is needed, when it was asked and the stages already
decided (who, when, where, why). The supervisor approves or rejects the selected stage with a
reason: one of the hall's templates (``desk.cosign_reasons()``) or typed. Central's refusals
(own case, already decided, out of order, wrong role) are shown in plain words.
"""

from __future__ import annotations

import functools
import logging
import threading
from datetime import datetime

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.qt import messages
from ui.qt.bridge import connect_queued
from ui.qt.i18n import localized
from ui.qt.widgets import security_text
from ui.qt.widgets.cosign_panel import ReasonChooser
from ui.qt.widgets.tables import read_only_table, wrapped_label

log = logging.getLogger(__name__)

COLUMNS = 9


def local_time(moment: datetime | None) -> str:
    """A UTC time as the desk's local ``MM-DD HH:MM``."""
    if moment is None:
        return ""
    return moment.astimezone().strftime("%m-%d %H:%M")


class ApprovalsView(QWidget):
    """The approval inbox window (see the module docstring)."""

    closed = Signal()

    def __init__(self, desk, bridge, relay, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("approvalsView")
        self._desk = desk
        self._relay = relay
        self._inbox = None
        self._seen: set[tuple[str, int]] | None = None
        self._new: set[tuple[str, int]] = set()
        self._services: dict[str, object] = {}
        self._message = ""
        self._busy = False
        self._watching = False

        layout = QVBoxLayout(self)
        self._intro = wrapped_label(self, layout)
        self.table = read_only_table(
            self, COLUMNS, "approvalsTable", single_selection=True, stretch_last=False
        )
        header = self.table.horizontalHeader()
        # The long texts wrap in columns that share the width left.
        for column in (5, 7, 8):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.itemSelectionChanged.connect(self._on_selection)
        layout.addWidget(self.table, 1)
        self._detail = QLabel(self)
        self._detail.setObjectName("approvalDetail")
        self._detail.setWordWrap(True)
        self._detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._detail.setMinimumHeight(self._detail.fontMetrics().lineSpacing() * 4)
        layout.addWidget(self._detail)
        reason_row = QHBoxLayout()
        self._reason_label = QLabel(self)
        self.reason = ReasonChooser(self)
        self.reason.set_reasons(desk.cosign_reasons())
        reason_row.addWidget(self._reason_label)
        reason_row.addWidget(self.reason, 1)
        layout.addLayout(reason_row)
        buttons = QHBoxLayout()
        self.approve_button = QPushButton(self)
        self.approve_button.setObjectName("approveButton")
        self.approve_button.clicked.connect(self._on_approve_clicked)
        self.reject_button = QPushButton(self)
        self.reject_button.setObjectName("rejectButton")
        self.reject_button.clicked.connect(self._on_reject_clicked)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("approvalsRefreshButton")
        self.refresh_button.clicked.connect(self.refresh)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.message_label = wrapped_label(self, layout, "approvalsMessage")

        connect_queued(bridge.approvals_changed, self._on_approvals_changed)
        self.resize(1180, 560)
        self.retranslate()

    # Loading --------------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Fetch the inbox now, and keep it fresh while the window is open."""
        if not self._services:
            self._relay.watch(self._desk.services(), self._on_services)
        self._relay.watch(self._desk.approvals(), self._on_inbox_loaded)
        if not self._watching:
            try:
                self._desk.watch_approvals()
                self._watching = True
            except Exception as exc:
                self.show_message(security_text.error_text(exc))

    def _on_services(self, services, error) -> None:
        if error is None:
            self._services = {s.code: s for s in services}
            self._fill()

    def _on_inbox_loaded(self, inbox, error) -> None:
        if error is not None:
            self.show_message(security_text.error_text(error))
            return
        self.set_inbox(inbox)

    @Slot(object)
    def _on_approvals_changed(self, inbox) -> None:
        self.set_inbox(inbox)

    def set_inbox(self, inbox) -> None:
        """Show ``inbox``; stages not in the inbox shown before are marked new."""
        if self._inbox is not None and inbox.version < self._inbox.version:
            return  # an older answer arriving late
        keys = {(i.case_id, i.stage) for i in inbox.items}
        if self._seen is not None:
            self._new = (self._new | (keys - self._seen)) & keys
        self._seen = keys if self._seen is None else self._seen | keys
        self._inbox = inbox
        self._fill()

    def items(self) -> list:
        """The inbox items now listed."""
        return list(self._inbox.items) if self._inbox is not None else []

    def is_new(self, case_id: str, stage: int) -> bool:
        """Whether the stage arrived while the window was open."""
        return (case_id, stage) in self._new

    # The table ------------------------------------------------------------------------------

    def _service_name(self, code: str) -> str:
        service = self._services.get(code)
        return localized(service.name) if service is not None else code

    def _history(self, item) -> str:
        lines = []
        for stage in item.stages:
            head = self.tr("Step {n} ({role}): {status}").format(
                n=stage.stage,
                role=security_text.role_text(stage.role),
                status=security_text.stage_status_text(stage.status),
            )
            if stage.decided_by:
                where = (
                    self.tr("at the clerk's desk")
                    if stage.where == "desk"
                    else self.tr("in the inbox")
                )
                head += " — " + self.tr("{who}, {when}, {where}").format(
                    who=stage.decided_by, when=local_time(stage.decided_at), where=where
                )
                reason = getattr(stage, "reason", None)
                if reason:
                    head += " — " + self.tr("reason: {reason}").format(reason=reason)
            lines.append(head)
        return "\n".join(lines)

    def _fill(self) -> None:
        selected = self.selected_item()
        chosen = (selected.case_id, selected.stage) if selected is not None else None
        items = self.items()
        self.table.setRowCount(len(items))
        bold = QFont()
        bold.setBold(True)
        for row, item in enumerate(items):
            new = self.is_new(item.case_id, item.stage)
            reasons = "\n".join(messages.approval_text(r) for r in item.rules)
            decided = [s for s in item.stages if s.decided_by]
            if item.can_decide:
                state = self.tr("You can decide")
            else:
                state = security_text.error_text(_Coded(item.why_not or "forbidden"))
            cells = [
                (self.tr("New") + " · " if new else "") + item.local_id,
                self._service_name(item.service),
                item.clerk,
                item.workstation_id,
                self.tr("{n} of {total} ({role})").format(
                    n=item.stage,
                    total=len(item.stages),
                    role=security_text.role_text(item.role),
                ),
                reasons,
                local_time(item.requested_at),
                "\n".join(
                    self.tr("{n}: {status} by {who}").format(
                        n=s.stage,
                        status=security_text.stage_status_text(s.status),
                        who=s.decided_by,
                    )
                    for s in decided
                ),
                state,
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, (item.case_id, item.stage))
                if new:
                    cell.setFont(bold)
                self.table.setItem(row, column, cell)
            if chosen == (item.case_id, item.stage):
                self.table.selectRow(row)
        self.table.resizeRowsToContents()
        self._intro.setText(
            self.tr("{count} approvals waiting in this hall.").format(count=len(items))
            if items
            else self.tr("No approvals are waiting in this hall.")
        )
        self._on_selection()

    def selected_item(self):
        """The inbox item of the selected row, or None."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        cell = self.table.item(rows[0].row(), 0)
        key = cell.data(Qt.ItemDataRole.UserRole) if cell is not None else None
        return next((i for i in self.items() if (i.case_id, i.stage) == tuple(key or ())), None)

    def select(self, case_id: str, stage: int | None = None) -> bool:
        """Select the row of a case (and stage); False when it is not listed."""
        for row in range(self.table.rowCount()):
            key = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
            if key[0] == case_id and (stage is None or key[1] == stage):
                self.table.selectRow(row)
                return True
        return False

    @Slot()
    def _on_selection(self) -> None:
        item = self.selected_item()
        if item is None:
            self._detail.setText(self.tr("Choose a case in the list to decide it."))
        else:
            self._detail.setText(
                self.tr("Case {local} ({service}) by {clerk} at {desk}:\n{history}").format(
                    local=item.local_id,
                    service=self._service_name(item.service),
                    clerk=item.clerk,
                    desk=item.workstation_id,
                    history=self._history(item),
                )
            )
        enabled = item is not None and not self._busy
        self.approve_button.setEnabled(enabled)
        self.reject_button.setEnabled(enabled)

    # Deciding -------------------------------------------------------------------------------

    @Slot()
    def _on_approve_clicked(self) -> None:
        self._decide("approved")

    @Slot()
    def _on_reject_clicked(self) -> None:
        self._decide("rejected")

    def _decide(self, decision: str) -> None:
        item = self.selected_item()
        if item is None or self._busy:
            return
        text, code = self.reason.reason()
        if not text:
            self.show_message(self.tr("Give a reason: choose one from the list or type it."))
            return
        self._busy = True
        self.show_message("")
        future = self._desk.decide_approval(
            item.case_id, item.stage, decision, reason=text, reason_code=code
        )
        self._relay.watch(future, functools.partial(self._on_decided, item.local_id))
        self._on_selection()

    def _on_decided(self, local_id: str, result, error) -> None:
        self._busy = False
        self._on_selection()
        if error is not None:
            self.show_message(security_text.error_text(error))
            if messages.error_code(error) in ("approval_decided", "not_awaiting_approval"):
                self._relay.watch(self._desk.approvals(), self._on_inbox_loaded)
            return
        if result.decision == "approved":
            text = self.tr("Case {local}: step {n} approved.")
        else:
            text = self.tr("Case {local}: step {n} rejected.")
        self.show_message(text.format(local=local_id, n=result.stage))
        self.reason.clear()
        self._relay.watch(self._desk.approvals(), self._on_inbox_loaded)

    def show_message(self, text: str) -> None:
        """A line under the buttons ("" clears)."""
        self._message = text
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def message(self) -> str:
        """The message now shown."""
        return self._message

    # Window ---------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.setWindowTitle(self.tr("Approval inbox"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Case"),
                self.tr("Service"),
                self.tr("Clerk"),
                self.tr("Desk"),
                self.tr("Step"),
                self.tr("Why approval is needed"),
                self.tr("Asked at"),
                self.tr("Decided so far"),
                self.tr("Your part"),
            ]
        )
        self._reason_label.setText(self.tr("Reason"))
        self.approve_button.setText(self.tr("Approve"))
        self.reject_button.setText(self.tr("Reject"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.close_button.setText(self.tr("Close"))
        self._fill()
        self.show_message(self._message)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._watching:
            # Stopping joins the watcher's long poll (a few seconds at most): not on this thread.
            threading.Thread(
                target=self._desk.stop_watching_approvals, name="approvals-unwatch", daemon=True
            ).start()
            self._watching = False
        self.closed.emit()
        super().closeEvent(event)


class _Coded(Exception):
    """A stable code shown through security_text.error_text."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
