"""PC/SC health on real services: the shared pcscd, a socket where no service listens, and a
pcscd of the test's own (tests/pcsc_support.PrivatePcscd) for the states the shared one must
never be put in: no reader at all, stopped under a running app, started again.

libpcsclite reads PCSCLITE_CSOCK_NAME once per process, so everything that talks to the
private pcscd runs in a child process (``hall-counter card doctor`` / ``card watch``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pcsc_support import VPCD_SLOTS, CardWatch, PrivatePcscd, pcsc_required

pytestmark = pytest.mark.pcsc

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 30


def cli(*argv: str) -> list[str]:
    return [sys.executable, "-m", "ui.cli", *argv]


def doctor(env: dict | None = None) -> tuple[int, dict]:
    result = subprocess.run(
        cli("card", "doctor", "--json"), capture_output=True, text=True, timeout=60, cwd=REPO,
        env=env,
    )  # fmt: skip
    return result.returncode, json.loads(result.stdout)


@pytest.fixture
def private_pcscd(tmp_path):
    reason = PrivatePcscd.available()
    if reason is not None:
        if pcsc_required():
            pytest.fail(f"a private pcscd cannot run here: {reason}", pytrace=False)
        pytest.skip(f"a private pcscd cannot run here: {reason}")
    started: list[PrivatePcscd] = []

    def make(name: str, vpcd_ports: tuple[int, ...] = ()) -> PrivatePcscd:
        daemon = PrivatePcscd(tmp_path / name, vpcd_ports)
        started.append(daemon)
        return daemon

    yield make
    for daemon in started:
        daemon.stop()


def test_doctor_on_the_running_service(pcsc_service):
    code, report = doctor()
    assert code == 0 and report["code"] == "ok" and report["fix"] == ""
    assert set(VPCD_SLOTS.values()) <= set(report["readers"])


def test_doctor_when_the_service_is_not_running(tmp_path):
    env = dict(os.environ, PCSCLITE_CSOCK_NAME=str(tmp_path / "no-pcscd.comm"))
    code, report = doctor(env)
    assert code == 1 and report["code"] == "pcsc_unavailable"
    assert "systemctl enable --now pcscd.socket" in report["fix"]


def test_doctor_without_a_reader(private_pcscd):
    daemon = private_pcscd("empty")
    daemon.start()
    code, report = doctor(daemon.env())
    assert code == 1 and report["code"] == "no_reader" and report["readers"] == []
    assert "pcsc_scan" in report["fix"]


def test_reader_plugged_in_without_a_driver(private_pcscd, tmp_path):
    # A USB CCID reader as sysfs shows it (a folder of the test's own), with a PC/SC service
    # that has no reader for it: the driver is missing.
    usb = tmp_path / "usb"
    (usb / "1-4").mkdir(parents=True)
    (usb / "1-4" / "idVendor").write_text("072f\n")
    (usb / "1-4" / "idProduct").write_text("90cc\n")
    (usb / "1-4" / "product").write_text("CCID USB Reader\n")
    (usb / "1-4:1.0").mkdir()
    (usb / "1-4:1.0" / "bInterfaceClass").write_text("0b\n")
    daemon = private_pcscd("nodriver")
    daemon.start()
    script = (
        "import json, sys; from pathlib import Path; from devices.card.health import diagnose; "
        "print(json.dumps(diagnose(usb_root=Path(sys.argv[1])).to_json()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(usb)], capture_output=True, text=True, timeout=60,
        cwd=REPO, env=daemon.env(),
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert report["code"] == "reader_driver_missing"
    assert report["devices"] == ["072f:90cc CCID USB Reader"]
    assert "libccid" in report["fix"]


def test_watch_follows_the_service_and_its_readers(private_pcscd):
    # The same socket path throughout; the pcscd behind it comes and goes.
    with_readers = private_pcscd("service", vpcd_ports=(35963,))
    watch = CardWatch(env=with_readers.env(), timeout=TIMEOUT)
    try:
        assert watch.next_state()["state"] == "pcsc_unavailable"
        with_readers.start()  # the service starts: its readers appear
        state = watch.next_state()
        assert state["state"] == "ready"
        assert state["detail"] == ", ".join(with_readers.reader_names())
        with_readers.stop()  # and stops under the running app
        assert watch.next_state()["state"] == "pcsc_unavailable"
        without = PrivatePcscd(with_readers.folder)  # same socket, no reader this time
        try:
            without.start()
            assert watch.next_state()["state"] == "no_reader"
        finally:
            without.stop()
    finally:
        assert watch.stop() == 0
