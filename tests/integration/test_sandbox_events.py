"""Case events recorded by the live sandbox as cases arrive and move, read back over HTTP."""

from __future__ import annotations

import sqlite3
import time
import uuid
from datetime import UTC, datetime

import pytest
import requests

from desktop.contract import CaseEventList
from desktop.resources import resource_path
from sandbox.server import EmbeddedSandbox

SEED = resource_path("sandbox", "seed.json")
C01 = {"ssn": "110105196210150016", "card_no": "A10000011"}


@pytest.fixture
def http():
    """A requests session that ignores proxy settings: everything here is loopback."""
    with requests.Session() as session:
        session.trust_env = False
        yield session


@pytest.fixture
def central(tmp_path):
    """A running sandbox without background advancing."""
    with EmbeddedSandbox(tmp_path / "central.db", SEED, advance_seconds=0) as sandbox:
        yield sandbox


def _bearer(http, url, username: str) -> dict[str, str]:
    answer = http.post(
        f"{url}/v1/auth/login", json={"username": username, "password": f"{username}-training"}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _case(**changes) -> dict:
    body = {
        "local_id": "W01-0001",
        "service": "unemployment_benefit",
        "hall_id": "H0001",
        "workstation_id": "W01",
        "clerk": "clerk01",
        "created_at": "2026-12-04T08:30:00Z",
        "citizen": {"person_ref": None, **C01},
        "identity": {"pin": "ok", "face": {"decision": "match"}},
        "form": {
            "reason_for_leaving": "contract_expired",
            "last_employer": "示例贸易有限公司",
            "insured_months": 36,
            "amount": 2130.5,
        },
    }
    body.update(changes)
    return body


def _submit(http, url, headers, body) -> str:
    answer = http.post(
        f"{url}/v1/cases", json=body, headers={**headers, "Idempotency-Key": str(uuid.uuid4())}
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def _events(http, url, headers, case_id) -> CaseEventList:
    answer = http.get(f"{url}/v1/cases/{case_id}/events", headers=headers)
    assert answer.status_code == 200, answer.text
    return CaseEventList.model_validate(answer.json())


def test_every_step_of_the_route_is_an_event_with_its_time(central, http):
    clerk = _bearer(http, central.url, "clerk01")
    admin = _bearer(http, central.url, "admin01")
    case_id = _submit(http, central.url, clerk, _case())
    for _ in range(4):
        advanced = http.post(f"{central.url}/v1/admin/cases/{case_id}/advance", headers=admin)
        assert advanced.status_code == 200

    events = _events(http, central.url, clerk, case_id).events
    assert [(e.kind, e.department) for e in events] == [
        ("received", None),
        ("department_started", "employment_center"),
        ("department_finished", "employment_center"),
        ("department_started", "social_insurance"),
        ("department_finished", "social_insurance"),
        ("department_started", "finance"),
        ("department_finished", "finance"),
        ("completed", None),
    ]
    assert [e.at for e in events] == sorted(e.at for e in events)
    assert all(e.at.tzinfo is not None for e in events)

    # The events agree with the route the case view shows.
    view = http.get(f"{central.url}/v1/cases/{case_id}", headers=clerk).json()
    started = {e.department: e.at for e in events if e.kind == "department_started"}
    finished = {e.department: e.at for e in events if e.kind == "department_finished"}
    for step in view["route"]:
        assert datetime.fromisoformat(step["started_at"]) == started[step["department"]]
        assert datetime.fromisoformat(step["finished_at"]) == finished[step["department"]]
    assert datetime.fromisoformat(view["received_at"]) == events[0].at


def test_a_cosigned_case_records_the_approval_with_the_desks_times(central, http):
    clerk = _bearer(http, central.url, "clerk01")
    body = _case(
        form={**_case()["form"], "amount": 6000},
        created_at="2026-12-04T08:30:00Z",
        cosign={"supervisor": "super01", "reason": "核对无误", "at": "2026-12-04T08:34:00Z"},
    )
    case_id = _submit(http, central.url, clerk, body)

    events = _events(http, central.url, clerk, case_id).events
    assert [e.kind for e in events] == ["approval_requested", "approval_decided", "received"]
    asked, decided, _received = events
    assert asked.at == datetime(2026, 12, 4, 8, 30, tzinfo=UTC)
    assert asked.detail == {"rules": ["amount_over"], "where": "desk"}
    assert decided.at == datetime(2026, 12, 4, 8, 34, tzinfo=UTC)
    assert decided.detail == {"decision": "approved", "by": "super01", "where": "desk"}


def test_a_rejected_case_records_who_finished_it_and_how(central, http):
    clerk = _bearer(http, central.url, "clerk01")
    admin = _bearer(http, central.url, "admin01")
    case_id = _submit(http, central.url, clerk, _case())
    http.post(f"{central.url}/v1/admin/cases/{case_id}/advance", headers=admin)

    refused = http.post(f"{central.url}/v1/admin/cases/{case_id}/reject", headers=clerk)
    assert refused.status_code == 403
    rejected = http.post(f"{central.url}/v1/admin/cases/{case_id}/reject", headers=admin)
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected"
    assert [s["status"] for s in rejected.json()["route"]] == ["done", "waiting", "waiting"]
    again = http.post(f"{central.url}/v1/admin/cases/{case_id}/reject", headers=admin)
    assert again.status_code == 409 and again.json()["error"]["code"] == "case_closed"

    events = _events(http, central.url, clerk, case_id).events
    assert [(e.kind, e.department, e.detail.get("outcome")) for e in events[1:]] == [
        ("department_started", "employment_center", None),
        ("department_finished", "employment_center", "rejected"),
        ("rejected", None, None),
    ]


def test_background_advancing_records_events_too(tmp_path, http):
    with EmbeddedSandbox(tmp_path / "central.db", SEED, advance_seconds=0.05) as central:
        clerk = _bearer(http, central.url, "clerk01")
        case_id = _submit(
            http,
            central.url,
            clerk,
            _case(service="card_loss_report", form={"loss_kind": "temporary"}),
        )
        deadline = time.monotonic() + 30
        kinds: list[str] = []
        while "completed" not in kinds and time.monotonic() < deadline:
            time.sleep(0.05)
            kinds = [e.kind for e in _events(http, central.url, clerk, case_id).events]
    assert kinds == ["received", "department_started", "department_finished", "completed"]


def test_events_of_another_halls_case_or_an_unknown_case_are_404(central, http):
    clerk = _bearer(http, central.url, "clerk01")
    missing = http.get(f"{central.url}/v1/cases/C19990101000001/events", headers=clerk)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "case_not_found"
    assert http.get(f"{central.url}/v1/cases/C1/events").status_code == 401


def test_cases_stored_before_events_existed_get_them_on_start(tmp_path, http):
    db = tmp_path / "central.db"
    with EmbeddedSandbox(db, SEED, advance_seconds=0) as central:
        clerk = _bearer(http, central.url, "clerk01")
        admin = _bearer(http, central.url, "admin01")
        case_id = _submit(http, central.url, clerk, _case())
        for _ in range(2):
            http.post(f"{central.url}/v1/admin/cases/{case_id}/advance", headers=admin)
        before = _events(http, central.url, clerk, case_id)

    # An older sandbox had no events table rows: drop them, as such a database would look.
    with sqlite3.connect(db) as raw:
        raw.execute("delete from case_events")

    with EmbeddedSandbox(db, SEED, advance_seconds=0) as central:
        clerk = _bearer(http, central.url, "clerk01")
        after = _events(http, central.url, clerk, case_id)
    assert [(e.kind, e.department, e.at) for e in after.events] == [
        (e.kind, e.department, e.at) for e in before.events
    ]
