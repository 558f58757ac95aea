"""The clerk window: sign-in, then the serving page; header, training mark and status bar.

The window owns the bridge that the Desk reports to and the relay that brings Desk results
back to the GUI thread. It never blocks: sign-in, catalogue, card, PIN, face and submit all run
on the Desk's workers.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QCoreApplication, QEvent, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from desktop.errors import DeskError
from ui.qt import messages
from ui.qt.bridge import DeskBridge, FutureRelay, connect_queued
from ui.qt.camera import default_camera
from ui.qt.dashboard.entry import DashboardButtonWidget
from ui.qt.i18n import LanguageManager
from ui.qt.pages.serve_page import ServePage
from ui.qt.pages.sign_in_page import SignInPage
from ui.qt.widgets.chrome import DeskStatusBar, HeaderWidget, TrainingBannerWidget
from ui.qt.widgets.lock_screen import ActivityFilter, LockScreenWidget
from ui.qt.widgets.security_text import error_text as people_error_text

log = logging.getLogger(__name__)


class ClerkWindow(QMainWindow):
    """The main window at a clerk's desk.

    The window registers itself with the Desk (``desk.add_listener``); build it before
    ``desk.start()`` so that the first reader and card events reach it. Kiosk mode and the
    card grace period come from the Desk (``desk.kiosk``, ``settings.card_grace_seconds``).
    ``camera`` takes the staff member's picture for the face sign-in step (by default the desk's
    configured camera, see :func:`ui.qt.camera.default_camera`). ``training_cards`` is the training
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
        # Supervisors' views and the lock button (desktop/ checks the roles again).
        self.approvals_button = QPushButton(self.header)
        self.approvals_button.setObjectName("approvalsButton")
        self.approvals_button.clicked.connect(self._on_approvals_requested)
        self.alerts_button = QPushButton(self.header)
        self.alerts_button.setObjectName("alertsButton")
        self.alerts_button.clicked.connect(self._on_alerts_requested)
        self.lock_button = QPushButton(self.header)
        self.lock_button.setObjectName("lockButton")
        self.lock_button.clicked.connect(self._on_lock_requested)
        for button in (self.approvals_button, self.alerts_button, self.lock_button):
            button.hide()
            header_layout.insertWidget(header_layout.count() - 2, button)
        self.approvals_view = None
        self.alerts_view = None

        self.pages = QStackedWidget(central)
        self.sign_in_page = SignInPage(training=self._training, parent=self.pages)
        self.sign_in_page.sign_in_requested.connect(self._on_sign_in_requested)
        if camera is None:
            camera = default_camera(desk)
        self.camera = camera
        self.serve_page = ServePage(desk, self.bridge, self.relay, parent=self.pages)
        connect_queued(self.serve_page.sign_in_required, self._on_sign_in_required)
        self._install_ecard(desk)
        self.pages.addWidget(self.sign_in_page)
        self.pages.addWidget(self.serve_page)
        self.serve_page.service_panel.cosign.set_reasons(desk.cosign_reasons())
        self.sign_in_page.card_factor_requested.connect(self._on_card_factor_requested)
        self.sign_in_page.face_factor_requested.connect(self._on_face_factor_requested)
        self.sign_in_page.factor_cancelled.connect(self._on_sign_out_requested)
        # The lock screen replaces every page while the desk is locked.
        self.lock_screen = LockScreenWidget(self.pages)
        self.lock_screen.unlock_requested.connect(self._on_unlock_requested)
        self.lock_screen.sign_out_requested.connect(self._on_sign_out_requested)
        self.pages.addWidget(self.lock_screen)
        self._page_before_lock = None
        connect_queued(self.bridge.session_locked, self._on_session_locked)
        connect_queued(self.bridge.signed_out, self._on_signed_out)
        self.activity = ActivityFilter(desk.touch, self._counts_as_activity, parent=self)
        QCoreApplication.instance().installEventFilter(self.activity)
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

    # Cards: the e-card scanner, foreign cards ----------------------------------------------

    def _install_ecard(self, desk) -> None:
        """A keyboard-wedge scanner's burst anywhere in the window serves an e-card; in
        training mode the e-card field offers the training citizens' codes."""
        from ui.qt.widgets.ecard_input import WedgeKeyFilter

        self.wedge = WedgeKeyFilter(self, active=self._serving)
        self.wedge.payload_scanned.connect(self._on_ecard_scanned)
        self.wedge.install()
        self.serve_page.settle_typing = self.wedge.flush
        connect_queued(self.bridge.card_ignored, self._on_card_ignored)
        if self._training:
            from ui.app import load_seed

            seed = load_seed() or {}
            samples = [
                (f"{c.get('id', '')} {c['name']}", c["ecard_payload"])
                for c in seed.get("citizens", [])
                if c.get("ecard_payload")
            ]
            self.serve_page.ecard_input.set_training_samples(samples)

    def _serving(self) -> bool:
        return self._staff is not None and self.pages.currentWidget() is self.serve_page

    @Slot(object)
    def _on_ecard_scanned(self, payload) -> None:
        self.serve_page.begin_ecard(payload)

    @Slot(str)
    def _on_card_ignored(self, reader: str) -> None:
        # A security key or another card that is not a social security card: a quiet note.
        self.status.showMessage(messages.card_ignored_text(reader), 10000)

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
        if staff.second_factor:
            self.sign_in_page.ask_second_factor(staff.second_factor, staff.name or staff.username)
            return
        self._enter(staff)

    def _enter(self, staff) -> None:
        """The staff member passed every sign-in step: the serving page and their tools."""
        self._staff = staff
        self.dashboard_button.show_for(staff.roles)
        self.approvals_button.setVisible(staff.can("view_approvals"))
        self.alerts_button.setVisible(staff.can("view_alerts"))
        self.lock_button.show()
        self.sign_in_page.reset()
        self.pages.setCurrentWidget(self.serve_page)
        self.serve_page.activate()

    # The second sign-in step ------------------------------------------------------------------

    @Slot()
    def _on_card_factor_requested(self) -> None:
        pin = self.sign_in_page.take_pin()
        self.sign_in_page.set_busy(True)
        self.sign_in_page.show_message("")
        self.relay.watch(self._desk.verify_staff_card(pin), self._on_factor_checked)
        del pin

    @Slot()
    def _on_face_factor_requested(self) -> None:
        if self._staff is None:
            return
        self.sign_in_page.set_busy(True)
        self.sign_in_page.show_message("")
        subject = _StaffSubject(self._staff.username)
        self.relay.watch(self.camera.capture(subject), self._on_staff_picture)

    def _on_staff_picture(self, image, error) -> None:
        if self._staff is None:
            return
        if error is not None or not image:
            self.sign_in_page.set_busy(False)
            self.sign_in_page.show_message(
                self.tr("The camera gave no picture. Check the camera and try again.")
            )
            return
        self.relay.watch(self._desk.verify_staff_face(image), self._on_factor_checked)

    def _on_factor_checked(self, staff, error) -> None:
        self.sign_in_page.set_busy(False)
        if error is not None:
            self.sign_in_page.show_message(people_error_text(error))
            return
        log.info("second sign-in step passed")
        self._enter(staff)

    # The idle lock ----------------------------------------------------------------------------

    def _counts_as_activity(self) -> bool:
        return self._staff is not None and self._desk.locked is None

    @Slot()
    def _on_lock_requested(self) -> None:
        # The desk refuses everything at once; stopping an inbox watcher may take a few
        # seconds, so not on this thread. The lock screen comes with on_session_locked.
        self._close_people_views()
        threading.Thread(target=self._desk.lock, name="desk-lock", daemon=True).start()

    @Slot(str)
    def _on_session_locked(self, reason: str) -> None:
        if self._staff is None or self._desk.locked is None:
            return
        log.info("screen locked (%s)", reason)
        if self.pages.currentWidget() is not self.lock_screen:
            self._page_before_lock = self.pages.currentWidget()
        # Nothing personal stays in view: the other windows close, the pages are covered.
        self._close_people_views()
        self._close_dashboard()
        if self.outbox_view is not None:
            self.outbox_view.close()
        if self.card_tray is not None:
            self.card_tray.hide()
        for button in self._tool_buttons():
            button.setEnabled(False)
        self.lock_screen.show_locked(self._staff.name or self._staff.username, reason)
        self.pages.setCurrentWidget(self.lock_screen)

    def _tool_buttons(self) -> tuple:
        """The header's and status bar's buttons that open other views (off while locked)."""
        return (
            self.dashboard_button,
            self.outbox_button,
            self.lock_button,
            self.approvals_button,
            self.alerts_button,
        )

    @Slot()
    def _on_unlock_requested(self) -> None:
        password = self.lock_screen.take_password()
        self.lock_screen.set_busy(True)
        self.lock_screen.show_message("")
        self.relay.watch(self._desk.unlock(password), self._on_unlocked)
        del password

    def _on_unlocked(self, staff, error) -> None:
        self.lock_screen.set_busy(False)
        if error is not None:
            if self._staff is not None:
                self.lock_screen.show_message(people_error_text(error))
            return
        log.info("screen unlocked")
        self._staff = staff
        self._leave_lock()

    def _leave_lock(self) -> None:
        for button in self._tool_buttons():
            button.setEnabled(True)
        if self.card_tray is not None:
            self.card_tray.show()
        page, self._page_before_lock = self._page_before_lock, None
        self.pages.setCurrentWidget(page or self.serve_page)

    @Slot(str)
    def _on_signed_out(self, reason: str) -> None:
        # The Desk signed the staff member out itself (e.g. locked out while unlocking).
        if self._staff is None:
            return
        self._on_sign_out_requested()
        if reason == "locked_out":
            self.sign_in_page.show_message(people_error_text(DeskError("account_locked", reason)))

    @Slot()
    def _on_sign_out_requested(self) -> None:
        self._close_dashboard()
        self._close_people_views()
        self.dashboard_button.show_for(())
        for button in (self.approvals_button, self.alerts_button, self.lock_button):
            button.hide()
        if self.pages.currentWidget() is self.lock_screen:
            self._leave_lock()
        self.sign_in_page.reset()
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

    # Supervisors: the approval inbox and the alerts ---------------------------------------------

    @Slot()
    def _on_approvals_requested(self) -> None:
        from ui.qt.widgets.approvals_view import ApprovalsView

        if self.approvals_view is None:
            self.approvals_view = ApprovalsView(self._desk, self.bridge, self.relay, parent=self)
            self.approvals_view.closed.connect(self._on_approvals_closed)
        self.approvals_view.show()
        self.approvals_view.raise_()
        self.approvals_view.activateWindow()
        self.approvals_view.refresh()

    @Slot()
    def _on_approvals_closed(self) -> None:
        view, self.approvals_view = self.approvals_view, None
        if view is not None:
            view.deleteLater()

    @Slot()
    def _on_alerts_requested(self) -> None:
        from ui.qt.widgets.alerts_view import AlertsView

        if self.alerts_view is None:
            can_verify = self._staff is not None and self._staff.can("verify_audit")
            self.alerts_view = AlertsView(
                self._desk, self.bridge, self.relay, can_verify=can_verify, parent=self
            )
            self.alerts_view.closed.connect(self._on_alerts_closed)
        self.alerts_view.show()
        self.alerts_view.raise_()
        self.alerts_view.activateWindow()
        self.alerts_view.refresh()

    @Slot()
    def _on_alerts_closed(self) -> None:
        view, self.alerts_view = self.alerts_view, None
        if view is not None:
            view.deleteLater()

    def _close_people_views(self) -> None:
        for view in (self.approvals_view, self.alerts_view):
            if view is not None:
                view.close()

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
        self.approvals_button.setText(self.tr("Approvals"))
        self.approvals_button.setToolTip(self.tr("Cases of the hall waiting for a supervisor"))
        self.alerts_button.setText(self.tr("Alerts"))
        self.alerts_button.setToolTip(self.tr("Security alerts of the hall; check the audit chain"))
        self.lock_button.setText(self.tr("Lock screen"))
        self.lock_button.setToolTip(self.tr("Lock the screen while you step away"))
        if self.card_tray is not None:
            self.card_tray.retranslate()

    # Closing --------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.wedge.remove()
        QCoreApplication.instance().removeEventFilter(self.activity)
        self._close_people_views()
        self._close_dashboard()
        if self.outbox_view is not None:
            self.outbox_view.close()
        self.serve_page.wipe()
        self.relay.forget_all()
        self.camera.stop()
        self.closed.emit()
        super().closeEvent(event)


class _StaffSubject:
    """What the camera is asked to picture for the staff second factor: no card, no citizen."""

    card_no = None
    ssn = None

    def __init__(self, username: str) -> None:
        self.username = username
