"""Face verification: is the face in a probe image the person in the reference photo?

dlib (through face_recognition) finds faces with its HOG detector and turns a face into a
128-number encoding; two encodings of the same person lie close together. The matcher detects on
a downscaled copy of the probe (detection is the slow part and does not need full resolution),
scales the box of the largest face back up, encodes that one face at full resolution, and
compares it with the reference encoding, which is computed once per citizen session. See
docs/face.md for how the threshold was chosen.

Everything stays in memory: no image or encoding is written to disk or to a log. A matcher is
used from one thread at a time; in the desk that is the face worker process (worker.py).
"""

from __future__ import annotations

import contextlib
import io
import logging
import time
import warnings
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np
from PIL import ImageFile

from devices.face.images import ImageInput, ImageUnreadableError, downscaled, load_rgb

log = logging.getLogger(__name__)

# Calibrated on the genuine and impostor pairs in shared/faces; the distances, error rates and
# the reasoning are in docs/face.md. A hall overrides it with `[desk] face_threshold` in its
# configuration file (desktop/settings.py).
DEFAULT_THRESHOLD = 0.58

# Faces are searched on a copy no longer than this on its longest side. A counter camera's face
# fills a good part of the frame, so 640 px leaves it well above the HOG detector's ~80 px floor.
DETECT_MAX_SIDE = 640

# Upsampling doubles the image the detector scans and costs about four times as much, so it is
# only tried when the plain pass found nothing (small or distant faces).
_UPSAMPLE_STEPS = (0, 1)

MODELS_MISSING_MESSAGE = "face models missing: install face_recognition_models"

Box = tuple[int, int, int, int]  # (top, right, bottom, left), face_recognition's order


class FaceError(Exception):
    """Base of the face verification errors."""


class FaceModelsMissingError(FaceError):
    """face_recognition, dlib or face_recognition_models could not be loaded."""


@dataclass(frozen=True)
class FaceResult:
    """The outcome of verifying one probe image against a reference.

    ``quality`` is a stable code: ``ok`` (one face, judged), ``multiple_faces`` (several faces;
    the largest was judged and ``faces`` says how many), ``no_face``, ``unreadable`` (the probe
    could not be decoded), ``reference_no_face`` or ``reference_unreadable`` (the reference is
    unusable; the probe is then not examined and ``faces`` is 0). ``match`` and ``distance`` are
    None whenever no comparison was made. ``ms`` is the time spent on the probe: decoding,
    detection, encoding and comparison, not model loading or the reference.
    """

    match: bool | None
    distance: float | None
    threshold: float
    faces: int
    quality: str
    ms: float

    @property
    def judged(self) -> bool:
        """True when a face was compared and ``match`` holds the decision."""
        return self.match is not None

    def to_json(self) -> dict[str, Any]:
        """The result as a JSON-ready dict (the fields of ``face verify --json``)."""
        return {
            "match": self.match,
            "distance": None if self.distance is None else round(self.distance, 4),
            "threshold": self.threshold,
            "faces": self.faces,
            "quality": self.quality,
            "ms": round(self.ms, 1),
        }


@dataclass(frozen=True, repr=False)
class Reference:
    """A reference photo, encoded once and reused for every probe of a citizen session.

    ``quality`` is ``ok``, ``multiple_faces`` (the largest face was encoded), ``no_face`` or
    ``unreadable``; only the first two are usable. The encoding itself stays private and out of
    ``repr`` so that it does not end up in a log by accident.
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


class FaceMatcher:
    """Verifies probe images against reference photos with dlib's face encodings.

    The constructor loads the models (about a second) and raises
    :class:`FaceModelsMissingError` when they are not installed. Not thread-safe: use one
    matcher from one thread.
    """

    def __init__(
        self, threshold: float = DEFAULT_THRESHOLD, *, detect_max_side: int = DETECT_MAX_SIDE
    ) -> None:
        if not 0.0 < threshold <= 2.0:
            raise ValueError(f"face threshold must be in (0, 2], got {threshold}")
        if detect_max_side < 80:
            raise ValueError(f"detect_max_side too small: {detect_max_side}")
        self._threshold = float(threshold)
        self._detect_max_side = detect_max_side
        self._fr = load_face_recognition()

    @property
    def threshold(self) -> float:
        """Distance at or below which two faces are taken for the same person."""
        return self._threshold

    def encode_reference(self, image: ImageInput) -> Reference:
        """Encode the reference photo (once per citizen session).

        Unreadable input or a photo without a face gives an unusable Reference whose quality
        says why; verify() then reports ``reference_unreadable`` / ``reference_no_face``.
        """
        try:
            rgb = load_rgb(image)
        except ImageUnreadableError as exc:
            log.debug("reference unreadable (%s)", exc.reason)
            return Reference(quality="unreadable", faces=0)
        boxes = self._locate(rgb)
        if not boxes:
            log.debug("reference: no face")
            return Reference(quality="no_face", faces=0)
        encoding = self._encode(rgb, _largest(boxes))
        encoding.setflags(write=False)
        quality = "ok" if len(boxes) == 1 else "multiple_faces"
        log.debug("reference: %d face(s), %s", len(boxes), quality)
        return Reference(quality=quality, faces=len(boxes), _encoding=encoding)

    def verify(self, reference: Reference, probe: ImageInput) -> FaceResult:
        """Compare the largest face in ``probe`` with ``reference``.

        Never raises for bad images: unreadable input, no face or an unusable reference come
        back as quality codes with ``match`` None.
        """
        start = time.perf_counter()

        def result(quality: str, faces: int, distance: float | None = None) -> FaceResult:
            match = None if distance is None else distance <= self._threshold
            ms = (time.perf_counter() - start) * 1000.0
            log.debug(
                "probe: %d face(s), %s, distance %s, match %s, %.0f ms",
                faces,
                quality,
                "-" if distance is None else f"{distance:.3f}",
                match,
                ms,
            )
            return FaceResult(match, distance, self._threshold, faces, quality, ms)

        if not reference.usable:
            return result(f"reference_{reference.quality}", 0)
        try:
            rgb = load_rgb(probe)
        except ImageUnreadableError as exc:
            log.debug("probe unreadable (%s)", exc.reason)
            return result("unreadable", 0)
        boxes = self._locate(rgb)
        if not boxes:
            return result("no_face", 0)

        encoding = self._encode(rgb, _largest(boxes))
        distance = float(np.linalg.norm(encoding - reference._encoding))
        return result("ok" if len(boxes) == 1 else "multiple_faces", len(boxes), distance)

    def _locate(self, rgb: np.ndarray) -> list[Box]:
        """Face boxes in full-resolution coordinates, found on a downscaled copy."""
        small, scale = downscaled(rgb, self._detect_max_side)
        boxes: list[Box] = []
        for upsample in _UPSAMPLE_STEPS:
            boxes = self._fr.face_locations(small, number_of_times_to_upsample=upsample)
            if boxes:
                break
        if scale == 1.0:
            return [tuple(int(v) for v in box) for box in boxes]
        height, width = rgb.shape[:2]
        return [
            (
                max(0, int(top / scale)),
                min(width, round(right / scale)),
                min(height, round(bottom / scale)),
                max(0, int(left / scale)),
            )
            for top, right, bottom, left in boxes
        ]

    def _encode(self, rgb: np.ndarray, box: Box) -> np.ndarray:
        """The 128-d encoding of the face in ``box``, landmarks and chip from full resolution."""
        encodings = self._fr.face_encodings(rgb, known_face_locations=[box], num_jitters=1)
        return np.asarray(encodings[0], dtype=np.float64)


def _largest(boxes: list[Box]) -> Box:
    return max(boxes, key=lambda b: (b[2] - b[0]) * (b[1] - b[3]))
