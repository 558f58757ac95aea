"""The training card tray: puts the sample cards into the simulated reader.

Training mode has no card in a real reader, so the clerk needs a way to "hand over" a sample
card. The tray lists the sample cards and inserts or removes one in the SimulatedCardReader; the
desk then sees a card insertion exactly as it would from a PC/SC reader. Shown only in training
mode, beside the 培训模式 / TRAINING mark.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

log = logging.getLogger(__name__)

# Where each combo entry keeps the synthetic holder's name.
_NAME_ROLE = int(Qt.ItemDataRole.UserRole) + 1


def _card_label(path: Path) -> str:
    """The synthetic holder's name on a sample card, or the file name when unreadable."""
    try:
        holder = json.loads(path.read_text(encoding="utf-8"))["ef06"]
        return holder["name"] + (holder.get("name_ext") or "")
    except (OSError, ValueError, KeyError, TypeError):
        return path.stem


class TrainingCardTrayWidget(QWidget):
    """Insert and remove the sample cards of training mode.

    ``card_reader`` is the SimulatedCardReader the training desk reads from; its ``insert`` and
    ``remove`` only change the simulated slot's state (thread-safe, no I/O), so calling them
    from the GUI thread is fine. The card thread reads the card as usual.
    """

    def __init__(self, card_reader, profiles: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingCardTray")
        self._reader = card_reader
        self._profiles = list(profiles)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        self.title = QLabel(self)
        layout.addWidget(self.title)
        self.cards = QComboBox(self)
        for index, path in enumerate(self._profiles, start=1):
            self.cards.addItem("", str(path))
            self.cards.setItemData(index - 1, _card_label(path), role=_NAME_ROLE)
        layout.addWidget(self.cards, 1)
        self.insert_button = QPushButton(self)
        self.insert_button.clicked.connect(self._on_insert_clicked)
        layout.addWidget(self.insert_button)
        self.remove_button = QPushButton(self)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        layout.addWidget(self.remove_button)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.title.setText(self.tr("Training cards:"))
        for index in range(self.cards.count()):
            name = self.cards.itemData(index, role=_NAME_ROLE)
            self.cards.setItemText(
                index, self.tr("Sample card {number}: {name}").format(number=index + 1, name=name)
            )
        self.insert_button.setText(self.tr("Insert card"))
        self.remove_button.setText(self.tr("Take card out"))

    @Slot()
    def _on_insert_clicked(self) -> None:
        path = self.cards.currentData()
        if path:
            log.info("training: sample card %d inserted", self.cards.currentIndex() + 1)
            self._reader.insert(Path(path))

    @Slot()
    def _on_remove_clicked(self) -> None:
        log.info("training: sample card removed")
        self._reader.remove()
