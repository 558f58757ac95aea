"""The clerk window driven through whole cases on the real training Desk."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QWidget
from screenshots import save_screenshot

CJK_FAMILY = "WenQuanYi Micro Hei"  # fonts-wqy-microhei, installed by scripts/setup-system.sh


def click(qtbot, widget: QWidget) -> None:
    """A left click on a visible, enabled widget."""
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def child(window: QWidget, kind, name: str):
    """The child widget with an object name (exactly one)."""
    found = window.findChildren(kind, name)
    assert len(found) == 1, f"{name}: {len(found)} widgets"
    return found[0]


def visible_texts(window: QWidget) -> list[str]:
    """Every text the window's labels and fields hold."""
    texts = [w.text() for w in window.findChildren(QLabel)]
    texts += [w.text() for w in window.findChildren(QLineEdit)]
    return texts


def citizen(seed: dict, cid: str) -> dict:
    return next(c for c in seed["citizens"] if c["id"] == cid)


def pin_of(profile: Path) -> str:
    """The PIN a sample card profile was made with."""
    return json.loads(profile.read_text(encoding="utf-8"))["pin"]


def insert_and_wait(qtbot, window, sim_reader, profile) -> None:
    sim_reader.insert(profile)
    page = window.serve_page
    qtbot.waitUntil(lambda: page.card_panel.state == "ready", timeout=30000)


def enter_pin(qtbot, window, pin: str) -> None:
    """Type on the on-screen keypad, press Verify, and check the field empties at once."""
    for digit in pin:
        click(qtbot, child(window, QPushButton, f"pinKey{digit}"))
    edit = child(window, QLineEdit, "pinEdit")
    assert len(edit.text()) == len(pin)
    assert edit.echoMode() == QLineEdit.EchoMode.Password
    click(qtbot, child(window, QPushButton, "pinVerifyButton"))
    assert edit.text() == ""
    assert not edit.isUndoAvailable()


def fill_unemployment_form(qtbot, window) -> None:
    panel = window.serve_page.service_panel
    picker = child(window, QComboBox, "servicePicker")
    picker.setCurrentIndex(picker.findData("unemployment_benefit"))
    form = panel.form
    reason = form.editor("reason_for_leaving")
    reason.setCurrentIndex(reason.findData("contract_expired"))
    # QTest cannot type CJK characters (it aborts); insert() is what an input method does.
    form.editor("last_employer").insert("示例贸易有限公司")
    qtbot.keyClicks(form.editor("insured_months"), "36")
    qtbot.keyClicks(form.editor("amount"), "2130.5")


def test_clerk_serves_a_whole_case(
    qtbot, make_clerk_window, sign_in, sim_reader, card_profile, seed
):
    window, _desk = make_clerk_window()
    banner = child(window, QLabel, "trainingBanner")
    assert banner.isVisible() and "培训模式" in banner.text() and "TRAINING" in banner.text()
    assert "培训模式" in window.windowTitle()
    qtbot.wait(300)  # let pending layout requests run before the picture
    save_screenshot(window, "sign-in.png")

    sign_in(window)
    page = window.serve_page
    assert banner.isVisible()
    assert "周敏" in child(window, QLabel, "clerkLabel").text()

    # The card: name in full, ID number and card number masked, status from central.
    c01 = citizen(seed, "c01")
    insert_and_wait(qtbot, window, sim_reader, card_profile("c01"))
    assert child(window, QLabel, "citizenName").text() == c01["name"]
    assert child(window, QLabel, "citizenSsn").text() == "110105********0016"
    assert child(window, QLabel, "citizenCardNo").text() == "A1*****11"
    assert child(window, QLabel, "cardCentralStatus").text() == "卡片状态正常"
    assert not any(c01["ssn"] in text for text in visible_texts(window))

    # Tries left come before the prompt: the field opens only once they are shown.
    edit = child(window, QLineEdit, "pinEdit")
    qtbot.waitUntil(edit.isEnabled, timeout=20000)
    assert child(window, QLabel, "pinTriesLeft").text() == "剩余 3 次"
    enter_pin(qtbot, window, pin_of(card_profile("c01")))
    qtbot.waitUntil(lambda: page.pin_panel.verified, timeout=20000)
    assert child(window, QLabel, "pinResult").text() == "密码正确。"

    # Face: consent, then the check on the training sample photo (no liveness in training).
    consent = child(window, QLabel, "faceConsentText")
    assert "可以拒绝" in consent.text()
    click(qtbot, child(window, QPushButton, "faceAgreeButton"))
    qtbot.waitUntil(lambda: page.face_panel.state == "result", timeout=180000)
    assert page.face_panel.frames_shown > 0  # the sample photo was shown as the camera
    assert not page.face_panel.has_image  # and dropped with the decision
    face_text = child(window, QLabel, "faceResult").text()
    assert face_text.startswith("匹配"), face_text
    assert "阈值" in face_text
    assert "活体检测：未做" in face_text

    # The service and its form; submit; the receipt.
    fill_unemployment_form(qtbot, window)
    click(qtbot, child(window, QPushButton, "submitButton"))
    qtbot.waitUntil(lambda: page.receipts.latest() is not None, timeout=30000)
    receipt = page.receipts.latest()
    latest = child(window, QLabel, "latestReceipt")
    assert receipt.local_id in latest.text()
    assert "失业保险金申领" in latest.text()
    qtbot.waitUntil(lambda: receipt.state == "sent", timeout=60000)
    qtbot.waitUntil(lambda: receipt.central_id in latest.text(), timeout=5000)
    assert receipt.central_id
    qtbot.waitUntil(lambda: "已发送 1" in child(window, QLabel, "outboxCounts").text())

    # Chinese renders with the CJK font; keep the picture for docs/clerk.md.
    name_label = child(window, QLabel, "citizenName")
    assert QFontInfo(name_label.font()).family() == CJK_FAMILY
    assert name_label.fontMetrics().inFontUcs4(ord("张"))
    qtbot.wait(300)  # let pending layout requests run before the picture
    save_screenshot(window, "clerk-window.png")


def test_wrong_pin_shows_tries_and_blocked_leads_to_pin_reset(
    qtbot, make_clerk_window, sign_in, sim_reader, card_profile
):
    window, _desk = make_clerk_window()
    sign_in(window)
    page = window.serve_page
    insert_and_wait(qtbot, window, sim_reader, card_profile("c02"))
    edit = child(window, QLineEdit, "pinEdit")
    tries = child(window, QLabel, "pinTriesLeft")
    result = child(window, QLabel, "pinResult")

    for left in (2, 1):
        qtbot.waitUntil(edit.isEnabled, timeout=20000)
        enter_pin(qtbot, window, "000000")
        qtbot.waitUntil(lambda left=left: result.text() == f"密码错误。剩余 {left} 次。")
        assert tries.text() == f"剩余 {left} 次"

    qtbot.waitUntil(edit.isEnabled, timeout=20000)
    enter_pin(qtbot, window, "000000")
    qtbot.waitUntil(lambda: page.pin_panel.state == "blocked", timeout=20000)
    assert "密码重置" in result.text()
    assert not edit.isEnabled()

    # The blocked PIN points to the PIN reset service.
    click(qtbot, child(window, QPushButton, "pinResetButton"))
    assert page.service_panel.current_code() == "pin_reset"


def test_card_pulled_during_verify_is_not_a_wrong_pin(
    qtbot, make_clerk_window, sign_in, sim_reader, card_profile
):
    window, _desk = make_clerk_window()
    sign_in(window)
    page = window.serve_page
    insert_and_wait(qtbot, window, sim_reader, card_profile("c05"))
    qtbot.waitUntil(child(window, QLineEdit, "pinEdit").isEnabled, timeout=20000)
    sim_reader.pull_on_next_verify()
    enter_pin(qtbot, window, pin_of(card_profile("c05")))
    result = child(window, QLabel, "pinResult")
    qtbot.waitUntil(lambda: "不计为密码错误" in result.text(), timeout=20000)
    qtbot.waitUntil(lambda: page.card_panel.state == "removed", timeout=20000)
    assert not page.pin_panel.verified


def test_card_removed_keeps_form_for_the_same_card(
    qtbot, make_clerk_window, sign_in, sim_reader, card_profile
):
    window, desk = make_clerk_window()
    sign_in(window)
    page = window.serve_page
    insert_and_wait(qtbot, window, sim_reader, card_profile("c01"))
    session = page.session
    fill_unemployment_form(qtbot, window)

    sim_reader.remove()
    qtbot.waitUntil(lambda: page.card_panel.state == "removed", timeout=20000)
    status = child(window, QLabel, "cardStatusLine").text()
    assert "卡已拔出" in status and "秒" in status
    assert page.grace_seconds_left > 0
    assert not child(window, QPushButton, "submitButton").isEnabled()

    # The same card back: the same session, the form as it was.
    sim_reader.insert(card_profile("c01"))
    qtbot.waitUntil(lambda: page.card_panel.state == "ready", timeout=20000)
    assert page.session is session and desk.citizen is session
    assert page.service_panel.form.editor("last_employer").text() == "示例贸易有限公司"
    assert page.service_panel.form.editor("insured_months").text() == "36"
    assert page.grace_seconds_left == 0


def test_the_clerk_window_fits_a_1366x768_desk_under_a_task_bar(
    qtbot, make_clerk_window, sign_in, sim_reader, card_profile
):
    # About 700 px are left for the window on a 1366x768 screen with a title and a task bar.
    window, _desk = make_clerk_window()
    assert window.minimumSizeHint().height() <= 700
    sign_in(window)
    page = window.serve_page
    insert_and_wait(qtbot, window, sim_reader, card_profile("c01"))
    qtbot.waitUntil(lambda: page.pin_panel.state == "ready", timeout=20000)
    fill_unemployment_form(qtbot, window)
    click(qtbot, child(window, QPushButton, "pinChangeButton"))
    assert page.pin_panel.state == "change"
    assert window.minimumSizeHint().height() <= 700
    assert window.minimumSizeHint().width() <= 1366

    # On that screen the panels scroll, and every one of them can be brought into view.
    window.resize(1366, 700)
    qtbot.waitUntil(lambda: page.scroll.verticalScrollBar().maximum() > 0, timeout=5000)
    for name in ("submitButton", "pinChangeSubmitButton", "cardStatusLine"):
        widget = window.findChild(QWidget, name)
        page.scroll.ensureWidgetVisible(widget)
        qtbot.wait(50)
        assert not widget.visibleRegion().isEmpty(), name


def test_other_card_replaces_the_citizen(
    qtbot, make_clerk_window, sign_in, sim_reader, card_profile, seed
):
    window, _desk = make_clerk_window()
    sign_in(window)
    page = window.serve_page
    insert_and_wait(qtbot, window, sim_reader, card_profile("c01"))
    fill_unemployment_form(qtbot, window)
    sim_reader.remove()
    qtbot.waitUntil(lambda: page.card_panel.state == "removed", timeout=20000)

    sim_reader.insert(card_profile("c04"))
    qtbot.waitUntil(
        lambda: child(window, QLabel, "citizenName").text() == citizen(seed, "c04")["name"],
        timeout=20000,
    )
    qtbot.waitUntil(lambda: page.card_panel.state == "ready", timeout=20000)
    assert page.service_panel.form.editor("last_employer").text() == ""
    assert not any(citizen(seed, "c01")["name"] in text for text in visible_texts(window))


def test_grace_period_over_wipes_every_personal_field(
    qtbot, make_clerk_window, sign_in, sim_reader, card_profile, seed
):
    window, desk = make_clerk_window(grace=1)
    sign_in(window)
    page = window.serve_page
    insert_and_wait(qtbot, window, sim_reader, card_profile("c03"))
    c03 = citizen(seed, "c03")
    assert child(window, QLabel, "citizenName").text() == c03["name"]
    fill_unemployment_form(qtbot, window)
    click(qtbot, child(window, QPushButton, "faceAgreeButton"))
    qtbot.waitUntil(lambda: page.face_panel.frames_shown > 0, timeout=20000)

    sim_reader.remove()
    qtbot.waitUntil(lambda: not page.citizen_present, timeout=20000)
    texts = visible_texts(window)
    for secret in (c03["name"], c03["ssn"], "650102********0042", c03["card_no"], "示例贸易"):
        assert not any(secret in text for text in texts), secret
    assert page.session is None and desk.citizen is None
    assert not page.face_panel.has_image
    assert page.card_panel.state == "empty"
    for name in page.service_panel.form.field_names():
        editor = page.service_panel.form.editor(name)
        if isinstance(editor, QLineEdit):
            assert editor.text() == "" and not editor.isUndoAvailable()


def test_declined_face_takes_the_alternative_with_a_supervisor(
    qtbot, make_clerk_window, sign_in, sim_reader, card_profile, seed
):
    window, _desk = make_clerk_window()
    sign_in(window)
    page = window.serve_page
    insert_and_wait(qtbot, window, sim_reader, card_profile("c02"))

    click(qtbot, child(window, QPushButton, "faceDeclineButton"))
    assert page.face_panel.state == "declined"
    explain = child(window, QLabel, "faceConsentText").text()
    assert "居民身份证" in explain and "主管复核" in explain

    picker = child(window, QComboBox, "servicePicker")
    picker.setCurrentIndex(picker.findData("pension_certification"))
    residence = page.service_panel.form.editor("residence")
    residence.setCurrentIndex(residence.findData("local"))
    click(qtbot, child(window, QPushButton, "submitButton"))

    cosign = page.service_panel.cosign
    qtbot.waitUntil(cosign.isVisible, timeout=20000)
    assert "拒绝人脸核验" in child(window, QLabel, "cosignReasons").text()

    # A clerk cannot co-sign; a supervisor can.
    passwords = {s["username"]: s["password"] for s in seed["staff"]}
    qtbot.keyClicks(cosign.username, "clerk01")
    qtbot.keyClicks(cosign.password, passwords["clerk01"])
    cosign.reason.insert("群众拒绝人脸核验，已核验居民身份证")
    click(qtbot, child(window, QPushButton, "cosignButton"))
    qtbot.waitUntil(lambda: "不是主管" in cosign._message_label.text(), timeout=20000)
    assert cosign.password.text() == ""

    cosign.username.setText("")
    qtbot.keyClicks(cosign.username, "super01")
    qtbot.keyClicks(cosign.password, passwords["super01"])
    click(qtbot, child(window, QPushButton, "cosignButton"))
    qtbot.waitUntil(lambda: page.receipts.latest() is not None, timeout=20000)
    assert "养老保险待遇资格认证" in child(window, QLabel, "latestReceipt").text()
    assert not cosign.isVisible()


def test_form_errors_show_next_to_the_fields(
    qtbot, make_clerk_window, sign_in, sim_reader, card_profile
):
    window, _desk = make_clerk_window()
    sign_in(window)
    page = window.serve_page
    insert_and_wait(qtbot, window, sim_reader, card_profile("c01"))
    picker = child(window, QComboBox, "servicePicker")
    picker.setCurrentIndex(picker.findData("unemployment_benefit"))
    form = page.service_panel.form
    qtbot.keyClicks(form.editor("insured_months"), "6")
    click(qtbot, child(window, QPushButton, "submitButton"))

    assert form.error_text("reason_for_leaving") == "必填。"
    assert form.error_text("last_employer") == "必填。"
    assert form.error_text("insured_months") == "不能小于 12。"
    assert form.error_text("amount") == "必填。"
    assert "字段旁的提示" in child(window, QLabel, "serviceMessage").text()
    assert page.receipts.latest() is None

    # Letters cannot even be typed into a number field.
    qtbot.keyClicks(form.editor("amount"), "abc")
    assert form.editor("amount").text() == ""


def test_lost_card_stops_with_a_plain_message(
    qtbot, tmp_path, languages, sim_reader, card_profile, sign_in, seed
):
    from desktop.resources import resource_path
    from ui.app import TrainingCentral, build_desk
    from ui.qt.clerk_window import ClerkWindow

    # The seed with c02's card reported lost (paths made absolute for the copy).
    lost = json.loads(json.dumps(seed))
    base = resource_path("sandbox")
    lost["services"] = str((base / lost["services"]).resolve())
    for entry in lost["citizens"]:
        for key in ("card_profile", "face_reference", "face_probe"):
            entry[key] = str((base / entry[key]).resolve())
        if entry["id"] == "c02":
            entry["card_status"] = "lost"
    seed_file = tmp_path / "seed.json"
    seed_file.write_text(json.dumps(lost, ensure_ascii=False), encoding="utf-8")

    central = TrainingCentral(tmp_path / "central", seed=seed_file)
    settings = central.start()
    desk = build_desk(settings, reader="sim", sim_reader=sim_reader, data_dir=tmp_path / "desk")
    window = ClerkWindow(desk, languages)
    try:
        desk.start()
        window.show()
        sign_in(window)
        sim_reader.insert(card_profile("c02"))
        status = child(window, QLabel, "cardStatusLine")
        qtbot.waitUntil(lambda: "挂失" in status.text(), timeout=20000)
        assert window.serve_page.session is None
        assert not child(window, QLineEdit, "pinEdit").isEnabled()
        assert not child(window, QPushButton, "submitButton").isEnabled()
    finally:
        window.close()
        desk.stop()
        central.stop()
        window.deleteLater()


def test_card_and_central_disagree_side_by_side(
    qtbot, make_clerk_window, sign_in, sim_reader, card_profile, seed
):
    window, _desk = make_clerk_window()
    sign_in(window)
    profile = json.loads(card_profile("c01").read_text(encoding="utf-8"))
    profile["ef06"]["name"] = "张伟民"
    sim_reader.insert(profile)
    page = window.serve_page
    qtbot.waitUntil(lambda: page.card_panel.state == "ready", timeout=30000)
    text = child(window, QLabel, "centralRecord").text()
    assert f"中心系统记录的姓名：{citizen(seed, 'c01')['name']}（卡内：张伟民）" in text
    assert "信息更正" in text


def test_offline_identity_is_marked(
    qtbot, make_clerk_window, sign_in, sim_reader, card_profile, training_central
):
    window, _desk = make_clerk_window()
    sign_in(window)
    page = window.serve_page
    network = child(window, QLabel, "networkState")
    assert network.text() == "网络：在线"

    training_central.stop()  # central goes away after the clerk signed in
    insert_and_wait(qtbot, window, sim_reader, card_profile("c01"))
    offline = child(window, QLabel, "offlineMark")
    assert offline.isVisible() and offline.text().startswith("离线")
    assert child(window, QLabel, "cardCentralStatus").text() == "卡状态未知（离线核验）"
    qtbot.waitUntil(lambda: "离线" in network.text(), timeout=20000)
    assert page.session.offline

    # No reference photo offline: the face check says so and the alternative remains.
    click(qtbot, child(window, QPushButton, "faceAgreeButton"))
    result = child(window, QLabel, "faceResult")
    qtbot.waitUntil(lambda: "替代" in result.text(), timeout=60000)
    assert page.face_panel.outcome.reason == "central_unavailable"
    assert page.session.face.decision == "unavailable"
    assert child(window, QPushButton, "faceDeclineButton").isVisible()
