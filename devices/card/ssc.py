"""The social security card application (SSSE): select, read EF05/EF06, PIN.

Records are read by tag (READ RECORD, P2 = SFI << 3 | 000) with the Le the specification
gives, so a conforming card needs one exchange per record on T=0 and T=1 alike; a card with
other lengths costs one more (``6Cxx``). Every method runs on the card thread that owns the
channel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from devices.card import codec
from devices.card.apdu import ApduChannel, build
from devices.card.errors import CardError, CardRemovedError, sw_text
from devices.card.keys import KeyService
from devices.card.record import (
    WARN_FIELD_TOO_LONG,
    WARN_SEX_INVALID,
    WARN_SEX_NOT_STATED,
    CardRecord,
    PinResult,
    card_data_warnings,
    ssn_warnings,
)

log = logging.getLogger(__name__)

# "sx1.sh." followed by GBK "社会保障".
SSSE_NAME = b"sx1.sh." + "社会保障".encode("gbk")
SELECT_SSSE = build(0x00, 0xA4, 0x04, 0x00, SSSE_NAME)
SELECT_MF = build(0x00, 0xA4, 0x00, 0x00, b"\x3f\x00")
VERIFY_QUERY = build(0x00, 0x20, 0x00, 0x00)
GET_CHALLENGE = build(0x00, 0x84, 0x00, 0x00, le=8)

SFI_EF05 = 5
SFI_EF06 = 6

PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12


class _Protected(Exception):
    """The card answered 6982: the item needs external authentication first."""


class _Missing(Exception):
    """The card answered 6A83: no such record."""


def _hex(value: bytes) -> str:
    if not value:
        raise ValueError("empty value")
    return value.hex().upper()


def _an(value: bytes) -> str:
    return codec.ascii_decode(value)


def _an_required(value: bytes) -> str:
    text = codec.ascii_decode(value)
    if not text:
        raise ValueError("empty value")
    return text


def _card_no(value: bytes) -> str:
    text = codec.ascii_decode(value)
    if len(text) != 9 or not all(c.isdigit() or "A" <= c <= "Z" for c in text):
        raise ValueError("card number is not 9 characters of 0-9 and A-Z")
    return text


def _ssn(value: bytes) -> str:
    # Format problems are warnings (holders who are not citizens), so only printable ASCII
    # is required here.
    return _an_required(value).upper()


def _gbk_required(value: bytes) -> str:
    text = codec.gbk_decode(value)
    if not text:
        raise ValueError("empty name")
    return text


# GB/T 2261.1: 0 unknown, 1 male, 2 female, 9 not stated. The card specification names only
# 1 and 2; the others are warnings (``sex_not_stated``), anything else too (``sex_invalid``,
# the sex is then None): the holder can still be served.
SEX_CODES = ("0", "1", "2", "9")
SEX_NOT_STATED = ("0", "9")


def _sex(value: bytes) -> str | None:
    try:
        text = codec.ascii_decode(value)
    except ValueError:
        return None
    return text if text in SEX_CODES else None


def _bcd_optional(value: bytes) -> str | None:
    return codec.bcd_decode(value) or None


def _ethnicity(value: bytes) -> str | None:
    digits = codec.bcd_decode(value)
    if digits and len(digits) != 2:
        raise ValueError("ethnicity is not two digits")
    return digits or None


@dataclass(frozen=True)
class Item:
    """One record of EF05/EF06: where it lives and how its value decodes."""

    name: str
    sfi: int
    tag: int
    length: int  # value length in the specification
    decode: Callable[[bytes], Any]


ITEMS: dict[str, Item] = {
    item.name: item
    for item in (
        Item("card_id_code", SFI_EF05, 0x01, 16, _hex),
        Item("card_type", SFI_EF05, 0x02, 1, lambda v: _an(v) or None),
        Item("version", SFI_EF05, 0x03, 4, _an_required),
        Item("init_org", SFI_EF05, 0x04, 12, _bcd_optional),
        Item("issue_date", SFI_EF05, 0x05, 4, codec.date_decode),
        Item("expiry_date", SFI_EF05, 0x06, 4, codec.date_decode),
        Item("card_no", SFI_EF05, 0x07, 9, _card_no),
        Item("ssn", SFI_EF06, 0x08, 18, _ssn),
        Item("name", SFI_EF06, 0x09, 30, _gbk_required),
        Item("name_ext", SFI_EF06, 0x4E, 20, codec.gbk_decode),
        Item("sex", SFI_EF06, 0x0A, 1, _sex),
        Item("ethnicity", SFI_EF06, 0x0B, 1, _ethnicity),
        Item("birthplace", SFI_EF06, 0x0C, 3, _bcd_optional),
        Item("birth_date", SFI_EF06, 0x0D, 4, codec.date_decode),
    )
}

# Readable on every generation without external authentication.
FREE_ITEMS = ("card_id_code", "version", "card_no")
# The order of the reads after FREE_ITEMS (the card's own order).
READ_ORDER = (
    "card_type", "init_org", "issue_date", "expiry_date",
    "ssn", "name", "name_ext", "sex", "ethnicity", "birthplace", "birth_date",
)  # fmt: skip
# Items that may be absent (6A83) without making the record bad.
OPTIONAL_ITEMS = ("name_ext",)


def encode_pin(pin: str) -> bytes:
    """Pack a PIN as BCD (``123456`` -> ``12 34 56``; odd lengths end in nibble ``F``).

    Raises ``CardError("pin_format")`` unless the PIN is 4 to 12 decimal digits. The PIN never
    appears in a message.
    """
    if (
        not isinstance(pin, str)
        or not pin.isascii()
        or not pin.isdigit()
        or not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS
    ):
        raise CardError("pin_format", "the PIN must be 4 to 12 decimal digits")
    return codec.bcd_encode(pin)


def generation_of(version: str) -> int:
    """The card generation from the specification version (``"3.00"`` -> 3); 2 if unclear."""
    head = version.strip().split(".", 1)[0]
    return int(head) if head.isdigit() and 1 <= int(head) <= 9 else 2


class SocialSecurityCard:
    """The SSSE application of one card, reached through an :class:`ApduChannel`.

    Runs on the card thread. ``selected`` tells that the connection already selected SSSE
    (the PC/SC reader does so when it picks among readers).
    """

    def __init__(
        self,
        channel: ApduChannel,
        *,
        reader: str = "",
        atr: bytes = b"",
        selected: bool = False,
    ) -> None:
        self.channel = channel
        self.reader = reader
        self.atr = atr
        self._selected = selected
        self._authenticated = False
        self._too_long: list[str] = []  # items read longer than the specification's length

    # -- selection -------------------------------------------------------------------------

    def select(self) -> None:
        """Select SSSE by name; on ``6A82`` fall back to the MF (cards with SSSE as the MF).

        Raises ``CardError("not_ssc")`` when neither works.
        """
        response = self.channel.send(SELECT_SSSE, want_data=False)
        if not response.ok and response.sw == 0x6A82:
            response = self.channel.send(SELECT_MF, want_data=False)
        if not response.ok:
            raise CardError("not_ssc", f"SELECT SSSE: card answered {sw_text(response.sw)}")
        self._selected = True
        self._authenticated = False

    def _ensure_selected(self) -> None:
        if not self._selected:
            self.select()

    # -- records ---------------------------------------------------------------------------

    def _read_raw(self, item: Item) -> bytes:
        apdu = build(0x00, 0xB2, item.tag, (item.sfi << 3) | 0b000, le=item.length + 2)
        response = self.channel.send(apdu)
        if response.ok:
            return response.data
        if response.sw == 0x6982:
            raise _Protected(item.name)
        if response.sw == 0x6A83:
            raise _Missing(item.name)
        raise CardError.for_sw(response.sw, f"READ RECORD {item.tag:02X}")

    def read_item(self, name: str) -> Any:
        """Read and decode one item by name; ``CardError("bad_record")`` for bad data."""
        item = ITEMS[name]
        record = self._read_raw(item)
        try:
            value = codec.tlv_decode(item.tag, record)
            if len(value.rstrip(b"\x00\xff ")) > item.length:
                # Longer than the card's own file allows (padding aside): kept, with a warning.
                log.info("record %02X: %d bytes, more than %d", item.tag, len(value), item.length)
                self._too_long.append(name)
            return item.decode(value)
        except ValueError as exc:
            raise CardError("bad_record", f"record {item.tag:02X} ({item.name}): {exc}") from None

    def read_identity(self) -> tuple[str, str]:
        """``(card_id_code, card_no)`` with the fewest exchanges (select + 2 records)."""
        self._ensure_selected()
        try:
            return (self.read_item("card_id_code"), self.read_item("card_no"))
        except (_Protected, _Missing) as exc:
            raise CardError("bad_record", f"identity item {exc} not readable") from None

    def authenticate(self, key_service: KeyService, card_id_code: str) -> None:
        """GET CHALLENGE, then EXTERNAL AUTHENTICATE with the key service's cryptogram."""
        self._ensure_selected()
        response = self.channel.send(GET_CHALLENGE)
        if not response.ok or len(response.data) != 8:
            raise CardError("auth_failed", f"GET CHALLENGE: {sw_text(response.sw)}")
        cryptogram = key_service.cryptogram(card_id_code, response.data)
        response = self.channel.send(build(0x00, 0x82, 0x00, 0x0A, cryptogram))
        if not response.ok:
            raise CardError("auth_failed", f"EXTERNAL AUTHENTICATE: {sw_text(response.sw)}")
        self._authenticated = True
        log.debug("external authentication done")

    def _read_item_authenticating(
        self, name: str, key_service: KeyService | None, values: dict[str, Any]
    ) -> Any:
        try:
            return self.read_item(name)
        except _Protected:
            if key_service is None or self._authenticated:
                raise
        self.authenticate(key_service, values["card_id_code"])
        return self.read_item(name)

    def read_record(
        self, *, key_service: KeyService | None = None, today: date | None = None
    ) -> CardRecord:
        """Read EF05 and EF06 into a :class:`CardRecord`.

        Third-generation cards reveal only the identification code, version and card number
        until EXTERNAL AUTHENTICATE; with ``key_service`` the rest is read after it, without
        one those items are listed in ``protected``. Bad data raises ``CardError("bad_record")``.
        """
        self._ensure_selected()
        self._too_long = []
        values: dict[str, Any] = {}
        protected: list[str] = []
        for name in FREE_ITEMS:
            try:
                values[name] = self.read_item(name)
            except (_Protected, _Missing) as exc:
                raise CardError("bad_record", f"item {exc} not readable") from None
        generation = generation_of(values["version"])

        # Third generation: authenticate up front, or skip what the card would refuse.
        if generation >= 3 and key_service is not None and not self._authenticated:
            self.authenticate(key_service, values["card_id_code"])
        for name in READ_ORDER:
            if name in values:
                continue
            if generation >= 3 and not self._authenticated:
                # The card would answer 6982: do not spend an exchange on it.
                if name != "name_ext":
                    protected.append(name)
                continue
            try:
                values[name] = self._read_item_authenticating(name, key_service, values)
            except _Missing:
                if name not in OPTIONAL_ITEMS:
                    raise CardError("bad_record", f"record {name} missing") from None
            except _Protected:
                # A card that protects data without saying so in its version.
                generation = max(generation, 3)
                if name != "name_ext":
                    protected.append(name)

        name = values.get("name")
        if name is not None and values.get("name_ext"):
            name += values["name_ext"]

        warnings = ssn_warnings(values.get("ssn"), values.get("birth_date"), values.get("sex"))
        if "sex" in values:
            if values["sex"] is None:
                warnings.append(WARN_SEX_INVALID)
            elif values["sex"] in SEX_NOT_STATED:
                warnings.append(WARN_SEX_NOT_STATED)
        expiry = values.get("expiry_date")
        warnings += card_data_warnings(
            values.get("issue_date"), expiry, name, today or date.today()
        )
        if self._too_long and WARN_FIELD_TOO_LONG not in warnings:
            warnings.append(WARN_FIELD_TOO_LONG)

        record = CardRecord(
            reader=self.reader,
            atr=self.atr.hex().upper(),
            generation=generation,
            card_id_code=values["card_id_code"],
            card_type=values.get("card_type"),
            version=values["version"],
            init_org=values.get("init_org"),
            issue_date=values.get("issue_date"),
            expiry_date=expiry,
            card_no=values["card_no"],
            ssn=values.get("ssn"),
            name=name,
            sex=values.get("sex"),
            ethnicity=values.get("ethnicity"),
            birthplace=values.get("birthplace"),
            birth_date=values.get("birth_date"),
            protected=tuple(protected),
            warnings=tuple(warnings),
        )
        log.debug(
            "card read: generation %s, %d protected item(s), warnings %s, %d exchange(s)",
            generation, len(protected), warnings, self.channel.count,
        )  # fmt: skip
        return record

    # -- PIN -------------------------------------------------------------------------------

    def pin_tries_left(self) -> int | None:
        """Tries left from VERIFY without data (``63Cx``), without spending one.

        ``6983`` gives 0; a card that does not support the query (or has the PIN verified
        already, ``9000``) gives None. ``9303`` raises ``CardError("app_locked")``.
        """
        self._ensure_selected()
        response = self.channel.send_once(VERIFY_QUERY)
        if response.sw1 == 0x63 and response.sw2 & 0xF0 == 0xC0:
            return response.sw2 & 0x0F
        if response.sw == 0x6983:
            return 0
        if response.sw == 0x9303:
            raise CardError("app_locked")
        log.debug("tries query not supported: %s", sw_text(response.sw))
        return None

    def _pin_command(self, apdu: bytes, what: str) -> PinResult:
        try:
            self._ensure_selected()
            # One exchange only: a PIN is never sent twice.
            response = self.channel.send_once(apdu)
        except CardRemovedError:
            log.info("%s: card removed", what)
            return PinResult("card_removed", None)
        except CardError as exc:
            if exc.code == "app_locked":
                raise
            log.warning("%s: %s", what, exc.code)
            return PinResult("unknown", None)
        return pin_result(response.sw, what)

    def verify_pin(self, pin: str) -> PinResult:
        """VERIFY the PIN (packed BCD). Never resent; a removed card gives ``card_removed``.

        ``9303`` (application locked) raises ``CardError("app_locked")``.
        """
        block = encode_pin(pin)
        return self._pin_command(build(0x00, 0x20, 0x00, 0x00, block), "VERIFY")

    def change_pin(self, old_pin: str, new_pin: str) -> PinResult:
        """CHANGE PIN (``80 5E 01 00``, old BCD, ``FF``, new BCD). Never resent."""
        data = encode_pin(old_pin) + b"\xff" + encode_pin(new_pin)
        return self._pin_command(build(0x80, 0x5E, 0x01, 0x00, data), "CHANGE PIN")


def pin_result(sw: int, what: str) -> PinResult:
    """The :class:`PinResult` for the status word of VERIFY or CHANGE PIN (also when a pinpad
    reader sent the command). ``9303`` raises ``CardError("app_locked")``."""
    if sw == 0x9000:
        result = PinResult("ok", None)
    elif sw >> 8 == 0x63 and sw & 0xF0 == 0xC0:
        tries = sw & 0x0F
        result = PinResult("blocked", 0) if tries == 0 else PinResult("wrong", tries)
    elif sw == 0x6983:
        result = PinResult("blocked", 0)
    elif sw == 0x9303:
        raise CardError("app_locked", f"{what}: card answered {sw_text(sw)}")
    else:
        result = PinResult("unknown", None)
    log.info("%s: %s (%04X)", what, result.status, sw)
    return result
