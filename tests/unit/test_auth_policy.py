"""The hall's security policy, offline verifiers and the approval rules of the catalog."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from desktop.auth import (
    DEFAULT_COSIGN_REASONS,
    PolicyError,
    SecurityPolicy,
    check_verifier,
    derive_verifier,
)
from desktop.contract import FaceCheck, IdentityCheck, OpeningHours, parse_services
from desktop.resources import resource_path


def test_defaults():
    policy = SecurityPolicy.from_table({})
    assert policy == SecurityPolicy()
    assert policy.offline_days == 7 and policy.max_failures == 5
    assert policy.second_factor == "none"
    assert policy.cosign_reasons == DEFAULT_COSIGN_REASONS
    assert policy.cosign_reason("resident_id_checked").text("en").startswith("Resident ID")


def test_a_full_table():
    policy = SecurityPolicy.from_table(
        {
            "offline_days": 3,
            "max_failures": 4,
            "lockout_minutes": 30,
            "idle_lock_minutes": 2.5,
            "second_factor": "card_pin",
            "failed_sign_in_alert": 2,
            "lookup_alert_min": 10,
            "lookup_alert_ratio": 2,
            "opening_hours": {"days": [1, 2, 3, 4, 5, 6], "sessions": ["09:00-12:00"]},
            "cosign_reason": [{"code": "checked", "zh_CN": "已核验", "en": "Checked"}],
        }
    )
    assert (policy.offline_days, policy.max_failures, policy.idle_lock_minutes) == (3.0, 4, 2.5)
    assert isinstance(policy.offline_days, float) and isinstance(policy.max_failures, int)
    assert policy.opening_hours.sessions == ["09:00-12:00"]
    assert [r.code for r in policy.cosign_reasons] == ["checked"]


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ({"offline_days": -1}, "security.offline_days"),
        ({"offline_days": True}, "security.offline_days"),
        ({"max_failures": 2.5}, "security.max_failures"),
        ({"second_factor": "sms"}, "security.second_factor"),
        ({"colour": "red"}, "security.colour"),
        ({"opening_hours": {"sessions": ["17:00-09:00"]}}, "security.opening_hours"),
        ({"opening_hours": {"days": [8]}}, "security.opening_hours.days.0"),
        ({"cosign_reason": []}, "security.cosign_reason"),
        (
            {"cosign_reason": [{"code": "x y", "zh_CN": "a", "en": "b"}]},
            "security.cosign_reason[0].code",
        ),
        (
            {"cosign_reason": [{"code": "x", "zh_CN": "", "en": "b"}]},
            "security.cosign_reason[0].zh_CN",
        ),
    ],
)
def test_errors_name_the_key(table, key):
    with pytest.raises(PolicyError) as info:
        SecurityPolicy.from_table(table)
    assert info.value.key == key


def test_the_offline_verifier():
    verifier = derive_verifier("clerk01-training")
    assert verifier.startswith("scrypt$16384$8$1$") and "clerk01-training" not in verifier
    assert check_verifier("clerk01-training", verifier)
    assert not check_verifier("clerk01-Training", verifier)
    assert derive_verifier("clerk01-training") != verifier  # a fresh salt each time
    # A crafted verifier cannot make the desk spend gigabytes of memory.
    expensive = verifier.replace("scrypt$16384$", f"scrypt${2**24}$")
    assert not check_verifier("clerk01-training", expensive)
    assert not check_verifier("x", "not a verifier")


def test_opening_hours():
    hours = OpeningHours()  # Monday to Friday, 08:30-17:30 China Standard Time
    friday_morning = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
    assert hours.is_open(friday_morning)
    assert not hours.is_open(datetime(2026, 12, 4, 9, 31, tzinfo=UTC))  # 17:31
    assert not hours.is_open(datetime(2026, 12, 5, 2, 0, tzinfo=UTC))  # Saturday
    assert not OpeningHours(days=[], sessions=[]).is_open(friday_morning)
    always = OpeningHours(days=[1, 2, 3, 4, 5, 6, 7], sessions=["00:00-24:00"])
    assert always.is_open(datetime(2026, 12, 6, 23, 59, tzinfo=UTC))


def _identity(decision: str = "match", offline: bool = False) -> IdentityCheck:
    return IdentityCheck(pin="ok", face=FaceCheck(decision=decision), offline=offline)


def test_approval_stages_come_from_the_catalog():
    raw = json.loads(resource_path("services.json").read_text(encoding="utf-8"))
    for service in raw:
        if service["code"] == "unemployment_benefit":
            service["approval"].append(
                {
                    "when": "amount_over",
                    "field": "amount",
                    "limit": 20000,
                    "stages": ["supervisor", "admin"],
                }
            )
    services = {s.code: s for s in parse_services(raw)}
    benefit = services["unemployment_benefit"]
    assert benefit.approval_stages(_identity(), {"amount": 100}) == []
    assert benefit.approval_stages(_identity(), {"amount": 6000}) == ["supervisor"]
    assert benefit.approval_stages(_identity(), {"amount": 30000}) == ["supervisor", "admin"]
    assert benefit.approval_stages(_identity("declined"), {"amount": 100}) == ["supervisor"]
    assert services["pin_reset"].approval_stages(_identity(), {}) == ["supervisor"]
    assert services["card_loss_report"].approval_stages(_identity(offline=True), {}) == []
    with pytest.raises(ValueError):
        parse_services([{**raw[0], "approval": [{"when": "pin_reset", "stages": ["clerk"]}]}])
