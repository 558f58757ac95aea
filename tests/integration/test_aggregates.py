"""The supervisor's aggregates over HTTP, against a small hand-made history worked out by hand.

Six cases of hall H0001 on Monday 2 November 2026, minutes after T0 = 01:00 UTC (09:00 local):

| case | service | received | approval | intake | departments | end |
| --- | --- | --- | --- | --- | --- | --- |
| 1 | pension_certification | 0 | — | 0→10 | SI 10→70 | completed 70 |
| 2 | pension_certification | 30 | — | 30→50 | SI 50→170 | completed 170 |
| 3 | card_loss_report | 60 | — | open since 60 | — | open |
| 4 | unemployment_benefit | 90 | 90→130 | 130→140 | EC 140→200, SI 200→440, FIN 440→ | open |
| 5 | unemployment_benefit | 120 | waiting since 120 | — | — | open |
| 6 | pin_reset | 150 | 150→165 | 165→180 | SI 180→200 rejected | rejected 200 |

and one case of another hall (H0002) that must never show up.

Stage times in minutes: social insurance 60, 120, 240, 20; intake 10, 20, 10, 15; approval 40,
15; employment centre 60. With linear interpolation between ranks, for four sorted values a ≤ b
≤ c ≤ d the median is (b + c) / 2 and the 90th percentile c + 0.7 (d - c); for two, a + 0.9 (b - a).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests

from desktop.contract import (
    ApprovalStats,
    BacklogStats,
    CitizenRef,
    ErrorBody,
    StageStats,
    ThroughputStats,
)
from desktop.resources import resource_path
from sandbox.db import open_database
from sandbox.history import CaseTimeline, write_timelines
from sandbox.server import EmbeddedSandbox

SEED = resource_path("sandbox", "seed.json")
T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
WINDOW = {"from": "2026-11-02T00:00:00Z", "to": "2026-11-03T00:00:00Z"}
CITIZEN = CitizenRef(person_ref="P1", ssn="110105196210150016", card_no="A10000011")
ROUTE3 = ["employment_center", "social_insurance", "finance"]


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _timeline(service, route, received, **changes) -> CaseTimeline:
    return CaseTimeline(
        service=service,
        route=route,
        received_at=at(received),
        workstation_id="W01",
        clerk="clerk01",
        citizen=CITIZEN,
        **changes,
    )


HISTORY = [
    _timeline(
        "pension_certification",
        ["social_insurance"],
        0,
        steps=[("social_insurance", at(10), at(70))],
        outcome="completed",
        closed_at=at(70),
    ),
    _timeline(
        "pension_certification",
        ["social_insurance"],
        30,
        steps=[("social_insurance", at(50), at(170))],
        outcome="completed",
        closed_at=at(170),
    ),
    _timeline("card_loss_report", ["social_insurance"], 60),
    _timeline(
        "unemployment_benefit",
        ROUTE3,
        90,
        approval=(at(90), at(130), "approved", ["amount_over"]),
        approver="super01",
        steps=[
            ("employment_center", at(140), at(200)),
            ("social_insurance", at(200), at(440)),
            ("finance", at(440), None),
        ],
    ),
    _timeline(
        "unemployment_benefit",
        ROUTE3,
        120,
        approval=(at(120), None, "approved", ["amount_over", "face_declined"]),
    ),
    _timeline(
        "pin_reset",
        ["social_insurance"],
        150,
        approval=(at(150), at(165), "approved", ["pin_reset"]),
        approver="super01",
        steps=[("social_insurance", at(180), at(200))],
        outcome="rejected",
        closed_at=at(200),
    ),
]
OTHER_HALL = _timeline(
    "pension_certification",
    ["social_insurance"],
    5,
    steps=[("social_insurance", at(6), at(7))],
    outcome="completed",
    closed_at=at(7),
)


@pytest.fixture
def central(tmp_path):
    """A sandbox holding the hand-made history; ``case_ids`` are the six cases' ids."""
    db = tmp_path / "central.db"
    sandbox = EmbeddedSandbox(db, SEED, advance_seconds=0)
    sandbox.start()
    engine, sessions = open_database(db)
    try:
        with sessions() as session:
            ids = write_timelines(session, "H0001", HISTORY)
            write_timelines(session, "H0002", [OTHER_HALL])
            session.commit()
        sandbox.case_ids = ids
        yield sandbox
    finally:
        engine.dispose()
        sandbox.stop()


@pytest.fixture
def http():
    """A requests session that ignores proxy settings: everything here is loopback."""
    with requests.Session() as session:
        session.trust_env = False
        yield session


@pytest.fixture
def supervisor(central, http) -> dict[str, str]:
    answer = http.post(
        f"{central.url}/v1/auth/login",
        json={"username": "super01", "password": "super01-training"},
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _get(http, central, headers, path, **params) -> dict:
    answer = http.get(f"{central.url}/v1/stats/{path}", headers=headers, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _stages(http, central, headers, **params) -> dict[str, tuple]:
    stats = StageStats.model_validate(_get(http, central, headers, "stages", **params))
    return {
        s.stage: (s.count, s.median_seconds, s.p90_seconds, s.max_seconds) for s in stats.stages
    }


MIN = 60.0


def test_stage_times_match_the_hand_computed_figures(central, http, supervisor):
    stats = StageStats.model_validate(_get(http, central, supervisor, "stages", **WINDOW))
    assert [s.stage for s in stats.stages] == [
        "approval",
        "intake",
        "employment_center",
        "social_insurance",
        "finance",
    ]
    assert [s.department for s in stats.stages] == [None, None, *ROUTE3]
    assert (stats.hall_id, stats.start, stats.end) == (
        "H0001",
        datetime(2026, 11, 2, tzinfo=UTC),
        datetime(2026, 11, 3, tzinfo=UTC),
    )
    assert _stages(http, central, supervisor, **WINDOW) == {
        # 15, 40
        "approval": (2, 27.5 * MIN, 37.5 * MIN, 40 * MIN),
        # 10, 10, 15, 20
        "intake": (4, 12.5 * MIN, 18.5 * MIN, 20 * MIN),
        "employment_center": (1, 60 * MIN, 60 * MIN, 60 * MIN),
        # 20, 60, 120, 240
        "social_insurance": (4, 90 * MIN, 204 * MIN, 240 * MIN),
        "finance": (0, None, None, None),
    }

    # The same window written in the hall's time: the same figures, the window given in UTC.
    local = {"from": "2026-11-02T08:00:00+08:00", "to": "2026-11-03T08:00:00+08:00"}
    again = StageStats.model_validate(_get(http, central, supervisor, "stages", **local))
    assert again.stages == stats.stages and again.start == stats.start
    assert again.start.utcoffset() == timedelta(0)


def test_stages_filter_by_service_department_and_the_end_of_the_window(central, http, supervisor):
    pensions = _stages(http, central, supervisor, service="pension_certification", **WINDOW)
    assert pensions["social_insurance"] == (2, 90 * MIN, 114 * MIN, 120 * MIN)  # 60, 120
    assert pensions["intake"] == (2, 15 * MIN, 19 * MIN, 20 * MIN)  # 10, 20
    assert pensions["approval"][0] == 0

    only = _stages(http, central, supervisor, department="social_insurance", **WINDOW)
    assert only == {"social_insurance": (4, 90 * MIN, 204 * MIN, 240 * MIN)}

    # A visit counts where it ended: from minute 100 on, case 1's 60 minutes (ended at 70) go.
    later = _stages(
        http,
        central,
        supervisor,
        department="social_insurance",
        **{"from": at(100).isoformat(), "to": WINDOW["to"]},
    )
    assert later == {"social_insurance": (3, 120 * MIN, 216 * MIN, 240 * MIN)}  # 20, 120, 240
    # And up to minute 200 (exclusive), case 6 (ended at 200) and case 4 (440) are not in.
    earlier = _stages(
        http,
        central,
        supervisor,
        department="social_insurance",
        **{"from": WINDOW["from"], "to": at(200).isoformat()},
    )
    assert earlier == {"social_insurance": (2, 90 * MIN, 114 * MIN, 120 * MIN)}


def test_throughput_counts_cases_per_service_and_hour(central, http, supervisor):
    stats = ThroughputStats.model_validate(_get(http, central, supervisor, "throughput", **WINDOW))
    buckets = [(b.hour.hour, b.service, b.received, b.completed, b.rejected) for b in stats.buckets]
    assert buckets == [
        (1, "pension_certification", 2, 0, 0),
        (2, "card_loss_report", 1, 0, 0),
        (2, "pension_certification", 0, 1, 0),
        (2, "unemployment_benefit", 1, 0, 0),
        (3, "pension_certification", 0, 1, 0),
        (3, "pin_reset", 1, 0, 0),
        (3, "unemployment_benefit", 1, 0, 0),
        (4, "pin_reset", 0, 0, 1),
    ]
    assert all(b.hour.tzinfo is not None and b.hour.date() == T0.date() for b in stats.buckets)
    assert [(t.service, t.received, t.completed, t.rejected) for t in stats.totals] == [
        ("card_loss_report", 1, 0, 0),
        ("pension_certification", 2, 2, 0),
        ("pin_reset", 1, 0, 1),
        ("unemployment_benefit", 2, 0, 0),
    ]

    pin = ThroughputStats.model_validate(
        _get(http, central, supervisor, "throughput", service="pin_reset", **WINDOW)
    )
    assert [(b.hour.hour, b.received, b.rejected) for b in pin.buckets] == [(3, 1, 0), (4, 0, 1)]

    # The default window is the last seven days: the November history is not in it.
    recent = ThroughputStats.model_validate(_get(http, central, supervisor, "throughput"))
    assert recent.buckets == [] and recent.end - recent.start == timedelta(days=7)


def test_the_backlog_shows_each_open_case_in_its_one_stage(central, http, supervisor):
    stats = BacklogStats.model_validate(_get(http, central, supervisor, "backlog"))
    assert stats.total_open == 3
    assert {s.stage: s.open for s in stats.stages} == {
        "approval": 1,  # case 5
        "intake": 1,  # case 3
        "employment_center": 0,
        "social_insurance": 0,
        "finance": 1,  # case 4
    }
    oldest = {s.stage: s.oldest_seconds for s in stats.stages}
    assert oldest["intake"] == pytest.approx((stats.at - at(60)).total_seconds(), abs=0.001)
    assert oldest["approval"] == pytest.approx((stats.at - at(120)).total_seconds(), abs=0.001)
    assert oldest["finance"] == pytest.approx((stats.at - at(440)).total_seconds(), abs=0.001)
    assert oldest["social_insurance"] is None


def test_waiting_approvals_are_listed_with_their_age(central, http, supervisor):
    stats = ApprovalStats.model_validate(_get(http, central, supervisor, "approvals"))
    assert stats.waiting == 1
    [item] = stats.items
    assert item.case_id == central.case_ids[4]
    assert (item.service, item.workstation_id, item.clerk) == (
        "unemployment_benefit",
        "W01",
        "clerk01",
    )
    assert item.rules == ["amount_over", "face_declined"]
    assert item.requested_at == at(120)
    age = (stats.at - at(120)).total_seconds()
    assert item.age_seconds == pytest.approx(age, abs=0.001)
    assert stats.oldest_seconds == stats.median_age_seconds == item.age_seconds


def test_only_supervisors_and_admins_see_statistics(central, http):
    def bearer(body: dict, endpoint: str) -> dict[str, str]:
        answer = http.post(f"{central.url}/v1/auth/{endpoint}", json=body)
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['token']}"}

    clerk = bearer({"username": "clerk01", "password": "clerk01-training"}, "login")
    admin = bearer({"username": "admin01", "password": "admin01-training"}, "login")
    desk = bearer({"workstation_id": "W01", "secret": "w01-training-secret"}, "workstation")
    for path in ("throughput", "stages", "backlog", "approvals", "desks"):
        for headers, status in ((clerk, 403), (desk, 403), ({}, 401), (admin, 200)):
            answer = http.get(f"{central.url}/v1/stats/{path}", headers=headers)
            assert answer.status_code == status, (path, headers, answer.text)


BAD_PARAMETERS = [
    ("stages", {"from": "2026-11-02T00:00:00"}, {"from": "timezone_aware"}),
    ("stages", {"from": "2026-11-03T00:00:00Z", "to": WINDOW["from"]}, {"from": "order"}),
    ("throughput", {"from": "2024-01-01T00:00:00Z", "to": WINDOW["to"]}, {"from": "range"}),
    ("throughput", {"service": "space_travel"}, {"service": "unknown"}),
    ("stages", {"department": "police"}, {"department": "unknown"}),
    ("stages", {"to": "yesterday"}, {"to": "datetime_from_date_parsing"}),
]


def test_bad_parameters_are_422_naming_the_field(central, http, supervisor):
    for path, params, fields in BAD_PARAMETERS:
        answer = http.get(f"{central.url}/v1/stats/{path}", headers=supervisor, params=params)
        assert answer.status_code == 422, (path, params)
        assert ErrorBody.model_validate(answer.json()).error.fields == fields, (path, params)
