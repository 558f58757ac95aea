"""UI tests: the real clerk window on the real Desk, offscreen.

The Desk is the one ui/app.py builds for training: the embedded sandbox on loopback (in the
test's temporary folder), the SimulatedCardReader the test drives, and the real face worker
process. Translations are compiled from the .ts sources into a temporary folder once per run.
"""

from __future__ import annotations

import os

# Before anything imports Qt.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import dataclasses
from pathlib import Path

import pytest

from desktop.resources import resource_path

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def qm_dir(tmp_path_factory) -> Path:
    """The .qm catalogues, built from the .ts sources with pyside6-lrelease."""
    from ui.qt import i18n

    out = tmp_path_factory.mktemp("qm")
    i18n.build(out)
    return out


@pytest.fixture
def languages(qapp, qm_dir):
    """The language manager in Chinese, with the CJK font and the style sheet; removed after."""
    from ui.qt.fonts import install_cjk_font
    from ui.qt.i18n import LanguageManager
    from ui.qt.main import load_stylesheet

    install_cjk_font(qapp)
    load_stylesheet(qapp)
    manager = LanguageManager(qapp, qm_dir=qm_dir)
    assert manager.set_language("zh_CN"), "zh_CN catalogue did not load"
    yield manager
    qapp.setStyleSheet("")
    manager.close()
    manager.setParent(None)
    manager.deleteLater()


@pytest.fixture
def seed() -> dict:
    """The training seed (staff passwords, citizens)."""
    from ui.app import load_seed

    return load_seed()


@pytest.fixture
def card_profile():
    """Path of a sample card profile, e.g. ``card_profile("c01")``."""

    def path(name: str) -> Path:
        return resource_path("cards", f"{name}.json")

    return path


@pytest.fixture
def training_central(tmp_path):
    """The embedded training central (the sandbox) on loopback; stopped after the test."""
    from ui.app import TrainingCentral

    central = TrainingCentral(tmp_path / "training")
    central.settings = central.start()
    yield central
    central.stop()


@pytest.fixture
def training_settings(training_central):
    """Settings of the training workstation W01 against the training central."""
    return training_central.settings


@pytest.fixture
def sim_reader():
    """The simulated reader the test puts cards into (empty at first)."""
    from devices.card.simulated import SimulatedCardReader

    return SimulatedCardReader()


class OpenWindows:
    """The windows a test showed on their own Desks; closed, and the Desks stopped, at the end."""

    def __init__(self, qtbot) -> None:
        self._qtbot = qtbot
        self._open: list[tuple] = []

    def show(self, window, desk, *, size=None, kiosk: bool = False, before_stop=None):
        """Start ``desk`` (the window has registered its listener), show ``window`` (resized to
        ``size`` first) and wait until it is exposed; returns ``(window, desk)``.

        At the end a ``kiosk`` window is shut down and allowed to close first (it refuses a
        plain close); ``before_stop`` runs after the window closed, before its Desk stops.
        """
        self._open.append((window, desk, kiosk, before_stop))
        desk.start()
        if size is not None:
            window.resize(*size)
        window.show()
        self._qtbot.waitExposed(window)
        return window, desk

    def close_all(self) -> None:
        """Close every window and stop its Desk, so no thread or process is left behind."""
        for window, desk, kiosk, before_stop in self._open:
            if kiosk:
                window.shutdown()
                window.allow_close()
            window.close()
            if before_stop is not None:
                before_stop()
            desk.stop()
            window.deleteLater()
        self._open.clear()


@pytest.fixture
def open_windows(qtbot):
    """An :class:`OpenWindows` whose windows are closed after the test."""
    opened = OpenWindows(qtbot)
    yield opened
    opened.close_all()


@pytest.fixture
def make_clerk_window(tmp_path, training_settings, sim_reader, languages, open_windows):
    """Build the clerk window on a real training Desk (``grace`` overrides the grace period,
    ``desk_options`` go to ``build_desk``).

    The Desk is started after the window registered its listener; at the end the window is
    closed and the Desk stopped, so no thread or process is left behind.
    """
    from ui.app import build_desk
    from ui.qt.clerk_window import ClerkWindow

    def make(*, grace: float | None = None, card_tray: bool = False, **desk_options):
        settings = training_settings
        if grace is not None:
            settings = dataclasses.replace(settings, card_grace_seconds=grace)
        desk = build_desk(
            settings,
            reader="sim",
            sim_reader=sim_reader,
            data_dir=tmp_path / "desk",
            **desk_options,
        )
        window = ClerkWindow(desk, languages, training_cards=sim_reader if card_tray else None)
        return open_windows.show(window, desk)

    return make


@pytest.fixture
def sign_in(qtbot, seed):
    """Sign a window in as a training account (``clerk01`` by default)."""
    from PySide6.QtCore import Qt

    def do(window, username: str = "clerk01") -> None:
        password = next(s["password"] for s in seed["staff"] if s["username"] == username)
        page = window.sign_in_page
        qtbot.keyClicks(page.username, username)
        qtbot.keyClicks(page.password, password)
        qtbot.mouseClick(page._button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.serve_page, timeout=20000)
        panel = window.serve_page.service_panel
        qtbot.waitUntil(lambda: len(panel.services()) > 0, timeout=20000)

    return do


# --- the kiosk -------------------------------------------------------------------------------

KIOSK_ROUTE = "/v1/persons/{person_ref}/contributions"


@pytest.fixture
def kiosk_routes(monkeypatch):
    """The sandbox app with the kiosk's endpoints (``sandbox/kiosk.py``'s router).

    Until ``sandbox/app.py`` includes the router itself, ``create_app`` is wrapped to include
    it; once it does, the wrapper finds the route there and adds nothing.
    """
    import sandbox.app
    from sandbox.kiosk import router

    original = sandbox.app.create_app

    def create_app(*args, **kwargs):
        app = original(*args, **kwargs)
        if KIOSK_ROUTE not in {getattr(route, "path", None) for route in app.routes}:
            app.include_router(router)
        return app

    monkeypatch.setattr(sandbox.app, "create_app", create_app)


@pytest.fixture
def kiosk_central(kiosk_routes, tmp_path):
    """The embedded training central with the kiosk's endpoints; stopped after the test."""
    from ui.app import TrainingCentral

    central = TrainingCentral(tmp_path / "kiosk-central")
    central.settings = central.start()
    yield central
    central.stop()
