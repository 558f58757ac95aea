"""The unified reader interface (SSCardDriver) backend, with a stand-in vendor library that
this test builds with the C compiler (tests/data/sscard/sscard_standin.c). The stand-in talks
to the card the way a vendor driver does, here through pcscd + vpcd to our emulator, so the
whole path is real: ctypes -> library -> PC/SC -> card."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pcsc_support import VPCD_SLOTS, card_profile, pcsc_required

from desktop.card_service import CardService, PinState
from devices.card.emulator import CardEmulator, load_profile
from devices.card.errors import CardError
from devices.card.record import PinResult
from devices.card.sscard import SSCardDriverReader

pytestmark = pytest.mark.pcsc

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "tests" / "data" / "sscard" / "sscard_standin.c"
SLOT = 35964
READER = VPCD_SLOTS[SLOT]
TIMEOUT = 20


def _unavailable(reason: str):
    if pcsc_required():
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def standin_library(tmp_path_factory) -> Path:
    """The stand-in library, compiled for this run."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        _unavailable("no C compiler (cc) to build the SSCardDriver stand-in")
    flags = ["-I/usr/include/PCSC", "-lpcsclite"]
    if shutil.which("pkg-config"):
        probe = subprocess.run(
            ["pkg-config", "--cflags", "--libs", "libpcsclite"], capture_output=True, text=True
        )
        if probe.returncode == 0:
            flags = probe.stdout.split()
    output = tmp_path_factory.mktemp("sscard") / "libsscard_standin.so"
    build = subprocess.run(
        [compiler, "-shared", "-fPIC", "-O1", "-Wall", "-o", str(output), str(SOURCE), *flags],
        capture_output=True,
        text=True,
    )
    if build.returncode != 0:
        _unavailable(f"the stand-in does not build: {build.stderr[-500:]}")
    return output


@pytest.fixture
def keypad(tmp_path, monkeypatch):
    """The reader's keypad: the stand-in reads what the citizen keys from this file."""
    path = tmp_path / "keypad"
    monkeypatch.setenv("HC_SSCARD_READER", READER)
    monkeypatch.setenv("HC_SSCARD_KEYPAD", str(path))

    def key(text: str) -> None:
        path.write_text(text + "\n")

    return key


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

    def on_card_ignored(self, reader):
        self._add("ignored", reader)

    def on_reader_state(self, state, detail):
        self._add("reader", state)

    def wait_for(self, *event, count: int = 1) -> None:
        with self._cond:
            ok = self._cond.wait_for(lambda: self.events.count(event) >= count, TIMEOUT)
        assert ok, f"no {event} in {self.events}"


def start(library: Path) -> tuple[CardService, Recorder]:
    recorder = Recorder()
    service = CardService(
        lambda: SSCardDriverReader(library, poll_interval=0.3, name="SSCard reader"),
        poll_interval=0.3,
    )
    service.add_listener(recorder)
    service.start()
    return service, recorder


def test_card_service_through_the_unified_interface(vpcd, standin_library, keypad):
    vpcd.claim(SLOT)
    service, recorder = start(standin_library)
    try:
        recorder.wait_for("reader", "ready")
        link = vpcd.attach(card_profile("c01"), SLOT)
        recorder.wait_for("inserted", "A10000011")
        record = service.current_record
        profile = load_profile(card_profile("c01"))
        assert record.reader == "SSCard reader" and record.generation == 2
        assert (record.card_id_code, record.card_no) == link.emulator.identity
        assert record.ssn == profile["ef06"]["ssn"] and record.name == profile["ef06"]["name"]
        assert record.expiry_date.strftime("%Y%m%d") == profile["ef05"]["expiry_date"]
        assert record.sex is None and record.protected == () and record.warnings == ()

        # The PIN is keyed on the reader; the interface tells no tries before.
        assert service.pin_state().result(TIMEOUT) == PinState(None, blocked=False, pinpad=True)
        with pytest.raises(CardError) as info:
            service.verify_pin("123456").result(TIMEOUT)
        assert info.value.code == "pinpad_required"
        keypad("000000")
        assert service.verify_pin_on_pinpad().result(TIMEOUT) == PinResult("wrong", 2)
        keypad("123456")
        assert service.verify_pin_on_pinpad().result(TIMEOUT) == PinResult("ok", None)
        for keys, code in (("timeout", "pinpad_timeout"), ("cancel", "pinpad_cancelled")):
            keypad(keys)
            with pytest.raises(CardError) as info:
                service.verify_pin_on_pinpad().result(TIMEOUT)
            assert info.value.code == code
        assert link.emulator.tries_left == 3

        # Pulled while the reader sends the PIN: removed, not a wrong PIN.
        keypad("123456")
        link.pull_on_next_verify()
        assert service.verify_pin_on_pinpad().result(TIMEOUT) == PinResult("card_removed", None)
        recorder.wait_for("removed")
        assert link.emulator.tries_left == 3

        # Another card: the poll of the interface finds it.
        link.insert(CardEmulator.from_file(card_profile("c02")))
        recorder.wait_for("inserted", "A10000029")
    finally:
        service.stop()
    cards = [e for e in recorder.events if e[0] != "reader"]
    assert cards == [("inserted", "A10000011"), ("removed",), ("inserted", "A10000029")]


def test_third_generation_blocked_and_foreign_cards(vpcd, standin_library, keypad):
    link = vpcd.attach(card_profile("gen3_t0"), SLOT)
    reader = SSCardDriverReader(standin_library)
    with reader.connect() as connection:
        record = connection.card().read_record()
    # This stand-in holds no PSAM: what the card protects comes back empty.
    assert record.generation == 3 and record.card_no == "C42000016"
    assert record.protected == ("ssn", "name", "issue_date", "expiry_date")
    assert record.ssn is None and record.name is None
    vpcd.detach(SLOT)

    link = vpcd.attach(card_profile("blocked"), SLOT)
    keypad("111111")
    with reader.connect() as connection:
        assert connection.pinpad().verify() == PinResult("blocked", 0)
    vpcd.detach(SLOT)

    vpcd.attach(card_profile("foreign"), SLOT)
    with pytest.raises(CardError) as info, reader.connect() as connection:
        connection.card().read_record()
    assert info.value.code == "not_ssc"
    assert link.emulator.tries_left == 0


def test_card_read_cli_through_the_unified_interface(vpcd, standin_library, keypad, tmp_path):
    vpcd.attach(card_profile("c02"), SLOT)
    keypad("654321")
    command = [sys.executable, "-m", "ui.cli", "card", "read", "--reader-kind", "sscard",
               "--driver", str(standin_library), "--json", "--pinpad"]  # fmt: skip
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=60, cwd=REPO, env=dict(os.environ)
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["card_no"] == "A10000029" and data["ssn"] == "310104********002X"
    assert (data["pin_result"], data["pin_tries_left"]) == ("ok", None)


def test_missing_driver_library(tmp_path):
    recorder = Recorder()
    service = CardService(lambda: SSCardDriverReader(tmp_path / "libnothing.so"), retry_interval=5)
    service.add_listener(recorder)
    service.start()
    try:
        recorder.wait_for("reader", "driver_unavailable")
    finally:
        service.stop()
