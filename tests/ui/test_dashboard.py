"""The supervisor's hall dashboard on the real training desk and its generated history.

The training central (ui.app.TrainingCentral) starts with 21 days of generated history in which
the social insurance agency (社保经办机构) is planted six times slower than the other departments,
and with three extra desks: W02 healthy, W03 offline, W04 frozen. The dashboard must say so, with
the figures central's statistics endpoints give.
"""

from __future__ import annotations

import csv
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import requests
from PySide6.QtCore import QDate, Qt, QTimer
from screenshots import save_screenshot

from desktop.central import CentralClient
from desktop.contract import (
    ApprovalStats,
    BacklogStats,
    DeskStats,
    StageStats,
    ThroughputStats,
)
from desktop.dashboard import HALL_TZ, DashboardClient, DashboardQuery
from desktop.errors import DeskError


@pytest.fixture
def http():
    """A requests session that ignores proxy settings: everything here is loopback."""
    with requests.Session() as session:
        session.trust_env = False
        yield session


class Stats:
    """Central's statistics endpoints, asked directly with a staff member's token."""

    def __init__(self, http, url: str, username: str = "super01") -> None:
        self.http, self.url = http, url
        login = http.post(
            f"{url}/v1/auth/login", json={"username": username, "password": f"{username}-training"}
        )
        assert login.status_code == 200, login.text
        self.token = login.json()["token"]

    def get(self, name: str, model, **params):
        answer = self.http.get(
            f"{self.url}/v1/stats/{name}",
            params=params,
            headers={"Authorization": f"Bearer {self.token}"},
        )
        assert answer.status_code == 200, answer.text
        return model.model_validate(answer.json())


def zh_duration(seconds: float) -> str:
    """How the dashboard writes a duration in Chinese (whole minutes; days past 48 hours)."""
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes}分钟"
    if minutes < 48 * 60:
        return f"{minutes // 60}小时{minutes % 60:02d}分"
    hours = round(seconds / 3600)
    return f"{hours // 24}天{hours % 24}小时"


def open_dashboard(qtbot, window, desk):
    """Click the header's dashboard button and wait for the first figures."""
    # The desk's own heartbeat has reached central (it goes out when the desk starts).
    qtbot.waitUntil(lambda: desk.heartbeat.sent >= 1, timeout=20000)
    button = window.dashboard_button
    assert button.isVisible() and button.text() == "大厅看板"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dashboard = window.dashboard_window
    assert dashboard is not None and dashboard.isVisible()
    qtbot.waitUntil(lambda: dashboard.snapshot is not None and not dashboard.busy, timeout=30000)
    return dashboard


def refreshed(qtbot, dashboard, change) -> None:
    """Make a change to the filters and wait until the figures it asks for are on screen."""
    with qtbot.waitSignal(dashboard.refreshed, timeout=30000):
        change()
    assert not dashboard.busy


def test_a_supervisor_sees_the_bottleneck_and_the_desks_that_need_attention(
    qtbot, make_clerk_window, sign_in, training_central, http
):
    window, desk = make_clerk_window()
    sign_in(window, "super01")
    dashboard = open_dashboard(qtbot, window, desk)
    snapshot = dashboard.snapshot
    stats = Stats(http, training_central.url)

    # The figures are central's, exactly.
    query = snapshot.query
    assert stats.get("stages", StageStats, **query.params()) == snapshot.stages
    assert stats.get("throughput", ThroughputStats, **query.params()) == snapshot.throughput
    for service, figures in snapshot.service_stages.items():
        params = DashboardQuery(query.start, query.end, service).params()
        assert stats.get("stages", StageStats, **params) == figures
    # "Now" figures: the same counts, and ages grown by exactly the time between the two calls.
    backlog = stats.get("backlog", BacklogStats)
    assert backlog.total_open == snapshot.backlog.total_open
    later = (backlog.at - snapshot.backlog.at).total_seconds()
    for mine, theirs in zip(snapshot.backlog.stages, backlog.stages, strict=True):
        assert (mine.stage, mine.open) == (theirs.stage, theirs.open)
        if mine.oldest_seconds is not None:
            assert theirs.oldest_seconds == pytest.approx(mine.oldest_seconds + later, abs=0.01)
    approvals = stats.get("approvals", ApprovalStats)
    assert approvals.waiting == snapshot.approvals.waiting
    assert [i.case_id for i in approvals.items] == [i.case_id for i in snapshot.approvals.items]
    desks = {d.workstation_id: d for d in stats.get("desks", DeskStats).desks}
    assert {d.workstation_id: (d.offline, d.frozen) for d in snapshot.desks.desks} == {
        k: (d.offline, d.frozen) for k, d in desks.items()
    }

    # The planted bottleneck is named first, with its figure, in Chinese.
    bottleneck = snapshot.bottleneck
    assert bottleneck.stage == "social_insurance"
    others = [s.median_seconds for s in snapshot.stages.stages if s.stage != "social_insurance"]
    assert bottleneck.median_seconds > 2 * max(m for m in others if m is not None)
    median = zh_duration(bottleneck.median_seconds)
    headline = dashboard.headline.text()
    assert headline.startswith(f"瓶颈：社保经办机构，每件中位用时 {median}")
    service, figures = snapshot.bottleneck_service
    assert figures.stage == "social_insurance"
    names = {s.code: s.name.zh_CN for s in desk.services().result(30)}
    assert f"受影响最大的业务：{names[service]}" in headline

    # The desks that need attention, and only those: W03 offline, W04 frozen.
    assert [d.workstation_id for d in snapshot.desks_needing_attention] == ["W04", "W03"]
    attention = next(line for line in headline.splitlines() if line.startswith("需要关注的窗口"))
    assert "W04 — 已冻结（未发送业务积压过久）" in attention
    assert "W03 — 离线" in attention
    assert "W01" not in attention and "W02" not in attention
    if approvals.waiting:
        assert f"待审批 {approvals.waiting} 件，最久已等 " in headline
    else:  # e.g. on a weekend, when the history's last approvals were all decided on Friday
        assert headline.endswith("没有待审批的业务。")

    # Each chart has a text equivalent, also given to screen readers.
    stage_chart = dashboard.stage_chart
    assert stage_chart.view.accessibleName() == "各环节用时"
    assert stage_chart.view.accessibleDescription() == stage_chart.text()
    assert stage_chart.text().startswith(f"最慢环节：社保经办机构，中位 {median}")
    # The slowest stage is marked in words with its figure, not by colour alone.
    assert "▶ 社保经办机构（最慢）" in stage_chart.categories
    assert stage_chart.marker.isVisible()
    assert stage_chart.marker.text().startswith(f"▶ 最慢环节：社保经办机构 — 中位 {median}")
    received = sum(t.received for t in snapshot.throughput.totals)
    throughput = dashboard.throughput_chart
    assert throughput.view.accessibleDescription() == throughput.text()
    assert f"受理 {received:,} 件" in throughput.text()
    text = dashboard.text()
    for part in (headline, stage_chart.text(), dashboard.desks_panel.text()):
        assert part in text

    dashboard.resize(1400, 1000)
    qtbot.wait(100)
    save_screenshot(dashboard, "dashboard.png")

    # Signing out closes the dashboard, and a client kept from before gets nothing more.
    kept = desk.dashboard()
    try:
        window.header.sign_out_requested.emit()
        qtbot.waitUntil(lambda: window.dashboard_window is None)
        assert not window.dashboard_button.isVisible()
        with pytest.raises(DeskError) as caught:
            kept.backlog().result(30)
        assert caught.value.code == "not_signed_in"
    finally:
        kept.close()


def test_filters_change_the_query(qtbot, make_clerk_window, sign_in, training_central, http):
    window, desk = make_clerk_window()
    sign_in(window, "super01")
    dashboard = open_dashboard(qtbot, window, desk)
    stats = Stats(http, training_central.url)
    qtbot.waitUntil(lambda: dashboard.service.count() > 1, timeout=20000)

    # One service: throughput and stage times for its cases only.
    pension = dashboard.service.findData("pension_certification")
    refreshed(qtbot, dashboard, lambda: dashboard.service.setCurrentIndex(pension))
    snapshot = dashboard.snapshot
    assert snapshot.query.service == "pension_certification"
    assert snapshot.stages.service == snapshot.throughput.service == "pension_certification"
    assert {t.service for t in snapshot.throughput.totals} == {"pension_certification"}
    assert list(snapshot.service_stages) == ["pension_certification"]
    params = snapshot.query.params()
    assert stats.get("stages", StageStats, **params) == snapshot.stages
    assert stats.get("throughput", ThroughputStats, **params) == snapshot.throughput

    # One department, all services: only that department's stage.
    refreshed(qtbot, dashboard, lambda: dashboard.service.setCurrentIndex(0))
    finance = dashboard.department.findData("finance")
    refreshed(qtbot, dashboard, lambda: dashboard.department.setCurrentIndex(finance))
    snapshot = dashboard.snapshot
    assert (snapshot.query.service, snapshot.query.department) == (None, "finance")
    assert [s.stage for s in snapshot.stages.stages] == ["finance"]
    assert stats.get("stages", StageStats, **snapshot.query.params()) == snapshot.stages
    assert dashboard.headline.text().startswith("瓶颈：财政")
    refreshed(qtbot, dashboard, lambda: dashboard.department.setCurrentIndex(0))

    # One day: the last working day before today, midnight to midnight in the hall, per hour.
    day = datetime.now(HALL_TZ).date() - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    dashboard.day.setDate(QDate(day.year, day.month, day.day))  # no refresh: not the period yet
    assert not dashboard.busy
    refreshed(
        qtbot, dashboard, lambda: dashboard.period.setCurrentIndex(dashboard.period.findData("day"))
    )
    snapshot = dashboard.snapshot
    assert dashboard.day.isEnabled()
    midnight = datetime(day.year, day.month, day.day, tzinfo=HALL_TZ)
    assert (snapshot.query.start, snapshot.query.end) == (midnight, midnight + timedelta(days=1))
    assert snapshot.hourly and len(snapshot.periods()) == 24
    throughput = stats.get("throughput", ThroughputStats, **snapshot.query.params())
    assert throughput == snapshot.throughput
    assert sum(t.received for t in throughput.totals) > 0
    assert dashboard.throughput_chart.view.accessibleName() == "每小时业务量"


def test_refreshing_never_blocks_the_gui(qtbot, make_clerk_window, sign_in, languages):
    from ui.qt.dashboard.window import DashboardWindow

    window, desk = make_clerk_window()
    sign_in(window, "super01")
    # The dashboard's worker is held up until the test lets it go: central "is slow".
    gate = threading.Event()
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dashboard-test")
    executor.submit(gate.wait)
    services = desk.services().result(30)
    dashboard = DashboardWindow(
        desk.dashboard(executor=executor),
        services=services,
        training=True,
        auto_refresh_seconds=0,
    )
    shown = []

    def on_refreshed() -> None:  # runs on the GUI thread, where the signal is emitted
        shown.append(dashboard.snapshot.query.service)

    dashboard.refreshed.connect(on_refreshed)
    try:
        dashboard.show()
        first = dashboard.refresh()
        assert not first.done() and dashboard.busy
        assert dashboard.status_label.text() == "正在刷新…"
        assert dashboard.headline.text() == "正在获取大厅数据…"

        # The event loop runs on: timers fire, filters change, the language switches.
        ticks = []
        QTimer.singleShot(0, lambda: ticks.append(1))
        qtbot.waitUntil(lambda: ticks == [1])
        dashboard.service.setCurrentIndex(dashboard.service.findData("card_loss_report"))
        languages.set_language("en")
        qtbot.waitUntil(lambda: dashboard.windowTitle().endswith("Hall dashboard"))
        assert dashboard.status_label.text() == "Refreshing…"
        languages.set_language("zh_CN")
        qtbot.waitUntil(lambda: dashboard.windowTitle().endswith("大厅看板"))
        assert not first.done() and dashboard.busy

        # Central answers: only the latest refresh (the service filter's) reaches the screen.
        with qtbot.waitSignal(dashboard.refreshed, timeout=30000):
            gate.set()
        assert first.done()
        assert shown == ["card_loss_report"]
        assert not dashboard.busy
    finally:
        gate.set()
        dashboard.close()
        executor.shutdown(wait=True)


def test_csv_export_and_english(
    qtbot, tmp_path, make_clerk_window, sign_in, training_central, http, languages
):
    window, desk = make_clerk_window()
    sign_in(window, "super01")
    dashboard = open_dashboard(qtbot, window, desk)
    snapshot = dashboard.snapshot
    stats = Stats(http, training_central.url)

    path = tmp_path / "dashboard.csv"
    count = dashboard.export_csv(path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert count == len(rows)

    def find(**keys):
        return [r for r in rows if all(r[k] == v for k, v in keys.items())]

    def number(text: str) -> float | None:
        return float(text) if text else None

    assert find(section="query", metric="mode")[0]["value"] == "training"
    stages = stats.get("stages", StageStats, **snapshot.query.params())
    for summary in stages.stages:
        for metric in ("count", "median_seconds", "p90_seconds", "max_seconds"):
            (row,) = find(section="stages", service="", stage=summary.stage, metric=metric)
            assert number(row["value"]) == getattr(summary, metric), (summary.stage, metric)
    (slowest,) = find(section="bottleneck", service="")
    assert (slowest["stage"], slowest["label"]) == ("social_insurance", "社保经办机构")
    assert find(section="desks", workstation="W03", metric="offline")[0]["value"] == "1"
    (frozen,) = find(section="desks", workstation="W04", metric="frozen_reason")
    assert (frozen["value"], frozen["label"]) == ("unsent_age", "4号窗口")
    waiting = find(section="approvals", metric="waiting")[0]["value"]
    assert int(waiting) == snapshot.approvals.waiting
    totals = find(section="throughput", period="total", metric="received")
    assert sum(int(r["value"]) for r in totals) == snapshot.totals[0]
    # No personal data: the seed's ID numbers and names appear nowhere.
    content = path.read_text(encoding="utf-8-sig")
    assert "110105196210150016" not in content and "张伟明" not in content

    # The same dashboard in English.
    languages.set_language("en")
    qtbot.waitUntil(lambda: dashboard.windowTitle().endswith("] Hall dashboard"))
    assert "TRAINING" in dashboard.windowTitle()
    assert dashboard.headline.text().startswith("Bottleneck: Social insurance agency, median")
    assert "▶ Social insurance agency (slowest)" in dashboard.stage_chart.categories
    assert dashboard.export_button.text() == "Export CSV…"


def test_a_clerk_gets_no_dashboard(qtbot, make_clerk_window, sign_in, training_central, http):
    window, desk = make_clerk_window()
    sign_in(window)  # clerk01
    assert not window.dashboard_button.isVisible()
    with pytest.raises(DeskError) as caught:
        desk.dashboard()
    assert caught.value.code == "forbidden"

    # Claiming the role at the desk does not help: central refuses a clerk's token (403).
    clerk = Stats(http, training_central.url, "clerk01")
    client = CentralClient(training_central.url)
    dashboard = DashboardClient(client, ["supervisor"], token=clerk.token)
    try:
        query = DashboardQuery.last_days(7, now=datetime.now(UTC))
        with pytest.raises(DeskError) as caught:
            dashboard.stages(query).result(30)
        assert caught.value.code == "forbidden"
    finally:
        dashboard.close()
        client.close()
