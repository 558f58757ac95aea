"""Four-eyes approval at central (sandbox/approvals.py) over real HTTP.

Cases needing approval are parked, listed in the hall's inbox and decided there: 403 for
self-approval, a missing role or a second stage by the same person; 409 for an out-of-order,
already decided or replayed decision; the first decision wins; stages go in order. A
co-signature inside a case is held to the same rules.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from security_support import NEVER_OPEN, Http, case_body, write_seed

from sandbox.server import EmbeddedSandbox


@pytest.fixture
def central(tmp_path):
    sandbox = EmbeddedSandbox(tmp_path / "central.db", write_seed(tmp_path), advance_seconds=0)
    url = sandbox.start()
    http = Http(url)
    try:
        yield http
    finally:
        http.close()
        sandbox.stop()


@pytest.fixture
def ref(central):
    return central.person_ref(central.login("clerk01"))


def _parked(central, ref, *, clerk="clerk01", amount=6000.0, **changes) -> dict:
    answer = central.submit(
        central.workstation(), case_body(ref, clerk=clerk, amount=amount, **changes)
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "awaiting_approval"
    return answer.json()


def test_a_case_needing_approval_is_parked_and_listed(central, ref):
    case = _parked(central, ref)
    assert [(a["stage"], a["role"], a["status"]) for a in case["approvals"]] == [
        (1, "supervisor", "pending")
    ]

    inbox = central.inbox(central.login("super01"))
    assert inbox.status_code == 200, inbox.text
    [item] = inbox.json()["items"]
    assert (item["case_id"], item["stage"], item["clerk"]) == (case["id"], 1, "clerk01")
    assert item["rules"] == ["amount_over"] and item["can_decide"] is True

    # Only supervisors and admins of the hall see the inbox.
    assert central.inbox(central.login("clerk01")).status_code == 403
    assert central.inbox(central.workstation()).status_code == 403
    assert central.inbox(central.login("super01"), hall="H0002").status_code == 403
    assert central.inbox(central.login("admin01")).status_code == 200

    # A parked case does not move along its route until it is approved.
    admin = central.login("admin01")
    blocked = central.post(admin, f"/v1/admin/cases/{case['id']}/advance", {})
    assert blocked.status_code == 409 and blocked.json()["error"]["code"] == "awaiting_approval"
    assert central.decide(central.login("super01"), case["id"], 1).status_code == 200
    moved = central.post(admin, f"/v1/admin/cases/{case['id']}/advance", {})
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"


def test_nobody_approves_their_own_case(central, ref):
    # super01 is a clerk too and makes the case; their own approval is refused.
    case = _parked(central, ref, clerk="super01")
    token = central.login("super01")
    [item] = central.inbox(token).json()["items"]
    assert (item["can_decide"], item["why_not"]) == (False, "self_approval")
    answer = central.decide(token, case["id"], 1)
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "self_approval"
    assert central.get(token, f"/v1/cases/{case['id']}").json()["status"] == "awaiting_approval"


def test_a_missing_role_is_refused(central, ref):
    case = _parked(central, ref, clerk="super01")
    for who in ("clerk01", "admin01"):
        answer = central.decide(central.login(who), case["id"], 1)
        assert answer.status_code == 403, who
        assert answer.json()["error"]["code"] == "role_required"
        assert answer.json()["error"]["fields"] == {"stage": "supervisor"}
    workstation = central.decide(central.workstation(), case["id"], 1)
    assert workstation.status_code == 403


def test_the_first_decision_wins_and_a_replay_is_refused(central, ref):
    case = _parked(central, ref)
    first = central.decide(central.login("super01"), case["id"], 1)
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "received"
    assert first.json()["approvals"][0]["decided_by"] == "super01"

    replay = central.decide(central.login("super01"), case["id"], 1)
    assert replay.status_code == 409 and replay.json()["error"]["code"] == "approval_decided"
    late = central.decide(central.login("super02"), case["id"], 1, "rejected")
    assert late.status_code == 409 and late.json()["error"]["code"] == "approval_decided"
    view = central.get(central.login("clerk01"), f"/v1/cases/{case['id']}").json()
    assert view["status"] == "received" and view["approvals"][0]["status"] == "approved"
    assert central.inbox(central.login("super01")).json()["items"] == []


def test_racing_decisions_from_many_desks_have_one_winner(central, ref):
    case = _parked(central, ref)
    tokens = [central.login("super01"), central.login("super02")] * 4
    barrier = threading.Barrier(len(tokens))
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def decide(token: str, decision: str) -> None:
        http = Http(central.url)
        try:
            barrier.wait()
            answer = http.decide(token, case["id"], 1, decision)
            code = answer.json().get("error", {}).get("code", "")
        finally:
            http.close()
        with lock:
            answers.append((answer.status_code, code))

    threads = [
        threading.Thread(target=decide, args=(t, "approved" if i % 2 else "rejected"))
        for i, t in enumerate(tokens)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(s for s, _ in answers) == [200] + [409] * (len(tokens) - 1)
    assert {c for s, c in answers if s == 409} == {"approval_decided"}
    events = central.get(central.login("super01"), f"/v1/cases/{case['id']}/events").json()
    assert [e["kind"] for e in events["events"]].count("approval_decided") == 1


def test_stages_are_decided_in_order_by_different_people(central, ref):
    case = _parked(central, ref, amount=30000)
    assert [(a["stage"], a["status"]) for a in case["approvals"]] == [
        (1, "pending"),
        (2, "waiting"),
    ]
    super01, super02 = central.login("super01"), central.login("super02")

    early = central.decide(super02, case["id"], 2)
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "approval_out_of_order"
    assert early.json()["error"]["fields"] == {"stage": "1"}

    first = central.decide(super01, case["id"], 1)
    assert first.status_code == 200 and first.json()["status"] == "awaiting_approval"
    [item] = central.inbox(super01).json()["items"]
    assert item["stage"] == 2 and item["why_not"] == "approver_repeated"

    repeated = central.decide(super01, case["id"], 2)
    assert repeated.status_code == 403
    assert repeated.json()["error"]["code"] == "approver_repeated"

    second = central.decide(super02, case["id"], 2)
    assert second.status_code == 200 and second.json()["status"] == "received"
    kinds = [
        (e["kind"], e["detail"].get("stage"))
        for e in central.get(super01, f"/v1/cases/{case['id']}/events").json()["events"]
        if e["kind"].startswith("approval")
    ]
    assert kinds == [
        ("approval_requested", 1),
        ("approval_decided", 1),
        ("approval_requested", 2),
        ("approval_decided", 2),
    ]


def test_an_admin_stage_needs_an_admin(central, ref):
    case = _parked(central, ref, amount=60000)
    assert [a["role"] for a in case["approvals"]] == ["supervisor", "supervisor", "admin"]
    assert central.decide(central.login("super01"), case["id"], 1).status_code == 200
    assert central.decide(central.login("super02"), case["id"], 2).status_code == 200
    refused = central.decide(central.login("super02"), case["id"], 3)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "role_required"
    done = central.decide(central.login("admin01"), case["id"], 3)
    assert done.status_code == 200 and done.json()["status"] == "received"


def test_a_rejection_closes_the_case_and_cancels_later_stages(central, ref):
    case = _parked(central, ref, amount=30000)
    rejected = central.decide(central.login("super01"), case["id"], 1, "rejected", "材料不全")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert [a["status"] for a in rejected.json()["approvals"]] == ["rejected", "cancelled"]
    late = central.decide(central.login("super02"), case["id"], 2)
    assert late.status_code == 409 and late.json()["error"]["code"] == "approval_decided"


def test_a_cosign_inside_the_case_decides_the_first_stage_only(central, ref):
    cosign = {"supervisor": "super01", "reason": "核对无误", "at": datetime.now(UTC).isoformat()}
    case = _parked(central, ref, amount=30000, cosign=cosign)
    assert [(a["status"], a["decided_by"], a["where"]) for a in case["approvals"]] == [
        ("approved", "super01", "desk"),
        ("pending", None, None),
    ]
    # The co-signer cannot decide the second stage as well.
    refused = central.decide(central.login("super01"), case["id"], 2)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "approver_repeated"
    assert central.decide(central.login("super02"), case["id"], 2).status_code == 200


@pytest.mark.parametrize(
    ("cosigner", "clerk", "code", "field"),
    [
        ("clerk01", "clerk01", "self_approval", "same_as_clerk"),
        ("super01", "super01", "self_approval", "same_as_clerk"),
        ("nobody", "clerk01", "role_required", "unknown"),
        ("clerk02", "clerk01", "role_required", "not_supervisor"),
        ("admin01", "clerk01", "role_required", "not_supervisor"),
    ],
)
def test_a_cosign_inside_a_case_is_checked(central, ref, cosigner, clerk, code, field):
    cosign = {"supervisor": cosigner, "reason": "ok", "at": datetime.now(UTC).isoformat()}
    answer = central.submit(
        central.workstation(), case_body(ref, clerk=clerk, amount=6000, cosign=cosign)
    )
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"]["code"] == code
    assert answer.json()["error"]["fields"] == {"cosign.supervisor": field}


def test_the_inbox_waits_for_the_next_change(central, ref):
    token = central.login("super01")
    version = central.inbox(token).json()["version"]
    answers = []

    def wait() -> None:
        http = Http(central.url)
        try:
            answers.append(http.inbox(token, after=version, wait=20).json())
        finally:
            http.close()

    waiter = threading.Thread(target=wait)
    waiter.start()
    case = _parked(central, ref)
    waiter.join(30)
    assert not waiter.is_alive()
    [inbox] = answers
    assert inbox["version"] > version
    assert [i["case_id"] for i in inbox["items"]] == [case["id"]]


def test_decisions_outside_opening_hours_raise_an_alert(tmp_path):
    seed = write_seed(tmp_path, opening_hours=NEVER_OPEN)
    with EmbeddedSandbox(tmp_path / "central.db", seed, advance_seconds=0) as sandbox:
        central = Http(sandbox.url)
        try:
            ref = central.person_ref(central.login("clerk01"))
            case = _parked(central, ref)
            assert central.decide(central.login("super01"), case["id"], 1).status_code == 200
            alerts = central.alerts(central.login("super01"))
            assert [(a["kind"], a["subject"], a["source"]) for a in alerts] == [
                ("approval_outside_hours", "super01", "central")
            ]
            assert alerts[0]["detail"]["case_id"] == case["id"]
        finally:
            central.close()


def test_no_alert_inside_opening_hours(central, ref):
    case = _parked(central, ref)
    assert central.decide(central.login("super01"), case["id"], 1).status_code == 200
    assert central.alerts(central.login("super01")) == []
