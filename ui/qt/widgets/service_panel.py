"""The service picker, the case form of the chosen service, and the submit button."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.qt.i18n import localized
from ui.qt.widgets.cosign_panel import CosignWidget
from ui.qt.widgets.service_form import ServiceFormWidget


class ServicePanelWidget(QGroupBox):
    """Choose a service (names in the current language), fill its form, submit the case."""

    service_chosen = Signal(str)  # service code ("" when none)
    submit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("servicePanel")
        self._services: list = []
        self._message = ""
        self._loading = False
        self._busy = False
        self._can_submit = False

        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self._picker_label = QLabel(self)
        row.addWidget(self._picker_label)
        self._picker = QComboBox(self)
        self._picker.setObjectName("servicePicker")
        self._picker.currentIndexChanged.connect(self._on_picker_changed)
        self._picker_label.setBuddy(self._picker)
        row.addWidget(self._picker, 1)
        layout.addLayout(row)

        self._factors = QLabel(self)
        self._factors.setObjectName("serviceFactors")
        self._factors.setWordWrap(True)
        layout.addWidget(self._factors)

        self.form = ServiceFormWidget(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout.addWidget(scroll, 1)

        self._message_label = QLabel(self)
        self._message_label.setObjectName("serviceMessage")
        self._message_label.setWordWrap(True)
        layout.addWidget(self._message_label)
        self.cosign = CosignWidget(self)
        layout.addWidget(self.cosign)
        self._submit = QPushButton(self)
        self._submit.setObjectName("submitButton")
        self._submit.clicked.connect(self.submit_requested)
        layout.addWidget(self._submit)
        self.retranslate()

    # Data -----------------------------------------------------------------------------------

    def show_loading(self) -> None:
        """The catalogue is on its way."""
        self._loading = True
        self.retranslate()

    def set_services(self, services: list) -> None:
        """Fill the picker with the catalogue (``desktop.contract.Service`` objects)."""
        current = self.current_code()
        self._loading = False
        self._services = list(services)
        self._picker.blockSignals(True)
        self._picker.clear()
        self._picker.addItem("", "")
        for service in self._services:
            self._picker.addItem(localized(service.name), service.code)
        self._picker.blockSignals(False)
        self.retranslate()
        if current:
            self.choose(current)

    def services(self) -> list:
        """The catalogue shown in the picker."""
        return list(self._services)

    def service(self, code: str):
        """The catalogue entry with ``code``, or None."""
        return next((s for s in self._services if s.code == code), None)

    def current_code(self) -> str:
        """Code of the chosen service ("" when none)."""
        return str(self._picker.currentData() or "")

    def current_service(self):
        """The chosen catalogue entry, or None."""
        return self.service(self.current_code())

    def choose(self, code: str) -> bool:
        """Select the service with ``code``; False when the catalogue has none."""
        index = self._picker.findData(code)
        if index < 0:
            return False
        self._picker.setCurrentIndex(index)
        return True

    def show_message(self, text: str) -> None:
        """A note under the form (submit result or problem)."""
        self._message = text
        self._message_label.setText(text)
        self._message_label.setVisible(bool(text))

    def set_busy(self, busy: bool) -> None:
        """While a case is being queued the submit button waits."""
        self._busy = busy
        self.retranslate()

    def set_can_submit(self, can_submit: bool) -> None:
        """Submitting needs a citizen and a chosen service."""
        self._can_submit = can_submit
        self.retranslate()

    @Slot(int)
    def _on_picker_changed(self, _index: int) -> None:
        service = self.current_service()
        self.form.set_schema(service.form if service else None)
        self.cosign.reset()
        self.show_message("")
        self.retranslate()
        self.service_chosen.emit(self.current_code())

    # Text -----------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts, service names and the factor note in the current language."""
        self.setTitle(self.tr("Service"))
        self._picker_label.setText(self.tr("Service:"))
        self._picker.setItemText(
            0, self.tr("Loading services…") if self._loading else self.tr("— choose a service —")
        )
        for index, service in enumerate(self._services, start=1):
            self._picker.setItemText(index, localized(service.name))
        self._submit.setText(self.tr("Submitting…") if self._busy else self.tr("Submit case"))
        self._submit.setEnabled(self._can_submit and not self._busy and bool(self.current_code()))

        service = self.current_service()
        if service is None:
            self._factors.setText("")
        else:
            needs = []
            if "pin" in service.factors:
                needs.append(self.tr("card PIN"))
            if "face" in service.factors:
                needs.append(self.tr("face check"))
            if needs:
                text = self.tr("This service needs: {checks}.").format(
                    checks=self.tr(", ").join(needs)
                )
            else:
                text = self.tr("This service needs no PIN or face check.")
            self._factors.setText(text)
        self._factors.setVisible(bool(self._factors.text()))
        self._message_label.setText(self._message)
        self._message_label.setVisible(bool(self._message))
