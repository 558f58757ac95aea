"""The `face` commands of hall-counter: face verification on files, liveness on a camera.

``face verify --reference IMG --probe IMG`` compares one pair; ``face verify --pairs CSV``
compares every ``reference,probe`` row of a CSV file (a header row is allowed; relative paths
are taken from the CSV file's folder) and prints one line per row, in order. Each distinct
reference is encoded once per file. This is how a hall checks or recalibrates its threshold
(docs/face.md).

``face live --source SRC`` runs what the desk runs at the counter: the camera (a device index,
a video file or a folder of pictures), a liveness challenge judged in the face worker process
and, with ``--reference``, verification of the best frame. It prints the camera's state, the
prompts as they change and the result; no picture is stored. An admin checks a desk's camera
and lighting with it.

dlib and OpenCV are imported only when a command runs.
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

    live = face_commands.add_parser(
        "live",
        help="run a liveness challenge (and a match) on a camera",
        description=(
            "Open a camera source, ask for a liveness challenge and judge it from the frames in "
            "the face worker; with --reference, compare the best frame with that photo. Prints "
            "the camera state, each new prompt and the result. Exit 0 when the check ran "
            "(whatever its outcome), 1 when the camera or the face models are unavailable."
        ),
    )
    live.add_argument(
        "--source", required=True, metavar="SRC",
        help="camera device index (0), video file, or folder of pictures",
    )  # fmt: skip
    live.add_argument("--reference", type=Path, metavar="IMG", help="reference photo to match")
    live.add_argument(
        "--challenge", choices=("random", "blink", "turn_left", "turn_right"), default="random",
        help="what to ask for (default: chosen at random)",
    )  # fmt: skip
    live.add_argument(
        "--time-limit", type=_seconds, default=None, metavar="S",
        help="seconds allowed for the challenge (default 8)",
    )  # fmt: skip
    live.add_argument(
        "--camera-wait", type=_seconds, default=10.0, metavar="S",
        help="seconds to wait for the camera to deliver frames (default 10)",
    )  # fmt: skip
    live.add_argument("--mirror", action="store_true", help="the camera's driver mirrors")
    live.add_argument(
        "--threshold", type=_threshold, default=None,
        help="match threshold (default: face_threshold of --config, else the calibrated value)",
    )  # fmt: skip
    live.add_argument("--json", action="store_true", help="one JSON object per line")
    live.set_defaults(handler=run_live)


def _print_help(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """`face` without a subcommand: show what there is; bad usage."""
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    from desktop.settings import SettingsError, check_face_threshold

    try:
        return check_face_threshold(value, key="--threshold")
    except SettingsError as exc:
        raise argparse.ArgumentTypeError(f"{exc.problem}: {text}") from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 < value <= 600.0:
        raise argparse.ArgumentTypeError(f"must be in (0, 600]: {text}")
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
            problem = input_file_problem(path)
            if problem:
                where = f"{args.pairs}:{line}: " if args.pairs else ""
                raise _UsageError(f"{where}{problem}")
    return pairs


def input_file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as an input file (a sentence naming it), None when it can."""
    try:
        if path.is_dir():
            return f"{path} is a folder, not a file"
        if not path.exists():
            return f"no such file: {path}"
        if not path.is_file():
            return f"{path} is not a regular file"
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror or exc}"
    return None


def _read_pairs(csv_path: Path) -> list[tuple[int, Path, Path]]:
    problem = input_file_problem(csv_path)
    if problem:
        raise _UsageError(problem)
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
    print(_result_text(result, prefix=f"line {line}: " if line is not None else ""), flush=True)


def _result_text(result: FaceResult, *, prefix: str = "") -> str:
    decision = {True: "match", False: "no match", None: "not judged"}[result.match]
    distance = "-" if result.distance is None else f"{result.distance:.4f}"
    prompt = f"  prompt {result.prompt}" if result.prompt else ""
    live = f"  liveness {result.challenge} {result.liveness}" if result.challenge else ""
    return (
        f"{prefix}{decision}  distance {distance}  threshold {result.threshold:g}  "
        f"faces {result.faces}  quality {result.quality}{prompt}{live}  {result.ms:.0f} ms"
    )


def run_live(args: argparse.Namespace) -> int:
    """Handler of ``face live``."""
    reference = None
    if args.reference is not None:
        problem = input_file_problem(args.reference)
        if problem:
            print(f"hall-counter face live: error: {problem}", file=sys.stderr)
            return EXIT_USAGE
        reference = _read(args.reference)

    from devices.camera import LIVE, CameraError, open_camera
    from devices.face.liveness import DEFAULT_TIME_LIMIT_S, LivenessChallenge
    from devices.face.matcher import FaceModelsMissingError
    from devices.face.worker import FaceWorker, FaceWorkerError

    try:
        threshold = _threshold_for(args)
        camera = open_camera(args.source, mirror=args.mirror)
    except (ValueError, CameraError) as exc:
        print(f"hall-counter face live: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    emit = functools.partial(_emit, as_json=args.json)
    challenge = (
        LivenessChallenge.random()
        if args.challenge == "random"
        else LivenessChallenge(args.challenge)
    )
    time_limit = args.time_limit or DEFAULT_TIME_LIMIT_S

    worker = FaceWorker(threshold)
    try:
        worker.start()  # the models load while the camera opens
        camera.start()
        if camera.wait_frame(0, args.camera_wait) is None:
            emit("camera", state=camera.state, detail=camera.detail)
            return EXIT_FAILED
        emit("camera", state=LIVE, detail="")

        printer = _ProgressPrinter(emit)
        check = worker.start_live_check(
            reference, challenge, time_limit_s=time_limit, listener=printer
        )
        emit("challenge", challenge=challenge.action, time_limit_s=time_limit)
        camera.add_listener(check)
        try:
            result = check.result.result(time_limit + 60.0)
        finally:
            camera.remove_listener(check)
        if args.json:
            emit("result", **result.to_json())
        else:
            print(_result_text(result, prefix="result: "), flush=True)
        return EXIT_OK
    except FaceModelsMissingError as exc:
        print(f"hall-counter face live: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except (FaceWorkerError, TimeoutError) as exc:
        print(f"hall-counter face live: error: face worker: {exc}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        camera.stop()
        worker.stop()


class _ProgressPrinter:
    """Prints a live check's progress when the prompt or status changes (worker thread)."""

    def __init__(self, emit) -> None:
        self._emit = emit
        self._last: tuple | None = None

    def on_live_progress(self, check, progress) -> None:
        key = (progress.status, progress.prompt)
        if key == self._last:
            return
        self._last = key
        self._emit(
            "progress",
            status=progress.status,
            prompt=progress.prompt,
            quality=progress.quality,
            faces=progress.faces,
            elapsed_s=round(progress.elapsed_s, 2),
        )


def _emit(event: str, *, as_json: bool, **fields) -> None:
    if as_json:
        print(json.dumps({"event": event, **fields}), flush=True)
        return
    text = "  ".join(f"{k} {v}" for k, v in fields.items() if v is not None and v != "")
    print(f"{event}: {text}", flush=True)
