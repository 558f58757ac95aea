"""The self-service kiosk: one citizen alone at the screen, from the card to "take your card".

``hall-counter --kiosk`` opens this window instead of the clerk's. It runs the same Desk as a
clerk's window (card, PIN, face, the outbox); what differs is who is in front of it: a citizen,
perhaps 75 and unsure of touch screens, with the next person in line behind.

The flow, one decision per screen (pages.py), with every prompt written and spoken:

    closed (staff open the kiosk) → insert the card → reading → PIN (on screen, or on the
    reader's own keypad) → face check (consent, a random liveness challenge judged on the
    camera's frames, the comparison) → choose a service → its questions or its records →
    result and printout → "take your card" until the card is out → the next citizen

The face check is the Desk's live check (``Desk.start_face_check``): the desk's camera, a
challenge judged by the face worker on the camera's frames, then the comparison with the card
photo; the session (and so the case) records the decision and the liveness result. In training
mode without a camera the desk's camera plays the seed's sample photo, a still picture: no
challenge is asked, the screen says plainly that liveness is not checked, and the case records
``not_checked``.

A staff member opens the kiosk by signing in with a clerk account: the Desk serves citizens
only for a signed-in clerk, and the cases made at the kiosk name that account. The kiosk calls
central for what the Desk does not do (records, documents, staff calls, the admin check)
through :class:`desktop.kiosk.KioskServices`.

Privacy. Every piece of personal data lives in this window's citizen fields and in the pages
showing it. :meth:`KioskWindow.wipe` drops all of it (and the Desk's citizen session) when the
citizen finishes, when the card leaves the reader (at once), after the idle countdown, and when
an admin opens the hidden admin page. Late answers for a wiped citizen are dropped (each
carries the citizen "generation" it was asked for).

Lockdown inside the app: frameless, full screen, on top; close requests refused; close keys
swallowed (guard.py); an admin leaves through the corner gesture and an admin sign-in.
"""

from __future__ import annotations

import functools
import logging
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QImage
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.kiosk import KioskOptions, KioskServices
from desktop.resources import resource_path
from devices.card.record import mask_name
from ui.qt import messages
from ui.qt.bridge import DeskBridge, FutureRelay, connect_queued
from ui.qt.camera import FaceCheckRelay
from ui.qt.i18n import LANGUAGE_NAMES, LanguageManager
from ui.qt.kiosk.documents import (
    DocumentPrinter,
    certificate_content,
    receipt_content,
    statement_content,
)
from ui.qt.kiosk.guard import KioskGuard
from ui.qt.kiosk.pages import (
    AdminPage,
    ClosedPage,
    FacePage,
    KioskPage,
    MenuPage,
    MessagePage,
    PinPage,
    QuestionPage,
    RecordsPage,
)
from ui.qt.kiosk.prompts import Prompt, prompt
from ui.qt.kiosk.speech import VoicePrompter
from ui.qt.widgets.chrome import TrainingBannerWidget

log = logging.getLogger(__name__)

RECORDS = "records"
CERTIFICATE = "certificate"
STAFF_CALL_SHOWN_MS = 120_000
# The commonest kiosk panel: every screen is laid out to fit it.
KIOSK_SIZE = (1366, 768)
# Face outcomes (desktop.face_check reasons) after which the citizen may try again.
LIVENESS_REASONS = ("liveness_failed", "liveness_timeout")
RETRY_REASONS = (*LIVENESS_REASONS, "not_judged")
# Card codes of a PIN keyed on the reader's pinpad that let the citizen try again.
PINPAD_STOPS = ("pinpad_timeout", "pinpad_cancelled", "pinpad_bad_length")
# Codes after which the citizen can only take the card and see staff.
SIGN_IN_CODES = ("session_expired", "not_signed_in", "unauthorized")


def kiosk_form_fields(service) -> list[tuple[str, dict]] | None:
    """The form's fields when the kiosk can ask each as one question (choices, yes/no).

    None when a field needs typing: such a service is for a service window.
    """
    form = getattr(service, "form", None) or {}
    fields = []
    for name, spec in (form.get("properties") or {}).items():
        if spec.get("type") == "boolean" or (
            spec.get("type") == "string" and spec.get("enum") and spec.get("x-enum-titles")
        ):
            fields.append((name, spec))
        else:
            return None
    return fields


class KioskWindow(QWidget):
    """The kiosk's only window (see the module docstring).

    Build it before ``desk.start()`` so that the first reader and card events reach it; call
    :meth:`shutdown` once it is done (it stops the kiosk's threads and removes the guard).

    ``challenge_source`` picks each liveness challenge (a function returning ``blink``,
    ``turn_left`` or ``turn_right``); by default the desk picks one at random.
    """

    exit_requested = Signal()

    def __init__(
        self,
        desk,
        languages: LanguageManager,
        *,
        services: KioskServices,
        options: KioskOptions | None = None,
        printer: DocumentPrinter | None = None,
        voice: VoicePrompter | None = None,
        challenge_source=None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kioskWindow")
        self.setWindowFlags(
            Qt.WindowType.Window
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self._desk = desk
        self._languages = languages
        self._training = bool(desk.settings.training)
        self.options = options or KioskOptions()
        self.services = services
        self._challenge_source = challenge_source
        self.printer = printer or DocumentPrinter()
        self.voice = voice or VoicePrompter(
            enabled=self.options.speech, language=languages.language or "zh_CN", parent=self
        )
        self._exit_allowed = False
        services.start()

        self.bridge = DeskBridge(self)
        self.relay = FutureRelay(self)
        desk.add_listener(self.bridge)

        # The kiosk and the citizen ----------------------------------------------------------
        self._open = False
        self._catalog: list = []
        self._card_present = False
        self._reader_state = ""
        self._generation = 0
        self._session = None
        self._record = None
        self._pin_ok = False
        self._face = "pending"  # pending, match, declined, failed, unavailable
        self._face_attempts = 0
        self._face_check = None  # desktop.face_check.LiveFaceCheck while one runs
        self._pinpad = False
        self.card_tray = None
        self._service = None
        self._fields: list[tuple[str, dict]] = []
        self._answers: dict[str, object] = {}
        self._records = None
        self._page_before_idle: QWidget | None = None
        self._countdown = 0
        self._current_field: str | None = None
        self._pending_number = ""

        # Timers (before the pages: wipe() stops them) -------------------------------------
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._on_idle)
        self._still_there_tick = QTimer(self)
        self._still_there_tick.setInterval(1000)
        self._still_there_tick.timeout.connect(self._on_still_there_tick)
        self._reminder = QTimer(self)
        self._reminder.setInterval(int(self.options.card_reminder_seconds * 1000))
        self._reminder.timeout.connect(self._on_reminder)
        self._staff_call_timer = QTimer(self)
        self._staff_call_timer.setSingleShot(True)
        self._staff_call_timer.timeout.connect(self._on_staff_call_expired)
        # The face check's frames, prompts and status, on the GUI thread.
        self.face_relay = FaceCheckRelay(self)
        self.face_relay.frame_ready.connect(self._on_face_frame)
        self.face_relay.progress.connect(self._on_face_progress)

        self._build()

        # The guard watches the whole application ----------------------------------------------
        self.guard = KioskGuard(self, corner_taps=self.options.corner_taps)
        self.guard.activity.connect(self._on_activity)
        self.guard.admin_requested.connect(self._on_admin_requested)
        QApplication.instance().installEventFilter(self.guard)

        # Desk events, always through the event loop -------------------------------------------
        connect_queued(self.bridge.card_inserted, self._on_card_inserted)
        connect_queued(self.bridge.card_removed, self._on_card_removed)
        connect_queued(self.bridge.reader_state_changed, self._on_reader_state)
        connect_queued(self.bridge.citizen_ended, self._on_citizen_ended)
        languages.language_changed.connect(self._on_language_changed)

        self._stylesheet()
        self._show(self.closed_page, "closed", speak=False)
        self.retranslate()
        self.resize(*KIOSK_SIZE)

    # --- building --------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        # One header row: in training the 培训模式 band stands where the title would, so that
        # every screen still fits a 1366 x 768 panel.
        header = QWidget(self)
        header.setObjectName("kioskHeader")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.header = header
        row = QHBoxLayout(header)
        row.setContentsMargins(20, 4, 20, 4)
        row.setSpacing(16)
        self.training_banner = TrainingBannerWidget(header)
        self.training_banner.setVisible(self._training)
        self._title = QLabel(header)
        self._title.setObjectName("kioskTitle")
        self._title.setVisible(not self._training)
        row.addWidget(self.training_banner, 1)
        row.addWidget(self._title, 1)
        # Training's sample cards, in a drawer that opens over the screen (training only).
        self.cards_button = QPushButton(header)
        self.cards_button.setObjectName("kioskCardsButton")
        self.cards_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cards_button.setCheckable(True)
        self.cards_button.setVisible(False)
        self.cards_button.toggled.connect(self._on_cards_toggled)
        row.addWidget(self.cards_button)
        self.language_button = QPushButton(header)
        self.language_button.setObjectName("kioskLanguageButton")
        self.language_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.language_button.clicked.connect(self._on_language_clicked)
        row.addWidget(self.language_button)
        layout.addWidget(header)

        self.pages = QStackedWidget(self)
        self.closed_page = ClosedPage(training=self._training, parent=self.pages)
        self.closed_page.open_requested.connect(self._on_open_requested)
        self.welcome_page = MessagePage("kioskWelcomePage", {}, self.pages)
        self.busy_page = MessagePage("kioskBusyPage", {}, self.pages)
        self.pin_page = PinPage(self.options.keypad, self.pages)
        self.pin_page.keypad.confirmed.connect(self._on_pin_confirmed)
        self.pin_page.action_chosen.connect(self._on_pin_action)
        self.consent_page = MessagePage(
            "kioskConsentPage",
            {"kioskAgreeButton": self._agree_text, "kioskDeclineButton": self._decline_text},
            self.pages,
        )
        self.consent_page.action_chosen.connect(self._on_consent_action)
        self.face_page = FacePage(self.pages)
        self.face_page.action_chosen.connect(self._on_face_stopped)
        self.menu_page = MenuPage(self.pages)
        self.menu_page.service_chosen.connect(self._on_service_chosen)
        self.menu_page.action_chosen.connect(self._on_finish_chosen)
        self.records_page = RecordsPage(self.pages)
        self.records_page.action_chosen.connect(self._on_records_action)
        self.question_page = QuestionPage(self.pages)
        self.question_page.answered.connect(self._on_answered)
        self.question_page.action_chosen.connect(self._on_back_to_menu)
        self.result_page = MessagePage(
            "kioskResultPage",
            {"kioskResultMenu": self._another_text, "kioskResultFinish": self._finish_text},
            self.pages,
        )
        self.result_page.action_chosen.connect(self._on_result_action)
        self.take_card_page = MessagePage("kioskTakeCardPage", {}, self.pages)
        self.still_there_page = MessagePage(
            "kioskStillTherePage", {"kioskStillHereButton": self._still_here_text}, self.pages
        )
        self.still_there_page.action_chosen.connect(self._on_still_here)
        self.admin_page = AdminPage(self.pages)
        self.admin_page.sign_in_requested.connect(self._on_admin_sign_in)
        self.admin_page.action_chosen.connect(self._on_admin_action)
        for page in self.all_pages():
            self.pages.addWidget(page)
        layout.addWidget(self.pages, 1)

        footer = QWidget(self)
        footer.setObjectName("kioskFooter")
        footer.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(footer)
        row.setContentsMargins(20, 4, 20, 4)
        self.staff_message = QLabel(footer)
        self.staff_message.setObjectName("kioskStaffCallMessage")
        self.staff_message.setWordWrap(True)
        row.addWidget(self.staff_message, 1)
        self.call_staff_button = QPushButton(footer)
        self.call_staff_button.setObjectName("kioskCallStaffButton")
        self.call_staff_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.call_staff_button.clicked.connect(self._on_call_staff)
        row.addWidget(self.call_staff_button)
        layout.addWidget(footer)

    def _stylesheet(self) -> None:
        path = resource_path("styles", "kiosk.qss")
        try:
            self.setStyleSheet(path.read_text(encoding="utf-8"))
        except OSError:
            log.warning("kiosk style sheet %s not found; plain style", path)

    def all_pages(self) -> list[KioskPage]:
        """Every screen of the kiosk."""
        return [
            self.closed_page,
            self.welcome_page,
            self.busy_page,
            self.pin_page,
            self.consent_page,
            self.face_page,
            self.menu_page,
            self.records_page,
            self.question_page,
            self.result_page,
            self.take_card_page,
            self.still_there_page,
            self.admin_page,
        ]

    # Pages where a citizen's data may be on screen: the idle timer runs there.
    def _idle_pages(self) -> tuple[QWidget, ...]:
        return (
            self.pin_page,
            self.consent_page,
            self.face_page,
            self.menu_page,
            self.records_page,
            self.question_page,
            self.result_page,
            self.admin_page,
        )

    # --- showing a step --------------------------------------------------------------------

    def _show(
        self, page: KioskPage, code: str, *, speak: bool = True, important: bool = False, **values
    ) -> Prompt:
        shown = page.set_prompt(code, **values) if code else page.current_prompt()
        self.pages.setCurrentWidget(page)
        if speak:
            self.voice.say(shown.code, shown.spoken, important=important)
        self._arm_idle()
        return shown

    @property
    def current_page(self) -> QWidget:
        """The screen now shown."""
        return self.pages.currentWidget()

    @property
    def citizen_present(self) -> bool:
        """True while a citizen's data is held."""
        return self._session is not None or self._record is not None

    def _show_welcome(self, *, speak: bool = True) -> None:
        if not self._open:
            self._show(self.closed_page, "closed", speak=False)
            return
        if self._reader_state not in ("", "ready"):
            self._show(self.welcome_page, "reader_missing", speak=speak)
        else:
            self._show(self.welcome_page, "insert_card", speak=speak)

    # --- opening and closing the kiosk ------------------------------------------------------

    @Slot()
    def _on_open_requested(self) -> None:
        username, password = self.closed_page.take_credentials()
        self.closed_page.set_busy(True)
        self.closed_page.show_message("")
        self.relay.watch(self._desk.sign_in(username, password), self._on_opened)
        del password

    def _on_opened(self, staff, error) -> None:
        self.closed_page.set_busy(False)
        if error is not None:
            self.closed_page.show_message(messages.error_text(error))
            return
        if "clerk" not in staff.roles:
            self._desk.sign_out()
            self.closed_page.show_message(
                self.tr("This account cannot open the kiosk: a clerk account is needed.")
            )
            return
        log.info("kiosk opened by %s", staff.username)
        self._open = True
        self.relay.watch(self._desk.services(), self._on_catalog_loaded)
        self._show_welcome()
        if self._card_present:
            self._begin_citizen()

    def _on_catalog_loaded(self, services, error) -> None:
        if error is not None:
            log.warning("kiosk catalogue not loaded: %s", messages.error_code(error))
            return
        self._catalog = list(services)

    def close_kiosk(self, message: str = "") -> None:
        """Stop serving: wipe, sign the clerk out, back to the closed screen."""
        self.wipe()
        self._open = False
        self._desk.sign_out()
        self._reminder.stop()
        self.closed_page.show_message(message)
        self._show(self.closed_page, "closed", speak=False)
        log.info("kiosk closed")

    # --- the card ---------------------------------------------------------------------------

    @Slot(str)
    def _on_reader_state(self, state: str) -> None:
        self._reader_state = state
        if self.current_page is self.welcome_page:
            self._show_welcome(speak=state != "ready")

    @Slot(object)
    def _on_card_inserted(self, record) -> None:
        self._card_present = True
        if not self._open:
            return
        if self.current_page in (self.welcome_page, self.take_card_page):
            self._reminder.stop()
            self._begin_citizen()

    @Slot()
    def _on_card_removed(self) -> None:
        self._card_present = False
        self._reminder.stop()
        if self.current_page is self.take_card_page:
            self.wipe()
            shown = prompt("goodbye")
            self.voice.say(shown.code, shown.spoken)
            self._show_welcome(speak=False)
            return
        if self.current_page in (self.closed_page, self.admin_page):
            return
        # Pulling the card ends everything at once (design 4.7, kiosk mode).
        had_citizen = self.citizen_present or self.current_page is not self.welcome_page
        self.wipe()
        if had_citizen:
            shown = prompt("card_removed")
            self.voice.say(shown.code, shown.spoken)
        self._show_welcome(speak=False)

    @Slot(str)
    def _on_citizen_ended(self, reason: str) -> None:
        # The Desk ended the session it had (card swapped, signed out): drop ours too. A
        # removed card is left to _on_card_removed, which comes next and says so.
        if reason == "card_removed":
            return
        if self._session is not None and getattr(self._session, "ended", False):
            log.info("desk ended the citizen session (%s)", reason)
            self.wipe()
            self._show_welcome(speak=False)

    def _begin_citizen(self) -> None:
        self.wipe()
        self._show(self.busy_page, "reading")
        handler = functools.partial(self._on_citizen_ready, self._generation)
        self.relay.watch(self._desk.begin_citizen(), handler)

    def _on_citizen_ready(self, generation: int, session, error) -> None:
        if generation != self._generation:
            if session is not None and not self._card_present and session is self._desk.citizen:
                self._desk.end_citizen()
            return
        if error is not None:
            self._fail(error)
            return
        self._session = session
        self._record = session.record
        if session.offline:
            self._needs_staff(
                self.tr("The kiosk cannot reach the social security system right now."),
                finish_only=True,
            )
            return
        self._ask_tries_left()

    # --- PIN --------------------------------------------------------------------------------

    def _ask_tries_left(self) -> None:
        # Tries left, and whether the reader has its own keypad (PC/SC part 10 pinpad).
        handler = functools.partial(self._on_pin_state, self._generation)
        self.relay.watch(self._desk.pin_state(self._session), handler)

    def _on_pin_state(self, generation: int, state, error) -> None:
        if generation != self._generation:
            return
        tries = None
        self._pinpad = False
        if error is None:
            tries = state.tries_left
            self._pinpad = bool(state.pinpad)
            if state.blocked:
                tries = 0
        elif _card_code(error) == "pin_blocked":
            tries = 0
        else:
            log.info("PIN state unknown: %s", _card_code(error))
        if tries == 0:
            self._show_result("pin_blocked", finish_only=True)
            return
        if self._pinpad:
            self._ask_pin_on_reader(
                "enter_pin_reader" if tries is not None else "enter_pin_reader_unknown", tries
            )
        else:
            self._show_pin("enter_pin" if tries is not None else "enter_pin_unknown", tries)

    def _show_pin(self, code: str, tries: int | None) -> None:
        keypad = self.pin_page.keypad
        self.pin_page.set_mode(PinPage.KEYPAD)
        keypad.clear()
        keypad.arrange()  # a shuffled keypad gets a new layout every time
        keypad.set_enabled(True)
        self._show(self.pin_page, code, tries="" if tries is None else tries)

    def _ask_pin_on_reader(self, code: str, tries: int | None) -> None:
        """The citizen keys the PIN on the reader: the screen says so, the reader waits."""
        if self._session is None:
            return
        self.pin_page.keypad.set_enabled(False)
        self.pin_page.set_mode(PinPage.PINPAD)
        self._show(self.pin_page, code, tries="" if tries is None else tries)
        future = self._desk.verify_pin_on_pinpad(self._session)
        self.relay.watch(future, functools.partial(self._on_pin_verified, self._generation))

    @Slot(str)
    def _on_pin_action(self, name: str) -> None:
        if name == "kioskPinpadRetry" and self._session is not None:
            self._ask_pin_on_reader("enter_pin_reader_unknown", None)
        else:
            self._finish()

    @Slot()
    def _on_pin_confirmed(self) -> None:
        if self._session is None:
            return
        self.pin_page.keypad.set_enabled(False)
        # The keypad forgets the digits as it hands them over; they go only to the card.
        future = self._desk.verify_pin(self._session, self.pin_page.keypad.take_pin())
        self._show(self.busy_page, "pin_checking")
        self.relay.watch(future, functools.partial(self._on_pin_verified, self._generation))

    def _on_pin_verified(self, generation: int, result, error) -> None:
        if generation != self._generation:
            return
        if error is not None:
            code = _card_code(error)
            if code == "pin_blocked":
                self._show_result("pin_blocked", finish_only=True)
                return
            if code in PINPAD_STOPS:
                # The reader stopped waiting: say why and let the citizen choose.
                log.info("PIN on the pinpad: %s", code)
                self.pin_page.set_mode(PinPage.PINPAD_RETRY)
                self._show(self.pin_page, code)
                return
            if code == "no_pinpad":
                self._pinpad = False
                self._show_pin("enter_pin_unknown", None)
                return
            self._fail(error)
            return
        if result.status == "ok":
            self._pin_ok = True
            self.pin_page.set_mode(PinPage.KEYPAD)
            self._show(self.consent_page, "consent")
            self.consent_page.show_actions(["kioskAgreeButton", "kioskDeclineButton"])
        elif result.status == "blocked":
            self._show_result("pin_blocked", finish_only=True)
        elif result.status == "card_removed":
            return  # the removal event resets the kiosk
        elif self._pinpad:
            self._ask_pin_on_reader(
                "pinpad_wrong" if result.tries_left is not None else "enter_pin_reader_unknown",
                result.tries_left,
            )
        elif result.tries_left is not None:
            self._show_pin("pin_wrong", result.tries_left)
        else:
            self._show_pin("enter_pin_unknown", None)

    # --- face -------------------------------------------------------------------------------

    @Slot(str)
    def _on_consent_action(self, name: str) -> None:
        if self._session is None:
            return
        if name == "kioskAgreeButton":
            self._face_attempts = 0
            try:
                self._desk.consent_face(self._session)
            except Exception as exc:  # the session ended, or the sign-in expired
                log.info("face consent not recorded: %s", messages.error_code(exc))
                self._fail(exc)
                return
            self._start_face_attempt(retry="")
            return
        try:
            self._desk.decline_face(self._session)
        except Exception as exc:  # the session ended meanwhile
            log.info("face decline not recorded: %s", messages.error_code(exc))
        self._face = "declined"
        log.info("face check declined at the kiosk")
        self._show_menu()

    @Slot(str)
    def _on_face_stopped(self, _name: str) -> None:
        self._stop_face_check()
        self._on_consent_action("kioskDeclineButton")

    @property
    def liveness_checked(self) -> bool:
        """False where the desk's camera is training's still sample photo."""
        return bool(getattr(self._desk, "face_liveness", True))

    def _start_face_attempt(self, *, retry: str) -> None:
        """One face check: the desk's camera, the challenge (unless the camera is a still
        picture), the comparison. ``retry``: the prompt code said before it ("" the first time).
        """
        self._face_attempts += 1
        challenge = None
        if self._challenge_source is not None and self.liveness_checked:
            challenge = self._challenge_source()
        check = self._desk.start_face_check(
            self._session,
            listener=self.face_relay.new_listener(),
            challenge=challenge,
            time_limit_s=self.options.liveness_seconds,
        )
        self._face_check = check
        self.face_page.start(sample=not self.liveness_checked and self._training)
        if check.challenge:
            shown = self.face_page.set_prompt("challenge", action=check.challenge)
        else:
            shown = self.face_page.set_prompt("face_still")
        self.pages.setCurrentWidget(self.face_page)
        spoken = shown.spoken
        if retry:
            spoken = prompt(retry).spoken + " " + spoken
        self.voice.say(shown.code, spoken)
        self._arm_idle()
        log.info("kiosk face check started (%s)", check.challenge or "still picture")
        handler = functools.partial(self._on_face_outcome, self._generation, check)
        self.relay.watch(check.result, handler)

    @Slot(QImage, int, int)
    def _on_face_frame(self, image: QImage, _width: int, _height: int) -> None:
        if self._face_check is not None and self.current_page is self.face_page:
            self.face_page.show_frame(image)

    @Slot(object)
    def _on_face_progress(self, progress) -> None:
        check = self._face_check
        if check is None or self.current_page is not self.face_page:
            return
        if progress.status == "passed":
            self.face_page.set_advice("passed")
        elif progress.prompt and progress.prompt != check.challenge:
            self.face_page.set_advice(progress.prompt)
        else:
            self.face_page.set_advice(None)

    def _stop_face_check(self) -> None:
        """End the face check: the camera stops, the picture goes from the screen."""
        check, self._face_check = self._face_check, None
        self.face_relay.stop()
        if check is not None and not check.result.done():
            check.cancel()
        self.face_page.stop()

    def _on_face_outcome(self, generation: int, check, outcome, error) -> None:
        if generation != self._generation or check is not self._face_check:
            return
        self._stop_face_check()
        if error is not None:
            if messages.error_code(error) in SIGN_IN_CODES:
                self._fail(error)
                return
            self._face = "unavailable"
            log.info("face check unavailable at the kiosk: %s", messages.error_code(error))
            self._show_menu()
            return
        log.info(
            "kiosk face check: %s (%s), liveness %s",
            outcome.decision,
            outcome.reason or "-",
            outcome.liveness,
        )
        if outcome.decision == "match":
            self._face = "match"
            self._show_menu()
            return
        if outcome.reason == "cancelled":
            return
        retry = outcome.decision == "no_match" or outcome.reason in RETRY_REASONS
        if retry and self._face_attempts < self.options.face_attempts:
            again = "liveness_retry" if outcome.reason in LIVENESS_REASONS else "face_retry"
            self._start_face_attempt(retry=again)
            return
        # Tried enough, or nothing the citizen can do (no camera, no card photo, ...).
        self._face = "failed" if retry else "unavailable"
        self._show_menu()

    # --- the services -----------------------------------------------------------------------

    def _kiosk_services(self) -> list:
        return [s for s in self._catalog if s.kiosk and kiosk_form_fields(s) is not None]

    def _why_not(self, factors: tuple[str, ...]) -> str:
        if "pin" in factors and not self._pin_ok:
            return self.tr("Needs the card PIN.")
        if "face" in factors and self._face != "match":
            return self.tr("Needs the face check: please go to a service window.")
        if "central" in factors and (self._session is None or self._session.person_ref is None):
            return self.tr("Not available right now: please go to a service window.")
        return ""

    def _show_menu(self) -> None:
        entries = [
            {
                "code": RECORDS,
                "name": self._records_name,
                "why_not": functools.partial(self._why_not, ("pin", "central")),
            },
            {
                "code": CERTIFICATE,
                "name": self._certificate_name,
                "why_not": functools.partial(self._why_not, ("pin", "central")),
            },
        ]
        for service in self._kiosk_services():
            entries.append(
                {
                    "code": service.code,
                    "name": service.name,
                    "why_not": functools.partial(self._why_not, tuple(service.factors)),
                }
            )
        self.menu_page.set_entries(entries)
        name = mask_name(self._record.name) if self._record is not None else ""
        self._show(self.menu_page, "menu", name=name or "")

    @Slot(str)
    def _on_service_chosen(self, code: str) -> None:
        if self._session is None:
            return
        if code == RECORDS:
            self._show(self.busy_page, "records_loading")
            handler = functools.partial(self._on_records_loaded, self._generation)
            self.relay.watch(self.services.contributions(self._session.person_ref), handler)
            return
        if code == CERTIFICATE:
            self._issue_and_print(CERTIFICATE)
            return
        service = next((s for s in self._kiosk_services() if s.code == code), None)
        if service is None:
            return
        self._service = service
        self._fields = kiosk_form_fields(service) or []
        self._answers = {}
        self._ask_next_question()

    @Slot(str)
    def _on_back_to_menu(self, _name: str = "") -> None:
        self._service = None
        self._answers = {}
        self.question_page.clear()
        self.records_page.clear()
        self._records = None
        self._show_menu()

    # Records

    def _on_records_loaded(self, generation: int, records, error) -> None:
        if generation != self._generation:
            return
        if error is not None:
            self._fail(error)
            return
        self._records = records
        self.records_page.show_records(records)
        status = {
            "contributing": self.tr("You are insured and contributing."),
            "receiving": self.tr("You receive your pension."),
            "none": self.tr("No contributions are on record."),
        }.get(records.status, "")
        since = records.insured_since.isoformat() if records.insured_since else "—"
        self._show(
            self.records_page, "records", status=status, since=since, months=records.total_months
        )

    @Slot(str)
    def _on_records_action(self, name: str) -> None:
        if name == "kioskPrintRecords":
            self._issue_and_print(RECORDS)
        else:
            self._on_back_to_menu()

    # Documents

    def _issue_and_print(self, kind: str) -> None:
        if not self.printer.available():
            # Checked first: no document is issued that cannot be printed.
            self._show_result("no_printer")
            return
        self._show(self.busy_page, "issuing")
        document_kind = "certificate" if kind == CERTIFICATE else "contributions"
        future = self.services.issue_document(self._session.person_ref, document_kind)
        self.relay.watch(future, functools.partial(self._on_document_issued, self._generation))

    def _on_document_issued(self, generation: int, document, error) -> None:
        if generation != self._generation:
            return
        if error is not None:
            self._fail(error)
            return
        mark = self.training_banner.mark() if self._training else ""
        if document.kind == "certificate":
            content = certificate_content(document, training_mark=mark)
        else:
            content = statement_content(document, training_mark=mark)
        self._show(self.busy_page, "printing")
        handler = functools.partial(self._on_printed, self._generation, "document_done")
        self.relay.watch(self.printer.print_document(content), handler)
        self._pending_number = document.number

    def _on_printed(self, generation: int, code: str, _result, error) -> None:
        if generation != self._generation:
            return
        number = getattr(self, "_pending_number", "")
        self._pending_number = ""
        if error is not None:
            log.warning("printing failed: %s", getattr(error, "code", type(error).__name__))
            printed = self.tr(
                "This kiosk cannot print right now; a service window can print it for you."
            )
        else:
            printed = self.tr("Please take your printout from the slot below the screen.")
        if code == "document_done":
            self._show_result("document_done", number=number, printed=printed)
        else:
            self._show_result("case_done", local=number, printed=printed)

    # Cases

    def _ask_next_question(self) -> None:
        for name, spec in self._fields:
            if name in self._answers:
                continue
            title = {"zh_CN": spec.get("title", name), "en": spec.get("x-title-en", name)}
            if spec.get("type") == "boolean":
                options = [(True, self._yes_text), (False, self._no_text)]
            else:
                titles = spec.get("x-enum-titles", {})
                options = [(value, titles.get(value, value)) for value in spec["enum"]]
            self.question_page.ask(title, options)
            self._current_field = name
            self._show(self.question_page, "")
            return
        self._submit_case()

    @Slot(object)
    def _on_answered(self, value: object) -> None:
        name = getattr(self, "_current_field", None)
        if name is None or self._service is None:
            return
        self._answers[name] = value
        self._ask_next_question()

    def _submit_case(self) -> None:
        service = self._service
        self._show(self.busy_page, "submitting")
        future = self._desk.submit(self._session, service.code, dict(self._answers))
        handler = functools.partial(self._on_case_queued, self._generation, service)
        self.relay.watch(future, handler)

    def _on_case_queued(self, generation: int, service, queued, error) -> None:
        if generation != self._generation:
            return
        self._answers = {}
        if error is not None:
            code = messages.error_code(error)
            if code in ("cosign_required", "approval_required", "face_required"):
                self._needs_staff(
                    self.tr("This needs a staff member's check. A service window can help you.")
                )
                return
            self._fail(error)
            return
        log.info("kiosk case queued %s", queued.local_id)
        settings = self._desk.settings
        content = receipt_content(
            service_name=service.name,
            local_id=queued.local_id,
            hall_id=settings.hall_id,
            workstation_id=settings.workstation_id,
            name=mask_name(self._record.name) if self._record is not None else "",
            issued_at=datetime.now(UTC),
            training_mark=self.training_banner.mark() if self._training else "",
        )
        self._pending_number = queued.local_id
        if not self.printer.available():
            self._on_printed(generation, "case_done", None, RuntimeError("no printer"))
            return
        self._show(self.busy_page, "printing")
        handler = functools.partial(self._on_printed, self._generation, "case_done")
        self.relay.watch(self.printer.print_document(content), handler)

    # --- results and the end ----------------------------------------------------------------

    def _show_result(self, code: str, *, finish_only: bool = False, **values) -> None:
        self._show(self.result_page, code, **values)
        if finish_only:
            self.result_page.show_actions(["kioskResultFinish"])
        else:
            self.result_page.show_actions(["kioskResultMenu", "kioskResultFinish"])

    def _needs_staff(self, reason: str, *, finish_only: bool = False) -> None:
        self._show_result("needs_staff", finish_only=finish_only, reason=reason)

    def _fail(self, error: BaseException) -> None:
        code = messages.error_code(error) or ""
        log.info("kiosk step failed: %s", code or type(error).__name__)
        if code in SIGN_IN_CODES:
            self.close_kiosk(self.tr("The kiosk's sign-in has expired. Staff: open it again."))
            return
        if code in ("no_card", "card_changed") and not self._card_present:
            return  # the removal event resets the kiosk
        reasons = {
            "card_lost": messages.card_status_text("lost"),
            "card_cancelled": messages.card_status_text("cancelled"),
            "card_replaced": messages.card_status_text("replaced"),
            "person_not_found": self.tr("The social security system has no record of this card."),
            "card_not_found": self.tr("The social security system has no record of this card."),
            "central_unavailable": self.tr(
                "The kiosk cannot reach the social security system right now."
            ),
            "card_changed": self.tr("A different card is in the reader."),
            "card_error": self.tr("The card cannot be read. It may be damaged."),
        }
        reason = reasons.get(code) or self.tr("The kiosk could not finish this.")
        finish_only = self._session is None or code in ("card_changed", "card_error")
        self._show_result("failed", finish_only=finish_only, reason=reason)

    @Slot(str)
    def _on_result_action(self, name: str) -> None:
        if name == "kioskResultMenu" and self._session is not None:
            self._on_back_to_menu()
        else:
            self._finish()

    @Slot(str)
    def _on_finish_chosen(self, _name: str = "") -> None:
        self._finish()

    def _finish(self) -> None:
        self.wipe()
        if self._card_present:
            self._show(self.take_card_page, "take_card", important=True)
            self._reminder.start()
        else:
            shown = prompt("goodbye")
            self.voice.say(shown.code, shown.spoken)
            self._show_welcome(speak=False)

    @Slot()
    def _on_reminder(self) -> None:
        if self._card_present and self.current_page is self.take_card_page:
            shown = prompt("take_card")
            self.voice.say(shown.code, shown.spoken, important=True)
        else:
            self._reminder.stop()

    def wipe(self) -> None:
        """Drop every personal datum from the screens, from this window and from the Desk."""
        had_citizen = self.citizen_present
        self._generation += 1
        self._still_there_tick.stop()
        self._reminder.stop()
        self._stop_face_check()
        self._pinpad = False
        self._session = None
        self._record = None
        self._pin_ok = False
        self._face = "pending"
        self._face_attempts = 0
        self._service = None
        self._fields = []
        self._answers = {}
        self._records = None
        self._current_field = None
        self._pending_number = ""
        self._page_before_idle = None
        for page in self.all_pages():
            if page is not self.closed_page:
                page.clear()
        self.pin_page.keypad.set_enabled(False)
        self.pin_page.set_mode(PinPage.KEYPAD)
        self.voice.silence()
        if had_citizen or self._desk.citizen is not None:
            self._desk.end_citizen()
            log.info("kiosk citizen data wiped")

    # --- idle --------------------------------------------------------------------------------

    def _arm_idle(self) -> None:
        if self.current_page in self._idle_pages():
            self._idle.start(int(self.options.idle_seconds * 1000))
        else:
            self._idle.stop()

    @Slot()
    def _on_activity(self) -> None:
        if self._idle.isActive():
            self._idle.start(int(self.options.idle_seconds * 1000))

    @Slot()
    def _on_idle(self) -> None:
        if self.current_page is self.admin_page:
            self.admin_page.clear()
            self._show_welcome(speak=False)
            return
        log.info("kiosk idle: asking whether the citizen is still there")
        self._page_before_idle = self.current_page
        if self._face_check is not None:
            # The camera stops while nobody answers; "still here" goes back to the consent.
            self._stop_face_check()
            self._page_before_idle = self.consent_page
        self._countdown = max(1, int(self.options.still_there_seconds))
        self._show(self.still_there_page, "still_there", seconds=self._countdown)
        self.still_there_page.show_actions(["kioskStillHereButton"])
        self._still_there_tick.start()

    @Slot()
    def _on_still_there_tick(self) -> None:
        self._countdown -= 1
        if self._countdown > 0:
            self.still_there_page.set_prompt("still_there", seconds=self._countdown)
            return
        self._still_there_tick.stop()
        self.reset_after_idle()

    @Slot(str)
    def _on_still_here(self, _name: str) -> None:
        self._still_there_tick.stop()
        page = self._page_before_idle or self.welcome_page
        self._page_before_idle = None
        self.pages.setCurrentWidget(page)
        self._arm_idle()

    def reset_after_idle(self) -> None:
        """Nobody answered: wipe everything; a card left in the reader gets a spoken reminder."""
        log.info("kiosk reset after idle")
        self._still_there_tick.stop()
        self.wipe()
        if self._card_present:
            self._show(self.take_card_page, "take_card", important=True)
            self._reminder.start()
        else:
            self._show_welcome(speak=False)

    # --- staff --------------------------------------------------------------------------------

    @Slot()
    def _on_call_staff(self) -> None:
        page = self.current_page
        screen = {
            self.closed_page: "closed",
            self.welcome_page: "welcome",
            self.busy_page: "busy",
            self.pin_page: "pin",
            self.consent_page: "consent",
            self.face_page: "face",
            self.menu_page: "menu",
            self.records_page: "records",
            self.question_page: "question",
            self.result_page: "result",
            self.take_card_page: "take_card",
            self.still_there_page: "still_there",
            self.admin_page: "admin",
        }.get(page, "other")
        self.call_staff_button.setEnabled(False)
        self.relay.watch(self.services.call_staff(screen), self._on_staff_called)

    def _on_staff_called(self, _call, error) -> None:
        self.call_staff_button.setEnabled(True)
        shown = prompt("staff_call_failed" if error is not None else "staff_called")
        self.staff_message.setText(f"{shown.heading}. {shown.body}")
        self.staff_message.setProperty("called", error is None)
        self.voice.say(shown.code, shown.spoken)
        self._staff_call_timer.start(STAFF_CALL_SHOWN_MS)

    @Slot()
    def _on_staff_call_expired(self) -> None:
        self.staff_message.setText("")

    @Slot()
    def _on_admin_requested(self) -> None:
        if self.current_page is self.admin_page:
            return
        self.wipe()  # nothing personal stays on screen behind the admin
        self._reminder.stop()
        self.admin_page.clear()
        self._show(self.admin_page, "admin", speak=False)
        self.admin_page.username.setFocus()

    @Slot()
    def _on_admin_sign_in(self) -> None:
        username, password = self.admin_page.take_credentials()
        self.admin_page.set_busy(True)
        self.admin_page.show_message("")
        self.relay.watch(self.services.admin_sign_in(username, password), self._on_admin_checked)
        del password

    def _on_admin_checked(self, username, error) -> None:
        self.admin_page.set_busy(False)
        if error is not None:
            if messages.error_code(error) == "not_admin":
                text = self.tr("This account is not an administrator's.")
            else:
                text = messages.error_text(error)
            self.admin_page.show_message(text)
            return
        self.admin_page.set_signed_in(username)
        self._arm_idle()

    @Slot(str)
    def _on_admin_action(self, name: str) -> None:
        if name == "kioskAdminExit" and self.admin_page.signed_in:
            log.info("kiosk exit by admin %s", self.admin_page.signed_in)
            self.admin_page.clear()
            self.request_exit()
        elif name == "kioskAdminClose" and self.admin_page.signed_in:
            self.admin_page.clear()
            self.close_kiosk()
        else:
            self.admin_page.clear()
            self._show_welcome(speak=False)

    # --- language -----------------------------------------------------------------------------

    @Slot()
    def _on_language_clicked(self) -> None:
        other = "en" if self._languages.language == "zh_CN" else "zh_CN"
        self._languages.set_language(other)

    @Slot(str)
    def _on_language_changed(self, language: str) -> None:
        self.voice.set_language(language)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def attach_training_cards(self, card_reader) -> None:
        """In training mode, the tray that puts sample cards into the simulated reader: in a
        drawer that the header's button opens over the screen, closed again once a card is
        put in or taken out."""
        if not self._training or card_reader is None:
            return
        from ui.app import default_card_profiles
        from ui.qt.widgets.training_cards import TrainingCardTrayWidget

        drawer = QWidget(self)
        drawer.setObjectName("kioskCardDrawer")
        drawer.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        column = QVBoxLayout(drawer)
        column.setContentsMargins(20, 10, 20, 10)
        self.card_tray = TrainingCardTrayWidget(card_reader, default_card_profiles(), parent=drawer)
        combo = self.card_tray.cards
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for button in (self.card_tray.insert_button, self.card_tray.remove_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(functools.partial(self.cards_button.setChecked, False))
        column.addWidget(self.card_tray)
        drawer.hide()
        self.card_drawer = drawer
        self.cards_button.setVisible(True)
        self.retranslate()

    @Slot(bool)
    def _on_cards_toggled(self, shown: bool) -> None:
        drawer = getattr(self, "card_drawer", None)
        if drawer is None:
            return
        if shown:
            self._place_card_drawer()
            drawer.show()
            drawer.raise_()
        else:
            drawer.hide()

    def _place_card_drawer(self) -> None:
        drawer = getattr(self, "card_drawer", None)
        if drawer is not None:
            top = self.header.geometry().bottom() + 1
            drawer.setGeometry(0, top, self.width(), drawer.sizeHint().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_card_drawer()

    def retranslate(self) -> None:
        """Texts in the current language."""
        self._title.setText(self.tr("Social security self-service"))
        if self.card_tray is not None:
            self.card_tray.retranslate()
        self.cards_button.setText(self.tr("Sample cards"))
        other = "en" if self._languages.language == "zh_CN" else "zh_CN"
        # The other language, named in itself, so that its readers find it.
        self.language_button.setText(LANGUAGE_NAMES[other])
        self.call_staff_button.setText(self.tr("Call staff"))
        title = self.tr("Hall Counter — self-service kiosk")
        if self._training:
            title = f"[{self.training_banner.mark()}] {title}"
        self.setWindowTitle(title)

    def _records_name(self) -> str:
        return self.tr("Check my contribution records")

    def _certificate_name(self) -> str:
        return self.tr("Print my insurance certificate")

    def _yes_text(self) -> str:
        return self.tr("Yes")

    def _no_text(self) -> str:
        return self.tr("No")

    def _agree_text(self) -> str:
        return self.tr("Yes, I agree")

    def _decline_text(self) -> str:
        return self.tr("No, skip the face check")

    def _another_text(self) -> str:
        return self.tr("Another service")

    def _finish_text(self) -> str:
        return self.tr("Finish and take the card")

    def _still_here_text(self) -> str:
        return self.tr("I am still here")

    # --- leaving -----------------------------------------------------------------------------

    def request_exit(self) -> None:
        """Leave the kiosk (after an admin signed in): the window closes for good."""
        self._exit_allowed = True
        self.wipe()
        self.exit_requested.emit()
        self.close()

    def allow_close(self) -> None:
        """Let the next close request through (the program is shutting down)."""
        self._exit_allowed = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._exit_allowed:
            # Alt+F4 or the window manager's close: refused, the kiosk stays.
            log.info("close request refused")
            event.ignore()
            return
        self.wipe()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the kiosk's timers and threads and remove the guard (idempotent)."""
        for timer in (
            self._idle,
            self._still_there_tick,
            self._reminder,
            self._staff_call_timer,
        ):
            timer.stop()
        self._stop_face_check()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.guard)
        self.relay.forget_all()
        self.voice.silence()
        self.printer.stop()
        self.services.stop()


def build_kiosk_window(desk, languages: LanguageManager, *, options: KioskOptions) -> KioskWindow:
    """The kiosk window for a desk: its central services, printer and voice."""
    from desktop.kiosk import KioskServices
    from ui.qt.kiosk.documents import default_printer_factory

    return KioskWindow(
        desk,
        languages,
        services=KioskServices(desk.client, desk.settings),
        options=options,
        printer=DocumentPrinter(default_printer_factory(options.printer)),
    )


def _card_code(error: BaseException) -> str:
    """The code of a PIN step's error: the card layer's own for ``card_error``."""
    code = messages.error_code(error) or ""
    fields = getattr(error, "fields", None) or {}
    if code == "card_error" and fields.get("card_code"):
        return str(fields["card_code"])
    return code
