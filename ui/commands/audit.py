"""The ``audit`` commands: ``verify`` the desk's audit chain and ``list`` its records.

Which chain: with ``--config FILE`` the production desk's (``audit.db`` in the data directory),
without it the training desk's (``<data dir>/training``), as for ``outbox``. The audit secret is
read from where the desk keeps it (keyring or user-only key file, see :mod:`desktop.audit`);
nothing is created or changed.

``audit verify`` checks every record from the first: its sequence number, its link to the
record before it and its HMAC; then that the chain reaches the last head central acknowledged
(as the desk remembers it, or as central answers with ``--central URL``, asked as the
workstation). It prints one line (``--json``: one JSON object with ``ok``, ``records``,
``head_seq``, ``first_bad``, ``problem``, ``detail``, ``central_head_seq``) and exits 0 when the
chain is intact, 1 when it is not (naming the first bad record) or cannot be checked, 2 on bad
usage. ``audit list`` prints the records as JSON lines (codes and ``person_ref`` only).

These commands import neither PySide6 nor dlib.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

from ui.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add this module's commands to the parser."""
    parser = subparsers.add_parser(
        "audit",
        help="check the desk's tamper-evident audit trail",
        description=(
            "The desk's audit chain. Without --config: the training desk's (DATA_DIR/training); "
            "with --config: the production desk's in DATA_DIR."
        ),
    )
    commands = parser.add_subparsers(title="audit commands", metavar="ACTION", required=True)

    verify = commands.add_parser(
        "verify", help="check the chain; name the first bad record (exit 1 when broken)"
    )
    verify.add_argument(
        "--central", metavar="URL", help="also check against the last head central holds"
    )
    verify.add_argument("--json", action="store_true", help="print one JSON object")
    verify.set_defaults(handler=run_verify)

    listing = commands.add_parser("list", help="the records as JSON lines (no personal data)")
    listing.add_argument("--after", type=int, default=0, metavar="SEQ", help="records after SEQ")
    listing.add_argument("--limit", type=int, default=1000, help="at most this many records")
    listing.set_defaults(handler=run_list)


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"audit: {message}", file=sys.stderr)
    return code


def _which(args: argparse.Namespace) -> tuple[str, Path]:
    from ui.app import training_data_dir

    if args.config is not None:
        return "production", Path(args.data_dir)
    return "training", training_data_dir(args.data_dir)


def _open(data_dir: Path) -> tuple[Any, bytes]:
    """The chain read-only and its secret; AuditError when either is missing."""
    from desktop.audit import AUDIT_DB, AuditError, AuditKeyStore, AuditStore

    if not (data_dir / AUDIT_DB).exists():
        raise AuditError("no_audit_chain", f"there is no audit chain in {data_dir}")
    key = AuditKeyStore(data_dir).load_existing()
    if key is None:
        raise AuditError(
            "audit_key_missing",
            f"the audit secret of {data_dir} is missing; restore the desk's audit key",
        )
    return AuditStore(data_dir, None, readonly=True), key


def _central_head(args: argparse.Namespace, mode: str, data_dir: Path):
    """The head central holds for this desk's workstation (asked as the workstation)."""
    from desktop.audit import fetch_central_head
    from desktop.central import CentralClient
    from desktop.settings import load_settings
    from ui.app import load_training_workstation

    if mode == "production":
        settings = load_settings(args.config).with_central(args.central)
    else:
        settings = load_training_workstation(data_dir, args.central)
        if settings is None:
            raise LookupError(f"no training workstation is stored in {data_dir}")
    client = CentralClient.from_settings(settings)
    try:
        token = client.workstation_login(settings.workstation_id, settings.workstation_secret)
        return fetch_central_head(client, token.token, settings.workstation_id)
    finally:
        client.close()


def run_verify(args: argparse.Namespace) -> int:
    """Handler of ``audit verify``."""
    from desktop.audit import AuditError, verify_store
    from desktop.central import CentralError
    from desktop.settings import SettingsError

    mode, data_dir = _which(args)

    def failed(code: str, message: str, exit_code: int = EXIT_FAILED) -> int:
        if args.json:
            print(
                json.dumps({"mode": mode, "ok": False, "code": code, "detail": message}),
                flush=True,
            )
        return _fail(f"{code}: {message}" if code not in message else message, exit_code)

    head = None
    if args.central:
        try:
            head = _central_head(args, mode, data_dir)
        except SettingsError as exc:
            return failed("usage", str(exc), EXIT_USAGE)
        except LookupError as exc:
            return failed("no_workstation", str(exc))
        except CentralError as exc:
            return failed(exc.code, f"cannot ask central for the chain's head: {exc.code}")
        except (OSError, ValueError, KeyError) as exc:
            return failed("workstation_unreadable", f"cannot read the workstation: {exc}")
    try:
        store, key = _open(data_dir)
    except AuditError as exc:
        return failed(exc.code, exc.detail)
    except sqlite3.DatabaseError as exc:
        return failed("audit_damaged", _damaged(data_dir, exc))
    try:
        result = verify_store(
            store, key, central_head=head, central_source="central" if head else None
        )
    except sqlite3.DatabaseError as exc:
        return failed("audit_damaged", _damaged(data_dir, exc))
    finally:
        store.close()

    if args.json:
        print(json.dumps({"mode": mode, **result.to_json()}, ensure_ascii=False), flush=True)
    elif result.ok:
        central = ""
        if result.central_head_seq is not None:
            central = f"; central holds records up to {result.central_head_seq}"
        print(f"audit chain intact: {result.records} records, last {result.head_seq}{central}")
    else:
        where = f" (first bad record: {result.first_bad})" if result.first_bad else ""
        print(f"audit chain BROKEN: {result.detail}{where}")
    return EXIT_OK if result.ok else EXIT_FAILED


def run_list(args: argparse.Namespace) -> int:
    """Handler of ``audit list``."""
    from desktop.audit import AuditError

    _mode, data_dir = _which(args)
    if args.limit < 1 or args.after < 0:
        return _fail("--limit must be at least 1 and --after at least 0", EXIT_USAGE)
    try:
        store, _key = _open(data_dir)
    except AuditError as exc:
        return _fail(f"{exc.code}: {exc.detail}")
    except sqlite3.DatabaseError as exc:
        return _fail(f"audit_damaged: {_damaged(data_dir, exc)}")
    try:
        entries = store.entries(after=args.after, limit=args.limit)
    except sqlite3.DatabaseError as exc:
        return _fail(f"audit_damaged: {_damaged(data_dir, exc)}")
    finally:
        store.close()
    for entry in entries:
        print(json.dumps(entry.to_json(), ensure_ascii=False), flush=True)
    return EXIT_OK


def _damaged(data_dir: Path, exc: BaseException) -> str:
    reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return (
        f"the audit chain in {data_dir} cannot be read ({reason}); keep the file for the "
        "support team and restore audit.db from a backup"
    )
