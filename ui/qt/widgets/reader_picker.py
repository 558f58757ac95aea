"""The reader picker: social security cards in several readers, the clerk says which to serve.

The card service does not guess when two readers each hold a citizen's card (a family at the
counter, a card left in the second reader); it reports the readers and waits. The dialog is
window-modal but never blocks the event loop (``open()``, not ``exec()``); the choice goes to
``Desk.choose_reader`` and the chosen card then arrives like an inserted one.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.qt import messages


class ReaderPickerDialog(QDialog):
    """Lists the readers that hold a social security card; emits the one chosen."""

    reader_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerPicker")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        self._question = QLabel(self)
        self._question.setObjectName("readerPickerQuestion")
        self._question.setWordWrap(True)
        layout.addWidget(self._question)
        self._list = QListWidget(self)
        self._list.setObjectName("readerPickerList")
        self._list.itemDoubleClicked.connect(self._on_item_double_clicked)
        self._list.currentRowChanged.connect(self._on_row_changed)
        layout.addWidget(self._list, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self._choose = QPushButton(self)
        self._choose.setObjectName("readerPickerChoose")
        self._choose.setDefault(True)
        self._choose.clicked.connect(self._on_choose_clicked)
        row.addWidget(self._choose)
        self._cancel = QPushButton(self)
        self._cancel.setObjectName("readerPickerCancel")
        self._cancel.clicked.connect(self.reject)
        row.addWidget(self._cancel)
        layout.addLayout(row)
        self.retranslate()

    def ask(self, readers: list[str]) -> None:
        """Show the readers (reader names are not personal data) and wait for the clerk."""
        self._list.clear()
        for name in readers:
            item = QListWidgetItem(name, self._list)
            item.setData(Qt.ItemDataRole.UserRole, name)
        if readers:
            self._list.setCurrentRow(0)
        self._on_row_changed(self._list.currentRow())
        self.open()
        self.raise_()

    def readers(self) -> list[str]:
        """The readers now listed."""
        return [
            self._list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self._list.count())
        ]

    def choose(self, reader: str) -> None:
        """Pick ``reader`` (as a click on it and on the button does)."""
        for index in range(self._list.count()):
            if self._list.item(index).data(Qt.ItemDataRole.UserRole) == reader:
                self._list.setCurrentRow(index)
                self._on_choose_clicked()
                return
        raise ValueError("no such reader in the list")

    @Slot(int)
    def _on_row_changed(self, row: int) -> None:
        self._choose.setEnabled(row >= 0)

    @Slot(QListWidgetItem)
    def _on_item_double_clicked(self, item: QListWidgetItem) -> None:
        self._list.setCurrentItem(item)
        self._on_choose_clicked()

    @Slot()
    def _on_choose_clicked(self) -> None:
        item = self._list.currentItem()
        if item is None:
            return
        self.accept()
        self.reader_chosen.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.setWindowTitle(self.tr("Choose the card reader"))
        self._question.setText(messages.multiple_cards_text())
        self._choose.setText(self.tr("Serve the card in this reader"))
        self._cancel.setText(self.tr("Cancel"))
