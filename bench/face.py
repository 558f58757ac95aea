"""Face bench: speed and error rates of face verification on the shared test photos.

    .venv/bin/python bench/face.py [--faces DIR] [--runs N] [--threshold T] [--worker]
                                   [--per-image]

Speed, in one run over the same pictures (every photo of ../shared/faces as a probe against one
reference, ``--runs`` times, interleaved so that all three see the same machine load):

- ours: ``FaceMatcher.verify`` on the probe's bytes (decode, detect, gates, encode, compare);
- encoder alone: ``face_recognition.face_encodings`` on the same decoded picture with the face
  box given (dlib's 5-point landmarks and embedding: the floor no detector change can beat);
- plain face_recognition: ``load_image_file``, ``face_locations`` (its default: full
  resolution, upsampled once), ``face_encodings`` on every face found, ``face_distance``.

It prints median and p95 of each, and the ratios ours/encoder and ours/plain against the goals
(1.3 and 0.4), computed on the probes ours judged (a refused probe skips the encoder and would
flatter us). Also the per-frame cost of a liveness check on the clip's frames, and with
``--worker`` the round trip through the face worker process.

Calibration: FAR and FRR at the threshold (the shipped one unless ``--threshold``) over every
pair of single-face photos (same folder = genuine, ``edge/`` photos are p01's; group photos
left out), for the distinct photographs and for all of them, with one-sided 95% upper
confidence bounds (Clopper-Pearson), the farthest genuine and the closest impostor pair, and
the photos the quality gates refused. docs/face.md explains the figures.

Timings depend on the machine and its load; nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import itertools
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FACES = REPO.parent / "shared" / "faces"
PICTURES = {".jpg", ".jpeg", ".png"}
REFERENCE = "p01/01.jpg"
SPEED_GOAL_ENCODER = 1.3
SPEED_GOAL_PLAIN = 0.4

# One photo per distinct photograph (no resized copies, crops or re-saves): the calibration
# set of docs/face.md and tests/integration/test_face_matcher.py.
DISTINCT = [
    "p01/01.jpg", "p01/02.jpg", "p01/03.jpg", "p01/04.jpg",
    "p02/01.jpg", "p02/02.jpg",
    "p03/01.png", "p03/02.jpg", "p03/03.jpg",
    "p04/01.jpg", "p04/02.jpg", "p04/03.jpg",
    "p05/01.jpg", "p05/02.jpg",
    "p06/01.png",
]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES, help="the test photos")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per photo (default 3)")
    parser.add_argument("--threshold", type=float, default=None, help="threshold to evaluate")
    parser.add_argument("--worker", action="store_true", help="also time the worker round trip")
    parser.add_argument("--per-image", action="store_true", help="print each photo's timings")
    args = parser.parse_args(argv)
    if not args.faces.is_dir():
        print(f"no test photos at {args.faces}", file=sys.stderr)
        return 1

    from devices.face.matcher import DEFAULT_THRESHOLD, FaceMatcher

    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    matcher = FaceMatcher(threshold)
    photos = sorted(
        p.relative_to(args.faces).as_posix()
        for p in args.faces.rglob("*")
        if p.suffix.lower() in PICTURES
    )
    print(f"face bench: {len(photos)} photos in {args.faces}, {args.runs} runs each")
    speed(matcher, args.faces, photos, args.runs, per_image=args.per_image)
    liveness_frames(matcher, args.faces)
    if args.worker:
        worker_round_trip(args.faces, photos, threshold)
    calibration(matcher, args.faces, photos, threshold)
    return 0


# -- speed -----------------------------------------------------------------------------------


def speed(matcher, faces: Path, photos: list[str], runs: int, *, per_image: bool) -> None:
    import face_recognition

    from devices.face.images import load_rgb

    reference = matcher.encode_reference((faces / REFERENCE).read_bytes())
    reference_encoding = face_recognition.face_encodings(
        face_recognition.load_image_file(faces / REFERENCE)
    )[0]
    data = {name: (faces / name).read_bytes() for name in photos}
    decoded = {name: load_rgb(data[name]) for name in photos}
    boxes = {name: matcher.observe(decoded[name], thorough=True).box for name in photos}

    times: dict[str, dict[str, list[float]]] = {
        n: {"ours": [], "enc": [], "plain": []} for n in photos
    }
    judged: dict[str, bool] = {}

    def ours(name: str) -> None:
        result = matcher.verify(reference, data[name])
        judged[name] = result.judged

    def encoder(name: str) -> None:
        if boxes[name] is not None:
            face_recognition.face_encodings(decoded[name], known_face_locations=[boxes[name]])

    def plain(name: str) -> None:
        import io

        image = face_recognition.load_image_file(io.BytesIO(data[name]))
        locations = face_recognition.face_locations(image)
        encodings = face_recognition.face_encodings(image, locations)
        face_recognition.face_distance(encodings, reference_encoding) if encodings else None

    steps = [("ours", ours), ("enc", encoder), ("plain", plain)]
    for run in range(runs):
        order = steps[run % 3 :] + steps[: run % 3]  # no method always goes first
        for name in photos:
            for key, step in order:
                started = time.perf_counter()
                step(name)
                times[name][key].append((time.perf_counter() - started) * 1000.0)

    if per_image:
        print(f"\n{'photo':28} {'ours':>7} {'encoder':>8} {'plain':>8}  (median ms)")
        for name in photos:
            t = times[name]
            mark = "" if judged[name] else "  (refused: not encoded)"
            print(
                f"{name:28} {statistics.median(t['ours']):7.1f} "
                f"{statistics.median(t['enc']):8.1f} {statistics.median(t['plain']):8.1f}{mark}"
            )

    same = [n for n in photos if judged[n] and boxes[n] is not None]

    def pool(key: str, names: list[str]) -> list[float]:
        return [ms for n in names for ms in times[n][key]]

    rows = [
        (f"ours, all {len(photos)} probes", pool("ours", photos)),
        (f"ours, the {len(same)} judged", pool("ours", same)),
        (f"encoder alone, same {len(same)}", pool("enc", same)),
        (f"plain face_recognition, same {len(same)}", pool("plain", same)),
    ]
    print(f"\n{'speed per probe':42} {'median ms':>10} {'p95 ms':>8}")
    for label, samples in rows:
        print(f"{label:42} {statistics.median(samples):10.1f} {_p95(samples):8.1f}")

    ours_median = statistics.median(pool("ours", same))
    to_encoder = ours_median / statistics.median(pool("enc", same))
    to_plain = ours_median / statistics.median(pool("plain", same))
    print(
        f"ratio ours/encoder {to_encoder:.2f} (goal <= {SPEED_GOAL_ENCODER}: "
        f"{'met' if to_encoder <= SPEED_GOAL_ENCODER else 'NOT met'}); "
        f"ours/plain {to_plain:.2f} (goal <= {SPEED_GOAL_PLAIN}: "
        f"{'met' if to_plain <= SPEED_GOAL_PLAIN else 'NOT met'})"
    )


def liveness_frames(matcher, faces: Path) -> None:
    """Per-frame cost of a liveness check: detection, 68 landmarks and the gates."""
    clip = faces / "video" / "clip-a.mp4"
    if not clip.is_file():
        return
    from devices.camera.opencv import read_video_frames

    samples = []
    for _, frame in read_video_frames(clip, 80, 200, 2):
        started = time.perf_counter()
        matcher.observe(frame)
        samples.append((time.perf_counter() - started) * 1000.0)
    height, width = frame.shape[:2]
    print(
        f"liveness frame analysis ({len(samples)} clip frames, {width}x{height}): median "
        f"{statistics.median(samples):.1f} ms, p95 {_p95(samples):.1f} ms "
        f"(up to {1000.0 / statistics.median(samples):.0f} frames/s in the worker)"
    )


def worker_round_trip(faces: Path, photos: list[str], threshold: float) -> None:
    from devices.face.worker import FaceWorker

    reference = (faces / REFERENCE).read_bytes()
    with FaceWorker(threshold) as worker:
        worker.submit(reference, reference).result(120)  # models loaded, reference cached
        samples = []
        for name in photos:
            probe = (faces / name).read_bytes()
            started = time.perf_counter()
            worker.submit(reference, probe).result(60)
            samples.append((time.perf_counter() - started) * 1000.0)
    print(
        f"worker round trip (submit to result, {len(samples)} probes): median "
        f"{statistics.median(samples):.1f} ms, p95 {_p95(samples):.1f} ms"
    )


# -- calibration -----------------------------------------------------------------------------


def calibration(matcher, faces: Path, photos: list[str], threshold: float) -> None:
    singles = [p for p in photos if not p.startswith(("group/", "video/"))]
    encoded = {name: matcher.encode_probe((faces / name).read_bytes()) for name in singles}
    refused = {n: e.quality for n, e in encoded.items() if not e.usable}

    print(
        f"\ncalibration at threshold {threshold} (pairs of photos; a pair is judged when both "
        "pass the probe's quality gates)"
    )
    print(
        f"{'set':22} {'genuine acc/judged':>18} {'FRR (95% upper)':>17} "
        f"{'impostor acc/judged':>19} {'FAR (95% upper)':>17} {'refused pairs':>13}"
    )
    for label, names in (("distinct photographs", DISTINCT), ("all single-face", singles)):
        names = [n for n in names if n in encoded]
        genuine, impostor, skipped = [], [], 0
        for a, b in itertools.combinations(names, 2):
            if not (encoded[a].usable and encoded[b].usable):
                skipped += 1
                continue
            distance = encoded[a].distance(encoded[b])
            (genuine if _person(a) == _person(b) else impostor).append((distance, a, b))
        accepted_genuine = sum(d <= threshold for d, *_ in genuine)
        accepted_impostor = sum(d <= threshold for d, *_ in impostor)
        rejected = len(genuine) - accepted_genuine
        print(
            f"{label:22} {accepted_genuine:>9}/{len(genuine):<8} "
            f"{_rate(rejected, len(genuine)):>17} "
            f"{accepted_impostor:>10}/{len(impostor):<8} "
            f"{_rate(accepted_impostor, len(impostor)):>17} {skipped:>13}"
        )
        far_genuine, far_a, far_b = max(genuine)
        near_impostor, near_a, near_b = min(impostor)
        people = {_person(n) for n in names}
        person_pairs = math.comb(len(people), 2)
        print(
            f"  farthest genuine {far_genuine:.3f} ({far_a} - {far_b}); closest impostor "
            f"{near_impostor:.3f} ({near_a} - {near_b}); any threshold in "
            f"[{far_genuine:.3f}, {near_impostor:.3f}) separates them"
        )
        print(
            f"  counted by people instead of photos: {len(people)} people, {person_pairs} "
            f"pairs of people -> FAR below {_upper(0, person_pairs):.1%} at 95% at best"
        )
    for name, code in sorted(refused.items()):
        print(f"  refused by the quality gates: {name} ({code})")


def _person(name: str) -> str:
    return "p01" if name.startswith("edge/") else name.split("/")[0]


def _p95(samples: list[float]) -> float:
    return float(np.percentile(samples, 95))


def _rate(errors: int, trials: int) -> str:
    if trials == 0:
        return "-"
    return f"{errors / trials:.1%} (<{_upper(errors, trials):.1%})"


def _upper(errors: int, trials: int, confidence: float = 0.95) -> float:
    """One-sided Clopper-Pearson upper bound on an error rate: ``errors`` in ``trials``."""
    if trials == 0:
        return 1.0
    if errors >= trials:
        return 1.0
    alpha = 1.0 - confidence
    if errors == 0:
        return 1.0 - alpha ** (1.0 / trials)

    def cdf(p: float) -> float:  # P(X <= errors) for X ~ Binomial(trials, p)
        return sum(
            math.comb(trials, k) * p**k * (1.0 - p) ** (trials - k) for k in range(errors + 1)
        )

    low, high = errors / trials, 1.0
    for _ in range(60):  # bisection: cdf falls as p rises
        middle = (low + high) / 2.0
        if cdf(middle) > alpha:
            low = middle
        else:
            high = middle
    return high


if __name__ == "__main__":
    sys.exit(main())
