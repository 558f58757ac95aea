"""Chinese by default, English on request (--lang en) or from the switch in the window."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton
from screenshots import save_screenshot


def label(window, name: str) -> str:
    return window.findChild(QLabel, name).text()


def test_language_switch_in_the_window(qtbot, make_clerk_window, sign_in, sim_reader, card_profile):
    window, _desk = make_clerk_window()
    sign_in(window)
    page = window.serve_page
    sim_reader.insert(card_profile("c01"))
    pin_edit = window.findChild(QLineEdit, "pinEdit")
    qtbot.waitUntil(pin_edit.isEnabled, timeout=30000)
    picker = window.findChild(QComboBox, "servicePicker")
    picker.setCurrentIndex(picker.findData("unemployment_benefit"))
    form = page.service_panel.form
    qtbot.keyClicks(form.editor("insured_months"), "36")

    assert label(window, "pinTriesLeft") == "剩余 3 次"
    assert picker.currentText() == "失业保险金申领"

    switch = window.findChild(QComboBox, "languageSwitch")
    switch.setCurrentIndex(switch.findData("en"))
    # Qt posts the LanguageChange event; every widget re-translates when it arrives.
    qtbot.waitUntil(lambda: label(window, "appTitle") == "Social security service window")
    assert label(window, "trainingBanner").startswith("TRAINING / 培训模式 — practice only")
    assert "[TRAINING / 培训模式]" in window.windowTitle()
    assert label(window, "pinTriesLeft") == "Tries left: 3"
    assert label(window, "cardCentralStatus") == "Card in normal use"
    assert picker.currentText() == "Unemployment benefit claim"
    assert form._labels["reason_for_leaving"].text() == "Reason for leaving *"
    reason = form.editor("reason_for_leaving")
    assert reason.itemText(reason.findData("contract_expired")) == "Labour contract expired"
    assert window.findChild(QPushButton, "submitButton").text() == "Submit case"
    assert "Outbox:" in label(window, "outboxCounts")
    # What was typed stays.
    assert form.editor("insured_months").text() == "36"
    qtbot.wait(300)  # let pending layout requests run before the picture
    save_screenshot(window, "clerk-window-en.png")

    switch.setCurrentIndex(switch.findData("zh_CN"))
    qtbot.waitUntil(lambda: label(window, "pinTriesLeft") == "剩余 3 次")
    assert form._labels["reason_for_leaving"].text() == "离职原因 *"
    assert label(window, "appTitle") == "社保服务窗口"


def test_lang_en_starts_in_english(qtbot, make_clerk_window, languages):
    # What run_gui does with --lang en before the first window exists.
    languages.set_language("en")
    window, _desk = make_clerk_window()
    assert window.findChild(QComboBox, "languageSwitch").currentData() == "en"
    assert window.findChild(QPushButton, "signInButton").text() == "Sign in"
    assert label(window, "signInHeading") == "Clerk sign-in"
    assert "TRAINING" in label(window, "trainingBanner")
