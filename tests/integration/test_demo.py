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


@pytest.mark.pcsc
@pytest.mark.slow
def test_demo_with_the_card_in_the_pcsc_reader(tmp_path, vpcd):
    from desktop.resources import resource_path

    # Both slots are ours for the test: the demo picks the reader that holds a card, and a card
    # left in the other slot by a parallel run would make it ask which one.
    vpcd.claim(35964)
    vpcd.attach(resource_path("cards", "c04.json"), port=35963)
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
    assert result.returncode == 0, result.stderr
    assert_no_personal_data(result.stdout + result.stderr)
    stream = events(result.stdout)
    assert stream[-1] == {"event": "summary", "queued": 2, "sent": 2, "rejected": 0}
    assert [e["decision"] for e in stream if e["event"] == "face_checked"] == ["match"] * 2


def test_sigterm_stops_the_demo_in_order(tmp_path):
    import re
    import signal

    demo = ["demo", "--headless", "--cases", "40", "--face", "decline"]
    process = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "--data-dir", str(tmp_path), *demo],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        for line in process.stdout:
            if json.loads(line)["event"] == "case_queued":
                break
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    # Handled like Ctrl+C (not killed by the signal), and the desk stopped in order.
    assert process.returncode == 1
    logs = "".join(p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.log*") if p.is_file())
    assert re.search(r"desk \S+ stopped", logs)


def test_demo_never_sends_the_pin_to_a_blocked_card(tmp_path, vpcd):
    from devices.card.simulated import make_emulator

    # A sample citizen (known to central) whose PIN is blocked.
    profile = json.loads((REPO / "resources" / "cards" / "c01.json").read_text(encoding="utf-8"))
    emulator = make_emulator({**profile, "pin_tries_left": 0})
    sent: list[bytes] = []
    answer = emulator.process

    def process(apdu: bytes) -> bytes:
        sent.append(bytes(apdu))
        return answer(apdu)

    emulator.process = process
    vpcd.claim(35964)
    vpcd.attach(emulator, port=35963)
    result = hall_counter(
        tmp_path, "demo", "--headless", "--reader", "pcsc", "--pin", "111111", "--cases", "1"
    )
    stream = events(result.stdout)
    failed = [e for e in stream if e["event"] == "pin_failed"]
    assert failed and failed[0]["status"] == "blocked", stream
    # VERIFY (INS 20) went to the card only as the tries query, never with a PIN in it.
    verifies = [apdu for apdu in sent if len(apdu) >= 4 and apdu[1] == 0x20]
    assert verifies and all(len(apdu) <= 5 for apdu in verifies), [a.hex() for a in verifies]


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


def _queue_training_cases(data_dir: Path, url: str, n: int) -> list:
    """A training desk in ``data_dir`` with ``n`` cases queued while central was away."""
    from datetime import UTC, datetime

    from desktop.contract import CaseSubmission, CitizenRef, FaceCheck, IdentityCheck
    from desktop.outbox import OutboxService
    from ui.app import store_training_workstation, training_data_dir, training_settings

    training = training_data_dir(data_dir)
    store_training_workstation(training, training_settings(url))
    citizen = SEED["citizens"][0]
    outbox = OutboxService(training)
    outbox.start()
    try:
        return [
            outbox.enqueue(
                CaseSubmission(
                    local_id="unassigned",
                    service="unemployment_benefit",
                    hall_id=SEED["hall"]["id"],
                    workstation_id="W01",
                    clerk="clerk01",
                    created_at=datetime.now(UTC),
                    citizen=CitizenRef(ssn=citizen["ssn"], card_no=citizen["card_no"]),
                    identity=IdentityCheck(
                        pin="ok", face=FaceCheck(decision="match", distance=0.35, threshold=0.6)
                    ),
                    form={
                        "reason_for_leaving": "contract_expired",
                        "last_employer": "示例贸易有限公司",
                        "insured_months": 36,
                        "amount": 2130.5,
                    },
                )
            ).result(10)
            for _ in range(n)
        ]
    finally:
        outbox.stop()


@pytest.mark.slow
def test_outbox_export_and_import_commands(tmp_path):
    from sandbox.server import EmbeddedSandbox

    passphrase = tmp_path / "passphrase.txt"
    passphrase.write_text("a passphrase for the move\n", encoding="utf-8")
    export = tmp_path / "move.hcx"
    old_pc, new_pc = tmp_path / "old", tmp_path / "new"
    with EmbeddedSandbox(tmp_path / "central.db", advance_seconds=0) as central:
        queued = _queue_training_cases(old_pc, central.url, 3)
        _queue_training_cases(new_pc, central.url, 0)

        # Export: the file is user-only and holds no personal data in the clear.
        result = hall_counter(
            old_pc, "outbox", "export", str(export), "--passphrase-file", str(passphrase)
        )
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["cases"] == 3 and report["local_ids"] == [q.local_id for q in queued]
        assert export.stat().st_mode & 0o777 == 0o600
        assert_no_personal_data(export.read_text(encoding="utf-8"))
        again = hall_counter(
            old_pc, "outbox", "export", str(export), "--passphrase-file", str(passphrase)
        )
        assert again.returncode == 1 and "--force" in again.stderr

        # Import twice (passphrase from the environment): the second adds nothing.
        env = dict(os.environ, HALL_COUNTER_EXPORT_PASSPHRASE="a passphrase for the move")
        runs = [
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "ui.cli",
                    "--data-dir",
                    str(new_pc),
                    "outbox",
                    "import",
                    str(export),
                ],
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=120,
                env=env,
            )
            for _ in range(2)
        ]
        first, second = (json.loads(r.stdout) for r in runs)
        assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
        assert first["imported"] == 3 and first["already_present"] == 0
        assert second["imported"] == 0 and second["already_present"] == 3
        assert first["workstations"] == ["W01"] and first["foreign_workstations"] == []
        assert second["counts"]["pending"] == 3

        wrong = dict(os.environ, HALL_COUNTER_EXPORT_PASSPHRASE="not the passphrase")
        refused = subprocess.run(
            [
                sys.executable,
                "-m",
                "ui.cli",
                "--data-dir",
                str(new_pc),
                "outbox",
                "import",
                str(export),
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            env=wrong,
        )
        assert refused.returncode == 1 and "passphrase_wrong" in refused.stderr
        silent = hall_counter(new_pc, "outbox", "import", str(export))  # no tty, no passphrase
        assert silent.returncode == 2 and "HALL_COUNTER_EXPORT_PASSPHRASE" in silent.stderr

        # Both PCs send: central keeps one case per key.
        for pc in (new_pc, old_pc):
            drained = hall_counter(pc, "outbox", "drain", "--central", central.url)
            assert drained.returncode == 0, drained.stderr
        summary = events(drained.stdout)[-1]
        assert summary["answers"] == {"200": 3}

        status = json.loads(hall_counter(new_pc, "outbox", "status").stdout)
        assert status["counts"]["sent"] == 3
        assert status["freeze"] == {
            "frozen": False,
            "reason": None,
            "unsent": 0,
            "max_unsent": 500,
            "oldest_unsent_seconds": None,
            "max_age_seconds": 259200.0,
        }
    import sqlite3

    conn = sqlite3.connect(tmp_path / "central.db")
    stored = sorted(conn.execute("SELECT idempotency_key FROM cases").fetchall())
    conn.close()
    assert stored == sorted((q.idempotency_key,) for q in queued)


@pytest.mark.slow
def test_demo_with_declined_faces_needs_no_face_models(tmp_path):
    code = (
        "import json, sys\n"
        "from ui.cli import main\n"
        f"rc = main(['--data-dir', {str(tmp_path)!r}, 'demo', '--headless', '--cases', '2',"
        " '--face', 'decline'])\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print(json.dumps({'rc': rc, 'heavy': heavy}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=180
    )
    stream = events(result.stdout)
    assert stream[-1] == {"rc": 0, "heavy": []}, result.stderr
    assert stream[-2] == {"event": "summary", "queued": 2, "sent": 2, "rejected": 0}
    decisions = [e["decision"] for e in stream if e.get("event") == "face_checked"]
    assert decisions == ["declined"] * 2
    assert [e.get("event") for e in stream].count("cosigned") == 2
    assert_no_personal_data(result.stdout + result.stderr)
