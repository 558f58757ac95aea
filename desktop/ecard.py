"""The electronic social security card (电子社保卡): a QR payload instead of a chip.

The citizen shows a dynamic QR code; a keyboard-wedge scanner types it into the desk as a burst
of keystrokes ending in Enter (or the clerk pastes it). :class:`KeyboardWedgeDetector` tells a
scanner's burst from a person typing, from ``(timestamp, character)`` events alone (pure
logic: the Qt event filter in ``ui/qt`` feeds it). :func:`verify_ecard` sends the payload to
central (``POST /v1/ecard/verify``) and gets the same answer as a card lookup; from there the
desk follows the card flow.

The payload is opaque: never parsed, stored, logged or shown. :class:`EcardPayload` keeps it
out of ``repr`` and ``str``; the only thing done with it is sending it to central.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import ValidationError

from desktop.central import CentralClient, CentralError, CentralRejectedError
from desktop.contract import PersonLookupResponse

log = logging.getLogger(__name__)

ECARD_VERIFY_PATH = "/v1/ecard/verify"

# A scanner types a character every few milliseconds; a fast typist needs 50 ms or more.
DEFAULT_MAX_GAP = 0.035
# Dynamic QR payloads are long; anything this short is a person typing.
DEFAULT_MIN_LENGTH = 16
MAX_PAYLOAD_LENGTH = 4096
TERMINATORS = ("\r", "\n")


class EcardError(Exception):
    """An electronic card problem with a stable ``code`` (the UI translates it):
    ``ecard_payload_invalid`` (not something a scanner produces), ``ecard_rejected``
    (central refused it: expired, unknown, already used; ``reason`` has central's code)."""

    def __init__(self, code: str, detail: str = "", *, reason: str | None = None) -> None:
        self.code = code
        self.reason = reason
        super().__init__(detail or code)


@dataclass(frozen=True)
class EcardPayload:
    """An e-card QR payload: opaque, and never in ``repr``/``str`` (so never in a log)."""

    value: str = field(repr=False)

    def __post_init__(self) -> None:
        check_payload(self.value)

    def __str__(self) -> str:
        return f"<e-card payload, {len(self.value)} characters>"

    @classmethod
    def from_paste(cls, text: str) -> EcardPayload:
        """A payload pasted by the clerk: surrounding whitespace and line ends dropped."""
        return cls(text.strip())


def check_payload(value: str) -> None:
    """Only what every scanner output satisfies: printable characters, bounded length.

    Nothing about the content is looked at (the payload is never parsed).
    ``EcardError("ecard_payload_invalid")`` otherwise.
    """
    if not isinstance(value, str) or not value:
        raise EcardError("ecard_payload_invalid", "empty payload")
    if len(value) > MAX_PAYLOAD_LENGTH:
        raise EcardError("ecard_payload_invalid", f"payload longer than {MAX_PAYLOAD_LENGTH}")
    if any(not c.isprintable() or c.isspace() for c in value):
        raise EcardError("ecard_payload_invalid", "payload holds control or space characters")


@dataclass(frozen=True)
class WedgeOutput:
    """What the detector decided about some keystrokes.

    ``kind`` ``burst``: a scanner's payload (``payload`` set, ``text`` empty); ``typed``: a
    person's keystrokes, to hand back to the widget that has the focus (``text``).
    """

    kind: Literal["burst", "typed"]
    text: str = field(default="", repr=False)
    payload: EcardPayload | None = None


class KeyboardWedgeDetector:
    """Tells a keyboard-wedge scanner's burst from typing, from keystroke timings.

    Feed every printable keystroke (and Enter) with its timestamp in seconds; the detector
    holds keystrokes while they may still be a burst and returns decisions:

    - a run of at least ``min_length`` characters, each within ``max_gap`` of the one before,
      ended by Enter (or by ``max_gap`` of silence when ``require_terminator`` is False), is a
      ``burst`` with the payload;
    - anything else is ``typed`` and goes back to the focused widget unchanged (Enter included
      when it ended a run that was not a burst).

    Call :meth:`poll` from a timer (every ~20 ms while :attr:`pending`) so that held typing is
    released when no more keys come. Not thread-safe: one GUI thread feeds it.
    """

    def __init__(
        self,
        *,
        max_gap: float = DEFAULT_MAX_GAP,
        min_length: int = DEFAULT_MIN_LENGTH,
        require_terminator: bool = True,
    ) -> None:
        if max_gap <= 0 or min_length < 1:
            raise ValueError("max_gap must be positive and min_length at least 1")
        self.max_gap = max_gap
        self.min_length = min_length
        self.require_terminator = require_terminator
        self._chars: list[str] = []
        self._last: float | None = None

    @property
    def pending(self) -> bool:
        """True while keystrokes are held."""
        return bool(self._chars)

    def reset(self) -> None:
        """Drop anything held (e.g. when the window loses focus)."""
        self._chars.clear()
        self._last = None

    def _release(self) -> list[WedgeOutput]:
        text = "".join(self._chars)
        self.reset()
        return [WedgeOutput("typed", text)] if text else []

    def _burst(self) -> list[WedgeOutput]:
        text = "".join(self._chars)
        self.reset()
        try:
            payload = EcardPayload(text)
        except EcardError:
            # Fast, long, but not a scanner's output (e.g. a key held down): typing.
            return [WedgeOutput("typed", text)]
        log.info("e-card payload scanned (%d characters)", len(text))
        return [WedgeOutput("burst", payload=payload)]

    def feed(self, timestamp: float, char: str) -> list[WedgeOutput]:
        """One keystroke (a single character; ``\\r`` or ``\\n`` for Enter)."""
        if len(char) != 1:
            raise ValueError("feed one character at a time")
        out: list[WedgeOutput] = []
        if self._last is not None and timestamp - self._last > self.max_gap:
            # The run broke off: what was held is settled first.
            out.extend(self._settle())
        if char in TERMINATORS:
            if (
                self._chars
                and len(self._chars) >= self.min_length
                and (self._last is not None and timestamp - self._last <= self.max_gap)
            ):
                decided = self._burst()
                if decided[0].kind == "burst":
                    return out + decided
                # Not a payload after all: the Enter belongs to the typing too.
                return [*out, *decided, WedgeOutput("typed", char)]
            out.extend(self._release())
            out.append(WedgeOutput("typed", char))
            return out
        self._chars.append(char)
        self._last = timestamp
        return out

    def _settle(self) -> list[WedgeOutput]:
        if not self.require_terminator and len(self._chars) >= self.min_length:
            return self._burst()
        return self._release()

    def poll(self, now: float) -> list[WedgeOutput]:
        """Release held keystrokes once ``max_gap`` has passed without another one."""
        if self._last is not None and now - self._last > self.max_gap:
            return self._settle()
        return []


@dataclass(frozen=True)
class EcardPerson:
    """Central's answer to an e-card: the lookup answer, plus the card's ID number and card
    number when central gives them (the case needs them, see docs/card.md)."""

    person_ref: str
    name: str
    birth_date: date
    card_status: str
    ssn: str | None = field(default=None, repr=False)
    card_no: str | None = None

    def __repr__(self) -> str:
        return f"EcardPerson(person_ref={self.person_ref!r}, card_status={self.card_status!r})"


def _person_from(body: dict[str, Any]) -> EcardPerson:
    lookup = PersonLookupResponse.model_validate(
        {k: body.get(k) for k in ("person_ref", "name", "birth_date", "card_status")}
    )
    ssn, card_no = body.get("ssn"), body.get("card_no")
    return EcardPerson(
        person_ref=lookup.person_ref,
        name=lookup.name,
        birth_date=lookup.birth_date,
        card_status=lookup.card_status,
        ssn=ssn if isinstance(ssn, str) and ssn else None,
        card_no=card_no if isinstance(card_no, str) and card_no else None,
    )


def verify_ecard(client: CentralClient, token: str, payload: EcardPayload) -> EcardPerson:
    """``POST /v1/ecard/verify`` with ``{"payload": ...}``; the person, as for a card lookup.

    Raises the central client's errors (``CentralUnavailableError``, ``CentralAuthError``,
    ``CentralError("bad_response")``) and ``EcardError("ecard_rejected")`` when central
    refuses the payload (403/404/409/410/422: expired, unknown, used; ``reason`` = central's
    code). The payload goes into the request body only.
    """
    # CentralClient's JSON call: TLS, timeouts, errors and logging as for every other call.
    body = json.dumps({"payload": payload.value}).encode("utf-8")
    try:
        data = client.call_json("POST", ECARD_VERIFY_PATH, token=token, body=body)
    except CentralRejectedError as exc:
        log.info("e-card refused by central: %s", exc.code)
        raise EcardError("ecard_rejected", f"central refused the e-card: {exc.code}",
                         reason=exc.code) from None  # fmt: skip
    try:
        if not isinstance(data, dict):
            raise ValueError("not an object")
        person = _person_from(data)
    except (ValueError, ValidationError) as exc:
        raise CentralError("bad_response", "central's e-card answer is not a person") from exc
    log.info("e-card verified (card status %s)", person.card_status)
    return person
