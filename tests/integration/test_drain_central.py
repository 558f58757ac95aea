"""``outbox drain`` in training without ``--central`` sends to the central that
``demo --central URL`` enrolled the workstation with, and says where it sends."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from test_sync_sandbox import make_case

from desktop.outbox import OutboxService
from sandbox.server import EmbeddedSandbox
from ui import cli
from ui.app import store_training_workstation, training_settings
from ui.commands.demo import _mark_central


def central_local_ids(db: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {row[0] for row in conn.execute("SELECT local_id FROM cases")}
    finally:
        conn.close()


def test_drain_sends_to_the_central_demo_enrolled_with(tmp_path, capsys):
    root = tmp_path / "data"
    outbox_dir = root / "training"
    with EmbeddedSandbox(tmp_path / "central.db", advance_seconds=0) as central:
        url = central.url
        stored = store_training_workstation(outbox_dir, training_settings(central.url))
        _mark_central(stored, given=True)
        outbox = OutboxService(outbox_dir)
        outbox.start()
        try:
            queued = {outbox.enqueue(make_case()).result(10).local_id for _ in range(3)}
        finally:
            outbox.stop()
        code = cli.main(["--data-dir", str(root), "outbox", "drain", "--wait", "30"])
        out, err = capsys.readouterr()
        reached = central_local_ids(tmp_path / "central.db")
    assert code == 0, err
    assert json.loads(out.splitlines()[-1])["sent"] == 3
    assert queued <= reached
    assert f"sending to {url}" in err and "workstation.json" in err


def test_drain_keeps_its_wait_against_a_central_that_drips(tmp_path, capsys):
    import socket
    import threading

    from http_faults import drip, serve

    done = threading.Event()
    body = b'{"token": "' + b"t" * 100 + b'", "expires_in": 3600}'
    head = (
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()

    def slow(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head)
        drip(body, 0.2)(conn, stop)  # about 25 s in all
        if not stop.is_set():
            done.set()

    root = tmp_path / "data"
    outbox_dir = root / "training"
    store_training_workstation(outbox_dir, training_settings("http://127.0.0.1:9"))
    outbox = OutboxService(outbox_dir)
    outbox.start()
    try:
        outbox.enqueue(make_case()).result(10)
    finally:
        outbox.stop()
    with serve(slow) as url:
        code = cli.main(
            ["--data-dir", str(root), "outbox", "drain", "--central", url, "--wait", "1"]
        )
        finished_dripping = done.is_set()
    out, _ = capsys.readouterr()
    assert code == 1
    assert not finished_dripping  # drain gave up at its --wait, not when central finished
    counts = json.loads(out.splitlines()[-1])["counts"]
    assert counts["pending"] + counts["sending"] == 1 and counts["sent"] == 0
    assert cli.main(["--data-dir", str(root), "outbox", "status"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["pending"] == 1  # still queued
