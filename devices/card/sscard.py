"""The MOHRSS unified reader interface (SSCardDriver) as a second reader backend.

Desks whose readers hold the PSAM are often driven through the vendor's implementation of the
unified interface, a shared library (``SSCardDriver.dll`` on Windows, a ``.so`` on Linux) that
talks to the reader itself and hides the APDUs:

- ``int iReadCardBas(int iType, char *pOutInfo)``: the basic card data as GBK text, 11 fields
  each followed by ``|`` (:data:`BAS_FIELDS`); the driver authenticates third-generation cards
  with the PSAM itself.
- ``int iVerifyPIN(int iType, char *pOutInfo)``: the citizen keys the PIN on the reader's own
  keypad; the PC never sees it.

Both return 0 on success and a negative number otherwise: the card's status word negated
(``-0x63C2`` wrong PIN, 2 tries left) or a driver error (:data:`DRIVER_ERRORS`; vendors differ,
the values here are assumptions kept in one place). ``iType`` picks the card interface
(:data:`CARD_TYPE_AUTO` by default).

:class:`SSCardDriverReader` puts this behind the same :class:`~devices.card.reader.CardReader`
interface as PC/SC, so :class:`desktop.card_service.CardService` drives it unchanged. The
interface has no events: the reader polls ``iReadCardBas``. It offers no tries query and no
PIN from the PC: ``pin_tries_left`` is None ("unknown") and the PIN goes through
:meth:`SSCardConnection.pinpad`. Items the interface does not carry (card type, issuing
organisation, sex, ethnicity, birthplace, birth date) are None.

The library is loaded with ctypes on the card thread, and every call happens there (vendor
libraries are rarely thread-safe). Nothing of ``pOutInfo`` is logged.
"""

from __future__ import annotations

import ctypes
import logging
import re
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from devices.card.errors import CardError, CardReaderError, CardRemovedError, sw_text
from devices.card.keys import KeyService
from devices.card.reader import CardConnection, CardReader
from devices.card.record import CardRecord, PinResult, card_data_warnings, ssn_warnings
from devices.card.ssc import generation_of, pin_result

log = logging.getLogger(__name__)

CARD_TYPE_CONTACT = 1
CARD_TYPE_CONTACTLESS = 2
CARD_TYPE_AUTO = 3

# pOutInfo: vendors ask for "at least 1024 bytes"; more costs nothing.
OUT_SIZE = 4096

BAS_FIELDS = (
    "region",  # 发卡地区行政区划代码 (first 6 digits of the identification code)
    "ssn",  # 社会保障号码
    "card_no",  # 卡号
    "card_id_code",  # 卡识别码
    "name",  # 姓名
    "atr_history",  # 卡复位信息 (historical bytes of the ATR, hex)
    "version",  # 规范版本
    "issue_date",  # 发卡日期
    "expiry_date",  # 卡有效期
    "terminal_no",  # 终端机编号
    "device_no",  # 终端设备号
)

# Driver errors that are not status words (assumed; vendors differ).
DRIVER_ERRORS = {
    -1: "no_reader",
    -2: "card_absent",
    -3: "card_unresponsive",
}

# Items the interface protects on third-generation cards when the driver could not
# authenticate (no PSAM): empty fields.
PROTECTABLE = ("ssn", "name", "issue_date", "expiry_date")

_CARD_ID = re.compile(r"[0-9A-F]{32}")
_CARD_NO = re.compile(r"[0-9A-Z]{9}")
_HEX = re.compile(r"(?:[0-9A-F]{2})*")


def _is_sw(status: int) -> bool:
    return -0xFFFF <= status <= -0x6000


def status_error(status: int, what: str) -> CardError:
    """The :class:`CardError` for a negative result of the driver."""
    if _is_sw(status):
        sw = -status
        if sw == 0x6A82:
            return CardError("not_ssc", f"{what}: card answered {sw_text(sw)}")
        if sw == 0x9303:
            return CardError("app_locked", f"{what}: card answered {sw_text(sw)}")
        return CardError.for_sw(sw, what)
    code = DRIVER_ERRORS.get(status)
    if code == "no_reader":
        return CardReaderError("no_reader", f"{what}: driver error {status}")
    if code == "card_absent":
        return CardError("card_absent", f"{what}: driver error {status}")
    if code is not None:
        return CardError(code, f"{what}: driver error {status}")
    return CardError("driver_error", f"{what}: driver error {status}")


def _date(text: str, field: str) -> date | None:
    if not text:
        return None
    if not re.fullmatch(r"[0-9]{8}", text):
        raise ValueError(f"{field} is not YYYYMMDD")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise ValueError(f"{field} is an impossible date") from None


@dataclass(frozen=True)
class BasInfo:
    """``iReadCardBas``'s fields, checked (never shown in ``repr``)."""

    region: str
    ssn: str
    card_no: str
    card_id_code: str
    name: str
    atr_history: str
    version: str
    issue_date: date | None
    expiry_date: date | None

    def __repr__(self) -> str:
        return f"BasInfo(version={self.version!r})"


def parse_bas(raw: bytes) -> BasInfo:
    """Check and split ``iReadCardBas``'s output (GBK text up to the first NUL).

    Decoded before it is split: ``|`` (0x7C) can be the second byte of a GBK character.
    ``CardError("bad_record")`` with a plain reason for anything malformed.
    """
    raw = raw.split(b"\x00", 1)[0]
    try:
        text = raw.decode("gbk")
    except UnicodeDecodeError:
        raise CardError("bad_record", "driver output is not valid GBK") from None
    parts = text.split("|")
    if len(parts) < len(BAS_FIELDS) or any(parts[len(BAS_FIELDS) :]):
        raise CardError("bad_record", f"driver output has {len(parts) - 1} field(s), expected 11")
    values = dict(zip(BAS_FIELDS, (p.strip() for p in parts), strict=False))
    try:
        card_id = values["card_id_code"].upper()
        if not _CARD_ID.fullmatch(card_id):
            raise ValueError("card identification code is not 32 hex digits")
        card_no = values["card_no"].upper()
        if card_no and not _CARD_NO.fullmatch(card_no):
            raise ValueError("card number is not 9 characters of 0-9 and A-Z")
        ssn = values["ssn"].upper()
        if ssn and not all(0x20 < ord(c) < 0x7F for c in ssn):
            raise ValueError("ID number is not printable ASCII")
        name = values["name"]
        if any(ord(c) < 0x20 for c in name):
            raise ValueError("control character in the name")
        version = values["version"]
        if not re.fullmatch(r"[0-9]\.[0-9]{2}", version):
            raise ValueError("spec version is not like 2.00")
        history = values["atr_history"].upper()
        if not _HEX.fullmatch(history):
            raise ValueError("ATR history is not hex")
        region = values["region"]
        if region and not re.fullmatch(r"[0-9]{6}", region):
            raise ValueError("region is not 6 digits")
        issue = _date(values["issue_date"], "issue date")
        expiry = _date(values["expiry_date"], "expiry date")
    except ValueError as exc:
        raise CardError("bad_record", f"driver output: {exc}") from None
    return BasInfo(region, ssn, card_no, card_id, name, history, version, issue, expiry)


class SSCardDriver:
    """The vendor library, loaded with ctypes. Call it from one thread only."""

    def __init__(self, library: Path | str, *, card_type: int = CARD_TYPE_AUTO) -> None:
        self.path = str(library)
        self.card_type = card_type
        try:
            if sys.platform.startswith("win"):
                lib = ctypes.WinDLL(self.path)  # the interface is __stdcall on Windows
            else:
                lib = ctypes.CDLL(self.path)
            functions = {name: getattr(lib, name) for name in ("iReadCardBas", "iVerifyPIN")}
        except (OSError, AttributeError) as exc:
            raise CardReaderError(
                "driver_unavailable", f"cannot load the reader driver {self.path}: {exc}"
            ) from None
        for function in functions.values():
            function.argtypes = [ctypes.c_int, ctypes.c_char_p]
            function.restype = ctypes.c_int
        self._lib = lib
        self._read = functions["iReadCardBas"]
        self._verify = functions["iVerifyPIN"]

    def read_card_bas(self) -> tuple[int, bytes]:
        """``iReadCardBas``: ``(status, raw output)``."""
        out = ctypes.create_string_buffer(OUT_SIZE)
        status = int(self._read(self.card_type, out))
        return status, out.raw

    def verify_pin(self) -> int:
        """``iVerifyPIN`` (the PIN is keyed on the reader): the status."""
        out = ctypes.create_string_buffer(OUT_SIZE)
        status = int(self._verify(self.card_type, out))
        ctypes.memset(out, 0, OUT_SIZE)
        return status


class SSCardApplication:
    """The card seen through the unified interface (a :class:`CardApplication`)."""

    def __init__(self, reader: SSCardDriverReader) -> None:
        self._reader = reader

    def read_record(
        self, *, key_service: KeyService | None = None, today: date | None = None
    ) -> CardRecord:
        """``iReadCardBas`` as a :class:`CardRecord`; ``key_service`` is not used (the driver
        authenticates with its PSAM)."""
        info = self._reader.read_bas()
        generation = generation_of(info.version)
        protected = []
        if generation >= 3:
            # The driver leaves empty what it could not authenticate for.
            values = {"ssn": info.ssn, "name": info.name, "issue_date": info.issue_date,
                      "expiry_date": info.expiry_date}  # fmt: skip
            protected = [item for item in PROTECTABLE if not values[item]]
        elif not info.ssn or not info.name or not info.card_no:
            raise CardError("bad_record", "driver output lacks the ID number, name or card number")
        warnings = ssn_warnings(info.ssn or None, None, None)
        warnings += card_data_warnings(
            info.issue_date, info.expiry_date, info.name or None, today or date.today()
        )
        return CardRecord(
            reader=self._reader.name,
            atr=info.atr_history,
            generation=generation,
            card_id_code=info.card_id_code,
            card_type=None,
            version=info.version,
            init_org=None,
            issue_date=info.issue_date,
            expiry_date=info.expiry_date,
            card_no=info.card_no,
            ssn=info.ssn or None,
            name=info.name or None,
            sex=None,
            ethnicity=None,
            birthplace=None,
            birth_date=None,
            protected=tuple(protected),
            warnings=tuple(warnings),
        )

    def read_identity(self) -> tuple[str, str]:
        """``(card_id_code, card_no)`` (one ``iReadCardBas``: the interface has nothing
        smaller)."""
        info = self._reader.read_bas()
        return (info.card_id_code, info.card_no)

    def pin_tries_left(self) -> int | None:
        """Unknown: the interface has no tries query."""
        return None

    def verify_pin(self, pin: str) -> PinResult:
        """Refused: the PIN is keyed on the reader (:meth:`SSCardConnection.pinpad`)."""
        raise CardError("pinpad_required")

    def change_pin(self, old_pin: str, new_pin: str) -> PinResult:
        """Refused: PIN changes go through the reader's keypad, which this backend lacks."""
        raise CardError("pinpad_required")


class SSCardPinpad:
    """The reader's keypad behind ``iVerifyPIN``."""

    def __init__(self, reader: SSCardDriverReader) -> None:
        self._reader = reader

    def verify(self, *, timeout: int = 30) -> PinResult:
        """``iVerifyPIN``: the citizen keys the PIN on the reader (its own timeout applies).

        ``6400``/``6401``/``6403`` raise ``pinpad_timeout``/``pinpad_cancelled``/
        ``pinpad_bad_length``; "no card" during the call is ``PinResult("card_removed")``.
        """
        status = self._reader.driver_call(lambda driver: driver.verify_pin())
        if status == 0:
            return pin_result(0x9000, "iVerifyPIN")
        if DRIVER_ERRORS.get(status) == "card_absent":
            log.info("iVerifyPIN: card removed")
            return PinResult("card_removed", None)
        if _is_sw(status):
            sw = -status
            keypad = {0x6400: "pinpad_timeout", 0x6401: "pinpad_cancelled",
                      0x6403: "pinpad_bad_length"}.get(sw)  # fmt: skip
            if keypad is not None:
                raise CardError(keypad)
            return pin_result(sw, "iVerifyPIN")
        raise status_error(status, "iVerifyPIN")


class SSCardConnection(CardConnection):
    """A "session" with the card through the driver (each call stands alone)."""

    def __init__(self, reader: SSCardDriverReader, atr: bytes) -> None:
        self.reader = reader.name
        self.atr = atr
        self._owner = reader

    def card(self) -> SSCardApplication:
        """The card through ``iReadCardBas``."""
        return SSCardApplication(self._owner)

    def pinpad(self) -> SSCardPinpad:
        """The reader's keypad (``iVerifyPIN``): every unified-interface reader has one."""
        return SSCardPinpad(self._owner)

    def disconnect(self, *, reset: bool = False) -> None:
        """Nothing to release: the driver opens and closes the card per call."""


class SSCardDriverReader(CardReader):
    """A unified-interface reader driven through its vendor library.

    Created on the card thread, which then makes every call. ``poll_interval``: how often
    :meth:`wait_for_change` asks the driver, which has no events.
    """

    def __init__(
        self,
        library: Path | str,
        *,
        card_type: int = CARD_TYPE_AUTO,
        poll_interval: float = 1.0,
        name: str | None = None,
    ) -> None:
        self._thread = threading.get_ident()
        self._driver = SSCardDriver(library, card_type=card_type)
        self.name = name or f"SSCardDriver ({Path(library).name})"
        self._poll_interval = poll_interval
        self._cancelled = threading.Event()
        self._last: tuple[bool, tuple[str, str] | None] | None = None
        self._last_poll = 0.0
        self._reported: tuple[bool, tuple[str, str] | None] | None = None

    def _check_thread(self) -> None:
        if threading.get_ident() != self._thread:
            raise RuntimeError("SSCardDriverReader used outside the thread that created it")

    def driver_call(self, call):
        """Run ``call(driver)`` on the card thread."""
        self._check_thread()
        return call(self._driver)

    def read_bas(self) -> BasInfo:
        """``iReadCardBas``, checked: ``CardError`` for every failure."""
        status, raw = self.driver_call(lambda driver: driver.read_card_bas())
        if status != 0:
            error = status_error(status, "iReadCardBas")
            self._note(present=error.code not in ("card_absent", "no_reader"), identity=None)
            if error.code == "card_absent" and self._last_present():
                raise CardRemovedError("iReadCardBas")
            raise error
        info = parse_bas(raw)
        self._note(present=True, identity=(info.card_id_code, info.card_no))
        return info

    def _last_present(self) -> bool:
        return self._reported is not None and self._reported[0]

    def _note(self, *, present: bool, identity: tuple[str, str] | None) -> None:
        self._last = (present, identity)
        self._last_poll = time.monotonic()

    def _probe(self) -> tuple[bool, tuple[str, str] | None]:
        try:
            self.read_bas()
        except CardReaderError:
            raise
        except CardError:
            pass  # _note() recorded what the driver said
        assert self._last is not None
        return self._last

    # -- CardReader ------------------------------------------------------------------------

    def readers(self) -> list[str]:
        """The one reader behind the driver."""
        return [self.name]

    def wait_for_change(self, timeout: float) -> bool:
        """Poll the driver every ``poll_interval`` s until the card or its identity changes."""
        self._check_thread()
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            state = self._last if self._last is not None else self._probe()
            if self._reported is None or state != self._reported:
                self._reported = state
                return True
            next_poll = self._last_poll + self._poll_interval
            now = time.monotonic()
            if now >= deadline:
                return False
            if self._cancelled.wait(max(min(next_poll, deadline) - now, 0.0)):
                self._cancelled.clear()
                return False
            if time.monotonic() >= next_poll:
                self._probe()

    def card_present(self) -> bool:
        """True when the driver found a card at its last call (polled now if stale)."""
        self._check_thread()
        if self._last is None or time.monotonic() - self._last_poll > self._poll_interval:
            self._probe()
        assert self._last is not None
        return self._last[0]

    def connect(self) -> SSCardConnection:
        """A connection whose calls go through the driver (``card_absent`` without a card)."""
        if not self.card_present():
            raise CardError("card_absent")
        return SSCardConnection(self, b"")

    def close(self) -> None:
        """Nothing to release (the library stays loaded for the process)."""

    def cancel_wait(self) -> None:
        """Wake :meth:`wait_for_change` (any thread)."""
        self._cancelled.set()
