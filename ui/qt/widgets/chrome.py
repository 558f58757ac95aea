"""The parts around every screen: the training banner, the header and the status bar."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStatusBar,
    QWidget,
)

from ui.qt import messages
from ui.qt.i18n import LANGUAGE_NAMES, LANGUAGES, current_language

OUTBOX_STATES = ("pending", "sending", "sent", "rejected")


class TrainingBannerWidget(QLabel):
    """The 培训模式 / TRAINING mark: words, not only a colour, on top of every screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingBanner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.retranslate()

    def mark(self) -> str:
        """The mark itself, e.g. "培训模式 / TRAINING"."""
        return self.tr("TRAINING")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Mark and explanation in the current language."""
        self.setText(
            self.tr(
                "{mark} — practice only: cases go to the training sandbox, not to central."
            ).format(mark=self.mark())
        )
        self.setAccessibleName(self.mark())


class LanguageSwitchWidget(QComboBox):
    """Picks the interface language; each language is named in itself."""

    language_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("languageSwitch")
        for language in LANGUAGES:
            self.addItem(LANGUAGE_NAMES[language], language)
        self.set_language(current_language())
        self.currentIndexChanged.connect(self._on_index_changed)
        self.retranslate()

    def set_language(self, language: str) -> None:
        """Show ``language`` as chosen without emitting ``language_chosen``."""
        self.blockSignals(True)
        self.setCurrentIndex(max(0, self.findData(language)))
        self.blockSignals(False)

    @Slot(int)
    def _on_index_changed(self, _index: int) -> None:
        self.language_chosen.emit(str(self.currentData()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Tooltip in the current language."""
        self.setToolTip(self.tr("Interface language"))
        self.setAccessibleName(self.tr("Interface language"))


class HeaderWidget(QWidget):
    """Application title, the hall and workstation, the clerk signed in, the language switch."""

    sign_out_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        # A plain QWidget paints a style-sheet background only when asked to.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._place = ""
        self._clerk = ""

        layout = QHBoxLayout(self)
        self._title = QLabel(self)
        self._title.setObjectName("appTitle")
        layout.addWidget(self._title)
        self._place_label = QLabel(self)
        self._place_label.setObjectName("placeLabel")
        layout.addWidget(self._place_label)
        layout.addStretch(1)
        self._clerk_label = QLabel(self)
        self._clerk_label.setObjectName("clerkLabel")
        layout.addWidget(self._clerk_label)
        self._sign_out = QPushButton(self)
        self._sign_out.setObjectName("signOutButton")
        self._sign_out.clicked.connect(self.sign_out_requested)
        layout.addWidget(self._sign_out)
        self.language_switch = LanguageSwitchWidget(self)
        layout.addWidget(self.language_switch)
        self.retranslate()

    def set_place(self, hall_id: str, workstation_id: str) -> None:
        """The hall and the workstation this desk is."""
        self._place = f"{hall_id} · {workstation_id}" if hall_id else ""
        self.retranslate()

    def set_clerk(self, name: str) -> None:
        """Who is signed in ("" when nobody)."""
        self._clerk = name
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self._title.setText(self.tr("Social security service window"))
        self._place_label.setText(
            self.tr("Hall and window: {place}").format(place=self._place) if self._place else ""
        )
        self._clerk_label.setText(
            self.tr("Clerk: {name}").format(name=self._clerk) if self._clerk else ""
        )
        self._clerk_label.setVisible(bool(self._clerk))
        self._sign_out.setText(self.tr("Sign out"))
        self._sign_out.setVisible(bool(self._clerk))


class DeskStatusBar(QStatusBar):
    """Network state, reader state and the outbox counts, always in view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deskStatusBar")
        self._online: bool | None = None
        self._reader = ""
        self._counts: dict[str, int] = {}
        self._network = QLabel(self)
        self._network.setObjectName("networkState")
        self._reader_label = QLabel(self)
        self._reader_label.setObjectName("readerState")
        self._outbox = QLabel(self)
        self._outbox.setObjectName("outboxCounts")
        self.addPermanentWidget(self._network)
        self.addPermanentWidget(self._reader_label)
        self.addPermanentWidget(self._outbox, 1)
        self.retranslate()

    @Slot(bool)
    def set_online(self, online: bool) -> None:
        """Central reachable or not."""
        self._online = online
        self.retranslate()

    @Slot(str)
    def set_reader_state(self, state: str) -> None:
        """The card reader's state code."""
        self._reader = state
        self.retranslate()

    @Slot(object)
    def set_outbox_counts(self, counts: dict) -> None:
        """Counts of queued cases by state."""
        self._counts = {k: int(v) for k, v in dict(counts).items()}
        self.retranslate()

    def counts(self) -> dict[str, int]:
        """The counts now shown."""
        return dict(self._counts)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        if self._online is None:
            network = self.tr("Network: checking…")
        elif self._online:
            network = self.tr("Network: online")
        else:
            network = self.tr("Network: OFFLINE — cases wait in the outbox")
        self._network.setText(network)
        self._reader_label.setText(messages.reader_state_text(self._reader) if self._reader else "")
        parts = [
            self.tr("{state} {count}").format(
                state=messages.outbox_state_text(state), count=self._counts.get(state, 0)
            )
            for state in OUTBOX_STATES
        ]
        self._outbox.setText(self.tr("Outbox: {counts}").format(counts=" · ".join(parts)))
