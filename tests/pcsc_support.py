"""Helpers for tests that use the real PC/SC stack: pcscd, the vpcd driver and our emulator.

- :func:`ensure_pcscd` makes sure pcscd runs with the vpcd readers, starting
  ``pcscd --foreground`` when it is installed but not running (and stopping it afterwards).
- :class:`VpcdCards` attaches emulated cards to vpcd slots (35963 -> "Virtual PCD 00 00",
  35964 -> "Virtual PCD 00 01") and waits until pcscd shows them; it holds a per-slot file
  lock so that test processes running in parallel do not put two cards into one slot.
- :func:`pcsc_required` tells whether a missing stack must fail the run (CI, or
  HALL_COUNTER_REQUIRE_PCSC=1) rather than skip.
- :class:`PrivatePcscd` runs a pcscd of the test's own in private namespaces, for the states
  the shared one must never be put in (no reader, stopped, started again).

Holds no tests itself. Everything here talks to 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CARD_DATA = Path(__file__).resolve().parent / "data" / "cards"
SAMPLE_CARDS = REPO / "resources" / "cards"

VPCD_HOST = "127.0.0.1"
VPCD_SLOTS = {35963: "Virtual PCD 00 00", 35964: "Virtual PCD 00 01"}
PNP = "\\\\?PnP?\\Notification"

# vpcd polls every ~0.4 s; these bounds only guard against hangs.
ATTACH_TIMEOUT = 10.0
STATE_TIMEOUT = 10.0
PCSCD_START_TIMEOUT = 15.0


class PcscUnavailable(Exception):
    """pcscd with the vpcd readers cannot be used here; the message says why."""


def pcsc_required() -> bool:
    """True when a missing PC/SC stack must fail the tests instead of skipping them."""
    return bool(os.environ.get("CI")) or os.environ.get("HALL_COUNTER_REQUIRE_PCSC") == "1"


def list_readers() -> list[str] | None:
    """The PC/SC readers, or None when the service does not answer."""
    try:
        from smartcard import scard
    except ImportError:
        return None
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return None
    try:
        hresult, names = scard.SCardListReaders(context, [])
        if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
            return []
        if hresult != scard.SCARD_S_SUCCESS:
            return None
        return list(names)
    finally:
        scard.SCardReleaseContext(context)


def _vpcd_ready() -> bool:
    names = list_readers() or []
    return all(name in names for name in VPCD_SLOTS.values())


@dataclass
class PcscdHandle:
    """pcscd as found or started: ``process`` is set only when these tests started it."""

    process: subprocess.Popen | None = None
    log_path: Path | None = None

    def stop(self) -> None:
        """Stop pcscd if these tests started it."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


def ensure_pcscd() -> PcscdHandle:
    """Return once pcscd shows both vpcd readers, starting it when needed.

    Raises :class:`PcscUnavailable` with the reason when that is not possible here.
    """
    try:
        import smartcard  # noqa: F401
    except ImportError as exc:
        raise PcscUnavailable(f"pyscard is not installed: {exc}") from None
    if _vpcd_ready():
        return PcscdHandle()
    names = list_readers()
    if names is not None:
        raise PcscUnavailable(
            f"pcscd runs but shows no vpcd readers ({names}): install vsmartcard-vpcd and "
            "restart pcscd"
        )
    pcscd = shutil.which("pcscd") or next(
        (p for p in ("/usr/sbin/pcscd", "/usr/local/sbin/pcscd") if os.access(p, os.X_OK)), None
    )
    if pcscd is None:
        raise PcscUnavailable("pcscd is not installed (apt-get install pcscd vsmartcard-vpcd)")
    log_path = Path(tempfile.mkstemp(prefix="hall-counter-pcscd-", suffix=".log")[1])
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            [pcscd, "--foreground"],
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    handle = PcscdHandle(process, log_path)
    deadline = time.monotonic() + PCSCD_START_TIMEOUT
    while time.monotonic() < deadline:
        if _vpcd_ready():
            return handle
        if process.poll() is not None:
            break
        time.sleep(0.2)
    handle.stop()
    tail = log_path.read_text(errors="replace")[-500:]
    raise PcscUnavailable(f"started pcscd but the vpcd readers did not appear: {tail}")


def wait_reader_state(reader: str, present: bool, timeout: float = STATE_TIMEOUT) -> None:
    """Wait until pcscd shows a card in ``reader`` (``present``) or an empty reader."""
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hresult == scard.SCARD_S_SUCCESS, "PC/SC service not running"
    try:
        state = scard.SCARD_STATE_UNAWARE
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{reader!r} did not become {'full' if present else 'empty'}")
            hresult, states = scard.SCardGetStatusChange(
                context, int(min(remaining, 1.0) * 1000), [(reader, state)]
            )
            if hresult == scard.SCARD_E_TIMEOUT:
                continue
            assert hresult == scard.SCARD_S_SUCCESS, scard.SCardGetErrorMessage(hresult)
            _name, event, _atr = states[0]
            state = event & ~scard.SCARD_STATE_CHANGED
            has_card = bool(event & scard.SCARD_STATE_PRESENT)
            if has_card == present:
                return
    finally:
        scard.SCardReleaseContext(context)


class SlotLock:
    """An exclusive lock on one vpcd slot across processes (a file under the temp dir)."""

    def __init__(self, port: int) -> None:
        self.path = Path(tempfile.gettempdir()) / f"hall-counter-vpcd-{port}.lock"
        self._file: Any = None

    def acquire(self, timeout: float = 120.0) -> None:
        """Block until the slot is ours (raises TimeoutError)."""
        import fcntl

        self._file = open(self.path, "a+")  # noqa: SIM115 - held until release()
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self._file.close()
                    self._file = None
                    raise TimeoutError(f"vpcd slot lock {self.path} held too long") from None
                time.sleep(0.1)

    def release(self) -> None:
        """Let other processes use the slot."""
        if self._file is not None:
            self._file.close()  # closing drops the flock
            self._file = None


class VpcdCards:
    """Cards attached to vpcd slots for one test; :meth:`close` takes them all out.

    ``attach(profile, port)`` starts a :class:`~devices.card.vpcd.VpcdLink` and returns it once
    pcscd shows the card. ``claim(port)`` takes a slot's lock without a card (a test that needs
    the slot empty, e.g. automatic reader selection or a missing card).
    """

    def __init__(self) -> None:
        self.links: dict[int, Any] = {}
        self.events: dict[int, list[dict]] = {}
        self._locks: dict[int, SlotLock] = {}

    def claim(self, port: int) -> str:
        """Own the slot (its reader must be empty); return the reader name."""
        if port not in self._locks:
            lock = SlotLock(port)
            lock.acquire()
            self._locks[port] = lock
            try:
                wait_reader_state(VPCD_SLOTS[port], present=False)
            except TimeoutError:
                raise AssertionError(
                    f"vpcd slot {port} holds a card these tests did not attach (another "
                    "card-sim?): free the slot"
                ) from None
        return VPCD_SLOTS[port]

    def attach(self, profile: Any, port: int = 35963, *, wait: bool = True):
        """Insert the card for ``profile`` (path, dict or emulator) into slot ``port``."""
        from devices.card.simulated import make_emulator
        from devices.card.vpcd import VpcdLink

        reader = self.claim(port)
        if port in self.links:
            raise AssertionError(f"slot {port} already has a card in this test")
        emulator = make_emulator(profile) if not hasattr(profile, "process") else profile
        events: list[dict] = []
        link = VpcdLink(emulator, VPCD_HOST, port, on_event=events.append).start()
        self.links[port] = link
        self.events[port] = events
        if wait:
            if not link.wait_polled(ATTACH_TIMEOUT):
                raise AssertionError(f"vpcd did not take the card on port {port}: {events}")
            wait_reader_state(reader, present=True)
        return link

    def detach(self, port: int) -> None:
        """Take the card out of slot ``port`` and wait until the reader shows it empty."""
        link = self.links.pop(port, None)
        if link is not None:
            link.close()
            with contextlib.suppress(TimeoutError):
                wait_reader_state(VPCD_SLOTS[port], present=False)

    def close(self) -> None:
        """Detach every card and release the slots."""
        try:
            for port in list(self.links):
                self.detach(port)
        finally:
            for lock in self._locks.values():
                lock.release()
            self._locks.clear()


def card_profile(name: str) -> Path:
    """A profile from tests/data/cards (``gen3_t1``) or the sample cards (``c01``)."""
    sample = SAMPLE_CARDS / f"{name}.json"
    if sample.exists():
        return sample
    return CARD_DATA / f"{name}.json"


# -- a private pcscd --------------------------------------------------------------------------

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")


class PrivatePcscd:
    """A pcscd of the test's own, for states the shared one must never be put in (no reader,
    service stopped and started again).

    It runs in its own mount namespace, where the test's folder is mounted over /run/pcscd, so
    its socket, pid file and clean-up stay there and the shared pcscd is never touched; and in
    its own network namespace, so a vpcd reader it loads listens nowhere reachable. Clients
    reach it with ``PCSCLITE_CSOCK_NAME`` = :attr:`socket` (read once per process by
    libpcsclite: use it from a child process). ``vpcd_ports`` adds one vpcd reader per port,
    named ``Private PCD <n> 00 00``/``00 01`` (no card can be inserted from outside the
    namespace).
    """

    def __init__(self, folder: Path, vpcd_ports: tuple[int, ...] = ()) -> None:
        self.folder = folder
        self.run_dir = folder / "run"
        self.conf_dir = folder / "reader.conf.d"
        self.socket = self.run_dir / "pcscd.comm"
        self.vpcd_ports = vpcd_ports
        self.process: subprocess.Popen | None = None
        self.log_path = folder / "pcscd.log"

    @staticmethod
    def available() -> str | None:
        """None when a private pcscd can run here, else why not."""
        if shutil.which("unshare") is None:
            return "unshare (util-linux) is not installed"
        if shutil.which("pcscd") is None and not os.access("/usr/sbin/pcscd", os.X_OK):
            return "pcscd is not installed"
        probe = subprocess.run(
            [*PrivatePcscd._unshare(), "true"], capture_output=True, text=True, timeout=10
        )
        if probe.returncode != 0:
            return f"cannot create namespaces: {probe.stderr.strip()}"
        return None

    @staticmethod
    def _unshare() -> list[str]:
        command = ["unshare", "--mount", "--net", "--propagation", "private"]
        if os.geteuid() != 0:
            command[1:1] = ["--user", "--map-root-user"]
        return command

    def reader_names(self) -> list[str]:
        """The readers it shows (vpcd gives two slots per port)."""
        return [
            f"Private PCD {index} 00 {slot:02d}"
            for index in range(len(self.vpcd_ports))
            for slot in (0, 1)
        ]

    def start(self) -> None:
        """Start it and wait until its socket answers."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.conf_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.conf_dir.iterdir():
            stale.unlink()
        for index, port in enumerate(self.vpcd_ports):
            (self.conf_dir / f"vpcd{index}").write_text(
                f'FRIENDLYNAME "Private PCD {index}"\nDEVICENAME /dev/null:{port:#x}\n'
                f"LIBPATH {VPCD_DRIVER}\nCHANNELID {port:#x}\n"
            )
        pcscd = shutil.which("pcscd") or "/usr/sbin/pcscd"
        script = (
            f"mkdir -p /run/pcscd && mount --bind {shlex.quote(str(self.run_dir))} /run/pcscd "
            f"&& exec {shlex.quote(pcscd)} --foreground -c {shlex.quote(str(self.conf_dir))}"
        )
        with open(self.log_path, "ab") as log_file:
            self.process = subprocess.Popen(
                [*self._unshare(), "sh", "-c", script],
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + PCSCD_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.socket.exists() and (self.run_dir / "pcscd.pid").exists():
                time.sleep(0.3)  # readers from reader.conf are added right after the socket
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        tail = self.log_path.read_text(errors="replace")[-500:]
        self.stop()
        raise PcscUnavailable(f"the private pcscd did not start: {tail}")

    def stop(self) -> None:
        """Stop it (SIGTERM, then SIGKILL) and wait until it has gone."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()

    def env(self) -> dict[str, str]:
        """The environment for a child process that should use this pcscd."""
        return dict(os.environ, PCSCLITE_CSOCK_NAME=str(self.socket))


# -- a pinpad reader's firmware ---------------------------------------------------------------


class PinpadFirmware:
    """What a PC/SC part 10 pinpad reader does with control calls, for tests: the vpcd driver
    refuses every control call, so a test connection's ``control()`` comes here instead.

    ``keys`` scripts the citizen, one entry per VERIFY_PIN_DIRECT: the digits keyed, or
    ``"timeout"`` / ``"cancel"``. The PIN is written into the reader's APDU as the structure's
    format says (BCD, byte positions) and sent to the real card through ``transmit``.
    ``requests`` keeps every structure received, for the test to check.
    """

    VERIFY_CODE = 0x42330006  # a vendor's control code for VERIFY_PIN_DIRECT
    PROPERTIES_CODE = 0x4233000A

    def __init__(self, keys: list[str]) -> None:
        self.keys = list(keys)
        self.requests: list[Any] = []

    def control(self, code: int, data: bytes, transmit) -> bytes:
        """Answer one control call; ``transmit(apdu) -> response APDU`` reaches the card."""
        import struct

        from devices.card.errors import CardError
        from devices.card.pinpad import VerifyRequest, cm_ioctl_get_feature_request

        if code == cm_ioctl_get_feature_request():
            return (
                bytes([0x06, 4]) + struct.pack(">I", self.VERIFY_CODE)
                + bytes([0x0A, 4]) + struct.pack(">I", self.PROPERTIES_CODE)
            )  # fmt: skip
        if code != self.VERIFY_CODE:
            raise CardError("reader_error", f"control {code:#x} not supported")
        request = VerifyRequest.parse(data)
        self.requests.append(request)
        key = self.keys.pop(0)
        if key == "timeout":
            return b"\x64\x00"
        if key == "cancel":
            return b"\x64\x01"
        if not request.min_digits <= len(key) <= request.max_digits:
            return b"\x64\x03"
        return transmit(self._with_pin(request, key))

    @staticmethod
    def _with_pin(request: Any, pin: str) -> bytes:
        fmt = request.format_string
        assert fmt & 0x80 and fmt & 0x03 == 0x01, "this firmware knows BCD in byte units only"
        assert not fmt & 0x04, "left justification only"
        apdu = bytearray(request.apdu)
        nibbles = list(apdu[5:].hex().upper())
        start = 2 * ((fmt >> 3) & 0x0F)
        for index, digit in enumerate(pin):
            nibbles[start + index] = digit
        apdu[5:] = bytes.fromhex("".join(nibbles))
        return bytes(apdu)


class CardWatch:
    """``hall-counter card watch --json [ARGS]`` in a child process, its events read on a
    thread so that every wait has a deadline (``timeout`` seconds)."""

    def __init__(self, *argv: str, env: dict | None = None, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ui.cli", "card", "watch", "--json", *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=env,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.events: list[dict] = []
        self.state: str | None = None
        self.stderr = ""
        self.thread = threading.Thread(target=self._read, name="card-watch-stdout")
        self.thread.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _next(self) -> dict:
        try:
            line = self.lines.get(timeout=self.timeout)
        except queue.Empty:
            raise AssertionError(f"card watch said nothing more; events: {self.events}") from None
        assert line is not None, f"card watch ended: {self.events}"
        event = json.loads(line)
        self.events.append(event)
        return event

    def next_event(self, name: str) -> dict:
        """The next event called ``name`` (those before it are kept in :attr:`events`)."""
        while True:
            event = self._next()
            if event["event"] == name:
                return event

    def next_state(self) -> dict:
        """The next reader state that differs from the one before. The same state may be
        reported again with a new detail (e.g. why the service cannot be reached)."""
        while True:
            event = self.next_event("reader_state")
            if event["state"] != self.state:
                self.state = event["state"]
                return event

    def stop(self) -> int:
        """SIGTERM, as a service manager stops it; the exit code (:attr:`stderr` keeps what it
        wrote there)."""
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.thread.join(timeout=15)
        self.stderr = self.process.stderr.read()
        self.process.stdout.close()
        self.process.stderr.close()
        return self.process.returncode
