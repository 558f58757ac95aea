"""The clerk's card flow at the Desk: PIN state before the prompt, blocked PINs, a card pulled
during VERIFY, pinpad readers, CHANGE PIN, several readers and the electronic card.

Simulated reader (the emulator in-process) and the real sandbox over HTTP; the last tests run
the same flow on the real PC/SC stack (pcscd + vpcd + the emulator)."""

from __future__ import annotations

import json
import logging
import threading

import pytest
from pcsc_support import VPCD_SLOTS, PinpadFirmware, card_profile
from test_desk import CARDS, FORM, PINS, SEED, Heard, Rig

from desktop.card_service import PinState
from desktop.ecard import EcardPayload
from desktop.errors import DeskError
from desktop.sync import Backoff
from devices.card.pcsc import PcscCardReader, PcscConnection
from devices.card.record import PinResult
from ui.app import build_desk, training_settings

TIMEOUT = 30


def profile(card: str, **changes) -> dict:
    data = json.loads((CARDS / f"{card}.json").read_text(encoding="utf-8"))
    data.update(changes)
    return data


def ecard_of(cid: str) -> str:
    return next(c["ecard_payload"] for c in SEED["citizens"] if c["id"] == cid)


def citizen_of(cid: str) -> dict:
    return next(c for c in SEED["citizens"] if c["id"] == cid)


# --- PIN state before the prompt -------------------------------------------------------------


def test_tries_left_are_known_before_the_first_attempt(tmp_path):
    with Rig(tmp_path) as rig:
        session = rig.citizen("c02")
        emulator = rig.reader.emulator
        state = rig.desk.pin_state(session).result(TIMEOUT)
        assert state == PinState(tries_left=3, blocked=False, pinpad=False)
        assert emulator.tries_left == 3  # asking did not spend a try
        assert rig.desk.verify_pin(session, "000000").result(TIMEOUT) == PinResult("wrong", 2)
        assert rig.desk.pin_state(session).result(TIMEOUT).tries_left == 2


def test_tries_unknown_when_the_card_cannot_tell(tmp_path):
    with Rig(tmp_path) as rig:
        rig.reader.insert(profile("c01", tries_query=False))
        session = rig.desk.begin_citizen().result(TIMEOUT)
        assert rig.desk.pin_state(session).result(TIMEOUT) == PinState(None, False, False)


def test_blocked_pin_is_never_prompted_and_leads_to_pin_reset(tmp_path):
    with Rig(tmp_path) as rig:
        rig.reader.insert(profile("c02", pin_tries_left=0))
        session = rig.desk.begin_citizen().result(TIMEOUT)
        emulator = rig.reader.emulator
        state = rig.desk.pin_state(session).result(TIMEOUT)
        assert state.blocked and state.tries_left == 0
        assert session.pin_blocked
        commands = emulator.commands
        # No PIN reaches the card any more, whatever the UI does.
        for attempt in (
            lambda: rig.desk.verify_pin(session, PINS["c02"]),
            lambda: rig.desk.verify_pin_on_pinpad(session),
            lambda: rig.desk.change_pin(session, PINS["c02"], "112233"),
        ):
            with pytest.raises(DeskError) as info:
                attempt().result(TIMEOUT)
            assert info.value.code == "pin_blocked"
        assert emulator.commands == commands
        # The way on: the PIN-reset service (face check, always co-signed).
        services = rig.desk.services().result(TIMEOUT)
        reset = next(s for s in services if s.rule("pin_reset"))
        rig.desk.decline_face(session)
        with pytest.raises(DeskError) as info:
            rig.desk.submit(session, reset.code, {"reason": "pin_blocked"}).result(TIMEOUT)
        assert info.value.code == "cosign_required"
        assert "pin_reset" in info.value.fields["approvals"]


def test_card_pulled_during_verify_is_not_a_wrong_pin(tmp_path):
    with Rig(tmp_path) as rig:
        session = rig.citizen("c05")
        emulator = rig.reader.emulator
        rig.reader.pull_on_next_verify()
        result = rig.desk.verify_pin(session, "135790").result(TIMEOUT)
        assert result == PinResult("card_removed", None)
        assert emulator.tries_left == 3  # the card never answered: no try counted
        assert session.pin_status == "card_removed" and not session.pin_ok
        # Nothing was resent: the card is out and the next call says so.
        with pytest.raises(DeskError) as info:
            rig.desk.verify_pin(session, "135790").result(TIMEOUT)
        assert info.value.code in ("no_card", "card_changed")


# --- CHANGE PIN --------------------------------------------------------------------------------


def test_change_pin(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    with Rig(tmp_path) as rig:
        session = rig.citizen("c04")
        emulator = rig.reader.emulator
        wrong = rig.desk.change_pin(session, "000000", "864200").result(TIMEOUT)
        assert wrong == PinResult("wrong", 2) and emulator.pin == PINS.get("c04", "246810")
        ok = rig.desk.change_pin(session, "246810", "864200").result(TIMEOUT)
        assert ok.status == "ok" and emulator.pin == "864200" and emulator.tries_left == 3
        assert session.pin_ok  # the old PIN was proven
        with pytest.raises(DeskError) as info:
            rig.desk.change_pin(session, "864200", "12").result(TIMEOUT)
        assert info.value.code == "card_error" and info.value.fields["card_code"] == "pin_format"
        assert rig.desk.verify_pin(session, "864200").result(TIMEOUT).status == "ok"
    assert "864200" not in caplog.text and "246810" not in caplog.text


# --- the electronic card -----------------------------------------------------------------------


def test_ecard_serves_the_citizen_without_card_or_pin(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    payload = ecard_of("c01")
    with Rig(tmp_path) as rig:
        session = rig.desk.begin_ecard(EcardPayload(payload)).result(TIMEOUT)
        c01 = citizen_of("c01")
        assert session.is_ecard and session.person_ref and session.card_status == "normal"
        assert (session.record.name, session.record.ssn) == (c01["name"], c01["ssn"])
        assert session.record.card_no == c01["card_no"]
        with pytest.raises(DeskError) as info:
            rig.desk.verify_pin(session, "123456").result(TIMEOUT)
        assert info.value.code == "pin_not_applicable"
        # The PIN factor is met by the e-card; the face check is as the service needs.
        queued = rig.desk.submit(session, "card_loss_report", {"loss_kind": "formal"}).result(
            TIMEOUT
        )
        assert queued.service == "card_loss_report"
        assert rig.heard.sent.wait(TIMEOUT)
        with pytest.raises(DeskError) as info:
            rig.desk.submit(session, "unemployment_benefit", FORM).result(TIMEOUT)
        assert info.value.code == "face_required"
        # A card going in ends the e-card citizen.
        rig.reader.insert(CARDS / "c02.json")
        deadline = threading.Event()
        for _ in range(200):
            if session.ended:
                break
            deadline.wait(0.05)
        assert session.ended and rig.desk.citizen is None
    assert payload not in caplog.text
    assert c01["ssn"] not in caplog.text


def test_unknown_ecard_is_refused_with_central_reason(tmp_path):
    with Rig(tmp_path) as rig:
        with pytest.raises(DeskError) as info:
            rig.desk.begin_ecard(EcardPayload("HCE1.not-a-code-central-knows")).result(TIMEOUT)
        assert info.value.code == "ecard_rejected"
        assert info.value.fields["reason"] == "ecard_unknown"
        assert rig.desk.citizen is None


# --- the real PC/SC stack ------------------------------------------------------------------------


class PcscRig(Rig):
    """The Desk on pcscd + vpcd (automatic reader choice unless ``reader_name``)."""

    def __init__(self, tmp_path, *, reader_name=None, connection_class=None):
        super().__init__(tmp_path)
        self.reader_name = reader_name
        self.connection_class = connection_class

    def __enter__(self) -> PcscRig:
        url = self.sandbox.start()
        self.settings = training_settings(url)
        self.desk = build_desk(
            self.settings,
            reader="pcsc",
            reader_name=self.reader_name,
            data_dir=self.tmp_path / "data",
            face=False,
            backoff=Backoff(base=0.05, cap=0.2, floor=0.02),
            heartbeat_seconds=None,
        )
        if self.connection_class is not None:
            name, cls = self.reader_name, self.connection_class
            self.desk.card_service._reader_factory = lambda: PcscCardReader(
                name, connection_class=cls
            )
        self.heard = Heard()
        self.desk.add_listener(self.heard)
        self.desk.start()
        self.desk.sign_in("clerk01", "clerk01-training").result(TIMEOUT)
        self.desk.services().result(TIMEOUT)
        return self


def wait_for(predicate, timeout=TIMEOUT) -> None:
    event = threading.Event()
    for _ in range(int(timeout / 0.05)):
        if predicate():
            return
        event.wait(0.05)
    raise AssertionError("condition not met in time")


@pytest.mark.pcsc
def test_pcsc_pull_during_verify_counts_no_try(vpcd, tmp_path):
    link = vpcd.attach(card_profile("c01"), 35963)
    with PcscRig(tmp_path, reader_name=VPCD_SLOTS[35963]) as rig:
        wait_for(lambda: rig.desk.card_service.current_record is not None)
        session = rig.desk.begin_citizen().result(TIMEOUT)
        assert rig.desk.pin_state(session).result(TIMEOUT) == PinState(3, False, False)
        link.pull_on_next_verify()
        result = rig.desk.verify_pin(session, "123456").result(TIMEOUT)
        assert result == PinResult("card_removed", None)
        assert link.emulator.tries_left == 3
        assert [e["event"] for e in vpcd.events[35963]][-2:] == ["pulled", "removed"]


@pytest.mark.pcsc
def test_pcsc_pinpad_reader_takes_the_pin_on_its_keypad(vpcd, tmp_path):
    link = vpcd.attach(card_profile("c02"), 35964)
    firmware = PinpadFirmware(["000000", "654321", "timeout", "cancel"])

    class PinpadConnection(PcscConnection):
        def control(self, code: int, data: bytes = b"") -> bytes:
            def transmit(apdu: bytes) -> bytes:
                answer, sw = self.channel.transport.transmit(apdu)
                return answer + bytes([sw >> 8, sw & 0xFF])

            return firmware.control(code, data, transmit)

    with PcscRig(tmp_path, reader_name=VPCD_SLOTS[35964], connection_class=PinpadConnection) as rig:
        wait_for(lambda: rig.desk.card_service.current_record is not None)
        session = rig.desk.begin_citizen().result(TIMEOUT)
        assert rig.desk.pin_state(session).result(TIMEOUT) == PinState(3, False, True)
        wrong = rig.desk.verify_pin_on_pinpad(session).result(TIMEOUT)
        assert wrong == PinResult("wrong", 2)
        assert rig.desk.verify_pin_on_pinpad(session).result(TIMEOUT).status == "ok"
        assert session.pin_ok
        for code in ("pinpad_timeout", "pinpad_cancelled"):
            with pytest.raises(DeskError) as info:
                rig.desk.verify_pin_on_pinpad(session).result(TIMEOUT)
            assert info.value.fields["card_code"] == code
        prompts = [e for e in rig.heard.events if e[0] == "on_pinpad_prompt"]
        assert prompts == [("on_pinpad_prompt", True), ("on_pinpad_prompt", False)] * 4
        assert link.emulator.tries_left == 3


@pytest.mark.pcsc
def test_pcsc_two_citizen_cards_the_clerk_picks_one(vpcd, tmp_path):
    vpcd.attach(card_profile("c01"), 35963)
    vpcd.attach(card_profile("c04"), 35964)
    with PcscRig(tmp_path) as rig:
        wait_for(lambda: any(e[0] == "on_multiple_cards" for e in rig.heard.events))
        (readers,) = [e[1] for e in rig.heard.events if e[0] == "on_multiple_cards"][:1]
        assert sorted(readers) == sorted(VPCD_SLOTS.values())
        record = rig.desk.choose_reader(VPCD_SLOTS[35964]).result(TIMEOUT)
        assert record.card_no == citizen_of("c04")["card_no"]
        session = rig.desk.begin_citizen().result(TIMEOUT)
        assert session.record.card_no == citizen_of("c04")["card_no"]
