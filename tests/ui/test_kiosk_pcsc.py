"""The kiosk on the real PC/SC stack: the card is our emulator in a vpcd reader behind pcscd.

The desk reads the card through pyscard and pcscd exactly as at a hall (``reader="pcsc"``), the
slot is claimed with the cross-process lock of tests/pcsc_support.py, and the card is pulled
by closing the emulator's vpcd link. A pinpad reader is vpcd with a part 10 firmware faked in
``control()`` (vpcd refuses every control call), as in the card tests: the PIN the "citizen
keys" on the reader still reaches the emulated card through pcscd.
"""

from __future__ import annotations

import re
import threading

import pytest
from pcsc_support import (
    VPCD_SLOTS,
    PinpadFirmware,
)
from pcsc_support import card_profile as profile_path
from test_kiosk import (
    FAST,
    KIOSK_SIZE,
    PdfPrinterFactory,
    assert_no_personal_data,
    citizen,
    click,
    enter_pin,
    open_kiosk,
    pin_of,
    shot,
    spoken,
    wait_page,
)

from desktop.kiosk import KioskServices
from ui.qt.kiosk.documents import DocumentPrinter

pytestmark = pytest.mark.pcsc

SLOT = 35964
READER = VPCD_SLOTS[SLOT]
TIMEOUT = 30000


class KeyedFirmware(PinpadFirmware):
    """A pinpad whose citizen keys only when the test says so (:meth:`key`), so that the test
    sees each screen while the reader waits."""

    def __init__(self, keys: list[str]) -> None:
        super().__init__(keys)
        self._turn = threading.Semaphore(0)
        self.waiting = threading.Event()

    def control(self, code: int, data: bytes, transmit) -> bytes:
        if code == self.VERIFY_CODE:
            self.waiting.set()
            assert self._turn.acquire(timeout=30), "the test never keyed"
            self.waiting.clear()
        return super().control(code, data, transmit)

    def key(self) -> None:
        """The citizen keys the next entry of ``keys`` (or the reader times out, ...)."""
        self._turn.release()


def pinpad_reader(firmware: PinpadFirmware):
    """A PC/SC reader class whose connections have this pinpad firmware."""
    from devices.card.pcsc import PcscCardReader, PcscConnection

    class PinpadConnection(PcscConnection):
        def control(self, code: int, data: bytes = b"") -> bytes:
            def transmit(apdu: bytes) -> bytes:
                answer, sw = self.channel.transport.transmit(apdu)
                return answer + bytes([sw >> 8, sw & 0xFF])

            return firmware.control(code, data, transmit)

    class PinpadCardReader(PcscCardReader):
        def __init__(self, reader_name=None, **kwargs) -> None:
            super().__init__(reader_name, connection_class=PinpadConnection)

    return PinpadCardReader


@pytest.fixture
def printed(tmp_path) -> PdfPrinterFactory:
    """A real QPrinter printing to PDF files in the test's folder."""
    folder = tmp_path / "printer"
    folder.mkdir()
    return PdfPrinterFactory(folder)


@pytest.fixture
def make_pcsc_kiosk(tmp_path, kiosk_central, languages, vpcd, printed, open_windows):
    """The kiosk on a desk that reads the card from the vpcd reader through pcscd."""
    from ui.app import build_desk
    from ui.qt.kiosk.speech import VoicePrompter
    from ui.qt.kiosk.window import KioskWindow

    vpcd.claim(SLOT)  # the slot is ours (and empty) before the desk watches it

    def make():
        settings = kiosk_central.settings
        desk = build_desk(
            settings,
            reader="pcsc",
            reader_name=READER,
            data_dir=tmp_path / "desk",
            kiosk=True,
            face=False,
        )
        window = KioskWindow(
            desk,
            languages,
            services=KioskServices(desk.client, settings),
            options=FAST,
            printer=DocumentPrinter(printed),
            voice=VoicePrompter(engine="mock", language="zh_CN"),
        )
        return open_windows.show(window, desk, size=KIOSK_SIZE, kiosk=True)

    return make


def test_a_citizen_gets_a_certificate_with_the_card_in_a_pcsc_reader(
    qtbot, make_pcsc_kiosk, vpcd, card_profile, seed, printed
):
    window, desk = make_pcsc_kiosk()
    open_kiosk(qtbot, window, seed)
    vpcd.attach(profile_path("c01"), SLOT)
    wait_page(qtbot, window, window.pin_page, timeout=TIMEOUT)
    assert window.pin_page.mode == "keypad"  # vpcd has no pinpad: the keypad on screen
    assert "剩余次数：3" in window.pin_page.body.text()
    enter_pin(qtbot, window, pin_of(card_profile, "c01"))
    wait_page(qtbot, window, window.consent_page, timeout=TIMEOUT)
    click(qtbot, window.consent_page.button("kioskDeclineButton"))
    wait_page(qtbot, window, window.menu_page)
    click(qtbot, window.menu_page.service_button("certificate"))
    wait_page(qtbot, window, window.result_page, timeout=TIMEOUT)
    assert window.result_page.heading.text() == "您的材料已办好"
    assert len(printed.files) == 1

    click(qtbot, window.result_page.button("kioskResultFinish"))
    wait_page(qtbot, window, window.take_card_page)
    assert_no_personal_data(window, desk, citizen(seed, "c01"))
    vpcd.detach(SLOT)
    wait_page(qtbot, window, window.welcome_page, timeout=TIMEOUT)
    assert [code for code, _ in spoken(window)][-2:] == ["take_card", "goodbye"]


def test_pulling_the_card_mid_flow_wipes_everything_at_once(
    qtbot, make_pcsc_kiosk, vpcd, card_profile, seed
):
    window, desk = make_pcsc_kiosk()
    open_kiosk(qtbot, window, seed)
    vpcd.attach(profile_path("c02"), SLOT)
    wait_page(qtbot, window, window.pin_page, timeout=TIMEOUT)
    enter_pin(qtbot, window, pin_of(card_profile, "c02"))
    wait_page(qtbot, window, window.consent_page, timeout=TIMEOUT)
    click(qtbot, window.consent_page.button("kioskDeclineButton"))
    wait_page(qtbot, window, window.menu_page)
    click(qtbot, window.menu_page.service_button("records"))
    wait_page(qtbot, window, window.records_page, timeout=TIMEOUT)
    assert window.records_page.model.rowCount() > 0  # the citizen's records on screen

    vpcd.detach(SLOT)  # the card is pulled out of the reader
    wait_page(qtbot, window, window.welcome_page, timeout=TIMEOUT)
    assert spoken(window)[-1][0] == "card_removed"
    assert_no_personal_data(window, desk, citizen(seed, "c02"))


def test_the_pin_is_keyed_on_the_readers_pinpad(
    qtbot, monkeypatch, make_pcsc_kiosk, vpcd, card_profile, seed
):
    import devices.card.pcsc

    pin = pin_of(card_profile, "c02")
    firmware = KeyedFirmware(["000000", "timeout", "cancel", pin])
    monkeypatch.setattr(devices.card.pcsc, "PcscCardReader", pinpad_reader(firmware))
    window, _desk = make_pcsc_kiosk()
    open_kiosk(qtbot, window, seed)
    link = vpcd.attach(profile_path("c02"), SLOT)
    page = window.pin_page

    def reader_waits(code: str) -> None:
        qtbot.waitUntil(lambda: page.code == code and firmware.waiting.is_set(), timeout=TIMEOUT)

    # The screen and the voice send the citizen to the reader's keypad; no keypad on screen.
    reader_waits("enter_pin_reader")
    assert page.mode == "pinpad" and not page.keypad.isVisible()
    assert page.heading.text() == "请在读卡器上输入密码"
    assert "剩余次数：3" in page.body.text()
    assert page.reader_hint.isVisible()
    assert page.button("kioskPinpadCancel").isVisible()
    assert spoken(window)[-1][0] == "enter_pin_reader"
    assert "读卡器" in spoken(window)[-1][1]
    shot(qtbot, window, "pin-reader")

    firmware.key()  # 000000: wrong; the reader asks again at once
    reader_waits("pinpad_wrong")
    assert page.heading.text() == "密码不正确"
    assert "剩余次数：2" in page.body.text()

    firmware.key()  # the reader gave up waiting: say so, and offer to try again
    qtbot.waitUntil(lambda: page.code == "pinpad_timeout", timeout=TIMEOUT)
    assert page.heading.text() == "输入密码已超时"
    assert page.mode == "pinpad_retry"
    click(qtbot, page.button("kioskPinpadRetry"))
    reader_waits("enter_pin_reader_unknown")
    firmware.key()  # the citizen pressed Cancel on the reader
    qtbot.waitUntil(lambda: page.code == "pinpad_cancelled", timeout=TIMEOUT)
    assert page.heading.text() == "密码输入已取消"
    click(qtbot, page.button("kioskPinpadRetry"))
    reader_waits("enter_pin_reader_unknown")
    firmware.key()  # the right PIN
    wait_page(qtbot, window, window.consent_page, timeout=TIMEOUT)

    assert len(firmware.requests) == 4
    assert link.emulator.tries_left == 3  # right PIN: the try counter is back to full
    for _, sentence in spoken(window):
        assert not re.search(r"\d", sentence), sentence
