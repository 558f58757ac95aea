"""An alert raised at this desk shows once in the alerts view, however central lists it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from desktop.approvals import unlisted_local_alerts
from desktop.contract import Alert

HERE = "W02"
T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def central(id_: int, kind: str, *, source: str = "desk", workstation: str = HERE, **fields):
    detail = fields.pop("detail", {})
    return Alert(
        id=id_,
        hall_id="H0001",
        workstation_id=workstation,
        kind=kind,
        subject=fields.pop("subject", "clerk01"),
        at=fields.pop("at", T0),
        source=source,
        detail=detail,
    )


def local(kind: str, **fields) -> dict:
    return {"kind": kind, "subject": "clerk01", "source": "desk", "at": T0, **fields}


def test_central_copy_of_a_desk_record_is_matched_by_its_record_number():
    mine = [local("failed_sign_ins", audit_seq=7), local("failed_sign_ins", audit_seq=9)]
    listed = [central(1, "failed_sign_ins", detail={"audit_seq": 7})]
    assert unlisted_local_alerts(listed, mine, HERE) == [mine[1]]


def test_a_record_not_yet_numbered_or_from_another_desk_stays_listed_locally():
    mine = [local("failed_sign_ins")]  # the audit writer has not committed it yet
    assert (
        unlisted_local_alerts([central(1, "failed_sign_ins", detail={"audit_seq": 3})], mine, HERE)
        == mine
    )
    numbered = [local("failed_sign_ins", audit_seq=3)]
    other_desk = [central(1, "failed_sign_ins", workstation="W01", detail={"audit_seq": 3})]
    assert unlisted_local_alerts(other_desk, numbered, HERE) == numbered
    other_kind = [central(1, "lookups_without_cases", detail={"audit_seq": 3})]
    assert unlisted_local_alerts(other_kind, numbered, HERE) == numbered


def test_an_alert_central_raises_itself_is_matched_by_case_or_by_time():
    by_case = local(
        "approval_outside_hours", central_raises=True, where="inbox", case_id="C-1", audit_seq=4
    )
    by_time = local("approval_outside_hours", central_raises=True, where="desk", audit_seq=5)
    listed = [
        central(1, "approval_outside_hours", source="central", detail={"case_id": "C-2"}),
        central(2, "approval_outside_hours", source="central", detail={"case_id": "C-1"}),
    ]
    # C-1 matches by case; the desk co-signature (no case known at the desk) takes the other.
    assert unlisted_local_alerts(listed, [by_case, by_time], HERE) == []
    # Each central alert stands for one local alert only.
    assert unlisted_local_alerts(listed[1:], [by_case, by_time], HERE) == [by_time]
    # A central alert from well before the desk's (an older approval) is another alert.
    older = [central(3, "approval_outside_hours", source="central", at=T0 - timedelta(hours=2))]
    assert unlisted_local_alerts(older, [by_time], HERE) == [by_time]
    # Central's copy of the desk's record does not stand for an alert central raises itself.
    copy = [central(4, "approval_outside_hours", detail={"audit_seq": 5})]
    assert unlisted_local_alerts(copy, [by_time], HERE) == [by_time]
