"""The GUI's entry point: ``run_gui(args)``, called by ``hall-counter`` without a command.

Start-up, in order: the Qt application, a CJK-capable font, the style sheet and the language
(``--lang``, else the configuration's, else Chinese). Then:

- ``--training``: the training desk (embedded sandbox on loopback, simulated reader, sample
  photos) and the clerk window with the 培训模式 / TRAINING mark;
- ``--kiosk`` (with either of the above): the self-service kiosk window instead of the clerk's,
  locked down (``ui/qt/kiosk``), with the hall's kiosk options from ``kiosk.toml`` beside the
  configuration file;
- a configuration file (``--config`` or the default path): the production desk with the PC/SC
  reader;
- neither: the first-run screen, which saves a configuration or, when asked explicitly, starts
  training mode. It never falls back to a fake central on its own.

Building and starting a desk (sandbox, face worker, outbox) runs on a helper thread so that the
window stays responsive; the Desk is stopped when the window closes.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import logging
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.resources import resource_path
from desktop.settings import SettingsError, default_config_path, load_settings
from ui.qt import messages
from ui.qt.bridge import FutureRelay
from ui.qt.clerk_window import ClerkWindow
from ui.qt.fonts import install_cjk_font
from ui.qt.i18n import DEFAULT_LANGUAGE, LanguageManager
from ui.qt.pages.first_run_page import FirstRunWindow

log = logging.getLogger(__name__)

# Without --config: desktop.settings.default_config_path (the user's file, else the
# system-wide one, else the user's, where the first-run screen saves).


def load_stylesheet(app: QApplication) -> None:
    """Apply ``resources/styles/clerk.qss`` when it exists."""
    path = resource_path("styles", "clerk.qss")
    try:
        app.setStyleSheet(path.read_text(encoding="utf-8"))
    except OSError:
        log.warning("style sheet %s not found; plain style", path)


def build_training_desk(data_dir: Path, *, kiosk: bool = False):
    """The training desk, its embedded central and its simulated reader:
    ``(desk, training_central, card_reader)``, not started.

    Everything lives in ``<data dir>/training/`` (see ui.app), away from a production outbox.
    """
    from devices.card.simulated import SimulatedCardReader
    from ui.app import (
        TrainingCentral,
        build_desk,
        default_card_profiles,
        store_training_workstation,
        training_data_dir,
    )

    folder = training_data_dir(data_dir)
    central = TrainingCentral(folder)
    settings = central.start()
    try:
        store_training_workstation(folder, settings)
        card_reader = SimulatedCardReader(default_card_profiles())
        desk = build_desk(
            settings, reader="sim", sim_reader=card_reader, data_dir=folder, kiosk=kiosk
        )
    except BaseException:
        central.stop()
        raise
    return desk, central, card_reader


def build_production_desk(settings, data_dir: Path, *, kiosk: bool = False):
    """The desk for a configured hall, with the PC/SC reader: ``(desk, None, None)``, not
    started."""
    from ui.app import build_desk

    return build_desk(settings, reader="pcsc", data_dir=data_dir, kiosk=kiosk), None, None


class GuiController(QObject):
    """Decides which window to open and owns the Desk's lifetime."""

    def __init__(self, app: QApplication, args: argparse.Namespace, languages) -> None:
        super().__init__(app)
        self._app = app
        self._args = args
        self._languages = languages
        self._relay = FutureRelay(self)
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="desk-startup"
        )
        self.desk = None
        self._training_central = None
        self.window = None  # ClerkWindow, or KioskWindow with --kiosk
        self.first_run: FirstRunWindow | None = None
        self.config_path = Path(args.config) if args.config else default_config_path()

    def start(self) -> bool:
        """Open the first window; False when start-up failed (the error was shown)."""
        if self._args.training:
            self._start_desk(training=True, settings=None)
            return True
        if self.config_path.exists():
            try:
                settings = load_settings(self.config_path)
            except SettingsError as exc:
                log.error("configuration %s refused: %s", self.config_path, exc)
                self._show_fatal(
                    self.tr("The configuration file {path} is not valid: {detail}").format(
                        path=str(self.config_path), detail=str(exc)
                    )
                )
                return False
            if not self._args.lang:
                self._languages.set_language(settings.language)
            self._start_desk(training=settings.training, settings=settings)
            return True
        self.first_run = FirstRunWindow(self.config_path, self._languages)
        self.first_run.page.configured.connect(self._on_configured)
        self.first_run.page.training_requested.connect(self._on_training_requested)
        self.first_run.show()
        return True

    def shutdown(self) -> None:
        """Stop the Desk and the start-up helper; called once the event loop has ended."""
        # A desk still being built or started must be finished before it can be stopped.
        self._executor.shutdown(wait=True)
        if self.window is not None:
            stop = getattr(self.window, "shutdown", None)
            if stop is not None:
                self.window.allow_close()
                stop()
            else:
                self.window.camera.stop()
        if self.desk is not None:
            log.info("stopping the desk")
            self.desk.stop()
            self.desk = None
        if self._training_central is not None:
            self._training_central.stop()
            self._training_central = None

    # First run ------------------------------------------------------------------------------

    @Slot(object)
    def _on_configured(self, path: Path) -> None:
        try:
            settings = load_settings(path)
        except SettingsError as exc:  # the page checked it already; be safe
            self._show_fatal(str(exc))
            return
        self._start_desk(training=False, settings=settings)

    @Slot()
    def _on_training_requested(self) -> None:
        self._start_desk(training=True, settings=None)

    # The desk -------------------------------------------------------------------------------

    def _start_desk(self, *, training: bool, settings) -> None:
        data_dir = Path(self._args.data_dir)
        kiosk = bool(self._args.kiosk)
        if training:
            future = self._executor.submit(build_training_desk, data_dir, kiosk=kiosk)
        else:
            future = self._executor.submit(build_production_desk, settings, data_dir, kiosk=kiosk)
        self._relay.watch(future, self._on_desk_built)

    def _on_desk_built(self, built, error) -> None:
        if error is not None:
            log.error("the desk could not be built", exc_info=error)
            self._show_fatal(messages.error_text(error))
            return
        desk, self._training_central, card_reader = built
        self.desk = desk
        if self._args.kiosk:
            self.window = self._kiosk_window(desk)
            if self.window is None:
                return
            self.window.attach_training_cards(card_reader)
        else:
            self.window = ClerkWindow(desk, self._languages, training_cards=card_reader)
        # Listener first, then start: the first card and reader events reach the window.
        self._relay.watch(self._executor.submit(desk.start), self._on_desk_started)
        if self._args.kiosk:
            self.window.showFullScreen()
        else:
            self.window.show()
        if self.first_run is not None:
            self.first_run.close()
            self.first_run.deleteLater()
            self.first_run = None

    def _kiosk_window(self, desk):
        from desktop.kiosk import kiosk_options_path, load_kiosk_options
        from ui.qt.kiosk.window import build_kiosk_window

        path = kiosk_options_path(self.config_path)
        try:
            options = load_kiosk_options(path)
        except SettingsError as exc:
            log.error("kiosk options %s refused: %s", path, exc)
            self._show_fatal(
                self.tr("The kiosk options file {path} is not valid: {detail}").format(
                    path=str(path), detail=str(exc)
                )
            )
            self._app.exit(1)
            return None
        return build_kiosk_window(desk, self._languages, options=options)

    def _on_desk_started(self, _result, error) -> None:
        if error is not None:
            log.error("the desk could not start", exc_info=error)
            self._show_fatal(messages.error_text(error))

    def _show_fatal(self, text: str) -> None:
        parent = self.window or self.first_run
        QMessageBox.critical(parent, self.tr("Hall Counter"), text)
        if parent is None:
            self._app.exit(1)


def _install_excepthook() -> None:
    """Uncaught exceptions in any thread are logged, never swallowed."""

    def hook(kind, value, traceback):
        log.critical("uncaught exception", exc_info=(kind, value, traceback))

    def thread_hook(args):
        log.critical(
            "uncaught exception in thread %s",
            args.thread.name if args.thread else "?",
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )

    sys.excepthook = hook
    threading.excepthook = thread_hook


def run_gui(args: argparse.Namespace) -> int:
    """Run the clerk GUI until its window closes; return the exit code."""
    _install_excepthook()
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "hall-counter"])
    app.setApplicationName("hall-counter")
    install_cjk_font(app)
    load_stylesheet(app)
    languages = LanguageManager(app)
    languages.set_language(args.lang or DEFAULT_LANGUAGE)

    controller = GuiController(app, args, languages)
    if not controller.start():
        controller.shutdown()
        return 1
    try:
        code = app.exec()
    finally:
        controller.shutdown()
    return int(code)
