"""The supervisor's hall dashboard: where cases wait, and why.

One window, opened from the clerk window's header by a supervisor or an admin. From top to
bottom: the filters (period or one day, service, department), a headline that names the
bottleneck stage with its figure and the service it hurts most, the desks that need attention
and the approval inbox's age; then the charts (cases per day, time in each stage) and the
tables (each service's slowest stage, open cases per stage, approvals waiting, desks).

Nothing here waits for central: :class:`desktop.dashboard.DashboardClient` returns futures and
their outcome comes back through a :class:`ui.qt.bridge.FutureRelay`. A refresh started while
another is running supersedes it (the older answer is dropped). Every chart and table has a text
equivalent; :meth:`DashboardWindow.text` joins them (what a screen reader user, and the tests,
read).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from concurrent.futures import Future
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QStandardPaths, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.contract import DEPARTMENTS, Service
from desktop.dashboard import (
    HALL_TZ,
    DashboardClient,
    DashboardQuery,
    DashboardSnapshot,
    write_csv,
)
from ui.qt import messages
from ui.qt.bridge import FutureRelay
from ui.qt.dashboard.charts import StageChartWidget, ThroughputChartWidget
from ui.qt.dashboard.panels import (
    ApprovalsWidget,
    BacklogWidget,
    DesksWidget,
    ServiceStagesWidget,
)
from ui.qt.dashboard.texts import (
    ServiceNames,
    count_text,
    desk_name,
    desk_state_text,
    duration_text,
    sentence_gap,
    stage_name,
)
from ui.qt.widgets.chrome import TrainingBannerWidget

log = logging.getLogger(__name__)

# The period filter's choices: the last N days, or one calendar day.
PERIODS = ("7", "30", "day")
DEFAULT_PERIOD = "7"
AUTO_REFRESH_SECONDS = 60


class DashboardWindow(QMainWindow):
    """The hall dashboard for a supervisor (see the module docstring).

    ``client`` is the supervisor's :class:`DashboardClient` (the window closes it when it
    closes); ``services`` the catalogue, or a Future of it, for the service filter and names.
    ``auto_refresh_seconds`` refreshes the figures while the window is shown (0: never).
    """

    refreshed = Signal()  # a new snapshot is on screen
    refresh_failed = Signal(str)  # the sentence shown for a failed refresh
    closed = Signal()

    def __init__(
        self,
        client: DashboardClient,
        *,
        services: Sequence[Service] | Future | None = None,
        training: bool = False,
        auto_refresh_seconds: int = AUTO_REFRESH_SECONDS,
        tz: tzinfo = HALL_TZ,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardWindow")
        self._client = client
        self._training = training
        self._tz = tz
        self._names = ServiceNames()
        self._generation = 0
        self._pending: Future | None = None
        self.snapshot: DashboardSnapshot | None = None
        self.relay = FutureRelay(self)

        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.training_banner = TrainingBannerWidget(central)
        self.training_banner.setVisible(training)
        outer.addWidget(self.training_banner)

        # The filters and the actions.
        bar = QWidget(central)
        bar.setObjectName("dashboardFilters")
        filters = QHBoxLayout(bar)
        self._period_label = QLabel(bar)
        self.period = QComboBox(bar)
        self.period.setObjectName("dashboardPeriod")
        for code in PERIODS:
            self.period.addItem("", code)
        self.period.setCurrentIndex(self.period.findData(DEFAULT_PERIOD))
        self.day = QDateEdit(bar)
        self.day.setObjectName("dashboardDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        today = datetime.now(tz).date()
        self.day.setDate(QDate(today.year, today.month, today.day))
        self._service_label = QLabel(bar)
        self.service = QComboBox(bar)
        self.service.setObjectName("dashboardService")
        self.service.addItem("", None)
        self._department_label = QLabel(bar)
        self.department = QComboBox(bar)
        self.department.setObjectName("dashboardDepartment")
        self.department.addItem("", None)
        for code in DEPARTMENTS:
            self.department.addItem("", code)
        self.refresh_button = QPushButton(bar)
        self.refresh_button.setObjectName("dashboardRefresh")
        self.export_button = QPushButton(bar)
        self.export_button.setObjectName("dashboardExport")
        self.export_button.setEnabled(False)
        for widget in (
            self._period_label,
            self.period,
            self.day,
            self._service_label,
            self.service,
            self._department_label,
            self.department,
            self.refresh_button,
            self.export_button,
        ):
            filters.addWidget(widget)
        filters.addStretch(1)
        self.status_label = QLabel(bar)
        self.status_label.setObjectName("dashboardStatus")
        filters.addWidget(self.status_label)
        outer.addWidget(bar)

        # The headline, the charts and the tables, scrolling together.
        body = QWidget()
        grid = QGridLayout(body)
        self.headline = QLabel(body)
        self.headline.setObjectName("dashboardHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.headline.setStyleSheet(
            "#dashboardHeadline { font-size: 13pt; background: #fff4d6; color: #000000;"
            " border-left: 6px solid #c0392b; padding: 8px; }"
        )
        grid.addWidget(self.headline, 0, 0, 1, 2)
        self.throughput_chart = ThroughputChartWidget(body)
        self.stage_chart = StageChartWidget(body)
        grid.addWidget(self.throughput_chart, 1, 0)
        grid.addWidget(self.stage_chart, 1, 1)
        self.services_panel = ServiceStagesWidget(body)
        self.backlog_panel = BacklogWidget(body)
        self.approvals_panel = ApprovalsWidget(body)
        self.desks_panel = DesksWidget(body)
        grid.addWidget(self.services_panel, 2, 0)
        grid.addWidget(self.backlog_panel, 2, 1)
        grid.addWidget(self.approvals_panel, 3, 0)
        grid.addWidget(self.desks_panel, 3, 1)
        grid.setRowStretch(1, 1)
        scroll = QScrollArea(central)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.setCentralWidget(central)

        self.period.currentIndexChanged.connect(self._on_filter_changed)
        self.day.dateChanged.connect(self._on_day_changed)
        self.service.currentIndexChanged.connect(self._on_filter_changed)
        self.department.currentIndexChanged.connect(self._on_filter_changed)
        self.refresh_button.clicked.connect(self._on_refresh_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)

        self._timer = QTimer(self)
        self._timer.setInterval(max(0, auto_refresh_seconds) * 1000)
        self._timer.timeout.connect(self._on_timer)
        self._auto_refresh = auto_refresh_seconds > 0

        if isinstance(services, Future):
            self.relay.watch(services, self._on_services)
        elif services is not None:
            self.set_services(services)

        self.resize(1400, 960)
        self.retranslate()

    # --- filters ---------------------------------------------------------------------------

    def query(self, *, now: datetime | None = None) -> DashboardQuery:
        """The query the filters describe now."""
        service = self.service.currentData()
        department = self.department.currentData()
        period = self.period.currentData()
        if period == "day":
            chosen = self.day.date()
            return DashboardQuery.one_day(
                date(chosen.year(), chosen.month(), chosen.day()),
                tz=self._tz,
                service=service,
                department=department,
            )
        return DashboardQuery.last_days(
            int(period), now=now or datetime.now(UTC), service=service, department=department
        )

    def set_services(self, services: Sequence[Service]) -> None:
        """The catalogue: fills the service filter and names the services."""
        self._names = ServiceNames(services)
        chosen = self.service.currentData()
        self.service.blockSignals(True)
        while self.service.count() > 1:
            self.service.removeItem(1)
        for code in self._names.codes():
            self.service.addItem(self._names(code), code)
        self.service.setCurrentIndex(max(0, self.service.findData(chosen)))
        self.service.blockSignals(False)
        self._render()

    def _on_services(self, services, error) -> None:
        if error is not None:
            log.warning("dashboard: the service catalogue did not load (%s)", type(error).__name__)
            return
        self.set_services(services)

    @Slot(int)
    def _on_filter_changed(self, _index: int) -> None:
        self.day.setEnabled(self.period.currentData() == "day")
        self.refresh()

    @Slot(QDate)
    def _on_day_changed(self, _date: QDate) -> None:
        if self.period.currentData() == "day":
            self.refresh()

    # --- refreshing ------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether a refresh is under way."""
        return self._pending is not None

    def refresh(self) -> Future:
        """Fetch the figures for the filters now; returns at once with the refresh's Future.

        The answer is shown when it comes (``refreshed``), unless a newer refresh started.
        """
        query = self.query()
        self._generation += 1
        codes = self._names.codes() or None
        future = self._client.snapshot(query, codes)
        self._pending = future
        self.status_label.setText(self.tr("Refreshing…"))
        self.relay.watch(future, functools.partial(self._on_snapshot, self._generation))
        return future

    def _on_snapshot(self, generation: int, snapshot, error) -> None:
        if generation != self._generation:
            return  # a newer refresh superseded this one
        self._pending = None
        if error is not None:
            text = messages.error_text(error)
            log.warning("dashboard refresh failed (%s)", messages.error_code(error))
            self.status_label.setText(self.tr("Not refreshed: {reason}").format(reason=text))
            self.refresh_failed.emit(text)
            return
        self.snapshot = snapshot
        self._render()
        self.refreshed.emit()

    @Slot()
    def _on_refresh_clicked(self) -> None:
        self.refresh()

    @Slot()
    def _on_timer(self) -> None:
        if not self.busy:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._auto_refresh and not self._timer.isActive():
            self._timer.start()

    # --- what is shown ---------------------------------------------------------------------

    def headline_text(self) -> str:
        """The answer first: the bottleneck, the desks that need attention, the approvals."""
        snapshot = self.snapshot
        if snapshot is None:
            return self.tr("Fetching the hall's figures…")
        lines = []
        bottleneck = snapshot.bottleneck
        if bottleneck is None:
            lines.append(self.tr("No case finished a stage in this period."))
        else:
            line = self.tr(
                "Bottleneck: {stage}, median {median} per case (90% within {p90}, {count} cases)."
            ).format(
                stage=stage_name(bottleneck.stage),
                median=duration_text(bottleneck.median_seconds),
                p90=duration_text(bottleneck.p90_seconds),
                count=count_text(bottleneck.count),
            )
            worst = snapshot.bottleneck_service
            if worst is not None and not snapshot.query.service:
                line += sentence_gap() + self.tr(
                    "Hardest hit: {service} (median {median} there)."
                ).format(
                    service=self._names(worst[0]), median=duration_text(worst[1].median_seconds)
                )
            lines.append(line)
        attention = snapshot.desks_needing_attention
        if attention:
            lines.append(
                self.tr("Desks needing attention: {desks}.").format(
                    desks=self.tr("; ").join(
                        self.tr("{desk} — {state}").format(
                            desk=desk_name(d), state=desk_state_text(d)
                        )
                        for d in attention
                    )
                )
            )
        else:
            lines.append(self.tr("Every desk is online and accepts cases."))
        approvals = snapshot.approvals
        if approvals.waiting:
            lines.append(
                self.tr("Approvals waiting: {count}, the oldest for {oldest}.").format(
                    count=count_text(approvals.waiting),
                    oldest=duration_text(approvals.oldest_seconds),
                )
            )
        else:
            lines.append(self.tr("No approval is waiting."))
        return "\n".join(lines)

    def text(self) -> str:
        """The whole dashboard as text: the headline, then each chart's and table's summary."""
        parts = [(self.headline.accessibleName(), self.headline.text())]
        for chart in (self.throughput_chart, self.stage_chart):
            parts.append((chart.view.accessibleName(), chart.text()))
        for panel in (self.services_panel, self.backlog_panel, self.approvals_panel):
            parts.append((panel.title(), panel.text()))
        parts.append((self.desks_panel.title(), self.desks_panel.text()))
        return "\n".join(
            self.tr("{title}: {text}").format(title=title, text=text) for title, text in parts
        )

    def _render(self) -> None:
        snapshot = self.snapshot
        self.headline.setText(self.headline_text())
        self.headline.setAccessibleName(self.tr("Summary"))
        self.throughput_chart.show_snapshot(snapshot)
        self.stage_chart.show_snapshot(snapshot)
        self.services_panel.show_snapshot(snapshot, self._names)
        self.backlog_panel.show_snapshot(snapshot)
        self.approvals_panel.show_snapshot(snapshot, self._names)
        self.desks_panel.show_snapshot(snapshot)
        self.export_button.setEnabled(snapshot is not None)
        if self._pending is not None:
            self.status_label.setText(self.tr("Refreshing…"))
        elif snapshot is not None:
            shown = snapshot.query
            self.status_label.setText(
                self.tr("Updated {time} · {start} to {end}").format(
                    time=snapshot.fetched_at.astimezone(self._tz).strftime("%H:%M:%S"),
                    start=shown.start.astimezone(self._tz).strftime("%Y-%m-%d %H:%M"),
                    end=shown.end.astimezone(self._tz).strftime("%Y-%m-%d %H:%M"),
                )
            )

    # --- export ----------------------------------------------------------------------------

    def export_csv(self, path: Path | str) -> int:
        """Write the figures on screen to a CSV file; returns the number of rows.

        Raises ValueError before the first refresh and OSError when the file cannot be written.
        """
        if self.snapshot is None:
            raise ValueError("nothing to export yet")

        def label(kind: str, code: str) -> str:
            return stage_name(code) if kind == "stage" else self._names(code)

        return write_csv(self.snapshot, path, labels=label, tz=self._tz, training=self._training)

    @Slot()
    def _on_export_clicked(self) -> None:
        if self.snapshot is None:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        stamp = self.snapshot.fetched_at.astimezone(self._tz).strftime("%Y%m%d-%H%M")
        suggested = str(Path(folder or ".") / f"hall-dashboard-{stamp}.csv")
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export the dashboard"), suggested, self.tr("CSV files (*.csv)")
        )
        if not path:
            return
        try:
            rows = self.export_csv(path)
        except OSError as exc:
            log.error("dashboard export failed: %s", type(exc).__name__)
            self.status_label.setText(
                self.tr("The file could not be written: {reason}").format(reason=exc.strerror or "")
            )
            return
        self.status_label.setText(
            self.tr("Exported {rows} rows to {path}").format(rows=count_text(rows), path=path)
        )

    # --- language, closing -----------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Every text in the current language, figures included."""
        title = self.tr("Hall dashboard")
        if self._training:
            title = f"[{self.training_banner.mark()}] {title}"
        self.setWindowTitle(title)
        self._period_label.setText(self.tr("Period:"))
        names = {
            "7": self.tr("Last 7 days"),
            "30": self.tr("Last 30 days"),
            "day": self.tr("One day"),
        }
        for index in range(self.period.count()):
            self.period.setItemText(index, names[self.period.itemData(index)])
        self.period.setAccessibleName(self.tr("Period"))
        self.day.setAccessibleName(self.tr("Day"))
        self.day.setEnabled(self.period.currentData() == "day")
        self._service_label.setText(self.tr("Service:"))
        self.service.setItemText(0, self.tr("All services"))
        for index in range(1, self.service.count()):
            self.service.setItemText(index, self._names(self.service.itemData(index)))
        self.service.setAccessibleName(self.tr("Service"))
        self._department_label.setText(self.tr("Department:"))
        self.department.setItemText(0, self.tr("All departments"))
        for index in range(1, self.department.count()):
            self.department.setItemText(index, stage_name(self.department.itemData(index)))
        self.department.setAccessibleName(self.tr("Department"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.export_button.setText(self.tr("Export CSV…"))
        self._render()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        self.relay.forget_all()
        self._pending = None
        self._client.close()
        self.closed.emit()
        super().closeEvent(event)
