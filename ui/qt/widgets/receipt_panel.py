"""Receipts of the cases queued at this desk: local number at once, central number once sent.

Receipts hold no personal data (service, local and central case numbers, state), so they stay
on screen after the citizen's data is wiped.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.qt import messages
from ui.qt.i18n import localized


@dataclass
class Receipt:
    """One queued case as the clerk sees it."""

    local_id: str
    service_name: object  # LocalizedText or str
    central_id: str = ""
    state: str = "pending"  # pending, sent, rejected
    reason: str = ""


class ReceiptWidget(QGroupBox):
    """The latest receipt in large type, and this sign-in's earlier ones below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptPanel")
        self._receipts: list[Receipt] = []

        layout = QVBoxLayout(self)
        self._latest = QLabel(self)
        self._latest.setObjectName("latestReceipt")
        self._latest.setWordWrap(True)
        layout.addWidget(self._latest)
        self._table = QTableWidget(0, 3, self)
        self._table.setObjectName("receiptTable")
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self._table.verticalHeader().hide()
        self._table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._table.setMaximumHeight(160)
        layout.addWidget(self._table)
        self.retranslate()

    def add(self, local_id: str, service_name: object) -> Receipt:
        """A case was committed to the outbox."""
        receipt = Receipt(local_id=local_id, service_name=service_name)
        self._receipts.insert(0, receipt)
        self.retranslate()
        return receipt

    def mark_sent(self, local_id: str, central_id: str) -> bool:
        """Central accepted the case; False when it is not one of ours."""
        receipt = self.receipt(local_id)
        if receipt is None:
            return False
        receipt.central_id = central_id
        receipt.state = "sent"
        self.retranslate()
        return True

    def mark_rejected(self, local_id: str, reason: str) -> bool:
        """Central refused the case for good."""
        receipt = self.receipt(local_id)
        if receipt is None:
            return False
        receipt.state = "rejected"
        receipt.reason = reason
        self.retranslate()
        return True

    def receipt(self, local_id: str) -> Receipt | None:
        """The receipt of a local case number."""
        return next((r for r in self._receipts if r.local_id == local_id), None)

    def latest(self) -> Receipt | None:
        """The most recent receipt."""
        return self._receipts[0] if self._receipts else None

    def clear(self) -> None:
        """Forget every receipt (at sign-out)."""
        self._receipts.clear()
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _central_text(self, receipt: Receipt) -> str:
        if receipt.state == "sent":
            return receipt.central_id
        if receipt.state == "rejected":
            return self.tr("rejected: {reason}").format(
                reason=messages.rejection_text(receipt.reason)
            )
        return self.tr("waiting to be sent")

    def retranslate(self) -> None:
        """Texts and receipts in the current language."""
        self.setTitle(self.tr("Receipt"))
        self._table.setHorizontalHeaderLabels(
            [self.tr("Service"), self.tr("Local case no."), self.tr("Central case no.")]
        )
        latest = self.latest()
        if latest is None:
            self._latest.setText(self.tr("No case submitted yet."))
        else:
            self._latest.setText(
                self.tr(
                    "Case received: {service}\nLocal case number: {local}\nCentral case number: "
                    "{central}"
                ).format(
                    service=localized(latest.service_name),
                    local=latest.local_id,
                    central=self._central_text(latest),
                )
            )
        self._table.setRowCount(len(self._receipts))
        for row, receipt in enumerate(self._receipts):
            for column, text in enumerate(
                (localized(receipt.service_name), receipt.local_id, self._central_text(receipt))
            ):
                self._table.setItem(row, column, QTableWidgetItem(text))
