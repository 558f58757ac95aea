"""The card emulator: profiles, ATRs, and the commands as a card answers them."""

from __future__ import annotations

import json

import pytest

from devices.card.emulator import (
    DEFAULT_ATR_T0,
    DEFAULT_ATR_T1,
    CardEmulator,
    ProfileError,
    load_profile,
    normalize_profile,
)
from devices.card.keys import (
    DEFAULT_TEST_KEY,
    TestKeyService,
    reference_cryptogram,
    sm4_encrypt_block,
)
from devices.card.ssc import SELECT_MF, SELECT_SSSE


def run(emulator: CardEmulator, hex_apdu: str) -> tuple[bytes, int]:
    response = emulator.process(bytes.fromhex(hex_apdu.replace(" ", "")))
    return response[:-2], (response[-2] << 8) | response[-1]


def selected(**profile) -> CardEmulator:
    emulator = CardEmulator(profile)
    assert emulator.process(SELECT_SSSE)[-2:] in (b"\x90\x00", b"\x61\x13")
    return emulator


# -- profiles -----------------------------------------------------------------------------------


def test_defaults_fill_missing_fields():
    profile = normalize_profile({"ef06": {"name": "李四"}})
    assert profile["generation"] == 2 and profile["protocol"] == "T0"
    assert profile["pin"] == "123456" and profile["pin_tries_left"] == 3
    assert profile["ef06"]["name"] == "李四"
    assert profile["ef06"]["ssn"] == "11010519491231002X"
    assert profile["ef05"]["card_no"] == "A00000019"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"protocol": "T2"}, "protocol"),
        ({"generation": 4}, "generation"),
        ({"pin": "12ab56"}, "pin"),
        ({"pin_tries_left": 5, "pin_tries_max": 3}, "pin_tries_left"),
        ({"locked": "yes"}, "locked"),
        ({"test_key": "0011"}, "test_key"),
        ({"atr": "zz"}, "atr"),
        ({"ef06": {"name": "名" * 16}}, "ef06.name"),
        ({"ef06": {"nickname": "x"}}, "ef06"),
        ({"ef05": {"issue_date": "2021-13-01x"}}, "ef05.issue_date"),
        ({"ef05": {"card_no": "卡号"}}, "ef05.card_no"),
        ({"raw_records": {"ef06": {"99": "00"}}}, "raw_records.ef06.99"),
        ({"raw_records": {"ef06": {"09": "xyz"}}}, "raw_records.ef06.09"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_profiles_name_the_key(data, key):
    with pytest.raises(ProfileError) as info:
        normalize_profile(data)
    assert key in str(info.value)


def test_load_profile_errors(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"not valid JSON: .*\(line 1, column 2\)"):
        load_profile(broken)
    # Any file that is not text (a picture, a binary dump) is a profile error too.
    binary = tmp_path / "binary.json"
    binary.write_bytes(b'{"pin": "\x80\xff"}')
    with pytest.raises(ProfileError, match="not UTF-8 text"):
        load_profile(binary)
    with pytest.raises(ProfileError, match="cannot read"):
        load_profile(tmp_path / "missing.json")
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"protocol": "T1", "_comment": "ok"}), encoding="utf-8")
    assert load_profile(good)["protocol"] == "T1"


# -- ATRs ---------------------------------------------------------------------------------------


def test_default_atrs():
    # T=0: no TD1, so T=0 is the only protocol and no TCK is present.
    assert DEFAULT_ATR_T0[0] == 0x3B and not DEFAULT_ATR_T0[1] & 0x80
    assert len(DEFAULT_ATR_T0) == 4 + (DEFAULT_ATR_T0[1] & 0x0F)
    # T=1: TD1 and TD2 name T=1; the XOR of T0..TCK is zero.
    assert DEFAULT_ATR_T1[2] & 0x0F == 1 and DEFAULT_ATR_T1[3] & 0x0F == 1
    check = 0
    for byte in DEFAULT_ATR_T1[1:]:
        check ^= byte
    assert check == 0
    assert CardEmulator({"protocol": "T0"}).atr == DEFAULT_ATR_T0
    assert CardEmulator({"protocol": "T1"}).atr == DEFAULT_ATR_T1
    assert CardEmulator({"atr": "3B020102"}).atr == bytes.fromhex("3B020102")


# -- selection and records ----------------------------------------------------------------------


def test_records_need_ssse_selected():
    emulator = CardEmulator({"protocol": "T1"})
    assert run(emulator, "00B2072C00")[1] == 0x6A82
    assert run(emulator, "00A4 0400 03 010203")[1] == 0x6A82
    assert emulator.process(SELECT_SSSE)[-2:] == b"\x90\x00"
    data, sw = run(emulator, "00B2072C00")
    assert sw == 0x9000 and data == b"\x07\x09A00000019"


def test_records_by_number_and_by_selected_ef():
    emulator = selected(protocol="T1")
    # Record 2 of EF06 is the name (09); record 3 (4E) is absent on this card.
    data, sw = run(emulator, "00B2 02 34 00")
    assert sw == 0x9000 and data[0] == 0x09 and data[1] == 30
    assert run(emulator, "00B2 03 34 00")[1] == 0x6A83
    assert run(emulator, "00A4 0200 02 EF06")[1] == 0x9000
    assert run(emulator, "00B2 08 00 00")[0][:2] == b"\x08\x12"  # SFI 0: current EF, tag 08
    assert run(emulator, "00A4 0000 02 EF05")[1] == 0x9000  # P1 00 accepted too
    assert run(emulator, "00B2 07 07 00")[1] == 0x6A86  # unknown mode
    assert run(emulator, "00B2 07 3C 00")[1] == 0x6A82  # SFI 7


def test_mf_fallback_profile():
    emulator = CardEmulator({"ssse_by_name": False, "protocol": "T1"})
    assert emulator.process(SELECT_SSSE)[-2:] == b"\x6a\x82"
    assert run(emulator, "00A4 0000 02 3F00")[1] == 0x9000
    assert run(emulator, "00B2072C00")[1] == 0x9000


def test_unknown_instruction_and_class():
    emulator = CardEmulator({})
    assert run(emulator, "00CA000000")[1] == 0x6D00
    assert run(emulator, "80A4040000")[1] == 0x6E00
    assert run(emulator, "00")[1] == 0x6700


def test_t0_case_2_needs_exact_le():
    emulator = selected(protocol="T0")
    assert run(emulator, "00B2072C00")[1] == 0x6C0B
    assert run(emulator, "00B2072C05")[1] == 0x6C0B
    assert run(emulator, "00B2072C0B") == (b"\x07\x09A00000019", 0x9000)


def test_t0_get_response_rules():
    emulator = CardEmulator({"protocol": "T0"})
    assert run(emulator, "00C0000010")[1] == 0x6985  # nothing pending
    emulator.process(SELECT_SSSE)
    assert run(emulator, "00C00000FF")[1] == 0x6C13  # more than available
    data, sw = run(emulator, "00C0000013")
    assert sw == 0x9000 and len(data) == 0x13
    t1 = CardEmulator({"protocol": "T1"})
    assert run(t1, "00C0000010")[1] == 0x6D00


def test_raw_records_replace_values_and_remove_records():
    emulator = selected(
        protocol="T1", raw_records={"ef06": {"09": "C1F5", "0A": None}, "ef05": {"02": ""}}
    )
    assert run(emulator, "00B2 09 30 00") == (b"\x09\x02\xc1\xf5", 0x9000)
    assert run(emulator, "00B2 0A 30 00")[1] == 0x6A83
    assert run(emulator, "00B2 02 28 00") == (b"\x02\x00", 0x9000)


def test_name_extension_record():
    emulator = selected(protocol="T1", ef06={"name_ext": "曼"})
    data, sw = run(emulator, "00B2 4E 30 00")
    assert sw == 0x9000 and data[:2] == b"\x4e\x14" and data[2:4] == "曼".encode("gbk")


# -- PIN ----------------------------------------------------------------------------------------


def test_verify_counts_tries_and_blocks():
    emulator = selected(protocol="T1", pin="123456")
    assert run(emulator, "00200000")[1] == 0x63C3
    assert run(emulator, "0020000003 111111")[1] == 0x63C2
    assert emulator.tries_left == 2
    assert run(emulator, "0020000003 123456")[1] == 0x9000
    assert emulator.tries_left == 3
    assert run(emulator, "00200000")[1] == 0x9000  # already verified
    for left in (2, 1, 0):
        assert run(emulator, "0020000003 999999")[1] == 0x63C0 | left
    assert run(emulator, "0020000003 123456")[1] == 0x6983
    assert run(emulator, "00200000")[1] == 0x6983


def test_verify_odd_length_pin_and_bad_blocks():
    emulator = selected(protocol="T1", pin="12345")
    assert run(emulator, "0020000003 12345F")[1] == 0x9000
    assert run(emulator, "0020000003 1234FF")[1] == 0x6A80
    assert run(emulator, "0020000003 12A45F")[1] == 0x6A80
    assert run(emulator, "0020000001 12")[1] == 0x6A80
    assert emulator.tries_left == 3


def test_locked_and_no_tries_query():
    locked = selected(locked=True)
    assert run(locked, "00200000")[1] == 0x9303
    assert run(locked, "0020000003 123456")[1] == 0x9303
    assert run(locked, "805E010007 123456 FF 654321")[1] == 0x9303
    quiet = selected(tries_query=False)
    assert run(quiet, "00200000")[1] == 0x6700


def test_change_pin():
    emulator = selected(protocol="T1", pin="123456")
    assert run(emulator, "805E010007 111111 FF 654321")[1] == 0x63C2
    assert run(emulator, "805E010007 123456 FF 654321")[1] == 0x9000
    assert emulator.pin == "654321"
    assert run(emulator, "0020000003 654321")[1] == 0x9000
    assert run(emulator, "805E010006 123456 654321")[1] == 0x6A80  # no separator
    assert run(emulator, "005E010007 654321 FF 123456")[1] == 0x6E00  # CLA must be 80


def test_tries_are_kept_in_memory_only(tmp_path):
    path = tmp_path / "card.json"
    path.write_text(json.dumps({"pin": "123456"}), encoding="utf-8")
    first = CardEmulator.from_file(path)
    first.process(SELECT_SSSE)
    run(first, "0020000003 000000")
    assert first.tries_left == 2
    assert json.loads(path.read_text(encoding="utf-8")) == {"pin": "123456"}
    assert CardEmulator.from_file(path).tries_left == 3


def test_power_cycle_clears_verification_and_selection():
    emulator = selected(protocol="T1")
    run(emulator, "0020000003 123456")
    emulator.reset()
    assert run(emulator, "00B2072C00")[1] == 0x6A82
    emulator.process(SELECT_SSSE)
    assert run(emulator, "00200000")[1] == 0x63C3


# -- generation 3 -------------------------------------------------------------------------------


def test_sm4_known_answer():
    # GB/T 32907-2016, example 1.
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    assert sm4_encrypt_block(key, key) == bytes.fromhex("681EDF34D206965E86B3E94F536E4246")


def test_generation_3_needs_external_authentication():
    emulator = selected(generation=3, protocol="T1", ef05={"version": "3.00"})
    for tag, sfi in ((0x01, 5), (0x03, 5), (0x07, 5)):
        assert run(emulator, f"00B2{tag:02X}{sfi << 3:02X}00")[1] == 0x9000
    for tag, sfi in ((0x02, 5), (0x05, 5), (0x08, 6), (0x09, 6)):
        assert run(emulator, f"00B2{tag:02X}{sfi << 3:02X}00")[1] == 0x6982
    assert run(emulator, "0082000A10" + "00" * 16)[1] == 0x6985  # no challenge yet
    challenge, sw = run(emulator, "0084000008")
    assert sw == 0x9000 and len(challenge) == 8
    assert run(emulator, "0082000A10" + "00" * 16)[1] == 0x6300
    challenge, _ = run(emulator, "0084000008")
    cryptogram = TestKeyService().cryptogram("", challenge)
    assert cryptogram == reference_cryptogram(DEFAULT_TEST_KEY, challenge)
    assert run(emulator, "0082000A10" + cryptogram.hex())[1] == 0x9000
    assert run(emulator, "00B2083000")[1] == 0x9000
    assert run(emulator, "00B2052800")[1] == 0x9000


def test_generation_3_challenge_is_single_use():
    emulator = selected(generation=3, protocol="T0")
    challenge, sw = run(emulator, "0084000008")
    assert sw == 0x9000
    cryptogram = TestKeyService().cryptogram("", challenge)
    assert run(emulator, "0082000A10" + "11" * 16)[1] == 0x6300
    # T=0: command with data; nothing to fetch, so a plain status word.
    assert run(emulator, "0082000A10" + cryptogram.hex())[1] == 0x6985


def test_pull_flag_fires_once_on_verify_with_pin():
    emulator = selected()
    emulator.pull_on_next_verify = True
    assert not emulator.take_pull(bytes.fromhex("00200000"))  # tries query: not a PIN
    assert emulator.take_pull(bytes.fromhex("0020000003123456"))
    assert not emulator.take_pull(bytes.fromhex("0020000003123456"))


def test_foreign_card_answers_nothing_of_ours():
    emulator = CardEmulator({"foreign": True, "protocol": "T1"})
    assert emulator.atr != CardEmulator({"protocol": "T1"}).atr
    assert emulator.process(SELECT_SSSE) == b"\x6a\x82"
    assert emulator.process(SELECT_MF) == b"\x6a\x82"
    assert emulator.process(bytes.fromhex("00B2012800")) == b"\x6d\x00"
    assert emulator.process(bytes.fromhex("0020000003123456")) == b"\x6d\x00"
