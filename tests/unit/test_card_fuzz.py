"""Property-based tests: whatever a card (or a driver) answers, the card layer gives a result or
a ``CardError``, never another exception, and never sends a PIN twice.

Two sources of bad answers: responses made up from nothing (any bytes, any status word, any
length), and real answers of the emulator with one exchange mutated (bits flipped, truncated,
extended, its status word replaced). Plus the unified interface's text output, random and
mutated.
"""

from __future__ import annotations

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.card.apdu import ApduChannel
from devices.card.emulator import CardEmulator, EmulatorTransport
from devices.card.errors import CardError
from devices.card.keys import TestKeyService
from devices.card.record import CardRecord, PinResult
from devices.card.ssc import SocialSecurityCard
from devices.card.sscard import BasInfo, parse_bas

FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

status_words = st.one_of(
    st.sampled_from(
        [
            0x9000,
            0x6100,
            0x6108,
            0x6C00,
            0x6C0B,
            0x63C2,
            0x6983,
            0x9303,
            0x6982,
            0x6A82,
            0x6A83,
            0x6700,
            0x6400,
        ]
    ),
    st.integers(0, 0xFFFF),
)
responses = st.tuples(st.binary(max_size=80), status_words)


class ScriptedTransport:
    """Answers with the drawn responses, in order (then 6F00); records the commands."""

    def __init__(self, answers: list[tuple[bytes, int]]) -> None:
        self.answers = list(answers)
        self.commands: list[bytes] = []

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        self.commands.append(bytes(apdu))
        return self.answers.pop(0) if self.answers else (b"", 0x6F00)


def run_every_operation(card_factory) -> list:
    """Each public operation on a fresh card; results or CardError codes."""
    outcomes = []
    operations = [
        lambda card: card.read_record(),
        lambda card: card.read_record(key_service=TestKeyService()),
        lambda card: card.read_identity(),
        lambda card: card.pin_tries_left(),
        lambda card: card.verify_pin("123456"),
        lambda card: card.change_pin("123456", "654321"),
    ]
    for operation in operations:
        card, transport = card_factory()
        try:
            result = operation(card)
        except CardError as exc:
            assert exc.code and isinstance(exc.detail, str)
            outcomes.append(exc.code)
            continue
        if isinstance(result, CardRecord):
            json.dumps(result.to_json())
        elif isinstance(result, PinResult):
            assert result.status in ("ok", "wrong", "blocked", "card_removed", "unknown")
        outcomes.append(result)
        pin_commands = [c for c in transport.commands if c[1] in (0x20, 0x5E) and len(c) > 5]
        assert len(pin_commands) <= 1, "a PIN was sent twice"
    return outcomes


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(responses, max_size=24))
def test_random_answers_never_crash(answers):
    def factory():
        transport = ScriptedTransport(answers)
        return SocialSecurityCard(ApduChannel(transport), reader="fuzz"), transport

    run_every_operation(factory)


class MutatingTransport(EmulatorTransport):
    """The emulator's real answers, with exchange number ``target`` mutated."""

    def __init__(self, emulator, target: int, mutation: tuple) -> None:
        super().__init__(emulator)
        self.target = target
        self.mutation = mutation
        self.commands: list[bytes] = []

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        self.commands.append(bytes(apdu))
        data, sw = super().transmit(apdu)
        if len(self.commands) - 1 != self.target:
            return data, sw
        kind, position, value = self.mutation
        if kind == "flip" and data:
            index = position % len(data)
            data = data[:index] + bytes([data[index] ^ (value or 1)]) + data[index + 1 :]
        elif kind == "truncate":
            data = data[: position % (len(data) + 1)]
        elif kind == "extend":
            data = data + bytes([value]) * (1 + position % 8)
        elif kind == "status":
            sw = (value << 8 | position) & 0xFFFF
        return data, sw


OPERATIONS = {
    "read_record": lambda card: card.read_record(),
    "read_record_with_key": lambda card: card.read_record(key_service=TestKeyService()),
    "read_identity": lambda card: card.read_identity(),
    "pin_tries_left": lambda card: card.pin_tries_left(),
    "verify_pin": lambda card: card.verify_pin("123456"),
    "change_pin": lambda card: card.change_pin("123456", "654321"),
}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    profile=st.sampled_from([
        {"protocol": "T0"}, {"protocol": "T1"}, {"protocol": "T0", "t0_chunk": 5},
        {"generation": 3, "protocol": "T1", "ef05": {"version": "3.00"}},
        {"protocol": "T1", "ssse_by_name": False},
    ]),
    mutation=st.tuples(
        st.sampled_from(["flip", "truncate", "extend", "status"]),
        st.integers(0, 255),
        st.integers(0, 255),
    ),
)  # fmt: skip
def test_mutated_answers_never_crash(profile, mutation):
    # Every exchange of every operation gets the mutation in turn (hypothesis alone would
    # rarely aim at a given exchange).
    for operation in OPERATIONS.values():
        clean = MutatingTransport(CardEmulator(profile), -1, mutation)
        with contextlib.suppress(CardError):
            operation(SocialSecurityCard(ApduChannel(clean), reader="fuzz"))
        for target in range(len(clean.commands)):
            transport = MutatingTransport(CardEmulator(profile), target, mutation)
            card = SocialSecurityCard(ApduChannel(transport), reader="fuzz")
            try:
                result = operation(card)
            except CardError as exc:
                assert exc.code and isinstance(exc.detail, str)
                continue
            if isinstance(result, CardRecord):
                json.dumps(result.to_json())
            pins = [c for c in transport.commands if c[1] in (0x20, 0x5E) and len(c) > 5]
            assert len(pins) <= 1, "a PIN was sent twice"


GOOD_BAS = (
    "110105|110105196210150016|A10000011|110105D1560000057A3C91E05B2D4F18|张伟明|"
    "48435353432D53494D2D5430|2.00|20210315|20310314|HCSTANDIN01|0001|"
).encode("gbk")


def check_bas(raw: bytes) -> None:
    try:
        info = parse_bas(raw)
    except CardError as exc:
        assert exc.code == "bad_record"
    else:
        assert isinstance(info, BasInfo)


@FUZZ
@given(st.binary(max_size=400))
def test_random_driver_output_never_crashes(raw):
    check_bas(raw)


@FUZZ
@given(
    position=st.integers(0, len(GOOD_BAS) - 1),
    value=st.integers(0, 255),
    cut=st.booleans(),
)
def test_mutated_driver_output_never_crashes(position, value, cut):
    raw = GOOD_BAS[:position] if cut else (
        GOOD_BAS[:position] + bytes([value]) + GOOD_BAS[position + 1 :]
    )  # fmt: skip
    check_bas(raw)


def test_the_good_driver_output_parses():
    info = parse_bas(GOOD_BAS + b"\x00garbage after the end")
    assert (info.card_no, info.version, info.issue_date.isoformat()) == (
        "A10000011", "2.00", "2021-03-15"
    )  # fmt: skip
    assert info.name == "张伟明" and "张伟明" not in repr(info)
