"""The dashboard's tables: services and their slowest stage, backlog, approvals, desks.

Each panel is a group box with a one-line summary (its text equivalent) over a read-only table.
Rows that need the supervisor's attention say so in words; the tint only supports the words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.dashboard import DashboardSnapshot
from ui.qt import messages
from ui.qt.dashboard.texts import (
    count_text,
    desk_name,
    desk_state_text,
    duration_text,
    sentence_gap,
    stage_name,
)

ATTENTION_TINT = QColor("#fde2df")
# How many waiting approvals the table lists (the summary counts all of them).
APPROVAL_ROWS = 20
# Tables are as tall as their rows, within these limits (then they scroll).
MIN_ROWS = 2
MAX_ROWS = 8


class _TablePanelWidget(QGroupBox):
    """A titled box: a summary line and a read-only table."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.summary = QLabel(self)
        self.summary.setObjectName(f"{name}Summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(self)
        self.table.setObjectName(f"{name}Table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def text(self) -> str:
        """The panel's text equivalent."""
        return self.summary.text()

    def _fill(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        attention: Callable[[int], bool] = lambda _row: False,
        numeric: Sequence[int] = (),
    ) -> None:
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            flagged = attention(r)
            for c, value in enumerate(row):
                item = QTableWidgetItem(value)
                if c in numeric:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if flagged:
                    item.setBackground(QBrush(ATTENTION_TINT))
                    font = QFont(self.table.font())
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        self.table.setAccessibleName(self.title())
        self.table.setAccessibleDescription(self.summary.text())
        self._fit_height()

    def _fit_height(self) -> None:
        # As tall as the rows (within limits), so the dashboard shows more without scrolling.
        table = self.table
        table.resizeRowsToContents()
        count = table.rowCount()
        shown = min(max(count, MIN_ROWS), MAX_ROWS)
        default = table.verticalHeader().defaultSectionSize()
        rows = sum(table.rowHeight(r) for r in range(min(shown, count)))
        rows += default * max(0, shown - count)
        header = table.horizontalHeader().sizeHint().height()
        scrollbar = table.horizontalScrollBar().sizeHint().height()
        table.setFixedHeight(header + rows + scrollbar + 2 * table.frameWidth())


class ServiceStagesWidget(_TablePanelWidget):
    """For each service: its cases in the period and its slowest stage with the figures."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("serviceStagesPanel", parent)
        self.show_snapshot(None, str)

    def show_snapshot(self, snapshot: DashboardSnapshot | None, names: Callable) -> None:
        """Fill in the panel for a snapshot (None: empty); ``names`` gives service names."""
        self.setTitle(self.tr("Where each service waits longest"))
        if snapshot is None:
            self.summary.setText(self.tr("No figures yet."))
            self._fill(self._headers(), [])
            return
        received = {t.service: t.received for t in snapshot.throughput.totals}
        bottleneck = snapshot.bottleneck
        worst = snapshot.bottleneck_service
        rows, flagged = [], []
        for service in snapshot.service_stages:
            slowest = snapshot.slowest_stage_of(service)
            is_worst = worst is not None and worst[0] == service
            note = ""
            if slowest is not None and bottleneck is not None and slowest.stage == bottleneck.stage:
                note = self.tr("bottleneck") if not is_worst else self.tr("bottleneck, worst here")
            flagged.append(is_worst)
            rows.append(
                [
                    names(service),
                    count_text(received.get(service, 0)),
                    stage_name(slowest.stage) if slowest else "—",
                    duration_text(slowest.median_seconds if slowest else None),
                    duration_text(slowest.p90_seconds if slowest else None),
                    note,
                ]
            )
        if worst is None:
            self.summary.setText(self.tr("No service has a finished stage in the period."))
        else:
            self.summary.setText(
                self.tr("{service} waits longest in {stage}: median {median}.").format(
                    service=names(worst[0]),
                    stage=stage_name(worst[1].stage),
                    median=duration_text(worst[1].median_seconds),
                )
            )
        self._fill(self._headers(), rows, lambda r: flagged[r], numeric=(1, 3, 4))

    def _headers(self) -> list[str]:
        return [
            self.tr("Service"),
            self.tr("Received"),
            self.tr("Slowest stage"),
            self.tr("Median"),
            self.tr("90%"),
            self.tr("Note"),
        ]


class BacklogWidget(_TablePanelWidget):
    """Open cases per stage now, and how long the oldest has waited."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("backlogPanel", parent)
        self.show_snapshot(None)

    def show_snapshot(self, snapshot: DashboardSnapshot | None) -> None:
        """Fill in the panel for a snapshot (None: empty)."""
        self.setTitle(self.tr("Open cases now"))
        headers = [self.tr("Stage"), self.tr("Open"), self.tr("Oldest waiting")]
        if snapshot is None:
            self.summary.setText(self.tr("No figures yet."))
            self._fill(headers, [])
            return
        backlog = snapshot.backlog
        crowded = max(backlog.stages, key=lambda s: (s.open, s.oldest_seconds or 0), default=None)
        rows = [
            [stage_name(s.stage), count_text(s.open), duration_text(s.oldest_seconds)]
            for s in backlog.stages
        ]
        text = self.tr("{total} cases open.").format(total=count_text(backlog.total_open))
        if crowded is not None and crowded.open:
            text += sentence_gap() + self.tr(
                "Most are waiting in {stage}: {open}, the oldest for {oldest}."
            ).format(
                stage=stage_name(crowded.stage),
                open=count_text(crowded.open),
                oldest=duration_text(crowded.oldest_seconds),
            )
        self.summary.setText(text)
        stages = [s.stage for s in backlog.stages]
        self._fill(
            headers,
            rows,
            lambda r: crowded is not None and crowded.open > 0 and stages[r] == crowded.stage,
            numeric=(1, 2),
        )


class ApprovalsWidget(_TablePanelWidget):
    """The hall's approval inbox: how many wait and how long, the oldest listed first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("approvalsPanel", parent)
        self.show_snapshot(None, str)

    def show_snapshot(self, snapshot: DashboardSnapshot | None, names: Callable) -> None:
        """Fill in the panel for a snapshot (None: empty); ``names`` gives service names."""
        self.setTitle(self.tr("Approvals waiting"))
        headers = [
            self.tr("Case"),
            self.tr("Service"),
            self.tr("Desk"),
            self.tr("Clerk"),
            self.tr("Why"),
            self.tr("Waiting"),
        ]
        if snapshot is None:
            self.summary.setText(self.tr("No figures yet."))
            self._fill(headers, [])
            return
        approvals = snapshot.approvals
        if approvals.waiting == 0:
            self.summary.setText(self.tr("No approval is waiting."))
        else:
            self.summary.setText(
                self.tr("Waiting: {count}; the oldest for {oldest}, median {median}.").format(
                    count=count_text(approvals.waiting),
                    oldest=duration_text(approvals.oldest_seconds),
                    median=duration_text(approvals.median_age_seconds),
                )
            )
        rows = [
            [
                item.case_id,
                names(item.service),
                item.workstation_id,
                item.clerk,
                "; ".join(messages.approval_text(rule) for rule in item.rules),
                duration_text(item.age_seconds),
            ]
            for item in approvals.items[:APPROVAL_ROWS]
        ]
        self._fill(headers, rows, numeric=(5,))


class DesksWidget(_TablePanelWidget):
    """Every desk of the hall: online, offline or frozen, and its outbox."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("desksPanel", parent)
        self.show_snapshot(None)

    def show_snapshot(self, snapshot: DashboardSnapshot | None) -> None:
        """Fill in the panel for a snapshot (None: empty)."""
        self.setTitle(self.tr("Desks"))
        headers = [
            self.tr("Desk"),
            self.tr("State"),
            self.tr("Last contact"),
            self.tr("Unsent"),
            self.tr("Oldest unsent"),
            self.tr("Rejected"),
            self.tr("Version"),
        ]
        if snapshot is None:
            self.summary.setText(self.tr("No figures yet."))
            self._fill(headers, [])
            return
        desks = snapshot.desks.desks
        attention = snapshot.desks_needing_attention
        if attention:
            self.summary.setText(
                self.tr("{count} of {total} desks need attention: {desks}.").format(
                    count=count_text(len(attention)),
                    total=count_text(len(desks)),
                    desks=self.tr(", ").join(desk_name(d) for d in attention),
                )
            )
        else:
            self.summary.setText(
                self.tr("All {total} desks are online and accept cases.").format(
                    total=count_text(len(desks))
                )
            )
        rows = [
            [
                desk_name(d),
                desk_state_text(d, detailed=False),
                self.tr("{ago} ago").format(ago=duration_text(d.seconds_since_contact))
                if d.seconds_since_contact is not None
                else self.tr("never"),
                count_text(d.unsent),
                duration_text(d.oldest_unsent_seconds),
                count_text(d.rejected),
                d.app_version or "—",
            ]
            for d in desks
        ]
        self._fill(headers, rows, lambda r: desks[r].offline or desks[r].frozen, numeric=(3, 4, 5))
