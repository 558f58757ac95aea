"""The self-service kiosk driven through every service on the real training Desk, offscreen.

The Desk is the training one (embedded sandbox with the kiosk router, SimulatedCardReader,
sample photos, the real face worker). The printer is a real QPrinter printing to a PDF file in
the test's folder, or a printer name that does not exist (no printer). The voice is Qt's own
"mock" text-to-speech engine, which goes through the real speaking states silently.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from kiosk_pdf import pdf_qr_payloads, pdf_text
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPoint, Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QWidget,
)
from screenshots import save_screenshot

from desktop.kiosk import KioskOptions, KioskServices, parse_document_payload
from ui.qt.kiosk.documents import DocumentPrinter, default_printer_factory

NO_SUCH_PRINTER = "hall-counter-test-no-such-printer"
FAST = KioskOptions(card_reminder_seconds=2.0)
KIOSK_SIZE = (1366, 768)  # the commonest kiosk panel: screenshots are taken at this size


# --- fixtures and helpers ------------------------------------------------------------------


class PdfPrinterFactory:
    """Real QPrinters that print to numbered PDF files in the test's folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made = 0

    def __call__(self) -> QPrinter:
        # Also called to ask whether a printer is there: nothing is written until painted.
        self._made += 1
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.folder / f"printed-{self._made:03d}.pdf"))
        return printer

    @property
    def files(self) -> list[Path]:
        """The documents printed so far, in order."""
        return sorted(self.folder.glob("printed-*.pdf"))


@pytest.fixture
def printed(tmp_path) -> PdfPrinterFactory:
    folder = tmp_path / "printer"
    folder.mkdir()
    return PdfPrinterFactory(folder)


@pytest.fixture
def make_kiosk(qtbot, tmp_path, kiosk_central, sim_reader, languages, printed):
    """Build the kiosk window on a real training Desk; everything is stopped after the test."""
    from ui.app import build_desk
    from ui.qt.kiosk.speech import VoicePrompter
    from ui.qt.kiosk.window import KioskWindow

    made = []

    def make(*, options: KioskOptions = FAST, printer_factory=None):
        settings = kiosk_central.settings
        desk = build_desk(
            settings, reader="sim", sim_reader=sim_reader, data_dir=tmp_path / "desk", kiosk=True
        )
        window = KioskWindow(
            desk,
            languages,
            services=KioskServices(desk.client, settings),
            options=options,
            printer=DocumentPrinter(printer_factory or printed),
            voice=VoicePrompter(engine="mock", language="zh_CN"),
        )
        made.append((window, desk))
        desk.start()
        window.resize(*KIOSK_SIZE)
        window.show()
        qtbot.waitExposed(window)
        assert (window.width(), window.height()) == KIOSK_SIZE
        return window, desk

    yield make
    for window, desk in made:
        window.shutdown()
        window.allow_close()
        window.close()
        desk.stop()
        window.deleteLater()


def citizen(seed: dict, cid: str) -> dict:
    return next(c for c in seed["citizens"] if c["id"] == cid)


def pin_of(card_profile, cid: str) -> str:
    return json.loads(card_profile(cid).read_text(encoding="utf-8"))["pin"]


def click(qtbot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def wait_page(qtbot, window, page, timeout: int = 30000) -> None:
    qtbot.waitUntil(lambda: window.current_page is page, timeout=timeout)


def shot(qtbot, window, name: str) -> None:
    """Keep a picture of the screen for docs/kiosk.md."""
    qtbot.wait(250)  # let pending layout requests run before the picture
    save_screenshot(window, f"kiosk-{name}.png")


def open_kiosk(qtbot, window, seed, *, screenshot: bool = False) -> None:
    """A clerk opens the kiosk from the closed screen."""
    page = window.closed_page
    assert window.current_page is page
    if screenshot:
        shot(qtbot, window, "closed")
    password = next(s["password"] for s in seed["staff"] if s["username"] == "clerk01")
    qtbot.keyClicks(page.username, "clerk01")
    qtbot.keyClicks(page.password, password)
    click(qtbot, page.findChild(QAbstractButton, "kioskOpenButton"))
    wait_page(qtbot, window, window.welcome_page)
    assert page.password.text() == ""


def enter_pin(qtbot, window, pin: str) -> None:
    keypad = window.pin_page.keypad
    for digit in pin:
        click(qtbot, keypad.key_for(digit))
    dots = window.findChild(QLabel, "kioskPinDots").text()
    assert dots.count("●") == len(pin) and not re.search(r"\d", dots)
    click(qtbot, window.findChild(QAbstractButton, "kioskPinConfirm"))
    assert keypad.length == 0


def to_menu(qtbot, window, sim_reader, card_profile, cid: str, *, face: bool = True) -> None:
    """Card in, PIN, then the face check (or decline it): the services menu."""
    sim_reader.insert(card_profile(cid))
    wait_page(qtbot, window, window.pin_page)
    enter_pin(qtbot, window, pin_of(card_profile, cid))
    wait_page(qtbot, window, window.consent_page)
    name = "kioskAgreeButton" if face else "kioskDeclineButton"
    click(qtbot, window.consent_page.button(name))
    wait_page(qtbot, window, window.menu_page, timeout=180000)


def model_strings(model: QAbstractItemModel) -> list[str]:
    out = []
    roles = (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.EditRole,
    )

    def walk(parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                out.extend(str(model.data(index, role) or "") for role in roles)
                walk(index)

    walk(QModelIndex())
    for column in range(model.columnCount()):
        out.append(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
    return out


def widget_strings(window: QWidget) -> list[str]:
    """Every text the window's widgets and models hold."""
    texts = [window.windowTitle()]
    for widget in [window, *window.findChildren(QWidget)]:
        texts += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
        texts += [widget.statusTip(), widget.whatsThis()]
        if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts += model_strings(widget.model())
    for model in window.findChildren(QAbstractItemModel):
        texts += model_strings(model)
    return texts


def python_strings(obj, depth: int = 0, seen=None) -> list[str]:
    """The strings held in an object's attributes (containers, dataclasses, models)."""
    from pydantic import BaseModel
    from PySide6.QtCore import QObject

    seen = seen if seen is not None else set()
    if id(obj) in seen or depth > 6:
        return []
    seen.add(id(obj))
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, bytes):
        return [obj.decode("utf-8", "replace")]
    if isinstance(obj, dict):
        return [s for v in [*obj.keys(), *obj.values()] for s in python_strings(v, depth + 1, seen)]
    if isinstance(obj, list | tuple | set | frozenset):
        return [s for v in obj for s in python_strings(v, depth + 1, seen)]
    if isinstance(obj, BaseModel):
        return python_strings(obj.model_dump(mode="json"), depth + 1, seen)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return python_strings(vars(obj), depth + 1, seen)
    if isinstance(obj, QObject) and depth > 0:
        return []
    if hasattr(obj, "__dict__") and depth == 0:
        return python_strings(vars(obj), depth + 1, seen)
    return []


def assert_no_personal_data(window, desk, person: dict) -> None:
    secrets_ = (person["name"], person["ssn"], person["card_no"])
    texts = widget_strings(window)
    for page in window.all_pages():
        texts += python_strings(page)
    texts += python_strings(window)
    leaks = [t for t in texts if any(s in t for s in secrets_)]
    assert leaks == []
    assert desk.citizen is None
    assert window._session is None and window._record is None and window._records is None
    assert window.records_page.model.rowCount() == 0
    assert not window.face_page.has_picture


def spoken(window) -> list[tuple[str, str]]:
    return window.voice.history()


def central_case(qtbot, central, local_id: str) -> dict:
    """The case as the training central received it (its JSON body), once the outbox sent it."""
    import sqlite3

    from ui.app import SANDBOX_DB

    found: list[dict] = []

    def arrived() -> bool:
        db = sqlite3.connect(f"file:{central.data_dir / SANDBOX_DB}?mode=ro", uri=True)
        try:
            rows = db.execute("SELECT body FROM cases WHERE local_id = ?", (local_id,)).fetchall()
        finally:
            db.close()
        found[:] = [json.loads(body) for (body,) in rows]
        return bool(found)

    qtbot.waitUntil(arrived, timeout=30000)
    return found[-1]


# --- the services --------------------------------------------------------------------------


def test_contribution_records_then_take_card(
    qtbot, make_kiosk, sim_reader, card_profile, seed, printed
):
    window, desk = make_kiosk()
    assert window.voice.engine == "mock"
    open_kiosk(qtbot, window, seed, screenshot=True)
    assert window.welcome_page.heading.text() == "请插入社保卡"
    shot(qtbot, window, "welcome")

    c01 = citizen(seed, "c01")
    sim_reader.insert(card_profile("c01"))
    wait_page(qtbot, window, window.pin_page)
    assert "剩余次数：3" in window.pin_page.body.text()
    assert window.pin_page.keypad.digit_order() == "1234567890"  # the fixed layout
    shot(qtbot, window, "pin")
    enter_pin(qtbot, window, pin_of(card_profile, "c01"))
    wait_page(qtbot, window, window.consent_page)
    assert "不会保存" in window.consent_page.body.text()
    shot(qtbot, window, "consent")
    click(qtbot, window.consent_page.button("kioskAgreeButton"))
    wait_page(qtbot, window, window.menu_page, timeout=180000)
    assert window._face == "match"
    # Greeted by the masked name; three services, each one large button.
    greeting = window.menu_page.body.text()
    assert "**明" in greeting and c01["name"] not in greeting
    for code in ("records", "certificate", "pension_certification"):
        button = window.menu_page.service_button(code)
        assert button.isEnabled() and button.height() >= 90
    shot(qtbot, window, "menu")

    click(qtbot, window.menu_page.service_button("records"))
    wait_page(qtbot, window, window.records_page)
    model = window.records_page.model
    assert model.rowCount() > 10
    assert model.headerData(0, Qt.Orientation.Horizontal) == "年度"
    assert "累计缴费" in window.records_page.body.text()
    shot(qtbot, window, "records")

    click(qtbot, window.records_page.button("kioskPrintRecords"))
    wait_page(qtbot, window, window.result_page)
    assert window.result_page.heading.isVisible()
    assert window.result_page.heading.text() == "您的材料已办好"
    assert "请从屏幕下方出纸口取走" in window.result_page.body.text()
    assert len(printed.files) == 1 and printed.files[0].stat().st_size > 0
    shot(qtbot, window, "result")

    click(qtbot, window.result_page.button("kioskResultFinish"))
    wait_page(qtbot, window, window.take_card_page)
    assert window.take_card_page.heading.text() == "请取走您的社保卡"
    assert_no_personal_data(window, desk, c01)
    shot(qtbot, window, "take-card")
    sim_reader.remove()
    wait_page(qtbot, window, window.welcome_page)

    # What the voice was handed, in order; never a digit, a name or an ID number.
    codes = [code for code, _ in spoken(window)]
    for expected in ("insert_card", "reading", "enter_pin", "consent", "face_still", "menu"):
        assert expected in codes
    assert codes.index("enter_pin") < codes.index("consent") < codes.index("menu")
    assert codes[-2:] == ["take_card", "goodbye"]
    for _, sentence in spoken(window):
        assert not re.search(r"\d", sentence), sentence
        assert c01["name"] not in sentence and c01["ssn"] not in sentence


def test_certificate_is_printed_and_verifiable(
    qtbot, make_kiosk, sim_reader, card_profile, seed, printed
):
    window, _desk = make_kiosk()
    open_kiosk(qtbot, window, seed)
    c02 = citizen(seed, "c02")
    to_menu(qtbot, window, sim_reader, card_profile, "c02")
    click(qtbot, window.menu_page.service_button("certificate"))
    wait_page(qtbot, window, window.result_page)
    assert window.result_page.heading.text() == "您的材料已办好"

    pdf = printed.files[0].read_bytes()
    text = pdf_text(pdf)
    for expected in ("参保证明", c02["name"], c02["ssn"], "培训模式", "城镇职工基本养老保险"):
        assert expected in text, expected
    number = re.search(r"证明编号: (ZM\d{14})", text).group(1)
    assert number in window.result_page.body.text()
    (payload,) = pdf_qr_payloads(pdf)
    checked = window.services.check_document(*parse_document_payload(payload)).result(30)
    assert checked.valid and checked.number == number and checked.kind == "certificate"


def test_pension_certification_case_with_receipt(
    qtbot, make_kiosk, sim_reader, card_profile, seed, printed, kiosk_central
):
    window, desk = make_kiosk()
    open_kiosk(qtbot, window, seed)
    sim_reader.insert(card_profile("c04"))
    wait_page(qtbot, window, window.pin_page)
    enter_pin(qtbot, window, pin_of(card_profile, "c04"))
    wait_page(qtbot, window, window.consent_page)
    # Training has no camera: the desk's camera plays the sample photo, a still picture. No
    # challenge is asked, and the screen says plainly that liveness is not checked.
    assert not window.liveness_checked
    click(qtbot, window.consent_page.button("kioskAgreeButton"))
    wait_page(qtbot, window, window.face_page)
    assert window.face_page.heading.text() == "请看摄像头"
    assert window.face_page.code == "face_still"
    caption = window.findChild(QLabel, "kioskFaceCaption").text()
    assert "样例照片" in caption and "未检测活体" in caption
    wait_page(qtbot, window, window.menu_page, timeout=180000)
    assert window._face == "match"
    assert desk.citizen.face.liveness == "not_checked"  # what the case records

    click(qtbot, window.menu_page.service_button("pension_certification"))
    wait_page(qtbot, window, window.question_page)
    assert window.question_page.heading.text() == "居住地"
    shot(qtbot, window, "question")
    click(qtbot, window.question_page.answer_button("local"))
    wait_page(qtbot, window, window.result_page, timeout=60000)
    assert window.result_page.heading.text() == "办理成功：您的申请已受理"
    local = re.search(r"W01-\d{8}-\d{4}", window.result_page.body.text()).group(0)
    text = pdf_text(printed.files[0].read_bytes())
    assert "回执" in text and local in text and "养老保险待遇资格认证" in text
    assert "王建国" not in text  # the receipt names the applicant masked
    counts = desk.outbox.counts()
    assert sum(counts.values()) == 1
    face = central_case(qtbot, kiosk_central, local)["identity"]["face"]
    assert (face["decision"], face["liveness"]) == ("match", "not_checked")

    # Another service from the result: the certificate needs no new PIN.
    click(qtbot, window.result_page.button("kioskResultMenu"))
    wait_page(qtbot, window, window.menu_page)


def test_card_loss_report_asks_one_question_per_screen(
    qtbot, make_kiosk, sim_reader, card_profile, seed
):
    window, desk = make_kiosk()
    open_kiosk(qtbot, window, seed)
    # The loss report needs only the PIN: declining the face check leaves it available.
    to_menu(qtbot, window, sim_reader, card_profile, "c05", face=False)
    pension = window.menu_page.service_button("pension_certification")
    assert not pension.isEnabled()
    assert "人脸核验" in window.menu_page.service_text("pension_certification")  # in words
    click(qtbot, window.menu_page.service_button("card_loss_report"))
    wait_page(qtbot, window, window.question_page)
    assert window.question_page.heading.text() == "挂失类型"
    click(qtbot, window.question_page.answer_button("temporary"))
    qtbot.waitUntil(lambda: window.question_page.heading.text() == "同时申请补卡")
    click(qtbot, window.question_page.answer_button(False))
    wait_page(qtbot, window, window.result_page, timeout=60000)
    assert window.result_page.heading.text() == "办理成功：您的申请已受理"
    assert sum(desk.outbox.counts().values()) == 1


def test_no_printer_sends_the_citizen_to_staff_and_leaves_no_file(
    qtbot, make_kiosk, sim_reader, card_profile, seed, tmp_path
):
    window, _desk = make_kiosk(printer_factory=default_printer_factory(NO_SUCH_PRINTER))
    open_kiosk(qtbot, window, seed)
    to_menu(qtbot, window, sim_reader, card_profile, "c01", face=False)
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    click(qtbot, window.menu_page.service_button("certificate"))
    wait_page(qtbot, window, window.result_page)
    assert window.result_page.heading.text() == "本机暂时无法打印"
    assert "工作人员" in window.result_page.body.text()
    shot(qtbot, window, "no-printer")
    assert ("no_printer", spoken(window)[-1][1]) == spoken(window)[-1]
    # Nothing was written anywhere in the test's folders (data dir, home, printer).
    c01 = citizen(seed, "c01")
    new = {p for p in tmp_path.rglob("*") if p.is_file()} - before
    assert not [p for p in new if p.suffix == ".pdf"]
    for path in new:
        if "kiosk-central" in path.parts:
            continue  # central's database holds its own records
        data = path.read_bytes()
        assert c01["name"].encode() not in data and c01["ssn"].encode() not in data, path


# --- PIN, card and idle ------------------------------------------------------------------------


def test_wrong_pin_then_blocked_sends_to_staff(qtbot, make_kiosk, sim_reader, card_profile, seed):
    window, _desk = make_kiosk()
    open_kiosk(qtbot, window, seed)
    sim_reader.insert(card_profile("c03"))
    for left in (2, 1):
        wait_page(qtbot, window, window.pin_page)
        enter_pin(qtbot, window, "000000")
        qtbot.waitUntil(
            lambda left=left: window.pin_page.body.text().startswith(f"剩余次数：{left}"),
            timeout=20000,
        )
        assert window.pin_page.heading.text() == "密码不正确"
    enter_pin(qtbot, window, "000000")
    wait_page(qtbot, window, window.result_page)
    assert window.result_page.heading.text() == "您的社保卡密码已锁定"
    assert not window.result_page.button("kioskResultMenu").isVisible()
    for code, sentence in spoken(window):
        assert not re.search(r"\d", sentence), (code, sentence)


def test_shuffled_keypad_is_a_new_layout_each_time(
    qtbot, make_kiosk, sim_reader, card_profile, seed
):
    window, _desk = make_kiosk(options=dataclasses.replace(FAST, keypad="shuffled"))
    keypad = window.pin_page.keypad
    orders = set()
    for _ in range(5):
        keypad.arrange()
        order = keypad.digit_order()
        assert sorted(order) == sorted("1234567890")
        orders.add(order)
    assert len(orders) > 1  # five identical shuffles of ten keys: about 1 in 10**26

    open_kiosk(qtbot, window, seed)
    to_menu(qtbot, window, sim_reader, card_profile, "c05", face=False)


def test_pulling_the_card_resets_at_once(qtbot, make_kiosk, sim_reader, card_profile, seed):
    window, desk = make_kiosk()
    open_kiosk(qtbot, window, seed)
    to_menu(qtbot, window, sim_reader, card_profile, "c01", face=False)
    sim_reader.remove()
    wait_page(qtbot, window, window.welcome_page)
    assert spoken(window)[-1][0] == "card_removed"
    assert_no_personal_data(window, desk, citizen(seed, "c01"))


def test_idle_reset_wipes_every_widget_and_model(qtbot, make_kiosk, sim_reader, card_profile, seed):
    options = dataclasses.replace(FAST, idle_seconds=1.0, still_there_seconds=2.0)
    window, desk = make_kiosk(options=options)
    open_kiosk(qtbot, window, seed)
    c02 = citizen(seed, "c02")
    to_menu(qtbot, window, sim_reader, card_profile, "c02", face=False)

    # "Still there?" then "I am still here": back where the citizen was.
    wait_page(qtbot, window, window.still_there_page, timeout=10000)
    assert window.still_there_page.heading.text() == "您还在吗？"
    click(qtbot, window.still_there_page.button("kioskStillHereButton"))
    assert window.current_page is window.menu_page

    # The records on screen, then nobody answers.
    click(qtbot, window.menu_page.service_button("records"))
    wait_page(qtbot, window, window.records_page)
    assert window.records_page.model.rowCount() > 0
    wait_page(qtbot, window, window.still_there_page, timeout=10000)
    shot(qtbot, window, "still-there")
    wait_page(qtbot, window, window.take_card_page, timeout=10000)

    # The card was left in the reader: spoken reminders, again and again, until it is out.
    assert spoken(window)[-1][0] == "take_card"
    qtbot.waitUntil(lambda: [c for c, _ in spoken(window)][-2:] == ["take_card"] * 2, timeout=8000)
    assert_no_personal_data(window, desk, c02)
    sim_reader.remove()
    wait_page(qtbot, window, window.welcome_page)


def test_speech_reaches_the_engine(qtbot, make_kiosk, seed):
    window, _desk = make_kiosk()
    voice = window.voice
    assert voice.available and voice.engine == "mock"
    open_kiosk(qtbot, window, seed)
    # The mock engine goes through the speaking state like a real one.
    assert spoken(window)[-1][0] == "insert_card"
    qtbot.waitUntil(lambda: voice.speaking, timeout=5000)


def test_speech_falls_back_to_written_prompts(qapp):
    from ui.qt.kiosk.speech import VoicePrompter

    silent = VoicePrompter(enabled=False)
    assert not silent.available
    silent.say("take_card", "请取走您的社保卡。", important=True)  # rings the bell instead
    assert silent.history() == [("take_card", "请取走您的社保卡。")]
    silent.deleteLater()


# --- staff, admin and the lockdown -----------------------------------------------------------


def test_call_staff_on_every_screen(qtbot, make_kiosk, sim_reader, card_profile, seed):
    window, _desk = make_kiosk()
    button = window.findChild(QAbstractButton, "kioskCallStaffButton")
    open_kiosk(qtbot, window, seed)
    sim_reader.insert(card_profile("c01"))
    wait_page(qtbot, window, window.pin_page)
    assert button.isVisible() and button.text() == "呼叫工作人员"
    click(qtbot, button)
    message = window.findChild(QLabel, "kioskStaffCallMessage")
    qtbot.waitUntil(lambda: "工作人员马上就到" in message.text(), timeout=20000)
    assert spoken(window)[-1][0] == "staff_called"
    shot(qtbot, window, "staff-called")


def test_admin_corner_then_admin_sign_in_exits(qtbot, make_kiosk, seed):
    window, _desk = make_kiosk()
    passwords = {s["username"]: s["password"] for s in seed["staff"]}
    open_kiosk(qtbot, window, seed)

    # Close requests are refused while serving; Escape and Ctrl+Q do nothing.
    assert not window.close()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert window.isVisible()

    # Taps elsewhere do not count; five in the corner open the admin sign-in.
    for _ in range(5):
        qtbot.mouseClick(window, Qt.MouseButton.LeftButton, pos=window.rect().center())
    assert window.current_page is window.welcome_page
    corner = window.rect().topLeft() + QPoint(10, 10)
    for _ in range(5):
        qtbot.mouseClick(window, Qt.MouseButton.LeftButton, pos=corner)
    wait_page(qtbot, window, window.admin_page)
    page = window.admin_page

    qtbot.keyClicks(page.username, "clerk01")
    qtbot.keyClicks(page.password, passwords["clerk01"])
    click(qtbot, page.findChild(QAbstractButton, "kioskAdminSignIn"))
    qtbot.waitUntil(lambda: "管理员" in page.findChild(QLabel, "kioskAdminMessage").text())
    shot(qtbot, window, "admin")

    qtbot.keyClicks(page.username, "admin01")
    qtbot.keyClicks(page.password, passwords["admin01"])
    click(qtbot, page.findChild(QAbstractButton, "kioskAdminSignIn"))
    qtbot.waitUntil(lambda: page.button("kioskAdminExit").isVisible(), timeout=20000)
    with qtbot.waitSignal(window.exit_requested, timeout=5000):
        click(qtbot, page.button("kioskAdminExit"))
    assert not window.isVisible()


def test_elderly_friendly_sizes(qtbot, make_kiosk, sim_reader, card_profile, seed):
    window, _desk = make_kiosk()
    open_kiosk(qtbot, window, seed)
    to_menu(qtbot, window, sim_reader, card_profile, "c05", face=False)
    # The busy screen passes quickly in a real flow; shown here on its own for a look.
    window.busy_page.set_prompt("reading")
    window.pages.setCurrentWidget(window.busy_page)
    shot(qtbot, window, "busy")
    for page in (window.welcome_page, window.menu_page, window.pin_page, window.consent_page):
        window.pages.setCurrentWidget(page)
        qtbot.wait(50)
        for label in window.findChildren(QLabel):
            if label.isVisible() and label.text():
                assert QFontInfo(label.font()).pointSizeF() >= 24, label.objectName()
        for button in window.findChildren(QAbstractButton):
            if button.isVisible():
                assert button.height() >= TOUCH_MIN_PX, button.objectName()
                assert QFontInfo(button.font()).pointSizeF() >= 24, button.objectName()


def test_kiosk_in_english(qtbot, make_kiosk, sim_reader, card_profile, seed):
    window, _desk = make_kiosk()
    open_kiosk(qtbot, window, seed)
    button = window.findChild(QAbstractButton, "kioskLanguageButton")
    assert button.text() == "English"  # the other language, named in itself
    click(qtbot, button)
    qtbot.waitUntil(lambda: window.welcome_page.heading.text().startswith("Please insert"))
    assert window.findChild(QAbstractButton, "kioskCallStaffButton").text() == "Call staff"
    assert button.text() == "中文"
    shot(qtbot, window, "welcome-en")
    click(qtbot, button)
    qtbot.waitUntil(lambda: window.welcome_page.heading.text() == "请插入社保卡")


# --- layout: every screen on a 1366 x 768 panel ------------------------------------------------

TOUCH_MIN_PX = 72  # the smallest button: about 19 mm on a 15.6-inch 1366 x 768 panel
TEXT_MIN_PT = 24


def layout_problems(window) -> list[str]:
    """What does not fit on the screen now shown: the window grew past the panel, a widget lies
    outside it or is squeezed below what its text needs, text below 24 pt, small buttons."""
    from PySide6.QtWidgets import QApplication, QComboBox

    # Full screen on the panel: the window is held at its size, as the screen holds it. A
    # layout that needs more room makes the window refuse the size.
    QApplication.processEvents()
    window.resize(*KIOSK_SIZE)
    QApplication.processEvents()
    problems = []
    if (window.width(), window.height()) != KIOSK_SIZE:
        problems.append(f"window is {window.width()}x{window.height()}")
    frame = window.rect()
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.width() == 0:
            continue
        name = widget.objectName() or type(widget).__name__
        text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
        where = widget.rect().translated(widget.mapTo(window, QPoint(0, 0)))
        if not frame.contains(where):
            problems.append(f"{name} {text[:20]!r} outside the window: {where}")
        if isinstance(widget, QLabel) and text:
            if widget.wordWrap():
                need_h = widget.heightForWidth(widget.width())
                if widget.height() < need_h:
                    problems.append(f"{name} {text[:20]!r} cut: {widget.height()} < {need_h}")
            elif widget.width() < widget.minimumSizeHint().width() and widget.pixmap().isNull():
                problems.append(f"{name} {text[:20]!r} too narrow for its text")
        if isinstance(widget, QAbstractButton | QComboBox | QLineEdit):
            hint = widget.sizeHint() if isinstance(widget, QAbstractButton) else None
            if hint is not None and widget.width() < hint.width():
                problems.append(f"{name} {text[:20]!r} too narrow: {widget.width()} < {hint}")
            if isinstance(widget, QAbstractButton) and widget.height() < TOUCH_MIN_PX:
                problems.append(f"{name} {text[:20]!r} too small to touch: {widget.height()}")
        if (text or isinstance(widget, QComboBox | QLineEdit)) and (
            QFontInfo(widget.font()).pointSizeF() < TEXT_MIN_PT
        ):
            problems.append(f"{name} {text[:20]!r} below {TEXT_MIN_PT} pt")
    return problems


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_screen_fits_a_1366x768_panel(
    qtbot, make_kiosk, sim_reader, card_profile, seed, languages, language
):
    window, _desk = make_kiosk()
    window.attach_training_cards(sim_reader)  # training's sample cards, in a drawer
    languages.set_language(language)
    suffix = "" if language == "zh_CN" else "-en"
    seen: dict[str, list[str]] = {}

    def check(name: str, *, picture: str | None = None) -> None:
        seen[name] = layout_problems(window)
        if picture and not suffix:
            shot(qtbot, window, picture)

    check("closed")
    open_kiosk(qtbot, window, seed)
    check("welcome")
    click(qtbot, window.cards_button)  # the drawer opens over the screen
    assert window.card_drawer.isVisible()
    check("card drawer", picture="card-drawer")
    click(qtbot, window.card_tray.insert_button)  # a card goes in, the drawer closes
    assert not window.card_drawer.isVisible()
    wait_page(qtbot, window, window.pin_page)
    check("pin")
    page = window.pin_page
    for mode, code in (("pinpad", "enter_pin_reader"), ("pinpad_retry", "pinpad_cancelled")):
        page.set_mode(mode)
        page.set_prompt(code, tries=2)
        check(f"pin {mode}")
    page.set_mode("keypad")
    page.set_prompt("enter_pin", tries=3)
    enter_pin(qtbot, window, pin_of(card_profile, "c01"))
    wait_page(qtbot, window, window.consent_page)
    check("consent")
    click(qtbot, window.consent_page.button("kioskDeclineButton"))
    wait_page(qtbot, window, window.menu_page)
    check("menu")

    # The face screens, as a live check and training's still photo show them.
    face = window.face_page
    window.pages.setCurrentWidget(face)
    face.start(sample=False)
    face.set_prompt("challenge", action="turn_right")
    face.set_advice("move_closer")
    check("face live")
    face.start(sample=True)
    face.set_prompt("face_still")
    check("face training", picture="face-training")
    face.stop()

    window.pages.setCurrentWidget(window.menu_page)
    click(qtbot, window.menu_page.service_button("records"))
    wait_page(qtbot, window, window.records_page)
    check("records")
    click(qtbot, window.records_page.button("kioskBackToMenu"))
    wait_page(qtbot, window, window.menu_page)
    click(qtbot, window.menu_page.service_button("card_loss_report"))
    wait_page(qtbot, window, window.question_page)
    check("question")
    window._show_result(
        "case_done",
        local="W01-20260101-0001",
        printed=window.tr(
            "This kiosk cannot print right now; a service window can print it for you."
        ),
    )
    check("result")
    window._needs_staff(window.tr("Needs the face check: please go to a service window."))
    check("needs staff")
    for page, code, values in (
        (window.busy_page, "reading", {}),
        (window.still_there_page, "still_there", {"seconds": 20}),
        (window.take_card_page, "take_card", {}),
        (window.welcome_page, "reader_missing", {}),
    ):
        page.set_prompt(code, **values)
        window.pages.setCurrentWidget(page)
        check(code)
    window.still_there_page.show_actions(["kioskStillHereButton"])
    window.pages.setCurrentWidget(window.still_there_page)
    check("still there")
    window._on_admin_requested()
    check("admin")
    window.admin_page.set_signed_in("admin01")
    check("admin signed in")
    window.admin_page.clear()
    window._on_call_staff()
    message = window.findChild(QLabel, "kioskStaffCallMessage")
    qtbot.waitUntil(lambda: bool(message.text()), timeout=20000)
    check("staff called")

    bad = [f"{name}: {problem}" for name, found in seen.items() for problem in found]
    assert bad == [], "\n".join(bad)
