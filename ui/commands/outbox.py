"""The ``outbox`` commands: ``status``, ``list``, ``drain``, ``export`` and ``import``.

Which outbox: with ``--config FILE`` the production outbox in the data directory, sending with
the workstation credentials of the configuration (``--central URL`` overrides its central).
Without ``--config`` the training outbox in ``<data dir>/training`` (see :mod:`ui.app`):
``drain`` then uses the training workstation credentials that ``demo`` / training mode stored
there (``workstation.json``, user-only) and sends to ``--central URL``; when none is given, to
the central ``demo --central URL`` enrolled the workstation with (recorded in
``workstation.json``), else to an embedded sandbox on 127.0.0.1 serving the training data
directory's own ``sandbox.db``. It says on stderr which central it sends to.

Output is JSON: ``status`` one object (``mode``, ``data_dir``, ``key_store``, ``counts``,
``freeze``), ``list`` one object per row (no personal data), ``drain`` a stream of
``case_sent`` / ``case_rejected`` events and a ``summary`` (with ``answers``: what central
answered, by HTTP status or transport error), ``export`` and ``import`` one object each.
``drain`` exits 0 when nothing is left pending (rejected cases stay for the clerk), 1 otherwise.

``export FILE`` writes every unsent case (pending, sending, rejected and not yet corrected) to
FILE sealed under a passphrase (scrypt + AES-256-GCM, see docs/outbox.md); the cases stay in
this outbox. ``import FILE`` adds them to this outbox with their original local ids and
idempotency keys, so importing twice, or importing cases central already has, creates no
second case. The passphrase comes from ``--passphrase-file FILE``, else the environment
variable ``HALL_COUNTER_EXPORT_PASSPHRASE``, else a prompt on the terminal (twice at export).

These commands import neither PySide6 nor dlib.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

from ui.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE

STATES = ("pending", "sending", "sent", "rejected", "withdrawn")
PASSPHRASE_ENV = "HALL_COUNTER_EXPORT_PASSPHRASE"


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
    listing.add_argument(
        "--limit", type=_positive_int, default=1000, help="at most this many rows (1000)"
    )
    listing.set_defaults(handler=run_list)

    drain = commands.add_parser("drain", help="send until empty or only rejected cases remain")
    drain.add_argument("--central", metavar="URL", help="central to send to")
    drain.add_argument(
        "--wait", type=float, default=60.0, metavar="S", help="give up after S seconds (60)"
    )
    drain.set_defaults(handler=run_drain)

    export = commands.add_parser(
        "export", help="write the unsent cases to a file sealed under a passphrase"
    )
    export.add_argument("file", type=Path, metavar="FILE", help="the file to write")
    export.add_argument("--passphrase-file", type=Path, metavar="F", help="read it from F")
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    export.set_defaults(handler=run_export)

    importing = commands.add_parser("import", help="add the cases of an export file")
    importing.add_argument("file", type=Path, metavar="FILE", help="the file to read")
    importing.add_argument("--passphrase-file", type=Path, metavar="F", help="read it from F")
    importing.set_defaults(handler=run_import)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from exc
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


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


class _UsageError(Exception):
    pass


def _which(args: argparse.Namespace) -> tuple[str, Path]:
    """(mode, outbox folder); _UsageError when --data-dir is not a folder."""
    from ui.app import training_data_dir

    root = Path(args.data_dir)
    if root.exists() and not root.is_dir():
        raise _UsageError(f"--data-dir {root} is not a folder")
    if args.config is not None:
        return "production", root
    data_dir = training_data_dir(root)
    if data_dir.exists() and not data_dir.is_dir():
        raise _UsageError(f"{data_dir} is not a folder")
    return "training", data_dir


def _missing(data_dir: Path) -> str:
    return (
        f"outbox_missing: there is no outbox database in {data_dir}, but this folder's data "
        "key exists: the outbox was lost or moved; restore outbox.db from a backup "
        "(docs/outbox.md)"
    )


def _outbox_error(exc: BaseException) -> str:
    """The one-line message for an outbox failure (OutboxError or a SQLite error)."""
    code = getattr(exc, "code", None)
    detail = getattr(exc, "detail", None)
    if code and detail:
        return f"{code}: {detail}"
    return f"outbox_damaged: {type(exc).__name__}"


def _freeze_policy(args: argparse.Namespace):
    """The freeze rule of --config, or the defaults (training)."""
    from desktop.outbox import FreezePolicy
    from desktop.settings import load_settings

    if args.config is None:
        return FreezePolicy()
    return FreezePolicy.from_settings(load_settings(args.config))


def run_status(args: argparse.Namespace) -> int:
    """Handler of ``outbox status``."""
    from desktop.crypto import DataKeyStore, key_store_description
    from desktop.errors import OutboxError
    from desktop.outbox import DB_NAME, evaluate_freeze, open_readonly
    from desktop.settings import SettingsError

    try:
        mode, data_dir = _which(args)
        policy = _freeze_policy(args)
    except (SettingsError, _UsageError) as exc:
        return _fail(str(exc), EXIT_USAGE)
    counts = dict.fromkeys(STATES, 0)
    freeze = evaluate_freeze(policy, 0, None, 0.0)
    key_store = key_store_description(data_dir)
    if (data_dir / DB_NAME).exists():
        try:
            with open_readonly(data_dir, freeze=policy) as store:
                counts = store.counts()
                freeze = store.freeze_state()
                sealed = store.has_key_check()
        except OutboxError as exc:
            return _fail(_outbox_error(exc))
        keys = DataKeyStore(data_dir)
        if sealed and not keys.exists():
            try:
                keys.load_or_create(create=False)
            except OutboxError as exc:
                key_store = f"missing ({exc.code}): {exc.detail}"
    elif DataKeyStore(data_dir).exists():
        return _fail(_missing(data_dir))
    _emit(
        {
            "mode": mode,
            "data_dir": str(data_dir),
            "key_store": key_store,
            "counts": counts,
            "freeze": freeze.to_json(),
        }
    )
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    """Handler of ``outbox list``."""
    from desktop.crypto import DataKeyStore
    from desktop.errors import OutboxError
    from desktop.outbox import DB_NAME, open_readonly

    try:
        _, data_dir = _which(args)
    except _UsageError as exc:
        return _fail(str(exc), EXIT_USAGE)
    if not (data_dir / DB_NAME).exists():
        if DataKeyStore(data_dir).exists():
            return _fail(_missing(data_dir))
        return EXIT_OK
    try:
        with open_readonly(data_dir) as store:
            entries = store.entries(states=tuple(args.state or ()) or None, limit=args.limit)
    except OutboxError as exc:
        return _fail(_outbox_error(exc))
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
    from desktop.settings import SettingsError, load_settings, mask_url
    from ui.app import TrainingCentral, load_training_workstation, make_outbox

    training_central = None
    try:
        mode, data_dir = _which(args)
        if mode == "production":
            settings = load_settings(args.config)
            if args.central:
                settings = settings.with_central(args.central)
            source = "--central" if args.central else f"the configuration {args.config}"
            print(
                f"outbox: sending to {mask_url(settings.central_url)} from {source}",
                file=sys.stderr,
            )
        else:
            if not (data_dir / "workstation.json").exists():
                return _fail(
                    f"no training workstation is stored in {data_dir}; run `hall-counter demo` "
                    "first, or give --config for a production outbox"
                )
            url = args.central
            source = "--central"
            if url is None:
                stored = json.loads((data_dir / "workstation.json").read_text(encoding="utf-8"))
                if stored.get("central_given") and stored.get("central_url"):
                    # `demo --central URL` enrolled this workstation with that central.
                    url, source = stored["central_url"], "workstation.json (demo --central)"
                else:
                    training_central = TrainingCentral(data_dir)
                    url = training_central.start().central_url
                    source = "the embedded training sandbox (training/sandbox.db)"
            settings = load_training_workstation(data_dir, url)
            print(f"outbox: sending to {mask_url(url)} from {source}", file=sys.stderr)
    except (SettingsError, _UsageError) as exc:
        if training_central is not None:
            training_central.stop()
        return _fail(str(exc), EXIT_USAGE)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        if training_central is not None:
            training_central.stop()
        return _fail(f"workstation_unreadable: {data_dir / 'workstation.json'} ({exc})")

    printer = _DrainPrinter()
    outbox = make_outbox(settings, data_dir)
    outbox.add_listener(printer)
    answers: dict[str, int] = {}
    try:
        try:
            outbox.start()
        except OutboxError as exc:
            return _fail(_outbox_error(exc))
        outbox.wake()
        drained = outbox.wait_until(
            lambda c: c["pending"] == 0 and c["sending"] == 0, max(0.0, args.wait)
        )
        counts = outbox.counts()
        if outbox.sync is not None:
            answers = dict(sorted(outbox.sync.answers.items()))
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
            "answers": answers,
        },
        printer.lock,
    )
    return EXIT_OK if drained else EXIT_FAILED


# --- export and import -------------------------------------------------------------------------


def _passphrase(args: argparse.Namespace, *, confirm: bool) -> str | None:
    """The passphrase from --passphrase-file, the environment or the terminal; None if none."""
    if args.passphrase_file is not None:
        try:
            text = args.passphrase_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise _UsageError(f"cannot read {args.passphrase_file}: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise _UsageError(f"{args.passphrase_file} is not UTF-8 text") from exc
        return text.rstrip("\r\n")
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        return None
    import getpass

    first = getpass.getpass("Passphrase for the outbox file: ")
    if confirm and getpass.getpass("The same passphrase again: ") != first:
        raise _UsageError("the two passphrases differ")
    return first


def _local_outbox(args: argparse.Namespace):
    """(OutboxService without sync, this desk's workstation id or None, whether it is a
    training desk) for export/import. A training desk: no --config, or a configuration that
    says ``training = true``."""
    from desktop.outbox import OutboxService
    from desktop.settings import load_settings
    from ui.app import WORKSTATION_FILE, make_outbox

    mode, data_dir = _which(args)
    if mode == "production":
        settings = load_settings(args.config)
        return (
            make_outbox(settings, data_dir, sync=False),
            settings.workstation_id,
            settings.training,
        )
    workstation = None
    stored = data_dir / WORKSTATION_FILE
    if stored.exists():
        try:
            workstation = json.loads(stored.read_text(encoding="utf-8")).get("workstation_id")
        except (OSError, ValueError, AttributeError) as exc:
            raise _UsageError(f"cannot read {stored}: {exc}") from exc
    return OutboxService(data_dir), workstation, True


def _with_outbox(args: argparse.Namespace, action: str, work) -> int:
    from desktop.errors import OutboxError
    from desktop.settings import SettingsError

    try:
        passphrase = _passphrase(args, confirm=action == "export")
        if passphrase is None:
            raise _UsageError(
                f"give the passphrase with --passphrase-file or {PASSPHRASE_ENV}, "
                "or run on a terminal"
            )
        _which(args)
        outbox, workstation, training = _local_outbox(args)
    except (_UsageError, SettingsError) as exc:
        return _fail(str(exc), EXIT_USAGE)
    try:
        outbox.start()
        return work(outbox, passphrase, workstation, training)
    except OutboxError as exc:
        return _fail(_outbox_error(exc))
    finally:
        outbox.stop()


def run_export(args: argparse.Namespace) -> int:
    """Handler of ``outbox export FILE``."""
    from desktop.outbox import DB_NAME

    target: Path = args.file
    if target.is_dir():
        return _fail(f"{target} is a folder; give the name of the file to write", EXIT_USAGE)
    if target.exists() and not args.force:
        return _fail(f"{target} exists; give --force to overwrite it")
    if not target.parent.is_dir():
        return _fail(f"the folder {target.parent} does not exist; create it first", EXIT_USAGE)
    try:
        _, data_dir = _which(args)
    except _UsageError as exc:
        return _fail(str(exc), EXIT_USAGE)
    if not (data_dir / DB_NAME).exists():
        from desktop.crypto import DataKeyStore

        if DataKeyStore(data_dir).exists():
            return _fail(_missing(data_dir))
        return _fail(f"no outbox in {data_dir}")

    def work(outbox, passphrase: str, workstation: str | None, training: bool) -> int:
        if workstation is None:
            # An export takes cases off the desk: it is recorded in the desk's audit trail.
            return _fail("no desk is set up in this data directory; nothing exported")
        result = outbox.export_to(args.file, passphrase, training=training).result()
        problem = _audit_export(args, data_dir, workstation, result.count)
        if problem:
            return _fail(problem)
        _emit(
            {
                "event": "exported",
                "file": str(result.path),
                "cases": result.count,
                "local_ids": list(result.local_ids),
                "unreadable": list(result.unreadable),
            }
        )
        if result.unreadable:
            print(
                f"outbox: {len(result.unreadable)} case(s) could not be decrypted and are not "
                f"in the file: {', '.join(result.unreadable)}; they stay in this outbox",
                file=sys.stderr,
            )
            return EXIT_FAILED
        return EXIT_OK

    return _with_outbox(args, "export", work)


def _audit_export(
    args: argparse.Namespace, data_dir: Path, workstation: str, count: int
) -> str | None:
    """Append ``cases_exported`` to the desk's audit chain; None when done, else why not."""
    import getpass
    import re

    from desktop.audit import append_record

    suite = "international"
    try:
        if args.config is not None:
            from desktop.settings import load_settings

            suite = load_settings(args.config).crypto_suite
        try:
            user = getpass.getuser()
        except Exception:
            user = "unknown"
        append_record(
            data_dir,
            "cases_exported",
            workstation_id=workstation,
            crypto_suite=suite,
            actor="os:" + (re.sub(r"[^A-Za-z0-9_.@-]", "_", user)[:60] or "unknown"),
            details={"count": count, "via": "cli"},
        )
    except Exception as exc:
        code = getattr(exc, "code", type(exc).__name__)
        return f"exported, but the export could not be recorded in the audit trail ({code})"
    return None


def run_import(args: argparse.Namespace) -> int:
    """Handler of ``outbox import FILE``."""

    def work(outbox, passphrase: str, workstation: str | None, training: bool) -> int:
        result = outbox.import_from(args.file, passphrase, training=training).result()
        foreign = [w for w in result.workstations if workstation and w != workstation]
        _emit(
            {
                "event": "imported",
                "file": str(args.file),
                "imported": len(result.imported),
                "already_present": len(result.present),
                "conflicts": list(result.conflicts),
                "workstations": list(result.workstations),
                "foreign_workstations": foreign,
                "counts": outbox.counts(),
            }
        )
        if foreign:
            print(
                f"outbox: the imported cases name workstation(s) {', '.join(foreign)}, not "
                f"this desk ({workstation}); central accepts a case only from the workstation "
                "it names, unless it has them already",
                file=sys.stderr,
            )
        if result.conflicts:
            print(
                f"outbox: {len(result.conflicts)} case(s) not imported: another case here has "
                "the same local id (two desks enrolled as one workstation?)",
                file=sys.stderr,
            )
            return EXIT_FAILED
        return EXIT_OK

    return _with_outbox(args, "import", work)
