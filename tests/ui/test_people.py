"""The people side of the clerk window: idle lock, second sign-in step, the supervisors' approval
inbox and alerts, co-signing with the hall's reasons or deferring to the inbox.

Everything is real: the embedded sandbox on loopback with the security tests' seed (two more
staff members with second factors, a second workstation), the Desk built by ``ui.app``, the
simulated card reader; the idle clock is the only thing the test moves by hand.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
from concurrent.futures import Future

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QWidget
from screenshots import save_screenshot
from security_support import CARDS, FORM, PASSWORDS, PINS, DeskRig, write_seed

from desktop.auth import SecurityPolicy
from desktop.errors import DeskError
from desktop.resources import resource_path

W02 = {"id": "W02", "secret": "w02-training-secret", "name": "2号窗口"}


def click(qtbot, widget: QWidget) -> None:
    """A left click on a visible, enabled widget."""
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def shown_texts(window: QWidget) -> list[str]:
    """The texts of every label and field on screen now."""
    widgets = [*window.findChildren(QLabel), *window.findChildren(QLineEdit)]
    return [w.text() for w in widgets if w.isVisible()]


def all_texts(window: QWidget) -> list[str]:
    """The texts every label and field holds, shown or not."""
    return [w.text() for w in [*window.findChildren(QLabel), *window.findChildren(QLineEdit)]]


class FrozenClock:
    """The desk's idle clock, moved by the test only."""

    def __init__(self) -> None:
        self.now = 1000.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


class PhotoCamera:
    """A camera that always sees one photo (the real camera is not built yet)."""

    def __init__(self, photo: bytes) -> None:
        self.photo = photo
        self.captured = 0

    def capture(self, _subject) -> Future:
        self.captured += 1
        future: Future = Future()
        future.set_result(self.photo)
        return future

    def stop(self) -> None:
        pass


@pytest.fixture
def people_seed(tmp_path):
    """The security seed (super02 with a face, clerk02 with a card) and a workstation W02."""
    path = write_seed(tmp_path)
    seed = json.loads(path.read_text(encoding="utf-8"))
    seed["workstations"].append(W02)
    path.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def rig(tmp_path, people_seed):
    """The sandbox and a clerk's desk (W01) on it, driven through the Desk API."""
    with DeskRig(tmp_path / "w01", seed=people_seed) as running:
        yield running


@pytest.fixture
def make_window(tmp_path, rig, sim_reader, languages, open_windows):
    """The clerk window on its own desk (W02) against the rig's sandbox."""
    from ui.app import build_desk, training_settings
    from ui.qt.clerk_window import ClerkWindow

    made = []

    def make(*, policy: SecurityPolicy | None = None, camera=None, face: bool = False):
        settings = dataclasses.replace(
            training_settings(rig.url),
            workstation_id=W02["id"],
            workstation_secret=W02["secret"],
            security=policy or SecurityPolicy(),
        )
        desk = build_desk(
            settings,
            reader="sim",
            sim_reader=sim_reader,
            data_dir=tmp_path / f"w02-{len(made)}",
            face=face,
            heartbeat_seconds=None,
        )
        window = ClerkWindow(desk, languages, camera=camera)
        made.append(window)
        return open_windows.show(window, desk)

    return make


def type_credentials(qtbot, window, username: str) -> None:
    page = window.sign_in_page
    page.username.setText("")
    qtbot.keyClicks(page.username, username)
    qtbot.keyClicks(page.password, PASSWORDS[username])
    click(qtbot, page._button)


def sign_in(qtbot, window, username: str) -> None:
    type_credentials(qtbot, window, username)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.serve_page, timeout=20000)
    panel = window.serve_page.service_panel
    qtbot.waitUntil(lambda: len(panel.services()) > 0, timeout=20000)


def insert_and_wait(qtbot, window, sim_reader, card: str) -> None:
    sim_reader.insert(CARDS / f"{card}.json")
    qtbot.waitUntil(lambda: window.serve_page.card_panel.state == "ready", timeout=30000)


def parked_case(rig: DeskRig, clerk: str = "clerk01") -> tuple[str, str]:
    """A case needing approval sent by the rig's desk without a co-signature: (local, central)."""
    rig.sign_in(clerk)
    session = rig.citizen("c01")
    assert rig.desk.verify_pin(session, PINS["c01"]).result(30).status == "ok"
    rig.desk.decline_face(session)
    form = {**FORM, "amount": 6000}
    queued = rig.desk.submit(session, "unemployment_benefit", form, defer_approval=True).result(30)
    rig.desk.end_citizen()
    rig.reader.remove()
    sent = rig.listener.wait_for("on_case_sent", count=len(rig.listener.named("on_case_sent")) + 1)
    return queued.local_id, next(e[2] for e in sent if e[1] == queued.local_id)


# --- the idle lock ---------------------------------------------------------------------------


def test_idle_lock_covers_the_citizen_and_asks_for_the_same_password(
    qtbot, make_window, sim_reader
):
    # 0.3 s of idle time on a clock only the test moves.
    window, desk = make_window(policy=SecurityPolicy(idle_lock_minutes=0.005))
    clock = FrozenClock()
    desk.guard.monotonic = clock
    sign_in(qtbot, window, "clerk01")
    insert_and_wait(qtbot, window, sim_reader, "c01")
    name = "张伟明"
    assert any(name in text for text in shown_texts(window))

    # Input in the window keeps the desk awake: without the touch this call would be refused.
    clock.advance(0.2)
    touches = window.activity.touches
    QApplication.sendEvent(
        window.serve_page,
        QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier),
    )
    assert window.activity.touches == touches + 1
    clock.advance(0.2)
    desk.pin_tries_left().result(10)  # raises session_locked if the idle time had passed
    assert desk.locked is None

    clock.advance(1.0)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.lock_screen, timeout=10000)
    assert desk.locked == "idle"
    assert not window.serve_page.isVisible()
    texts = shown_texts(window)
    for secret in (name, "110105196210150016", "110105********0016", "A10000011"):
        assert not any(secret in text for text in texts), secret
    assert "锁定" in window.lock_screen._heading.text()
    save_screenshot(window, "lock-screen.png")
    # The citizen is kept for the same clerk behind the lock.
    assert desk.citizen is not None

    # A wrong password keeps it locked, with a plain message.
    qtbot.keyClicks(window.lock_screen.password, "not-the-password")
    click(qtbot, window.lock_screen.unlock_button)
    assert window.lock_screen.password.text() == ""
    qtbot.waitUntil(lambda: window.lock_screen.message() != "", timeout=20000)
    assert "密码" in window.lock_screen.message()
    assert desk.locked == "idle"
    assert window.pages.currentWidget() is window.lock_screen

    qtbot.keyClicks(window.lock_screen.password, PASSWORDS["clerk01"])
    click(qtbot, window.lock_screen.unlock_button)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.serve_page, timeout=20000)
    assert desk.locked is None
    assert any(name in text for text in shown_texts(window))


def test_signing_out_from_the_lock_screen_wipes_the_citizen(qtbot, make_window, sim_reader):
    window, desk = make_window()
    sign_in(qtbot, window, "clerk01")
    insert_and_wait(qtbot, window, sim_reader, "c01")
    click(qtbot, window.lock_button)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.lock_screen, timeout=10000)
    assert desk.locked == "manual"
    # While locked the desk refuses everything, whatever the window does.
    with pytest.raises(DeskError) as info:
        desk.begin_citizen().result(10)
    assert info.value.code == "session_locked"

    click(qtbot, window.lock_screen.sign_out_button)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.sign_in_page, timeout=10000)
    assert desk.staff is None and desk.citizen is None and desk.locked is None
    for secret in ("张伟明", "110105196210150016", "110105********0016"):
        assert not any(secret in text for text in all_texts(window)), secret
    assert not window.lock_button.isVisible()


def test_input_counts_at_most_once_per_interval_and_only_while_active(qtbot):
    from ui.qt.widgets.lock_screen import ActivityFilter

    clock = FrozenClock()
    touched: list[float] = []
    active = [True]
    activity = ActivityFilter(
        lambda: touched.append(clock()), lambda: active[0], interval=2.0, clock=clock
    )
    widget = QLineEdit()
    qtbot.addWidget(widget)
    app = QApplication.instance()
    app.installEventFilter(activity)
    try:
        for _ in range(3):
            qtbot.keyClick(widget, Qt.Key.Key_A)
        assert touched == [1000.0]
        clock.advance(2.0)
        qtbot.keyClick(widget, Qt.Key.Key_B)
        assert touched == [1000.0, 1002.0]
        assert widget.text() == "aaab"  # the input itself is not eaten
        active[0] = False  # nobody signed in, or locked
        clock.advance(10.0)
        qtbot.keyClick(widget, Qt.Key.Key_C)
        assert touched == [1000.0, 1002.0]
    finally:
        app.removeEventFilter(activity)


# --- the second sign-in step ---------------------------------------------------------------------


def test_second_step_with_the_staff_card_and_its_pin(qtbot, make_window, sim_reader):
    window, desk = make_window(policy=SecurityPolicy(second_factor="card_pin"))
    page = window.sign_in_page
    type_credentials(qtbot, window, "clerk02")
    qtbot.waitUntil(lambda: page.second_factor == "card_pin", timeout=20000)
    assert page.factor_box.isVisible() and not page.password.isVisible()
    assert window.pages.currentWidget() is page
    assert desk.staff.second_factor == "card_pin"

    sim_reader.insert(CARDS / "c04.json")  # clerk02's own card
    qtbot.keyClicks(page.pin, "000000")
    click(qtbot, page.factor_button)
    assert page.pin.text() == ""
    qtbot.waitUntil(lambda: "2" in page._message_label.text(), timeout=20000)
    assert "密码错误" in page._message_label.text() or "PIN" in page._message_label.text()
    assert window.pages.currentWidget() is page

    qtbot.keyClicks(page.pin, PINS["c04"])
    click(qtbot, page.factor_button)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.serve_page, timeout=20000)
    assert desk.staff.second_factor is None


def test_second_step_cancelled_signs_out(qtbot, make_window):
    window, desk = make_window(policy=SecurityPolicy(second_factor="card_pin"))
    page = window.sign_in_page
    type_credentials(qtbot, window, "clerk02")
    qtbot.waitUntil(lambda: page.second_factor == "card_pin", timeout=20000)
    click(qtbot, page.factor_cancel_button)
    assert desk.staff is None
    assert page.second_factor is None and page.username.isVisible()


@pytest.mark.slow
def test_second_step_with_the_staff_members_face(qtbot, make_window):
    faces = resource_path("sandbox", "faces")
    camera = PhotoCamera((faces / "c01-probe.jpg").read_bytes())  # somebody else
    window, desk = make_window(
        policy=SecurityPolicy(second_factor="face"), camera=camera, face=True
    )
    page = window.sign_in_page
    type_credentials(qtbot, window, "super02")
    qtbot.waitUntil(lambda: page.second_factor == "face", timeout=20000)
    click(qtbot, page.factor_button)
    qtbot.waitUntil(lambda: page._message_label.text() != "", timeout=120000)
    assert window.pages.currentWidget() is page and desk.staff.second_factor == "face"

    camera.photo = (faces / "c05-probe.jpg").read_bytes()  # super02's reference is c05's
    click(qtbot, page.factor_button)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.serve_page, timeout=120000)
    assert camera.captured == 2 and desk.staff.second_factor is None


# --- the approval inbox ------------------------------------------------------------------------


def open_inbox(qtbot, window):
    click(qtbot, window.approvals_button)
    view = window.approvals_view
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view._inbox is not None, timeout=20000)
    return view


def test_a_clerk_sees_no_supervisor_tools(qtbot, make_window):
    window, _desk = make_window()
    sign_in(qtbot, window, "clerk01")
    assert window.lock_button.isVisible()
    assert not window.approvals_button.isVisible() and not window.alerts_button.isVisible()


def test_the_inbox_shows_another_desks_case_as_it_arrives_and_approves_it(qtbot, make_window, rig):
    window, _desk = make_window()
    sign_in(qtbot, window, "super01")
    view = open_inbox(qtbot, window)
    assert view.items() == []
    assert "没有" in view._intro.text()

    local_id, case_id = parked_case(rig)  # on the other desk, W01
    qtbot.waitUntil(lambda: any(i.case_id == case_id for i in view.items()), timeout=30000)
    assert view.is_new(case_id, 1)
    row = [view.table.item(0, c).text() for c in range(view.table.columnCount())]
    assert local_id in row[0] and "新" in row[0]
    assert row[2] == "clerk01" and row[3] == "W01"
    assert "失业" in row[1]  # the service's name, not its code
    assert "人脸" in row[5]  # why: the face check was declined

    assert view.select(case_id, 1)
    view.reason.choose("resident_id_checked")
    save_screenshot(view, "approval-inbox.png")
    click(qtbot, view.approve_button)
    qtbot.waitUntil(lambda: "批准" in view.message(), timeout=20000)
    qtbot.waitUntil(lambda: view.items() == [], timeout=20000)
    answer = rig.desk.client._request("GET", f"/v1/cases/{case_id}", token=_token(rig))
    stages = answer.json()["approvals"]
    assert stages[0]["decided_by"] == "super01" and stages[0]["status"] == "approved"
    assert stages[0]["reason"] == "已核验居民身份证原件"


def _token(rig) -> str:
    from security_support import Http

    http = Http(rig.url)
    try:
        return http.login("super02")
    finally:
        http.close()


def test_a_supervisor_cannot_approve_their_own_case(qtbot, make_window, rig):
    window, _desk = make_window()
    sign_in(qtbot, window, "super01")
    view = open_inbox(qtbot, window)
    _local, case_id = parked_case(rig, clerk="super01")  # super01 made it at W01
    qtbot.waitUntil(lambda: any(i.case_id == case_id for i in view.items()), timeout=30000)
    assert view.select(case_id, 1)
    row = view.table.currentRow()
    assert "本人" in view.table.item(row, 8).text()

    qtbot.keyClicks(view.reason.typed, "ok")
    click(qtbot, view.approve_button)
    qtbot.waitUntil(lambda: view.message() != "", timeout=20000)
    assert "本人" in view.message() and "不能" in view.message()
    assert any(i.case_id == case_id for i in view.items())


def test_a_decision_needs_a_reason_and_the_first_decision_wins(qtbot, make_window, rig):
    from security_support import Http

    window, _desk = make_window()
    sign_in(qtbot, window, "super01")
    view = open_inbox(qtbot, window)
    _local, case_id = parked_case(rig)
    qtbot.waitUntil(lambda: any(i.case_id == case_id for i in view.items()), timeout=30000)
    view.select(case_id, 1)
    click(qtbot, view.reject_button)
    assert "理由" in view.message()
    assert any(i.case_id == case_id for i in view.items())

    # Another supervisor decides first, elsewhere; this view has not heard of it yet.
    view.reason.typed.insert("材料不全")  # QTest cannot type CJK (it aborts)
    http = Http(rig.url)
    try:
        answer = http.decide(http.login("super02"), case_id, 1, "approved", "ok")
        assert answer.status_code == 200, answer.text
    finally:
        http.close()
    click(qtbot, view.reject_button)
    qtbot.waitUntil(lambda: "他人" in view.message(), timeout=20000)
    qtbot.waitUntil(lambda: view.items() == [], timeout=20000)


# --- co-signing at the desk ----------------------------------------------------------------------


def _pension_case_to_cosign(qtbot, window) -> object:
    from PySide6.QtWidgets import QComboBox

    page = window.serve_page
    decline = window.findChild(QPushButton, "faceDeclineButton")
    if decline.isVisible():  # the first case of this citizen; the decline holds for the next
        click(qtbot, decline)
    picker = window.findChild(QComboBox, "servicePicker")
    picker.setCurrentIndex(picker.findData("pension_certification"))
    residence = page.service_panel.form.editor("residence")
    residence.setCurrentIndex(residence.findData("local"))
    click(qtbot, window.findChild(QPushButton, "submitButton"))
    cosign = page.service_panel.cosign
    qtbot.waitUntil(cosign.isVisible, timeout=20000)
    return cosign


def test_cosign_with_a_hall_reason_and_defer_to_the_inbox(qtbot, make_window, sim_reader, rig):
    window, desk = make_window()
    sign_in(qtbot, window, "clerk01")
    page = window.serve_page
    insert_and_wait(qtbot, window, sim_reader, "c02")
    cosign = _pension_case_to_cosign(qtbot, window)

    # The hall's templates are offered; a template alone is a reason.
    box = cosign.reason_choice.box
    assert box.findData("resident_id_checked") > 0
    box.setCurrentIndex(box.findData("resident_id_checked"))
    assert not cosign.reason.isEnabled()
    # Typed as an input method does: quick key clicks look like a scanner at the serving page.
    cosign.username.insert("super01")
    qtbot.keyClicks(cosign.password, PASSWORDS["super01"])
    click(qtbot, window.findChild(QPushButton, "cosignButton"))
    qtbot.waitUntil(lambda: page.receipts.latest() is not None, timeout=20000)
    message = page.service_panel._message_label.text()
    assert "super01" in message and "已核验居民身份证原件" in message

    # The next case: no supervisor at hand, so it goes to the hall's inbox.
    cosign = _pension_case_to_cosign(qtbot, window)
    first = page.receipts.latest()
    click(qtbot, window.findChild(QPushButton, "cosignDeferButton"))
    qtbot.waitUntil(lambda: page.receipts.latest() != first, timeout=20000)
    assert "审批" in page.service_panel._message_label.text()
    assert not cosign.isVisible()

    desk.guard.audit.flush(10)
    rows = _audit_rows(desk)
    signed = [r for r in rows if r["action"] == "cosign"]
    assert signed[-1]["actor"] == "super01"
    assert signed[-1]["details"]["reason"] == "resident_id_checked"
    queued = [r["details"] for r in rows if r["action"] == "case_queued"]
    assert queued[-2]["cosigned_by"] == "super01" and queued[-1]["inbox"] is True


def _audit_rows(desk) -> list[dict]:
    from desktop.audit import AuditStore

    desk.guard.audit.flush(10)
    store = AuditStore(desk.guard.audit.data_dir, None, readonly=True)
    try:
        return [e.to_json() for e in store.entries()]
    finally:
        store.close()


# --- alerts and the audit chain ------------------------------------------------------------------


def test_alerts_appear_and_the_audit_chain_is_checked(qtbot, make_window):
    window, desk = make_window()
    for _ in range(3):
        with pytest.raises(DeskError):
            desk.sign_in("clerk01", "wrong-password").result(30)
    sign_in(qtbot, window, "super01")
    click(qtbot, window.alerts_button)
    view = window.alerts_view
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: any(r["kind"] == "failed_sign_ins" for r in view.rows()), timeout=20000)
    count = len(view.rows())

    # One more while the window is open: it arrives at once, marked new.
    with pytest.raises(DeskError):
        desk.sign_in("clerk01", "wrong-password").result(30)
    qtbot.waitUntil(lambda: len(view.rows()) > count, timeout=20000)
    newest = view.rows()[0]
    assert newest["kind"] == "failed_sign_ins" and newest["new"]
    assert "新" in view.table.item(0, 1).text() and view.table.item(0, 1).font().bold()

    click(qtbot, view.verify_button)
    qtbot.waitUntil(lambda: "完好" in view.verify_text(), timeout=20000)

    # Somebody edits a record on disk: the check names it.
    desk.guard.audit.flush(10)
    path = desk.guard.audit.data_dir / "audit.db"
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER audit_records_no_update")
        db.execute("UPDATE audit_records SET actor = 'intruder' WHERE seq = 2")
    click(qtbot, view.verify_button)
    qtbot.waitUntil(lambda: "损坏" in view.verify_text(), timeout=20000)
    assert "2" in view.verify_text()
    qtbot.waitUntil(
        lambda: any(r["kind"] == "audit_chain_broken" for r in view.rows()), timeout=20000
    )


def test_an_alert_of_this_desk_shows_once_when_central_lists_it_too(qtbot, make_window):
    window, desk = make_window()
    for _ in range(3):
        with pytest.raises(DeskError):
            desk.sign_in("clerk01", "wrong-password").result(30)
    raised = [a for a in desk.guard.recent_alerts if a["kind"] == "failed_sign_ins"]
    assert raised
    # Central gets the desk's audit records (the alert among them) and lists its own copy.
    assert desk.guard.audit.wait_sent(30)
    sign_in(qtbot, window, "super01")
    click(qtbot, window.alerts_button)
    view = window.alerts_view
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: bool(view._central), timeout=20000)
    shown = [r for r in view.rows() if r["kind"] == "failed_sign_ins"]
    assert len(shown) == len(raised)
    assert all(r["source"] == "this_desk" and r["workstation"] == W02["id"] for r in shown)
    assert "audit_seq" in shown[0]["detail"]  # central's copy, not the desk's

    # One more while the window is open: shown at once, and still once when central has it.
    with pytest.raises(DeskError):
        desk.sign_in("clerk01", "wrong-password").result(30)
    qtbot.waitUntil(
        lambda: len([r for r in view.rows() if r["kind"] == "failed_sign_ins"]) > len(shown),
        timeout=20000,
    )
    raised = [a for a in desk.guard.recent_alerts if a["kind"] == "failed_sign_ins"]
    assert desk.guard.audit.wait_sent(30)
    listed = len(view._central)
    view.refresh()
    qtbot.waitUntil(lambda: len(view._central) > listed, timeout=20000)
    shown = [r for r in view.rows() if r["kind"] == "failed_sign_ins"]
    assert len(shown) == len(raised)
    assert all("audit_seq" in r["detail"] for r in shown)


def test_exporting_cases_and_the_unmasked_view_are_audited(
    qtbot, make_window, sim_reader, tmp_path
):
    window, desk = make_window()
    sign_in(qtbot, window, "super01")
    insert_and_wait(qtbot, window, sim_reader, "c01")
    shown = desk.unmasked_identity(desk.citizen)
    assert shown["ssn"] == "110105196210150016"
    desk.export_cases(tmp_path / "cases.hcx", "a long passphrase").result(30)
    rows = _audit_rows(desk)
    unmasked = [r for r in rows if r["action"] == "unmasked_view"]
    assert unmasked and unmasked[-1]["actor"] == "super01" and unmasked[-1]["person_ref"]
    exported = [r for r in rows if r["action"] == "cases_exported"]
    assert exported and exported[-1]["actor"] == "super01"
    assert "110105196210150016" not in json.dumps(rows)
