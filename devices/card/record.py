"""What a social security card says about its holder: :class:`CardRecord` and helpers.

Also the citizen ID number rules of GB 11643 (check character, embedded birth date and sex)
and the masks the UI and CLI use where the full value is not needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

# Warning codes (stable; the UI translates them).
WARN_SSN_CHECK_DIGIT = "ssn_check_digit"  # 18 characters, check character wrong
WARN_SSN_FORMAT = "ssn_format"  # not an 18- or 15-character citizen ID number
WARN_SSN_OLD_FORMAT = "ssn_15_digits"  # old 15-digit number: no check character
WARN_BIRTH_DATE_MISMATCH = "birth_date_mismatch"  # 0D differs from the ID number
WARN_SEX_MISMATCH = "sex_mismatch"  # 0A differs from the ID number's sequence parity
WARN_CARD_EXPIRED = "card_expired"
WARN_ISSUE_AFTER_EXPIRY = "issue_after_expiry"  # 05 (issue date) later than 06 (expiry date)
WARN_SEX_NOT_STATED = "sex_not_stated"  # 0A is 0 (unknown) or 9 (not stated), GB/T 2261.1
WARN_SEX_INVALID = "sex_invalid"  # 0A is no GB/T 2261.1 code at all: sex left empty
WARN_FIELD_TOO_LONG = "field_too_long"  # a record longer than the specification's length

# Each warning in plain English (the command line; the window translates the codes itself).
WARNINGS = {
    WARN_SSN_CHECK_DIGIT: "the ID number's check character is wrong",
    WARN_SSN_FORMAT: "the ID number is not a citizen ID number",
    WARN_SSN_OLD_FORMAT: "the ID number is an old 15-digit one, without a check character",
    WARN_BIRTH_DATE_MISMATCH: "the birth date differs from the one in the ID number",
    WARN_SEX_MISMATCH: "the sex differs from the one the ID number gives",
    WARN_CARD_EXPIRED: "the card has expired",
    WARN_ISSUE_AFTER_EXPIRY: "the card's issue date is later than its expiry date",
    WARN_SEX_NOT_STATED: "the card states no sex (code 0 or 9)",
    WARN_SEX_INVALID: "the card's sex field holds no valid code",
    WARN_FIELD_TOO_LONG: "a field on the card is longer than the card specification allows",
}

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_SSN18 = re.compile(r"[0-9]{17}[0-9X]")
_SSN15 = re.compile(r"[0-9]{15}")


def ssn_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def check_ssn(ssn: str) -> bool:
    """True when ``ssn`` is an 18-character ID number whose check character is right.

    Lower-case ``x`` is accepted.
    """
    value = ssn.upper()
    return bool(_SSN18.fullmatch(value)) and ssn_check_char(value[:17]) == value[17]


def ssn_birth_date(ssn: str) -> date | None:
    """The birth date embedded in an 18- or 15-digit ID number, None when there is none."""
    value = ssn.upper()
    if _SSN18.fullmatch(value):
        digits = value[6:14]
    elif _SSN15.fullmatch(value):
        digits = "19" + value[6:12]
    else:
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def ssn_sex(ssn: str) -> str | None:
    """``"1"`` (male, odd sequence) or ``"2"`` (female, even) from an ID number, else None."""
    value = ssn.upper()
    if _SSN18.fullmatch(value):
        digit = value[16]
    elif _SSN15.fullmatch(value):
        digit = value[14]
    else:
        return None
    return "1" if int(digit) % 2 else "2"


def ssn_warnings(ssn: str | None, birth_date: date | None, sex: str | None) -> list[str]:
    """Warning codes from the ID number and its cross-check with the card's own fields.

    Holders who are not citizens may carry another kind of number: that is a warning, never a
    refusal.
    """
    if ssn is None:
        return []
    value = ssn.upper()
    warnings: list[str] = []
    if _SSN18.fullmatch(value):
        if not check_ssn(value):
            warnings.append(WARN_SSN_CHECK_DIGIT)
    elif _SSN15.fullmatch(value):
        warnings.append(WARN_SSN_OLD_FORMAT)
    else:
        warnings.append(WARN_SSN_FORMAT)
        return warnings
    embedded = ssn_birth_date(value)
    if birth_date is not None and embedded != birth_date:
        warnings.append(WARN_BIRTH_DATE_MISMATCH)
    if sex in ("1", "2") and ssn_sex(value) != sex:
        warnings.append(WARN_SEX_MISMATCH)
    return warnings


# The name (09, 30 bytes) and its extension (4E, 20 bytes) hold at most this many GBK bytes.
NAME_MAX_BYTES = 50


def card_data_warnings(
    issue_date: date | None, expiry_date: date | None, name: str | None, today: date
) -> list[str]:
    """Warning codes about the card's own data, for every backend: expired, issued after its
    expiry date, a name longer than the card can hold."""
    warnings: list[str] = []
    if expiry_date is not None and expiry_date < today:
        warnings.append(WARN_CARD_EXPIRED)
    if issue_date is not None and expiry_date is not None and issue_date > expiry_date:
        warnings.append(WARN_ISSUE_AFTER_EXPIRY)
    if name is not None and len(name.encode("gbk", errors="replace")) > NAME_MAX_BYTES:
        warnings.append(WARN_FIELD_TOO_LONG)
    return warnings


def mask_ssn(ssn: str | None) -> str | None:
    """Mask an ID number: the region (6) and the last 4 stay, e.g. ``110105********002X``.

    Shorter values keep only their last 2 characters; 4 characters or fewer are all masked.
    """
    if ssn is None:
        return None
    n = len(ssn)
    if n >= 12:
        return ssn[:6] + "*" * (n - 10) + ssn[-4:]
    if n > 4:
        return "*" * (n - 2) + ssn[-2:]
    return "*" * n


def mask_name(name: str | None) -> str | None:
    """Mask a name: every character but the last becomes ``*`` (``张三`` -> ``*三``).

    The surname is the part most easily guessed from context, so it is the part hidden; the
    length stays visible so a clerk can still tell two holders apart. A one-character name
    becomes ``*``.
    """
    if name is None:
        return None
    if len(name) <= 1:
        return "*" * len(name)
    return "*" * (len(name) - 1) + name[-1]


@dataclass(frozen=True)
class CardRecord:
    """The card issuer data (EF05) and holder data (EF06) of one social security card.

    Items a third-generation card did not reveal are None and named in ``protected``.
    ``warnings`` are stable codes (``ssn_check_digit``, ``birth_date_mismatch``,
    ``sex_mismatch``, ``card_expired``, ``issue_after_expiry``, ``sex_not_stated``,
    ``sex_invalid``, ``field_too_long``, ...).
    """

    reader: str
    atr: str
    generation: int
    card_id_code: str
    card_type: str | None
    version: str
    init_org: str | None
    issue_date: date | None
    expiry_date: date | None
    card_no: str
    ssn: str | None
    name: str | None
    sex: str | None
    ethnicity: str | None
    birthplace: str | None
    birth_date: date | None
    protected: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def identity(self) -> tuple[str, str]:
        """``(card_id_code, card_no)``: what "the same card" means."""
        return (self.card_id_code, self.card_no)

    def to_json(self, *, unmasked: bool = False) -> dict:
        """The ``card read --json`` object (design section 8), ssn and name masked by default."""

        def iso(value: date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "reader": self.reader,
            "atr": self.atr,
            "generation": self.generation,
            "card_id_code": self.card_id_code,
            "card_type": self.card_type,
            "version": self.version,
            "init_org": self.init_org,
            "issue_date": iso(self.issue_date),
            "expiry_date": iso(self.expiry_date),
            "card_no": self.card_no,
            "ssn": self.ssn if unmasked else mask_ssn(self.ssn),
            "name": self.name if unmasked else mask_name(self.name),
            "sex": self.sex,
            "ethnicity": self.ethnicity,
            "birthplace": self.birthplace,
            "birth_date": iso(self.birth_date),
            "protected": list(self.protected),
            "warnings": list(self.warnings),
        }

    def __repr__(self) -> str:
        # Keep personal data out of tracebacks and debug output.
        return (
            f"CardRecord(reader={self.reader!r}, generation={self.generation}, "
            f"ssn={mask_ssn(self.ssn)!r}, "
            f"name={mask_name(self.name)!r}, warnings={self.warnings!r})"
        )


PinStatus = Literal["ok", "wrong", "blocked", "card_removed", "unknown"]


@dataclass(frozen=True)
class PinResult:
    """The outcome of VERIFY: ``status`` and, when the card said so, the tries left."""

    status: PinStatus
    tries_left: int | None
