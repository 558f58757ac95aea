"""The generated history: plausible, consistent, replaceable, and showing the planted bottleneck."""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import requests

from desktop.contract import DEPARTMENTS, BacklogStats, DeskStats, StageStats
from desktop.resources import resource_path
from sandbox import stats
from sandbox.db import Case, CaseEvent, CaseStep, open_database
from sandbox.history import HALL_TZ, HistoryError, generate_history
from sandbox.seed import apply_seed
from sandbox.server import EmbeddedSandbox, SandboxError

SEED = resource_path("sandbox", "seed.json")
# A Wednesday, 15:00 in the hall (07:00 UTC).
NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


@pytest.fixture
def sessions(tmp_path):
    """A seeded sandbox database without a server."""
    engine, maker = open_database(tmp_path / "central.db")
    with maker() as session:
        apply_seed(session, SEED)
        session.commit()
    yield maker
    engine.dispose()


def _generate(sessions, days=14, cases=600, **options) -> None:
    with sessions() as session:
        generate_history(session, days, cases, now=NOW, **options)
        session.commit()


def _department_medians(sessions, days=14) -> dict[str, tuple[float, float]]:
    with sessions() as session:
        answer = stats.stages(session, "H0001", NOW - timedelta(days=days), NOW)
    return {
        s.stage: (s.median_seconds, s.p90_seconds) for s in answer.stages if s.stage in DEPARTMENTS
    }


@pytest.mark.parametrize(
    ("slow", "seed"),
    [("social_insurance", 1), ("social_insurance", 2), ("finance", 3), ("employment_center", 4)],
)
def test_the_planted_department_is_the_slowest_stage(sessions, slow, seed):
    _generate(sessions, slow_department=slow, seed=seed)
    figures = _department_medians(sessions)
    assert max(figures, key=lambda d: figures[d][0]) == slow
    assert max(figures, key=lambda d: figures[d][1]) == slow
    # Clearly so, not by a hair: at least twice the next median.
    others = sorted((m for d, (m, _p) in figures.items() if d != slow), reverse=True)
    assert figures[slow][0] > 2 * others[0]


def test_without_a_planted_department_none_stands_out_that_far(sessions):
    _generate(sessions, slow_department=None, seed=5)
    medians = sorted(m for m, _p in _department_medians(sessions).values())
    assert medians[-1] < 2 * medians[0]


def test_cases_arrive_in_working_hours_and_events_agree_with_steps(sessions):
    _generate(sessions, days=21, cases=800, seed=6)
    with sessions() as session:
        cases = session.query(Case).all()
        events = session.query(CaseEvent).order_by(CaseEvent.case_pk, CaseEvent.at).all()
        steps = session.query(CaseStep).all()
    assert len(cases) == 800
    by_case: dict[int, list[CaseEvent]] = {}
    for event in events:
        by_case.setdefault(event.case_pk, []).append(event)

    for case in cases:
        local = case.received_at.astimezone(HALL_TZ)
        assert local.weekday() < 5, case.id
        assert "08:30" <= f"{local:%H:%M}" < "12:00" or "13:30" <= f"{local:%H:%M}" < "17:00"
        assert NOW - timedelta(days=21) <= case.received_at <= NOW
        assert case.id.startswith(f"C{case.received_at:%Y%m%d}")

        kinds = [e.kind for e in by_case[case.pk]]
        assert kinds[0] == "received" and kinds.count("received") == 1
        assert all(e.at <= NOW for e in by_case[case.pk])
        assert case.updated_at == max(e.at for e in by_case[case.pk])
        closing = {"completed": "completed", "rejected": "rejected"}.get(case.status)
        assert kinds[-1] == closing if closing else kinds[-1] not in ("completed", "rejected")
        if case.status == "received":
            assert "department_started" not in kinds

    # Each step's times are the matching events' times.
    starts = {(e.case_pk, e.department): e.at for e in events if e.kind == "department_started"}
    ends = {(e.case_pk, e.department): e.at for e in events if e.kind == "department_finished"}
    for step in steps:
        key = (step.case_pk, step.department)
        assert step.started_at == starts.get(key) and step.finished_at == ends.get(key)
        expected = "waiting" if key not in starts else ("done" if key in ends else "in_progress")
        assert step.status == expected

    # The mix: every service of the catalog, mostly completed, some still open, a few rejected.
    assert set(Counter(c.service for c in cases)) == {
        "unemployment_benefit",
        "pension_certification",
        "card_loss_report",
        "pin_reset",
    }
    statuses = Counter(c.status for c in cases)
    assert statuses["completed"] > 600 and statuses["rejected"] > 0
    assert statuses["in_progress"] + statuses["received"] > 0
    # Approvals: every PIN reset asks for one.
    approvals = {e.case_pk for e in events if e.kind == "approval_requested"}
    assert {c.pk for c in cases if c.service == "pin_reset"} <= approvals


def test_the_same_seed_and_time_give_the_same_history(tmp_path, sessions):
    _generate(sessions, cases=200, seed=9)
    engine, other = open_database(tmp_path / "other.db")
    try:
        with other() as session:
            apply_seed(session, SEED)
            generate_history(session, 14, 200, seed=9, now=NOW)
            session.commit()

        def picture(maker) -> list:
            with maker() as session:
                rows = session.query(CaseEvent.kind, CaseEvent.department, CaseEvent.at)
                return sorted(rows.order_by(CaseEvent.id).all())

        assert picture(sessions) == picture(other)
    finally:
        engine.dispose()


def test_bad_parameters_are_refused(sessions):
    for days, cases, slow in ((0, 10, None), (400, 10, None), (7, 0, None), (7, 10, "police")):
        with sessions() as session, pytest.raises(HistoryError):
            generate_history(session, days, cases, slow)


# --- in the running sandbox ---------------------------------------------------------------


def _bearer(http, url, body: dict, endpoint: str = "login") -> dict[str, str]:
    answer = http.post(f"{url}/v1/auth/{endpoint}", json=body)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _generated_open(db) -> int:
    with sqlite3.connect(db) as raw:
        return raw.execute(
            "select count(*) from cases where submitted_by = 'history:generated'"
            " and status in ('received', 'in_progress')"
        ).fetchone()[0]


def test_the_sandbox_serves_a_history_that_survives_live_work_and_is_replaced(tmp_path):
    db = tmp_path / "central.db"
    options = {"history_days": 10, "history_cases": 400, "history_seed": 7}
    with requests.Session() as http:
        http.trust_env = False
        with EmbeddedSandbox(db, SEED, advance_seconds=0.05, **options) as central:
            supervisor = _bearer(
                http, central.url, {"username": "super01", "password": "super01-training"}
            )
            answer = http.get(f"{central.url}/v1/stats/stages", headers=supervisor)
            figures = StageStats.model_validate(answer.json())
            departments = [s for s in figures.stages if s.department]
            assert max(departments, key=lambda s: s.median_seconds).stage == "social_insurance"

            backlog = BacklogStats.model_validate(
                http.get(f"{central.url}/v1/stats/backlog", headers=supervisor).json()
            )
            assert backlog.total_open == _generated_open(db) > 0
            desks = DeskStats.model_validate(
                http.get(f"{central.url}/v1/stats/desks", headers=supervisor).json()
            ).desks
            assert [d.workstation_id for d in desks] == ["W01", "W02", "W03", "W04"]
            assert [(d.offline, d.frozen) for d in desks[1:]] == [
                (False, False),
                (True, False),
                (False, True),
            ]

            # A live case goes through while the generated open cases stay where they are.
            open_before = _generated_open(db)
            clerk = _bearer(
                http, central.url, {"username": "clerk01", "password": "clerk01-training"}
            )
            live = http.post(
                f"{central.url}/v1/cases",
                json={
                    "local_id": "W01-live",
                    "service": "card_loss_report",
                    "hall_id": "H0001",
                    "workstation_id": "W01",
                    "clerk": "clerk01",
                    "created_at": datetime.now(UTC).isoformat(),
                    "citizen": {"ssn": "110105196210150016", "card_no": "A10000011"},
                    "identity": {"pin": "ok", "face": {"decision": "not_required"}},
                    "form": {"loss_kind": "temporary"},
                },
                headers={**clerk, "Idempotency-Key": str(uuid.uuid4())},
            )
            assert live.status_code == 201, live.text
            live_id = live.json()["id"]
            status, deadline = None, time.monotonic() + 30
            while status != "completed" and time.monotonic() < deadline:
                time.sleep(0.05)
                answer = http.get(f"{central.url}/v1/cases/{live_id}", headers=clerk)
                status = answer.json()["status"]
            assert status == "completed"
            assert _generated_open(db) == open_before

        # Started again: the generated history is replaced, the live case and desks kept.
        with EmbeddedSandbox(db, SEED, advance_seconds=0, **options):
            pass
    with sqlite3.connect(db) as raw:
        assert raw.execute(
            "select count(*) from cases where submitted_by = 'history:generated'"
        ).fetchone() == (400,)
        assert raw.execute("select status from cases where id = ?", (live_id,)).fetchone() == (
            "completed",
        )
        assert raw.execute("select count(*) from workstations").fetchone() == (4,)


def test_a_bad_history_stops_the_sandbox_from_starting(tmp_path):
    sandbox = EmbeddedSandbox(tmp_path / "central.db", SEED, history_days=500)
    with pytest.raises(SandboxError, match="days"):
        sandbox.start()
    assert not sandbox.running
