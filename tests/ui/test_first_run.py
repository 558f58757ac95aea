"""The first-run screen: no configuration and not --training."""

from __future__ import annotations

import argparse
import stat

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from screenshots import save_screenshot

from desktop.settings import load_settings


def test_first_run_saves_a_configuration_the_desk_accepts(qtbot, tmp_path, languages):
    from ui.qt.pages.first_run_page import FirstRunWindow

    config = tmp_path / "config" / "hall-counter.toml"
    window = FirstRunWindow(config, languages)
    qtbot.addWidget(window)
    window.show()
    page = window.page
    save = window.findChild(QPushButton, "saveConfigButton")

    # Nothing entered: every required field says so; nothing is written.
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    for name in ("central_url", "hall_id", "workstation_id", "workstation_secret"):
        assert page.error_text(name) == "必填。"
    assert not config.exists()

    # Plain http to another host is refused (the address is only validated, never contacted).
    qtbot.keyClicks(page.edits["central_url"], "http://192.0.2.10:8443")
    qtbot.keyClicks(page.edits["hall_id"], "H0001")
    qtbot.keyClicks(page.edits["workstation_id"], "W 01")
    qtbot.keyClicks(page.edits["workstation_secret"], "s3cret-value")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "https://" in page.error_text("central_url")
    assert "字母" in page.error_text("workstation_id")
    assert page.error_text("hall_id") == ""
    assert not config.exists()
    qtbot.wait(300)  # let pending layout requests run before the picture
    save_screenshot(window, "first-run.png")

    page.edits["central_url"].setText("https://127.0.0.1:8443/")
    page.edits["workstation_id"].setText("W01")
    with qtbot.waitSignal(page.configured, timeout=5000) as signal:
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert signal.args == [config]

    settings = load_settings(config)
    assert settings.central_url == "https://127.0.0.1:8443"
    assert (settings.hall_id, settings.workstation_id) == ("H0001", "W01")
    assert settings.workstation_secret == "s3cret-value"
    assert settings.language == "zh_CN" and not settings.training
    # The file holds the workstation secret: readable by the user only.
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert page.edits["workstation_secret"].text() == ""


def test_without_configuration_no_desk_starts_until_training_is_chosen(
    qtbot, tmp_path, languages, qapp
):
    from ui.qt.main import GuiController

    args = argparse.Namespace(
        config=tmp_path / "missing.toml",
        data_dir=tmp_path / "data",
        training=False,
        kiosk=False,
        lang=None,
    )
    controller = GuiController(qapp, args, languages)
    try:
        assert controller.start()
        # The first-run screen, and nothing behind it: no desk, no sandbox.
        assert controller.first_run is not None and controller.first_run.isVisible()
        assert controller.desk is None and controller.window is None
        qtbot.wait(200)
        assert controller.desk is None

        # Only an explicit choice starts training mode.
        button = controller.first_run.findChild(QPushButton, "startTrainingButton")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: controller.window is not None, timeout=30000)
        window = controller.window
        assert window.isVisible()
        assert controller.first_run is None
        banner = window.findChild(QLabel, "trainingBanner")
        assert banner.isVisible() and "培训模式" in banner.text()
        assert controller.desk.settings.training
        assert controller.desk.settings.central_url.startswith("http://127.0.0.1:")
        assert (tmp_path / "data" / "training" / "sandbox.db").exists()
    finally:
        if controller.window is not None:
            controller.window.close()
            controller.window.deleteLater()
        controller.shutdown()
        controller.setParent(None)
        controller.deleteLater()
