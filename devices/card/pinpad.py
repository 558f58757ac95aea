"""Pinpad readers (PC/SC part 10): the citizen keys the PIN on the reader, never on the PC.

Feature discovery: ``SCardControl(CM_IOCTL_GET_FEATURE_REQUEST)`` answers a list of 6-byte
TLVs (tag, length 4, big-endian control code). Tag ``06`` is FEATURE_VERIFY_PIN_DIRECT: the
reader takes a PIN_VERIFY_STRUCTURE, waits for the keys, writes the PIN into the APDU it
carries and sends that to the card. It answers the card's response APDU, or one of its own
status words: ``6400`` timeout, ``6401`` cancelled, ``6403`` PIN length out of range.

The structure for the social security card's 6-digit BCD PIN (ssc-card.md, assumed until a
real pinpad confirms it) is built by :func:`verify_structure`; its values live in
:class:`PinFormat`. The Debian vpcd driver refuses every control call, so over vpcd a reader
simply has no pinpad and the on-screen keypad is used; tests fake ``control()``.

Runs on the card thread that owns the connection.
"""

from __future__ import annotations

import logging
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass

from devices.card.errors import CardError, CardRemovedError
from devices.card.record import PinResult
from devices.card.ssc import pin_result

log = logging.getLogger(__name__)

# PC/SC part 10 feature tags (v2.02).
FEATURE_VERIFY_PIN_START = 0x01
FEATURE_VERIFY_PIN_FINISH = 0x02
FEATURE_MODIFY_PIN_START = 0x03
FEATURE_MODIFY_PIN_FINISH = 0x04
FEATURE_GET_KEY_PRESSED = 0x05
FEATURE_VERIFY_PIN_DIRECT = 0x06
FEATURE_MODIFY_PIN_DIRECT = 0x07
FEATURE_IFD_PIN_PROPERTIES = 0x0A
FEATURE_ABORT = 0x0B
FEATURE_GET_TLV_PROPERTIES = 0x12

# The reader's own answers to VERIFY_PIN_DIRECT.
SW_PINPAD_TIMEOUT = 0x6400
SW_PINPAD_CANCELLED = 0x6401
SW_PINPAD_BAD_LENGTH = 0x6403

_PINPAD_ERRORS = {
    SW_PINPAD_TIMEOUT: "pinpad_timeout",
    SW_PINPAD_CANCELLED: "pinpad_cancelled",
    SW_PINPAD_BAD_LENGTH: "pinpad_bad_length",
}

# PIN_VERIFY_STRUCTURE up to abData (packed, multi-byte fields little-endian).
_VERIFY_HEADER = struct.Struct("<BBBBBHBBHB3sI")


def scard_ctl_code(code: int, *, platform: str = sys.platform) -> int:
    """``SCARD_CTL_CODE(code)`` as the PC/SC stack of ``platform`` defines it.

    pcsc-lite: ``0x42000000 + code``; Windows: ``CTL_CODE(FILE_DEVICE_SMARTCARD, code,
    METHOD_BUFFERED, FILE_ANY_ACCESS)``.
    """
    if platform.startswith("win"):
        return (0x31 << 16) | (code << 2)
    return 0x42000000 + code


def cm_ioctl_get_feature_request(*, platform: str = sys.platform) -> int:
    """The control code that lists a reader's part 10 features."""
    return scard_ctl_code(3400, platform=platform)


def parse_features(data: bytes) -> dict[int, int]:
    """Feature tag -> control code from a GET_FEATURE_REQUEST answer.

    ``ValueError`` for a list that is not whole 6-byte TLVs of length 4.
    """
    features: dict[int, int] = {}
    offset = 0
    while offset < len(data):
        if len(data) - offset < 2:
            raise ValueError("feature list ends inside a TLV")
        tag, length = data[offset], data[offset + 1]
        if length != 4 or len(data) - offset < 6:
            raise ValueError(f"feature {tag:02X} has length {length}, expected 4")
        (code,) = struct.unpack(">I", data[offset + 2 : offset + 6])
        features[tag] = code
        offset += 6
    return features


@dataclass(frozen=True)
class PinFormat:
    """How the reader puts the PIN into VERIFY (the social security card: 6 BCD digits).

    ``format_string`` 0x81: positions in bytes, PIN at byte 0 of the data, left-justified,
    BCD. ``block_string`` 0x03: no length field, a 3-byte PIN block. ``validation`` 0x02: the
    OK key ends the entry. ``apdu``: the VERIFY the reader completes (``FF`` where the PIN
    goes). All assumed from ssc-card.md until checked on a real pinpad.
    """

    format_string: int = 0x81
    block_string: int = 0x03
    length_format: int = 0x00
    min_digits: int = 6
    max_digits: int = 6
    validation: int = 0x02
    messages: int = 0x01
    lang_id: int = 0x0804  # zh-CN
    apdu: bytes = bytes.fromhex("0020000003FFFFFF")


def verify_structure(pin_format: PinFormat = PinFormat(), *, timeout: int = 30) -> bytes:
    """The PIN_VERIFY_STRUCTURE for FEATURE_VERIFY_PIN_DIRECT (PC/SC part 10, 2.5.2)."""
    if not 0 <= timeout <= 255:
        raise ValueError("timeout must be 0..255 seconds")
    f = pin_format
    header = _VERIFY_HEADER.pack(
        timeout,  # bTimerOut: whole entry
        timeout,  # bTimerOut2: after the first key
        f.format_string,
        f.block_string,
        f.length_format,
        (f.min_digits << 8) | f.max_digits,  # wPINMaxExtraDigit: XXYY = min, max
        f.validation,
        f.messages,
        f.lang_id,
        0x00,  # bMsgIndex
        b"\x00\x00\x00",  # bTeoPrologue
        len(f.apdu),
    )
    return header + f.apdu


@dataclass(frozen=True)
class VerifyRequest:
    """A PIN_VERIFY_STRUCTURE taken apart (what a pinpad reader reads; used by test readers
    and to check our own encoding)."""

    timeout: int
    timeout2: int
    format_string: int
    block_string: int
    length_format: int
    min_digits: int
    max_digits: int
    validation: int
    messages: int
    lang_id: int
    msg_index: int
    apdu: bytes

    @classmethod
    def parse(cls, data: bytes) -> VerifyRequest:
        """``ValueError`` when ``data`` is not a whole structure."""
        size = _VERIFY_HEADER.size
        if len(data) < size:
            raise ValueError("PIN_VERIFY_STRUCTURE too short")
        (t1, t2, fmt, block, length_format, extra, validation, messages, lang, index, _teo,
         data_length) = _VERIFY_HEADER.unpack(data[:size])  # fmt: skip
        apdu = data[size:]
        if len(apdu) != data_length:
            raise ValueError("ulDataLength does not match the APDU")
        return cls(t1, t2, fmt, block, length_format, extra >> 8, extra & 0xFF, validation,
                   messages, lang, index, bytes(apdu))  # fmt: skip


Control = Callable[[int, bytes], bytes]


class Pinpad:
    """A part 10 pinpad reader behind a connection's ``control()``.

    The social security application must be selected before :meth:`verify` (the card service
    reads the identity first, which selects it).
    """

    def __init__(
        self, control: Control, features: dict[int, int], pin_format: PinFormat = PinFormat()
    ) -> None:
        if FEATURE_VERIFY_PIN_DIRECT not in features:
            raise ValueError("the reader has no VERIFY_PIN_DIRECT")
        self._control = control
        self.features = dict(features)
        self.pin_format = pin_format

    @classmethod
    def discover(
        cls, control: Control, *, platform: str = sys.platform, pin_format: PinFormat = PinFormat()
    ) -> Pinpad | None:
        """The pinpad of a reader, None when it has none (or refuses control calls).

        A removed card raises ``CardRemovedError``; anything else the reader says means "no
        pinpad" and the on-screen keypad is used.
        """
        try:
            answer = control(cm_ioctl_get_feature_request(platform=platform), b"")
        except CardRemovedError:
            raise
        except CardError as exc:
            log.debug("no part 10 features: %s", exc.code)
            return None
        try:
            features = parse_features(answer)
        except ValueError as exc:
            log.warning("reader's feature list does not parse: %s", exc)
            return None
        log.debug("reader features: %s", sorted(f"{tag:02X}" for tag in features))
        if FEATURE_VERIFY_PIN_DIRECT not in features:
            return None
        return cls(control, features, pin_format)

    def verify(self, *, timeout: int = 30) -> PinResult:
        """VERIFY_PIN_DIRECT: the citizen keys the PIN on the reader, the card checks it.

        Reader answers ``6400``/``6401``/``6403`` raise ``CardError`` ``pinpad_timeout``,
        ``pinpad_cancelled``, ``pinpad_bad_length`` (the card was not asked: no try spent). A
        card pulled meanwhile gives ``PinResult("card_removed")``; never resent.
        """
        code = self.features[FEATURE_VERIFY_PIN_DIRECT]
        try:
            answer = self._control(code, verify_structure(self.pin_format, timeout=timeout))
        except CardRemovedError:
            log.info("VERIFY on the pinpad: card removed")
            return PinResult("card_removed", None)
        except CardError as exc:
            log.warning("VERIFY on the pinpad: %s", exc.code)
            raise CardError("pinpad_error", f"pinpad VERIFY failed: {exc.detail}") from None
        if len(answer) < 2:
            # No status word: the card left while the reader was sending the PIN.
            return PinResult("card_removed", None)
        sw = (answer[-2] << 8) | answer[-1]
        error = _PINPAD_ERRORS.get(sw)
        if error is not None:
            log.info("VERIFY on the pinpad: %s", error)
            raise CardError(error)
        if sw >> 8 == 0x64:
            raise CardError("pinpad_error", f"pinpad answered {sw:04X}")
        return pin_result(sw, "VERIFY (pinpad)")
