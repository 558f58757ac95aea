"""Geometry on dlib's 68-point face landmarks: head turn, eye openness, rigid-motion residual.

Points follow the iBUG 300-W layout that dlib's ``shape_predictor_68_face_landmarks`` uses, in
image coordinates of a camera-native (not mirrored) frame:

======  ==========================================  ======  ==================================
0-16    jaw line, image left to image right         36-41   eye on the image's left
17-26   eyebrows                                    42-47   eye on the image's right
27-30   nose bridge, 30 = nose tip                  48-67   mouth
======  ==========================================  ======  ==================================

Every measure here is invariant to moving, rotating and scaling the face in the image, so a
citizen stepping closer or tilting their head does not change it. :func:`planar_residual` goes
further: it removes any affine map, which is what a flat photo held up to the camera undergoes
(weak perspective), so only a real three-dimensional head or a changing expression leaves a
residual. These are plain numpy functions on ``(68, 2)`` arrays; no dlib needed.
"""

from __future__ import annotations

import numpy as np

POINTS = 68

JAW_LEFT, JAW_RIGHT, NOSE_TIP = 0, 16, 30
EYE_IMAGE_LEFT = slice(36, 42)
EYE_IMAGE_RIGHT = slice(42, 48)
MOUTH = slice(48, 68)


def as_points(landmarks: object) -> np.ndarray:
    """``landmarks`` as a float64 ``(68, 2)`` array; raises ValueError for any other shape."""
    points = np.asarray(landmarks, dtype=np.float64)
    if points.shape != (POINTS, 2) or not np.all(np.isfinite(points)):
        raise ValueError(f"expected 68 finite (x, y) landmarks, got shape {points.shape}")
    return points


def interocular(points: np.ndarray) -> float:
    """Distance between the two eye centres, in pixels: the face's scale."""
    return float(
        np.linalg.norm(points[EYE_IMAGE_RIGHT].mean(axis=0) - points[EYE_IMAGE_LEFT].mean(axis=0))
    )


def yaw(points: np.ndarray) -> float:
    """Head turn from -1 to 1; 0 is frontal, positive is towards the citizen's own left.

    The nose tip is projected onto the jaw line's axis (jaw point 0 to 16): frontal, it sits
    half way; when the head turns, the nose moves towards the side the citizen turns to. In a
    camera-native frame the citizen's left is on the image's right. About +-0.3 is a clear turn
    of 20-25 degrees; the measure saturates towards +-1 near profile. Rotating, moving or scaling
    the face in the image does not change it, and neither does a flat photo seen at an angle.
    """
    axis = points[JAW_RIGHT] - points[JAW_LEFT]
    length2 = float(axis @ axis)
    if length2 <= 0.0:
        return 0.0
    along = float((points[NOSE_TIP] - points[JAW_LEFT]) @ axis) / length2
    return float(np.clip(2.0 * along - 1.0, -1.0, 1.0))


def turn(points5: np.ndarray) -> float:
    """Head turn from dlib's five landmarks (two corners of each eye, base of the nose).

    The base of the nose projected onto the line through the eye centres, relative to their
    midpoint, in half eye distances: 0 frontal, positive towards the citizen's own left, like
    :func:`yaw` but about two thirds of its size for the same turn (0.45 is about 30 degrees).
    It is what the quality gates use, because the encoder needs these five points anyway and
    the 68 cost another 3 ms.
    """
    first, second = points5[0:2].mean(axis=0), points5[2:4].mean(axis=0)
    left, right = (first, second) if first[0] <= second[0] else (second, first)
    axis = right - left
    length2 = float(axis @ axis)
    if length2 <= 0.0:
        return 0.0
    offset = float((points5[4] - (left + right) / 2.0) @ axis) / length2
    return float(np.clip(2.0 * offset, -1.0, 1.0))


def _eye_aspect(eye: np.ndarray) -> float:
    """Eye aspect ratio (Soukupova and Cech, 2016): lid opening over eye width."""
    width = float(np.linalg.norm(eye[0] - eye[3]))
    if width <= 0.0:
        return 0.0
    opening = float(np.linalg.norm(eye[1] - eye[5]) + np.linalg.norm(eye[2] - eye[4]))
    return opening / (2.0 * width)


def eye_openness(points: np.ndarray) -> float:
    """How open the eyes are: the mean eye aspect ratio over the face's own aspect.

    The eye aspect ratio is about 0.25-0.35 open and below 0.15 closed, but squashing the
    picture vertically (a photo tilted backwards) lowers it too. Dividing by the face's
    height-to-width (eye centres to mouth centre, over the distance between the eyes) cancels
    that, so only the lids moving against the rest of the face change the value.
    """
    left, right = points[EYE_IMAGE_LEFT], points[EYE_IMAGE_RIGHT]
    eyes = (left.mean(axis=0) + right.mean(axis=0)) / 2.0
    width = interocular(points)
    height = float(np.linalg.norm(points[MOUTH].mean(axis=0) - eyes))
    if width <= 0.0 or height <= 0.0:
        return 0.0
    return (_eye_aspect(left) + _eye_aspect(right)) / 2.0 / (height / width)


# Every point but the eyes: what stays put, relative to the face, when the citizen blinks.
WITHOUT_EYES = np.r_[0:36, 48:68]


def planar_residual(
    reference: np.ndarray, points: np.ndarray, subset: np.ndarray | slice = slice(None)
) -> float:
    """How far ``points`` are from any affine image of ``reference``, over the face's scale.

    The best affine map (least squares) from ``reference`` to ``points`` is removed; what is
    left is the root-mean-square distance, divided by the distance between the eyes. A flat
    photo moved, tilted or turned in front of the camera leaves landmark noise only (up to
    about 0.06 for a photo swung through 25 degrees, less when held naturally); a real head
    turning leaves 0.1-0.35. ``subset`` limits the fit to some of the points.
    """
    ref, pts = reference[subset], points[subset]
    source = np.hstack([ref, np.ones((len(ref), 1))])
    solution, *_ = np.linalg.lstsq(source, pts, rcond=None)
    error = pts - source @ solution
    scale = interocular(points)
    if scale <= 0.0:
        return 0.0
    return float(np.sqrt((error**2).sum(axis=1).mean()) / scale)
