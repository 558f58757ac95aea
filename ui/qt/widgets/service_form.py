"""A case form built from a service's JSON Schema.

Supported property types: ``string`` (line edit; ``format: date`` expects YYYY-MM-DD),
``integer`` and ``number`` (line edits that accept only digits), ``enum`` (combo box; labels from
``x-enum-titles`` or ``oneOf`` with ``const`` and ``title``) and ``boolean`` (check box).

Languages, as in ``resources/services.json``: ``title``/``description`` hold the Chinese text
and ``x-title-en``/``x-description-en`` the English one; a title may also be a
``{"zh_CN": ..., "en": ...}`` mapping, as may each entry of ``x-enum-titles``. Required fields
carry a mark; validation notes appear next to the field they concern.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import jsonschema
from PySide6.QtCore import QEvent, QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.qt import messages
from ui.qt.i18n import localized

log = logging.getLogger(__name__)

_INTEGER = QRegularExpression(r"-?\d{0,15}")
_NUMBER = QRegularExpression(r"-?\d{0,15}([.]\d{0,6})?")


@dataclass
class FieldSpec:
    """One form field, as read from the schema."""

    name: str
    kind: str  # "string", "integer", "number", "enum", "boolean"
    title: Any
    description: Any
    required: bool
    schema: dict
    options: list[tuple[Any, Any]] = field(default_factory=list)  # (value, localized label)


def localized_keyword(prop: dict, keyword: str, default: Any = None) -> Any:
    """``title`` or ``description`` of a schema node as a ``{zh_CN, en}`` mapping (or None)."""
    value = prop.get(keyword, default)
    if value is None or isinstance(value, dict):
        return value
    english = prop.get(f"x-{keyword}-en")
    return {"zh_CN": str(value), "en": str(english if english is not None else value)}


def _enum_options(prop: dict) -> list[tuple[Any, Any]]:
    if "enum" in prop:
        values = list(prop["enum"])
        titles = prop.get("x-enum-titles")
        if isinstance(titles, dict):
            return [(v, titles.get(str(v), str(v))) for v in values]
        if isinstance(titles, list) and len(titles) == len(values):
            return list(zip(values, titles, strict=True))
        return [(v, str(v)) for v in values]
    choices = prop.get("oneOf") or prop.get("anyOf") or []
    return [(c["const"], c.get("title", str(c["const"]))) for c in choices if "const" in c]


def field_specs(schema: dict) -> list[FieldSpec]:
    """The fields of an object schema, in the order the schema lists them."""
    required = set(schema.get("required", []))
    specs = []
    for name, prop in (schema.get("properties") or {}).items():
        options = _enum_options(prop)
        if options:
            kind = "enum"
        else:
            kind = prop.get("type", "string")
            if isinstance(kind, list):  # e.g. ["string", "null"]
                kind = next((k for k in kind if k != "null"), "string")
            if kind not in ("string", "integer", "number", "boolean"):
                log.warning("form field %s has unsupported type %s; shown as text", name, kind)
                kind = "string"
        specs.append(
            FieldSpec(
                name=name,
                kind=kind,
                title=localized_keyword(prop, "title", name),
                description=localized_keyword(prop, "description"),
                required=name in required,
                schema=prop,
                options=options,
            )
        )
    return specs


class ServiceFormWidget(QWidget):
    """The case form of one service; empty until ``set_schema``."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._schema: dict | None = None
        self._specs: list[FieldSpec] = []
        self._editors: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}
        self._errors: dict[str, QLabel] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self._legend = QLabel(self)
        self._legend.setObjectName("formLegend")
        outer.addWidget(self._legend)
        self._general_error = QLabel(self)
        self._general_error.setObjectName("fieldError")
        self._general_error.setWordWrap(True)
        self._general_error.hide()
        outer.addWidget(self._general_error)
        self._fields = QWidget(self)
        self._layout = QFormLayout(self._fields)
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        outer.addWidget(self._fields)
        outer.addStretch(1)
        self.retranslate()

    # Building -------------------------------------------------------------------------------

    def set_schema(self, schema: dict | None) -> None:
        """Show the fields of ``schema`` (None clears the form)."""
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self._editors.clear()
        self._labels.clear()
        self._errors.clear()
        self._general_error.clear()
        self._general_error.hide()
        self._schema = schema
        self._specs = field_specs(schema) if schema else []
        for spec in self._specs:
            self._add_row(spec)
        self.retranslate()

    def _add_row(self, spec: FieldSpec) -> None:
        label = QLabel(self._fields)
        editor = self._make_editor(spec)
        editor.setObjectName(f"field_{spec.name}")
        label.setBuddy(editor)
        error = QLabel(self._fields)
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()

        cell = QWidget(self._fields)
        box = QVBoxLayout(cell)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(editor)
        box.addWidget(error)
        self._layout.addRow(label, cell)
        self._editors[spec.name] = editor
        self._labels[spec.name] = label
        self._errors[spec.name] = error

    def _make_editor(self, spec: FieldSpec) -> QWidget:
        if spec.kind == "enum":
            combo = QComboBox(self._fields)
            combo.addItem("", None)  # "choose…", labelled in retranslate()
            for value, _label in spec.options:
                combo.addItem("", value)
            default = spec.schema.get("default")
            if default is not None:
                combo.setCurrentIndex(max(0, combo.findData(default)))
            combo.currentIndexChanged.connect(self.edited)
            return combo
        if spec.kind == "boolean":
            check = QCheckBox(self._fields)
            check.setChecked(bool(spec.schema.get("default", False)))
            check.toggled.connect(self.edited)
            return check
        edit = QLineEdit(self._fields)
        if spec.kind == "integer":
            edit.setValidator(QRegularExpressionValidator(_INTEGER, edit))
        elif spec.kind == "number":
            edit.setValidator(QRegularExpressionValidator(_NUMBER, edit))
        elif "maxLength" in spec.schema:
            edit.setMaxLength(int(spec.schema["maxLength"]))
        if "default" in spec.schema:
            edit.setText(str(spec.schema["default"]))
        edit.textEdited.connect(self.edited)
        return edit

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Labels, options and notes in the current language; values are kept."""
        self._legend.setText(self.tr("Fields marked * are required."))
        self._legend.setVisible(any(s.required for s in self._specs))
        for spec in self._specs:
            title = localized(spec.title)
            self._labels[spec.name].setText(f"{title} *" if spec.required else title)
            editor = self._editors[spec.name]
            editor.setAccessibleName(title)
            description = localized(spec.description)
            editor.setToolTip(description)
            if isinstance(editor, QComboBox):
                editor.setItemText(0, self.tr("— choose —"))
                for index, (_value, label) in enumerate(spec.options, start=1):
                    editor.setItemText(index, localized(label))
            elif isinstance(editor, QCheckBox):
                editor.setText(self.tr("Yes"))
            elif isinstance(editor, QLineEdit):
                if spec.schema.get("format") == "date":
                    editor.setPlaceholderText(self.tr("YYYY-MM-DD"))
                else:
                    editor.setPlaceholderText(description)

    # Values ---------------------------------------------------------------------------------

    def field_names(self) -> list[str]:
        """Names of the fields now shown."""
        return [s.name for s in self._specs]

    def editor(self, name: str) -> QWidget:
        """The editor widget of one field (tests and focus handling use it)."""
        return self._editors[name]

    def set_value(self, name: str, value: Any) -> None:
        """Put ``value`` into a field, as if typed or chosen."""
        editor = self._editors[name]
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))

    def raw_values(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The typed values and the notes for fields whose text is not a valid number."""
        values: dict[str, Any] = {}
        notes: dict[str, str] = {}
        for spec in self._specs:
            editor = self._editors[spec.name]
            if isinstance(editor, QComboBox):
                value = editor.currentData()
                if value is not None:
                    values[spec.name] = value
            elif isinstance(editor, QCheckBox):
                values[spec.name] = editor.isChecked()
            elif isinstance(editor, QLineEdit):
                text = editor.text().strip()
                if not text:
                    continue
                try:
                    if spec.kind == "integer":
                        values[spec.name] = int(text)
                    elif spec.kind == "number":
                        values[spec.name] = float(text)
                    else:
                        values[spec.name] = text
                except ValueError:
                    notes[spec.name] = messages.schema_error_text(spec.kind)
        return values, notes

    def validate(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The form's values and the notes per field (empty when valid); shows the notes."""
        values, notes = self.raw_values()
        if self._schema:
            validator_class = jsonschema.validators.validator_for(self._schema)
            validator = validator_class(self._schema, format_checker=validator_class.FORMAT_CHECKER)
            for error in validator.iter_errors(values):
                if error.validator == "required":
                    for name in error.validator_value:
                        if name not in values:
                            notes.setdefault(name, messages.schema_error_text("required"))
                    continue
                name = str(error.path[0]) if error.path else ""
                notes.setdefault(
                    name, messages.schema_error_text(str(error.validator), error.validator_value)
                )
        self.show_errors(notes)
        return values, notes

    def show_errors(self, notes: dict[str, str]) -> None:
        """Show a note next to each named field (a note for "" goes above the form)."""
        general = [text for name, text in notes.items() if name not in self._errors]
        for name, label in self._errors.items():
            text = notes.get(name, "")
            label.setText(text)
            label.setVisible(bool(text))
        self._general_error.setText("\n".join(general))
        self._general_error.setVisible(bool(general))

    def error_text(self, name: str) -> str:
        """The note now shown next to a field ("" when none)."""
        return self._errors[name].text()

    def clear_values(self) -> None:
        """Empty every field and note (the citizen's data leaves the widgets)."""
        for spec in self._specs:
            editor = self._editors[spec.name]
            if isinstance(editor, QComboBox):
                editor.setCurrentIndex(max(0, editor.findData(spec.schema.get("default"))))
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(spec.schema.get("default", False)))
            elif isinstance(editor, QLineEdit):
                # setText (unlike clear) also drops the undo history, which would still hold
                # what was typed.
                editor.setText(str(spec.schema.get("default", "")))
                editor.setModified(False)
        self.show_errors({})
