"""Face verification: is the face in a probe image the person in the reference photo?

dlib (through face_recognition's models) finds faces with its HOG detector and turns a face into
a 128-number encoding; two encodings of the same person lie close together. The matcher:

1. decodes the probe in memory (images.py);
2. looks for faces on small copies first (320 px, then 640 px on the longest side; an
   upsampled pass only when both found nothing): detection is the slow part of plain
   face_recognition and a counter camera's face is large;
3. takes the largest face, finds its 68 landmarks and runs the quality gates (quality.py); a
   face too poor to judge is refused with a code and a prompt, never encoded or guessed;
4. encodes that one face at full resolution (5-point alignment, one jitter: exactly what
   ``face_recognition.face_encodings`` does) and compares it with the reference encoding,
   which is computed once per citizen session.

See docs/face.md for the threshold, the gates and the measured speed.

Everything stays in memory: no image, landmark or encoding is written to disk or to a log. A
matcher is used from one thread at a time; in the desk that is the face worker process.
"""

from __future__ import annotations

import contextlib
import io
import logging
import time
import warnings
from dataclasses import dataclass, field
from types import ModuleType, SimpleNamespace
from typing import Any

import cv2
import numpy as np
from PIL import ImageFile

from devices.face import quality
from devices.face.images import ImageInput, ImageUnreadableError, downscaled, load_rgb
from devices.face.quality import Box, FaceMeasures, QualityGates

log = logging.getLogger(__name__)

# Calibrated on the genuine and impostor pairs in shared/faces; the distances, error rates and
# the reasoning are in docs/face.md. A hall overrides it with `[desk] face_threshold` in its
# configuration file (desktop/settings.py).
DEFAULT_THRESHOLD = 0.58

# Faces are searched on copies no longer than these on their longest side, smallest first,
# until one finds a face; the HOG detector's window is 80 px, so the passes find faces from a
# quarter, a sixth and an eighth of the picture's longest side up. A counter camera's face is
# found by the first pass (~5 ms); the cost of a pass grows with the square of its side.
DETECT_SIDES = (320, 480, 640)

# How dlib's detector boxes sit around the 68 landmarks, measured on the shared photos: the
# side is 3.43 times the RMS distance of the inner points (17-67) from their centre, and the box
# centre lies (0.01, 0.07) of that distance right of and below it. Used to steady the landmarks.
_BOX_PER_RADIUS = 3.43
_BOX_OFFSET = (0.01, 0.07)
_LANDMARK_ROUNDS = 2

MODELS_MISSING_MESSAGE = "face models missing: install face_recognition_models"

# Reference qualities that leave nothing to compare against, and what a probe then reports.
_REFERENCE_QUALITY = {
    quality.UNREADABLE: "reference_unreadable",
    quality.NO_FACE: "reference_no_face",
}
_REFERENCE_POOR = "reference_poor"


class FaceError(Exception):
    """Base of the face verification errors."""


class FaceModelsMissingError(FaceError):
    """face_recognition, dlib or face_recognition_models could not be loaded."""


@dataclass(frozen=True)
class FaceResult:
    """The outcome of verifying one probe against a reference.

    ``quality`` is a stable code (docs/face.md has the table): ``ok`` and ``multiple_faces``
    (the largest face was judged; ``faces`` says how many) are judged; ``no_face``,
    ``unreadable``, ``too_small``, ``too_dark``, ``too_bright``, ``not_frontal`` and ``blurry``
    refuse the probe; ``reference_unreadable``, ``reference_no_face`` and ``reference_poor``
    mean the reference photo is unusable (the probe is then not examined and ``faces`` is 0).
    ``match`` and ``distance`` are None whenever no comparison was made. ``prompt`` is what to
    ask of the citizen for a refused probe (``move_closer``, ``face_camera``, ``more_light``,
    ``less_light``, ``hold_still``), else None. ``ms`` is the time spent on the probe:
    decoding, detection, gates, encoding and comparison, not model loading or the reference.

    ``liveness`` and ``challenge`` are set when the probe came from a live check
    (live.LiveCheck): the challenge's action and its outcome (``passed``, ``timeout``,
    ``still``, ``no_face``, ``face_changed``, ``cancelled``); a live check compares faces only
    when it passed.
    """

    match: bool | None
    distance: float | None
    threshold: float
    faces: int
    quality: str
    ms: float
    prompt: str | None = None
    liveness: str | None = None
    challenge: str | None = None

    @property
    def judged(self) -> bool:
        """True when a face was compared and ``match`` holds the decision."""
        return self.match is not None

    def to_json(self) -> dict[str, Any]:
        """The result as a JSON-ready dict (the fields of ``face verify --json``).

        ``liveness`` and ``challenge`` appear only for a live check.
        """
        fields: dict[str, Any] = {
            "match": self.match,
            "distance": None if self.distance is None else round(self.distance, 4),
            "threshold": self.threshold,
            "faces": self.faces,
            "quality": self.quality,
            "prompt": self.prompt,
            "ms": round(self.ms, 1),
        }
        if self.challenge is not None:
            fields["liveness"] = self.liveness
            fields["challenge"] = self.challenge
        return fields

    def case_record(self) -> dict[str, Any]:
        """What a case may keep of this check, and nothing more (design section 7).

        The keys are those of ``desktop.contract.FaceCheck``: ``decision`` (``match``,
        ``no_match`` or ``unavailable``), ``distance``, ``threshold`` and ``liveness`` (e.g.
        ``"blink:passed"``, None when no challenge was run).
        """
        decision = {True: "match", False: "no_match", None: "unavailable"}[self.match]
        return {
            "decision": decision,
            "distance": None if self.distance is None else round(self.distance, 4),
            "threshold": self.threshold,
            "liveness": None if self.challenge is None else f"{self.challenge}:{self.liveness}",
        }


@dataclass(frozen=True, repr=False)
class Reference:
    """A reference photo, encoded once and reused for every probe of a citizen session.

    ``quality`` is ``ok`` or ``multiple_faces`` (the largest face was encoded) when usable;
    otherwise ``unreadable``, ``no_face`` or the gate it failed (``too_small``, ``blurry``,
    ...; the reference gates are looser than the probe's). The encoding stays private and out
    of ``repr`` so that it does not end up in a log by accident.
    """

    quality: str
    faces: int
    _encoding: np.ndarray | None = field(default=None, compare=False)

    @property
    def usable(self) -> bool:
        """True when the reference has an encoding to compare against."""
        return self._encoding is not None

    def distance(self, other: Reference) -> float:
        """Distance between two usable references' faces (for calibrating the threshold)."""
        if self._encoding is None or other._encoding is None:
            raise ValueError("distance needs two usable references")
        return float(np.linalg.norm(self._encoding - other._encoding))

    def __repr__(self) -> str:
        return f"Reference(quality={self.quality!r}, faces={self.faces})"


@dataclass(frozen=True, repr=False)
class Observation:
    """What the matcher saw in one picture before any encoding: faces, the chosen face, gates.

    ``box`` is the largest face (top, right, bottom, left) in the picture's pixels;
    ``quality`` the probe quality code; ``points`` its 68 landmarks when asked for (liveness),
    kept out of ``repr`` like the five-point shape the encoder reuses.
    """

    faces: int
    quality: str
    box: Box | None = None
    measures: FaceMeasures | None = None
    points: np.ndarray | None = field(default=None, compare=False)
    shape5: Any = field(default=None, compare=False)  # dlib full_object_detection

    @property
    def judgeable(self) -> bool:
        """True when the chosen face passed the gates and may be compared."""
        return self.quality in quality.JUDGED

    @property
    def prompt(self) -> str | None:
        """What to ask of the citizen, None when nothing."""
        return quality.PROMPTS.get(self.quality)

    def __repr__(self) -> str:
        return f"Observation(faces={self.faces}, quality={self.quality!r}, box={self.box})"


def load_face_recognition() -> ModuleType:
    """Import face_recognition, turning its failure modes into :class:`FaceModelsMissingError`.

    face_recognition prints a hint and calls ``quit()`` when face_recognition_models does not
    import, which would end the whole program; its print is kept off stdout (it would corrupt
    JSON output). It also switches on Pillow's LOAD_TRUNCATED_IMAGES for the whole process; we
    put the flag back so that a truncated upload is reported as unreadable, not half grey.
    """
    truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            # face_recognition_models uses pkg_resources; setuptools is pinned below 81, where
            # it still exists, and the deprecation notice would only alarm an admin.
            warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)
            import face_recognition
    except (SystemExit, NameError) as exc:
        # NameError: quit() does not exist when Python runs without the site module.
        raise FaceModelsMissingError(MODELS_MISSING_MESSAGE) from exc
    except ImportError as exc:
        if exc.name == "face_recognition_models":
            raise FaceModelsMissingError(MODELS_MISSING_MESSAGE) from exc
        raise FaceModelsMissingError(
            f"face library missing ({exc.name or exc}): install face_recognition and dlib-bin"
        ) from exc
    except RuntimeError as exc:
        # dlib raises RuntimeError when a model file is missing or damaged.
        raise FaceModelsMissingError(
            "face models unreadable: reinstall face_recognition_models"
        ) from exc
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    return face_recognition


def _models() -> SimpleNamespace:
    """dlib's detector, landmark predictors and encoder, as face_recognition loaded them."""
    face_recognition = load_face_recognition()
    api = face_recognition.api
    return SimpleNamespace(
        detector=api.face_detector,
        landmarks68=api.pose_predictor_68_point,
        landmarks5=api.pose_predictor_5_point,
        encoder=api.face_encoder,
        rectangle=api.dlib.rectangle,
    )


class FaceMatcher:
    """Verifies probe images against reference photos with dlib's face encodings.

    The constructor loads the models (about a second) and raises
    :class:`FaceModelsMissingError` when they are not installed. ``gates`` are the probe's
    quality limits, ``reference_gates`` the reference photo's (looser by default). Not
    thread-safe: use one matcher from one thread.
    """

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        *,
        gates: QualityGates | None = None,
        reference_gates: QualityGates | None = None,
        detect_sides: tuple[int, ...] = DETECT_SIDES,
    ) -> None:
        if not 0.0 < threshold <= 2.0:
            raise ValueError(f"face threshold must be in (0, 2], got {threshold}")
        if not detect_sides or min(detect_sides) < 80 or list(detect_sides) != sorted(detect_sides):
            raise ValueError(f"detect_sides must rise from at least 80: {detect_sides}")
        self._threshold = float(threshold)
        self._gates = gates or QualityGates()
        self._reference_gates = reference_gates or QualityGates.for_reference()
        self._detect_sides = tuple(detect_sides)
        self._m = _models()

    @property
    def threshold(self) -> float:
        """Distance at or below which two faces are taken for the same person."""
        return self._threshold

    @property
    def gates(self) -> QualityGates:
        """The probe's quality limits."""
        return self._gates

    def encode_reference(self, image: ImageInput) -> Reference:
        """Encode the reference photo (once per citizen session).

        Unreadable input, a photo without a face or one below the reference gates gives an
        unusable Reference whose quality says why; verify() then reports
        ``reference_unreadable``, ``reference_no_face`` or ``reference_poor``.
        """
        try:
            rgb = load_rgb(image)
        except ImageUnreadableError as exc:
            log.debug("reference unreadable (%s)", exc.reason)
            return Reference(quality=quality.UNREADABLE, faces=0)
        seen = self._observe(rgb, self._reference_gates, thorough=True)
        if not seen.judgeable:
            log.debug("reference: %d face(s), %s", seen.faces, seen.quality)
            return Reference(quality=seen.quality, faces=seen.faces)
        encoding = self._encode(rgb, seen)
        encoding.setflags(write=False)
        log.debug("reference: %d face(s), %s", seen.faces, seen.quality)
        return Reference(quality=seen.quality, faces=seen.faces, _encoding=encoding)

    def encode_probe(self, image: ImageInput) -> Reference:
        """Encode a picture under the probe's gates, for calibration (bench, docs/face.md).

        Usable only when the picture would be judged as a probe; otherwise ``quality`` is the
        code verify() would report. Distances between such encodings are exactly those
        verify() computes, without encoding each probe again for every reference.
        """
        try:
            rgb = load_rgb(image)
        except ImageUnreadableError:
            return Reference(quality=quality.UNREADABLE, faces=0)
        seen = self._observe(rgb, self._gates, thorough=True)
        if not seen.judgeable:
            return Reference(quality=seen.quality, faces=seen.faces)
        encoding = self._encode(rgb, seen)
        encoding.setflags(write=False)
        return Reference(quality=seen.quality, faces=seen.faces, _encoding=encoding)

    def verify(self, reference: Reference, probe: ImageInput) -> FaceResult:
        """Compare the largest face in ``probe`` with ``reference``.

        Bytes, a path or an RGB array. Never raises for bad input: an unreadable probe, one
        without a face, or one that fails a quality gate comes back with ``match`` None and a
        quality code saying why.
        """
        started = time.perf_counter()
        if not reference.usable:
            return self._refused(reference, started)
        try:
            rgb = load_rgb(probe)
        except ImageUnreadableError as exc:
            log.debug("probe unreadable (%s)", exc.reason)
            return self._result(started, None, 0, quality.UNREADABLE)
        seen = self._observe(rgb, self._gates, thorough=True)
        return self.verify_observed(reference, rgb, seen, started=started)

    def observe(
        self, image: ImageInput, *, thorough: bool = False, landmarks: bool = True
    ) -> Observation:
        """Look at a picture without encoding: faces, the largest one's landmarks, the gates.

        What a liveness check does on every camera frame (about 20 ms for 640 x 360).
        ``thorough`` adds the slow upsampled search for small faces when the quick passes find
        none; ``landmarks`` adds the 68 landmarks (``points``) liveness needs.
        """
        try:
            rgb = load_rgb(image)
        except ImageUnreadableError:
            return Observation(faces=0, quality=quality.UNREADABLE)
        return self._observe(rgb, self._gates, thorough=thorough, points68=landmarks)

    def verify_observed(
        self,
        reference: Reference,
        rgb: np.ndarray,
        seen: Observation,
        *,
        started: float | None = None,
    ) -> FaceResult:
        """Finish :meth:`verify` for a picture already observed: encode and compare.

        ``rgb`` must be the array ``seen`` was made from; ``started`` (a perf_counter value)
        is when work on this probe began, for ``ms``.
        """
        started = time.perf_counter() if started is None else started
        if not reference.usable:
            return self._refused(reference, started)
        if not seen.judgeable:
            log.debug("probe refused: %d face(s), %s", seen.faces, seen.quality)
            return self._result(started, None, seen.faces, seen.quality)
        encoding = self._encode(rgb, seen)
        assert reference._encoding is not None
        distance = float(np.linalg.norm(encoding - reference._encoding))
        del encoding  # the probe's encoding is not kept
        return self._result(started, distance, seen.faces, seen.quality)

    def distance_between(
        self, rgb_a: np.ndarray, seen_a: Observation, rgb_b: np.ndarray, seen_b: Observation
    ) -> float:
        """Distance between the chosen faces of two observed pictures, gates or not.

        For checking that two frames of one live check show the same person.
        """
        if seen_a.box is None or seen_b.box is None:
            raise ValueError("both pictures need a face")
        return float(np.linalg.norm(self._encode(rgb_a, seen_a) - self._encode(rgb_b, seen_b)))

    # -- internals ---------------------------------------------------------------------------

    def _refused(self, reference: Reference, started: float) -> FaceResult:
        code = _REFERENCE_QUALITY.get(reference.quality, _REFERENCE_POOR)
        return self._result(started, None, 0, code)

    def _result(self, started: float, distance: float | None, faces: int, code: str) -> FaceResult:
        return FaceResult(
            match=None if distance is None else distance <= self._threshold,
            distance=distance,
            threshold=self._threshold,
            faces=faces,
            quality=code,
            ms=(time.perf_counter() - started) * 1000.0,
            prompt=quality.PROMPTS.get(code),
        )

    def _observe(
        self, rgb: np.ndarray, gates: QualityGates, *, thorough: bool, points68: bool = False
    ) -> Observation:
        boxes = self._locate(rgb, thorough=thorough)
        if not boxes:
            return Observation(faces=0, quality=quality.NO_FACE)
        box = max(boxes, key=lambda b: (b[2] - b[0]) * (b[1] - b[3]))
        rect = self._rect(box)
        shape5 = self._m.landmarks5(rgb, rect)
        measures = quality.measure(rgb, box, _points(shape5))
        code = quality.judge(measures, gates)
        if code == quality.OK and len(boxes) > 1:
            code = quality.MULTIPLE_FACES
        points = self._landmarks68(rgb, rect) if points68 else None
        return Observation(
            faces=len(boxes),
            quality=code,
            box=box,
            measures=measures,
            points=points,
            shape5=shape5,
        )

    def _locate(self, rgb: np.ndarray, *, thorough: bool) -> list[Box]:
        """Face boxes in full-resolution coordinates, found on downscaled grey copies.

        Grey because dlib's HOG takes the strongest gradient of the three colour channels,
        which costs more and finds the same faces; one area-averaged copy at the largest
        scan size, and the smaller ones from it, because averaging the full picture down is
        the expensive step (3 ms for a megapixel in colour).
        """
        height, width = rgb.shape[:2]
        gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        base, base_scale = downscaled(gray, self._detect_sides[-1])
        small, scale = base, base_scale
        rects: Any = []
        for side in self._detect_sides:
            small, step = downscaled(base, side)
            scale = base_scale * step
            rects = self._m.detector(small, 0)
            if len(rects) or step == 1.0:
                break  # found, or this copy is already the largest scan
        if not len(rects) and thorough:
            # Upsampling doubles the picture the detector scans (four times the cost): only
            # for small or distant faces, when the plain passes found nothing.
            rects = self._m.detector(small, 1)
        return [
            (
                max(0, int(r.top() / scale)),
                min(width, round(r.right() / scale)),
                min(height, round(r.bottom() / scale)),
                max(0, int(r.left() / scale)),
            )
            for r in rects
        ]

    def _rect(self, box: Box) -> Any:
        top, right, bottom, left = box
        return self._m.rectangle(left, top, right, bottom)

    def _landmarks68(self, rgb: np.ndarray, rect: Any) -> np.ndarray:
        """The 68 landmarks, steadied: predicted again from a box placed by the landmarks.

        The detector's boxes jump in steps (8 px on the scanned copy, 16 px and more in the
        frame), and the predictor starts from the box, so its points jump with it; on a
        smallish face the jaw line moved enough to look like a head turn from a photo held
        still. A box derived from the previous prediction moves smoothly with the face; two
        rounds steady the points (photos held up: yaw jitter 0.36 -> 0.06) and leave real head
        turns as they were (docs/face.md, "Liveness").
        """
        points = _points(self._m.landmarks68(rgb, rect))
        for _ in range(_LANDMARK_ROUNDS):
            inner = points[17:]  # all but the jaw line, the least steady part
            centre = inner.mean(axis=0)
            radius = float(np.sqrt(((inner - centre) ** 2).sum(axis=1).mean()))
            half = _BOX_PER_RADIUS * radius / 2.0
            cx, cy = centre + np.asarray(_BOX_OFFSET) * radius
            box = self._m.rectangle(
                round(cx - half), round(cy - half), round(cx + half), round(cy + half)
            )
            points = _points(self._m.landmarks68(rgb, box))
        return points

    def _encode(self, rgb: np.ndarray, seen: Observation) -> np.ndarray:
        """The 128-d encoding of the chosen face: its 5-point alignment, one jitter.

        Exactly ``face_recognition.face_encodings(rgb, [box])``, reusing the five landmarks
        the gates already found.
        """
        shape = seen.shape5
        if shape is None:
            assert seen.box is not None
            shape = self._m.landmarks5(rgb, self._rect(seen.box))
        return np.asarray(self._m.encoder.compute_face_descriptor(rgb, shape, 1), np.float64)


def _points(shape: Any) -> np.ndarray:
    """A dlib shape's parts as an (n, 2) float array."""
    return np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
