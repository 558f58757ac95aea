"""Worker-thread events and Future results reach the GUI thread through signals."""

from __future__ import annotations

import threading
from concurrent.futures import Future

from PySide6.QtCore import QObject, QThread, Slot
from PySide6.QtWidgets import QApplication

from ui.qt.bridge import DeskBridge, FutureRelay, connect_queued


class _Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, bool]] = []

    @Slot(str, str)
    def on_case_sent(self, local_id: str, central_id: str) -> None:
        on_gui = QThread.currentThread() is QApplication.instance().thread()
        self.calls.append((f"{local_id}>{central_id}", on_gui))

    def on_result(self, result, error) -> None:
        on_gui = QThread.currentThread() is QApplication.instance().thread()
        self.calls.append((repr((result, error)), on_gui))


def test_desk_events_from_a_worker_thread_arrive_on_the_gui_thread(qtbot, qapp):
    bridge = DeskBridge()
    receiver = _Receiver()
    connect_queued(bridge.case_sent, receiver.on_case_sent)

    worker = threading.Thread(target=bridge.on_case_sent, args=("L1", "C1"), name="fake-outbox")
    worker.start()
    worker.join()
    assert receiver.calls == []  # nothing runs on the worker
    qtbot.waitUntil(lambda: receiver.calls == [("L1>C1", True)])


def test_future_results_are_delivered_later_on_the_gui_thread(qtbot, qapp):
    relay = FutureRelay()
    receiver = _Receiver()

    done_before: Future = Future()
    done_before.set_result(41)
    relay.watch(done_before, receiver.on_result)
    assert receiver.calls == []  # never inside watch()

    later: Future = Future()
    relay.watch(later, receiver.on_result)
    failing: Future = Future()
    relay.watch(failing, receiver.on_result)
    worker = threading.Thread(
        target=lambda: (later.set_result(42), failing.set_exception(KeyError("x"))),
        name="fake-desk",
    )
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(receiver.calls) == 3)
    assert all(on_gui for _, on_gui in receiver.calls)
    assert receiver.calls[0][0] == "(41, None)"
    assert receiver.calls[1][0] == "(42, None)"
    assert receiver.calls[2][0].startswith("(None, KeyError(")
    assert relay.pending() == 0


def test_forgotten_futures_are_dropped(qtbot, qapp):
    relay = FutureRelay()
    receiver = _Receiver()
    future: Future = Future()
    relay.watch(future, receiver.on_result)
    relay.forget_all()
    future.set_result(1)
    qtbot.wait(50)
    assert receiver.calls == []
