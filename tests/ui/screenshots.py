"""Screenshots for docs/screenshots/, taken once the window has settled.

A label whose text just changed asks for a new layout through a posted event; a grab taken
before that event runs shows word-wrapped text squeezed into the old height. Every screenshot
therefore lets posted events and layout requests run first.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def save_screenshot(widget: QWidget, name: str) -> Path:
    """Save ``widget`` as ``docs/screenshots/<name>`` after pending layouts ran; the path."""
    for _ in range(3):  # a layout can post another (a parent's after its child's)
        QApplication.sendPostedEvents()
        QApplication.processEvents()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    assert widget.grab().save(str(path)), path
    return path
