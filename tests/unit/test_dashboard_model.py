"""The dashboard's Qt-free core: the query window, reading a snapshot, the CSV, the role check."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta

import pytest

from desktop.contract import (
    ApprovalStats,
    BacklogStage,
    BacklogStats,
    DeskStats,
    DeskStatus,
    ServiceTotal,
    StageStats,
    StageSummary,
    ThroughputBucket,
    ThroughputStats,
)
from desktop.dashboard import (
    CSV_COLUMNS,
    HALL_TZ,
    DashboardClient,
    DashboardQuery,
    DashboardSnapshot,
    csv_rows,
    may_see_dashboard,
    write_csv,
)
from desktop.errors import DeskError

# Monday 2026-11-23, 09:00 in the hall is 01:00 UTC.
MONDAY = date(2026, 11, 23)
AT = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


def _stage(stage: str, count: int, median: float | None, p90: float | None = None):
    department = stage if stage not in ("approval", "intake") else None
    return StageSummary(
        stage=stage,
        department=department,
        count=count,
        median_seconds=median,
        p90_seconds=p90 if p90 is not None else median,
        max_seconds=p90 if p90 is not None else median,
    )


def _snapshot(query: DashboardQuery, **changes) -> DashboardSnapshot:
    hall = "H0001"
    stages = StageStats(
        hall_id=hall,
        start=query.start,
        end=query.end,
        stages=[
            _stage("approval", 3, 1500.0),
            _stage("intake", 10, 720.0),
            _stage("employment_center", 4, 2700.0),
            _stage("social_insurance", 9, 21600.0, 50000.0),
            _stage("finance", 0, None),
        ],
    )
    per_service = {
        "pin_reset": StageStats(
            hall_id=hall,
            start=query.start,
            end=query.end,
            service="pin_reset",
            stages=[_stage("social_insurance", 2, 30000.0)],
        ),
        "card_loss_report": StageStats(
            hall_id=hall,
            start=query.start,
            end=query.end,
            service="card_loss_report",
            stages=[_stage("intake", 2, 600.0), _stage("social_insurance", 7, 20000.0)],
        ),
    }
    values = {
        "query": query,
        "throughput": ThroughputStats(
            hall_id=hall,
            start=query.start,
            end=query.end,
            buckets=[
                # 09:00 and 10:00 on Monday in the hall, and 09:00 on Tuesday.
                ThroughputBucket(
                    hour=datetime(2026, 11, 23, 1, tzinfo=UTC),
                    service="pin_reset",
                    received=2,
                    completed=0,
                    rejected=0,
                ),
                ThroughputBucket(
                    hour=datetime(2026, 11, 23, 2, tzinfo=UTC),
                    service="card_loss_report",
                    received=3,
                    completed=1,
                    rejected=1,
                ),
                ThroughputBucket(
                    hour=datetime(2026, 11, 24, 1, tzinfo=UTC),
                    service="pin_reset",
                    received=1,
                    completed=2,
                    rejected=0,
                ),
            ],
            totals=[
                ServiceTotal(service="card_loss_report", received=3, completed=1, rejected=1),
                ServiceTotal(service="pin_reset", received=3, completed=2, rejected=0),
            ],
        ),
        "stages": stages,
        "backlog": BacklogStats(
            hall_id=hall,
            at=AT,
            total_open=5,
            stages=[BacklogStage(stage="social_insurance", department="social_insurance", open=5)],
        ),
        "approvals": ApprovalStats(hall_id=hall, at=AT, waiting=0, items=[]),
        "desks": DeskStats(
            hall_id=hall,
            at=AT,
            offline_after_seconds=300,
            desks=[
                DeskStatus(workstation_id="W01", name="1号窗口", offline=False, unsent=0),
                DeskStatus(workstation_id="W02", name="2号窗口", offline=True),
                DeskStatus(
                    workstation_id="W03",
                    name="3号窗口",
                    offline=False,
                    frozen=True,
                    frozen_reason="unsent_age",
                    unsent=27,
                ),
            ],
        ),
        "service_stages": per_service,
        "fetched_at": AT,
    }
    values.update(changes)
    return DashboardSnapshot(**values)


def test_one_day_is_midnight_to_midnight_in_the_hall():
    query = DashboardQuery.one_day(MONDAY, service="pin_reset")
    assert query.start == datetime(2026, 11, 22, 16, tzinfo=UTC)
    assert query.end == datetime(2026, 11, 23, 16, tzinfo=UTC)
    params = query.params()
    assert params == {
        "from": "2026-11-22T16:00:00+00:00",
        "to": "2026-11-23T16:00:00+00:00",
        "service": "pin_reset",
    }


def test_the_department_goes_to_stage_times_only():
    query = DashboardQuery.last_days(7, now=AT, department="finance")
    assert query.start == AT - timedelta(days=7)
    assert query.params()["department"] == "finance"
    assert "department" not in query.params(department=False)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime(2026, 11, 2), datetime(2026, 11, 3)),  # naive
        (AT, AT),  # empty
        (AT - timedelta(days=367), AT),  # longer than central allows
    ],
)
def test_bad_windows_are_refused(start, end):
    with pytest.raises(ValueError):
        DashboardQuery(start, end)


def test_the_bottleneck_is_the_highest_median_and_the_service_it_hurts_most():
    snapshot = _snapshot(DashboardQuery.last_days(7, now=AT))
    assert snapshot.bottleneck.stage == "social_insurance"
    service, figures = snapshot.bottleneck_service
    assert (service, figures.median_seconds) == ("pin_reset", 30000.0)
    assert snapshot.slowest_stage_of("card_loss_report").stage == "social_insurance"
    # Stages without a finished visit never count (finance has none).
    assert [d.workstation_id for d in snapshot.desks_needing_attention] == ["W03", "W02"]
    assert snapshot.totals == (6, 3, 1)


def test_no_finished_stage_means_no_bottleneck():
    query = DashboardQuery.last_days(7, now=AT)
    empty = StageStats(
        hall_id="H0001", start=query.start, end=query.end, stages=[_stage("finance", 0, None)]
    )
    snapshot = _snapshot(query, stages=empty, service_stages={})
    assert snapshot.bottleneck is None
    assert snapshot.bottleneck_service is None


def test_periods_are_local_days_with_the_quiet_ones_listed():
    query = DashboardQuery(
        datetime(2026, 11, 23, tzinfo=HALL_TZ), datetime(2026, 11, 26, tzinfo=HALL_TZ)
    )
    periods = _snapshot(query).periods()
    assert [p.start.date() for p in periods] == [date(2026, 11, d) for d in (23, 24, 25)]
    assert [(p.received, p.completed, p.rejected) for p in periods] == [
        (5, 1, 1),
        (1, 2, 0),
        (0, 0, 0),
    ]


def test_one_day_is_counted_per_hour():
    snapshot = _snapshot(DashboardQuery.one_day(MONDAY))
    assert snapshot.hourly
    periods = snapshot.periods()
    assert len(periods) == 24
    by_hour = {p.start.hour: (p.received, p.completed, p.rejected) for p in periods if p.received}
    assert by_hour == {9: (2, 0, 0), 10: (3, 1, 1)}


def test_the_csv_has_one_figure_a_row_with_names(tmp_path):
    snapshot = _snapshot(DashboardQuery.last_days(7, now=AT))
    names = {"social_insurance": "社保经办机构", "pin_reset": "社保卡密码重置"}
    path = tmp_path / "dashboard.csv"
    count = write_csv(snapshot, path, labels=lambda _kind, code: names.get(code, code))
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert count == len(rows) == len(csv_rows(snapshot))
    assert tuple(rows[0]) == CSV_COLUMNS

    def find(**keys):
        return [r for r in rows if all(r[k] == v for k, v in keys.items())]

    (median,) = find(
        section="stages", service="", stage="social_insurance", metric="median_seconds"
    )
    assert (median["value"], median["label"]) == ("21600", "社保经办机构")
    (worst,) = find(section="bottleneck", service="pin_reset")
    assert (worst["stage"], worst["value"], worst["label"]) == (
        "social_insurance",
        "30000",
        "社保卡密码重置",
    )
    (frozen,) = find(section="desks", workstation="W03", metric="frozen_reason")
    assert frozen["value"] == "unsent_age"
    assert find(section="desks", workstation="W02", metric="offline")[0]["value"] == "1"
    (received,) = find(section="throughput", period="total", service="pin_reset", metric="received")
    assert received["value"] == "3"
    # Times in the hall's zone; the mode is written down.
    assert find(section="query", metric="from")[0]["value"] == "2026-11-18T15:00:00+08:00"
    assert find(section="query", metric="mode")[0]["value"] == "production"
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        (["clerk"], False),
        ([], False),
        (["clerk", "supervisor"], True),
        (["admin"], True),
    ],
)
def test_only_supervisors_and_admins_get_a_client(roles, allowed):
    from desktop.central import CentralClient

    assert may_see_dashboard(roles) is allowed
    client = CentralClient("http://127.0.0.1:9")
    try:
        if allowed:
            DashboardClient(client, roles, token="t").close()
        else:
            with pytest.raises(DeskError) as caught:
                DashboardClient(client, roles, token="t")
            assert caught.value.code == "forbidden"
    finally:
        client.close()


def test_a_signed_out_supervisor_gets_no_figures():
    from desktop.central import CentralClient

    client = CentralClient("http://127.0.0.1:9")
    dashboard = DashboardClient(client, ["supervisor"], token=lambda: None)
    try:
        with pytest.raises(DeskError) as caught:
            dashboard.backlog().result(10)
        assert caught.value.code == "not_signed_in"
    finally:
        dashboard.close()
        client.close()
