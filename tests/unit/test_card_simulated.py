"""The simulated reader: insert, remove, swap, pull, and prompt change notification."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from devices.card.errors import CardError, CardRemovedError
from devices.card.simulated import SimulatedCardReader

REPO = Path(__file__).resolve().parents[2]
C01 = REPO / "resources" / "cards" / "c01.json"
C02 = REPO / "resources" / "cards" / "c02.json"


def test_empty_reader():
    reader = SimulatedCardReader()
    assert reader.readers() == ["Simulated Reader 00"]
    assert not reader.card_present()
    with pytest.raises(CardError) as info:
        reader.connect()
    assert info.value.code == "card_absent"


def test_insert_read_remove():
    reader = SimulatedCardReader()
    reader.insert(C01)
    assert reader.card_present()
    with reader.connect() as connection:
        record = connection.card().read_record()
    assert record.card_no == "A10000011" and record.reader == "Simulated Reader 00"
    reader.remove()
    assert not reader.card_present()


def test_insert_cycles_through_the_profile_list():
    reader = SimulatedCardReader([C01, C02])
    assert reader.insert().identity[1] == "A10000011"
    assert reader.insert().identity[1] == "A10000029"
    assert reader.insert().identity[1] == "A10000011"
    with pytest.raises(ValueError):
        SimulatedCardReader().insert()


def test_wait_for_change_reports_insert_and_remove():
    reader = SimulatedCardReader()
    assert not reader.wait_for_change(0)
    reader.insert(C01)
    assert reader.wait_for_change(0)
    assert not reader.wait_for_change(0)
    reader.remove()
    assert reader.wait_for_change(0)
    # Remove and insert between two calls still counts as a change.
    reader.insert(C01)
    reader.remove()
    reader.insert(C02)
    assert reader.wait_for_change(0)


def test_wait_for_change_wakes_on_insert_from_another_thread():
    reader = SimulatedCardReader()
    result = []
    started = threading.Event()

    def waiter():
        started.set()
        result.append(reader.wait_for_change(30))

    thread = threading.Thread(target=waiter)
    thread.start()
    started.wait(5)
    reader.insert(C01)
    thread.join(10)
    assert not thread.is_alive()
    assert result == [True]


def test_cancel_wait_returns_false():
    reader = SimulatedCardReader()
    result = []
    thread = threading.Thread(target=lambda: result.append(reader.wait_for_change(30)))
    thread.start()
    reader.cancel_wait()
    thread.join(10)
    assert not thread.is_alive() and result == [False]


def test_connection_fails_after_removal():
    reader = SimulatedCardReader()
    reader.insert(C01)
    connection = reader.connect()
    card = connection.card()
    card.select()
    reader.remove()
    with pytest.raises(CardRemovedError):
        card.read_identity()
    reader.insert(C01)  # the same card back: the old session is still gone
    with pytest.raises(CardRemovedError):
        card.read_identity()


def test_silent_swap_is_invisible_but_talks_to_the_new_card():
    reader = SimulatedCardReader()
    reader.insert(C01)
    assert reader.wait_for_change(0)
    connection = reader.connect()
    card = connection.card()
    assert card.read_identity()[1] == "A10000011"
    reader.swap(C02)
    assert not reader.wait_for_change(0)
    card.select()  # the new card was powered on: select again
    assert card.read_identity()[1] == "A10000029"
    reader.swap(C01, visible=True)
    assert reader.wait_for_change(0)


def test_pull_on_next_verify():
    reader = SimulatedCardReader()
    emulator = reader.insert(C01)
    reader.pull_on_next_verify()
    with reader.connect() as connection:
        card = connection.card()
        assert card.pin_tries_left() == 3  # the query is not a VERIFY with a PIN
        result = card.verify_pin("123456")
    assert result.status == "card_removed"
    assert not reader.card_present()
    assert emulator.tries_left == 3


def test_disconnect_with_reset_clears_verification():
    reader = SimulatedCardReader()
    reader.insert(C02)
    connection = reader.connect()
    card = connection.card()
    assert card.verify_pin("654321").status == "ok"
    assert card.pin_tries_left() is None  # verified
    connection.disconnect(reset=True)
    with reader.connect() as connection:
        assert connection.card().pin_tries_left() == 3
