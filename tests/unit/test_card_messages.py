"""Every card code the clerk's window can receive has a sentence of its own, in Chinese and
English: the card layer's error codes (``devices.card.errors.CODES``), the PC/SC health codes
(``devices.card.health``), the reader states of ``CardService`` and the PIN results."""

from __future__ import annotations

import re
import typing

import pytest

from desktop import card_service
from devices.card import errors, health, record
from devices.card.record import PinResult
from ui.qt import catalogues, messages

CJK = re.compile(r"[\u4e00-\u9fff]")
HEALTH_CODES = sorted(
    value
    for name, value in vars(health).items()
    if name.isupper() and isinstance(value, str) and value in health.DETAILS
)
READER_STATES = sorted({card_service.READER_READY, *card_service._READER_STATES})
PIN_STATUSES = typing.get_args(PinResult.__annotations__["status"]) or (
    "ok",
    "wrong",
    "blocked",
    "card_removed",
    "unknown",
)


def unknown_card_code(code: str) -> str:
    return messages.card_error_text("zz_none").replace("zz_none", code)


def unknown_desk_code(code: str) -> str:
    error = type("Error", (Exception,), {})()
    error.code = "zz_none"
    return messages.error_text(error).replace("zz_none", code)


@pytest.fixture(scope="module")
def chinese() -> dict[str, str]:
    """English source -> Chinese translation, from the zh_CN catalogue."""
    rows = catalogues.messages(catalogues.catalogue_file("zh_CN", ".ts"))
    return {source: text for _context, source, text, _state in rows}


def assert_translated(text: str, chinese: dict[str, str], code: str, generic=None) -> None:
    """``text`` is a sentence of its own (not ``generic(code)``, the fallback for codes the UI
    does not know) and the Chinese catalogue translates it."""
    assert text, code
    if generic is not None:
        assert text != generic(code), f"{code}: only the generic sentence ({text!r})"
    translated = chinese.get(text)
    if translated is None:
        # A sentence with its placeholders filled in: its template (the most specific one).
        best = -1
        for source, target in chinese.items():
            pattern = re.sub(r"\\\{\w+\\\}", ".+", re.escape(source))
            literal = len(re.sub(r"\{\w+\}", "", source))
            if "{" in source and literal > best and re.fullmatch(pattern, text):
                translated, best = target, literal
    assert translated and CJK.search(translated), f"{code}: no Chinese for {text!r}"


def test_the_codes_are_found():
    # The enumeration itself must see the codes (a renamed constant would hide them).
    assert {"pin_blocked", "card_removed", "pinpad_timeout", "no_such_reader"} <= set(errors.CODES)
    assert {"ok", "pcsc_unavailable", "reader_driver_missing", "pcsc_error"} <= set(HEALTH_CODES)
    assert "driver_unavailable" in READER_STATES


@pytest.mark.parametrize("code", sorted(errors.CODES))
def test_every_card_error_code_has_a_message(chinese, code):
    assert messages.card_error_known(code)
    assert_translated(messages.card_error_text(code), chinese, code, generic=unknown_card_code)
    # The same sentence reaches the clerk when it comes wrapped in a Desk error.
    wrapped = type("DeskError", (Exception,), {})()
    wrapped.code, wrapped.fields = "card_error", {"card_code": code}
    assert messages.error_text(wrapped) == messages.card_error_text(code)


@pytest.mark.parametrize("code", HEALTH_CODES)
def test_every_health_code_has_a_message(chinese, code):
    assert_translated(messages.health_text(code), chinese, code, generic=unknown_card_code)


@pytest.mark.parametrize("state", READER_STATES)
def test_every_reader_state_has_a_message(chinese, state):
    assert_translated(
        messages.reader_state_text(state),
        chinese,
        state,
        generic=lambda code: messages.reader_state_text("zz_none").replace("zz_none", code),
    )


@pytest.mark.parametrize("status", PIN_STATUSES)
def test_every_pin_result_has_a_message(chinese, status):
    # "unknown" is the catch-all sentence itself; the others each have their own.
    text = messages.pin_result_text(status, 2)
    if status != "unknown":
        assert text != messages.pin_result_text("unknown", 2), status
    assert_translated(text, chinese, status)


def test_status_words_and_notes(chinese):
    text = messages.card_error_text("sw_6a81")
    assert "6A81" in text
    for text, code in (
        (messages.card_ignored_text("{reader}"), "card_ignored"),
        (messages.card_swapped_text(), "card_swapped"),
        (messages.multiple_cards_text(), "multiple_cards"),
        (messages.pinpad_prompt_text(), "pinpad_prompt"),
        (messages.tries_left_text(None), "tries_unknown"),
    ):
        assert_translated(text, chinese, code)


@pytest.mark.parametrize(
    "code",
    ["ecard_payload_invalid", "ecard_rejected", "ecard_expired", "ecard_unknown", "ecard_used"],
)
def test_ecard_codes_have_messages(chinese, code):
    error = type("EcardError", (Exception,), {})()
    error.code = code
    assert_translated(messages.error_text(error), chinese, code, generic=unknown_desk_code)


@pytest.mark.parametrize("code", sorted(record.WARNINGS))
def test_every_card_data_warning_has_a_message(chinese, code):
    generic = lambda c: messages.card_warning_text("zz_none").replace("zz_none", c)  # noqa: E731
    assert_translated(messages.card_warning_text(code), chinese, code, generic=generic)
