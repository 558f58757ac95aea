"""The generic card reader interface: :class:`CardReader` and :class:`CardConnection`.

Backends: :class:`~devices.card.pcsc.PcscCardReader` (PC/SC through pyscard) and
:class:`~devices.card.simulated.SimulatedCardReader` (the emulator in-process). Every method
runs on the card thread (``desktop.card_service``), except :meth:`CardReader.cancel_wait`,
which any thread may call.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from devices.card.apdu import ApduChannel
from devices.card.ssc import SocialSecurityCard


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

    def card(self) -> SocialSecurityCard:
        """The social security card application over this connection."""
        return SocialSecurityCard(
            self.channel, reader=self.reader, atr=self.atr, selected=self.selected
        )

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

    def cancel_wait(self) -> None:  # noqa: B027 - optional hook, nothing to do by default
        """Wake a :meth:`wait_for_change` in progress. Safe from any thread."""
