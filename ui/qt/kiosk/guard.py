"""The kiosk's watch over input: close keys refused, activity noticed, the admin corner counted.

:class:`KioskGuard` is an event filter on the whole application (installed by the kiosk window,
removed when it closes):

- it swallows the keys that close or leave a window — Escape, Alt+F4, Ctrl+Q, Ctrl+W, and
  Ctrl+F4 — before any widget sees them. Under a window manager Alt+F4 usually arrives as the
  manager's close request instead; the kiosk window refuses that in ``closeEvent``. What only the
  operating system can lock (Alt+Tab, Ctrl+Alt+Del, the task bar) is for the kiosk session or
  Windows assigned access: ``docs/kiosk.md``;
- it reports every touch, click and key press as activity, for the idle timer;
- it counts taps in the top-left corner of the kiosk window: ``corner_taps`` of them, each within
  ``CORNER_WINDOW_S`` of the first, open the admin sign-in. The corner has nothing drawn on it.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

CORNER_SIZE = 90  # pixels from the top-left corner that count as "the corner"
CORNER_WINDOW_S = 4.0  # the taps must all come within this many seconds

_KEY_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.KeyRelease)
_ACTIVITY_EVENTS = (
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
)


def is_close_key(key: int, modifiers: Qt.KeyboardModifier) -> bool:
    """True for the keys that would close or leave a window."""
    ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
    alt = bool(modifiers & Qt.KeyboardModifier.AltModifier)
    if key == Qt.Key.Key_Escape:
        return True
    if key == Qt.Key.Key_F4 and (alt or ctrl):
        return True
    return ctrl and key in (Qt.Key.Key_Q, Qt.Key.Key_W)


class KioskGuard(QObject):
    """The application-wide event filter of the kiosk (see the module docstring)."""

    activity = Signal()
    admin_requested = Signal()
    close_key_refused = Signal()

    def __init__(self, window: QWidget, corner_taps: int = 5) -> None:
        super().__init__(window)
        self._window = window
        self._corner_taps = corner_taps
        self._taps: list[float] = []
        self._last_tap: tuple | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _KEY_EVENTS and is_close_key(event.key(), event.modifiers()):
            if kind == QEvent.Type.KeyPress:
                log.info("close key refused")
                self.close_key_refused.emit()
            return True
        if kind in _ACTIVITY_EVENTS:
            # Emitted once per object the event visits; the idle timer only restarts.
            self.activity.emit()
            if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
                self._count_corner_tap(event)
        return False

    def _count_corner_tap(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.TouchBegin:
            points = event.points()
            if not points:
                return
            global_pos = points[0].globalPosition().toPoint()
        else:
            global_pos = event.globalPosition().toPoint()
        # A press is offered to the window, the widget and its parents: count it once.
        tap = (event.timestamp(), global_pos.x(), global_pos.y())
        if tap == self._last_tap:
            return
        self._last_tap = tap
        local: QPoint = self._window.mapFromGlobal(global_pos)
        if not (0 <= local.x() < CORNER_SIZE and 0 <= local.y() < CORNER_SIZE):
            self._taps.clear()
            return
        now = time.monotonic()
        self._taps = [t for t in self._taps if now - t <= CORNER_WINDOW_S]
        self._taps.append(now)
        if len(self._taps) >= self._corner_taps:
            self._taps.clear()
            log.info("admin corner gesture")
            self.admin_requested.emit()
