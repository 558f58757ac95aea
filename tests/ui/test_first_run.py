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


def test_first_run_writes_nothing_the_desk_would_refuse(qtbot, tmp_path, languages):
    """A CA bundle that is no certificate (or any value the loader refuses) leaves no file
    behind: the next start would otherwise stop on an invalid configuration."""
    from ui.qt.pages.first_run_page import FirstRunWindow

    folder = tmp_path / "config"
    config = folder / "hall-counter.toml"
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200))
    window = FirstRunWindow(config, languages)
    qtbot.addWidget(window)
    window.show()
    page = window.page
    save = window.findChild(QPushButton, "saveConfigButton")

    typed = {
        "central_url": "https://127.0.0.1:8443",
        "hall_id": "H0001",
        "workstation_id": "W01",
        "workstation_secret": "s3cret-value",
        "ca_bundle": str(photo),
    }
    for name, text in typed.items():
        qtbot.keyClicks(page.edits[name], text)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert page.error_text("ca_bundle").startswith("未被接受：")
    assert "holds no PEM certificate" in page.error_text("ca_bundle")
    assert not config.exists()
    assert list(folder.iterdir()) == []  # no temporary file left either
    # The form keeps what was typed.
    assert {name: edit.text() for name, edit in page.edits.items()} == typed

    # A value only the loader refuses (full-width letters pass str.isalnum): still nothing.
    page.edits["ca_bundle"].setText("")
    page.edits["hall_id"].setText("Ｈ0001")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert page.error_text("hall_id").startswith("未被接受：")
    assert page.error_text("ca_bundle") == ""
    assert not config.exists() and list(folder.iterdir()) == []

    # Corrected, the configuration is saved and loads.
    page.edits["hall_id"].setText("H0001")
    with qtbot.waitSignal(page.configured, timeout=5000):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert load_settings(config).hall_id == "H0001"
    assert [p.name for p in folder.iterdir()] == [config.name]
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


def test_save_checked_writes_only_what_the_loader_accepts(tmp_path):
    """Every refusal of the loader (not only the page's fields) keeps the file unwritten."""
    from desktop.settings import SettingsError
    from ui.qt.pages.first_run_page import config_text, save_checked

    config = tmp_path / "hall-counter.toml"
    values = {
        "central_url": "https://127.0.0.1:8443",
        "hall_id": "H0001",
        "workstation_id": "W01",
        "workstation_secret": "s3cret-value",
    }
    good = config_text(values, "zh_CN")
    refused = {
        "central.client_cert": good.replace(
            "[workstation]", 'client_cert = "no.pem"\n\n[workstation]'
        ),
        "central.proxy": good.replace("[workstation]", 'proxy = "ftp://proxy"\n\n[workstation]'),
        "central.url": config_text({**values, "central_url": "http://192.0.2.10"}, "zh_CN"),
        "desk.language": config_text(values, "fr"),
        "": good + "[desk\n",  # not TOML
    }
    for key, text in refused.items():
        try:
            save_checked(config, text)
        except SettingsError as exc:
            assert exc.key == key
            assert ".tmp" not in exc.problem  # names the real file, not the temporary one
        else:
            raise AssertionError(f"{key or 'TOML'} accepted")
        assert list(tmp_path.iterdir()) == [], key

    settings = save_checked(config, good)
    assert settings == load_settings(config)
    assert [p.name for p in tmp_path.iterdir()] == [config.name]
