"""Pinpad readers on the real PC/SC stack: the card is an emulator behind pcscd + vpcd, the
reader's part 10 firmware is faked in ``control()`` (vpcd refuses every control call), so the
PIN the "citizen keys" still reaches the card through pcscd. Without the fake, vpcd has no
pinpad and the on-screen keypad path is the one left."""

from __future__ import annotations

import threading

import pytest
from pcsc_support import VPCD_SLOTS, PinpadFirmware, card_profile

from desktop.card_service import CardService, PinState
from devices.card.errors import CardError
from devices.card.pcsc import PcscCardReader, PcscConnection
from devices.card.pinpad import VerifyRequest, verify_structure
from devices.card.record import PinResult

pytestmark = pytest.mark.pcsc

SLOT = 35964
READER = VPCD_SLOTS[SLOT]
TIMEOUT = 20


def pinpad_connection(firmware: PinpadFirmware) -> type[PcscConnection]:
    """A PC/SC connection whose reader has this pinpad firmware."""

    class PinpadConnection(PcscConnection):
        def control(self, code: int, data: bytes = b"") -> bytes:
            def transmit(apdu: bytes) -> bytes:
                data, sw = self.channel.transport.transmit(apdu)
                return data + bytes([sw >> 8, sw & 0xFF])

            return firmware.control(code, data, transmit)

    return PinpadConnection


class Prompts:
    """Records on_pinpad_prompt calls (card thread)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, bool]] = []
        self.inserted = threading.Event()

    def on_pinpad_prompt(self, reader: str, active: bool) -> None:
        self.calls.append((reader, active))

    def on_card_inserted(self, record) -> None:
        self.inserted.set()


def start_service(connection_class=None) -> tuple[CardService, Prompts]:
    prompts = Prompts()
    service = CardService(
        lambda: PcscCardReader(READER, connection_class=connection_class), poll_interval=0.3
    )
    service.add_listener(prompts)
    service.start()
    assert prompts.inserted.wait(TIMEOUT)
    return service, prompts


def test_pinpad_verify_over_pcsc(vpcd):
    link = vpcd.attach(card_profile("c02"), SLOT)  # PIN 654321, T=1
    emulator = link.emulator
    firmware = PinpadFirmware(["000000", "654321", "timeout", "cancel", "12345"])
    service, prompts = start_service(pinpad_connection(firmware))
    try:
        assert service.pin_state().result(TIMEOUT) == PinState(3, blocked=False, pinpad=True)
        assert service.verify_pin_on_pinpad().result(TIMEOUT) == PinResult("wrong", 2)
        assert service.verify_pin_on_pinpad(timeout=15).result(TIMEOUT) == PinResult("ok", None)
        assert emulator.tries_left == 3
        for code in ("pinpad_timeout", "pinpad_cancelled", "pinpad_bad_length"):
            with pytest.raises(CardError) as info:
                service.verify_pin_on_pinpad().result(TIMEOUT)
            assert info.value.code == code
        assert emulator.tries_left == 3  # nothing reached the card
    finally:
        service.stop()
    # The reader got exactly our structure, and the citizen's prompt was up while it waited.
    assert firmware.requests[0] == VerifyRequest.parse(verify_structure(timeout=30))
    assert firmware.requests[1].timeout == 15
    assert prompts.calls == [(READER, True), (READER, False)] * 5


def test_card_pulled_while_the_citizen_keys_the_pin(vpcd):
    link = vpcd.attach(card_profile("c01"), SLOT)
    emulator = link.emulator
    firmware = PinpadFirmware(["123456"])
    service, prompts = start_service(pinpad_connection(firmware))
    try:
        link.pull_on_next_verify()
        assert service.verify_pin_on_pinpad().result(TIMEOUT) == PinResult("card_removed", None)
    finally:
        service.stop()
    assert emulator.tries_left == 3  # not counted as a wrong PIN
    assert prompts.calls == [(READER, True), (READER, False)]
    assert [e["event"] for e in vpcd.events[SLOT]][-2:] == ["pulled", "removed"]


def test_blocked_pin_is_known_before_the_prompt(vpcd):
    vpcd.attach(card_profile("blocked"), SLOT)
    firmware = PinpadFirmware([])
    service, prompts = start_service(pinpad_connection(firmware))
    try:
        state = service.pin_state().result(TIMEOUT)
    finally:
        service.stop()
    assert state == PinState(0, blocked=True, pinpad=True)
    assert firmware.requests == [] and prompts.calls == []


def test_vpcd_has_no_pinpad_so_the_screen_keypad_is_used(vpcd):
    link = vpcd.attach(card_profile("c01"), SLOT)
    service, prompts = start_service()
    try:
        assert service.pin_state().result(TIMEOUT) == PinState(3, blocked=False, pinpad=False)
        with pytest.raises(CardError) as info:
            service.verify_pin_on_pinpad().result(TIMEOUT)
        assert info.value.code == "no_pinpad"
        # The on-screen keypad's PIN goes through VERIFY as usual.
        assert service.verify_pin("123456").result(TIMEOUT) == PinResult("ok", None)
    finally:
        service.stop()
    assert link.emulator.tries_left == 3 and prompts.calls == []
