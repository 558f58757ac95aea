"""The clerk window: sign-in, then the serving page; header, training mark and status bar.

The window owns the bridge that the Desk reports to and the relay that brings Desk results
back to the GUI thread. It never blocks: sign-in, catalogue, card, PIN, face and submit all run
on the Desk's workers.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from ui.qt import messages
from ui.qt.bridge import DeskBridge, FutureRelay, connect_queued
from ui.qt.camera import NoCamera, SampleCamera
from ui.qt.dashboard.entry import DashboardButtonWidget
from ui.qt.i18n import LanguageManager
from ui.qt.pages.serve_page import ServePage
from ui.qt.pages.sign_in_page import SignInPage
from ui.qt.widgets.chrome import DeskStatusBar, HeaderWidget, TrainingBannerWidget

log = logging.getLogger(__name__)


class ClerkWindow(QMainWindow):
    """The main window at a clerk's desk.

    The window registers itself with the Desk (``desk.add_listener``); build it before
    ``desk.start()`` so that the first reader and card events reach it. Kiosk mode and the
    card grace period come from the Desk (``desk.kiosk``, ``settings.card_grace_seconds``).
    ``camera`` gives the face panel its picture: the training seed's sample photos in training
    mode, none otherwise (a real camera is not built yet). ``training_cards`` is the training
    desk's SimulatedCardReader: in training mode a tray of sample cards drives it.
    """

    closed = Signal()

    def __init__(
        self,
        desk,
        languages: LanguageManager,
        *,
        camera=None,
        training_cards=None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("clerkWindow")
        self._desk = desk
        self._languages = languages
        self._training = bool(desk.settings.training)
        self._staff = None

        self.bridge = DeskBridge(self)
        self.relay = FutureRelay(self)
        desk.add_listener(self.bridge)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.training_banner = TrainingBannerWidget(central)
        self.training_banner.setVisible(self._training)
        layout.addWidget(self.training_banner)
        self.card_tray = None
        if self._training and training_cards is not None:
            from ui.app import default_card_profiles
            from ui.qt.widgets.training_cards import TrainingCardTrayWidget

            self.card_tray = TrainingCardTrayWidget(
                training_cards, default_card_profiles(), parent=central
            )
            layout.addWidget(self.card_tray)
        self.header = HeaderWidget(central)
        self.header.set_place(desk.settings.hall_id, desk.settings.workstation_id)
        self.header.sign_out_requested.connect(self._on_sign_out_requested)
        self.header.language_switch.language_chosen.connect(self._on_language_chosen)
        languages.language_changed.connect(self._on_language_changed)
        layout.addWidget(self.header)
        # The hall dashboard's button, before the header's sign-out button and language switch.
        self.dashboard_button = DashboardButtonWidget(self.header)
        self.dashboard_button.clicked.connect(self._on_dashboard_requested)
        header_layout = self.header.layout()
        header_layout.insertWidget(header_layout.count() - 2, self.dashboard_button)
        self.dashboard_window = None

        self.pages = QStackedWidget(central)
        self.sign_in_page = SignInPage(training=self._training, parent=self.pages)
        self.sign_in_page.sign_in_requested.connect(self._on_sign_in_requested)
        if camera is None:
            camera = SampleCamera() if self._training else NoCamera()
        self.camera = camera
        self.serve_page = ServePage(desk, self.bridge, self.relay, camera, parent=self.pages)
        connect_queued(self.serve_page.sign_in_required, self._on_sign_in_required)
        self.pages.addWidget(self.sign_in_page)
        self.pages.addWidget(self.serve_page)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.status = DeskStatusBar(self)
        self.setStatusBar(self.status)
        connect_queued(self.bridge.network_state_changed, self.status.set_online)
        connect_queued(self.bridge.reader_state_changed, self.status.set_reader_state)
        connect_queued(self.bridge.outbox_changed, self.status.set_outbox_counts)
        if getattr(desk, "online", None) is not None:
            self.status.set_online(desk.online)
        # The outbox view's button, at the right end of the status bar.
        self.outbox_button = QPushButton(self.status)
        self.outbox_button.setObjectName("outboxButton")
        self.outbox_button.clicked.connect(self._on_outbox_requested)
        self.status.addPermanentWidget(self.outbox_button)
        self.outbox_view = None

        self.resize(1366, 800)
        self.retranslate()

    # Sign-in --------------------------------------------------------------------------------

    @property
    def staff(self):
        """The StaffSession of the clerk signed in, or None."""
        return self._staff

    @Slot()
    def _on_sign_in_requested(self) -> None:
        username, password = self.sign_in_page.take_credentials()
        self.sign_in_page.set_busy(True)
        self.sign_in_page.show_message("")
        self.relay.watch(self._desk.sign_in(username, password), self._on_signed_in)
        del password

    def _on_signed_in(self, staff, error) -> None:
        self.sign_in_page.set_busy(False)
        if error is not None:
            self.sign_in_page.show_message(messages.error_text(error))
            return
        log.info("clerk signed in")
        self._staff = staff
        self.header.set_clerk(staff.name or staff.username)
        self.dashboard_button.show_for(staff.roles)
        self.sign_in_page.reset()
        self.pages.setCurrentWidget(self.serve_page)
        self.serve_page.activate()

    @Slot()
    def _on_sign_out_requested(self) -> None:
        self._close_dashboard()
        self.dashboard_button.show_for(())
        self.serve_page.deactivate()
        self._desk.sign_out()
        self._staff = None
        self.header.set_clerk("")
        self.pages.setCurrentWidget(self.sign_in_page)
        log.info("clerk signed out")

    @Slot(str)
    def _on_sign_in_required(self, text: str) -> None:
        if self._staff is None:
            return
        self._on_sign_out_requested()
        self.sign_in_page.show_message(text)

    # The hall dashboard (supervisors and admins) ---------------------------------------------

    @Slot()
    def _on_dashboard_requested(self) -> None:
        from ui.qt.dashboard.window import DashboardWindow

        if self.dashboard_window is not None:
            self.dashboard_window.raise_()
            self.dashboard_window.activateWindow()
            return
        try:
            client = self._desk.dashboard()  # the role is checked in desktop/, not only here
        except Exception as exc:
            self.status.showMessage(messages.error_text(exc), 10000)
            return
        window = DashboardWindow(
            client, services=self._desk.services(), training=self._training, parent=self
        )
        window.closed.connect(self._on_dashboard_closed)
        self.dashboard_window = window
        window.show()
        window.refresh()

    @Slot()
    def _on_dashboard_closed(self) -> None:
        window, self.dashboard_window = self.dashboard_window, None
        if window is not None:
            window.deleteLater()

    def _close_dashboard(self) -> None:
        if self.dashboard_window is not None:
            self.dashboard_window.close()

    # The outbox view -------------------------------------------------------------------------

    @Slot()
    def _on_outbox_requested(self) -> None:
        from ui.qt.widgets.outbox_view import OutboxView

        if self.outbox_view is None:
            self.outbox_view = OutboxView(self._desk, self.bridge, self.relay, parent=self)
            self.outbox_view.closed.connect(self._on_outbox_closed)
        self.outbox_view.show()
        self.outbox_view.raise_()
        self.outbox_view.activateWindow()
        self.outbox_view.refresh()

    @Slot()
    def _on_outbox_closed(self) -> None:
        view, self.outbox_view = self.outbox_view, None
        if view is not None:
            view.deleteLater()

    # Language -------------------------------------------------------------------------------

    @Slot(str)
    def _on_language_chosen(self, language: str) -> None:
        self._languages.set_language(language)

    @Slot(str)
    def _on_language_changed(self, language: str) -> None:
        self.header.language_switch.set_language(language)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Title in the current language, with the training mark in training mode."""
        title = self.tr("Hall Counter — social security service window")
        if self._training:
            title = f"[{self.training_banner.mark()}] {title}"
        self.setWindowTitle(title)
        self.outbox_button.setText(self.tr("Outbox"))
        self.outbox_button.setToolTip(self.tr("Cases queued at this desk: send now, withdraw"))
        if self.card_tray is not None:
            self.card_tray.retranslate()

    # Closing --------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self._close_dashboard()
        if self.outbox_view is not None:
            self.outbox_view.close()
        self.serve_page.wipe()
        self.relay.forget_all()
        self.camera.stop()
        self.closed.emit()
        super().closeEvent(event)
