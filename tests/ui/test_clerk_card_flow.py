"""The clerk window's card flow: PIN state before the prompt, blocked PINs and PIN reset,
CHANGE PIN on the on-screen keypad, pinpad readers, several readers and the e-card (scanner
burst and paste), on the real training Desk.

The first tests use the simulated reader; the pinpad and reader-picker tests run on the real
PC/SC stack (pcscd + vpcd + the emulator), with the pinpad's firmware faked in ``control()``
because vpcd refuses control calls."""

from __future__ import annotations

import json
import threading

import pytest
from pcsc_support import VPCD_SLOTS, PinpadFirmware
from pcsc_support import card_profile as pcsc_profile
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton
from test_clerk_window import child, citizen, click, insert_and_wait, pin_of, visible_texts

from ui.qt import messages


@pytest.fixture
def make_clerk_window(make_clerk_window):
    """The clerk window on a training Desk without a face worker (no face check here: the
    worker process would only cost start-up and shut-down time)."""

    def make(*, card_tray: bool = False):
        return make_clerk_window(card_tray=card_tray, face=False, heartbeat_seconds=None)

    return make


def sample(card_profile, name: str, **changes) -> dict:
    data = json.loads(card_profile(name).read_text(encoding="utf-8"))
    data.update(changes)
    return data


def press_keypad(qtbot, window, digits: str) -> None:
    for digit in digits:
        click(qtbot, child(window, QPushButton, f"pinKey{digit}"))


# --- PIN state before the prompt -------------------------------------------------------------


def test_tries_left_show_before_the_first_attempt(
    qtbot, make_clerk_window, sign_in, sim_reader, card_profile
):
    window, _desk = make_clerk_window()
    sign_in(window)
    page = window.serve_page
    insert_and_wait(qtbot, window, sim_reader, card_profile("c02"))
    qtbot.waitUntil(lambda: page.pin_panel.state == "ready", timeout=20000)
    tries = child(window, QLabel, "pinTriesLeft")
    assert tries.text() == "剩余 3 次"
    assert child(window, QLineEdit, "pinEdit").text() == ""
    assert sim_reader.emulator.tries_left == 3  # shown without spending a try

    # A card that cannot tell: "unknown", and the entry still opens.
    sim_reader.remove()
    qtbot.waitUntil(lambda: page.card_panel.state == "removed", timeout=20000)
    sim_reader.insert(sample(card_profile, "c01", tries_query=False))
    qtbot.waitUntil(lambda: page.pin_panel.state == "ready", timeout=30000)
    assert tries.text() == messages.tries_left_text(None)
    assert "未知" in tries.text()


def test_blocked_pin_is_never_prompted_and_leads_to_pin_reset(
    qtbot, make_clerk_window, sign_in, sim_reader, card_profile
):
    window, _desk = make_clerk_window()
    sign_in(window)
    page = window.serve_page
    sim_reader.insert(sample(card_profile, "c02", pin_tries_left=0))
    qtbot.waitUntil(lambda: page.pin_panel.state == "blocked", timeout=30000)
    result = child(window, QLabel, "pinResult")
    assert "已锁定" in result.text() and "密码重置" in result.text()
    # No field, no keypad: nothing to type into.
    assert not child(window, QLineEdit, "pinEdit").isVisible()
    assert not child(window, QPushButton, "pinKey1").isVisible()
    assert not child(window, QPushButton, "pinChangeButton").isVisible()
    click(qtbot, child(window, QPushButton, "pinResetButton"))
    assert page.service_panel.current_code() == "pin_reset"
    assert sim_reader.emulator.tries_left == 0


def test_card_pulled_during_verify_keeps_the_tries(
    qtbot, make_clerk_window, sign_in, sim_reader, card_profile
):
    window, _desk = make_clerk_window()
    sign_in(window)
    page = window.serve_page
    insert_and_wait(qtbot, window, sim_reader, card_profile("c05"))
    qtbot.waitUntil(lambda: page.pin_panel.state == "ready", timeout=20000)
    emulator = sim_reader.emulator
    sim_reader.pull_on_next_verify()
    press_keypad(qtbot, window, "000000")  # a wrong PIN: it would cost a try if counted
    click(qtbot, child(window, QPushButton, "pinVerifyButton"))
    result = child(window, QLabel, "pinResult")
    qtbot.waitUntil(lambda: "不计为密码错误" in result.text(), timeout=20000)
    assert emulator.tries_left == 3
    assert child(window, QLabel, "pinTriesLeft").text() == "剩余 3 次"


def test_change_pin_on_the_screen_keypad(
    qtbot, make_clerk_window, sign_in, sim_reader, card_profile
):
    window, _desk = make_clerk_window()
    sign_in(window)
    page = window.serve_page
    insert_and_wait(qtbot, window, sim_reader, card_profile("c04"))
    qtbot.waitUntil(lambda: page.pin_panel.state == "ready", timeout=20000)
    emulator = sim_reader.emulator
    click(qtbot, child(window, QPushButton, "pinChangeButton"))
    assert page.pin_panel.state == "change"
    old, new, again = (
        child(window, QLineEdit, name) for name in ("pinOldEdit", "pinNewEdit", "pinRepeatEdit")
    )
    submit = child(window, QPushButton, "pinChangeSubmitButton")

    # The two new PINs differ: nothing reaches the card.
    press_keypad(qtbot, window, pin_of(card_profile("c04")))
    qtbot.mouseClick(new, Qt.MouseButton.LeftButton)
    press_keypad(qtbot, window, "864200")
    qtbot.mouseClick(again, Qt.MouseButton.LeftButton)
    press_keypad(qtbot, window, "864201")
    assert all(e.echoMode() == QLineEdit.EchoMode.Password for e in (old, new, again))
    click(qtbot, submit)
    result = child(window, QLabel, "pinResult")
    assert "不一致" in result.text()
    assert emulator.pin == pin_of(card_profile("c04"))

    qtbot.mouseClick(new, Qt.MouseButton.LeftButton)
    press_keypad(qtbot, window, "864200")
    qtbot.mouseClick(again, Qt.MouseButton.LeftButton)
    press_keypad(qtbot, window, "864200")
    click(qtbot, submit)
    assert (old.text(), new.text(), again.text()) == ("", "", "")  # emptied at once
    qtbot.waitUntil(lambda: page.pin_panel.state == "done", timeout=20000)
    assert "已修改" in result.text()
    assert emulator.pin == "864200"


def test_fast_swap_clears_the_citizen_and_says_why(
    qtbot, make_clerk_window, sign_in, sim_reader, card_profile, seed
):
    window, _desk = make_clerk_window()
    sign_in(window)
    page = window.serve_page
    insert_and_wait(qtbot, window, sim_reader, card_profile("c01"))
    qtbot.waitUntil(lambda: page.pin_panel.state == "ready", timeout=20000)
    first = page.session
    # Another card, faster than the reader's poll: no event. The PIN is checked against the
    # card read, so the new card never sees it.
    other = sim_reader.swap(card_profile("c04"))
    press_keypad(qtbot, window, pin_of(card_profile("c01")))
    click(qtbot, child(window, QPushButton, "pinVerifyButton"))
    name = child(window, QLabel, "citizenName")
    qtbot.waitUntil(lambda: name.text() == citizen(seed, "c04")["name"], timeout=30000)
    assert first.ended and page.session is not first
    assert "已被更换" in child(window, QLabel, "cardNote").text()
    assert not any(citizen(seed, "c01")["name"] in text for text in visible_texts(window))
    assert other.tries_left == 3


def test_foreign_card_is_a_quiet_note(qtbot, make_clerk_window, sign_in, sim_reader):
    from pcsc_support import CARD_DATA

    window, _desk = make_clerk_window()
    sign_in(window)
    sim_reader.insert(CARD_DATA / "foreign.json")
    qtbot.waitUntil(lambda: "不是社会保障卡" in window.status.currentMessage(), timeout=20000)
    assert sim_reader.name in window.status.currentMessage()
    assert window.serve_page.session is None
    assert window.serve_page.card_panel.state == "empty"  # no error shown for it


# --- the electronic card --------------------------------------------------------------------


def test_ecard_scanner_burst_serves_the_citizen(
    qtbot, make_clerk_window, sign_in, seed, sim_reader
):
    window, _desk = make_clerk_window()
    sign_in(window)
    page = window.serve_page
    c03 = citizen(seed, "c03")
    # The scanner types into whatever has the focus: here the end-of-service button.
    target = child(window, QPushButton, "endServiceButton")
    qtbot.keyClicks(target, c03["ecard_payload"])
    qtbot.keyClick(target, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.card_panel.state == "ready", timeout=30000)
    assert child(window, QLabel, "citizenName").text() == c03["name"]
    assert page.session.is_ecard
    assert page.pin_panel.state == "not_applicable"
    assert "电子社保卡" in child(window, QLabel, "cardStatusLine").text()
    texts = visible_texts(window)
    assert not any(c03["ecard_payload"] in t for t in texts)
    assert not any(c03["ssn"] in t for t in texts)
    # The e-card citizen stays when an unrelated card is taken out of the reader.
    sim_reader.remove()
    qtbot.wait(50)
    assert page.session is not None and page.card_panel.state == "ready"


def test_typing_is_handed_back_unchanged(qtbot, make_clerk_window, sign_in, monkeypatch, seed):
    window, _desk = make_clerk_window()
    sign_in(window)
    # A person types: 100 ms between keys, far slower than a scanner.
    ticks = iter(i * 0.1 for i in range(10_000))
    monkeypatch.setattr(window.wedge, "_clock", lambda: next(ticks))
    picker = window.findChild(QComboBox, "servicePicker")
    picker.setCurrentIndex(picker.findData("unemployment_benefit"))
    field = window.serve_page.service_panel.form.editor("last_employer")
    qtbot.keyClicks(field, "Sample Trading Company 2024")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: field.text() == "Sample Trading Company 2024", timeout=5000)
    assert not window.wedge.pending
    assert window.serve_page.session is None
    assert window.serve_page.card_panel.state == "empty"

    # A scanner's burst into the same field: nothing of it lands there.
    monkeypatch.setattr(window.wedge, "_clock", lambda: 5000.0)
    c05 = citizen(seed, "c05")
    qtbot.keyClicks(field, c05["ecard_payload"])
    assert field.text() == "Sample Trading Company 2024"  # held back, not typed
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not window.wedge.pending
    page = window.serve_page
    qtbot.waitUntil(lambda: page.card_panel.state == "ready", timeout=30000)
    assert child(window, QLabel, "citizenName").text() == c05["name"]

    # Keys still held when the clerk clicks elsewhere land first, at once.
    months = page.service_panel.form.editor("insured_months")
    qtbot.keyClicks(months, "36")
    assert window.wedge.pending and months.text() == ""
    qtbot.mouseClick(child(window, QLabel, "citizenName"), Qt.MouseButton.LeftButton)
    assert months.text() == "36" and not window.wedge.pending


def test_held_typing_lands_before_a_card_event_changes_the_form(
    qtbot, make_clerk_window, sign_in, sim_reader, card_profile, monkeypatch
):
    window, _desk = make_clerk_window()
    sign_in(window)
    page = window.serve_page
    insert_and_wait(qtbot, window, sim_reader, card_profile("c01"))
    # A frozen clock: the filter holds the keys until something settles them.
    monkeypatch.setattr(window.wedge, "_clock", lambda: 5000.0)
    picker = window.findChild(QComboBox, "servicePicker")
    picker.setCurrentIndex(picker.findData("unemployment_benefit"))
    months = page.service_panel.form.editor("insured_months")

    # The card is pulled while the keys are held: they land in this citizen's form first.
    qtbot.keyClicks(months, "36")
    assert window.wedge.pending and months.text() == ""
    sim_reader.remove()
    qtbot.waitUntil(lambda: page.card_panel.state == "removed", timeout=20000)
    assert months.text() == "36" and not window.wedge.pending

    # Another card during the grace period: what was held is typed before the wipe, so none
    # of it is left over for the next citizen's form.
    qtbot.keyClicks(months, "12")
    assert window.wedge.pending
    sim_reader.insert(card_profile("c02"))
    qtbot.waitUntil(lambda: page.card_panel.state == "ready", timeout=30000)
    assert not window.wedge.pending
    assert months.text() == ""


def test_pasted_and_training_ecards(qtbot, make_clerk_window, sign_in, seed):
    window, _desk = make_clerk_window()
    sign_in(window)
    page = window.serve_page
    # A pasted code central does not know: a plain message, nobody served.
    field = child(window, QLineEdit, "ecardEdit")
    field.insert("HCE1.this-code-is-unknown-at-central")
    click(qtbot, child(window, QPushButton, "ecardCheckButton"))
    assert field.text() == ""
    qtbot.waitUntil(lambda: page.card_panel.state == "error", timeout=20000)
    assert "二维码" in child(window, QLabel, "cardStatusLine").text()
    assert page.session is None


def test_training_tray_offers_each_citizens_ecard(qtbot, make_clerk_window, sign_in, seed):
    window, _desk = make_clerk_window(card_tray=True)
    sign_in(window)
    page = window.serve_page
    samples = page.ecard_input._samples
    assert samples.isVisible() and samples.count() == len(seed["citizens"])
    samples.setCurrentIndex(1)
    click(qtbot, child(window, QPushButton, "ecardSampleButton"))
    qtbot.waitUntil(lambda: page.card_panel.state == "ready", timeout=30000)
    assert child(window, QLabel, "citizenName").text() == seed["citizens"][1]["name"]


# --- the real PC/SC stack --------------------------------------------------------------------


@pytest.fixture
def make_pcsc_window(tmp_path, training_settings, languages, open_windows):
    """The clerk window on a training Desk that reads PC/SC readers."""
    from devices.card.pcsc import PcscCardReader
    from ui.app import build_desk
    from ui.qt.clerk_window import ClerkWindow

    def make(*, reader_name=None, connection_class=None):
        desk = build_desk(
            training_settings,
            reader="pcsc",
            reader_name=reader_name,
            data_dir=tmp_path / "desk",
            face=False,
            heartbeat_seconds=None,
        )
        if connection_class is not None:
            desk.card_service._reader_factory = lambda: PcscCardReader(
                reader_name, connection_class=connection_class
            )
        window = ClerkWindow(desk, languages)
        return open_windows.show(window, desk)

    return make


class SlowPinpad(PinpadFirmware):
    """A pinpad whose citizen keys the PIN only when the test says so."""

    def __init__(self, keys):
        super().__init__(keys)
        self.go = threading.Event()

    def control(self, code, data, transmit):
        if code == self.VERIFY_CODE:
            assert self.go.wait(20)
            self.go.clear()
        return super().control(code, data, transmit)


@pytest.mark.pcsc
def test_pinpad_reader_asks_on_its_keypad(qtbot, vpcd, make_pcsc_window, sign_in):
    from devices.card.pcsc import PcscConnection

    vpcd.attach(pcsc_profile("c02"), 35964)
    firmware = SlowPinpad(["timeout", "654321"])

    class PinpadConnection(PcscConnection):
        def control(self, code: int, data: bytes = b"") -> bytes:
            def transmit(apdu: bytes) -> bytes:
                answer, sw = self.channel.transport.transmit(apdu)
                return answer + bytes([sw >> 8, sw & 0xFF])

            return firmware.control(code, data, transmit)

    window, _desk = make_pcsc_window(
        reader_name=VPCD_SLOTS[35964], connection_class=PinpadConnection
    )
    sign_in(window)
    page = window.serve_page
    qtbot.waitUntil(lambda: page.pin_panel.state == "pinpad_ready", timeout=30000)
    assert child(window, QLabel, "pinTriesLeft").text() == "剩余 3 次"
    assert not child(window, QLineEdit, "pinEdit").isVisible()  # no on-screen PIN
    prompt = child(window, QLabel, "pinPrompt")

    result = child(window, QLabel, "pinResult")
    for outcome in ("timeout", "ok"):
        click(qtbot, child(window, QPushButton, "pinPinpadButton"))
        qtbot.waitUntil(lambda: page.pin_panel.state == "pinpad_waiting", timeout=20000)
        assert prompt.text() == messages.pinpad_prompt_text()
        assert "读卡器键盘" in prompt.text()
        firmware.go.set()
        if outcome == "timeout":
            qtbot.waitUntil(lambda: "规定时间" in result.text(), timeout=20000)
            assert page.pin_panel.state == "pinpad_ready"
    qtbot.waitUntil(lambda: page.pin_panel.verified, timeout=20000)


@pytest.mark.pcsc
def test_two_citizen_cards_the_clerk_picks_the_reader(qtbot, vpcd, make_pcsc_window, sign_in, seed):
    vpcd.attach(pcsc_profile("c01"), 35963)
    vpcd.attach(pcsc_profile("c04"), 35964)
    window, _desk = make_pcsc_window()
    sign_in(window)
    page = window.serve_page
    qtbot.waitUntil(
        lambda: page.reader_picker is not None and page.reader_picker.isVisible(), timeout=30000
    )
    picker = page.reader_picker
    assert sorted(picker.readers()) == sorted(VPCD_SLOTS.values())
    assert "多个读卡器" in child(picker, QLabel, "readerPickerQuestion").text()
    picker.choose(VPCD_SLOTS[35964])
    assert not picker.isVisible()
    qtbot.waitUntil(lambda: page.card_panel.state == "ready", timeout=30000)
    assert child(window, QLabel, "citizenName").text() == citizen(seed, "c04")["name"]
