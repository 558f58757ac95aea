"""VpcdLink's framing and commands against a loopback peer that speaks vpcd's protocol.

The real vpcd runs in tests/integration/test_card_pcsc.py; here the peer sends messages in
pieces and checks what the link answers, which the real driver cannot be made to do.
"""

from __future__ import annotations

import socket
import struct
import threading
from contextlib import closing

import pytest

from devices.card.emulator import CardEmulator
from devices.card.ssc import SELECT_SSSE
from devices.card.vpcd import VpcdLink

TIMEOUT = 10


class Peer:
    """The vpcd side: listens on 127.0.0.1, accepts the link, sends and reads frames."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(TIMEOUT)
        self.port = self.server.getsockname()[1]
        self.conn: socket.socket | None = None

    def accept(self) -> socket.socket:
        self.conn, _ = self.server.accept()
        self.conn.settimeout(TIMEOUT)
        return self.conn

    def send_in_pieces(self, payload: bytes, piece: int = 1) -> None:
        frame = struct.pack(">H", len(payload)) + payload
        for start in range(0, len(frame), piece):
            self.conn.sendall(frame[start : start + piece])

    def read_frame(self) -> bytes:
        header = self._exact(2)
        return self._exact(struct.unpack(">H", header)[0])

    def _exact(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.conn.recv(size - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.server.close()


@pytest.fixture
def peer():
    peer = Peer()
    yield peer
    peer.close()


@pytest.fixture
def events():
    return []


def power_up(peer: Peer, emulator: CardEmulator) -> None:
    peer.send_in_pieces(b"\x04")
    assert peer.read_frame() == emulator.atr
    peer.send_in_pieces(b"\x01")
    peer.send_in_pieces(b"\x04")
    assert peer.read_frame() == emulator.atr


def test_framing_power_and_apdus(peer, events):
    emulator = CardEmulator({"protocol": "T1"})
    with VpcdLink(emulator, "127.0.0.1", peer.port, on_event=events.append) as link:
        conn = peer.accept()
        assert conn.getpeername()[0] == "127.0.0.1"
        power_up(peer, emulator)
        assert link.wait_polled(TIMEOUT)
        assert events[0]["event"] == "inserted" and events[0]["atr"] == emulator.atr.hex().upper()
        # An APDU arriving one byte at a time is still read whole.
        peer.send_in_pieces(SELECT_SSSE, piece=1)
        assert peer.read_frame() == b"\x90\x00"
        peer.send_in_pieces(bytes.fromhex("00B2072C00"), piece=3)
        assert peer.read_frame() == b"\x07\x09A00000019\x90\x00"


def test_link_sets_tcp_nodelay(peer):
    emulator = CardEmulator({})
    link = VpcdLink(emulator, "127.0.0.1", peer.port).start()
    try:
        peer.accept()
        power_up(peer, emulator)
        assert link.wait_polled(TIMEOUT)
        sock = link._sock
        assert sock is not None
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        link.close()


def test_remove_closes_and_insert_reconnects(peer, events):
    emulator = CardEmulator({})
    with VpcdLink(emulator, "127.0.0.1", peer.port, on_event=events.append) as link:
        peer.accept()
        power_up(peer, emulator)
        link.remove()
        assert link.wait_removed(TIMEOUT)
        with pytest.raises(EOFError):
            peer.read_frame()
        peer.conn.close()
        other = CardEmulator({"protocol": "T1"})
        link.insert(other)
        peer.accept()
        power_up(peer, other)
        assert link.wait_polled(TIMEOUT)
    assert [e["event"] for e in events] == ["inserted", "removed", "inserted"]


def test_swap_keeps_the_connection(peer, events):
    first = CardEmulator({"ef05": {"card_no": "A00000001"}})
    second = CardEmulator({"ef05": {"card_no": "A00000002"}, "protocol": "T1"})
    with VpcdLink(first, "127.0.0.1", peer.port, on_event=events.append) as link:
        peer.accept()
        power_up(peer, first)
        assert link.wait_polled(TIMEOUT)
        link.swap(second)
        peer.send_in_pieces(SELECT_SSSE)
        assert peer.read_frame() == b"\x90\x00"
        peer.send_in_pieces(bytes.fromhex("00B2072C00"))
        assert peer.read_frame() == b"\x07\x09A00000002\x90\x00"
    assert [e["event"] for e in events] == ["inserted", "swapped"]


def test_pull_on_next_verify_drops_without_answer(peer, events):
    emulator = CardEmulator({})
    with VpcdLink(emulator, "127.0.0.1", peer.port, on_event=events.append) as link:
        peer.accept()
        power_up(peer, emulator)
        peer.send_in_pieces(SELECT_SSSE)
        assert peer.read_frame()[-2:] == b"\x61\x13"
        link.pull_on_next_verify()
        peer.send_in_pieces(bytes.fromhex("0020000003123456"))
        with pytest.raises(EOFError):
            peer.read_frame()
        assert link.wait_removed(TIMEOUT)
        assert not link.inserted
    assert emulator.tries_left == 3
    assert [e["event"] for e in events] == ["inserted", "pulled", "removed"]


def test_unreachable_vpcd_is_reported_and_close_is_clean(events):
    # A port nobody listens on: bind one and close it.
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    reported = threading.Event()

    def sink(event):
        events.append(event)
        if event["event"] == "error":
            reported.set()

    link = VpcdLink(CardEmulator({}), "127.0.0.1", port, on_event=sink).start()
    try:
        assert reported.wait(TIMEOUT)
    finally:
        link.close()
    assert events[0]["code"] == "vpcd_unreachable"
    assert not any(t.name == f"vpcd-{port}" for t in threading.enumerate())


def test_peer_closing_is_an_error_event(peer, events):
    emulator = CardEmulator({})
    got_error = threading.Event()

    def sink(event):
        events.append(event)
        if event["event"] == "error":
            got_error.set()

    with VpcdLink(emulator, "127.0.0.1", peer.port, on_event=sink):
        peer.accept()
        power_up(peer, emulator)
        peer.send_in_pieces(b"\x00\x05")  # a frame header promising more, then a hang-up
        peer.conn.close()
        assert got_error.wait(TIMEOUT)
    assert events[-1]["code"] == "vpcd_closed"


def test_pull_after_drops_the_chosen_command_unanswered(peer, events):
    emulator = CardEmulator({})
    with VpcdLink(emulator, "127.0.0.1", peer.port, on_event=events.append) as link:
        peer.accept()
        power_up(peer, emulator)
        with pytest.raises(ValueError):
            emulator.pull_after(0)
        link.pull_after(2)
        peer.send_in_pieces(SELECT_SSSE)  # the first: answered
        assert peer.read_frame()[-2:] == b"\x61\x13"
        answered = emulator.commands
        peer.send_in_pieces(bytes.fromhex("00B2012800"))  # the second: the card leaves
        with pytest.raises(EOFError):
            peer.read_frame()
        assert link.wait_removed(TIMEOUT)
        assert emulator.commands == answered  # never processed
    assert [e["event"] for e in events] == ["inserted", "pulled", "removed"]
