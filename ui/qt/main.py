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

Stopping: closing the window, or a stop signal (SIGINT from Ctrl+C, SIGTERM from a service
manager or ``kill``, SIGHUP when the terminal closes; SIGBREAK from Ctrl+Break in a Windows
console; a Windows console's close button gives no signal Python can see) stops in order: the
window closes, the desk stops ("desk ... stopped" in the log), then the training sandbox
("sandbox stopped"). Python runs a signal handler only when the interpreter gets control, which
Qt's event loop does not give it on its own, so :class:`SignalStopper` writes each signal to a
socket (``signal.set_wakeup_fd``) that a ``QSocketNotifier`` watches.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import gc
import logging
import signal
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Slot
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
        self.stop_requested = False
        self._build: concurrent.futures.Future | None = None

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

    def request_stop(self, reason: str) -> None:
        """Stop the program in order (a stop signal): close the windows, end the event loop;
        :meth:`shutdown` then stops the desk and the sandbox. Safe before the loop runs."""
        if self.stop_requested:
            log.info("%s: already stopping", reason)
            return
        self.stop_requested = True
        log.info("%s: stopping", reason)
        for window in (self.window, self.first_run):
            if window is None:
                continue
            allow_close = getattr(window, "allow_close", None)
            if allow_close is not None:
                allow_close()  # the kiosk refuses other close requests
            window.close()
        self._app.exit(0)
        # exit() does nothing before the event loop runs; this ends it as soon as it starts.
        QTimer.singleShot(0, lambda: self._app.exit(0))

    def shutdown(self) -> None:
        """Stop the Desk and the start-up helper; called once the event loop has ended."""
        # A desk still being built or started must be finished before it can be stopped.
        self._executor.shutdown(wait=True)
        build, self._build = self._build, None
        if self.desk is None and build is not None and build.done() and not build.exception():
            # Built while the program was stopping, never handed to a window: stop it too.
            self.desk, self._training_central, _reader = build.result()
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
        self._build = future
        self._relay.watch(future, self._on_desk_built)

    def _on_desk_built(self, built, error) -> None:
        self._build = None
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
            return
        # The objects made while starting (Qt wrappers, the catalogue, a training central's
        # whole web stack) live as long as the program. Left in the collector's oldest
        # generation, each full collection walks them all on whichever thread allocates, which
        # froze the window for over 100 ms at a time; frozen, they are never walked again.
        gc.freeze()

    def _show_fatal(self, text: str) -> None:
        parent = self.window or self.first_run
        QMessageBox.critical(parent, self.tr("Hall Counter"), text)
        if parent is None:
            self._app.exit(1)


# Signals that stop the program in order; those a platform lacks are skipped.
STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK")


class SignalStopper(QObject):
    """Turns stop signals into a call of ``on_signal(name)`` on the GUI thread.

    Python's handler runs only when the interpreter gets control; the C-level handler also
    writes the signal to a socket (``signal.set_wakeup_fd``), and a ``QSocketNotifier`` on it
    wakes the event loop, which calls into Python: the handler runs at once. Where no wake-up
    socket can be set (not the main thread), a timer gives the interpreter control 4 times a
    second. A signal ignored when the program started (``nohup``: SIGHUP) stays ignored.
    Install on the main thread; :meth:`uninstall` restores what was there before.
    """

    def __init__(self, parent: QObject, on_signal: Callable[[str], None]) -> None:
        super().__init__(parent)
        self._on_signal = on_signal
        self._previous: dict[int, object] = {}
        self._previous_wakeup: int | None = None
        self._receiver, self._sender = socket.socketpair()
        for end in (self._receiver, self._sender):
            end.setblocking(False)
        self._notifier: QSocketNotifier | None = None
        self._timer: QTimer | None = None
        try:
            self._previous_wakeup = signal.set_wakeup_fd(
                self._sender.fileno(), warn_on_full_buffer=False
            )
        except ValueError:  # not the main thread
            log.warning("no wake-up socket for signals; polling for them")
            self._timer = QTimer(self)
            self._timer.timeout.connect(lambda: None)
            self._timer.start(250)
        else:
            self._notifier = QSocketNotifier(
                self._receiver.fileno(), QSocketNotifier.Type.Read, self
            )
            self._notifier.activated.connect(self._drain)
        for name in STOP_SIGNALS:
            number = getattr(signal, name, None)
            if number is None or signal.getsignal(number) is signal.SIG_IGN:
                continue  # missing here, or ignored on purpose (nohup, a background job)
            try:
                self._previous[number] = signal.signal(number, self._handle)
            except (ValueError, OSError):  # not the main thread, or not settable here
                log.debug("cannot handle %s", name)

    def _handle(self, number: int, _frame) -> None:
        self._on_signal(signal.Signals(number).name)

    @Slot()
    def _drain(self) -> None:
        with contextlib.suppress(OSError):
            while self._receiver.recv(512):
                pass

    def uninstall(self) -> None:
        """Give the signals back their previous handlers (idempotent)."""
        for number, handler in self._previous.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(number, handler)
        self._previous.clear()
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            with contextlib.suppress(ValueError):
                signal.set_wakeup_fd(
                    self._previous_wakeup if self._previous_wakeup is not None else -1
                )
            self._notifier = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._receiver.close()
        self._sender.close()


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
    stopper = SignalStopper(app, controller.request_stop)
    try:
        if not controller.start():
            return 1
        code = app.exec()
    finally:
        # The handlers stay during the shutdown: a second Ctrl+C does not cut it short.
        controller.shutdown()
        stopper.uninstall()
        log.info("hall-counter stopped")
    return 0 if controller.stop_requested else int(code)
