"""The social security card application against the emulator in-process: records, bad data,
PIN handling and third-generation authentication."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.card.apdu import ApduChannel
from devices.card.emulator import CardEmulator, EmulatorTransport, load_profile
from devices.card.errors import CardError, CardRemovedError
from devices.card.keys import TestKeyService
from devices.card.record import CardRecord, PinResult
from devices.card.ssc import SocialSecurityCard, encode_pin

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "resources" / "cards"
DATA = REPO / "tests" / "data" / "cards"
TODAY = date(2025, 1, 1)


def card_for(profile, transport_cls=EmulatorTransport) -> tuple[SocialSecurityCard, CardEmulator]:
    emulator = (
        CardEmulator(profile) if isinstance(profile, dict) else CardEmulator.from_file(profile)
    )
    channel = ApduChannel(transport_cls(emulator))
    return SocialSecurityCard(channel, reader="test", atr=emulator.atr), emulator


def expected_json(profile: dict) -> dict:
    """What ``card read --json --unmasked`` must print for a generation-2 profile."""
    ef05, ef06 = profile["ef05"], profile["ef06"]

    def iso(value: str) -> str:
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"

    return {
        "card_id_code": ef05["card_id_code"],
        "card_type": ef05["card_type"],
        "version": ef05["version"],
        "init_org": ef05["init_org"],
        "issue_date": iso(ef05["issue_date"]),
        "expiry_date": iso(ef05["expiry_date"]),
        "card_no": ef05["card_no"],
        "ssn": ef06["ssn"],
        "name": ef06["name"] + (ef06.get("name_ext") or ""),
        "sex": ef06["sex"],
        "ethnicity": ef06["ethnicity"],
        "birthplace": ef06["birthplace"],
        "birth_date": iso(ef06["birth_date"]),
        "protected": [],
        "warnings": [],
        "generation": profile["generation"],
    }


# -- reading ------------------------------------------------------------------------------------

SAMPLE_FILES = sorted(SAMPLES.glob("c0*.json"))


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem)
def test_sample_cards_read_exactly(path):
    card, emulator = card_for(path)
    record = card.read_record(today=TODAY)
    data = record.to_json(unmasked=True)
    profile = load_profile(path)
    for key, value in expected_json(profile).items():
        assert data[key] == value, key
    assert data["atr"] == emulator.atr.hex().upper()
    # One SELECT and one READ RECORD per item (4E absent or present): no 61xx/6Cxx round trips.
    assert card.channel.count == 15


def test_samples_are_present():
    assert [p.stem for p in SAMPLE_FILES] == ["c01", "c02", "c03", "c04", "c05"]


def test_name_extension_is_appended():
    card, _ = card_for(SAMPLES / "c03.json")
    record = card.read_record(today=TODAY)
    assert record.name == "阿依古丽·买买提艾力阿不都热合曼"
    assert len(record.name) == 16


def test_warnings_from_the_id_number_and_expiry():
    card, _ = card_for(DATA / "warnings.json")
    record = card.read_record(today=TODAY)
    assert record.warnings == (
        "ssn_check_digit",
        "birth_date_mismatch",
        "sex_mismatch",
        "card_expired",
    )


@pytest.mark.parametrize(
    ("changes", "warnings"),
    [
        # Issued after its own expiry date (and not expired yet).
        ({"ef05": {"issue_date": "20350101", "expiry_date": "20310314"}}, ["issue_after_expiry"]),
        # GB/T 2261.1's "unknown" and "not stated": kept, with a warning.
        ({"ef06": {"sex": "9"}}, ["sex_not_stated"]),
        ({"ef06": {"sex": "0"}}, ["sex_not_stated"]),
        # No sex code at all: the card is still read, the sex is left empty.
        ({"raw_records": {"ef06": {"0A": "33"}}}, ["sex_invalid"]),
        ({"raw_records": {"ef06": {"0A": "FF"}}}, ["sex_invalid"]),
        ({"raw_records": {"ef06": {"0A": "3131"}}}, ["sex_invalid", "field_too_long"]),
        # Longer than the 30 bytes of the name record: the whole record is kept.
        ({"raw_records": {"ef06": {"09": "41" * 127}}}, ["field_too_long"]),
        ({"raw_records": {"ef06": {"4E": "41" * 21}}}, ["field_too_long"]),
        ({"raw_records": {"ef05": {"04": "11" * 13}}}, ["field_too_long"]),
    ],
)
def test_odd_card_data_gives_warnings(changes, warnings):
    profile = json.loads((SAMPLES / "c01.json").read_text(encoding="utf-8"))
    for key, value in changes.items():
        profile[key] = {**profile.get(key, {}), **value}
    card, _ = card_for(profile)
    record = card.read_record(today=TODAY)
    assert list(record.warnings) == warnings
    if "sex_invalid" in warnings:
        assert record.sex is None
    if "09" in changes.get("raw_records", {}).get("ef06", {}):
        assert record.name == "A" * 127


def test_a_plain_sample_card_has_no_data_warnings():
    card, _ = card_for(SAMPLES / "c01.json")
    assert card.read_record(today=TODAY).warnings == ()


def test_odd_but_valid_records():
    card, _ = card_for(DATA / "odd_records.json")
    record = card.read_record(today=TODAY)
    assert record.ssn == "11010519491231002X"  # lower-case x upper-cased, 00 padding dropped
    assert record.name == "刘洋"  # a 7-byte name field
    assert record.expiry_date is None  # all F: no expiry
    assert record.birthplace == "11"
    assert record.warnings == ()
    assert card.channel.count == 17  # two records with other lengths cost a 6Cxx each


def test_read_identity_needs_three_exchanges():
    card, emulator = card_for(SAMPLES / "c02.json")
    assert card.read_identity() == emulator.identity
    assert card.channel.count == 3


def test_mf_fallback():
    card, _ = card_for(DATA / "mf_ssse.json")
    assert card.read_record(today=TODAY).card_no == "A20000077"


def test_not_a_social_security_card():
    class ForeignTransport:
        def transmit(self, apdu):
            return b"", 0x6A82

    card = SocialSecurityCard(ApduChannel(ForeignTransport()))
    with pytest.raises(CardError) as info:
        card.read_record()
    assert info.value.code == "not_ssc"


def test_generation_3_without_key_lists_protected_items():
    card, _ = card_for(DATA / "gen3_t1.json")
    record = card.read_record(today=TODAY)
    assert record.generation == 3
    assert record.card_id_code == "330106D15600000598A1B2C3D4E5F607"
    assert record.card_no == "B30000018" and record.version == "3.00"
    assert record.ssn is None and record.name is None and record.birth_date is None
    assert record.protected == (
        "card_type", "init_org", "issue_date", "expiry_date",
        "ssn", "name", "sex", "ethnicity", "birthplace", "birth_date",
    )  # fmt: skip
    assert card.channel.count == 4  # nothing spent on items the card would refuse


@pytest.mark.parametrize("name", ["gen3_t1", "gen3_t0"])
def test_generation_3_with_the_test_key(name):
    path = DATA / f"{name}.json"
    profile = load_profile(path)
    card, _ = card_for(path)
    key = TestKeyService(bytes.fromhex(profile["test_key"]))
    record = card.read_record(key_service=key, today=TODAY)
    data = record.to_json(unmasked=True)
    for item, value in expected_json(profile).items():
        if item != "generation":
            assert data[item] == value, item
    assert record.generation == 3 and record.protected == ()


def test_generation_3_with_a_wrong_key():
    card, _ = card_for(DATA / "gen3_t1.json")  # its key is not the default one
    with pytest.raises(CardError) as info:
        card.read_record(key_service=TestKeyService(), today=TODAY)
    assert info.value.code == "auth_failed"


def test_protection_found_without_version_hint():
    # A generation-3 card whose version field says 2.00: the 6982 answers reveal it.
    profile = {"generation": 3, "protocol": "T1"}
    card, _ = card_for(profile)
    record = card.read_record(today=TODAY)
    assert record.generation == 3
    assert "ssn" in record.protected and "card_type" in record.protected
    card, _ = card_for(profile)
    record = card.read_record(key_service=TestKeyService(), today=TODAY)
    assert record.protected == () and record.ssn == "11010519491231002X"


# -- bad data -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ({"ef05": {"05": "2021AB03"}}, "issue_date): invalid BCD"),
        ({"ef06": {"0D": "19490230"}}, "birth_date): impossible date"),
        ({"ef06": {"0D": "1949"}}, "birth_date): date has 4 digits"),
        ({"ef06": {"09": "D5FFFF"}}, "name): text is not valid GBK"),
        ({"ef06": {"09": ""}}, "name): empty name"),
        ({"ef06": {"0B": "1A"}}, "ethnicity): invalid BCD"),
        ({"ef06": {"08": "3131B53131"}}, "ssn): field is not printable ASCII"),
        ({"ef05": {"07": "6130303030303031"}}, "card_no): card number is not 9"),
        ({"ef05": {"01": ""}}, "card_id_code): empty value"),
        ({"ef06": {"0C": "F11111"}}, "birthplace): invalid BCD"),
        ({"ef06": {"0D": None}}, "record birth_date missing"),
    ],
)
def test_bad_records_are_bad_record_errors(raw, reason):
    card, _ = card_for({"protocol": "T1", "raw_records": raw})
    with pytest.raises(CardError) as info:
        card.read_record(today=TODAY)
    assert info.value.code == "bad_record"
    assert reason in str(info.value)


class MangledTransport(EmulatorTransport):
    """Passes everything to the emulator, then damages the answer to one READ RECORD."""

    mangle_tag = 0x09
    mangle = staticmethod(lambda data: data)

    def transmit(self, apdu):
        data, sw = super().transmit(apdu)
        if apdu[1] == 0xB2 and apdu[2] == self.mangle_tag and sw == 0x9000:
            data = self.mangle(data)
        return data, sw


def test_truncated_tlv():
    class Truncated(MangledTransport):
        mangle = staticmethod(lambda data: data[:10])

    card, _ = card_for({"protocol": "T1"}, Truncated)
    with pytest.raises(CardError, match=r"record 09 .*truncated") as info:
        card.read_record(today=TODAY)
    assert info.value.code == "bad_record"


def test_wrong_tag():
    class WrongTag(MangledTransport):
        mangle = staticmethod(lambda data: b"\x0a" + data[1:])

    card, _ = card_for({"protocol": "T1"}, WrongTag)
    with pytest.raises(CardError, match="tag 0A, expected 09") as info:
        card.read_record(today=TODAY)
    assert info.value.code == "bad_record"


def test_unexpected_status_word():
    class Refusing(EmulatorTransport):
        def transmit(self, apdu):
            if apdu[1] == 0xB2 and apdu[2] == 0x08:
                return b"", 0x6A81
            return super().transmit(apdu)

    card, _ = card_for({"protocol": "T1"}, Refusing)
    with pytest.raises(CardError) as info:
        card.read_record(today=TODAY)
    assert info.value.code == "sw_6a81"


RECORD_TAGS = ["01", "02", "03", "04", "05", "06", "07"], ["08", "09", "4E", "0A", "0B", "0C", "0D"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ef=st.sampled_from([0, 1]),
    index=st.integers(0, 6),
    value=st.binary(max_size=40),
    protocol=st.sampled_from(["T0", "T1"]),
)
def test_any_record_value_gives_a_record_or_bad_record(ef, index, value, protocol):
    tag = RECORD_TAGS[ef][index]
    profile = {"protocol": protocol, "raw_records": {f"ef0{5 + ef}": {tag: value.hex()}}}
    card, _ = card_for(profile)
    try:
        record = card.read_record(today=TODAY)
    except CardError as exc:
        assert exc.code == "bad_record", exc
    else:
        assert isinstance(record, CardRecord)
        json.dumps(record.to_json())


# -- PIN ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pin", "encoded"),
    [("123456", "123456"), ("1234", "1234"), ("12345", "12345F"), ("123456789012", "123456789012")],
)
def test_encode_pin(pin, encoded):
    assert encode_pin(pin) == bytes.fromhex(encoded)


@pytest.mark.parametrize(
    "pin", ["123", "1234567890123", "12a456", "", "１２３４５６", None, 123456]
)
def test_encode_pin_rejects(pin):
    with pytest.raises(CardError) as info:
        encode_pin(pin)
    assert info.value.code == "pin_format"
    assert str(pin) not in str(info.value) or pin in ("", None)


@pytest.mark.parametrize("protocol", ["T0", "T1"])
def test_pin_ok_wrong_blocked(protocol):
    card, emulator = card_for({"protocol": protocol, "pin": "654321"})
    assert card.pin_tries_left() == 3
    assert card.verify_pin("000000") == PinResult("wrong", 2)
    assert card.pin_tries_left() == 2
    assert card.verify_pin("654321") == PinResult("ok", None)
    assert emulator.tries_left == 3
    assert card.verify_pin("111111") == PinResult("wrong", 2)
    assert card.verify_pin("111111") == PinResult("wrong", 1)
    assert card.verify_pin("111111") == PinResult("blocked", 0)
    assert card.verify_pin("654321") == PinResult("blocked", 0)
    assert card.pin_tries_left() == 0


def test_blocked_profile():
    card, _ = card_for(DATA / "blocked.json")
    assert card.pin_tries_left() == 0
    assert card.verify_pin("111111") == PinResult("blocked", 0)


def test_locked_application():
    card, _ = card_for(DATA / "locked.json")
    with pytest.raises(CardError) as info:
        card.verify_pin("123456")
    assert info.value.code == "app_locked"
    with pytest.raises(CardError) as info:
        card.pin_tries_left()
    assert info.value.code == "app_locked"


def test_tries_unknown_when_the_card_does_not_tell():
    card, emulator = card_for(DATA / "no_tries_query.json")
    assert card.pin_tries_left() is None
    assert card.verify_pin("000000") == PinResult("wrong", 4)
    assert emulator.tries_left == 4


def test_tries_unknown_once_verified():
    card, _ = card_for({"protocol": "T1"})
    assert card.verify_pin("123456").status == "ok"
    assert card.pin_tries_left() is None  # 9000: verified in this session


def test_pin_format_is_checked_before_anything_is_sent():
    card, emulator = card_for({"protocol": "T1"})
    with pytest.raises(CardError):
        card.verify_pin("12")
    assert card.channel.count == 0 and emulator.commands == 0


def test_card_removed_during_verify_is_not_resent():
    class Pulling(EmulatorTransport):
        sent_verify = 0

        def transmit(self, apdu):
            if apdu[1] == 0x20 and len(apdu) > 5:
                Pulling.sent_verify += 1
                raise CardRemovedError("pulled")
            return super().transmit(apdu)

    card, emulator = card_for({"protocol": "T0"}, Pulling)
    assert card.verify_pin("123456") == PinResult("card_removed", None)
    assert Pulling.sent_verify == 1
    assert emulator.tries_left == 3


def test_odd_status_during_verify_is_unknown():
    class Odd(EmulatorTransport):
        def transmit(self, apdu):
            if apdu[1] == 0x20:
                return b"", 0x6F00
            return super().transmit(apdu)

    card, _ = card_for({}, Odd)
    assert card.verify_pin("123456") == PinResult("unknown", None)


def test_change_pin():
    card, emulator = card_for({"protocol": "T0", "pin": "123456"})
    assert card.change_pin("000000", "654321") == PinResult("wrong", 2)
    assert card.change_pin("123456", "65432") == PinResult("ok", None)
    assert emulator.pin == "65432"
    assert card.verify_pin("65432").status == "ok"
