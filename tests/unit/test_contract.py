"""The API contract: canonical JSON, digests, validation rules and the service rules."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from desktop.contract import (
    CASE_EVENT_KINDS,
    DEPARTMENTS,
    STAGES,
    ApprovalRule,
    CaseEventList,
    CaseSubmission,
    CaseView,
    DeskStats,
    ErrorBody,
    FaultSpec,
    Heartbeat,
    IdentityCheck,
    LoginRequest,
    PersonLookupRequest,
    Service,
    StageStats,
    body_digest,
    canonical_json,
    parse_services,
)
from desktop.resources import resource_path

CST = timezone(timedelta(hours=8))


def submission(**changes) -> dict:
    """A case body as JSON-ready data; ``changes`` replaces top-level keys."""
    data = {
        "local_id": "W01-20261204-0001",
        "service": "pension_certification",
        "hall_id": "H0001",
        "workstation_id": "W01",
        "clerk": "clerk01",
        "created_at": "2026-12-04T16:30:00+08:00",
        "citizen": {"person_ref": "P1", "ssn": "31010419550308002X", "card_no": "A10000029"},
        "identity": {
            "pin": "not_required",
            "face": {"decision": "match", "distance": 0.41, "threshold": 0.6, "liveness": None},
            "offline": False,
        },
        "form": {"residence": "local", "note": "张三"},
        "cosign": None,
    }
    data.update(changes)
    return data


def test_canonical_json_is_sorted_compact_utf8_and_in_utc():
    case = CaseSubmission.model_validate(submission())

    # Written out by hand: every level sorted, no blanks, Chinese as UTF-8, time in UTC.
    expected = (
        '{"citizen":{"card_no":"A10000029","person_ref":"P1","ssn":"31010419550308002X"},'
        '"clerk":"clerk01","cosign":null,"created_at":"2026-12-04T08:30:00Z",'
        '"form":{"note":"张三","residence":"local"},"hall_id":"H0001",'
        '"identity":{"face":{"decision":"match","distance":0.41,"liveness":null,'
        '"threshold":0.6},"offline":false,"pin":"not_required"},'
        '"local_id":"W01-20261204-0001","service":"pension_certification",'
        '"workstation_id":"W01"}'
    ).encode()
    assert canonical_json(case) == expected
    assert body_digest(case) == hashlib.sha256(expected).hexdigest()


def test_digest_is_stable_across_key_order_time_zone_and_a_json_round_trip():
    first = CaseSubmission.model_validate(submission())

    # Keys in another order, the same instant written in UTC, sent and parsed again.
    reordered = dict(reversed(list(submission(created_at="2026-12-04T08:30:00Z").items())))
    reordered["form"] = {"residence": "local", "note": "张三"}
    second = CaseSubmission.model_validate_json(json.dumps(reordered, ensure_ascii=True))
    third = CaseSubmission.model_validate_json(first.model_dump_json())

    assert body_digest(first) == body_digest(second) == body_digest(third)


@pytest.mark.parametrize(
    "change",
    [
        {"form": {"residence": "other_region", "note": "张三"}},
        {"local_id": "W01-20261204-0002"},
        {"created_at": "2026-12-04T16:30:01+08:00"},
        {"citizen": {"person_ref": None, "ssn": "31010419550308002X", "card_no": "A10000029"}},
    ],
)
def test_any_change_of_the_body_changes_the_digest(change):
    assert body_digest(CaseSubmission.model_validate(submission())) != body_digest(
        CaseSubmission.model_validate(submission(**change))
    )


def test_naive_times_and_unknown_fields_are_refused():
    with pytest.raises(ValidationError) as naive:
        CaseSubmission.model_validate(submission(created_at="2026-12-04T16:30:00"))
    assert naive.value.errors()[0]["loc"] == ("created_at",)

    with pytest.raises(ValidationError) as extra:
        CaseSubmission.model_validate(submission(priority="high"))
    assert extra.value.errors()[0]["type"] == "extra_forbidden"


@pytest.mark.parametrize("number", [float("nan"), float("inf"), -float("inf")])
def test_numbers_json_cannot_carry_are_refused(number):
    with pytest.raises(ValidationError) as refused:
        CaseSubmission.model_validate(submission(form={"residence": "local", "x": [{"y": number}]}))
    assert refused.value.errors()[0]["loc"] == ("form",)


def test_lookup_normalises_id_and_card_numbers_and_refuses_junk():
    request = PersonLookupRequest(ssn=" 31010419550308002x ", card_no="a10000029")
    assert (request.ssn, request.card_no) == ("31010419550308002X", "A10000029")

    for bad in ({"ssn": "3101/0419", "card_no": "A10000029"}, {"ssn": "1" * 18, "card_no": "A1"}):
        with pytest.raises(ValidationError):
            PersonLookupRequest(**bad)


def test_responses_ignore_fields_a_newer_central_adds():
    view = CaseView.model_validate(
        {
            "id": "C20261204000001",
            "local_id": "L1",
            "service": "pension_certification",
            "status": "received",
            "hall_id": "H0001",
            "workstation_id": "W01",
            "clerk": "clerk01",
            "received_at": "2026-12-04T08:30:00Z",
            "route": [{"department": "social_insurance", "status": "waiting"}],
            "priority": "normal",
        }
    )
    assert view.route[0].started_at is None

    error = ErrorBody.model_validate({"error": {"code": "x", "message": "y"}})
    assert error.error.fields == {}

    with pytest.raises(ValidationError):
        LoginRequest.model_validate({"username": "a", "password": "b", "otp": "1"})


def test_amount_rules_need_a_field_and_a_limit():
    with pytest.raises(ValidationError):
        ApprovalRule(when="amount_over")
    assert ApprovalRule(when="amount_over", field="amount", limit=5000).limit == 5000


def _service(factors, approval) -> Service:
    return Service.model_validate(
        {
            "code": "demo",
            "name": {"zh_CN": "示例", "en": "Demo"},
            "form": {"type": "object"},
            "factors": factors,
            "approval": approval,
            "route": ["social_insurance"],
        }
    )


def _identity(pin="ok", face="match", offline=False) -> IdentityCheck:
    return IdentityCheck(pin=pin, face={"decision": face}, offline=offline)


FULL_RULES = [
    {"when": "face_override"},
    {"when": "face_declined"},
    {"when": "offline_identity"},
    {"when": "amount_over", "field": "amount", "limit": 5000},
]


@pytest.mark.parametrize(
    ("identity", "form", "needed"),
    [
        (_identity(), {"amount": 5000}, []),
        (_identity(), {"amount": 5000.01}, ["amount_over"]),
        (_identity(), {"amount": True}, []),
        (_identity(face="no_match"), {}, ["face_override"]),
        (_identity(face="declined"), {}, ["face_declined"]),
        (_identity(face="unavailable"), {}, ["face_declined"]),
        (_identity(face="unavailable", offline=True), {}, ["offline_identity"]),
        (_identity(face="declined", offline=True), {"amount": 9000}, None),
    ],
)
def test_approvals_needed_follow_the_rules(identity, form, needed):
    service = _service(["pin", "face"], FULL_RULES)
    if needed is None:
        needed = ["face_declined", "offline_identity", "amount_over"]
    assert service.approvals_needed(identity, form) == needed
    assert service.factor_problems(identity) == {}


def test_factor_problems_name_the_missing_factor():
    strict = _service(["pin", "face"], [])
    assert strict.factor_problems(_identity(pin="not_checked")) == {"identity.pin": "pin_required"}
    assert strict.factor_problems(_identity(face="declined")) == {
        "identity.face.decision": "face_required"
    }
    # Offline, face unavailable is acceptable only where the service allows offline identity.
    assert strict.factor_problems(_identity(face="unavailable", offline=True))
    offline_ok = _service(["face"], [{"when": "offline_identity"}])
    assert offline_ok.factor_problems(_identity(face="unavailable", offline=True)) == {}
    assert offline_ok.factor_problems(_identity(face="unavailable")) != {}
    # A PIN-only service does not look at the face decision.
    assert _service(["pin"], []).factor_problems(_identity(face="not_required")) == {}


def test_the_bundled_catalog_parses_and_every_form_is_described_in_both_languages():
    from jsonschema import Draft202012Validator

    services = parse_services(json.loads(resource_path("services.json").read_text("utf-8")))
    codes = {s.code for s in services}
    assert {"unemployment_benefit", "pension_certification", "card_loss_report"} <= codes

    for service in services:
        assert set(service.route) <= set(DEPARTMENTS)
        Draft202012Validator.check_schema(service.form)
        for example in service.form["examples"]:
            Draft202012Validator(service.form).validate(example)
        for name, prop in service.form["properties"].items():
            assert prop.get("title") and prop.get("x-title-en"), (service.code, name)
            if "enum" in prop:
                titles = prop["x-enum-titles"]
                assert set(titles) == set(prop["enum"]), (service.code, name)
                assert all(t["zh_CN"] and t["en"] for t in titles.values())

    unemployment = next(s for s in services if s.code == "unemployment_benefit")
    assert unemployment.factors == ["pin", "face"]
    assert unemployment.route == ["employment_center", "social_insurance", "finance"]
    assert unemployment.rule("amount_over") == ApprovalRule(
        when="amount_over", field="amount", limit=5000
    )
    assert unemployment.approvals_needed(_identity(), {"amount": 6000}) == ["amount_over"]


def test_utc_normalisation_keeps_the_instant():
    case = CaseSubmission.model_validate(submission())
    assert case.created_at == datetime(2026, 12, 4, 16, 30, tzinfo=CST)
    assert case.created_at.tzinfo == UTC


# --- heartbeat, faults, events and statistics ------------------------------------------------


def heartbeat(**changes) -> dict:
    data = {
        "sent_at": "2026-12-04T16:30:00+08:00",
        "app_version": "0.1.0",
        "outbox": {"pending": 3, "sending": 1, "sent": 120, "rejected": 2},
        "oldest_unsent_seconds": 95.5,
        "frozen": False,
        "versions": {"python": "3.11.2", "catalog": "a1b2c3"},
    }
    data.update(changes)
    return data


def test_a_heartbeat_carries_counts_and_versions_in_utc():
    beat = Heartbeat.model_validate(heartbeat())
    assert beat.sent_at == datetime(2026, 12, 4, 8, 30, tzinfo=UTC)
    assert beat.outbox.unsent == 4 and beat.outbox.withdrawn == 0
    assert Heartbeat.model_validate_json(beat.model_dump_json()) == beat


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        # No room for personal data: unknown fields are refused, at every level.
        ({"clerk_name": "张三"}, ("clerk_name",)),
        ({"outbox": {"pending": 1, "last_ssn": "110105196210150016"}}, ("outbox", "last_ssn")),
        ({"versions": {"note": "张三"}}, ("versions", "note")),
        ({"versions": {"Name": "x"}}, ("versions", "Name", "[key]")),
        ({"outbox": {"pending": -1}}, ("outbox", "pending")),
        ({"oldest_unsent_seconds": -5}, ("oldest_unsent_seconds",)),
        ({"app_version": "0.1 beta"}, ("app_version",)),
        ({"sent_at": "2026-12-04T16:30:00"}, ("sent_at",)),
        ({"frozen_reason": "Too many cases!"}, ("frozen_reason",)),
    ],
)
def test_a_heartbeat_refuses_what_it_should_not_carry(change, loc):
    with pytest.raises(ValidationError) as refused:
        Heartbeat.model_validate(heartbeat(**change))
    assert refused.value.errors()[0]["loc"] == loc


def test_fault_specs_are_bounded():
    assert FaultSpec.model_validate({}) == FaultSpec()
    for bad in (
        {"error_rate": 1.5},
        {"drop_after_commit": -0.1},
        {"rate_limit": 0},
        {"delay_ms": 60_001},
        {"seed": -1},
        {"error_rate": float("inf")},
        {"jitter": 3},
    ):
        with pytest.raises(ValidationError):
            FaultSpec.model_validate(bad)


def test_event_kinds_and_stages_are_the_documented_ones():
    assert CASE_EVENT_KINDS == (
        "received",
        "approval_requested",
        "approval_decided",
        "department_started",
        "department_finished",
        "completed",
        "rejected",
    )
    assert STAGES[:2] == ("approval", "intake") and STAGES[2:] == DEPARTMENTS
    events = CaseEventList.model_validate(
        {"case_id": "C1", "events": [{"kind": "received", "at": "2026-12-04T08:30:00Z"}]}
    )
    assert events.events[0].department is None and events.events[0].detail == {}
    with pytest.raises(ValidationError):
        CaseEventList.model_validate(
            {"case_id": "C1", "events": [{"kind": "teleported", "at": "2026-12-04T08:30:00Z"}]}
        )


def test_statistics_answers_ignore_fields_a_newer_central_adds():
    stages = StageStats.model_validate(
        {
            "hall_id": "H0001",
            "start": "2026-12-01T00:00:00Z",
            "end": "2026-12-08T00:00:00Z",
            "stages": [{"stage": "intake", "count": 0, "mean_seconds": None}],
            "trend": "up",
        }
    )
    assert stages.stages[0].median_seconds is None and stages.service is None
    desks = DeskStats.model_validate(
        {
            "hall_id": "H0001",
            "at": "2026-12-04T08:30:00Z",
            "offline_after_seconds": 300,
            "desks": [{"workstation_id": "W01", "offline": True, "battery": 3}],
        }
    )
    assert desks.desks[0].last_contact is None and not desks.desks[0].frozen
