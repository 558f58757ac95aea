"""The outbox commands and the outbox itself when the database is lost, emptied, damaged or
moved, or a case in it cannot be opened: a clear code and message, never a traceback, never a
silent new outbox that hands out the same local ids again."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.contract import CaseSubmission, CitizenRef, FaceCheck, IdentityCheck
from desktop.crypto import DataKeyStore, default_key_dir
from desktop.errors import OutboxError
from desktop.outbox import OutboxService
from ui import cli
from ui.app import store_training_workstation, training_settings

PASSPHRASE = "correct horse battery staple"


def make_case() -> CaseSubmission:
    return CaseSubmission(
        local_id="unassigned",
        service="unemployment_benefit",
        hall_id="H0001",
        workstation_id="W01",
        clerk="clerk01",
        created_at=datetime.now(UTC),
        citizen=CitizenRef(person_ref="P0001", ssn="110105196210150016", card_no="A10000011"),
        identity=IdentityCheck(pin="ok", face=FaceCheck(decision="match", distance=0.4)),
        form={"reason_for_leaving": "contract_expired", "amount": 100},
    )


def queue(outbox_dir: Path, n: int) -> list[str]:
    outbox = OutboxService(outbox_dir)
    outbox.start()
    try:
        return [outbox.enqueue(make_case()).result(10).local_id for _ in range(n)]
    finally:
        outbox.stop()


@pytest.fixture
def desk(tmp_path: Path) -> tuple[Path, Path]:
    """(--data-dir, its training outbox folder) with a training desk and 3 queued cases."""
    root = tmp_path / "data"
    outbox_dir = root / "training"
    store_training_workstation(outbox_dir, training_settings("http://127.0.0.1:9"))
    queue(outbox_dir, 3)
    (tmp_path / "pp").write_text(PASSPHRASE, encoding="utf-8")
    return root, outbox_dir


def run(capsys, root: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--data-dir", str(root), "outbox", *args])
    out, err = capsys.readouterr()
    return code, out, err


def every_command(root: Path, tmp_path: Path) -> list[list[str]]:
    pp = str(tmp_path / "pp")
    return [
        ["status"],
        ["list"],
        ["export", str(tmp_path / "e.export"), "--passphrase-file", pp, "--force"],
        ["import", str(tmp_path / "missing.export"), "--passphrase-file", pp],
        ["drain", "--central", "http://127.0.0.1:9", "--wait", "1"],
    ]


def lose(db: Path, how: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    if how == "emptied":
        db.write_bytes(b"")
    elif how == "no_tables":
        sqlite3.connect(db).close()
        conn = sqlite3.connect(db)
        conn.execute("CREATE TABLE other (x)")
        conn.commit()
        conn.close()


@pytest.mark.parametrize("how", ["deleted", "emptied", "no_tables"])
def test_a_lost_outbox_is_refused_and_local_ids_are_not_given_out_again(
    desk, tmp_path, capsys, how
):
    root, outbox_dir = desk
    lose(outbox_dir / "outbox.db", how)
    with pytest.raises(OutboxError) as caught:
        queue(outbox_dir, 1)
    assert caught.value.code == "outbox_missing"
    assert str(outbox_dir / "outbox.db") in caught.value.detail
    assert "backup" in caught.value.detail
    for args in every_command(root, tmp_path):
        code, out, err = run(capsys, root, *args)
        assert code != 0, args
        assert "outbox_missing" in err or "outbox_empty" in err or args[0] == "import", args
        assert "Traceback" not in err
        assert '"exported"' not in out and '"drained": true' not in out
    # Nothing was recreated behind the admin's back.
    assert how != "deleted" or not (outbox_dir / "outbox.db").exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 3],
        lambda b: os.urandom(len(b)),
        lambda b: b"this is a text file, not a database\n" * 50,
        lambda b: b[:100] + os.urandom(len(b) - 100),
    ],
    ids=["truncated", "random", "text", "header_only"],
)
def test_a_damaged_outbox_gives_a_clear_code_in_every_command(desk, tmp_path, capsys, damage):
    root, outbox_dir = desk
    db = outbox_dir / "outbox.db"
    db.write_bytes(damage(db.read_bytes()))
    for args in every_command(root, tmp_path):
        code, _out, err = run(capsys, root, *args)
        assert code == 1, (args, err)
        assert "Traceback" not in err
        if args[0] != "import":
            assert "outbox_damaged" in err or "outbox_empty" in err, (args, err)
    with pytest.raises(OutboxError) as caught:
        queue(outbox_dir, 1)
    assert caught.value.code in ("outbox_damaged", "outbox_missing")


def test_a_moved_data_folder_names_its_key_and_no_second_key_is_made(desk, tmp_path, capsys):
    root, outbox_dir = desk
    old_key = DataKeyStore(outbox_dir).key_file
    moved_root = tmp_path / "moved"
    shutil.move(root, moved_root)
    moved = moved_root / "training"
    keys_before = sorted(default_key_dir().iterdir())

    with pytest.raises(OutboxError) as caught:
        queue(moved, 1)
    assert caught.value.code == "data_key_missing"
    assert str(old_key) in caught.value.detail
    pp = str(tmp_path / "pp")
    code, _, err = run(
        capsys, moved_root, "export", str(tmp_path / "m.export"), "--passphrase-file", pp
    )
    assert code == 1 and "data_key_missing" in err and str(old_key) in err
    assert sorted(default_key_dir().iterdir()) == keys_before

    code, out, _ = run(capsys, moved_root, "status")
    status = json.loads(out)
    assert code == 0 and status["counts"]["pending"] == 3
    assert "readable only by this user" not in status["key_store"]
    assert status["key_store"].startswith("missing (data_key_missing)")
    assert str(old_key) in status["key_store"]

    # What the message says to do works.
    shutil.copy2(old_key, DataKeyStore(moved).key_file)
    assert len(queue(moved, 1)) == 1


def test_export_takes_the_readable_cases_and_names_the_others(desk, tmp_path, capsys):
    root, outbox_dir = desk
    conn = sqlite3.connect(outbox_dir / "outbox.db")
    local_id, body = conn.execute(
        "SELECT local_id, body FROM outbox_cases ORDER BY id LIMIT 1 OFFSET 1"
    ).fetchone()
    altered = bytes([body[0] ^ 1]) + body[1:]
    conn.execute("UPDATE outbox_cases SET body = ? WHERE local_id = ?", (altered, local_id))
    conn.commit()
    conn.close()
    target = tmp_path / "e.export"
    code, out, err = run(
        capsys, root, "export", str(target), "--passphrase-file", str(tmp_path / "pp")
    )
    assert code == 1
    result = json.loads(out)
    assert result["cases"] == 2 and result["unreadable"] == [local_id]
    assert local_id in err and target.exists()


def test_export_targets_and_list_limits_are_checked(desk, tmp_path, capsys):
    root, _ = desk
    pp = str(tmp_path / "pp")
    folder = tmp_path / "afolder"
    folder.mkdir()
    code, _, err = run(capsys, root, "export", str(folder), "--force", "--passphrase-file", pp)
    assert code == 2 and "folder" in err
    code, _, err = run(
        capsys, root, "export", str(tmp_path / "no" / "dir" / "e.export"), "--passphrase-file", pp
    )
    assert code == 2 and "does not exist" in err
    assert run(capsys, root, "list", "--limit", "-1")[0] == 2
    assert run(capsys, root, "list", "--limit", "0")[0] == 2
    file_dir = tmp_path / "plainfile"
    file_dir.write_text("x", encoding="utf-8")
    code, out, err = run(capsys, file_dir, "status")
    assert code == 2 and out == "" and "not a folder" in err
