"""Stopping the approval inbox watcher never makes the caller wait for a long poll.

Sign-out and the screen lock run on the GUI thread; the watcher may be inside a request to
central that lasts seconds. They only ask it to stop; the desk's own stop joins it.
"""

from __future__ import annotations

import threading
import types

from desktop.approvals import ApprovalWatcher
from desktop.auth import DeskGuard


class _Client:
    def __init__(self) -> None:
        self.closed = threading.Event()

    def close(self) -> None:
        self.closed.set()


def _blocked_watcher():
    """A watcher whose thread sits in its round until ``release`` is set (a long poll)."""
    entered, release = threading.Event(), threading.Event()

    def token() -> str | None:
        entered.set()
        release.wait(30)
        return None  # no token: the watcher ends its loop

    client = _Client()
    watcher = ApprovalWatcher(client, token, "H0001", lambda inbox: None)
    watcher.start()
    assert entered.wait(10)
    return watcher, client, release


def test_stop_without_join_returns_while_the_request_is_in_flight():
    watcher, client, release = _blocked_watcher()
    watcher.stop(join=False)
    assert watcher.running  # still inside its request: the caller did not wait for it
    assert not client.closed.is_set()
    release.set()
    watcher.join()
    assert not watcher.running
    assert client.closed.is_set()


def test_guard_stops_the_watcher_at_once_and_joins_it_when_the_desk_stops():
    watcher, client, release = _blocked_watcher()
    guard = types.SimpleNamespace(_lock=threading.Lock(), _watcher=watcher, _stopped_watchers=[])
    DeskGuard.stop_watching(guard)  # what sign-out and lock do
    assert guard._watcher is None
    assert watcher.running
    release.set()
    DeskGuard.stop_watching(guard, join=True)  # what the desk's stop does
    assert not watcher.running
    assert client.closed.is_set()
    assert guard._stopped_watchers == []
