"""CardService on the simulated reader: events, jobs on the card thread, swaps, stop."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from desktop.card_service import CardService, PinState
from devices.card.errors import CardError, CardReaderError
from devices.card.record import PinResult
from devices.card.simulated import SimulatedCardReader

REPO = Path(__file__).resolve().parents[2]
C01 = REPO / "resources" / "cards" / "c01.json"
C02 = REPO / "resources" / "cards" / "c02.json"
DATA = REPO / "tests" / "data" / "cards"
BAD = DATA / "bad_date.json"
FOREIGN = DATA / "foreign.json"
TIMEOUT = 10


class Recorder:
    """Collects listener calls (with the calling thread's name)."""

    def __init__(self) -> None:
        self.events: list[tuple] = []
        self.threads: set[str] = set()
        self._cond = threading.Condition()

    def _add(self, *event) -> None:
        with self._cond:
            self.events.append(event)
            self.threads.add(threading.current_thread().name)
            self._cond.notify_all()

    def on_card_inserted(self, record):
        self._add("inserted", record.card_no)

    def on_card_removed(self):
        self._add("removed")

    def on_card_error(self, error):
        self._add("error", error.code)

    def on_reader_state(self, state, detail):
        self._add("reader", state)

    def on_card_swapped(self):
        self._add("swapped")

    def on_card_ignored(self, reader):
        self._add("ignored", reader)

    def on_pinpad_prompt(self, reader, active):
        self._add("pinpad", active)

    def wait_for(self, *event, count: int = 1) -> None:
        with self._cond:
            ok = self._cond.wait_for(lambda: self.events.count(event) >= count, TIMEOUT)
        assert ok, f"no {event} in {self.events}"

    def card_events(self) -> list[tuple]:
        with self._cond:
            return [e for e in self.events if e[0] != "reader"]


@pytest.fixture
def reader():
    return SimulatedCardReader()


@pytest.fixture
def service(reader):
    recorder = Recorder()
    service = CardService(lambda: reader, poll_interval=0.2)
    service.add_listener(recorder)
    service.recorder = recorder
    service.start()
    recorder.wait_for("reader", "ready")
    yield service
    service.stop()
    assert not service.running


def test_insert_and_remove_events(service, reader):
    recorder = service.recorder
    reader.insert(C01)
    recorder.wait_for("inserted", "A10000011")
    assert service.current_record.card_no == "A10000011"
    reader.remove()
    recorder.wait_for("removed")
    assert service.current_record is None
    reader.insert(C02)
    recorder.wait_for("inserted", "A10000029")
    assert recorder.card_events() == [
        ("inserted", "A10000011"),
        ("removed",),
        ("inserted", "A10000029"),
    ]
    assert recorder.threads == {"card"}


def test_card_present_at_start_is_read(reader):
    reader.insert(C02)
    recorder = Recorder()
    service = CardService(lambda: reader)
    service.add_listener(recorder)
    service.start()
    try:
        recorder.wait_for("inserted", "A10000029")
    finally:
        service.stop()


def test_jobs_return_futures(service, reader):
    reader.insert(C02)
    service.recorder.wait_for("inserted", "A10000029")
    record = service.read_card().result(TIMEOUT)
    assert record.name == "李秀兰"
    assert service.pin_tries_left().result(TIMEOUT) == 3
    assert service.verify_pin("000000").result(TIMEOUT) == PinResult("wrong", 2)
    assert service.pin_tries_left().result(TIMEOUT) == 2
    assert service.verify_pin("654321").result(TIMEOUT) == PinResult("ok", None)
    # The card was reset after VERIFY: the tries query works again (no lingering 9000).
    assert service.pin_tries_left().result(TIMEOUT) == 3
    assert service.reread_identity().result(TIMEOUT) == record.identity
    # A second read of the same card is no new insertion.
    assert service.recorder.card_events() == [("inserted", "A10000029")]


def test_jobs_without_a_card(service):
    with pytest.raises(CardError) as info:
        service.read_card().result(TIMEOUT)
    assert info.value.code == "card_absent"
    with pytest.raises(CardError) as info:
        service.verify_pin("123456").result(TIMEOUT)
    assert info.value.code == "no_card_read"


def test_verify_refuses_a_swapped_card(service, reader):
    recorder = service.recorder
    reader.insert(C01)
    recorder.wait_for("inserted", "A10000011")
    emulator = reader.swap(C02)  # faster than any poll: no event
    with pytest.raises(CardError) as info:
        service.verify_pin("654321").result(TIMEOUT)
    assert info.value.code == "card_changed"
    assert emulator.tries_left == 3  # the PIN never reached the other card
    recorder.wait_for("inserted", "A10000029")
    assert recorder.card_events() == [
        ("inserted", "A10000011"),
        ("swapped",),
        ("removed",),
        ("inserted", "A10000029"),
    ]
    assert service.verify_pin("654321").result(TIMEOUT).status == "ok"


def test_reread_identity_finds_a_swap(service, reader):
    reader.insert(C01)
    service.recorder.wait_for("inserted", "A10000011")
    reader.swap(C02)
    assert service.reread_identity().result(TIMEOUT)[1] == "A10000029"
    service.recorder.wait_for("inserted", "A10000029")


def test_idle_identity_check_finds_a_swap(reader):
    recorder = Recorder()
    service = CardService(lambda: reader, poll_interval=0.1, identity_check_interval=0.2)
    service.add_listener(recorder)
    service.start()
    try:
        reader.insert(C01)
        recorder.wait_for("inserted", "A10000011")
        reader.swap(C02)
        recorder.wait_for("inserted", "A10000029")
        recorder.wait_for("removed")
    finally:
        service.stop()


def test_card_pulled_during_verify(service, reader):
    recorder = service.recorder
    emulator = reader.insert(C01)
    recorder.wait_for("inserted", "A10000011")
    reader.pull_on_next_verify()
    assert service.verify_pin("123456").result(TIMEOUT) == PinResult("card_removed", None)
    recorder.wait_for("removed")
    assert emulator.tries_left == 3


def test_unreadable_card_is_reported(service, reader):
    reader.insert(BAD)
    service.recorder.wait_for("error", "bad_record")
    assert service.current_record is None
    reader.remove()
    reader.insert(C01)
    service.recorder.wait_for("inserted", "A10000011")


def test_listener_errors_do_not_stop_the_thread(service, reader):
    class Broken:
        def on_card_inserted(self, record):
            raise RuntimeError("listener bug")

    service.add_listener(Broken())
    reader.insert(C01)
    service.recorder.wait_for("inserted", "A10000011")
    assert service.read_card().result(TIMEOUT).card_no == "A10000011"


def test_reader_calls_only_on_the_card_thread():
    calls: set[str] = set()

    class Watching(SimulatedCardReader):
        def __getattribute__(self, name):
            if name in ("readers", "wait_for_change", "card_present", "connect", "close"):
                calls.add(threading.current_thread().name)
            return super().__getattribute__(name)

    watched = Watching()
    service = CardService(lambda: watched, thread_name="card")
    service.start()
    try:
        watched.insert(C01)
        assert service.read_card().result(TIMEOUT).card_no == "A10000011"
        service.verify_pin("123456").result(TIMEOUT)
    finally:
        service.stop()
    assert calls == {"card"}


def test_unavailable_service_is_reported_and_retried():
    attempts = []
    reader = SimulatedCardReader()

    def factory():
        attempts.append(1)
        if len(attempts) < 3:
            raise CardReaderError("pcsc_unavailable", "PC/SC service not running")
        return reader

    recorder = Recorder()
    service = CardService(factory, retry_interval=0.05)
    service.add_listener(recorder)
    service.start()
    try:
        recorder.wait_for("reader", "pcsc_unavailable")
        recorder.wait_for("reader", "ready")
        with_card = reader.insert(C01)
        recorder.wait_for("inserted", "A10000011")
        assert with_card is reader.emulator
    finally:
        service.stop()
    states = [e[1] for e in recorder.events if e[0] == "reader"]
    assert states[:2] == ["pcsc_unavailable", "ready"]


def test_jobs_fail_while_the_service_is_unavailable():
    def factory():
        raise CardReaderError("pcsc_unavailable", "PC/SC service not running")

    service = CardService(factory, retry_interval=30)
    service.start()
    try:
        with pytest.raises(CardReaderError) as info:
            service.read_card().result(TIMEOUT)
        assert info.value.code == "pcsc_unavailable"
    finally:
        service.stop()


def test_stop_is_prompt_and_fails_later_jobs(reader):
    service = CardService(lambda: reader, poll_interval=60)
    service.start()
    service.read_card()  # runs or fails; either way the thread is serving
    service.stop()
    assert not service.running
    future = service.read_card()
    with pytest.raises(CardError) as info:
        future.result(TIMEOUT)
    assert info.value.code == "service_stopped"


# -- hot-plug, PIN safety, services ------------------------------------------------------------


def test_reinserted_between_two_polls_is_a_new_session(service, reader):
    recorder = service.recorder
    reader.insert(C01)
    recorder.wait_for("inserted", "A10000011")
    # Out and back in at once: no poll saw the empty reader, the event counter moved by 2.
    reader.insert(C01)
    recorder.wait_for("inserted", "A10000011", count=2)
    assert recorder.card_events() == [
        ("inserted", "A10000011"),
        ("removed",),
        ("inserted", "A10000011"),
    ]


def test_a_quick_swap_is_announced(reader):
    recorder = Recorder()
    service = CardService(lambda: reader, poll_interval=0.1, identity_check_interval=0.2)
    service.add_listener(recorder)
    service.start()
    try:
        reader.insert(C01)
        recorder.wait_for("inserted", "A10000011")
        reader.swap(C02)
        recorder.wait_for("inserted", "A10000029")
    finally:
        service.stop()
    assert recorder.card_events() == [
        ("inserted", "A10000011"),
        ("swapped",),
        ("removed",),
        ("inserted", "A10000029"),
    ]


def test_a_foreign_card_is_ignored_quietly(service, reader):
    recorder = service.recorder
    reader.insert(FOREIGN)
    recorder.wait_for("ignored", reader.name)
    assert service.current_record is None
    reader.remove()
    reader.insert(C01)
    recorder.wait_for("inserted", "A10000011")
    assert recorder.card_events() == [("ignored", reader.name), ("inserted", "A10000011")]


@pytest.mark.parametrize(
    ("profile", "state"),
    [
        (C02, PinState(3, blocked=False, pinpad=False)),
        (DATA / "blocked.json", PinState(0, blocked=True, pinpad=False)),
        (DATA / "no_tries_query.json", PinState(None, blocked=False, pinpad=False)),
    ],
    ids=["tries", "blocked", "unknown"],
)
def test_pin_state_before_the_prompt(service, reader, profile, state):
    emulator = reader.insert(profile)
    service.recorder.wait_for("inserted", emulator.identity[1])
    assert service.pin_state().result(TIMEOUT) == state
    assert emulator.tries_left == emulator.profile["pin_tries_left"]  # no try spent


def test_pin_state_of_a_locked_or_swapped_card(service, reader):
    reader.insert(DATA / "locked.json")
    service.recorder.wait_for("inserted", "A20000027")
    with pytest.raises(CardError) as info:
        service.pin_state().result(TIMEOUT)
    assert info.value.code == "app_locked"
    reader.swap(C01)
    with pytest.raises(CardError) as info:
        service.pin_state().result(TIMEOUT)
    assert info.value.code == "card_changed"


def test_change_pin_service(service, reader):
    emulator = reader.insert(C02)
    service.recorder.wait_for("inserted", "A10000029")
    assert service.change_pin("000000", "112233").result(TIMEOUT) == PinResult("wrong", 2)
    assert service.change_pin("654321", "112233").result(TIMEOUT) == PinResult("ok", None)
    assert emulator.pin == "112233"
    assert service.verify_pin("112233").result(TIMEOUT) == PinResult("ok", None)
    with pytest.raises(CardError) as info:
        service.change_pin("112233", "12").result(TIMEOUT)
    assert info.value.code == "pin_format"


def test_no_pinpad_on_the_simulated_reader(service, reader):
    emulator = reader.insert(C01)
    service.recorder.wait_for("inserted", "A10000011")
    with pytest.raises(CardError) as info:
        service.verify_pin_on_pinpad().result(TIMEOUT)
    assert info.value.code == "no_pinpad"
    assert emulator.tries_left == 3
    assert ("pinpad", True) not in service.recorder.events


def test_choose_reader(service, reader):
    reader.insert(C01)
    service.recorder.wait_for("inserted", "A10000011")
    assert service.choose_reader(reader.name).result(TIMEOUT).card_no == "A10000011"
    with pytest.raises(CardError) as info:
        service.choose_reader("No Such Reader").result(TIMEOUT)
    assert info.value.code == "no_such_reader"


def test_no_reader_tells_a_missing_driver():
    class NoReaders(SimulatedCardReader):
        """A backend that lists no reader (PC/SC with nothing plugged in)."""

        def readers(self):
            return []

    recorder = Recorder()
    service = CardService(NoReaders, no_reader_cause=lambda: "reader_driver_missing")
    service.add_listener(recorder)
    service.start()
    try:
        recorder.wait_for("reader", "reader_driver_missing")
    finally:
        service.stop()


# A card whose identity cannot be read either (a card number of 8 characters).
NO_IDENTITY = {"protocol": "T1", "raw_records": {"ef05": {"07": "4132303030303030"}}}


def watching_service(reader) -> tuple[CardService, Recorder]:
    """A started service with the idle identity check of ``card watch``, quick."""
    recorder = Recorder()
    service = CardService(lambda: reader, poll_interval=0.1, identity_check_interval=0.2)
    service.add_listener(recorder)
    service.start()
    return service, recorder


def wait_commands(emulator, more: int) -> None:
    """Wait until the card has answered ``more`` further commands (the service keeps
    looking at it)."""
    target = emulator.commands + more
    deadline = time.monotonic() + TIMEOUT
    while emulator.commands < target:
        assert time.monotonic() < deadline, f"the card answered {emulator.commands} of {target}"
        time.sleep(0.01)


@pytest.mark.parametrize("unreadable", [BAD, NO_IDENTITY], ids=["identity_known", "no_identity"])
def test_quick_swaps_after_an_unreadable_card_are_reported(reader, unreadable):
    service, recorder = watching_service(reader)
    try:
        bad = reader.insert(unreadable)
        recorder.wait_for("error", "bad_record")
        # The service keeps checking the unreadable card, without reporting it again.
        wait_commands(bad, 9)
        assert recorder.card_events() == [("error", "bad_record")]
        # Swaps faster than any poll: no reader event, only the identity check sees them.
        reader.swap(C01)
        recorder.wait_for("inserted", "A10000011")
        reader.swap(C02)
        recorder.wait_for("inserted", "A10000029")
    finally:
        service.stop()
    assert recorder.card_events() == [
        ("error", "bad_record"),
        ("inserted", "A10000011"),
        ("swapped",),
        ("removed",),
        ("inserted", "A10000029"),
    ]


def test_a_swap_between_two_unreadable_cards_is_reported(reader):
    service, recorder = watching_service(reader)
    try:
        reader.insert(BAD)
        recorder.wait_for("error", "bad_record")
        reader.swap(NO_IDENTITY)
        recorder.wait_for("error", "bad_record", count=2)
        reader.swap(C01)
        recorder.wait_for("inserted", "A10000011")
    finally:
        service.stop()
