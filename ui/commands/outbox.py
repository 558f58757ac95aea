"""The ``outbox`` commands: ``status``, ``list`` and ``drain``.

Which outbox: with ``--config FILE`` the production outbox in the data directory, sending with
the workstation credentials of the configuration (``--central URL`` overrides its central).
Without ``--config`` the training outbox in ``<data dir>/training`` (see :mod:`ui.app`):
``drain`` then uses the training workstation credentials that ``demo`` / training mode stored
there (``workstation.json``, user-only) and sends to ``--central URL``, or, when none is given,
to an embedded sandbox on 127.0.0.1 serving the training data directory's own ``sandbox.db``.

Output is JSON: ``status`` one object (``mode``, ``data_dir``, ``key_store``, ``counts``),
``list`` one object per row (no personal data), ``drain`` a stream of ``case_sent`` /
``case_rejected`` events and a ``summary``. ``drain`` exits 0 when nothing is left pending
(rejected cases stay for the clerk), 1 otherwise. These commands import neither PySide6 nor
dlib.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path
from typing import Any

from ui.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE

STATES = ("pending", "sending", "sent", "rejected", "withdrawn")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add this module's commands to the parser."""
    parser = subparsers.add_parser(
        "outbox",
        help="inspect and send the queue of cases waiting for central",
        description=(
            "The local queue of cases. Without --config: the training outbox "
            "(DATA_DIR/training); with --config: the production outbox in DATA_DIR."
        ),
    )
    commands = parser.add_subparsers(title="outbox commands", metavar="ACTION", required=True)

    status = commands.add_parser("status", help="counts by state (JSON)")
    status.set_defaults(handler=run_status)

    listing = commands.add_parser("list", help="rows without personal data (JSON lines)")
    listing.add_argument("--state", choices=STATES, action="append", help="only these states")
    listing.add_argument("--limit", type=int, default=1000, help="at most this many rows")
    listing.set_defaults(handler=run_list)

    drain = commands.add_parser("drain", help="send until empty or only rejected cases remain")
    drain.add_argument("--central", metavar="URL", help="central to send to")
    drain.add_argument(
        "--wait", type=float, default=60.0, metavar="S", help="give up after S seconds (60)"
    )
    drain.set_defaults(handler=run_drain)


def _emit(obj: dict[str, Any], lock: threading.Lock | None = None) -> None:
    line = json.dumps(obj, ensure_ascii=False)
    if lock is None:
        print(line, flush=True)
    else:
        with lock:
            print(line, flush=True)


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"outbox: {message}", file=sys.stderr)
    return code


def _which(args: argparse.Namespace) -> tuple[str, Path]:
    from ui.app import training_data_dir

    if args.config is not None:
        return "production", Path(args.data_dir)
    return "training", training_data_dir(args.data_dir)


def run_status(args: argparse.Namespace) -> int:
    """Handler of ``outbox status``."""
    from desktop.crypto import key_store_description
    from desktop.errors import OutboxError
    from desktop.outbox import DB_NAME, open_readonly

    mode, data_dir = _which(args)
    counts = dict.fromkeys(STATES, 0)
    if (data_dir / DB_NAME).exists():
        try:
            with open_readonly(data_dir) as store:
                counts = store.counts()
        except OutboxError as exc:
            return _fail(f"{exc.code}: {exc.detail}")
    _emit(
        {
            "mode": mode,
            "data_dir": str(data_dir),
            "key_store": key_store_description(data_dir),
            "counts": counts,
        }
    )
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    """Handler of ``outbox list``."""
    from desktop.errors import OutboxError
    from desktop.outbox import DB_NAME, open_readonly

    _, data_dir = _which(args)
    if not (data_dir / DB_NAME).exists():
        return EXIT_OK
    try:
        with open_readonly(data_dir) as store:
            entries = store.entries(states=tuple(args.state or ()) or None, limit=args.limit)
    except OutboxError as exc:
        return _fail(f"{exc.code}: {exc.detail}")
    for entry in entries:
        _emit(entry.to_json())
    return EXIT_OK


class _DrainPrinter:
    """Prints the outbox's send events as JSON lines."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent = 0
        self.rejected = 0

    def on_case_sent(self, local_id: str, central_id: str) -> None:
        self.sent += 1
        _emit({"event": "case_sent", "local_id": local_id, "central_id": central_id}, self.lock)

    def on_case_rejected(self, local_id: str, reason: str) -> None:
        self.rejected += 1
        _emit({"event": "case_rejected", "local_id": local_id, "reason": reason}, self.lock)

    def on_network_state(self, online: bool) -> None:
        _emit({"event": "network", "online": online}, self.lock)


def run_drain(args: argparse.Namespace) -> int:
    """Handler of ``outbox drain``."""
    from desktop.errors import OutboxError
    from desktop.settings import SettingsError, load_settings
    from ui.app import TrainingCentral, load_training_workstation, make_outbox

    mode, data_dir = _which(args)
    training_central = None
    try:
        if mode == "production":
            settings = load_settings(args.config)
            if args.central:
                settings = settings.with_central(args.central)
        else:
            if not (data_dir / "workstation.json").exists():
                return _fail(
                    f"no training workstation is stored in {data_dir}; run `hall-counter demo` "
                    "first, or give --config for a production outbox"
                )
            url = args.central
            if url is None:
                training_central = TrainingCentral(data_dir)
                url = training_central.start().central_url
            settings = load_training_workstation(data_dir, url)
    except SettingsError as exc:
        if training_central is not None:
            training_central.stop()
        return _fail(str(exc), EXIT_USAGE)

    printer = _DrainPrinter()
    outbox = make_outbox(settings, data_dir)
    outbox.add_listener(printer)
    try:
        try:
            outbox.start()
        except OutboxError as exc:
            return _fail(f"{exc.code}: {exc.detail}")
        outbox.wake()
        drained = outbox.wait_until(
            lambda c: c["pending"] == 0 and c["sending"] == 0, max(0.0, args.wait)
        )
        counts = outbox.counts()
    finally:
        outbox.stop()
        if training_central is not None:
            training_central.stop()
    _emit(
        {
            "event": "summary",
            "sent": printer.sent,
            "rejected": printer.rejected,
            "counts": counts,
            "drained": drained,
        },
        printer.lock,
    )
    return EXIT_OK if drained else EXIT_FAILED
