"""Commands meet broken inputs (a damaged audit chain, a copied data folder, a bad PIN): a
message with a code and exit 2 (usage) or 1 (failure), never a traceback."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from desktop.audit import append_record
from ui import cli


def chain(root: Path) -> Path:
    """A training desk's audit chain with two records; returns the training folder."""
    folder = root / "training"
    for _ in range(2):
        append_record(folder, "cases_exported", workstation_id="W01", actor="os:test")
    return folder


def test_audit_commands_on_a_chain_whose_table_was_dropped(tmp_path, capsys):
    root = tmp_path / "data"
    folder = chain(root)
    conn = sqlite3.connect(folder / "audit.db")
    conn.execute("DROP TABLE audit_records")
    conn.commit()
    conn.close()
    for args in (["verify"], ["verify", "--json"], ["list"]):
        code = cli.main(["--data-dir", str(root), "audit", *args])
        out, err = capsys.readouterr()
        assert code == 1, args
        assert "audit_damaged" in err and "Traceback" not in err
        if "--json" in args:
            assert json.loads(out)["code"] == "audit_damaged"


def test_audit_verify_json_without_a_chain_prints_json(tmp_path, capsys):
    code = cli.main(["--data-dir", str(tmp_path), "audit", "verify", "--json"])
    out, _ = capsys.readouterr()
    assert code == 1
    assert json.loads(out) == {
        "mode": "training",
        "ok": False,
        "code": "no_audit_chain",
        "detail": f"there is no audit chain in {tmp_path / 'training'}",
    }


def test_demo_in_a_copied_data_folder_says_why_it_cannot_start(tmp_path, capsys):
    root = tmp_path / "data"
    chain(root)
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    code = cli.main(
        ["--data-dir", str(copy), "demo", "--headless", "--cases", "1", "--face", "decline"]
    )
    _, err = capsys.readouterr()
    assert code == 1
    assert "the audit trail cannot open: audit_key_missing" in err
    # The message names the key file made for the folder's old place.
    assert "audit-" in err and "copy that file to" in err


def test_demo_refuses_a_pin_that_no_card_can_have(tmp_path, capsys):
    for pin in ("12", "12ab", "1234567890123", "١٢٣٤"):
        code = cli.main(["--data-dir", str(tmp_path), "demo", "--headless", "--pin", pin])
        assert code == 2, pin
        assert "--pin must be 4 to 12 digits" in capsys.readouterr().err


def test_demo_with_a_data_dir_that_is_a_file_is_a_usage_error(tmp_path, capsys):
    plain = tmp_path / "file"
    plain.write_text("x", encoding="utf-8")
    assert cli.main(["--data-dir", str(plain), "demo", "--headless"]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_the_log_names_the_key_it_creates_without_calling_every_key_the_outbox_key(
    tmp_path, caplog
):
    import logging

    caplog.set_level(logging.INFO, logger="desktop.crypto")
    chain(tmp_path / "data")
    created = [r.getMessage() for r in caplog.records if "created" in r.getMessage()]
    assert created and all("audit-" in m for m in created)
    assert not any("outbox data key" in m for m in created)
