"""Encodings used on the social security card: packed BCD, GBK text, ``tag·length·value``.

Decoders raise :class:`ValueError` with a plain reason; the caller (``ssc.py``) turns it into
``CardError("bad_record")`` naming the record. Encoders serve the emulator and tests.
"""

from __future__ import annotations

from datetime import date

HEX_DIGITS = "0123456789ABCDEF"


def bcd_encode(digits: str, length: int | None = None, *, pad: str = "F") -> bytes:
    """Pack decimal digits two per byte, padding with the nibble ``pad`` (``F`` for cn fields).

    With ``length`` the result is right-padded to that many bytes; a value that does not fit is
    a ``ValueError``.
    """
    if not digits.isascii() or not digits.isdigit():
        raise ValueError("BCD value must be decimal digits")
    text = digits
    if length is not None:
        if len(text) > 2 * length:
            raise ValueError(f"{len(text)} digits do not fit in {length} bytes")
        text = text.ljust(2 * length, pad)
    elif len(text) % 2:
        text += pad
    return bytes.fromhex(text)


def bcd_decode(value: bytes) -> str:
    """Unpack packed BCD with trailing ``F`` padding into a digit string.

    An ``A``–``E`` nibble, or an ``F`` followed by a digit, is a ``ValueError``.
    """
    text = value.hex().upper()
    digits = text.rstrip("F")
    if not all(c in "0123456789" for c in digits):
        raise ValueError(f"invalid BCD digit in {len(value)}-byte field")
    return digits


def date_encode(value: str | date | None) -> bytes:
    """Encode ``YYYYMMDD`` (or a date, or ``None`` as all ``F``) as 4 BCD bytes."""
    if value is None or value == "":
        return b"\xff" * 4
    if isinstance(value, date):
        value = value.strftime("%Y%m%d")
    value = value.replace("-", "")
    if len(value) != 8:
        raise ValueError("date must be YYYYMMDD")
    return bcd_encode(value, 4)


def date_decode(value: bytes) -> date | None:
    """Decode a BCD ``YYYYMMDD`` date; all-``F`` (no date) gives ``None``."""
    digits = bcd_decode(value)
    if not digits:
        return None
    if len(digits) != 8:
        raise ValueError(f"date has {len(digits)} digits, expected 8")
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise ValueError("impossible date") from None


def text_encode(value: str, length: int | None = None, *, encoding: str = "gbk") -> bytes:
    """Encode text (GBK or ASCII), right-padded with ``00`` bytes to ``length``."""
    raw = value.encode(encoding)
    if length is not None:
        if len(raw) > length:
            raise ValueError(f"text needs {len(raw)} bytes, the field holds {length}")
        raw = raw.ljust(length, b"\x00")
    return raw


def _strip_padding(value: bytes) -> bytes:
    # GBK trail bytes are 0x40..0xFE, so a trailing 00 is always padding.
    return value.rstrip(b"\x00").rstrip(b" ")


def gbk_decode(value: bytes) -> str:
    """Decode a GBK text field, dropping trailing ``00`` (and space) padding."""
    raw = _strip_padding(value)
    if b"\x00" in raw:
        raise ValueError("NUL byte inside text")
    try:
        text = raw.decode("gbk")
    except UnicodeDecodeError:
        raise ValueError("text is not valid GBK") from None
    if any(ord(c) < 0x20 for c in text):
        raise ValueError("control character in text")
    return text


def ascii_decode(value: bytes) -> str:
    """Decode a printable-ASCII field (an), dropping trailing ``00``/space padding."""
    raw = _strip_padding(value)
    if not all(0x20 < b < 0x7F for b in raw):
        raise ValueError("field is not printable ASCII")
    return raw.decode("ascii")


def tlv_encode(tag: int, value: bytes) -> bytes:
    """One record: tag, one length byte, value."""
    if len(value) > 0x7F:
        raise ValueError("record value longer than 127 bytes")
    return bytes([tag, len(value)]) + value


def tlv_decode(expected_tag: int, record: bytes) -> bytes:
    """Check a ``tag·length·value`` record and return its value.

    A wrong tag, a length that does not match the bytes present (truncated or trailing data)
    or a multi-byte length form is a ``ValueError``.
    """
    if len(record) < 2:
        raise ValueError(f"record is {len(record)} byte(s) long, shorter than tag and length")
    tag, length = record[0], record[1]
    if tag != expected_tag:
        raise ValueError(f"record has tag {tag:02X}, expected {expected_tag:02X}")
    if length > 0x7F:
        raise ValueError("multi-byte length form is not used on this card")
    value = record[2:]
    if len(value) < length:
        raise ValueError(f"record truncated: length {length}, {len(value)} byte(s) present")
    if len(value) > length:
        raise ValueError(f"record has {len(value) - length} byte(s) after its value")
    return bytes(value)
