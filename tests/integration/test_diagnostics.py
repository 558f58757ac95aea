"""``hall-counter diagnostics FILE`` after the training demo ran: the archive and its privacy.

The demo serves the five seeded citizens with every debug topic on, writing the rotating log
file of the data directory; the archive built from that data directory must then hold none of
the seed's personal data (names, ID numbers, card numbers and card ids, PINs, staff names and
passwords, the workstation secret) in any of its files.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from desktop.logfiles import LOG_FILE_NAME
from desktop.resources import resource_path
from ui.app import load_seed

REPO = Path(__file__).resolve().parents[2]
SEED = load_seed()

# `hall-counter` with the log file attached and the self-test commands registered, whether or
# not ui.cli does both already (both steps are idempotent).
CLI = """
import sys
import ui.cli as cli
from desktop.logfiles import attach_log_file

cli.COMMAND_MODULES = tuple(dict.fromkeys((*cli.COMMAND_MODULES, "selftest", "diagnostics")))
_configure = cli.configure_logging

def configure_logging(args):
    _configure(args)
    attach_log_file(args.data_dir)

cli.configure_logging = configure_logging
sys.exit(cli.main(sys.argv[1:]))
"""


def hall_counter(*args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(os.environ),
    )


def personal_values() -> dict[str, str]:
    """Every personal or secret value the training data holds, by where it comes from."""
    values: dict[str, str] = {}
    for citizen in SEED["citizens"]:
        for key in ("name", "ssn", "card_no"):
            values[f"{citizen['id']}.{key}"] = citizen[key]
        values[f"{citizen['id']}.birth_date"] = citizen["birth_date"].replace("-", "")
    for staff in SEED["staff"]:
        values[f"{staff['username']}.name"] = staff["name"]
        values[f"{staff['username']}.password"] = staff["password"]
    for workstation in SEED["workstations"]:
        values[f"{workstation['id']}.secret"] = workstation["secret"]
    for profile in sorted(resource_path("cards").glob("c0*.json")):
        card = json.loads(profile.read_text(encoding="utf-8"))
        values[f"{profile.stem}.card_id_code"] = card["ef05"]["card_id_code"]
        values[f"{profile.stem}.pin"] = card["pin"]
    return values


@pytest.fixture(scope="module")
def demo_data_dir(tmp_path_factory):
    """A data directory in which the training demo served all five citizens."""
    data_dir = tmp_path_factory.mktemp("desk") / "data"
    demo = hall_counter("--data-dir", str(data_dir), "--debug", "all", "demo", "--headless")
    assert demo.returncode == 0, demo.stderr[-2000:]
    events = [json.loads(line) for line in demo.stdout.splitlines() if line.strip()]
    assert events[-1] == {"event": "summary", "queued": 5, "sent": 5, "rejected": 0}
    return data_dir, events


def test_archive_holds_logs_versions_and_self_test(demo_data_dir, tmp_path):
    data_dir, events = demo_data_dir
    target = tmp_path / "out" / "diagnostics.zip"
    target.parent.mkdir()
    result = hall_counter("--data-dir", str(data_dir), "--training", "diagnostics", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"diagnostics: wrote {target} (")

    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert {"README.txt", "versions.json", "self-test.json", "outbox.json"} <= set(names)
        assert f"logs/{LOG_FILE_NAME}" in names
        versions = json.loads(archive.read("versions.json"))
        self_test = json.loads(archive.read("self-test.json"))
        outbox = json.loads(archive.read("outbox.json"))
        log_text = archive.read(f"logs/{LOG_FILE_NAME}").decode("utf-8")

    assert versions["python"]["version"] == ".".join(map(str, sys.version_info[:3]))
    assert versions["packages"]["face_recognition_models"]
    assert versions["packages"]["PySide6"]
    if sys.platform.startswith("linux"):
        assert versions["libc"].startswith("glibc ")
    assert [c["name"] for c in self_test["checks"]][:3] == ["config", "pcsc_service", "readers"]
    assert outbox[str(data_dir / "training")]["sent"] == 5

    # The log covers the demo: every case it queued is there by its local id.
    queued = [e["local_id"] for e in events if e["event"] == "case_queued"]
    assert len(queued) == 5
    for local_id in queued:
        assert local_id in log_text
    if os.name == "posix":
        assert (target.stat().st_mode & 0o777) == 0o600


def test_archive_holds_no_personal_data(demo_data_dir, tmp_path):
    data_dir, _ = demo_data_dir
    target = tmp_path / "diagnostics.zip"
    result = hall_counter("--data-dir", str(data_dir), "--training", "diagnostics", str(target))
    assert result.returncode == 0, result.stderr

    leaks = []
    with zipfile.ZipFile(target) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8", errors="replace")
            for where, value in personal_values().items():
                # Digits-only values (PINs, dates) must stand alone to count as a hit.
                pattern = (
                    rf"(?<!\d){re.escape(value)}(?!\d)" if value.isdigit() else re.escape(value)
                )
                if re.search(pattern, text):
                    leaks.append(f"{where} in {name}")
    assert leaks == []


def test_diagnostics_refuses_a_folder(tmp_path):
    result = hall_counter("--data-dir", str(tmp_path / "data"), "diagnostics", str(tmp_path))
    assert result.returncode == 2
    assert "is a folder" in result.stderr


def test_diagnostics_does_not_make_missing_folders(tmp_path):
    target = tmp_path / "no" / "such" / "folder" / "diag.zip"
    result = hall_counter("--data-dir", str(tmp_path / "data"), "diagnostics", str(target))
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert not (tmp_path / "no").exists()
