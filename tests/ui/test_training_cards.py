"""The training card tray: a clerk in training mode hands over a sample card."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_the_tray_inserts_and_removes_a_sample_card(qtbot, make_clerk_window, sign_in, seed):
    window, desk = make_clerk_window(card_tray=True)
    sign_in(window)
    tray = window.card_tray
    assert tray is not None
    assert tray.cards.count() == len(seed["citizens"])

    # The third sample card holds c03, whose name spans tags 09 and 4E.
    tray.cards.setCurrentIndex(2)
    assert seed["citizens"][2]["name"] in tray.cards.currentText()
    qtbot.mouseClick(tray.insert_button, Qt.MouseButton.LeftButton)
    panel = window.serve_page.card_panel
    qtbot.waitUntil(lambda: panel.state == "ready", timeout=30000)
    assert desk.citizen.record.card_no == seed["citizens"][2]["card_no"]

    qtbot.mouseClick(tray.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state in ("removed", "empty"), timeout=10000)


def test_no_tray_outside_training_mode_or_without_a_simulated_reader(make_clerk_window):
    window, _desk = make_clerk_window()
    assert window.card_tray is None
