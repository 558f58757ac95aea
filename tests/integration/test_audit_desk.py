"""The desk's audit trail end to end, and the alerts it raises.

Every action of a served citizen leaves a record naming the citizen only by ``person_ref``; the
chain reaches central; settings changes, failed sign-ins, lookups without cases and a chain
that fails to verify raise alerts at the desk and at central.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import time

import pytest
from security_support import FORM, PINS, DeskRig, Http

from desktop.auth import SecurityPolicy
from desktop.errors import DeskError


def _central_alerts(rig: DeskRig) -> list[dict]:
    assert rig.desk.guard.audit.wait_sent(30)
    http = Http(rig.url)
    try:
        return http.alerts(http.login("super01"))
    finally:
        http.close()


def test_serving_a_citizen_is_audited_without_personal_data(tmp_path):
    with DeskRig(tmp_path) as rig:
        rig.sign_in("clerk01")
        session = rig.citizen("c01")
        person_ref = session.person_ref
        assert rig.desk.verify_pin(session, "000000").result(30).status == "wrong"
        assert rig.desk.verify_pin(session, PINS["c01"]).result(30).status == "ok"
        rig.desk.decline_face(session)
        cosign = rig.desk.cosign("super01", "super01-training", "checked").result(30)
        queued = rig.desk.submit(session, "unemployment_benefit", FORM, cosign=cosign).result(30)
        rig.desk.end_citizen()
        rig.desk.sign_out()
        rows = rig.audit_rows()

        # The chain reaches central whole.
        audit = rig.desk.guard.audit
        assert audit.wait_sent(30)
        http = Http(rig.url)
        try:
            head = http.get(http.workstation(), "/v1/audit/W01/head").json()
        finally:
            http.close()
        assert head == {"seq": audit.head.seq, "mac": audit.head.mac}

    actions = [(r["action"], r["actor"]) for r in rows]
    assert actions[:1] == [("sign_in", "clerk01")]
    assert ("card_read", "clerk01") in actions
    for expected in (
        ("citizen_lookup", "clerk01"),
        ("pin_result", "clerk01"),
        ("face_decision", "clerk01"),
        ("cosign", "super01"),
        ("case_queued", "clerk01"),
        ("sign_out", "clerk01"),
    ):
        assert expected in actions, expected
    by_action = {r["action"]: r for r in rows}
    assert [r["details"]["result"] for r in rows if r["action"] == "pin_result"] == ["wrong", "ok"]
    assert by_action["citizen_lookup"]["person_ref"] == person_ref
    case = by_action["case_queued"]
    assert case["person_ref"] == person_ref
    assert case["details"]["local_id"] == queued.local_id
    assert case["details"]["approvals"] == ["face_declined"]
    assert case["details"]["cosigned_by"] == "super01"

    # No ID number, card number or name anywhere in the file.
    data = (tmp_path / "desk" / "audit.db").read_bytes()
    for secret in ("110105196210150016", "A10000011", "张伟明", "123456"):
        assert secret.encode() not in data, secret


def test_the_desk_verifies_its_chain_for_a_supervisor(tmp_path):
    with DeskRig(tmp_path) as rig:
        rig.sign_in("super01")
        result = rig.desk.verify_audit().result(30)
        assert result.ok and result.records >= 1


def test_a_settings_change_is_recorded_at_the_next_start(tmp_path):
    with DeskRig(tmp_path) as rig:
        rig.desk.stop()
        rig.settings = dataclasses.replace(rig.settings, card_grace_seconds=5.0)
        rig.desk = rig.build()
        rig.desk.start()
        rows = rig.audit_rows()
    changes = [r for r in rows if r["action"] == "settings_changed"]
    assert [(r["actor"], r["details"]["keys"]) for r in changes] == [
        ("system", ["card_grace_seconds"])
    ]


def test_lookups_far_beyond_the_cases_made_raise_an_alert(tmp_path):
    policy = SecurityPolicy(lookup_alert_min=3, lookup_alert_ratio=1.0)
    with DeskRig(tmp_path, security=policy) as rig:
        rig.sign_in("clerk01")
        for card in ("c01", "c02", "c01"):
            rig.citizen(card)
            rig.reader.remove()
        [alert] = rig.listener.wait_for("on_alert")
        assert alert[1]["kind"] == "lookups_without_cases"
        assert (alert[1]["subject"], alert[1]["lookups"], alert[1]["cases"]) == ("clerk01", 3, 0)
        rig.citizen("c02")  # once per session
        assert len(rig.listener.named("on_alert")) == 1
        central = _central_alerts(rig)
    assert [(a["kind"], a["subject"], a["source"]) for a in central] == [
        ("lookups_without_cases", "clerk01", "desk")
    ]


def test_repeated_failed_sign_ins_raise_an_alert_at_central(tmp_path):
    with DeskRig(tmp_path, security=SecurityPolicy(failed_sign_in_alert=2)) as rig:
        for _ in range(2):
            with pytest.raises(DeskError):
                rig.desk.sign_in("clerk01", "wrong-password").result(30)
        [alert] = rig.listener.wait_for("on_alert")
        assert alert[1]["kind"] == "failed_sign_ins" and alert[1]["failures"] == 2
        central = _central_alerts(rig)
    assert [(a["kind"], a["source"]) for a in central] == [("failed_sign_ins", "desk")]


def _poll_alerts(rig: DeskRig, done) -> list[tuple[str, str]]:
    http = Http(rig.url)
    try:
        token = http.login("super01")
        alerts: list[tuple[str, str]] = []
        for _ in range(300):
            rig.desk.guard.audit.sender.wake()
            alerts = [(a["kind"], a["source"]) for a in http.alerts(token)]
            if done(alerts):
                break
            time.sleep(0.1)
        return alerts
    finally:
        http.close()


def test_an_edited_chain_raises_an_alert_at_the_desk_and_at_central(tmp_path):
    with DeskRig(tmp_path) as rig:
        rig.sign_in("clerk01")
        rig.desk.sign_out()
        assert rig.desk.guard.audit.wait_sent(30)
        rig.desk.stop()
        with sqlite3.connect(tmp_path / "desk" / "audit.db") as db:
            db.execute("DROP TRIGGER audit_records_no_update")
            db.execute("UPDATE audit_records SET actor = 'super01' WHERE action = 'sign_in'")
        rig.desk = rig.build()
        rig.desk.start()
        [alert] = rig.listener.wait_for("on_alert")
        assert alert[1]["kind"] == "audit_chain_broken"
        assert (alert[1]["problem"], alert[1]["first_bad"]) == ("bad_mac", 1)
        rig.sign_in("super01")
        assert not rig.desk.verify_audit().result(30).ok
        alerts = _poll_alerts(rig, lambda found: found)
    assert alerts[0] == ("audit_chain_broken", "desk")


def test_a_cut_and_continued_chain_is_refused_by_central(tmp_path):
    with DeskRig(tmp_path) as rig:
        for _ in range(2):
            rig.sign_in("clerk01")
            rig.desk.sign_out()
        assert rig.desk.guard.audit.wait_sent(30)
        rig.desk.stop()
        # Cut the last records and every note of what central holds, then go on.
        with sqlite3.connect(tmp_path / "desk" / "audit.db") as db:
            db.execute("DROP TRIGGER audit_records_no_delete")
            last = db.execute("SELECT max(seq) FROM audit_records").fetchone()[0]
            db.execute("DELETE FROM audit_records WHERE seq > ?", (last - 2,))
            db.execute("DELETE FROM audit_meta WHERE key IN ('sent_seq', 'central_head_seq')")
        rig.desk = rig.build()
        rig.desk.start()
        rig.sign_in("super01")  # new records under the numbers cut away
        alerts = _poll_alerts(
            rig, lambda found: found and rig.desk.guard.audit.sender.conflict is not None
        )
        assert rig.desk.guard.audit.sender.conflict == "audit_conflict"
    assert alerts == [("audit_chain_broken", "central")]
