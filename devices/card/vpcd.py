"""Attach an emulated card to pcscd's vpcd virtual reader (vsmartcard-vpcd).

vpcd listens on 127.0.0.1:35963 (slot 0) and 35964 (slot 1); the card side connects as a
TCP client. Every message is a 2-byte big-endian length and a payload: a 1-byte payload is a
control command (``00`` power off, ``01`` power on, ``02`` reset, ``04`` send the ATR), a
longer one a command APDU to answer. Connecting and answering the ATR inserts the card;
closing the socket removes it. vpcd asks for the ATR on every poll (~0.4 s).

:class:`VpcdLink` runs the card in its own thread ("vpcd-<port>"); its methods are safe from
any thread and :meth:`VpcdLink.close` stops it cleanly.
"""

from __future__ import annotations

import contextlib
import logging
import select
import socket
import struct
import threading
import time
from collections.abc import Callable
from typing import Any

from devices.card.emulator import CardEmulator

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 35963

CTRL_OFF = 0x00
CTRL_ON = 0x01
CTRL_RESET = 0x02
CTRL_ATR = 0x04

# vpcd accepts one card per slot and polls every ~0.4 s: a connection it has not polled
# after this long is queued behind another card attached to the same slot.
NOT_POLLED_AFTER = 3.0
# A message that started must finish within this time.
MESSAGE_TIMEOUT = 5.0
# A card stays out at least this long before it goes back in, so that vpcd polls the empty
# slot and pcscd sees the removal (a reconnect within one poll looks like no removal at all,
# which leaves pcscd's state stale after a card was pulled mid-command).
MIN_ABSENCE = 1.0

EventSink = Callable[[dict[str, Any]], None]


class _Closed(Exception):
    """vpcd closed the connection."""


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    """Read exactly ``size`` bytes (TCP may deliver a message in pieces)."""
    chunks = []
    remaining = size
    while remaining:
        chunk = sock.recv(remaining)
        if not chunk:
            raise _Closed()
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_message(sock: socket.socket) -> bytes:
    """One length-prefixed message."""
    (length,) = struct.unpack(">H", _recv_exact(sock, 2))
    return _recv_exact(sock, length) if length else b""


def write_message(sock: socket.socket, payload: bytes) -> None:
    """Send one length-prefixed message."""
    sock.sendall(struct.pack(">H", len(payload)) + payload)


class VpcdLink:
    """One emulated card in one vpcd slot, served from its own thread.

    ``insert()`` connects (the reader then sees the card), ``remove()`` closes the socket,
    ``swap()`` exchanges the card in place without disconnecting (a swap faster than the
    reader's poll: PC/SC sees no event), ``pull_on_next_verify()`` drops the connection when
    the next VERIFY with a PIN arrives, without answering it, ``pull_after(n)`` when the n-th
    command from now arrives.

    ``on_event`` gets dicts with an ``event`` key, called on the link thread (``swapped`` on
    the thread that called :meth:`swap`):
    ``inserted`` (vpcd polled the card after a connect), ``removed``, ``swapped``, ``pulled``
    (with ``removed`` after it), ``waiting`` (connected but not polled: another card holds the
    slot), ``error`` (``code`` ``vpcd_unreachable`` or ``vpcd_closed``).
    """

    def __init__(
        self,
        emulator: CardEmulator | None = None,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        on_event: EventSink | None = None,
        inserted: bool = True,
        retry_interval: float = 0.5,
    ) -> None:
        self.host = host
        self.port = port
        self._on_event = on_event
        self._retry_interval = retry_interval
        self._lock = threading.Lock()
        self._emulator = emulator
        self._want_inserted = inserted and emulator is not None
        self._stop = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()
        self._sock: socket.socket | None = None
        self._polled = threading.Event()  # vpcd powered the card since the last connect
        self._powering = False
        self._atr_requests = 0
        self._disconnected_at = -MIN_ABSENCE
        self._removed = threading.Event()
        self._removed.set()
        self._thread = threading.Thread(target=self._run, name=f"vpcd-{port}", daemon=True)
        self._started = False

    # -- control (any thread) --------------------------------------------------------------

    def start(self) -> VpcdLink:
        """Start the link thread; returns self."""
        if not self._started:
            self._started = True
            self._thread.start()
        return self

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")

    @property
    def emulator(self) -> CardEmulator | None:
        """The card (inserted or not)."""
        with self._lock:
            return self._emulator

    @property
    def inserted(self) -> bool:
        """True while the link wants the card in the reader."""
        with self._lock:
            return self._want_inserted

    def insert(self, emulator: CardEmulator | None = None) -> None:
        """Insert ``emulator`` (or the last card) into the reader."""
        with self._lock:
            if emulator is not None:
                self._emulator = emulator
            if self._emulator is None:
                raise ValueError("no card to insert")
            self._want_inserted = True
            self._polled.clear()
        self._wake()

    def remove(self) -> None:
        """Take the card out (close the socket)."""
        with self._lock:
            self._want_inserted = False
        self._wake()

    def swap(self, emulator: CardEmulator) -> None:
        """Exchange the card in place, without a disconnect (invisible to PC/SC events)."""
        emulator.power_on()
        with self._lock:
            self._emulator = emulator
            inserted = self._want_inserted
        if inserted:
            self._emit({"event": "swapped", "port": self.port, "card": emulator.label})
        else:
            self.insert(emulator)

    def pull_on_next_verify(self) -> None:
        """Drop the connection when the next VERIFY with a PIN arrives, without answering."""
        with self._lock:
            if self._emulator is None:
                raise ValueError("no card")
            self._emulator.pull_on_next_verify = True

    def pull_after(self, commands: int) -> None:
        """Drop the connection when the ``commands``-th command APDU from now arrives, without
        answering it (a card pulled in the middle of a read, at a chosen point)."""
        with self._lock:
            if self._emulator is None:
                raise ValueError("no card")
            self._emulator.pull_after(commands)

    def wait_polled(self, timeout: float) -> bool:
        """Wait until vpcd has powered the inserted card (the reader then shows it)."""
        return self._polled.wait(timeout)

    def wait_removed(self, timeout: float) -> bool:
        """Wait until the socket is closed."""
        return self._removed.wait(timeout)

    def close(self) -> None:
        """Stop the thread and close the socket (the card leaves the reader)."""
        self._stop.set()
        self._wake()
        if self._started:
            self._thread.join(timeout=5)
        for sock in (self._wake_r, self._wake_w):
            sock.close()

    def __enter__(self) -> VpcdLink:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- link thread -----------------------------------------------------------------------

    def _emit(self, event: dict[str, Any]) -> None:
        log.debug("vpcd %s: %s", self.port, event["event"])
        if self._on_event is not None:
            try:
                self._on_event(event)
            except Exception:
                log.exception("vpcd event handler failed")

    def _run(self) -> None:
        unreachable_reported = False
        connected_at = 0.0
        waiting_reported = False
        try:
            while not self._stop.is_set():
                with self._lock:
                    want = self._want_inserted
                if want and self._sock is None:
                    absent_for = time.monotonic() - self._disconnected_at
                    if absent_for < MIN_ABSENCE:
                        self._idle(MIN_ABSENCE - absent_for)
                        continue
                    try:
                        self._connect()
                    except OSError as exc:
                        if not unreachable_reported:
                            unreachable_reported = True
                            self._emit({
                                "event": "error", "code": "vpcd_unreachable", "port": self.port,
                                "detail": f"cannot connect to vpcd at {self.host}:{self.port}: "
                                f"{exc.strerror or exc}",
                            })  # fmt: skip
                        self._idle(self._retry_interval)
                        continue
                    unreachable_reported = False
                    connected_at = time.monotonic()
                    waiting_reported = False
                elif not want and self._sock is not None:
                    self._disconnect()
                    self._emit({"event": "removed", "port": self.port})
                    continue

                if self._sock is None:
                    self._idle(0.5)
                    continue
                readable, _, _ = select.select([self._sock, self._wake_r], [], [], 0.5)
                if self._wake_r in readable:
                    self._drain_wake()
                if self._sock in readable:
                    self._serve_one()
                elif (
                    not self._polled.is_set()
                    and not waiting_reported
                    and time.monotonic() - connected_at > NOT_POLLED_AFTER
                ):
                    waiting_reported = True
                    self._emit({
                        "event": "waiting", "port": self.port,
                        "detail": "vpcd has not polled this card: is another card attached "
                        "to this slot?",
                    })  # fmt: skip
        finally:
            if self._sock is not None:
                self._disconnect()

    def _idle(self, seconds: float) -> None:
        readable, _, _ = select.select([self._wake_r], [], [], seconds)
        if readable:
            self._drain_wake()

    def _drain_wake(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            self._wake_r.setblocking(False)
            while self._wake_r.recv(64):
                pass

    def _connect(self) -> None:
        sock = socket.create_connection((self.host, self.port), timeout=2.0)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(MESSAGE_TIMEOUT)
        self._sock = sock
        self._polled.clear()
        self._powering = False
        self._atr_requests = 0
        self._removed.clear()
        log.info("vpcd %s: connected", self.port)

    def _disconnect(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self._removed.set()
        self._disconnected_at = time.monotonic()
        log.info("vpcd %s: disconnected", self.port)

    def _serve_one(self) -> None:
        assert self._sock is not None
        with self._lock:
            emulator = self._emulator
        try:
            message = read_message(self._sock)
            if len(message) == 1:
                self._control(message[0], emulator)
                return
            if emulator is None:
                return
            if emulator.take_pull(message):
                # The card leaves while the command is on its way: never answered.
                with self._lock:
                    self._want_inserted = False
                self._disconnect()
                self._emit({"event": "pulled", "port": self.port})
                self._emit({"event": "removed", "port": self.port})
                return
            write_message(self._sock, emulator.process(message))
        except (_Closed, OSError) as exc:
            self._disconnect()
            self._emit({
                "event": "error", "code": "vpcd_closed", "port": self.port,
                "detail": f"vpcd closed the connection ({type(exc).__name__})",
            })  # fmt: skip

    def _control(self, command: int, emulator: CardEmulator | None) -> None:
        assert self._sock is not None
        if emulator is None:
            return
        if command == CTRL_ATR:
            write_message(self._sock, emulator.atr)
            self._atr_requests += 1
            # pcscd shows the card once it has powered a new card up and read its ATR; or, when
            # the card came back within one poll (PC/SC saw no removal), from the next poll on.
            if not self._polled.is_set() and (self._powering or self._atr_requests >= 3):
                self._powering = False
                self._polled.set()
                self._emit({
                    "event": "inserted", "port": self.port, "card": emulator.label,
                    "atr": emulator.atr.hex().upper(),
                })  # fmt: skip
            return
        if command == CTRL_OFF:
            emulator.power_off()
        elif command == CTRL_ON:
            emulator.power_on()
            self._powering = True
        elif command == CTRL_RESET:
            emulator.reset()
        else:
            log.debug("vpcd %s: unknown control %02X", self.port, command)
        log.debug("vpcd %s: control %02X", self.port, command)
