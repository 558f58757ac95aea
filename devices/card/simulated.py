"""The emulator in-process behind the :class:`CardReader` interface.

For machines without pcscd and for training mode. ``insert``/``remove``/``swap`` and
``pull_on_next_verify`` are thread-safe (a GUI or a test drives them); the reader methods run
on the card thread like any other backend.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from pathlib import Path
from typing import Any

from devices.card.apdu import ApduChannel
from devices.card.emulator import CardEmulator, load_profile
from devices.card.errors import CardError, CardRemovedError
from devices.card.reader import CardConnection, CardReader

log = logging.getLogger(__name__)

ProfileLike = Path | str | dict[str, Any] | CardEmulator


def make_emulator(profile: ProfileLike) -> CardEmulator:
    """An emulator from a profile path, a profile dict or an emulator (returned as is)."""
    if isinstance(profile, CardEmulator):
        return profile
    if isinstance(profile, dict):
        return CardEmulator(profile)
    return CardEmulator(load_profile(profile), label=Path(profile).name)


class _SimulatedTransport:
    def __init__(self, reader: SimulatedCardReader, insertion: int) -> None:
        self._reader = reader
        self._insertion = insertion

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        emulator = self._reader._emulator_for(self._insertion)
        if emulator.take_pull(apdu):
            # The card leaves while the command is on its way: no answer.
            self._reader.remove()
            raise CardRemovedError("pulled during a command")
        response = emulator.process(apdu)
        return response[:-2], (response[-2] << 8) | response[-1]


class SimulatedConnection(CardConnection):
    """A session with the simulated card; fails with CardRemovedError once it is removed."""

    def __init__(self, reader: SimulatedCardReader, emulator: CardEmulator, insertion: int):
        self.reader = reader.name
        self.atr = emulator.atr
        self.channel = ApduChannel(_SimulatedTransport(reader, insertion))
        self._owner = reader
        self._insertion = insertion
        self._open = True

    def disconnect(self, *, reset: bool = False) -> None:
        """Release the card; with ``reset`` the emulator is reset (verified PIN cleared)."""
        if not self._open:
            return
        self._open = False
        if reset:
            with contextlib.suppress(CardRemovedError):
                self._owner._emulator_for(self._insertion).reset()


class SimulatedCardReader(CardReader):
    """A reader holding emulated cards.

    ``profiles`` is the list :meth:`insert` cycles through when called without a profile
    (the sample cards in training mode). No card is inserted at first.
    """

    def __init__(
        self, profiles: list[Path] | None = None, *, name: str = "Simulated Reader 00"
    ) -> None:
        self.name = name
        self._profiles = list(profiles or [])
        self._next_profile = 0
        self._cond = threading.Condition()
        self._emulator: CardEmulator | None = None
        self._insertion = 0  # bumped by every insert and removal (the PC/SC event counter)
        self._seen = 0  # the counter the card thread last saw in wait_for_change
        self._cancelled = False

    # -- driving the reader (any thread) ---------------------------------------------------

    def insert(self, profile: ProfileLike | None = None) -> CardEmulator:
        """Insert a card (the next profile of the list when None); a card already in the
        reader is removed first."""
        if profile is None:
            if not self._profiles:
                raise ValueError("no profile given and no profile list")
            with self._cond:
                profile = self._profiles[self._next_profile % len(self._profiles)]
                self._next_profile += 1
        emulator = make_emulator(profile)
        emulator.power_on()
        with self._cond:
            if self._emulator is not None:
                self._insertion += 1
            self._emulator = emulator
            self._insertion += 1
            self._cond.notify_all()
        log.info("simulated card inserted")
        return emulator

    def remove(self) -> None:
        """Take the card out (nothing happens when the reader is empty)."""
        with self._cond:
            if self._emulator is None:
                return
            self._emulator = None
            self._insertion += 1
            self._cond.notify_all()
        log.info("simulated card removed")

    def swap(self, profile: ProfileLike, *, visible: bool = False) -> CardEmulator:
        """Exchange the card for another.

        By default the swap is faster than any poll: no event, and open connections talk to
        the new card (what PC/SC shows for a quick swap). ``visible=True`` is a removal and an
        insertion.
        """
        if visible:
            return self.insert(profile)
        emulator = make_emulator(profile)
        emulator.power_on()
        with self._cond:
            self._emulator = emulator
        log.info("simulated card swapped")
        return emulator

    def pull_on_next_verify(self) -> None:
        """Arm the card so that the next VERIFY with a PIN removes it instead of answering."""
        with self._cond:
            if self._emulator is None:
                raise CardError("card_absent")
            self._emulator.pull_on_next_verify = True

    @property
    def emulator(self) -> CardEmulator | None:
        """The card in the reader, or None."""
        with self._cond:
            return self._emulator

    def _emulator_for(self, insertion: int) -> CardEmulator:
        with self._cond:
            if self._emulator is None or insertion != self._insertion:
                raise CardRemovedError("simulated reader")
            return self._emulator

    # -- CardReader (card thread) ----------------------------------------------------------

    def readers(self) -> list[str]:
        """The one simulated reader."""
        return [self.name]

    def wait_for_change(self, timeout: float) -> bool:
        """Block until a card is inserted or removed, ``timeout`` passes or the wait is
        cancelled; True on a change since the last call."""
        deadline = time.monotonic() + max(timeout, 0.0)
        with self._cond:
            while self._insertion == self._seen and not self._cancelled:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            self._cancelled = False
            changed = self._insertion != self._seen
            self._seen = self._insertion
            return changed

    def event_count(self, reader: str) -> int | None:
        """Insertions and removals so far (PC/SC's event counter), for this reader's name."""
        if reader != self.name:
            return None
        with self._cond:
            return self._insertion

    def card_present(self) -> bool:
        """True when a card is inserted."""
        with self._cond:
            return self._emulator is not None

    def connect(self) -> SimulatedConnection:
        """Open a session with the inserted card (``CardError("card_absent")`` otherwise)."""
        with self._cond:
            if self._emulator is None:
                raise CardError("card_absent")
            return SimulatedConnection(self, self._emulator, self._insertion)

    def close(self) -> None:
        """Nothing to release: the reader (and its card) can serve another card thread."""
        self.cancel_wait()

    def cancel_wait(self) -> None:
        """Wake the card thread from :meth:`wait_for_change`."""
        with self._cond:
            self._cancelled = True
            self._cond.notify_all()
