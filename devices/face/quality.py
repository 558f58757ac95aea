"""Quality gates: is the face in a picture good enough to be judged at all?

A face that is too small, badly lit, turned away or blurred gives an encoding that drifts
towards the average face: a genuine citizen is rejected and, worse, a degraded photo of someone
else can come closer than it should. So a probe is measured before it is compared, and one that
fails a gate is refused with a code saying why and a prompt telling the citizen what to do,
never guessed. The thresholds, and the degraded photos they were checked against, are in
docs/face.md ("Quality gates").

Measures, all on the face the matcher chose:

- size: the shorter side of the detector's box, in pixels of the full image;
- brightness: mean luma of the inner face (the box less a fifth on each side: skin, eyes, nose,
  mouth; no hair or background), and the share of its pixels clipped to black or to white;
- sharpness: the variance of the Laplacian of the face, resized to dlib's 150-pixel chip size
  (what the encoder sees) and scaled to a mid-grey mean (so that dim light does not read as
  blur: the Laplacian scales with the gain);
- steadiness: the same second derivative taken along one direction at a time (across, down and
  the two diagonals), keeping the weakest. Motion blur smears one direction only, and a face
  with much fine detail (beard, hair) keeps a high Laplacian variance across the smear, so the
  plain variance lets a strongly smeared face through;
- pose: :func:`devices.face.landmarks.turn` from dlib's five landmarks (the ones the encoder
  aligns the face with).

Plain numpy and OpenCV; no dlib here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from devices.face import landmarks

Box = tuple[int, int, int, int]  # (top, right, bottom, left), face_recognition's order

# The size the sharpness is measured at: dlib's face chip is 150 x 150 pixels.
CHIP_SIDE = 150

# Sharpness is scaled to this mean luma before it is compared with the gate.
_MID_GREY = 128.0

# Second derivative [1, -2, 1] across, down and along both diagonals.
_DIRECTIONS = tuple(
    np.asarray(kernel, dtype=np.float32)
    for kernel in (
        [[0, 0, 0], [1, -2, 1], [0, 0, 0]],
        [[0, 1, 0], [0, -2, 0], [0, 1, 0]],
        [[1, 0, 0], [0, -2, 0], [0, 0, 1]],
        [[0, 0, 1], [0, -2, 0], [1, 0, 0]],
    )
)

# Quality codes of a probe, worst first in the order the gates are checked (see judge()).
OK = "ok"
MULTIPLE_FACES = "multiple_faces"
NO_FACE = "no_face"
UNREADABLE = "unreadable"
TOO_SMALL = "too_small"
TOO_DARK = "too_dark"
TOO_BRIGHT = "too_bright"
NOT_FRONTAL = "not_frontal"
BLURRY = "blurry"

# What the citizen is asked to do for each refusal; the UI translates the code. None: nothing
# the citizen can do (the clerk sees the quality code instead).
PROMPTS: dict[str, str | None] = {
    OK: None,
    MULTIPLE_FACES: None,
    NO_FACE: "face_camera",
    UNREADABLE: None,
    TOO_SMALL: "move_closer",
    TOO_DARK: "more_light",
    TOO_BRIGHT: "less_light",
    NOT_FRONTAL: "face_camera",
    BLURRY: "hold_still",
}

JUDGED = frozenset({OK, MULTIPLE_FACES})


@dataclass(frozen=True)
class QualityGates:
    """Limits a face must meet to be judged; a hall may tune them (docs/face.md).

    The defaults are for probes from a counter camera. :meth:`for_reference` gives the looser
    limits used for central's reference photo, which the citizen cannot retake at the desk.
    """

    min_face_px: int = 80
    min_brightness: float = 45.0
    max_brightness: float = 210.0
    max_clipped: float = 0.15  # share of inner-face pixels at black (<= 8) or white (>= 250)
    max_turn: float = 0.45  # about 30 degrees either way
    min_sharpness: float = 40.0
    min_steadiness: float = 12.0

    def __post_init__(self) -> None:
        if self.min_face_px < 20:
            raise ValueError(f"min_face_px must be at least 20, got {self.min_face_px}")
        if not 0.0 <= self.min_brightness < self.max_brightness <= 255.0:
            raise ValueError("brightness limits must satisfy 0 <= min < max <= 255")
        if not 0.0 < self.max_clipped <= 1.0:
            raise ValueError(f"max_clipped must be in (0, 1], got {self.max_clipped}")
        if not 0.0 < self.max_turn <= 1.0:
            raise ValueError(f"max_turn must be in (0, 1], got {self.max_turn}")
        if self.min_sharpness < 0.0 or self.min_steadiness < 0.0:
            raise ValueError("sharpness limits must not be negative")

    @classmethod
    def for_reference(cls) -> QualityGates:
        """Limits for a reference photo: only what makes a comparison meaningless."""
        return cls(
            min_face_px=60,
            min_brightness=30.0,
            max_brightness=225.0,
            max_clipped=0.3,
            max_turn=0.6,
            min_sharpness=15.0,
            min_steadiness=5.0,
        )


@dataclass(frozen=True)
class FaceMeasures:
    """What the gates look at, for one face. Numbers only: nothing of the picture itself."""

    face_px: int
    brightness: float
    clipped: float
    sharpness: float
    steadiness: float
    turn: float

    def to_json(self) -> dict[str, Any]:
        """Rounded, for diagnostics and the bench."""
        return {
            "face_px": self.face_px,
            "brightness": round(self.brightness, 1),
            "clipped": round(self.clipped, 3),
            "sharpness": round(self.sharpness, 1),
            "steadiness": round(self.steadiness, 1),
            "turn": round(self.turn, 3),
        }


def measure(rgb: np.ndarray, box: Box, points5: np.ndarray) -> FaceMeasures:
    """Measure the face in ``box`` of an RGB image, with its five landmarks ``points5``."""
    height, width = rgb.shape[:2]
    top, right, bottom, left = box
    top, left = max(0, top), max(0, left)
    bottom, right = min(height, bottom), min(width, right)
    face_px = max(0, min(bottom - top, right - left))
    if face_px < 2:
        return FaceMeasures(
            face_px=face_px, brightness=0.0, clipped=1.0, sharpness=0.0, steadiness=0.0, turn=0.0
        )

    gray = cv2.cvtColor(rgb[top:bottom, left:right], cv2.COLOR_RGB2GRAY)

    # Exposure on the inner face only: hair and background say nothing about the light on it.
    h, w = gray.shape
    inner = gray[h // 5 : h - h // 5, w // 5 : w - w // 5]
    if inner.size == 0:
        inner = gray
    brightness = float(inner.mean())
    clipped = float(np.count_nonzero((inner <= 8) | (inner >= 250))) / inner.size

    # Sharpness at the encoder's own scale, independent of the exposure's gain.
    shrinking = gray.shape[0] > CHIP_SIDE
    chip = cv2.resize(
        gray,
        (CHIP_SIDE, CHIP_SIDE),
        interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR,
    )
    gain = (_MID_GREY / max(float(chip.mean()), 1.0)) ** 2
    sharpness = float(cv2.Laplacian(chip, cv2.CV_32F).var()) * gain
    steadiness = min(float(cv2.filter2D(chip, cv2.CV_32F, k).var()) for k in _DIRECTIONS) * gain

    return FaceMeasures(
        face_px=face_px,
        brightness=brightness,
        clipped=clipped,
        sharpness=sharpness,
        steadiness=steadiness,
        turn=landmarks.turn(points5),
    )


def judge(measures: FaceMeasures, gates: QualityGates) -> str:
    """The quality code for one measured face: ``ok`` or the first gate it fails.

    Order matters for the prompt: size first (nothing else is reliable on a tiny face), then
    light (a dark face also reads as blurred), then pose, then sharpness.
    """
    if measures.face_px < gates.min_face_px:
        return TOO_SMALL
    if measures.brightness < gates.min_brightness:
        return TOO_DARK
    if measures.brightness > gates.max_brightness:
        return TOO_BRIGHT
    if measures.clipped > gates.max_clipped:
        return TOO_DARK if measures.brightness < _MID_GREY else TOO_BRIGHT
    if abs(measures.turn) > gates.max_turn:
        return NOT_FRONTAL
    if measures.sharpness < gates.min_sharpness or measures.steadiness < gates.min_steadiness:
        return BLURRY
    return OK
