"""The APDU layer: parsing, and 61xx/6Cxx handling against the emulator in-process."""

from __future__ import annotations

import pytest

from devices.card.apdu import Apdu, ApduChannel, build
from devices.card.emulator import CardEmulator, EmulatorTransport
from devices.card.errors import CardError
from devices.card.ssc import SELECT_SSSE, SSSE_NAME


class ScriptedTransport:
    """Answers from a list and records what was sent (for answers no card would give)."""

    def __init__(self, answers: list[tuple[bytes, int]]) -> None:
        self.answers = list(answers)
        self.sent: list[bytes] = []

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        self.sent.append(apdu)
        return self.answers.pop(0)


class RecordingTransport(EmulatorTransport):
    """The emulator, with the commands it received kept for the test."""

    def __init__(self, emulator: CardEmulator) -> None:
        super().__init__(emulator)
        self.sent: list[bytes] = []
        self.status_words: list[int] = []

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        self.sent.append(bytes(apdu))
        data, sw = super().transmit(apdu)
        self.status_words.append(sw)
        return data, sw


def _channel(**profile) -> tuple[ApduChannel, RecordingTransport]:
    transport = RecordingTransport(CardEmulator(profile))
    return ApduChannel(transport), transport


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("00A40400", Apdu(0, 0xA4, 4, 0)),
        ("00B2012C00", Apdu(0, 0xB2, 1, 0x2C, le=0)),
        ("0020000003123456", Apdu(0, 0x20, 0, 0, bytes.fromhex("123456"))),
        ("00A404000201020A", Apdu(0, 0xA4, 4, 0, b"\x01\x02", le=10)),
    ],
)
def test_parse_cases_and_round_trip(raw, expected):
    parsed = Apdu.parse(bytes.fromhex(raw))
    assert parsed == expected
    assert parsed.to_bytes() == bytes.fromhex(raw)


@pytest.mark.parametrize("raw", ["00A404", "00A4040003010203040506", "00A40400000001"])
def test_parse_rejects_malformed(raw):
    with pytest.raises(ValueError):
        Apdu.parse(bytes.fromhex(raw))


def test_le_value_zero_means_256():
    assert Apdu.parse(bytes.fromhex("00B2012C00")).le_value == 256
    assert Apdu.parse(bytes.fromhex("00B2012C12")).le_value == 0x12


def test_t0_61xx_is_fetched_with_get_response():
    channel, transport = _channel(protocol="T0")
    response = channel.send(SELECT_SSSE)
    assert response.ok
    assert response.data == bytes([0x6F, len(SSSE_NAME) + 2, 0x84, len(SSSE_NAME)]) + SSSE_NAME
    assert transport.status_words[0] >> 8 == 0x61
    assert transport.sent[1] == bytes([0x00, 0xC0, 0x00, 0x00, transport.status_words[0] & 0xFF])
    assert channel.count == 2


def test_t0_get_response_repeats_while_61xx():
    channel, transport = _channel(protocol="T0", t0_chunk=5)
    response = channel.send(SELECT_SSSE)
    assert response.ok
    assert response.data.endswith(SSSE_NAME)
    fci_length = len(response.data)
    # One SELECT, then a GET RESPONSE per 5-byte chunk.
    assert channel.count == 1 + -(-fci_length // 5)
    assert all(sw >> 8 == 0x61 for sw in transport.status_words[:-1])
    assert all(apdu[1] == 0xC0 for apdu in transport.sent[1:])


def test_t0_61xx_skipped_when_data_not_wanted():
    channel, _ = _channel(protocol="T0")
    response = channel.send(SELECT_SSSE, want_data=False)
    assert response.ok and response.data == b""
    assert channel.count == 1


def test_t0_6cxx_resends_with_the_right_le():
    channel, transport = _channel(protocol="T0")
    channel.send(SELECT_SSSE, want_data=False)
    response = channel.send(build(0x00, 0xB2, 0x07, 5 << 3, le=0))  # card number, Le wrong
    assert response.ok
    assert response.data == b"\x07\x09A00000019"
    assert transport.status_words[1] == 0x6C0B
    assert transport.sent[2] == bytes.fromhex("00B207280B")
    assert channel.count == 3


def test_t1_answers_directly():
    channel, transport = _channel(protocol="T1")
    assert channel.send(SELECT_SSSE).ok
    response = channel.send(build(0x00, 0xB2, 0x07, 5 << 3, le=0))
    assert response.data == b"\x07\x09A00000019"
    assert channel.count == 2
    assert transport.status_words == [0x9000, 0x9000]


def test_t1_short_le_gets_6cxx_too():
    channel, _ = _channel(protocol="T1")
    channel.send(SELECT_SSSE)
    response = channel.send(build(0x00, 0xB2, 0x07, 5 << 3, le=4))
    assert response.data == b"\x07\x09A00000019"
    assert channel.count == 3


def test_send_once_never_resends():
    transport = ScriptedTransport([(b"", 0x6C05)])
    channel = ApduChannel(transport)
    response = channel.send_once(bytes.fromhex("0020000003123456"))
    assert response.sw == 0x6C05
    assert len(transport.sent) == 1


def test_endless_61xx_is_an_error():
    transport = ScriptedTransport([(b"x", 0x6101)] * 100)
    with pytest.raises(CardError) as info:
        ApduChannel(transport).send(bytes.fromhex("00B2012C00"))
    assert info.value.code == "bad_response"


def test_repeated_6cxx_is_an_error():
    transport = ScriptedTransport([(b"", 0x6C05), (b"", 0x6C06)])
    with pytest.raises(CardError) as info:
        ApduChannel(transport).send(bytes.fromhex("00B2012C00"))
    assert info.value.code == "bad_response"


def test_get_response_data_is_joined_with_final_status():
    transport = ScriptedTransport([(b"", 0x6104), (b"ABCD", 0x6102), (b"EF", 0x9000)])
    channel = ApduChannel(transport)
    response = channel.send(bytes.fromhex("00A4040002AAAA"))
    assert response.data == b"ABCDEF" and response.ok
    assert transport.sent[1:] == [bytes.fromhex("00C0000004"), bytes.fromhex("00C0000002")]
    assert channel.count == 3
