"""The ``self-test`` command: is this desk ready, and what to fix if not.

``hall-counter [--config FILE] [--data-dir DIR] [--training] self-test [--json] [--central URL]``

Checks the PC/SC service and readers, the camera (the sample photos in training mode), the face
models, central (reachability, TLS verification against the configured CA bundle, clock skew),
the proxy in effect, disk space, the data directory and the key store; see
:mod:`desktop.selftest` for each check's stable ``name`` and ``code``. With ``--json`` it prints
one object ``{"ok": …, "checks": [{"name", "ok", "code", "detail", "fix"}]}``; without, a table
with the fixes. Exit 0 when every check passed, 1 otherwise, 2 for a bad ``--central`` URL.

The configuration is ``--config FILE``, else the default file (``hall-counter.toml`` in the
user's configuration folder) when it exists; an invalid configuration fails the ``config`` check
rather than the command. Imports neither PySide6 nor dlib.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ui.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE

CONFIG_NAME = "hall-counter.toml"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``self-test`` command to the parser."""
    parser = subparsers.add_parser(
        "self-test",
        help="check readers, camera, face models, central, TLS, clock, disk and key store",
        description=(
            "Check that this desk is ready: PC/SC service and readers, camera, face models, "
            "central (TLS and clock), proxy, disk space, data directory and key store. "
            "Exit 0 when every check passes, 1 otherwise."
        ),
    )
    add_central_argument(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run_self_test_command)


def add_central_argument(parser: argparse.ArgumentParser) -> None:
    """``--central URL``, shared with ``diagnostics``."""
    parser.add_argument(
        "--central",
        metavar="URL",
        help="central to check (default: the configuration's central.url)",
    )


def default_config_path() -> Path:
    """The configuration used when ``--config`` is not given (same place as the GUI's):
    the user's file, else the system-wide one (desktop.settings.default_config_path)."""
    from desktop.settings import default_config_path as settings_default

    return settings_default()


def build_options(args: argparse.Namespace):
    """SelfTestOptions from the global options and ``--central``; raises SettingsError for a
    bad ``--central`` URL."""
    from desktop.selftest import SelfTestOptions
    from desktop.settings import SettingsError, check_central_url, load_settings
    from ui.app import training_data_dir

    central = check_central_url(args.central, key="--central") if args.central else None

    config_path = args.config
    if config_path is None and default_config_path().is_file():
        config_path = default_config_path()
    settings = None
    config_error = None
    if config_path is not None:
        try:
            settings = load_settings(config_path)
        except SettingsError as exc:
            config_error = str(exc)

    data_dir = Path(args.data_dir)
    training = bool(getattr(args, "training", False)) or bool(getattr(settings, "training", False))
    # A configured desk keeps its outbox in the data directory; training (and a desk without a
    # configuration) in <data dir>/training (ui.app).
    outbox_dir = data_dir if settings is not None else training_data_dir(data_dir)
    options = SelfTestOptions(
        data_dir=data_dir,
        settings=settings,
        config_path=config_path,
        config_error=config_error,
        central_url=central,
        training=training,
        outbox_dir=outbox_dir,
    )
    return options


def format_report(report) -> str:
    """The report as a table for a terminal, fixes under the failed checks."""
    width = max(len(c.name) for c in report.checks)
    failed = [c for c in report.checks if not c.ok]
    lines = [
        "self-test: all checks passed"
        if not failed
        else f"self-test: {len(failed)} of {len(report.checks)} checks failed",
        "",
    ]
    for check in report.checks:
        mark = " ok " if check.ok else "FAIL"
        lines.append(f"  {mark}  {check.name:<{width}}  {check.detail}")
        if check.fix:
            lines.append(f"        {'':<{width}}  fix: {check.fix}")
    return "\n".join(lines)


def run_self_test_command(args: argparse.Namespace) -> int:
    """Handler of ``self-test``."""
    from desktop.selftest import run_self_test
    from desktop.settings import SettingsError

    try:
        options = build_options(args)
    except SettingsError as exc:
        print(f"self-test: {exc}", file=sys.stderr)
        return EXIT_USAGE
    report = run_self_test(options)
    print(report.dumps() if args.json else format_report(report), flush=True)
    return EXIT_OK if report.ok else EXIT_FAILED
