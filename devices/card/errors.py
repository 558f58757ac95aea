"""The card layer's exception family.

Every failure that leaves ``devices.card`` is a :class:`CardError` carrying a stable ``code``
(the UI turns the code into a translated sentence) and an English detail in ``str()`` for the
log. The detail never contains personal data.
"""

from __future__ import annotations

# Stable codes, in one place so callers and translators can enumerate them.
CODES = {
    # reader and service
    "pcsc_unavailable": "the PC/SC service is not running",
    "no_reader": "no card reader is connected",
    "card_absent": "no card in the reader",
    "card_busy": "another program is using the card",
    "card_unresponsive": "the card does not answer",
    "card_removed": "the card was removed",
    "multiple_cards": "more than one social security card is present",
    "reader_error": "the card reader reported an error",
    "reader_driver_missing": "a card reader is plugged in but its driver is not installed",
    "pcsc_library_missing": "the PC/SC client library cannot be loaded",
    "no_such_reader": "the chosen reader does not hold a social security card",
    # card content
    "not_ssc": "the card is not a social security card",
    "bad_record": "the card holds data that cannot be read",
    "bad_response": "the card answered in an unexpected way",
    "card_changed": "the card in the reader is not the one that was read",
    "no_card_read": "no card has been read yet",
    # PIN
    "pin_format": "the PIN must be 4 to 12 digits",
    "pin_blocked": "the PIN is blocked",
    "app_locked": "the card application is locked",
    "pinpad_timeout": "no PIN was entered on the reader's keypad in time",
    "pinpad_cancelled": "the PIN entry was cancelled on the reader's keypad",
    "pinpad_bad_length": "the PIN entered on the reader's keypad has the wrong length",
    "pinpad_error": "the reader's keypad reported an error",
    "pinpad_required": "this reader takes the PIN only on its own keypad",
    "no_pinpad": "the reader has no PIN keypad",
    # authentication
    "auth_failed": "the card refused the external authentication",
    "no_key_service": "no key service for third-generation cards",
    # the unified reader interface (SSCardDriver)
    "driver_unavailable": "the card reader driver library cannot be loaded",
    "driver_error": "the card reader driver reported an error",
    # service
    "service_stopped": "the card service has stopped",
    "internal": "internal error in the card layer",
}

# Status words that deserve a plain message (ISO 7816-4 and the SSC specification).
SW_MESSAGES = {
    0x6700: "wrong length",
    0x6982: "security status not satisfied",
    0x6983: "authentication method blocked",
    0x6985: "conditions of use not satisfied",
    0x6A80: "incorrect data",
    0x6A81: "function not supported or card locked",
    0x6A82: "file or application not found",
    0x6A83: "record not found",
    0x6A86: "incorrect P1/P2",
    0x6D00: "instruction not supported",
    0x6E00: "class not supported",
    0x9303: "application locked",
    # PC/SC part 10 pinpad readers answer these themselves.
    0x6400: "PIN entry timed out on the keypad",
    0x6401: "PIN entry cancelled on the keypad",
    0x6403: "PIN entered with the wrong length",
}


def sw_text(sw: int) -> str:
    """Return ``"6A82 (file or application not found)"`` style text for a status word."""
    message = SW_MESSAGES.get(sw)
    return f"{sw:04X} ({message})" if message else f"{sw:04X}"


class CardError(Exception):
    """A card-layer failure with a stable ``code``; ``str()`` is an English detail."""

    def __init__(self, code: str, detail: str | None = None) -> None:
        self.code = code
        self.detail = detail or CODES.get(code, code)
        super().__init__(self.detail)

    @classmethod
    def for_sw(cls, sw: int, what: str) -> CardError:
        """An error for an unexpected status word: code ``sw_XXXX``."""
        return cls(f"sw_{sw:04x}", f"{what}: card answered {sw_text(sw)}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.detail!r})"


class CardRemovedError(CardError):
    """The card left the reader (or the reader vanished) in the middle of an exchange.

    ``how`` is the technical evidence (a PC/SC answer, the backend's call); the detail always
    starts with the plain sentence, so a command line that prints it says what happened.
    """

    def __init__(self, how: str | None = None) -> None:
        plain = CODES["card_removed"]
        super().__init__("card_removed", f"{plain} ({how})" if how else plain)


class CardReaderError(CardError):
    """Reader or service problems: ``pcsc_unavailable``, ``no_reader``, ``reader_error``."""


class MultipleCardsError(CardError):
    """Social security cards in several readers: ``readers`` names them; the clerk picks one
    (``CardService.choose_reader``)."""

    def __init__(self, readers: list[str] | tuple[str, ...]) -> None:
        self.readers = tuple(readers)
        super().__init__(
            "multiple_cards",
            f"social security cards in {len(self.readers)} readers: {', '.join(self.readers)}",
        )
