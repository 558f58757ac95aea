"""The electronic social security card at the desk: telling a keyboard-wedge scanner's burst
from typing, and keeping the payload opaque."""

from __future__ import annotations

import logging

import pytest

from desktop.ecard import EcardError, EcardPayload, KeyboardWedgeDetector, check_payload

PAYLOAD = "HC1:ecard-3f9A7b2C0d4E5f6A7b8C9d0E1f2A3b4C5d6E7f8A9b0C1d2E3f4A5b6"


def type_text(detector, text, *, start=0.0, gap=0.01):
    """Feed ``text`` with ``gap`` seconds between keys; every decision, and the last time."""
    out = []
    now = start
    for char in text:
        out.extend(detector.feed(now, char))
        now += gap
    return out, now - gap


def test_a_scanner_burst_ending_in_enter_is_a_payload():
    detector = KeyboardWedgeDetector()
    out, _ = type_text(detector, PAYLOAD + "\r", gap=0.004)
    assert [o.kind for o in out] == ["burst"]
    assert out[0].payload.value == PAYLOAD and out[0].text == ""
    assert not detector.pending


def test_a_person_typing_is_handed_back_unchanged():
    detector = KeyboardWedgeDetector()
    out, last = type_text(detector, "张三 110105", gap=0.12)
    out += detector.poll(last + 0.2)
    assert all(o.kind == "typed" for o in out)
    assert "".join(o.text for o in out) == "张三 110105"
    # Enter after slow typing is typing too, in order.
    out, _ = type_text(detector, "12\n", start=10.0, gap=0.2)
    assert "".join(o.text for o in out) == "12\n"


def test_fast_but_short_runs_are_typing():
    detector = KeyboardWedgeDetector(min_length=16)
    out, _ = type_text(detector, "abc123\r", gap=0.005)
    assert [o.kind for o in out] == ["typed", "typed"]
    assert "".join(o.text for o in out) == "abc123\r"


def test_a_pause_inside_a_burst_breaks_it():
    detector = KeyboardWedgeDetector()
    out, last = type_text(detector, PAYLOAD[:-10], gap=0.005)
    more, _ = type_text(detector, PAYLOAD[-10:] + "\r", start=last + 0.3, gap=0.005)
    out += more
    assert all(o.kind == "typed" for o in out)
    assert "".join(o.text for o in out) == PAYLOAD + "\r"


def test_typing_then_a_scan():
    detector = KeyboardWedgeDetector()
    out, last = type_text(detector, "ab", gap=0.2)
    more, _ = type_text(detector, PAYLOAD + "\n", start=last + 0.5, gap=0.003)
    out += more
    assert [o.kind for o in out] == ["typed", "typed", "burst"]
    assert out[-1].payload.value == PAYLOAD


def test_scanners_without_a_terminator():
    detector = KeyboardWedgeDetector(require_terminator=False)
    out, last = type_text(detector, PAYLOAD, gap=0.004)
    assert out == [] and detector.pending
    assert detector.poll(last + 0.01) == []  # still within the gap
    (burst,) = detector.poll(last + 0.1)
    assert burst.kind == "burst" and burst.payload.value == PAYLOAD


def test_a_held_key_is_not_a_payload():
    detector = KeyboardWedgeDetector()
    out, _ = type_text(detector, "a" * 20 + " " * 5 + "\r", gap=0.003)
    assert [o.kind for o in out] == ["typed", "typed"]
    assert "".join(o.text for o in out) == "a" * 20 + " " * 5 + "\r"


def test_feed_takes_single_characters_and_settings_are_checked():
    detector = KeyboardWedgeDetector()
    with pytest.raises(ValueError):
        detector.feed(0.0, "ab")
    with pytest.raises(ValueError):
        KeyboardWedgeDetector(max_gap=0)
    detector.feed(0.0, "x")
    detector.reset()
    assert not detector.pending and detector.poll(10.0) == []


def test_payload_is_opaque_and_never_logged(caplog):
    caplog.set_level(logging.DEBUG)
    payload = EcardPayload.from_paste(f"  {PAYLOAD}\r\n")
    assert payload.value == PAYLOAD
    assert PAYLOAD not in repr(payload) and PAYLOAD not in str(payload)
    detector = KeyboardWedgeDetector()
    out, _ = type_text(detector, PAYLOAD + "\r", gap=0.004)
    assert PAYLOAD not in repr(out)
    assert PAYLOAD not in caplog.text


@pytest.mark.parametrize("bad", ["", "a b", "tab\there", "x" * 5000, "nul\x00"])
def test_payload_checks(bad):
    with pytest.raises(EcardError) as info:
        check_payload(bad)
    assert info.value.code == "ecard_payload_invalid"
