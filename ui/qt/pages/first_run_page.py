"""The first-run screen: no configuration file yet and not in training mode.

The clerk or the hall's IT admin enters central's address, the hall and the workstation with its
secret; the page writes the TOML configuration (readable only by the user, as it holds the
secret) once the same loader the desk uses accepts it: the text is written to a temporary file
beside the configuration, loaded, and only then moved into place, so a refused or half-written
file never remains. The other way out is an explicit "start training mode". The page never falls
back to a fake central on its own.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.outbox import write_private_file
from desktop.settings import Settings, SettingsError, check_central_url, load_settings
from ui.qt.i18n import current_language
from ui.qt.widgets.chrome import HeaderWidget

log = logging.getLogger(__name__)

# Field -> the configuration key it fills (SettingsError.key names these).
FIELD_KEYS = {
    "central_url": "central.url",
    "hall_id": "workstation.hall_id",
    "workstation_id": "workstation.id",
    "workstation_secret": "workstation.secret",
    "ca_bundle": "central.ca_bundle",
}


def _toml_string(value: str) -> str:
    # A JSON string with ASCII escapes is a valid TOML basic string.
    return json.dumps(value, ensure_ascii=True)


def config_text(values: dict[str, str], language: str) -> str:
    """The TOML configuration for the values entered on the first-run screen."""
    lines = ["# Hall Counter configuration, written by the first-run screen.", "", "[central]"]
    lines.append(f"url = {_toml_string(values['central_url'])}")
    if values.get("ca_bundle"):
        lines.append(f"ca_bundle = {_toml_string(values['ca_bundle'])}")
    lines += ["", "[workstation]"]
    lines.append(f"hall_id = {_toml_string(values['hall_id'])}")
    lines.append(f"id = {_toml_string(values['workstation_id'])}")
    lines.append(f"secret = {_toml_string(values['workstation_secret'])}")
    lines += ["", "[desk]", f"language = {_toml_string(language)}", ""]
    return "\n".join(lines)


def save_checked(path: Path, text: str) -> Settings:
    """Write ``text`` to ``path`` only once the desk's loader accepts it; return its Settings.

    The text goes to a temporary file in the same folder (readable only by the user: it holds
    the workstation secret), is loaded with :func:`desktop.settings.load_settings` exactly as
    the desk will load it (relative paths resolve against the same folder), and replaces
    ``path`` only on success. Raises SettingsError (nothing written) or OSError; the temporary
    file never remains.
    """
    loaded: list[Settings] = []

    def check(temp: Path) -> None:
        try:
            loaded.append(load_settings(temp))
        except SettingsError as exc:  # name the real file, not the temporary one
            raise SettingsError(exc.key, exc.problem.replace(str(temp), str(path))) from exc

    path.parent.mkdir(parents=True, exist_ok=True)
    write_private_file(path, text.encode("utf-8"), check=check)
    return loaded[0]


class FirstRunPage(QWidget):
    """Enter the configuration and save it, or start training mode."""

    configured = Signal(object)  # Path of the saved configuration file
    training_requested = Signal()

    def __init__(self, config_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunPage")
        self._config_path = Path(config_path)
        self._notes: dict[str, str] = {}
        self._message = ""

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QWidget(self)
        box.setMaximumWidth(640)
        layout = QVBoxLayout(box)
        self._heading = QLabel(box)
        self._heading.setObjectName("firstRunHeading")
        layout.addWidget(self._heading)
        self._intro = QLabel(box)
        self._intro.setWordWrap(True)
        layout.addWidget(self._intro)

        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        self._labels: dict[str, QLabel] = {}
        self._errors: dict[str, QLabel] = {}
        for name in FIELD_KEYS:
            label = QLabel(box)
            edit = QLineEdit(box)
            edit.setObjectName(f"firstRun_{name}")
            label.setBuddy(edit)
            error = QLabel(box)
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.hide()
            cell = QWidget(box)
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.addWidget(edit)
            cell_layout.addWidget(error)
            form.addRow(label, cell)
            self.edits[name] = edit
            self._labels[name] = label
            self._errors[name] = error
        self.edits["workstation_secret"].setEchoMode(QLineEdit.EchoMode.Password)
        layout.addLayout(form)

        self._path_label = QLabel(box)
        self._path_label.setWordWrap(True)
        self._path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self._path_label)
        self._message_label = QLabel(box)
        self._message_label.setObjectName("firstRunMessage")
        self._message_label.setWordWrap(True)
        layout.addWidget(self._message_label)

        buttons = QHBoxLayout()
        self._save = QPushButton(box)
        self._save.setObjectName("saveConfigButton")
        self._save.setDefault(True)
        self._save.clicked.connect(self._on_save_clicked)
        buttons.addWidget(self._save)
        buttons.addStretch(1)
        self._training = QPushButton(box)
        self._training.setObjectName("startTrainingButton")
        self._training.clicked.connect(self.training_requested)
        buttons.addWidget(self._training)
        layout.addLayout(buttons)
        # Centred with stretches, not an alignment flag: an aligned widget only gets its size
        # hint, which cuts word-wrapped notes short.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.retranslate()

    @property
    def config_path(self) -> Path:
        """Where the configuration will be written."""
        return self._config_path

    def error_text(self, name: str) -> str:
        """The note next to one field ("" when none)."""
        return self._errors[name].text()

    # Saving ---------------------------------------------------------------------------------

    def _check(self, values: dict[str, str]) -> dict[str, str]:
        """Notes per field, in the current language, for what is missing or wrong."""
        notes: dict[str, str] = {}
        for name in ("central_url", "hall_id", "workstation_id", "workstation_secret"):
            if not values[name]:
                notes[name] = self.tr("Required.")
        if values["central_url"] and "central_url" not in notes:
            try:
                check_central_url(values["central_url"])
            except SettingsError:
                notes["central_url"] = self.tr(
                    "Enter central's https:// address (plain http only for this computer)."
                )
        for name in ("hall_id", "workstation_id"):
            value = values[name]
            if value and (len(value) > 32 or not all(c.isalnum() or c in "-_" for c in value)):
                notes[name] = self.tr("Use 1–32 letters, digits, '-' or '_'.")
        if values["ca_bundle"] and not Path(values["ca_bundle"]).is_file():
            notes["ca_bundle"] = self.tr("No such file.")
        return notes

    @Slot()
    def _on_save_clicked(self) -> None:
        values = {name: edit.text().strip() for name, edit in self.edits.items()}
        if values["ca_bundle"]:
            values["ca_bundle"] = str(Path(values["ca_bundle"]).expanduser().resolve())
        self._notes = self._check(values)
        self._message = ""
        if self._notes:
            self.retranslate()
            return

        try:
            # Nothing is written unless the loader accepts the whole configuration.
            save_checked(self._config_path, config_text(values, current_language()))
        except SettingsError as exc:
            # The loader is the authority; name the field it complains about.
            field = next((f for f, key in FIELD_KEYS.items() if key == exc.key), None)
            log.warning("first-run configuration refused: %s", exc.key or "file")
            if field is not None:
                self._notes = {field: self.tr("Not accepted: {detail}").format(detail=exc.problem)}
            else:
                self._message = self.tr("The configuration was not accepted: {detail}").format(
                    detail=exc.problem
                )
            self.retranslate()
            return
        except OSError as exc:
            log.error("cannot write the configuration: %s", exc)
            self._message = self.tr("The configuration could not be saved: {detail}").format(
                detail=exc.strerror or type(exc).__name__
            )
            self.retranslate()
            return

        # The secret is now in the file; it need not stay in the widget.
        self.edits["workstation_secret"].setText("")
        log.info("configuration written by the first-run screen")
        self.retranslate()
        self.configured.emit(self._config_path)

    # Text -----------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self._heading.setText(self.tr("Set up this desk"))
        self._intro.setText(
            self.tr(
                "This desk has no configuration yet. Enter the central system's address, the "
                "hall and this workstation as given by the hall's IT admin, or start training "
                "mode to practise with sample data."
            )
        )
        captions = {
            "central_url": self.tr("Central address"),
            "hall_id": self.tr("Hall ID"),
            "workstation_id": self.tr("Workstation ID"),
            "workstation_secret": self.tr("Workstation secret"),
            "ca_bundle": self.tr("CA certificate file (optional)"),
        }
        for name, label in self._labels.items():
            required = name != "ca_bundle"
            label.setText(f"{captions[name]} *" if required else captions[name])
            self.edits[name].setAccessibleName(captions[name])
        self.edits["central_url"].setPlaceholderText("https://")
        for name, error in self._errors.items():
            error.setText(self._notes.get(name, ""))
            error.setVisible(bool(error.text()))
        self._path_label.setText(
            self.tr("The configuration is saved to {path}").format(path=str(self._config_path))
        )
        self._message_label.setText(self._message)
        self._message_label.setVisible(bool(self._message))
        self._save.setText(self.tr("Save and start"))
        self._training.setText(self.tr("Start training mode"))


class FirstRunWindow(QMainWindow):
    """A window around the first-run page, with the header and its language switch."""

    def __init__(self, config_path: Path, languages, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunWindow")
        self._languages = languages
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        self.header = HeaderWidget(central)
        self.header.language_switch.language_chosen.connect(self._on_language_chosen)
        layout.addWidget(self.header)
        self.page = FirstRunPage(config_path, central)
        layout.addWidget(self.page, 1)
        self.setCentralWidget(central)
        self.resize(1024, 700)
        self.retranslate()

    @Slot(str)
    def _on_language_chosen(self, language: str) -> None:
        self._languages.set_language(language)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Title in the current language."""
        self.setWindowTitle(self.tr("Hall Counter — set up this desk"))
