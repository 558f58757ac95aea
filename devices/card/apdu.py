"""Short APDUs and the channel that hides T=0 status words.

pyscard does not handle ``61xx`` (response bytes still available) or ``6Cxx`` (wrong Le) and
readers differ in whether their driver does, so :class:`ApduChannel` does both here, for any
transport: the PC/SC reader, the in-process simulator or a test's wrapper.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from devices.card.errors import CardError

log = logging.getLogger(__name__)

# Guards against a card that answers 61xx forever.
MAX_GET_RESPONSE = 64

INS_NAMES = {
    0xA4: "SELECT",
    0xB2: "READ RECORD",
    0xB0: "READ BINARY",
    0xC0: "GET RESPONSE",
    0x20: "VERIFY",
    0x5E: "CHANGE PIN",
    0x84: "GET CHALLENGE",
    0x82: "EXTERNAL AUTHENTICATE",
}


class Transport(Protocol):
    """A raw exchange with a card: one command APDU in, response data and status word out."""

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        """Send ``apdu``; return ``(data, sw)``. Raises CardError (CardRemovedError on removal)."""
        ...


@dataclass(frozen=True)
class Response:
    """A response APDU: the data bytes and the status word."""

    data: bytes
    sw: int

    @property
    def ok(self) -> bool:
        """True for ``9000``."""
        return self.sw == 0x9000

    @property
    def sw1(self) -> int:
        """The first status byte."""
        return self.sw >> 8

    @property
    def sw2(self) -> int:
        """The second status byte."""
        return self.sw & 0xFF


@dataclass(frozen=True)
class Apdu:
    """A parsed short command APDU (ISO 7816-4 cases 1 to 4)."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None  # None: no Le field; 0 stands for 256

    @classmethod
    def parse(cls, apdu: bytes) -> Apdu:
        """Parse a short APDU; ``ValueError`` when it is malformed or extended."""
        if len(apdu) < 4:
            raise ValueError("APDU shorter than 4 bytes")
        cla, ins, p1, p2 = apdu[0], apdu[1], apdu[2], apdu[3]
        body = apdu[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0])
        lc = body[0]
        if lc == 0:
            raise ValueError("extended APDUs are not supported")
        if len(body) == 1 + lc:
            return cls(cla, ins, p1, p2, data=bytes(body[1:]))
        if len(body) == 2 + lc:
            return cls(cla, ins, p1, p2, data=bytes(body[1:-1]), le=body[-1])
        raise ValueError("APDU length does not match Lc")

    def to_bytes(self) -> bytes:
        """Encode as a short APDU."""
        out = bytes([self.cla, self.ins, self.p1, self.p2])
        if self.data:
            out += bytes([len(self.data)]) + self.data
        if self.le is not None:
            out += bytes([self.le & 0xFF])
        return out

    @property
    def le_value(self) -> int:
        """The expected length as a number (absent or 00 means 256)."""
        return 256 if not self.le else self.le


def build(cla: int, ins: int, p1: int, p2: int, data: bytes = b"", le: int | None = None) -> bytes:
    """Build a short command APDU."""
    if len(data) > 255:
        raise ValueError("command data longer than 255 bytes")
    return Apdu(cla, ins, p1, p2, bytes(data), le).to_bytes()


def command_name(apdu: bytes) -> str:
    """A loggable name for a command (never its data)."""
    if len(apdu) < 2:
        return "?"
    return INS_NAMES.get(apdu[1], f"INS {apdu[1]:02X}")


class ApduChannel:
    """Sends APDUs over a :class:`Transport`, handling ``61xx`` and ``6Cxx``.

    ``61xx``: fetch the rest with GET RESPONSE (Le = xx), repeated while the card answers
    ``61xx``; the data are joined. ``6Cxx``: resend the same command once with Le = xx.
    ``count`` is the number of raw exchanges so far (each costs ~50 ms through vpcd).
    The channel runs on whichever thread owns the transport (the card thread).
    """

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.count = 0

    def _exchange(self, apdu: bytes) -> Response:
        data, sw = self.transport.transmit(apdu)
        self.count += 1
        log.debug("%s -> %04X", command_name(apdu), sw)
        return Response(bytes(data), sw)

    def _exchange_le(self, apdu: bytes) -> Response:
        """One command, resent once with the card's Le after ``6Cxx``."""
        response = self._exchange(apdu)
        if response.sw1 == 0x6C:
            try:
                parsed = Apdu.parse(apdu)
            except ValueError as exc:
                raise CardError("bad_response", f"cannot resend after 6Cxx: {exc}") from exc
            fixed = Apdu(parsed.cla, parsed.ins, parsed.p1, parsed.p2, parsed.data, response.sw2)
            response = self._exchange(fixed.to_bytes())
            if response.sw1 == 0x6C:
                raise CardError("bad_response", "card answered 6Cxx twice")
        return response

    def send_once(self, apdu: bytes) -> Response:
        """Exactly one exchange, whatever the answer: for VERIFY and CHANGE PIN, never resent."""
        return self._exchange(apdu)

    def send(self, apdu: bytes, *, want_data: bool = True) -> Response:
        """Send one command; return its complete response (data joined over GET RESPONSE).

        With ``want_data=False`` a ``61xx`` answer (T=0: "response bytes available", e.g. the
        FCI after SELECT) counts as success and the bytes are not fetched, saving an exchange.
        """
        response = self._exchange_le(apdu)
        if not want_data and response.sw1 == 0x61:
            return Response(b"", 0x9000)
        data = response.data
        rounds = 0
        while response.sw1 == 0x61:
            rounds += 1
            if rounds > MAX_GET_RESPONSE:
                raise CardError("bad_response", "card keeps answering 61xx")
            # 6100 announces 256 bytes; Le 00 asks for them.
            response = self._exchange_le(build(0x00, 0xC0, 0x00, 0x00, le=response.sw2))
            data += response.data
        return Response(data, response.sw)
