"""Quality gates on real photos: good probes pass, degraded ones are refused, never guessed.

A degraded photo's encoding drifts towards the average face, so a blurred, dark, washed-out or
tiny picture of someone else could come closer than the threshold. Every such impostor probe
here must be refused (with the right prompt) or rejected, never matched. Degraded variants are
made in memory from the photos in shared/faces.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera.opencv import read_video_frames
from devices.face import quality
from devices.face.images import load_rgb
from devices.face.matcher import FaceMatcher

FACES = Path(__file__).resolve().parents[2].parent / "shared" / "faces"

pytestmark = pytest.mark.skipif(not FACES.is_dir(), reason=f"test photos not found at {FACES}")

# The seeded citizens' probes: each must pass the gates (docs/face.md, training mode).
SEEDED_PROBES = ["p01/02.jpg", "p02/02.jpg", "p03/02.jpg", "p04/02.jpg", "p05/02.jpg"]

# Impostor pairs (reference, probe of someone else): the closest pair of the set, and a soft
# video-still reference that a smeared probe drifts towards (see the last test).
IMPOSTORS = [("p03/03.jpg", "p01/02.jpg"), ("p03/01.png", "p04/02.jpg")]

NO_GATES = quality.QualityGates(
    min_face_px=20, min_brightness=0.0, max_brightness=255.0, max_clipped=1.0, max_turn=1.0,
    min_sharpness=0.0, min_steadiness=0.0,
)  # fmt: skip


@pytest.fixture(scope="module")
def matcher() -> FaceMatcher:
    return FaceMatcher()


def _face_px(matcher: FaceMatcher, rgb: np.ndarray) -> int:
    seen = matcher.observe(rgb, thorough=True)
    assert seen.box is not None
    top, _, bottom, _ = seen.box
    return bottom - top


def _motion(rgb: np.ndarray, length: int) -> np.ndarray:
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0 / length
    return cv2.filter2D(rgb, -1, kernel)


def _degrade(rgb: np.ndarray, kind: str, face_px: int) -> np.ndarray:
    """One kind of damage, sized to the face (lengths in pixels of dlib's 150-px chip)."""
    chip = face_px / 150.0
    if kind == "blur":
        return cv2.GaussianBlur(rgb, (0, 0), 4.0 * chip)
    if kind == "motion":
        return _motion(rgb, max(3, int(41 * chip) | 1))
    if kind == "dark":
        return (rgb.astype(np.float32) * 0.12).astype(np.uint8)
    if kind == "washed_out":
        return np.clip(rgb.astype(np.float32) * 3.0 + 40.0, 0, 255).astype(np.uint8)
    if kind == "tiny":
        scale = 40.0 / face_px
        size = (max(1, round(rgb.shape[1] * scale)), max(1, round(rgb.shape[0] * scale)))
        return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    raise AssertionError(kind)


@pytest.mark.parametrize("probe", SEEDED_PROBES)
def test_the_seeded_probes_pass_the_gates(matcher, probe):
    seen = matcher.observe(FACES / probe, thorough=True)

    assert seen.quality == quality.OK, seen.measures
    assert seen.prompt is None


@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        ("blur", {quality.BLURRY}),
        ("motion", {quality.BLURRY}),
        ("dark", {quality.TOO_DARK}),
        ("washed_out", {quality.TOO_BRIGHT}),
        ("tiny", {quality.TOO_SMALL, quality.NO_FACE}),
    ],
)
@pytest.mark.parametrize(("reference", "probe"), IMPOSTORS, ids=lambda n: n)
def test_a_degraded_impostor_photo_is_refused_never_matched(matcher, reference, probe, kind, codes):
    rgb = load_rgb(FACES / probe)
    degraded = _degrade(rgb, kind, _face_px(matcher, rgb))

    result = matcher.verify(matcher.encode_reference(FACES / reference), degraded)

    assert result.match is not True
    assert result.quality in codes
    assert result.match is None and result.distance is None  # refused, not guessed
    assert result.prompt == quality.PROMPTS[result.quality]


def test_refusals_carry_the_prompts_the_citizen_needs(matcher):
    reference = matcher.encode_reference(FACES / "p01/01.jpg")
    rgb = load_rgb(FACES / "p01/02.jpg")
    face_px = _face_px(matcher, rgb)

    prompts = {
        kind: matcher.verify(reference, _degrade(rgb, kind, face_px)).prompt
        for kind in ("blur", "dark", "washed_out")
    }
    small = matcher.verify(reference, FACES / "p01/08-240p.jpg")  # a 72-px face

    assert prompts == {"blur": "hold_still", "dark": "more_light", "washed_out": "less_light"}
    assert (small.quality, small.prompt, small.faces) == (quality.TOO_SMALL, "move_closer", 1)


def test_a_head_turned_well_away_is_not_frontal(matcher):
    # Frames 132-136 of the clip: the performer looks far to his right.
    frames = [frame for _, frame in read_video_frames(FACES / "video/clip-a.mp4", 132, 137)]

    codes = {matcher.observe(frame).quality for frame in frames}

    assert quality.NOT_FRONTAL in codes
    assert quality.PROMPTS[quality.NOT_FRONTAL] == "face_camera"


def test_a_poor_reference_photo_is_reported_as_such(matcher):
    rgb = load_rgb(FACES / "p02/01.jpg")
    blurred = cv2.GaussianBlur(rgb, (0, 0), 12.0)

    reference = matcher.encode_reference(blurred)
    result = matcher.verify(reference, FACES / "p02/02.jpg")

    assert not reference.usable and reference.quality == quality.BLURRY
    assert (result.quality, result.match, result.faces) == ("reference_poor", None, 0)
    assert result.prompt is None  # nothing the citizen can do: the clerk's alternative applies


def test_stricter_gates_can_be_configured(matcher):
    strict = FaceMatcher(gates=quality.QualityGates(min_face_px=400))

    result = strict.verify(strict.encode_reference(FACES / "p05/01.jpg"), FACES / "p05/02.jpg")

    assert result.quality == quality.TOO_SMALL  # a 246-px face is too small for this hall


def test_why_the_gates_exist_a_smeared_impostor_drifts_towards_the_threshold(matcher):
    ungated = FaceMatcher(gates=NO_GATES)
    reference = ungated.encode_reference(FACES / "p03/01.png")
    rgb = load_rgb(FACES / "p04/02.jpg")
    smeared = _degrade(rgb, "motion", _face_px(matcher, rgb))

    clean = ungated.verify(reference, rgb)
    drifted = ungated.verify(reference, smeared)
    gated = matcher.verify(matcher.encode_reference(FACES / "p03/01.png"), smeared)

    assert clean.match is False
    assert drifted.distance < clean.distance - 0.1  # the smear pulls someone else closer
    assert drifted.distance < matcher.threshold + 0.05  # to about the threshold
    assert gated.quality == quality.BLURRY and gated.match is None
