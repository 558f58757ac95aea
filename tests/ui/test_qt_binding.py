"""The Qt binding keeps Python's reference counts straight.

PySide6 6.12.0 under CPython 3.11 lost one reference to ``True`` on every ``Signal.emit()`` and
one to ``None`` on every ``processEvents()``. The face preview alone emits about 90 signals a
second, so a desk died with "Fatal Python error: bool_dealloc" within minutes. pyproject.toml
keeps that release out; this test catches any release with the same fault.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject, Signal


class _Emitter(QObject):
    bare = Signal()
    carrying = Signal(object)


def test_signals_and_event_processing_keep_singleton_reference_counts(qapp):
    emitter = _Emitter()
    received = []
    emitter.carrying.connect(received.append)
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for number in range(500):
        emitter.bare.emit()
        emitter.carrying.emit(number)
        QCoreApplication.processEvents()
    true_lost = true_before - sys.getrefcount(True)
    none_lost = none_before - sys.getrefcount(None)
    assert len(received) == 500
    # A few references may come and go with the interpreter's own work; the fault lost one
    # per call (500 or 1000 here).
    assert true_lost < 50, f"{true_lost} references to True lost"
    assert none_lost < 50, f"{none_lost} references to None lost"
