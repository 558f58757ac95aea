"""The ``hall-counter`` command line: global options, subcommands and exit codes.

Exit codes: 0 done, 1 failed, 2 bad usage. Heavy imports (PySide6, dlib, pyscard) happen inside
the handlers that need them, so light commands such as ``outbox drain`` start fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import multiprocessing
import sys
from pathlib import Path

from platformdirs import user_data_dir

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

# Modules under ui.commands, each with register(subparsers).
COMMAND_MODULES = ("card", "face", "sandbox", "outbox", "demo", "audit", "selftest", "diagnostics")

DEBUG_TOPICS = ("card", "face", "outbox", "central", "ui", "sandbox")


def default_data_dir() -> Path:
    """The platform's per-user data directory for Hall Counter."""
    return Path(user_data_dir("hall-counter", appauthor=False))


def _parse_topics(value: str) -> list[str]:
    topics = [t.strip() for t in value.split(",") if t.strip()]
    unknown = [t for t in topics if t not in DEBUG_TOPICS and t != "all"]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown debug topic(s): {', '.join(unknown)}; choose from "
            f"{', '.join(DEBUG_TOPICS)}, or all"
        )
    return list(DEBUG_TOPICS) if "all" in topics else topics


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="hall-counter",
        description="Hall Counter: service-window desk for social-security service halls.",
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="data directory")
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="configuration file (TOML); the window, self-test and diagnostics default to the "
        "user's file, else the system-wide one (docs/configuration.md)",
    )
    parser.add_argument("--lang", choices=("zh_CN", "en"), default=None, help="interface language")
    parser.add_argument(
        "--debug",
        type=_parse_topics,
        default=[],
        metavar="TOPICS",
        help=f"comma-separated debug topics: {','.join(DEBUG_TOPICS)}; or all",
    )
    parser.add_argument("--training", action="store_true", help="training mode (GUI)")
    parser.add_argument("--kiosk", action="store_true", help="self-service kiosk mode (GUI)")
    parser.set_defaults(handler=_run_gui)

    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"ui.commands.{name}")
        module.register(subparsers)
    return parser


def _run_gui(args: argparse.Namespace) -> int:
    from ui.qt.main import run_gui

    return run_gui(args)


class _StderrHandler(logging.StreamHandler):
    """Writes each record to the ``sys.stderr`` of that moment.

    ``main()`` may run more than once in a process (tests, embedding); a handler bound to the
    stream of the first call would write to a closed or replaced stream later.
    """

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure_logging(args: argparse.Namespace) -> None:
    """Log to stderr: warnings by default, DEBUG for the chosen topics."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(old)
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    topic_loggers = {
        "card": ("devices.card", "desktop.card_service"),
        "face": ("devices.face", "devices.camera"),
        "outbox": ("desktop.outbox", "desktop.sync"),
        "central": ("desktop.central",),
        "ui": ("ui",),
        "sandbox": ("sandbox",),
    }
    for topic in args.debug:
        for name in topic_loggers[topic]:
            logging.getLogger(name).setLevel(logging.DEBUG)

    # The rotating log file in the data directory; a desk whose data directory cannot be
    # written still runs (self-test reports the problem).
    from desktop.logfiles import attach_log_file

    try:
        attach_log_file(args.data_dir)
    except OSError as exc:
        log.warning("no log file in the data directory: %s", exc)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``hall-counter`` console script."""
    # The face worker is a spawned process; in a frozen bundle the child re-enters here.
    multiprocessing.freeze_support()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    if args.data_dir is None:
        args.data_dir = default_data_dir()
    configure_logging(args)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
