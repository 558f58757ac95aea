"""The dashboard's two charts (Qt Charts), each with its text equivalent.

A chart alone says nothing to a screen reader, and colour alone says nothing to a colour-blind
supervisor. So each chart widget holds a summary label under the chart (the same words a screen
reader gets as the chart view's accessible description) and marks the slowest stage with words
and its figure in the axis label, not only with a colour.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QLocale, QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.dashboard import DashboardSnapshot
from ui.qt.dashboard.texts import count_text, duration_text, sentence_gap, stage_name
from ui.qt.i18n import current_language

RECEIVED_COLOUR = QColor("#1f4e79")
COMPLETED_COLOUR = QColor("#4f9d69")
REJECTED_COLOUR = QColor("#b0b0b0")
MEDIAN_COLOUR = QColor("#5b8fc7")
P90_COLOUR = QColor("#b7cde6")
BOTTLENECK_COLOUR = QColor("#c0392b")
BOTTLENECK_P90_COLOUR = QColor("#e6a39b")


def _new_chart(widget: QWidget) -> tuple[QChart, QChartView]:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = QChartView(chart, widget)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(260)
    view.setMaximumHeight(320)
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return chart, view


def _fonts(widget: QWidget, chart: QChart) -> QFont:
    # Qt Charts does not follow the application font: give it the CJK one explicitly.
    font = QFont(widget.font())
    title = QFont(font)
    title.setBold(True)
    title.setPointSizeF(font.pointSizeF() + 1)
    chart.setTitleFont(title)
    chart.legend().setFont(font)
    return font


def _summary_label(widget: QWidget, name: str) -> QLabel:
    label = QLabel(widget)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class ThroughputChartWidget(QWidget):
    """Cases received, completed and rejected per day (per hour for one day), with its text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("throughputChart")
        self.chart, self.view = _new_chart(self)
        self.view.setObjectName("throughputChartView")
        self.summary = _summary_label(self, "throughputSummary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        self._detail = ""
        self.show_snapshot(None)

    def text(self) -> str:
        """The chart's text equivalent: the summary and every period's figures."""
        return f"{self.summary.text()}\n{self._detail}".strip()

    def _period_label(self, snapshot: DashboardSnapshot, start) -> str:
        if snapshot.hourly:
            return start.strftime("%H:00")
        return start.strftime("%m-%d")

    def _period_name(self, snapshot: DashboardSnapshot, start) -> str:
        # In the text, days carry their weekday too.
        if snapshot.hourly:
            return self._period_label(snapshot, start)
        weekday = QLocale(current_language()).dayName(
            start.isoweekday(), QLocale.FormatType.ShortFormat
        )
        return f"{start:%m-%d} {weekday}"

    def show_snapshot(self, snapshot: DashboardSnapshot | None) -> None:
        """Draw the chart and write its text for a snapshot (None: no figures yet)."""
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        font = _fonts(self, chart)
        hourly = snapshot is not None and snapshot.hourly
        title = self.tr("Cases per hour") if hourly else self.tr("Cases per day")
        chart.setTitle(title)
        self.view.setAccessibleName(title)
        if snapshot is None:
            self.summary.setText(self.tr("No figures yet."))
            self._detail = ""
            self.view.setAccessibleDescription(self.summary.text())
            return

        periods = snapshot.periods()
        sets = []
        for name, colour, attribute in (
            (self.tr("Received"), RECEIVED_COLOUR, "received"),
            (self.tr("Completed"), COMPLETED_COLOUR, "completed"),
            (self.tr("Rejected"), REJECTED_COLOUR, "rejected"),
        ):
            bar_set = QBarSet(name)
            bar_set.setColor(colour)
            bar_set.append([float(getattr(p, attribute)) for p in periods])
            sets.append(bar_set)
        series = QBarSeries()
        series.append(sets)
        chart.addSeries(series)
        labels = [self._period_label(snapshot, p.start) for p in periods]
        x_axis = QBarCategoryAxis()
        x_axis.append(labels)
        x_axis.setLabelsFont(font)
        if len(labels) > 12:
            x_axis.setLabelsAngle(-60)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(x_axis)
        y_axis = QValueAxis()
        peak = max([p.received for p in periods] + [p.completed for p in periods] + [1])
        y_axis.setRange(0, peak)
        y_axis.applyNiceNumbers()
        y_axis.setLabelFormat("%d")
        y_axis.setLabelsFont(font)
        y_axis.setTitleText(self.tr("cases"))
        y_axis.setTitleFont(font)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(y_axis)

        received, completed, rejected = snapshot.totals
        text = self.tr(
            "In the period: {received} received, {completed} completed, {rejected} rejected."
        ).format(
            received=count_text(received),
            completed=count_text(completed),
            rejected=count_text(rejected),
        )
        busiest = max(periods, key=lambda p: p.received, default=None)
        if busiest is not None and busiest.received:
            text += sentence_gap() + self.tr("Busiest: {period}, {count} received.").format(
                period=self._period_name(snapshot, busiest.start),
                count=count_text(busiest.received),
            )
        self.summary.setText(text)
        self._detail = "\n".join(
            self.tr(
                "{period}: {received} received, {completed} completed, {rejected} rejected"
            ).format(
                period=self._period_name(snapshot, p.start),
                received=count_text(p.received),
                completed=count_text(p.completed),
                rejected=count_text(p.rejected),
            )
            for p in periods
        )
        self.view.setAccessibleDescription(self.text())


class StageChartWidget(QWidget):
    """Median and 90th percentile time in each stage; the slowest marked in words and colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageChart")
        self.chart, self.view = _new_chart(self)
        self.view.setObjectName("stageChartView")
        self.summary = _summary_label(self, "stageSummary")
        # The slowest stage with its figure, in words over the chart (not a colour only).
        self.marker = _summary_label(self, "stageBottleneck")
        self.marker.setStyleSheet(
            "#stageBottleneck { font-weight: bold; color: #7a1f16; background: #fde2df;"
            " border-left: 6px solid #c0392b; padding: 4px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.marker)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        self.categories: list[str] = []
        self.show_snapshot(None)

    def text(self) -> str:
        """The chart's text equivalent."""
        return self.summary.text()

    def show_snapshot(self, snapshot: DashboardSnapshot | None) -> None:
        """Draw the chart and write its text for a snapshot (None: no figures yet)."""
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        font = _fonts(self, chart)
        title = self.tr("Time in each stage")
        chart.setTitle(title)
        self.view.setAccessibleName(title)
        self.categories = []
        self.marker.setVisible(False)
        if snapshot is None:
            self.summary.setText(self.tr("No figures yet."))
            self.view.setAccessibleDescription(self.summary.text())
            return

        summaries = [s for s in snapshot.stages.stages]
        bottleneck = snapshot.bottleneck
        longest = max((s.p90_seconds or 0.0 for s in summaries), default=0.0)
        in_hours = longest >= 2 * 3600
        scale = 3600.0 if in_hours else 60.0

        median = QBarSet(self.tr("Median"))
        median.setColor(MEDIAN_COLOUR)
        median.setSelectedColor(BOTTLENECK_COLOUR)
        p90 = QBarSet(self.tr("90th percentile"))
        p90.setColor(P90_COLOUR)
        p90.setSelectedColor(BOTTLENECK_P90_COLOUR)
        # A horizontal bar chart lists its categories bottom-up: reverse, so the first is on top.
        ordered = list(reversed(summaries))
        for index, summary in enumerate(ordered):
            median.append(round((summary.median_seconds or 0.0) / scale, 2))
            p90.append(round((summary.p90_seconds or 0.0) / scale, 2))
            name = stage_name(summary.stage)
            if bottleneck is not None and summary.stage == bottleneck.stage:
                median.selectBar(index)
                p90.selectBar(index)
                name = self.tr("▶ {stage} (slowest)").format(stage=name)
            self.categories.append(name)
        series = QHorizontalBarSeries()
        series.append([median, p90])
        chart.addSeries(series)
        y_axis = QBarCategoryAxis()
        y_axis.append(self.categories)
        y_axis.setLabelsFont(font)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(y_axis)
        x_axis = QValueAxis()
        x_axis.setRange(0, max(1.0, longest / scale * 1.15))
        x_axis.applyNiceNumbers()
        x_axis.setLabelsFont(font)
        x_axis.setTitleText(self.tr("hours") if in_hours else self.tr("minutes"))
        x_axis.setTitleFont(font)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(x_axis)

        if bottleneck is None:
            text = self.tr("No stage ended in the period.")
        else:
            self.marker.setText(
                self.tr("▶ Slowest: {stage} — median {median}, 90% within {p90}").format(
                    stage=stage_name(bottleneck.stage),
                    median=duration_text(bottleneck.median_seconds),
                    p90=duration_text(bottleneck.p90_seconds),
                )
            )
            self.marker.setVisible(True)
            text = self.tr(
                "Slowest stage: {stage}, median {median}, 90% within {p90}, longest {max} "
                "({count} cases)."
            ).format(
                stage=stage_name(bottleneck.stage),
                median=duration_text(bottleneck.median_seconds),
                p90=duration_text(bottleneck.p90_seconds),
                max=duration_text(bottleneck.max_seconds),
                count=count_text(bottleneck.count),
            )
            others = [
                self.tr("{stage} {median}").format(
                    stage=stage_name(s.stage), median=duration_text(s.median_seconds)
                )
                for s in summaries
                if s.stage != bottleneck.stage and s.count
            ]
            if others:
                text += sentence_gap() + self.tr("Other stages (median): {list}.").format(
                    list=self.tr(", ").join(others)
                )
        self.summary.setText(text)
        self.view.setAccessibleDescription(text)
