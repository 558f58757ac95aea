"""The `face` commands of hall-counter: check face verification on image files.

``face verify --reference IMG --probe IMG`` compares one pair; ``face verify --pairs CSV``
compares every ``reference,probe`` row of a CSV file (a header row is allowed; relative paths
are taken from the CSV file's folder) and prints one line per row, in order. Each distinct
reference is encoded once per run. This is how a hall checks or recalibrates its threshold
(docs/face.md). dlib is imported only when the command runs.
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from devices.face.matcher import FaceMatcher, FaceResult, Reference

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

_HEADER = ("reference", "probe")


class _UsageError(Exception):
    """Bad command-line input; the message is shown and the exit code is 2."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add this module's commands to the parser."""
    face = subparsers.add_parser("face", help="face verification tools")
    face_commands = face.add_subparsers(title="face commands", metavar="FACE_COMMAND")
    face.set_defaults(handler=functools.partial(_print_help, face))

    verify = face_commands.add_parser(
        "verify",
        help="compare a probe image with a reference photo",
        description=(
            "Compare faces: one pair with --reference and --probe, or every reference,probe "
            "row of a CSV file with --pairs. Prints match, distance, threshold, faces, quality "
            "and ms (time spent on the probe). Exit 0 when it ran, even without a match."
        ),
    )
    verify.add_argument("--reference", type=Path, metavar="IMG", help="reference photo")
    verify.add_argument("--probe", type=Path, metavar="IMG", help="image to verify")
    verify.add_argument(
        "--pairs", type=Path, metavar="CSV",
        help="CSV of reference,probe rows (header optional; paths relative to the CSV's folder)",
    )  # fmt: skip
    verify.add_argument(
        "--threshold", type=_threshold, default=None,
        help="match when the distance is at or below this (default: face_threshold of --config, "
        "else the calibrated value)",
    )  # fmt: skip
    verify.add_argument("--json", action="store_true", help="one JSON object per line")
    verify.set_defaults(handler=run_verify)


def _print_help(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """`face` without a subcommand: show what there is; bad usage."""
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 < value <= 2.0:
        raise argparse.ArgumentTypeError(f"must be in (0, 2]: {text}")
    return value


def run_verify(args: argparse.Namespace) -> int:
    """Handler of ``face verify``."""
    try:
        pairs = _pairs_from(args)
    except _UsageError as exc:
        print(f"hall-counter face verify: error: {exc}", file=sys.stderr)
        return EXIT_USAGE

    from devices.face.matcher import FaceMatcher, FaceModelsMissingError

    try:
        threshold = _threshold_for(args)
    except ValueError as exc:
        print(f"hall-counter face verify: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    try:
        matcher = FaceMatcher(threshold)
    except FaceModelsMissingError as exc:
        print(f"hall-counter face verify: error: {exc}", file=sys.stderr)
        return EXIT_FAILED

    references: dict[bytes, Reference] = {}
    for line, reference_path, probe_path in pairs:
        reference = _reference(matcher, references, reference_path)
        result = matcher.verify(reference, _read(probe_path))
        _print_result(result, line if args.pairs else None, as_json=args.json)
    return EXIT_OK


def _threshold_for(args: argparse.Namespace) -> float:
    """--threshold, else the desk's configured face_threshold (--config), else the default."""
    from devices.face.matcher import DEFAULT_THRESHOLD

    if args.threshold is not None:
        return args.threshold
    if getattr(args, "config", None) is not None:
        from desktop.settings import SettingsError, load_settings

        try:
            configured = load_settings(args.config).face_threshold
        except SettingsError as exc:
            raise ValueError(f"configuration {args.config}: {exc}") from exc
        if configured is not None:
            return configured
    return DEFAULT_THRESHOLD


def _pairs_from(args: argparse.Namespace) -> list[tuple[int, Path, Path]]:
    """(line number, reference, probe) for each pair to compare; raises _UsageError."""
    if args.pairs is not None:
        if args.reference is not None or args.probe is not None:
            raise _UsageError("give either --pairs or --reference with --probe, not both")
        pairs = _read_pairs(args.pairs)
    elif args.reference is None or args.probe is None:
        raise _UsageError("give --reference and --probe, or --pairs")
    else:
        pairs = [(0, args.reference, args.probe)]
    for line, *paths in pairs:
        for path in paths:
            if not path.is_file():
                where = f"{args.pairs}:{line}: " if args.pairs else ""
                raise _UsageError(f"{where}no such file: {path}")
    return pairs


def _read_pairs(csv_path: Path) -> list[tuple[int, Path, Path]]:
    try:
        text = csv_path.read_text(encoding="utf-8-sig")  # Excel writes a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise _UsageError(f"cannot read {csv_path}: {exc}") from None

    base = csv_path.parent
    pairs: list[tuple[int, Path, Path]] = []
    seen_row = False
    for line, row in enumerate(csv.reader(text.splitlines()), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        is_first, seen_row = not seen_row, True
        if is_first and tuple(cell.lower() for cell in cells) == _HEADER:
            continue
        if len(cells) != 2 or not all(cells):
            raise _UsageError(f"{csv_path}:{line}: expected two columns: reference,probe")
        pairs.append((line, base / cells[0], base / cells[1]))
    if not pairs:
        raise _UsageError(f"{csv_path}: no reference,probe rows")
    return pairs


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""  # reported as unreadable, like any other bad image


def _reference(matcher: FaceMatcher, cache: dict[bytes, Reference], path: Path) -> Reference:
    """Encode each distinct reference image once per run."""
    data = _read(path)
    key = hashlib.sha256(data).digest()
    if key not in cache:
        cache[key] = matcher.encode_reference(data)
    return cache[key]


def _print_result(result: FaceResult, line: int | None, *, as_json: bool) -> None:
    fields = result.to_json()
    if as_json:
        if line is not None:
            fields = {"line": line, **fields}
        print(json.dumps(fields), flush=True)
        return
    decision = {True: "match", False: "no match", None: "not judged"}[result.match]
    distance = "-" if result.distance is None else f"{result.distance:.4f}"
    prefix = f"line {line}: " if line is not None else ""
    print(
        f"{prefix}{decision}  distance {distance}  threshold {result.threshold:g}  "
        f"faces {result.faces}  quality {result.quality}  {result.ms:.0f} ms",
        flush=True,
    )
