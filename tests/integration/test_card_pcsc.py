"""The card layer on the real PC/SC stack: pcscd, the vpcd driver and our emulator.

Every card here crosses pcscd as a real card does (~50 ms per APDU), so the tests count
exchanges and keep to a few reads each. Slots are locked per test (see tests/pcsc_support.py).
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pcsc_support import VPCD_SLOTS, CardWatch, card_profile, wait_reader_state

from desktop.card_service import CardService
from devices.card.apdu import build
from devices.card.emulator import CardEmulator, load_profile
from devices.card.errors import CardError
from devices.card.keys import TestKeyService
from devices.card.pcsc import PcscCardReader
from devices.card.record import PinResult
from devices.card.ssc import SELECT_SSSE, SSSE_NAME

pytestmark = pytest.mark.pcsc

SLOT0, SLOT1 = 35963, 35964
READER0, READER1 = VPCD_SLOTS[SLOT0], VPCD_SLOTS[SLOT1]
TIMEOUT = 20
REPO = Path(__file__).resolve().parents[2]


def expected_json(profile: dict) -> dict:
    ef05, ef06 = profile["ef05"], profile["ef06"]

    def iso(value: str) -> str:
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"

    return {
        "generation": profile["generation"],
        "card_id_code": ef05["card_id_code"],
        "card_type": ef05["card_type"],
        "version": ef05["version"],
        "init_org": ef05["init_org"],
        "issue_date": iso(ef05["issue_date"]),
        "expiry_date": iso(ef05["expiry_date"]),
        "card_no": ef05["card_no"],
        "ssn": ef06["ssn"],
        "name": ef06["name"] + (ef06.get("name_ext") or ""),
        "sex": ef06["sex"],
        "ethnicity": ef06["ethnicity"],
        "birthplace": ef06["birthplace"],
        "birth_date": iso(ef06["birth_date"]),
        "protected": [],
        "warnings": [],
    }


# -- reading over PC/SC -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "protocol"), [("c01", 1), ("c02", 2)], ids=["T0", "T1"])
def test_read_exact_over_pcsc(vpcd, name, protocol):
    path = card_profile(name)
    link = vpcd.attach(path, SLOT0)
    emulator = link.emulator
    reader = PcscCardReader(READER0)
    try:
        with reader.connect() as connection:
            assert connection.protocol == protocol  # pcscd negotiated from our ATR
            assert connection.atr == emulator.atr
            before = emulator.commands
            record = connection.card().read_record()
            exchanges = connection.channel.count
    finally:
        reader.close()
    data = record.to_json(unmasked=True)
    for key, value in expected_json(load_profile(path)).items():
        assert data[key] == value, key
    assert data["reader"] == READER0
    # A full read is 15 APDUs (SELECT + 14 READ RECORD), on T=0 as on T=1.
    assert exchanges == 15
    assert emulator.commands - before == 15


@pytest.mark.parametrize("name", ["c01", "c02"], ids=["T0", "T1"])
def test_pin_right_wrong_blocked_over_pcsc(vpcd, name):
    profile = load_profile(card_profile(name))
    pin = profile["pin"]
    vpcd.attach(card_profile(name), SLOT1)
    reader = PcscCardReader(READER1)
    try:
        with reader.connect() as connection:
            card = connection.card()
            assert card.pin_tries_left() == 3
            assert card.verify_pin("000000") == PinResult("wrong", 2)
            assert card.pin_tries_left() == 2
            assert card.verify_pin(pin) == PinResult("ok", None)
            assert card.verify_pin("000000") == PinResult("wrong", 2)
            assert card.verify_pin("000000") == PinResult("wrong", 1)
            assert card.verify_pin("000000") == PinResult("blocked", 0)
            assert card.verify_pin(pin) == PinResult("blocked", 0)
            assert card.pin_tries_left() == 0
    finally:
        reader.close()


def test_61xx_and_6cxx_over_pcsc(vpcd):
    link = vpcd.attach(card_profile("chunked_t0"), SLOT0)
    reader = PcscCardReader(READER0)
    try:
        with reader.connect() as connection:
            channel = connection.channel
            response = channel.send(SELECT_SSSE)
            assert response.ok and response.data.endswith(SSSE_NAME)
            fci = len(response.data)
            assert channel.count == 1 + -(-fci // 7)  # GET RESPONSE repeated, 7 bytes each
            before = channel.count
            response = channel.send(build(0x00, 0xB2, 0x07, 5 << 3, le=0))
            assert response.ok and response.data == b"\x07\x09A20000085"
            assert channel.count - before == 2  # 6C0B, then the resend
    finally:
        reader.close()
    assert link.emulator.commands >= 4


def test_generation_3_over_pcsc(vpcd):
    path = card_profile("gen3_t1")
    profile = load_profile(path)
    vpcd.attach(path, SLOT0)
    reader = PcscCardReader(READER0)
    try:
        with reader.connect() as connection:
            record = connection.card().read_record()
        assert record.generation == 3 and "ssn" in record.protected and record.ssn is None
        key = TestKeyService(bytes.fromhex(profile["test_key"]))
        with reader.connect() as connection:
            record = connection.card().read_record(key_service=key)
    finally:
        reader.close()
    data = record.to_json(unmasked=True)
    for key_name, value in expected_json(profile).items():
        assert data[key_name] == value, key_name


def test_card_pulled_during_verify_over_pcsc(vpcd):
    link = vpcd.attach(card_profile("c01"), SLOT0)
    emulator = link.emulator
    reader = PcscCardReader(READER0)
    try:
        with reader.connect() as connection:
            card = connection.card()
            assert card.read_identity() == emulator.identity
            link.pull_on_next_verify()
            assert card.verify_pin("123456") == PinResult("card_removed", None)
        assert link.wait_removed(TIMEOUT)
        # pcscd notices the removal at its next poll.
        while reader.card_present():
            reader.wait_for_change(1.0)
        with pytest.raises(CardError) as info:
            reader.connect()
        assert info.value.code == "card_absent"
    finally:
        reader.close()
    assert emulator.tries_left == 3  # the VERIFY never reached the card
    assert [e["event"] for e in vpcd.events[SLOT0]][-2:] == ["pulled", "removed"]


def test_reader_errors_over_pcsc(vpcd):
    vpcd.claim(SLOT1)
    reader = PcscCardReader(READER1)
    try:
        assert reader.readers() == [READER1]
        assert not reader.card_present()
        with pytest.raises(CardError) as info:
            reader.connect()
        assert info.value.code == "card_absent"
    finally:
        reader.close()
    missing = PcscCardReader("No Such Reader 99")
    try:
        assert missing.readers() == []
        with pytest.raises(CardError) as info:
            missing.connect()
        assert info.value.code == "no_reader"
    finally:
        missing.close()


def test_automatic_selection_ignores_foreign_cards(vpcd):
    vpcd.attach(card_profile("foreign"), SLOT0)
    vpcd.attach(card_profile("c02"), SLOT1)
    reader = PcscCardReader()
    try:
        assert reader.card_present()
        with reader.connect() as connection:
            assert connection.reader == READER1
            assert connection.selected  # the probe's SELECT is reused
            record = connection.card().read_record()
            assert connection.channel.count == 15
        assert record.card_no == "A10000029" and reader.name == READER1
        assert reader.ignored_readers() == [READER0]
        # The verdicts are kept per insertion: no new probe of either card.
        with reader.connect() as connection:
            assert connection.reader == READER1 and not connection.selected
    finally:
        reader.close()


def test_two_social_security_cards_need_a_choice(vpcd):
    vpcd.attach(card_profile("c01"), SLOT0)
    vpcd.attach(card_profile("c02"), SLOT1)
    reader = PcscCardReader()
    try:
        with pytest.raises(CardError) as info:
            reader.connect()
        assert info.value.code == "multiple_cards"
        assert READER0 in str(info.value) and READER1 in str(info.value)
    finally:
        reader.close()


def test_wait_for_change_sees_insert_and_remove(vpcd):
    vpcd.claim(SLOT1)
    reader = PcscCardReader(READER1)
    try:
        reader.wait_for_change(0)
        assert not reader.card_present()
        link = vpcd.attach(card_profile("c05"), SLOT1, wait=False)
        while not reader.wait_for_change(TIMEOUT):
            pass
        assert reader.card_present()
        link.remove()
        while not reader.wait_for_change(TIMEOUT):
            pass
        assert not reader.card_present()
    finally:
        reader.close()


def test_change_seen_by_a_job_is_still_reported(vpcd):
    vpcd.claim(SLOT0)
    reader = PcscCardReader(READER0)
    try:
        reader.wait_for_change(0)
        assert not reader.wait_for_change(0)
        vpcd.attach(card_profile("c01"), SLOT0)  # returns once pcscd shows the card
        with reader.connect() as connection:  # a job notices the insertion first
            assert connection.card().read_identity()[1] == "A10000011"
        assert reader.wait_for_change(0)  # the event loop still hears of it
        assert not reader.wait_for_change(0)
    finally:
        reader.close()


def test_cancel_wait_interrupts_over_pcsc(vpcd):
    vpcd.claim(SLOT1)
    reader = PcscCardReader(READER1)
    result = []
    try:
        reader.wait_for_change(0)
        # The wait runs on this thread; another thread cancels it.
        timer = threading.Timer(0.3, reader.cancel_wait)
        timer.start()
        result.append(reader.wait_for_change(60))
        timer.join()
    finally:
        reader.close()
    assert result == [False]


# -- CardService on PC/SC ---------------------------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple] = []
        self._cond = threading.Condition()

    def _add(self, *event) -> None:
        with self._cond:
            self.events.append(event)
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

    def wait_for(self, *event, count: int = 1) -> None:
        with self._cond:
            ok = self._cond.wait_for(lambda: self.events.count(event) >= count, TIMEOUT)
        assert ok, f"no {event} in {self.events}"


def test_card_service_over_pcsc(vpcd):
    vpcd.claim(SLOT1)
    recorder = Recorder()
    service = CardService(lambda: PcscCardReader(READER1), poll_interval=0.3)
    service.add_listener(recorder)
    service.start()
    try:
        recorder.wait_for("reader", "ready")
        link = vpcd.attach(card_profile("c02"), SLOT1)
        recorder.wait_for("inserted", "A10000029")
        assert service.pin_tries_left().result(TIMEOUT) == 3
        assert service.verify_pin("654321").result(TIMEOUT) == PinResult("ok", None)

        # A swap faster than vpcd's poll: PC/SC sees nothing, the identity check does.
        other = CardEmulator.from_file(card_profile("c04"))
        link.swap(other)
        with pytest.raises(CardError) as info:
            service.verify_pin("246810").result(TIMEOUT)
        assert info.value.code == "card_changed"
        assert other.tries_left == 3
        recorder.wait_for("inserted", "A10000045")

        vpcd.detach(SLOT1)
        recorder.wait_for("removed", count=2)
    finally:
        service.stop()
    assert not service.running
    cards = [e for e in recorder.events if e[0] != "reader"]
    assert cards == [
        ("inserted", "A10000029"),
        ("swapped",),
        ("removed",),
        ("inserted", "A10000045"),
        ("removed",),
    ]


def test_event_counter_sees_a_remove_and_reinsert_between_polls(vpcd):
    link = vpcd.attach(card_profile("c01"), SLOT1)
    reader = PcscCardReader(READER1)
    try:
        reader.wait_for_change(0)
        assert reader.card_present()
        before = reader.event_count(READER1)
        # Out and in again while this reader does not poll (pcscd sees both).
        link.remove()
        wait_reader_state(READER1, present=False)
        link.insert()
        assert link.wait_polled(TIMEOUT)
        wait_reader_state(READER1, present=True)
        assert reader.wait_for_change(0)  # presence looks the same; the counter moved
        assert reader.card_present()
        assert reader.event_count(READER1) == before + 2
        # A reset (what follows a VERIFY) is no insertion.
        with reader.connect() as connection:
            connection.card().read_identity()
            connection.disconnect(reset=True)
        reader.wait_for_change(0.5)
        assert reader.event_count(READER1) == before + 2
    finally:
        reader.close()


class GateListener:
    """Holds the card thread in on_card_inserted until the test opens the gate."""

    def __init__(self) -> None:
        self.held = threading.Event()
        self.gate = threading.Event()

    def on_card_inserted(self, record):
        if not self.gate.is_set():
            self.held.set()
            self.gate.wait(TIMEOUT)


def test_card_service_sees_the_same_card_put_back_between_polls(vpcd):
    vpcd.claim(SLOT1)
    recorder, gate = Recorder(), GateListener()
    service = CardService(lambda: PcscCardReader(READER1), poll_interval=0.3)
    service.add_listener(recorder)
    service.add_listener(gate)
    service.start()
    try:
        recorder.wait_for("reader", "ready")
        link = vpcd.attach(card_profile("c01"), SLOT1)
        assert gate.held.wait(TIMEOUT)  # the card thread is busy with the listener
        link.remove()
        wait_reader_state(READER1, present=False)
        link.insert()
        assert link.wait_polled(TIMEOUT)
        wait_reader_state(READER1, present=True)
        gate.gate.set()
        recorder.wait_for("inserted", "A10000011", count=2)
    finally:
        service.stop()
    cards = [e for e in recorder.events if e[0] != "reader"]
    assert cards == [("inserted", "A10000011"), ("removed",), ("inserted", "A10000011")]


def test_card_service_with_a_foreign_card_and_a_citizen_card(vpcd):
    vpcd.attach(card_profile("foreign"), SLOT0)
    vpcd.claim(SLOT1)
    recorder = Recorder()
    service = CardService(PcscCardReader, poll_interval=0.3)
    service.add_listener(recorder)
    service.start()
    try:
        recorder.wait_for("ignored", READER0)
        vpcd.attach(card_profile("c02"), SLOT1)
        recorder.wait_for("inserted", "A10000029")
        assert service.current_record.reader == READER1
        vpcd.detach(SLOT1)
        recorder.wait_for("removed")
    finally:
        service.stop()
    cards = [e for e in recorder.events if e[0] != "reader"]
    assert cards == [("ignored", READER0), ("inserted", "A10000029"), ("removed",)]


def test_card_service_lets_the_clerk_pick_between_two_cards(vpcd):
    vpcd.attach(card_profile("c01"), SLOT0)
    vpcd.attach(card_profile("c02"), SLOT1)
    errors: list = []
    recorder = Recorder()
    recorder.on_card_error = lambda error: (
        errors.append(error),
        recorder._add("error", error.code),
    )
    service = CardService(PcscCardReader, poll_interval=0.3)
    service.add_listener(recorder)
    service.start()
    try:
        recorder.wait_for("error", "multiple_cards")
        assert errors[0].readers == (READER0, READER1)
        record = service.choose_reader(READER1).result(TIMEOUT)
        assert record.card_no == "A10000029" and record.reader == READER1
        recorder.wait_for("inserted", "A10000029")
        # The choice holds for later jobs: the identity check finds the chosen card.
        assert service.reread_identity().result(TIMEOUT)[1] == "A10000029"
        assert service.pin_state().result(TIMEOUT).tries_left == 3
        # The chosen card leaves: the other one is the only one left and is read.
        vpcd.detach(SLOT1)
        recorder.wait_for("inserted", "A10000011")
    finally:
        service.stop()


# -- the command line -------------------------------------------------------------------------


def cli(*argv: str) -> list[str]:
    return [sys.executable, "-m", "ui.cli", *argv]


def run_cli(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cli(*argv), capture_output=True, text=True, timeout=60, cwd=REPO, env=env)


def desk_data_dir(tmp_path: Path) -> str:
    """A data directory with a training desk set up: ``card read --unmasked`` is recorded in
    its audit trail (and refused without one)."""
    from ui.app import store_training_workstation, training_data_dir, training_settings

    store_training_workstation(training_data_dir(tmp_path), training_settings("http://127.0.0.1:9"))
    return str(tmp_path)


class CardSim:
    """``hall-counter card-sim`` in a child process; its events are read on a helper thread."""

    def __init__(self, profile: Path, port: int, *, stdin=subprocess.PIPE) -> None:
        self.process = subprocess.Popen(
            cli("card-sim", "--profile", str(profile), "--port", str(port)),
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        self.events: list[dict] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, name="card-sim-stdout")
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def send(self, line: str) -> None:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def wait_event(self, name: str) -> dict:
        while True:
            try:
                line = self._lines.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"no {name!r} from card-sim; events: {self.events}") from None
            if line is None:
                raise AssertionError(f"card-sim ended before {name!r}; events: {self.events}")
            event = json.loads(line)
            self.events.append(event)
            if event["event"] == name:
                return event

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=15)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def card_sim(vpcd):
    started: list[CardSim] = []

    def start(profile: Path, port: int, **kwargs) -> CardSim:
        vpcd.claim(port)
        sim = CardSim(profile, port, **kwargs)
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.stop()


def test_card_sim_and_card_read_cli(card_sim, tmp_path):
    c01, c02 = card_profile("c01"), card_profile("c02")
    desk = desk_data_dir(tmp_path)
    sim = card_sim(c01, SLOT1)
    attached = sim.wait_event("attached")
    assert attached["port"] == SLOT1

    # Exactly the profile's data, through pcscd, in a separate process.
    result = run_cli(
        "--data-dir", desk, "card", "read", "--reader", READER1, "--json", "--unmasked"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key, value in expected_json(load_profile(c01)).items():
        assert data[key] == value, key

    result = run_cli("card", "read", "--reader", READER1, "--json", "--pin", "123456")
    data = json.loads(result.stdout)
    assert (data["pin_result"], data["pin_tries_left"]) == ("ok", None)
    assert data["ssn"] == "110105********0016" and data["name"] == "**明"
    result = run_cli("card", "read", "--reader", READER1, "--json", "--pin", "999999")
    assert result.returncode == 3  # not accepted
    assert json.loads(result.stdout)["pin_result"] == "wrong"

    # Pulled during VERIFY: reported as such, never as a wrong PIN; not accepted either.
    sim.send("pull-on-next-verify")
    sim.wait_event("pull_armed")
    result = run_cli("card", "read", "--reader", READER1, "--json", "--pin", "123456")
    assert result.returncode == 3, result.stderr
    assert json.loads(result.stdout)["pin_result"] == "card_removed"
    sim.wait_event("pulled")
    sim.wait_event("removed")

    sim.send("insert")
    sim.wait_event("inserted")
    sim.send(f"swap {c02}")
    sim.wait_event("swapped")
    result = run_cli(
        "--data-dir", desk, "card", "read", "--reader", READER1, "--json", "--unmasked"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["card_no"] == "A10000029"

    sim.send("remove")
    sim.wait_event("removed")
    sim.send("quit")
    sim.wait_event("detached")
    assert sim.process.wait(timeout=15) == 0


def test_card_read_cli_t1_with_automatic_reader(card_sim, vpcd, tmp_path):
    vpcd.claim(SLOT0)  # keep the other slot empty
    c02 = card_profile("c02")
    sim = card_sim(c02, SLOT1)
    sim.wait_event("attached")
    result = run_cli("--data-dir", desk_data_dir(tmp_path), "card", "read", "--json", "--unmasked")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key, value in expected_json(load_profile(c02)).items():
        assert data[key] == value, key
    assert data["reader"] == READER1
    result = run_cli("card", "read")
    assert "A10000029" in result.stdout and "*秀兰" not in result.stdout
    assert "**兰" in result.stdout


def test_card_sim_with_null_stdin_runs_until_sigterm(card_sim):
    sim = card_sim(card_profile("c05"), SLOT1, stdin=subprocess.DEVNULL)
    sim.wait_event("attached")
    result = run_cli("card", "read", "--reader", READER1, "--json")
    assert json.loads(result.stdout)["card_no"] == "A10000053"
    sim.process.send_signal(signal.SIGTERM)
    sim.wait_event("detached")
    assert sim.process.wait(timeout=15) == 0


def test_card_read_cli_errors(vpcd):
    vpcd.claim(SLOT1)
    result = run_cli("card", "read", "--reader", READER1, "--json")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert "no card" in result.stderr

    env = dict(os.environ, PCSCLITE_CSOCK_NAME="/nonexistent/hall-counter-pcscd.comm")
    result = run_cli("card", "read", "--json", env=env)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "hall-counter card read: PC/SC service not running: start pcscd (Linux) / the Smart "
        "Card service (Windows)"
    )


def test_card_watch_cli(vpcd):
    vpcd.claim(SLOT1)
    watch = CardWatch("--reader", READER1, timeout=60)
    try:
        assert watch.next_event("reader_state")["state"] == "ready"
        link = vpcd.attach(card_profile("c02"), SLOT1)
        inserted = watch.next_event("card_inserted")
        assert inserted["card_no"] == "A******29"
        assert inserted["ssn"] == "310104********002X" and inserted["name"] == "**兰"
        # A swap PC/SC cannot see shows through the idle identity check.
        link.swap(CardEmulator.from_file(card_profile("c04")))
        watch.next_event("card_swapped")
        watch.next_event("card_removed")
        assert watch.next_event("card_inserted")["card_no"] == "A******45"
        vpcd.detach(SLOT1)
        watch.next_event("card_removed")
    finally:
        code = watch.stop()
    assert code == 0, watch.stderr
    assert "李秀兰" not in json.dumps(watch.events, ensure_ascii=False)


def read_in(reader_name: str, *, pin: str | None = None, key=None) -> dict:
    """Read the card in ``reader_name`` (and VERIFY ``pin``): the outcome as a dict."""
    reader = PcscCardReader(reader_name)
    try:
        with reader.connect() as connection:
            card = connection.card()
            try:
                out = card.read_record(key_service=key).to_json(unmasked=True)
            except CardError as exc:
                return {"error": exc.code, "detail": exc.detail}
            if pin is not None:
                try:
                    result = card.verify_pin(pin)
                    out["pin"] = (result.status, result.tries_left)
                except CardError as exc:
                    out["pin"] = exc.code
            return out
    finally:
        reader.close()


def test_card_sim_plays_every_case(card_sim):
    sim = card_sim(card_profile("c01"), SLOT1)
    sim.wait_event("attached")
    wait_reader_state(READER1, present=True)  # vpcd polled the card; pcscd may lag one poll

    def swap(name: str) -> None:
        sim.send(f"swap {card_profile(name)}")
        assert sim.wait_event("swapped")["card"] == f"{name}.json"

    swap("chunked_t0")  # T=0 quirks: 61xx in 7-byte pieces, 6Cxx
    assert read_in(READER1)["card_no"] == "A20000085"
    swap("mf_ssse")  # SSSE as the MF
    assert read_in(READER1)["card_no"] == "A20000077"
    swap("gen3_t0")  # third generation, without and with the test key
    assert "ssn" in read_in(READER1)["protected"]
    assert read_in(READER1, key=TestKeyService())["ssn"] == "420102198512310014"
    swap("blocked")
    assert read_in(READER1, pin="111111")["pin"] == ("blocked", 0)
    swap("locked")
    assert read_in(READER1, pin="123456")["pin"] == "app_locked"
    swap("no_tries_query")
    reader = PcscCardReader(READER1)
    try:
        with reader.connect() as connection:
            assert connection.card().pin_tries_left() is None
    finally:
        reader.close()
    swap("warnings")  # expired, check digit, birth date and sex disagreeing
    assert set(read_in(READER1)["warnings"]) == {
        "card_expired",
        "ssn_check_digit",
        "birth_date_mismatch",
        "sex_mismatch",
    }
    swap("odd_records")  # odd raw_records that still read
    assert read_in(READER1)["name"] == "刘洋"
    swap("bad_date")  # raw_records that cannot be read
    outcome = read_in(READER1)
    assert outcome["error"] == "bad_record" and "impossible date" in outcome["detail"]
    swap("foreign")
    assert read_in(READER1)["error"] == "not_ssc"

    sim.send("quit")
    sim.wait_event("detached")
