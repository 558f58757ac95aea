"""Encodings (BCD, dates, GBK, TLV), the GB 11643 rules and the record's JSON and masks."""

from __future__ import annotations

from datetime import date

import pytest

from devices.card import codec
from devices.card.record import (
    CardRecord,
    check_ssn,
    mask_name,
    mask_ssn,
    ssn_birth_date,
    ssn_check_char,
    ssn_sex,
    ssn_warnings,
)

# -- BCD and dates ------------------------------------------------------------------------------


def test_bcd_round_trip_with_f_padding():
    assert codec.bcd_encode("110105", 3) == bytes.fromhex("110105")
    assert codec.bcd_encode("11", 3) == bytes.fromhex("11FFFF")
    assert codec.bcd_encode("12345") == bytes.fromhex("12345F")
    assert codec.bcd_decode(bytes.fromhex("11FFFF")) == "11"
    assert codec.bcd_decode(bytes.fromhex("FFFF")) == ""


@pytest.mark.parametrize("raw", ["1A", "F1", "12F4", "AB"])
def test_bcd_rejects_non_digits_and_inner_padding(raw):
    with pytest.raises(ValueError):
        codec.bcd_decode(bytes.fromhex(raw))


def test_bcd_encode_rejects_overflow_and_letters():
    with pytest.raises(ValueError):
        codec.bcd_encode("1234567", 3)
    with pytest.raises(ValueError):
        codec.bcd_encode("12a4")


def test_dates():
    assert codec.date_decode(bytes.fromhex("19491231")) == date(1949, 12, 31)
    assert codec.date_decode(bytes.fromhex("FFFFFFFF")) is None
    assert codec.date_encode("2031-12-02") == bytes.fromhex("20311202")
    assert codec.date_encode(None) == b"\xff" * 4
    with pytest.raises(ValueError, match="impossible date"):
        codec.date_decode(bytes.fromhex("19490230"))
    with pytest.raises(ValueError, match="digits"):
        codec.date_decode(bytes.fromhex("194912FF"))
    with pytest.raises(ValueError):
        codec.date_decode(bytes.fromhex("1949123A"))


# -- text ---------------------------------------------------------------------------------------


def test_gbk_strips_trailing_zero_padding():
    raw = codec.text_encode("张三", 30)
    assert len(raw) == 30
    assert codec.gbk_decode(raw) == "张三"
    assert codec.gbk_decode(b"\x00" * 20) == ""


def test_gbk_rejects_bad_bytes():
    with pytest.raises(ValueError, match="GBK"):
        codec.gbk_decode(b"\xd5\x00\x00")  # lead byte without trail byte
    with pytest.raises(ValueError, match="GBK"):
        codec.gbk_decode(b"\xff\xff")
    with pytest.raises(ValueError, match="NUL"):
        codec.gbk_decode(b"\xd5\xc5\x00\xc8\xfd")
    with pytest.raises(ValueError, match="control"):
        codec.gbk_decode(b"ab\x07")


def test_ascii_field():
    assert codec.ascii_decode(b"A00000019") == "A00000019"
    assert codec.ascii_decode(b"2\x00") == "2"
    with pytest.raises(ValueError):
        codec.ascii_decode(b"A\xb5")


# -- TLV ----------------------------------------------------------------------------------------


def test_tlv_checks_tag_and_length():
    assert codec.tlv_decode(0x07, bytes.fromhex("0703414243")) == b"ABC"
    with pytest.raises(ValueError, match="tag 08, expected 07"):
        codec.tlv_decode(0x07, bytes.fromhex("0803414243"))
    with pytest.raises(ValueError, match="truncated"):
        codec.tlv_decode(0x07, bytes.fromhex("07054142"))
    with pytest.raises(ValueError, match="after its value"):
        codec.tlv_decode(0x07, bytes.fromhex("0701414243"))
    with pytest.raises(ValueError, match="shorter"):
        codec.tlv_decode(0x07, b"\x07")
    with pytest.raises(ValueError, match="multi-byte"):
        codec.tlv_decode(0x07, bytes.fromhex("078101") + b"A")


# -- GB 11643 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ssn", ["11010519491231002X", "130522198407316471", "11010519491231002x", "110105196210150016"]
)
def test_check_ssn_accepts_valid_numbers(ssn):
    assert check_ssn(ssn)


@pytest.mark.parametrize(
    "ssn", ["110105194912310021", "13052219840731647", "1305221984073164711", "A30522198407316471"]
)
def test_check_ssn_rejects(ssn):
    assert not check_ssn(ssn)


def test_check_char_table():
    # Sum mod 11 maps through 1 0 X 9 8 7 6 5 4 3 2.
    assert ssn_check_char("11010519491231002") == "X"
    assert ssn_check_char("13052219840731647") == "1"


def test_embedded_birth_date_and_sex():
    assert ssn_birth_date("11010519491231002X") == date(1949, 12, 31)
    assert ssn_sex("11010519491231002X") == "2"
    assert ssn_sex("110105196210150016") == "1"
    # Old 15-digit numbers: 19YYMMDD, last digit is the sequence.
    assert ssn_birth_date("110105491231002") == date(1949, 12, 31)
    assert ssn_sex("110105491231002") == "2"
    assert ssn_birth_date("X10105") is None
    assert ssn_birth_date("110105194902300011") is None  # impossible date


def test_ssn_warnings():
    born = date(1962, 10, 15)
    assert ssn_warnings("110105196210150016", born, "1") == []
    assert ssn_warnings("110105196210150015", born, "1") == ["ssn_check_digit"]
    assert ssn_warnings("110105196210150016", date(1962, 10, 16), "1") == ["birth_date_mismatch"]
    assert ssn_warnings("110105196210150016", born, "2") == ["sex_mismatch"]
    assert ssn_warnings("110105621015001", born, "1") == ["ssn_15_digits"]
    assert ssn_warnings("P1234567", born, "1") == ["ssn_format"]
    assert ssn_warnings(None, None, None) == []
    # sex 9 (not stated) is not cross-checked
    assert ssn_warnings("110105196210150016", born, "9") == []


# -- masks and JSON -----------------------------------------------------------------------------


def test_masks():
    assert mask_ssn("11010519491231002X") == "110105********002X"
    assert mask_ssn("110105621015001") == "110105*****5001"
    assert mask_ssn("P1234567") == "******67"
    assert mask_ssn("1234") == "****"
    assert mask_ssn(None) is None
    assert mask_name("张三") == "*三"
    assert mask_name("张伟明") == "**明"
    assert mask_name("王") == "*"
    assert mask_name(None) is None


def _record(**overrides) -> CardRecord:
    values = dict(
        reader="R",
        atr="3B00",
        generation=2,
        card_id_code="110105D156000005A1B2C3D4E5F60718",
        card_type="1",
        version="2.00",
        init_org="110100000000000000000000",
        issue_date=date(2021, 12, 3),
        expiry_date=date(2031, 12, 2),
        card_no="A00000019",
        ssn="11010519491231002X",
        name="张三",
        sex="2",
        ethnicity="01",
        birthplace="110105",
        birth_date=date(1949, 12, 31),
    )
    values.update(overrides)
    return CardRecord(**values)


def test_to_json_masks_by_default_and_formats_dates():
    record = _record()
    masked = record.to_json()
    assert masked["ssn"] == "110105********002X"
    assert masked["name"] == "*三"
    assert masked["issue_date"] == "2021-12-03"
    assert masked["birth_date"] == "1949-12-31"
    assert masked["protected"] == [] and masked["warnings"] == []
    full = record.to_json(unmasked=True)
    assert full["ssn"] == "11010519491231002X" and full["name"] == "张三"
    assert set(full) == {
        "reader", "atr", "generation", "card_id_code", "card_type", "version", "init_org",
        "issue_date", "expiry_date", "card_no", "ssn", "name", "sex", "ethnicity",
        "birthplace", "birth_date", "protected", "warnings",
    }  # fmt: skip


def test_identity_and_repr_without_personal_data():
    record = _record()
    assert record.identity == ("110105D156000005A1B2C3D4E5F60718", "A00000019")
    text = repr(record)
    assert "11010519491231002X" not in text
    assert "张三" not in text
    assert "A00000019" not in text
