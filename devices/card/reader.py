"""The generic card reader interface: :class:`CardReader` and :class:`CardConnection`.

Backends: :class:`~devices.card.pcsc.PcscCardReader` (PC/SC through pyscard),
:class:`~devices.card.sscard.SSCardDriverReader` (the MOHRSS unified reader interface, a vendor
library loaded with ctypes) and :class:`~devices.card.simulated.SimulatedCardReader` (the
emulator in-process). Every method runs on the card thread (``desktop.card_service``), except
:meth:`CardReader.cancel_wait`, which any thread may call.

What a connection's :meth:`CardConnection.card` returns is a :class:`CardApplication`: the
APDU-level :class:`~devices.card.ssc.SocialSecurityCard` for PC/SC and the simulator, or the
driver's own calls for the unified interface.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import date
from typing import TYPE_CHECKING, Protocol

from devices.card.errors import CardError
from devices.card.ssc import SocialSecurityCard

if TYPE_CHECKING:
    from devices.card.apdu import ApduChannel
    from devices.card.keys import KeyService
    from devices.card.record import CardRecord, PinResult


class CardApplication(Protocol):
    """The social security application of the card in a connection (card thread)."""

    def read_record(
        self, *, key_service: KeyService | None = None, today: date | None = None
    ) -> CardRecord:
        """EF05 and EF06 as a :class:`CardRecord` (``CardError`` on failure)."""
        ...

    def read_identity(self) -> tuple[str, str]:
        """``(card_id_code, card_no)`` with as little work as the backend allows."""
        ...

    def pin_tries_left(self) -> int | None:
        """Tries left before the PIN blocks; None when the card does not tell."""
        ...

    def verify_pin(self, pin: str) -> PinResult:
        """VERIFY ``pin``; never re-sent."""
        ...

    def change_pin(self, old_pin: str, new_pin: str) -> PinResult:
        """CHANGE PIN; never re-sent."""
        ...


class PinpadLike(Protocol):
    """A reader keypad that takes the PIN itself (PC/SC part 10, or a vendor driver)."""

    def verify(self, *, timeout: int = 30) -> PinResult:
        """Let the citizen key the PIN on the reader; the card verifies it.

        ``CardError`` ``pinpad_timeout``, ``pinpad_cancelled``, ``pinpad_bad_length`` when the
        reader says so (no try is spent); ``PinResult("card_removed")`` when the card left.
        """
        ...


class CardConnection(ABC):
    """An open session with the card in one reader; a context manager.

    ``selected`` tells that SSSE was already selected while the reader picked this card.
    """

    reader: str
    atr: bytes
    channel: ApduChannel
    selected: bool = False

    @abstractmethod
    def disconnect(self, *, reset: bool = False) -> None:
        """Release the card; ``reset=True`` resets it (clears a verified PIN). Idempotent."""

    def card(self) -> CardApplication:
        """The social security card application over this connection."""
        return SocialSecurityCard(
            self.channel, reader=self.reader, atr=self.atr, selected=self.selected
        )

    def control(self, code: int, data: bytes = b"") -> bytes:
        """A reader control call (``SCardControl``); ``CardError`` where there is none."""
        raise CardError("reader_error", "this reader takes no control calls")

    def pinpad(self) -> PinpadLike | None:
        """The reader's PIN keypad, None when it has none (the on-screen keypad is used)."""
        return None

    def __enter__(self) -> CardConnection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.disconnect()


class CardReader(ABC):
    """A card reader (or a choice among readers). Runs on the card thread."""

    name: str

    @abstractmethod
    def readers(self) -> list[str]:
        """Names of the readers this backend sees (``CardReaderError`` when the service is
        down)."""

    @abstractmethod
    def wait_for_change(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds; True if a card was inserted or removed or the
        reader list changed since the last call, False on timeout or :meth:`cancel_wait`."""

    @abstractmethod
    def card_present(self) -> bool:
        """True when a card is in the reader (in any reader, when none was named)."""

    @abstractmethod
    def connect(self) -> CardConnection:
        """Connect to the card: ``CardError("card_absent")``, ``CardReaderError`` on failure."""

    @abstractmethod
    def close(self) -> None:
        """Release the backend (the PC/SC context). Idempotent."""

    def event_count(self, reader: str) -> int | None:
        """How many times a card went in or out of ``reader`` (PC/SC's event counter, the
        upper 16 bits of the reader state), as of the last poll; None when not known.

        A change with the card still present means it was taken out and put back (perhaps
        another card) between two polls.
        """
        return None

    def ignored_readers(self) -> list[str]:
        """Readers whose card is present but is not a social security card."""
        return []

    def choose(self, reader: str | None) -> None:
        """Prefer ``reader`` when several hold a social security card (the clerk's choice);
        None goes back to automatic selection."""
        if reader is not None and reader not in self.readers():
            raise CardError("no_such_reader", f"no reader named {reader!r}")

    def cancel_wait(self) -> None:  # noqa: B027 - optional hook, nothing to do by default
        """Wake a :meth:`wait_for_change` in progress. Safe from any thread."""
