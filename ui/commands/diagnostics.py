"""The ``diagnostics`` command: a zip for support, without personal data.

``hall-counter [--config FILE] [--data-dir DIR] diagnostics FILE [--central URL]``

Runs the self-test (as ``self-test`` would, same options) and writes FILE: the log files of the
data directory, the versions of Python, the operating system, the C library and the key
libraries, the self-test's report, the configuration's non-secret values and the outbox counts
(see :mod:`desktop.diagnostics`). Prints what it wrote. Exit 0 when the archive was written
(whatever the self-test found), 1 when it could not be, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ui.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from ui.commands.selftest import add_central_argument, build_options


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``diagnostics`` command to the parser."""
    parser = subparsers.add_parser(
        "diagnostics",
        help="write a zip of logs, versions and the self-test for support",
        description=(
            "Write FILE, a zip of the log files, versions and the self-test's output, "
            "without personal data, for the hall's IT admin to send to support."
        ),
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the zip file to write")
    add_central_argument(parser)
    parser.set_defaults(handler=run_diagnostics)


def run_diagnostics(args: argparse.Namespace) -> int:
    """Handler of ``diagnostics``."""
    from desktop.diagnostics import write_diagnostics
    from desktop.selftest import run_self_test
    from desktop.settings import SettingsError
    from ui.app import training_data_dir

    target: Path = args.file
    if target.is_dir():
        print(f"diagnostics: {target} is a folder; give a file name", file=sys.stderr)
        return EXIT_USAGE
    if not target.absolute().parent.is_dir():
        # A mistyped path must not leave new folders behind: the folder must exist.
        print(f"diagnostics: the folder {target.absolute().parent} does not exist", file=sys.stderr)
        return EXIT_USAGE
    try:
        options = build_options(args)
    except SettingsError as exc:
        print(f"diagnostics: {exc}", file=sys.stderr)
        return EXIT_USAGE

    report = run_self_test(options)
    data_dir = Path(args.data_dir)
    outbox_dirs = [data_dir, training_data_dir(data_dir)]
    try:
        archive = write_diagnostics(
            target,
            data_dir,
            self_test=report.to_json(),
            settings=options.settings,
            outbox_dirs=outbox_dirs,
        )
    except OSError as exc:
        print(f"diagnostics: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    failed = [c.name for c in report.checks if not c.ok]
    print(
        f"diagnostics: wrote {archive.path} ({len(archive.members)} files, "
        f"{archive.size / 1024:.0f} KiB); self-test: "
        + (f"failed {', '.join(failed)}" if failed else "all checks passed"),
        flush=True,
    )
    return EXIT_OK
