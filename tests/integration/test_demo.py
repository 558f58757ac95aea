"""``hall-counter demo --headless`` and the ``outbox`` commands as subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui.app import load_seed

REPO = Path(__file__).resolve().parents[2]
SEED = load_seed()
HEAVY = ("PySide6", "shiboken6", "dlib", "face_recognition", "face_recognition_models")


def hall_counter(data_dir: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", "--data-dir", str(data_dir), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(os.environ),
    )


def events(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def assert_no_personal_data(text: str) -> None:
    for citizen in SEED["citizens"]:
        for key in ("name", "ssn", "card_no"):
            assert citizen[key] not in text, f"{key} of {citizen['id']} in the output"
    for staff in SEED["staff"]:
        assert staff["password"] not in text


@pytest.mark.slow
def test_demo_serves_every_sample_card_and_sends(tmp_path):
    result = hall_counter(tmp_path, "demo", "--headless", "--cases", "5")
    assert result.returncode == 0, result.stderr
    assert_no_personal_data(result.stdout + result.stderr)
    stream = events(result.stdout)
    assert stream[-1] == {"event": "summary", "queued": 5, "sent": 5, "rejected": 0}

    for index in range(5):
        mine = [e["event"] for e in stream if e.get("index") == index]
        assert mine == ["card_read", "pin_verified", "face_checked", "case_queued"], mine
    queued = {e["local_id"]: i for i, e in enumerate(stream) if e["event"] == "case_queued"}
    sent = {e["local_id"]: i for i, e in enumerate(stream) if e["event"] == "case_sent"}
    assert set(sent) == set(queued)
    assert all(sent[k] > queued[k] for k in queued)  # never sent before it was queued
    for e in stream:
        if e["event"] == "face_checked":
            assert e["decision"] == "match" and 0 <= e["distance"] < e["threshold"]
        if e["event"] == "case_queued":
            assert e["service"] == "unemployment_benefit"
            assert e["local_id"].startswith("W01-") and len(e["idempotency_key"]) == 36

    status = hall_counter(tmp_path, "outbox", "status")
    assert status.returncode == 0, status.stderr
    report = json.loads(status.stdout)
    assert report["mode"] == "training"
    assert report["counts"] == {
        "pending": 0,
        "sending": 0,
        "sent": 5,
        "rejected": 0,
        "withdrawn": 0,
    }
    assert "key file" in report["key_store"]
    assert str(tmp_path) not in report["key_store"]  # the key is not in the data directory

    listing = hall_counter(tmp_path, "outbox", "list")
    rows = events(listing.stdout)
    assert sorted(r["local_id"] for r in rows) == sorted(queued)
    assert all(r["state"] == "sent" and r["central_id"] for r in rows)
    assert_no_personal_data(listing.stdout)


@pytest.mark.slow
def test_demo_no_wait_then_drain(tmp_path):
    result = hall_counter(tmp_path, "demo", "--headless", "--cases", "2", "--no-wait")
    assert result.returncode == 0, result.stderr
    assert events(result.stdout)[-1]["queued"] == 2

    drain = hall_counter(tmp_path, "outbox", "drain", "--wait", "60")
    assert drain.returncode == 0, drain.stderr
    summary = events(drain.stdout)[-1]
    assert summary["event"] == "summary" and summary["drained"] is True
    assert summary["counts"]["pending"] == 0 and summary["counts"]["sent"] == 2
    assert_no_personal_data(drain.stdout + drain.stderr)


def test_demo_usage_errors(tmp_path):
    assert hall_counter(tmp_path, "demo").returncode == 2
    assert hall_counter(tmp_path, "demo", "--headless", "--reader", "pcsc").returncode == 2
    env_less = hall_counter(tmp_path, "demo", "--headless", "--user", "clerk01")
    assert env_less.returncode == 2 and "HALL_COUNTER_PASSWORD" in env_less.stderr


def test_drain_without_a_training_workstation_fails_clearly(tmp_path):
    result = hall_counter(tmp_path, "outbox", "drain")
    assert result.returncode == 1 and "run `hall-counter demo`" in result.stderr


@pytest.mark.parametrize(
    "command", [["outbox", "status"], ["outbox", "list"], ["outbox", "drain", "--wait", "0"]]
)
def test_outbox_commands_import_neither_qt_nor_dlib(tmp_path, command):
    code = (
        "import json, sys\n"
        "from ui.cli import main\n"
        f"rc = main(['--data-dir', {str(tmp_path)!r}, *{command!r}])\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print(json.dumps({'rc': rc, 'heavy': heavy}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["heavy"] == [], report


def _pcscd(request) -> None:
    """The lead's session fixture when present, else a pcscd that already runs."""
    try:
        request.getfixturevalue("pcscd")
    except pytest.FixtureLookupError:
        probe = subprocess.run(["pgrep", "-x", "pcscd"], capture_output=True)
        if probe.returncode != 0:
            pytest.skip("pcscd with the vpcd reader is not running")


@pytest.mark.pcsc
@pytest.mark.slow
def test_demo_with_the_card_in_the_pcsc_reader(tmp_path, request):
    from desktop.resources import resource_path
    from devices.card.emulator import CardEmulator, load_profile
    from devices.card.vpcd import VpcdLink

    _pcscd(request)
    inserted = []
    link = VpcdLink(
        CardEmulator(load_profile(resource_path("cards", "c04.json"))),
        port=35963,
        on_event=inserted.append,
    ).start()
    try:
        result = hall_counter(
            tmp_path,
            "demo",
            "--headless",
            "--reader",
            "pcsc",
            "--pin",
            "246810",
            "--cases",
            "2",
        )
    finally:
        link.close()
    assert result.returncode == 0, result.stderr
    assert_no_personal_data(result.stdout + result.stderr)
    stream = events(result.stdout)
    assert stream[-1] == {"event": "summary", "queued": 2, "sent": 2, "rejected": 0}
    assert [e["decision"] for e in stream if e["event"] == "face_checked"] == ["match"] * 2


@pytest.mark.slow
def test_production_config_with_a_staff_user(tmp_path):
    """--config: the production outbox in the data dir, credentials from the file."""
    from sandbox.server import EmbeddedSandbox

    ws = SEED["workstations"][0]
    with EmbeddedSandbox(tmp_path / "central.db") as central:
        config = tmp_path / "desk.toml"
        config.write_text(
            f'[central]\nurl = "{central.url}"\n'
            f'[workstation]\nhall_id = "{SEED["hall"]["id"]}"\nid = "{ws["id"]}"\n'
            f'secret = "{ws["secret"]}"\n',
            encoding="utf-8",
        )
        env = dict(os.environ, HALL_COUNTER_PASSWORD="clerk01-training")
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "ui.cli",
                "--data-dir",
                str(tmp_path / "data"),
                "--config",
                str(config),
                "demo",
                "--headless",
                "--cases",
                "1",
                "--user",
                "clerk01",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=240,
            env=env,
        )
        assert result.returncode == 0, result.stderr
        status = subprocess.run(
            [
                sys.executable,
                "-m",
                "ui.cli",
                "--data-dir",
                str(tmp_path / "data"),
                "--config",
                str(config),
                "outbox",
                "status",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
    report = json.loads(status.stdout)
    assert report["mode"] == "production"
    assert report["data_dir"] == str(tmp_path / "data")
    assert report["counts"]["sent"] == 1
    # Without --config the same data dir's training outbox is a different one.
    training = json.loads(hall_counter(tmp_path / "data", "outbox", "status").stdout)
    assert training["mode"] == "training" and training["counts"]["sent"] == 0
