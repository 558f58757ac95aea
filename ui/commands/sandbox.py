"""The ``sandbox`` command: the reference central service on this machine.

``hall-counter sandbox [--host 127.0.0.1] [--port P|0] [--db FILE] [--seed FILE] [--tls]
[--advance-seconds S] [--faults SPEC] [--history DAYS[:CASES]]`` prints one JSON line
``{"event": "listening", "url": …}`` (with ``"cert"`` under ``--tls``, ``"faults"`` when
faults are on) once it accepts requests, then serves until SIGINT or SIGTERM. A bad
``--faults`` or ``--history`` exits 2 naming the problem. Imports neither PySide6 nor dlib.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add this module's commands to the parser."""
    parser = subparsers.add_parser(
        "sandbox",
        help="run the reference central service (training, demos, tests)",
        description=(
            "Run the reference central service. Prints one JSON line "
            '{"event": "listening", "url": ...} when ready; stops on SIGINT or SIGTERM.'
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=int,
        default=8765,
        help="port to listen on (default 8765; 0 picks a free one)",
    )
    parser.add_argument(
        "--db", type=Path, default=None, help="SQLite database (default: DATA_DIR/sandbox.db)"
    )
    parser.add_argument(
        "--seed", type=Path, default=None, help="seed file (default: the bundled training seed)"
    )
    parser.add_argument(
        "--tls",
        action="store_true",
        help="serve HTTPS with a self-signed certificate made beside the database",
    )
    parser.add_argument(
        "--advance-seconds",
        type=float,
        default=30.0,
        metavar="S",
        help="move each open case one department along after S seconds (0: only on request)",
    )
    parser.add_argument(
        "--faults",
        default="",
        metavar="SPEC",
        help=(
            "inject faults into /v1/ requests: comma-separated name=value items error_rate "
            "(0-1, answered 503), delay_ms, rate_limit (requests/s, 429 beyond), "
            "drop_after_commit (0-1 of new cases stored, then the connection cut), seed "
            "(e.g. error_rate=0.2,delay_ms=300,seed=7)"
        ),
    )
    parser.add_argument(
        "--history",
        default=None,
        metavar="DAYS[:CASES]",
        help=(
            "replace the generated case history with CASES cases (default 120 a day) over the "
            "last DAYS days, social_insurance made slow, for the supervisor's dashboard"
        ),
    )
    parser.set_defaults(handler=run_sandbox)


def parse_history(text: str) -> tuple[int, int | None]:
    """``DAYS[:CASES]`` -> (days, cases or None); ValueError with the reason."""
    days_text, _, cases_text = text.strip().partition(":")
    try:
        days = int(days_text)
        cases = int(cases_text) if cases_text else None
    except ValueError:
        raise ValueError("expected DAYS or DAYS:CASES with whole numbers") from None
    if not 1 <= days <= 366:
        raise ValueError("DAYS must be 1..366")
    if cases is not None and not 1 <= cases <= 100_000:
        raise ValueError("CASES must be 1..100000")
    return days, cases


def run_sandbox(args: argparse.Namespace) -> int:
    """Handler of ``hall-counter sandbox``."""
    from sandbox.faults import FaultSpecError, parse_faults
    from sandbox.server import SandboxError, run

    if not 0 <= args.port <= 65535 or args.advance_seconds < 0:
        print(
            "sandbox: --port must be 0..65535 and --advance-seconds not negative", file=sys.stderr
        )
        return 2
    try:
        faults = parse_faults(args.faults)
    except FaultSpecError as exc:
        print(f"sandbox: --faults: {exc}", file=sys.stderr)
        return 2
    history_days, history_cases = 0, None
    if args.history is not None:
        try:
            history_days, history_cases = parse_history(args.history)
        except ValueError as exc:
            print(f"sandbox: --history {args.history!r}: {exc}", file=sys.stderr)
            return 2
    sandbox_log = logging.getLogger("sandbox")
    if sandbox_log.level == logging.NOTSET or sandbox_log.level > logging.INFO:
        sandbox_log.setLevel(logging.INFO)

    db = args.db if args.db is not None else Path(args.data_dir) / "sandbox.db"
    try:
        return run(
            args.host,
            args.port,
            db,
            args.seed,
            args.tls,
            advance_seconds=args.advance_seconds,
            faults=faults,
            history_days=history_days,
            history_cases=history_cases,
        )
    except SandboxError as exc:
        print(f"sandbox: {exc}", file=sys.stderr, flush=True)
        return 1
