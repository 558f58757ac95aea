"""The hall's alerts for supervisors, and the check of this desk's audit chain.

A window of its own, opened from the clerk window by a supervisor or an admin (the Desk checks
the role again: ``view_alerts``, ``verify_audit``). It lists ``desk.alerts()`` from central,
newest first: repeated failed sign-ins, locked accounts, far more citizen lookups than cases,
approvals outside opening hours, a broken audit chain. Alerts this desk raises arrive at once
through the bridge's ``alert_raised`` (marked "this desk"); alerts that came in since the window
opened are marked "New" in bold. "Check audit chain" runs ``desk.verify_audit()`` and names the
first bad record when the chain is broken.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.approvals import unlisted_local_alerts
from ui.qt.bridge import connect_queued
from ui.qt.widgets import security_text
from ui.qt.widgets.tables import read_only_table, wrapped_label

log = logging.getLogger(__name__)

# How often the list asks central again while the window is open (milliseconds).
POLL_MS = 30_000
COLUMNS = 6
_DETAIL_KEYS = ("failures", "lookups", "cases", "where", "case_id", "first_bad", "problem")


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class AlertsView(QWidget):
    """The alerts window (see the module docstring)."""

    closed = Signal()

    def __init__(self, desk, bridge, relay, *, can_verify: bool, parent=None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("alertsView")
        self._desk = desk
        self._relay = relay
        self._central: list = []
        self._local: list[dict] = []  # alerts this desk raised (``DeskGuard.alert``'s dicts)
        self._seen_id: int | None = None  # the newest central alert when the window opened
        self._new_ids: set[int] = set()
        self._message = ""
        self._verify_text = ""

        layout = QVBoxLayout(self)
        self._intro = wrapped_label(self, layout)
        self.table = read_only_table(self, COLUMNS, "alertsTable")
        layout.addWidget(self.table, 1)
        self.verify_label = wrapped_label(self, layout, "auditVerifyResult")
        buttons = QHBoxLayout()
        self.verify_button = QPushButton(self)
        self.verify_button.setObjectName("verifyAuditButton")
        self.verify_button.setVisible(can_verify)
        self.verify_button.clicked.connect(self._on_verify_clicked)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("alertsRefreshButton")
        self.refresh_button.clicked.connect(self.refresh)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.verify_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.message_label = wrapped_label(self, layout, "alertsMessage")

        # The guard's own dicts, not copies: the audit record's number is added to each once
        # it is written, and tells central's copy of the alert apart (see rows()).
        for alert in reversed(list(getattr(desk.guard, "recent_alerts", []))):
            self._local.append(alert)
        connect_queued(bridge.alert_raised, self._on_alert_raised)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.refresh)
        self.resize(960, 480)
        self.retranslate()

    # Loading --------------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Ask central for the hall's alerts now (and every half minute while open)."""
        if not self._timer.isActive():
            self._timer.start()
        self._relay.watch(self._desk.alerts(), self._on_alerts)

    def _on_alerts(self, alerts, error) -> None:
        if error is not None:
            self.show_message(security_text.error_text(error))
            return
        self.show_message("")
        newest = max((a.id for a in alerts.alerts), default=0)
        if self._seen_id is None:
            self._seen_id = newest
        else:
            self._new_ids |= {a.id for a in alerts.alerts if a.id > self._seen_id}
        self._central = list(alerts.alerts)
        self._fill()

    @Slot(object)
    def _on_alert_raised(self, alert: dict) -> None:
        self._local.append(alert)
        self._fill()
        # Central may raise its own from the desk's records; ask again.
        self._relay.watch(self._desk.alerts(), self._on_alerts)

    def rows(self) -> list[dict]:
        """What is listed, newest first: kind, subject, desk, source, new, at.

        An alert this desk raised shows once: from central once central lists it, from the
        desk until then.
        """
        here = self._desk.settings.workstation_id
        listed = [
            {
                "kind": a.kind,
                "subject": a.subject,
                "workstation": a.workstation_id,
                "source": "this_desk"
                if a.source == "desk" and a.workstation_id == here
                else a.source,
                "new": a.id in self._new_ids,
                "at": a.at,
                "detail": dict(a.detail),
            }
            for a in self._central
        ]
        listed += [
            {
                "kind": alert.get("kind", ""),
                "subject": alert.get("subject"),
                "workstation": here,
                "source": "this_desk",
                "new": True,
                "at": alert["at"],
                "detail": {k: v for k, v in alert.items() if k in _DETAIL_KEYS},
            }
            for alert in unlisted_local_alerts(self._central, self._local, here)
        ]
        listed.sort(key=lambda r: r["at"], reverse=True)
        return listed

    def _detail_text(self, detail: dict) -> str:
        parts = []
        if "failures" in detail and detail["failures"] is not None:
            parts.append(self.tr("{n} failed tries").format(n=detail["failures"]))
        if "lookups" in detail:
            parts.append(
                self.tr("{lookups} lookups, {cases} cases").format(
                    lookups=detail.get("lookups"), cases=detail.get("cases", 0)
                )
            )
        if detail.get("first_bad") is not None:
            parts.append(self.tr("first bad record {seq}").format(seq=detail["first_bad"]))
        if detail.get("problem"):
            parts.append(security_text.verify_problem_text(str(detail["problem"])))
        if detail.get("case_id"):
            parts.append(self.tr("case {case}").format(case=detail["case_id"]))
        return "; ".join(parts)

    def _fill(self) -> None:
        rows = self.rows()
        self.table.setRowCount(len(rows))
        bold = QFont()
        bold.setBold(True)
        for index, row in enumerate(rows):
            if row["source"] == "this_desk":
                source = self.tr("this desk")
            elif row["source"] == "desk":
                source = self.tr("a desk")
            else:
                source = self.tr("central")
            kind = security_text.alert_kind_text(row["kind"])
            cells = [
                _when(row["at"]),
                (self.tr("New") + " · " if row["new"] else "") + kind,
                row["subject"] or "",
                row["workstation"] or "",
                source,
                self._detail_text(row["detail"]),
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(str(text))
                if row["new"]:
                    cell.setFont(bold)
                self.table.setItem(index, column, cell)
        self._intro.setText(
            self.tr("Alerts of this hall, newest first. New ones are in bold.")
            if rows
            else self.tr("There are no alerts in this hall.")
        )

    # The audit chain ------------------------------------------------------------------------

    @Slot()
    def _on_verify_clicked(self) -> None:
        self.verify_button.setEnabled(False)
        self._verify_text = self.tr("Checking the audit chain…")
        self.verify_label.setText(self._verify_text)
        self._relay.watch(self._desk.verify_audit(), self._on_verified)

    def _on_verified(self, result, error) -> None:
        self.verify_button.setEnabled(True)
        if error is not None:
            self._verify_text = security_text.error_text(error)
        elif result.ok:
            self._verify_text = self.tr(
                "The audit chain of this desk is intact: {records} records checked."
            ).format(records=result.records)
        else:
            self._verify_text = self.tr(
                "The audit chain of this desk is BROKEN at record {seq}: {problem}. "
                "Tell IT security; do not change anything on this desk."
            ).format(
                seq=result.first_bad, problem=security_text.verify_problem_text(result.problem)
            )
        self.verify_label.setText(self._verify_text)

    def verify_text(self) -> str:
        """The result of the last chain check shown."""
        return self._verify_text

    def show_message(self, text: str) -> None:
        """A line under the buttons ("" clears)."""
        self._message = text
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    # Window ---------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.setWindowTitle(self.tr("Alerts"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("When"),
                self.tr("Alert"),
                self.tr("Who or what"),
                self.tr("Desk"),
                self.tr("Raised by"),
                self.tr("Details"),
            ]
        )
        self.verify_button.setText(self.tr("Check audit chain"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.close_button.setText(self.tr("Close"))
        self._fill()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        self.closed.emit()
        super().closeEvent(event)
