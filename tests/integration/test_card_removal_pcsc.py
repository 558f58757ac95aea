"""Cards that leave, or misbehave, in the middle of an exchange, on the real PC/SC stack (pcscd,
the vpcd driver, our emulator), and what ``card read`` and ``card watch`` make of them.

The card leaves at a chosen point: after it answered its n-th command (pcscd's next transmit
then fails with ``SCARD_E_NOT_TRANSACTED`` while the reader still shows the card until its next
poll), or when its n-th command arrives, unanswered (vpcd then gives an answer without a status
word). A card that stays in the reader but answers garbage must not pass for a removed one.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pcsc_support import VPCD_SLOTS, CardWatch, card_profile

from devices.card.emulator import CardEmulator, load_profile
from devices.card.errors import CardError
from devices.card.pcsc import PcscCardReader

pytestmark = pytest.mark.pcsc

SLOT = 35964
READER = VPCD_SLOTS[SLOT]
REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 60


class LeavingCard(CardEmulator):
    """A card taken out right after it answered its ``leave_after``-th command from arming."""

    link = None
    leave_at: int | None = None

    def leave_after(self, commands: int) -> None:
        self.leave_at = self.commands + commands

    def process(self, apdu: bytes) -> bytes:
        response = super().process(apdu)
        if self.leave_at is not None and self.commands == self.leave_at:
            self.leave_at = None
            self.link.remove()  # the socket closes before pcscd sends the next command
        return response


class GarbledCard(CardEmulator):
    """A card that stays in the reader but answers READ RECORD with one byte."""

    def process(self, apdu: bytes) -> bytes:
        response = super().process(apdu)
        return response[:1] if apdu[1] == 0xB2 else response


def attach(vpcd, card: CardEmulator):
    link = vpcd.attach(card, SLOT)
    card.link = link
    return link


def read_card() -> CardError | dict:
    reader = PcscCardReader(READER)
    try:
        with reader.connect() as connection:
            return connection.card().read_record().to_json()
    except CardError as exc:
        return exc
    finally:
        reader.close()


def wait_commands(card: CardEmulator, more: int) -> None:
    """Wait until ``card`` has answered ``more`` further commands."""
    target = card.commands + more
    deadline = time.monotonic() + TIMEOUT
    while card.commands < target:
        assert time.monotonic() < deadline, f"the card answered {card.commands} of {target}"
        time.sleep(0.05)


def cli(*argv: str) -> list[str]:
    return [sys.executable, "-m", "ui.cli", *argv]


def run_cli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(cli(*argv), capture_output=True, text=True, timeout=TIMEOUT, cwd=REPO)


@pytest.mark.parametrize("answered", [1, 7])
def test_a_card_pulled_after_an_answer_is_card_removed(vpcd, answered):
    card = LeavingCard(load_profile(card_profile("c01")))
    link = attach(vpcd, card)
    card.leave_after(answered)
    outcome = read_card()
    assert isinstance(outcome, CardError), outcome
    assert outcome.code == "card_removed", outcome
    assert link.wait_removed(TIMEOUT)


def test_a_card_pulled_while_its_command_is_on_the_way_is_card_removed(vpcd):
    link = attach(vpcd, CardEmulator(load_profile(card_profile("c01"))))
    link.pull_after(5)
    outcome = read_card()
    assert isinstance(outcome, CardError) and outcome.code == "card_removed", outcome
    assert [e["event"] for e in vpcd.events[SLOT]][-2:] == ["pulled", "removed"]


def test_a_card_answering_garbage_is_not_taken_for_removed(vpcd):
    link = attach(vpcd, GarbledCard(load_profile(card_profile("c01"))))
    outcome = read_card()
    assert isinstance(outcome, CardError), outcome
    assert outcome.code == "bad_response", outcome
    assert link.inserted


def test_card_read_says_the_card_was_removed(vpcd):
    card = LeavingCard(load_profile(card_profile("c04")))
    attach(vpcd, card)
    card.leave_after(4)
    result = run_cli("card", "read", "--reader", READER, "--json")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("hall-counter card read: the card was removed"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_card_read_pin_card_pulled_during_verify_exits_3(vpcd):
    link = attach(vpcd, CardEmulator(load_profile(card_profile("c01"))))
    link.pull_on_next_verify()
    result = run_cli("card", "read", "--reader", READER, "--json", "--pin", "123456")
    assert result.returncode == 3, result.stderr
    assert json.loads(result.stdout)["pin_result"] == "card_removed"
    assert "taken out during the PIN check" in result.stderr
    assert link.emulator.tries_left == 3


def test_card_watch_reports_every_card_after_an_unreadable_one(vpcd):
    unreadable = load_profile(card_profile("c01"))
    unreadable["raw_records"] = {"ef06": {"09": "FFFE8130D5C5"}}  # a name that is not GBK
    bad = CardEmulator(unreadable)
    link = vpcd.attach(bad, SLOT)
    watch = CardWatch("--reader", READER, timeout=TIMEOUT)
    try:
        assert watch.next_event("card_error")["code"] == "bad_record"
        # The watch keeps looking at the unreadable card (more than one whole read's worth of
        # commands), without reporting it again.
        wait_commands(bad, 12)
        # Swaps faster than the reader's poll: only the idle identity check can see them.
        link.swap(CardEmulator.from_file(card_profile("c02")))
        assert watch.next_event("card_inserted")["card_no"] == "A******29"
        link.swap(CardEmulator.from_file(card_profile("c03")))
        watch.next_event("card_swapped")
        assert watch.next_event("card_inserted")["card_no"] == "A******37"
    finally:
        code = watch.stop()
    assert code == 0, watch.stderr
    assert [e["event"] for e in watch.events].count("card_error") == 1
