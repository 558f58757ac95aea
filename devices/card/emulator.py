"""A social security card in software, driven by a card profile (design section 9).

:class:`CardEmulator` answers command APDUs the way the card does: SSSE selection (by name, or
as the MF), EF05/EF06 records by tag or number, VERIFY (with and without data), CHANGE PIN,
GET CHALLENGE, EXTERNAL AUTHENTICATE (third generation) and, in T=0 mode, ``61xx`` with
GET RESPONSE and ``6Cxx`` for a wrong Le. It sits behind vpcd (:mod:`devices.card.vpcd`) or
in-process (:mod:`devices.card.simulated`). PIN tries live in memory only.

Profile keys beyond design section 9, all optional: ``t0_chunk`` (int, T=0 only: announce
and return at most this many bytes per ``61xx``, so GET RESPONSE repeats), ``ssse_by_name``
(bool, default true; false makes SELECT by name answer ``6A82`` and SSSE reachable only as the
MF ``3F00``) and ``foreign`` (bool, default false; true makes a card that is not a social
security card at all, like a security key or a virtual smart card: every SELECT answers
``6A82``, every other command ``6D00``, and its default ATR differs).
"""

from __future__ import annotations

import copy
import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from devices.card import codec
from devices.card.apdu import Apdu
from devices.card.keys import reference_cryptogram
from devices.card.ssc import SSSE_NAME

log = logging.getLogger(__name__)

DEFAULT_PROFILE: dict[str, Any] = {
    "generation": 2,
    "protocol": "T0",
    "atr": None,
    "pin": "123456",
    "pin_tries_left": 3,
    "pin_tries_max": 3,
    "tries_query": True,
    "locked": False,
    "test_key": "000102030405060708090A0B0C0D0E0F",
    "raw_records": {},
    "t0_chunk": None,
    "ssse_by_name": True,
    "foreign": False,
    "ef05": {
        "card_id_code": "110105D156000005A1B2C3D4E5F60718",
        "card_type": "1",
        "version": "2.00",
        "init_org": "110100000000000000000000",
        "issue_date": "20211203",
        "expiry_date": "20311202",
        "card_no": "A00000019",
    },
    "ef06": {
        "ssn": "11010519491231002X",
        "name": "张三",
        "name_ext": "",
        "sex": "2",
        "ethnicity": "01",
        "birthplace": "110105",
        "birth_date": "19491231",
    },
}

# Historical bytes identify the emulator; T=1 carries TD1=81 (T=1, TD2 follows) and
# TD2=31 (TA3 IFSC=FE, TB3 BWI/CWI=45), so pcscd negotiates T=1.
_HISTORICAL_T0 = b"HCSSC-SIM-T0"
_HISTORICAL_T1 = b"HCSSC-SIM-T1"
_HISTORICAL_FOREIGN = b"HC-FOREIGN"


def _with_tck(atr: bytes) -> bytes:
    check = 0
    for byte in atr[1:]:
        check ^= byte
    return atr + bytes([check])


DEFAULT_ATR_T0 = bytes([0x3B, 0x60 | len(_HISTORICAL_T0), 0x00, 0x00]) + _HISTORICAL_T0
DEFAULT_ATR_T1 = _with_tck(
    bytes([0x3B, 0x80 | len(_HISTORICAL_T1), 0x81, 0x31, 0xFE, 0x45]) + _HISTORICAL_T1
)
DEFAULT_ATR_FOREIGN = _with_tck(
    bytes([0x3B, 0x80 | len(_HISTORICAL_FOREIGN), 0x81, 0x31, 0xFE, 0x45]) + _HISTORICAL_FOREIGN
)

# EF06 record numbers (ssc-card.md, assumed): 1->08, 2->09, 3->4E, 4->0A, ...
RECORD_TAGS = {5: (0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07),
               6: (0x08, 0x09, 0x4E, 0x0A, 0x0B, 0x0C, 0x0D)}  # fmt: skip
# Readable on third-generation cards before EXTERNAL AUTHENTICATE.
FREE_TAGS = {(5, 0x01), (5, 0x03), (5, 0x07)}

FID_MF = b"\x3f\x00"
FID_EF = {b"\xef\x05": 5, b"\xef\x06": 6}


class ProfileError(ValueError):
    """A card profile that cannot be used; the message names the key."""


def _require(condition: bool, key: str, what: str) -> None:
    if not condition:
        raise ProfileError(f"profile key {key!r}: {what}")


def _is_digits(value: Any) -> bool:
    return isinstance(value, str) and value.isascii() and value.isdigit()


def normalize_profile(data: dict[str, Any]) -> dict[str, Any]:
    """Fill defaults for missing keys and check every value; ``ProfileError`` names a bad key."""
    _require(isinstance(data, dict), "<top>", "a profile is a JSON object")
    profile = copy.deepcopy(DEFAULT_PROFILE)
    for key, value in data.items():
        if key in ("ef05", "ef06"):
            _require(isinstance(value, dict), key, "must be an object")
            unknown = set(value) - set(DEFAULT_PROFILE[key])
            _require(not unknown, key, f"unknown item(s) {sorted(unknown)}")
            profile[key].update(value)
        elif key in DEFAULT_PROFILE:
            profile[key] = value
        elif not key.startswith("_"):  # "_comment" and the like are allowed
            raise ProfileError(f"unknown profile key {key!r}")

    _require(profile["generation"] in (1, 2, 3), "generation", "must be 1, 2 or 3")
    _require(profile["protocol"] in ("T0", "T1"), "protocol", "must be T0 or T1")
    atr = profile["atr"]
    if atr is not None:
        try:
            raw = bytes.fromhex(atr)
        except (TypeError, ValueError):
            raise ProfileError("profile key 'atr': must be hex or null") from None
        _require(2 <= len(raw) <= 33 and raw[0] in (0x3B, 0x3F), "atr", "not an ATR")
    pin = profile["pin"]
    _require(_is_digits(pin) and 4 <= len(pin) <= 12, "pin", "must be 4 to 12 digits")
    for key in ("pin_tries_left", "pin_tries_max"):
        value = profile[key]
        _require(isinstance(value, int) and not isinstance(value, bool), key, "integer")
        _require(0 <= value <= 15, key, "must be 0 to 15")
    _require(
        profile["pin_tries_left"] <= profile["pin_tries_max"],
        "pin_tries_left",
        "more than pin_tries_max",
    )
    for key in ("tries_query", "locked", "ssse_by_name", "foreign"):
        _require(isinstance(profile[key], bool), key, "must be true or false")
    try:
        key_bytes = bytes.fromhex(profile["test_key"])
    except (TypeError, ValueError):
        key_bytes = b""
    _require(len(key_bytes) == 16, "test_key", "must be 32 hex digits")
    chunk = profile["t0_chunk"]
    _require(
        chunk is None or (isinstance(chunk, int) and 1 <= chunk <= 256),
        "t0_chunk",
        "must be null or 1..256",
    )
    raw_records = profile["raw_records"]
    _require(isinstance(raw_records, dict), "raw_records", "must be an object")
    for ef, records in raw_records.items():
        _require(ef in ("ef05", "ef06") and isinstance(records, dict), "raw_records", ef)
        for tag, value in records.items():
            where = f"raw_records.{ef}.{tag}"
            try:
                tag_ok = len(tag) == 2 and int(tag, 16) in RECORD_TAGS[int(ef[-1])]
            except ValueError:
                tag_ok = False
            _require(tag_ok, where, "unknown tag")
            if value is not None:
                try:
                    raw = bytes.fromhex(value)
                except (TypeError, ValueError):
                    raise ProfileError(f"profile key {where!r}: must be hex or null") from None
                _require(len(raw) <= 0x7F, where, "longer than 127 bytes")
    # Encoding the records checks every ef05/ef06 value.
    _encode_records(profile)
    return profile


def load_profile(path: Path | str) -> dict[str, Any]:
    """Read a profile file (UTF-8 JSON) and return it with defaults filled in."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(f"cannot read profile {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ProfileError(
            f"profile {path} is not UTF-8 text (byte {exc.start} cannot be read)"
        ) from None
    except json.JSONDecodeError as exc:
        raise ProfileError(
            f"profile {path} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    return normalize_profile(data)


def _encode_records(profile: dict[str, Any]) -> dict[int, dict[int, bytes]]:
    """The value bytes of every record, keyed by SFI and tag (raw_records applied)."""
    ef05, ef06 = profile["ef05"], profile["ef06"]

    def item(key: str, fn, *args, **kwargs) -> bytes:
        try:
            return fn(*args, **kwargs)
        except (TypeError, ValueError, AttributeError, UnicodeError) as exc:
            raise ProfileError(f"profile key {key!r}: {exc}") from None

    def ascii_field(key: str, value: Any, length: int) -> bytes:
        if not isinstance(value, str) or not value.isascii():
            raise ProfileError(f"profile key {key!r}: must be an ASCII string")
        return item(key, codec.text_encode, value, length, encoding="ascii")

    def hex_field(key: str, value: Any, length: int) -> bytes:
        if not isinstance(value, str) or len(value) > 2 * length:
            raise ProfileError(f"profile key {key!r}: at most {2 * length} hex digits")
        return item(key, bytes.fromhex, value.ljust(2 * length, "F"))

    values = {
        5: {
            0x01: hex_field("ef05.card_id_code", ef05["card_id_code"], 16),
            0x02: ascii_field("ef05.card_type", ef05["card_type"] or "", 1),
            0x03: ascii_field("ef05.version", ef05["version"], 4),
            0x04: item("ef05.init_org", codec.bcd_encode, ef05["init_org"] or "", 12),
            0x05: item("ef05.issue_date", codec.date_encode, ef05["issue_date"]),
            0x06: item("ef05.expiry_date", codec.date_encode, ef05["expiry_date"]),
            0x07: ascii_field("ef05.card_no", ef05["card_no"], 9),
        },
        6: {
            0x08: ascii_field("ef06.ssn", ef06["ssn"], 18),
            0x09: item("ef06.name", codec.text_encode, ef06["name"], 30),
            0x0A: ascii_field("ef06.sex", ef06["sex"], 1),
            0x0B: item("ef06.ethnicity", codec.bcd_encode, ef06["ethnicity"] or "", 1),
            0x0C: item("ef06.birthplace", codec.bcd_encode, ef06["birthplace"] or "", 3),
            0x0D: item("ef06.birth_date", codec.date_encode, ef06["birth_date"]),
        },
    }
    if ef06.get("name_ext"):
        values[6][0x4E] = item("ef06.name_ext", codec.text_encode, ef06["name_ext"], 20)
    for ef, records in profile["raw_records"].items():
        sfi = int(ef[-1])
        for tag, value in records.items():
            if value is None:
                values[sfi].pop(int(tag, 16), None)
            else:
                values[sfi][int(tag, 16)] = bytes.fromhex(value)
    return values


def _valid_pin_block(block: bytes) -> bool:
    if not 2 <= len(block) <= 6:
        return False
    text = block.hex().upper()
    digits = text.rstrip("F")
    return digits.isdigit() and len(text) - len(digits) <= 1


def _sw(sw: int) -> bytes:
    return bytes([sw >> 8, sw & 0xFF])


class CardEmulator:
    """One emulated card. ``process()`` is thread-safe; state resets on power-on and reset.

    ``pull_on_next_verify``: when set, the next VERIFY that carries a PIN is not answered; the
    transport (vpcd link or simulated reader) takes the card away instead (see
    :meth:`take_pull`). :meth:`pull_after` does the same for the n-th command from now, whatever
    it is: a card pulled in the middle of a read, at a chosen point.
    """

    def __init__(self, profile: dict[str, Any], *, label: str = "") -> None:
        self.profile = normalize_profile(profile)
        self.label = label
        self.protocol: str = self.profile["protocol"]
        self.generation: int = self.profile["generation"]
        self.foreign: bool = self.profile["foreign"]
        if self.profile["atr"]:
            self.atr = bytes.fromhex(self.profile["atr"])
        elif self.foreign:
            self.atr = DEFAULT_ATR_FOREIGN
        else:
            self.atr = DEFAULT_ATR_T1 if self.protocol == "T1" else DEFAULT_ATR_T0
        self._records = _encode_records(self.profile)
        self._pin_block = codec.bcd_encode(self.profile["pin"])
        self.tries_left: int = self.profile["pin_tries_left"]
        self.tries_max: int = self.profile["pin_tries_max"]
        self.locked: bool = self.profile["locked"]
        self._key = bytes.fromhex(self.profile["test_key"])
        self._chunk: int = self.profile["t0_chunk"] or 256
        self.pull_on_next_verify = False
        self._pull_countdown: int | None = None
        self.powered = False
        self.commands = 0  # APDUs processed since creation (tests count exchanges)
        self._lock = threading.RLock()
        self.power_on()

    @classmethod
    def from_file(cls, path: Path | str) -> CardEmulator:
        """An emulator for the profile in ``path`` (labelled with the file name)."""
        return cls(load_profile(path), label=Path(path).name)

    @property
    def identity(self) -> tuple[str, str]:
        """``(card_id_code, card_no)`` as the card would report them."""
        card_id = self._records[5].get(0x01, b"").hex().upper()
        card_no = self._records[5].get(0x07, b"").rstrip(b"\x00").decode("ascii", "replace")
        return (card_id, card_no)

    @property
    def pin(self) -> str:
        """The current PIN (tests only; CHANGE PIN updates it)."""
        with self._lock:
            digits = self._pin_block.hex().upper().rstrip("F")
        return digits

    # -- power -----------------------------------------------------------------------------

    def power_on(self) -> None:
        """Cold start: nothing selected, nothing verified."""
        with self._lock:
            self.powered = True
            self._reset_state()

    def power_off(self) -> None:
        """Remove power; volatile state is lost."""
        with self._lock:
            self.powered = False
            self._reset_state()

    def reset(self) -> None:
        """Warm reset."""
        self.power_on()

    def _reset_state(self) -> None:
        self._df: str | None = None  # "SSSE" or "MF"
        self._ef: int | None = None
        self._verified = False
        self._authenticated = False
        self._challenge: bytes | None = None
        self._pending: bytes | None = None
        self._pending_sw = 0x9000

    def pull_after(self, commands: int) -> None:
        """Arm a pull: the ``commands``-th command APDU from now (1: the next) is not answered;
        the transport takes the card away instead."""
        if commands < 1:
            raise ValueError("commands must be at least 1")
        with self._lock:
            self._pull_countdown = commands

    def take_pull(self, apdu: bytes) -> bool:
        """True (once) when an armed pull is due: ``apdu`` is a VERIFY with a PIN and
        ``pull_on_next_verify`` is set, or it is the command :meth:`pull_after` named."""
        with self._lock:
            if self._pull_countdown is not None:
                self._pull_countdown -= 1
                if self._pull_countdown == 0:
                    self._pull_countdown = None
                    return True
            if self.pull_on_next_verify and len(apdu) > 5 and apdu[1] == 0x20:
                self.pull_on_next_verify = False
                return True
            return False

    # -- APDU processing -------------------------------------------------------------------

    def process(self, apdu: bytes) -> bytes:
        """Answer one command APDU with response data and status word."""
        with self._lock:
            self.commands += 1
            if not self.powered:
                return _sw(0x6F00)
            try:
                cmd = Apdu.parse(bytes(apdu))
            except ValueError:
                return _sw(0x6700)
            if self.foreign:
                # Another application entirely: nothing of ours is found.
                return _sw(0x6A82 if cmd.ins == 0xA4 else 0x6D00)
            if cmd.ins == 0xC0:
                return self._get_response(cmd)
            self._pending = None
            handler = {
                0xA4: self._select,
                0xB2: self._read_record,
                0x20: self._verify,
                0x5E: self._change_pin,
                0x84: self._get_challenge,
                0x82: self._external_authenticate,
            }.get(cmd.ins)
            if handler is None:
                return _sw(0x6D00)
            expected_cla = 0x80 if cmd.ins == 0x5E else 0x00
            if cmd.cla != expected_cla:
                return _sw(0x6E00)
            data, sw = handler(cmd)
            return self._respond(cmd, data, sw)

    def _respond(self, cmd: Apdu, data: bytes, sw: int) -> bytes:
        if not data:
            return _sw(sw)
        if self.protocol == "T1":
            if cmd.data and cmd.le is None:
                return _sw(sw)  # case 3: the caller asked for no data
            if cmd.le_value < len(data):
                return _sw(0x6C00 | (len(data) & 0xFF))
            return data + _sw(sw)
        # T=0: a command with data cannot carry Le, so the card announces the bytes (61xx)
        # and the reader fetches them with GET RESPONSE; a command without data must have
        # P3 equal to the length, else 6Cxx tells the right one.
        if cmd.data:
            self._pending, self._pending_sw = data, sw
            return _sw(0x6100 | (min(len(data), self._chunk) & 0xFF))
        if cmd.le_value != len(data):
            return _sw(0x6C00 | (len(data) & 0xFF))
        return data + _sw(sw)

    def _get_response(self, cmd: Apdu) -> bytes:
        if self.protocol != "T0":
            return _sw(0x6D00)
        if cmd.cla != 0x00:
            return _sw(0x6E00)
        pending = self._pending
        if pending is None:
            return _sw(0x6985)
        wanted = cmd.le_value
        if wanted > len(pending):
            return _sw(0x6C00 | (len(pending) & 0xFF))
        out, rest = pending[:wanted], pending[wanted:]
        if rest:
            self._pending = rest
            return out + _sw(0x6100 | (min(len(rest), self._chunk) & 0xFF))
        self._pending = None
        return out + _sw(self._pending_sw)

    def _select(self, cmd: Apdu) -> tuple[bytes, int]:
        by_name = self.profile["ssse_by_name"]
        if cmd.p1 == 0x04:
            if cmd.data == SSSE_NAME and by_name:
                self._df, self._ef = "SSSE", None
                return self._fci(SSSE_NAME), 0x9000
            return b"", 0x6A82
        if cmd.p1 not in (0x00, 0x02) or len(cmd.data) != 2:
            return b"", 0x6A86
        if cmd.data == FID_MF:
            self._df, self._ef = ("MF" if by_name else "SSSE"), None
            return self._fci(FID_MF), 0x9000
        sfi = FID_EF.get(cmd.data)
        if sfi is None or self._df != "SSSE":
            return b"", 0x6A82
        self._ef = sfi
        return b"", 0x9000

    @staticmethod
    def _fci(name: bytes) -> bytes:
        inner = bytes([0x84, len(name)]) + name
        return bytes([0x6F, len(inner)]) + inner

    def _read_record(self, cmd: Apdu) -> tuple[bytes, int]:
        sfi, mode = cmd.p2 >> 3, cmd.p2 & 0x07
        if self._df != "SSSE":
            return b"", 0x6A82
        if sfi == 0:
            if self._ef is None:
                return b"", 0x6986
            sfi = self._ef
        if sfi not in self._records:
            return b"", 0x6A82
        if mode == 0b100:
            tags = RECORD_TAGS[sfi]
            if not 1 <= cmd.p1 <= len(tags):
                return b"", 0x6A83
            tag = tags[cmd.p1 - 1]
        elif mode == 0b000:
            tag = cmd.p1
        else:
            return b"", 0x6A86
        value = self._records[sfi].get(tag)
        if value is None:
            return b"", 0x6A83
        if self.generation >= 3 and not self._authenticated and (sfi, tag) not in FREE_TAGS:
            return b"", 0x6982
        return bytes([tag, len(value)]) + value, 0x9000

    def _check_pin(self, block: bytes) -> int:
        """Compare a PIN block, counting tries; the status word."""
        if self.tries_left == 0:
            return 0x6983
        if block == self._pin_block:
            self.tries_left = self.tries_max
            self._verified = True
            return 0x9000
        self.tries_left -= 1
        self._verified = False
        return 0x63C0 | self.tries_left

    def _verify(self, cmd: Apdu) -> tuple[bytes, int]:
        if cmd.p1 != 0x00 or cmd.p2 != 0x00:
            return b"", 0x6A86
        if self._df != "SSSE":
            return b"", 0x6985
        if self.locked:
            return b"", 0x9303
        if not cmd.data:
            if not self.profile["tries_query"]:
                return b"", 0x6700
            if self._verified:
                return b"", 0x9000
            if self.tries_left == 0:
                return b"", 0x6983
            return b"", 0x63C0 | self.tries_left
        if not _valid_pin_block(cmd.data):
            return b"", 0x6A80
        return b"", self._check_pin(cmd.data)

    def _change_pin(self, cmd: Apdu) -> tuple[bytes, int]:
        if cmd.p1 != 0x01 or cmd.p2 != 0x00:
            return b"", 0x6A86
        if self._df != "SSSE":
            return b"", 0x6985
        if self.locked:
            return b"", 0x9303
        old, sep, new = cmd.data.partition(b"\xff")
        if not sep or not _valid_pin_block(old) or not _valid_pin_block(new):
            return b"", 0x6A80
        sw = self._check_pin(old)
        if sw == 0x9000:
            self._pin_block = new
        return b"", sw

    def _get_challenge(self, cmd: Apdu) -> tuple[bytes, int]:
        if cmd.p1 != 0x00 or cmd.p2 != 0x00:
            return b"", 0x6A86
        self._challenge = os.urandom(8)
        return self._challenge, 0x9000

    def _external_authenticate(self, cmd: Apdu) -> tuple[bytes, int]:
        challenge, self._challenge = self._challenge, None
        if self._df != "SSSE" or challenge is None:
            return b"", 0x6985
        if len(cmd.data) != 16:
            return b"", 0x6700
        if cmd.data != reference_cryptogram(self._key, challenge):
            log.debug("external authentication refused")
            return b"", 0x6300
        self._authenticated = True
        return b"", 0x9000


class EmulatorTransport:
    """A :class:`~devices.card.apdu.Transport` straight onto an emulator (unit tests)."""

    def __init__(self, emulator: CardEmulator) -> None:
        self.emulator = emulator

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        """Process ``apdu`` in the emulator."""
        response = self.emulator.process(apdu)
        return response[:-2], (response[-2] << 8) | response[-1]
