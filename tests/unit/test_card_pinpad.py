"""Pinpad readers (PC/SC part 10): the verify structure, feature discovery, and VERIFY_PIN_DIRECT
against the emulator behind a test reader's firmware (tests/pcsc_support.PinpadFirmware)."""

from __future__ import annotations

import pytest
from pcsc_support import PinpadFirmware

from devices.card.apdu import ApduChannel
from devices.card.emulator import CardEmulator, EmulatorTransport
from devices.card.errors import CardError, CardRemovedError
from devices.card.pinpad import (
    FEATURE_VERIFY_PIN_DIRECT,
    PinFormat,
    Pinpad,
    VerifyRequest,
    cm_ioctl_get_feature_request,
    parse_features,
    scard_ctl_code,
    verify_structure,
)
from devices.card.record import PinResult
from devices.card.ssc import SocialSecurityCard


def test_verify_structure_for_the_social_security_card():
    # PC/SC part 10 PIN_VERIFY_STRUCTURE, byte by byte (ssc-card.md's values).
    assert verify_structure(timeout=30).hex(" ").upper() == (
        "1E 1E 81 03 00 06 06 02 01 04 08 00 00 00 00 08 00 00 00 00 20 00 00 03 FF FF FF"
    )
    request = VerifyRequest.parse(verify_structure(timeout=20))
    assert (request.timeout, request.format_string, request.block_string) == (20, 0x81, 0x03)
    assert (request.min_digits, request.max_digits, request.validation) == (6, 6, 0x02)
    assert request.lang_id == 0x0804 and request.apdu == bytes.fromhex("0020000003FFFFFF")


def test_verify_structure_rejects_bad_timeouts_and_parse_checks_lengths():
    with pytest.raises(ValueError):
        verify_structure(timeout=256)
    data = verify_structure()
    with pytest.raises(ValueError):
        VerifyRequest.parse(data[:-1])
    with pytest.raises(ValueError):
        VerifyRequest.parse(data[:10])


def test_control_codes_per_platform():
    assert scard_ctl_code(3400, platform="linux") == 0x42000D48
    assert scard_ctl_code(3400, platform="win32") == 0x00313520
    assert cm_ioctl_get_feature_request(platform="linux") == 0x42000D48


def test_parse_features():
    data = bytes.fromhex("06 04 42 33 00 06  0A 04 42 33 00 0A".replace(" ", ""))
    assert parse_features(data) == {0x06: 0x42330006, 0x0A: 0x4233000A}
    assert parse_features(b"") == {}
    for bad in ("06", "0604423300", "060242330006", "06044233000607"):
        with pytest.raises(ValueError):
            parse_features(bytes.fromhex(bad))


def pinpad_for(profile: dict, keys: list[str]):
    """A selected card and a pinpad whose firmware sends to it."""
    emulator = CardEmulator(profile)
    transport = EmulatorTransport(emulator)
    card = SocialSecurityCard(ApduChannel(transport), reader="test")
    card.select()
    firmware = PinpadFirmware(keys)

    def transmit(apdu: bytes) -> bytes:
        data, sw = transport.transmit(apdu)
        return data + bytes([sw >> 8, sw & 0xFF])

    def control(code: int, data: bytes) -> bytes:
        return firmware.control(code, data, transmit)

    pinpad = Pinpad.discover(control)
    assert pinpad is not None
    return pinpad, emulator, firmware


@pytest.mark.parametrize("protocol", ["T0", "T1"])
def test_verify_on_the_pinpad(protocol):
    pinpad, emulator, firmware = pinpad_for({"protocol": protocol}, ["123456", "000000"])
    assert pinpad.verify() == PinResult("ok", None)
    assert pinpad.verify(timeout=15) == PinResult("wrong", 2)
    assert emulator.tries_left == 2
    assert [r.timeout for r in firmware.requests] == [30, 15]


def test_timeout_cancel_and_length_spend_no_try():
    pinpad, emulator, _ = pinpad_for({"protocol": "T1"}, ["timeout", "cancel", "1234"])
    for code in ("pinpad_timeout", "pinpad_cancelled", "pinpad_bad_length"):
        with pytest.raises(CardError) as info:
            pinpad.verify()
        assert info.value.code == code
    assert emulator.tries_left == 3


def test_blocked_and_locked_cards_on_the_pinpad():
    pinpad, _, _ = pinpad_for({"pin_tries_left": 0}, ["123456"])
    assert pinpad.verify() == PinResult("blocked", 0)
    pinpad, _, _ = pinpad_for({"locked": True}, ["123456"])
    with pytest.raises(CardError) as info:
        pinpad.verify()
    assert info.value.code == "app_locked"


def test_card_removed_during_pinpad_entry():
    calls = []

    def control(code: int, data: bytes) -> bytes:
        calls.append(code)
        if code == cm_ioctl_get_feature_request():
            return bytes([FEATURE_VERIFY_PIN_DIRECT, 4]) + bytes.fromhex("42330006")
        raise CardRemovedError("card left")

    pinpad = Pinpad.discover(control)
    assert pinpad.verify() == PinResult("card_removed", None)
    assert len(calls) == 2  # never resent

    def no_status_word(code: int, data: bytes) -> bytes:
        if code == cm_ioctl_get_feature_request():
            return bytes([FEATURE_VERIFY_PIN_DIRECT, 4]) + bytes.fromhex("42330006")
        return b""

    assert Pinpad.discover(no_status_word).verify() == PinResult("card_removed", None)


def test_readers_without_a_pinpad():
    def refuses(code: int, data: bytes) -> bytes:
        raise CardError("reader_error", "control refused")  # what vpcd answers

    assert Pinpad.discover(refuses) is None
    assert Pinpad.discover(lambda code, data: bytes.fromhex("0A044233000A")) is None
    assert Pinpad.discover(lambda code, data: b"\x06\x04\x42") is None  # garbled list

    def removed(code: int, data: bytes) -> bytes:
        raise CardRemovedError("gone")

    with pytest.raises(CardRemovedError):
        Pinpad.discover(removed)


def test_other_reader_errors_are_pinpad_errors():
    def control(code: int, data: bytes) -> bytes:
        if code == cm_ioctl_get_feature_request():
            return bytes.fromhex("060442330006")
        return b"\x64\x02"

    with pytest.raises(CardError) as info:
        Pinpad.discover(control).verify()
    assert info.value.code == "pinpad_error"


def test_other_pin_formats_are_carried():
    pin_format = PinFormat(min_digits=4, max_digits=8, lang_id=0x0409)
    request = VerifyRequest.parse(verify_structure(pin_format))
    assert (request.min_digits, request.max_digits, request.lang_id) == (4, 8, 0x0409)
