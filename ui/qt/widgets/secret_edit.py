"""Fields for secrets (passwords, a staff PIN) shared by the sign-in, lock and co-sign forms."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget


def secret_edit(parent: QWidget, name: str) -> QLineEdit:
    """A line edit named ``name`` that shows dots instead of what is typed."""
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def take_text(edit: QLineEdit) -> str:
    """What ``edit`` holds; the field is emptied at once so the secret does not stay on screen."""
    text = edit.text()
    edit.setText("")
    return text
