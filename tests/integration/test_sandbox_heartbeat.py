"""Workstation heartbeats over HTTP, and the desks they put on the supervisor's dashboard."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
import requests

from desktop.contract import DeskStats, ErrorBody, HeartbeatAck
from desktop.resources import resource_path
from sandbox.auth import hash_secret
from sandbox.server import EmbeddedSandbox

SEED = resource_path("sandbox", "seed.json")


@pytest.fixture
def http():
    """A requests session that ignores proxy settings: everything here is loopback."""
    with requests.Session() as session:
        session.trust_env = False
        yield session


@pytest.fixture
def central(tmp_path):
    """A running sandbox with a second desk, W02, enrolled in the hall."""
    db = tmp_path / "central.db"
    with EmbeddedSandbox(db, SEED, advance_seconds=0) as sandbox:
        with sqlite3.connect(db) as raw:
            raw.execute(
                "insert into workstations (id, name, hall_id, secret_hash) values (?, ?, ?, ?)",
                ("W02", "2号窗口", "H0001", hash_secret("w02-training-secret")),
            )
        yield sandbox


def _workstation(http, url, desk="W01", secret="w01-training-secret") -> dict[str, str]:
    answer = http.post(
        f"{url}/v1/auth/workstation", json={"workstation_id": desk, "secret": secret}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _staff(http, url, username: str) -> dict[str, str]:
    answer = http.post(
        f"{url}/v1/auth/login", json={"username": username, "password": f"{username}-training"}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _beat(**changes) -> dict:
    body = {
        "sent_at": datetime.now(UTC).isoformat(),
        "app_version": "0.1.0",
        "outbox": {"pending": 3, "sending": 1, "sent": 57, "rejected": 2, "withdrawn": 1},
        "oldest_unsent_seconds": 420.0,
        "versions": {"python": "3.11.2"},
    }
    body.update(changes)
    return body


def _send(http, url, headers, desk="W01", **changes) -> requests.Response:
    return http.post(
        f"{url}/v1/workstations/{desk}/heartbeat", json=_beat(**changes), headers=headers
    )


def _desks(http, url, headers, **params) -> DeskStats:
    answer = http.get(f"{url}/v1/stats/desks", headers=headers, params=params)
    assert answer.status_code == 200, answer.text
    return DeskStats.model_validate(answer.json())


def test_a_heartbeat_is_stored_as_the_desks_last_contact(central, http):
    ws = _workstation(http, central.url)
    answer = _send(http, central.url, ws)
    assert answer.status_code == 200, answer.text
    ack = HeartbeatAck.model_validate(answer.json())
    assert ack.workstation_id == "W01"

    supervisor = _staff(http, central.url, "super01")
    stats = _desks(http, central.url, supervisor)
    assert stats.hall_id == "H0001" and stats.offline_after_seconds == 300
    w01, w02 = stats.desks
    assert (w01.workstation_id, w01.name) == ("W01", "1号窗口")
    assert w01.last_contact == ack.received_at
    assert w01.seconds_since_contact == pytest.approx(
        (stats.at - ack.received_at).total_seconds(), abs=0.001
    )
    assert (w01.unsent, w01.rejected, w01.oldest_unsent_seconds) == (4, 2, 420.0)
    assert (w01.app_version, w01.offline, w01.frozen) == ("0.1.0", False, False)
    # A desk never heard from is offline, with nothing else known.
    assert (w02.workstation_id, w02.last_contact, w02.unsent, w02.offline) == (
        "W02",
        None,
        None,
        True,
    )

    # The latest heartbeat replaces the earlier one.
    frozen = _send(
        http,
        central.url,
        ws,
        outbox={"pending": 40},
        frozen=True,
        frozen_reason="unsent_count",
        oldest_unsent_seconds=None,
    )
    assert frozen.status_code == 200
    w01 = _desks(http, central.url, supervisor).desks[0]
    assert (w01.unsent, w01.rejected, w01.oldest_unsent_seconds) == (40, 0, None)
    assert (w01.frozen, w01.frozen_reason) == (True, "unsent_count")


def test_a_desk_past_the_threshold_is_offline(central, http):
    ws = _workstation(http, central.url)
    assert _send(http, central.url, ws).status_code == 200
    # Make the last contact ten minutes old.
    old = (datetime.now(UTC) - timedelta(minutes=10)).replace(tzinfo=None)
    with sqlite3.connect(central.db_path) as raw:
        raw.execute("update desk_heartbeats set received_at = ?", (old.isoformat(" "),))

    admin = _staff(http, central.url, "admin01")
    assert _desks(http, central.url, admin).desks[0].offline is True
    relaxed = _desks(http, central.url, admin, offline_after=3600)
    assert relaxed.offline_after_seconds == 3600 and relaxed.desks[0].offline is False
    assert relaxed.desks[0].seconds_since_contact >= 600
    bad = http.get(f"{central.url}/v1/stats/desks", headers=admin, params={"offline_after": 1})
    assert bad.status_code == 422


def test_only_the_workstation_itself_sends_its_heartbeat(central, http):
    w01 = _workstation(http, central.url)
    w02 = _workstation(http, central.url, "W02", "w02-training-secret")
    clerk = _staff(http, central.url, "clerk01")

    other = _send(http, central.url, w02, desk="W01")
    assert other.status_code == 403
    assert ErrorBody.model_validate(other.json()).error.code == "workstation_mismatch"
    staff = _send(http, central.url, clerk)
    assert staff.status_code == 403
    assert ErrorBody.model_validate(staff.json()).error.code == "forbidden"
    assert _send(http, central.url, {}).status_code == 401
    assert _send(http, central.url, w01).status_code == 200


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"citizen": "张伟明"}, {"citizen": "extra_forbidden"}),
        (
            {"outbox": {"pending": 1, "last_ssn": "110105196210150016"}},
            {"outbox.last_ssn": "extra_forbidden"},
        ),
        ({"outbox": {"pending": -2}}, {"outbox.pending": "greater_than_equal"}),
        ({"sent_at": "2026-12-04T08:30:00"}, {"sent_at": "timezone_aware"}),
    ],
)
def test_a_heartbeat_with_anything_but_counts_and_versions_is_refused(
    central, http, change, fields
):
    answer = _send(http, central.url, _workstation(http, central.url), **change)
    assert answer.status_code == 422
    assert ErrorBody.model_validate(answer.json()).error.fields == fields
    with sqlite3.connect(central.db_path) as raw:
        assert raw.execute("select count(*) from desk_heartbeats").fetchone() == (0,)
