"""Roles are checked in desktop/, on every action, not only by hiding buttons.

The attacks: a clerk calling the approval path of the Desk directly, a supervisor approving
their own case at the desk and through the inbox, a co-signature made up outside the desk, a
replayed approval. A real sandbox over HTTP and the real desk.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from security_support import FORM, PASSWORDS, PINS, DeskRig, Http, case_body

from desktop.auth import PERMISSIONS, permits, require
from desktop.contract import CoSign
from desktop.errors import DeskError


def _refused(future) -> DeskError:
    with pytest.raises(DeskError) as info:
        future.result(30)
    return info.value


def _parked_case(rig: DeskRig, clerk: str = "clerk01", amount: float = 6000) -> str:
    """A case needing approval, sent by the desk without a co-signature: its central id."""
    rig.sign_in(clerk)
    session = rig.citizen("c01")
    assert rig.desk.verify_pin(session, PINS["c01"]).result(30).status == "ok"
    rig.desk.decline_face(session)
    form = {**FORM, "amount": amount}
    with pytest.raises(DeskError) as info:
        rig.desk.submit(session, "unemployment_benefit", form).result(30)
    assert info.value.code == "cosign_required"
    queued = rig.desk.submit(session, "unemployment_benefit", form, defer_approval=True).result(30)
    rig.desk.end_citizen()
    sent = rig.listener.wait_for("on_case_sent", count=len(rig.listener.named("on_case_sent")) + 1)
    central_id = next(e[2] for e in sent if e[1] == queued.local_id)
    return central_id


def test_the_permission_table():
    assert permits(("clerk",), "serve_citizen") and not permits(("clerk",), "decide_approval")
    assert permits(("clerk", "supervisor"), "decide_approval")
    assert not permits(("admin",), "serve_citizen") and permits(("admin",), "verify_audit")
    assert not permits(("clerk",), "no_such_permission")
    assert all(roles <= {"clerk", "supervisor", "admin"} for roles in PERMISSIONS.values())
    with pytest.raises(DeskError) as info:
        require(None, "serve_citizen")
    assert info.value.code == "not_signed_in"


def test_a_clerk_calling_the_approval_path_directly_is_refused(tmp_path):
    with DeskRig(tmp_path) as rig:
        case_id = _parked_case(rig)
        # Still clerk01, who has no approver role: every approval call fails in the desk.
        error = _refused(rig.desk.decide_approval(case_id, 1, "approved", reason="ok"))
        assert error.code == "forbidden"
        assert error.fields == {"permission": "decide_approval", "roles": "admin,supervisor"}
        assert _refused(rig.desk.approvals()).code == "forbidden"
        assert _refused(rig.desk.alerts()).code == "forbidden"
        assert _refused(rig.desk.verify_audit()).code == "forbidden"
        with pytest.raises(DeskError) as info:
            rig.desk.watch_approvals()
        assert info.value.code == "forbidden"

        # Central never heard of it: the case still waits.
        http = Http(rig.url)
        try:
            view = http.get(http.login("super01"), f"/v1/cases/{case_id}").json()
        finally:
            http.close()
        assert view["status"] == "awaiting_approval"
        denied = [r for r in rig.audit_rows() if r["action"] == "permission_denied"]
    assert {r["details"]["permission"] for r in denied} >= {"decide_approval", "view_approvals"}
    assert {r["actor"] for r in denied} == {"clerk01"}


def test_an_admin_does_not_serve_citizens_and_a_clerk_sees_no_unmasked_data(tmp_path):
    with DeskRig(tmp_path) as rig:
        rig.sign_in("admin01")
        assert _refused(rig.desk.begin_citizen()).code == "forbidden"
        assert _refused(rig.desk.pin_tries_left()).code == "forbidden"

        rig.sign_in("clerk01")
        session = rig.citizen("c01")
        with pytest.raises(DeskError) as info:
            rig.desk.unmasked_identity(session)
        assert info.value.code == "forbidden"

        rig.sign_in("super01")
        session = rig.citizen("c01")
        person_ref = session.person_ref
        shown = rig.desk.unmasked_identity(session)
        assert shown == {"ssn": "110105196210150016", "name": "张伟明"}
        rows = [r for r in rig.audit_rows() if r["action"] == "unmasked_view"]
    assert [(r["actor"], r["person_ref"]) for r in rows] == [("super01", person_ref)]


def test_a_supervisor_cannot_cosign_their_own_case_at_the_desk(tmp_path):
    with DeskRig(tmp_path) as rig:
        rig.sign_in("super01")  # a supervisor who serves citizens too
        session = rig.citizen("c01")
        assert rig.desk.verify_pin(session, PINS["c01"]).result(30).status == "ok"
        rig.desk.decline_face(session)
        error = _refused(rig.desk.cosign("super01", PASSWORDS["super01"], "checked"))
        assert error.code == "cosign_self"
        # A clerk is no co-signer either; a second supervisor is.
        error = _refused(rig.desk.cosign("clerk01", PASSWORDS["clerk01"], "checked"))
        assert error.code == "cosign_not_supervisor"
        cosign = rig.desk.cosign("super02", PASSWORDS["super02"], "checked").result(30)
        queued = rig.desk.submit(session, "unemployment_benefit", FORM, cosign=cosign).result(30)
        assert queued.service == "unemployment_benefit"
        refused = [r for r in rig.audit_rows() if r["action"] == "cosign_refused"]
    assert [r["details"]["reason"] for r in refused] == ["cosign_self", "cosign_not_supervisor"]


def test_only_cosignatures_made_at_the_desk_for_this_citizen_count(tmp_path):
    with DeskRig(tmp_path) as rig:
        rig.sign_in("clerk01")
        first = rig.citizen("c01")
        assert rig.desk.verify_pin(first, PINS["c01"]).result(30).status == "ok"
        rig.desk.decline_face(first)

        forged = CoSign(supervisor="super01", reason="ok", at=datetime.now(UTC))
        error = _refused(rig.desk.submit(first, "unemployment_benefit", FORM, cosign=forged))
        assert error.code == "cosign_unverified"

        cosign = rig.desk.cosign("super01", PASSWORDS["super01"], None, reason_code=None)
        assert _refused(cosign).code == "reason_required"
        cosign = rig.desk.cosign(
            "super01", PASSWORDS["super01"], reason_code="resident_id_checked"
        ).result(30)
        assert cosign.reason == "已核验居民身份证原件"
        rig.desk.submit(first, "unemployment_benefit", FORM, cosign=cosign).result(30)
        # Used once: it does not sign another case.
        again = _refused(rig.desk.submit(first, "unemployment_benefit", FORM, cosign=cosign))
        assert again.code == "cosign_unverified"

        # Made for one citizen, it does not sign another citizen's case.
        other = rig.desk.cosign("super01", PASSWORDS["super01"], "checked").result(30)
        rig.reader.remove()
        second = rig.citizen("c02")
        assert rig.desk.verify_pin(second, PINS["c02"]).result(30).status == "ok"
        error = _refused(
            rig.desk.submit(second, "card_loss_report", {"loss_kind": "formal"}, cosign=other)
        )
        assert error.code == "cosign_unverified"
        cosigns = [r for r in rig.audit_rows() if r["action"] == "cosign"]
    assert [r["details"]["reason"] for r in cosigns] == ["resident_id_checked", "typed"]
    assert {r["actor"] for r in cosigns} == {"super01"}


def test_a_supervisor_cannot_approve_their_own_case_in_the_inbox(tmp_path):
    with DeskRig(tmp_path) as rig:
        case_id = _parked_case(rig, clerk="super01")
        inbox = rig.desk.approvals().result(30)
        [item] = [i for i in inbox.items if i.case_id == case_id]
        assert (item.can_decide, item.why_not) == (False, "self_approval")
        error = _refused(rig.desk.decide_approval(case_id, 1, "approved", reason="ok"))
        assert error.code == "self_approval"

        # Without the inbox at hand the desk asks central, which refuses the same way.
        rig.desk.guard.remember_inbox(None)
        error = _refused(rig.desk.decide_approval(case_id, 1, "approved", reason="ok"))
        assert error.code == "self_approval"
        refused = [r for r in rig.audit_rows() if r["action"] == "approval_refused"]
    assert [r["details"]["code"] for r in refused] == ["self_approval", "self_approval"]


def test_the_first_decision_wins_and_a_replay_is_refused_at_the_desk(tmp_path):
    with DeskRig(tmp_path) as rig:
        case_id = _parked_case(rig)
        rig.sign_in("super02")
        result = rig.desk.decide_approval(
            case_id, 1, "approved", reason_code="amount_checked"
        ).result(30)
        assert result.status == "received" and result.approvals[0].decided_by == "super02"
        replay = _refused(rig.desk.decide_approval(case_id, 1, "approved", reason="again"))
        assert replay.code == "approval_decided"

        rig.sign_in("super01")
        late = _refused(rig.desk.decide_approval(case_id, 1, "rejected", reason="no"))
        assert late.code == "approval_decided"
        rows = rig.audit_rows()
    decided = [r for r in rows if r["action"] == "approval_decided"]
    assert [(r["actor"], r["details"]["case_id"]) for r in decided] == [("super02", case_id)]


def test_the_inbox_shows_new_approvals_as_they_arrive(tmp_path):
    with DeskRig(tmp_path) as rig:
        rig.sign_in("super02")
        rig.desk.watch_approvals()
        first = rig.listener.wait_for("on_approvals_changed")
        assert first[-1][1].items == []

        http = Http(rig.url)
        try:
            ref = http.person_ref(http.login("clerk01"))
            answer = http.submit(http.workstation(), case_body(ref, amount=7000))
            assert answer.status_code == 201, answer.text
        finally:
            http.close()
        changes = rig.listener.wait_for("on_approvals_changed", count=2)
        inbox = changes[-1][1]
        assert [i.case_id for i in inbox.items] == [answer.json()["id"]]
        assert inbox.items[0].can_decide is True

        # Signing out stops the watcher with the session.
        rig.desk.sign_out()
        assert rig.desk.guard._watcher is None
