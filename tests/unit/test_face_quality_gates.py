"""The quality gates on synthetic pictures: each defect gives its own code and prompt.

A "face" here is a patch of fine random texture (what the gates measure is size, light,
second derivatives and the five landmarks, not whether it looks like a face). No dlib; the
gates on real photos are in tests/integration/test_face_quality.py.
"""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
import pytest

from devices.face import quality
from devices.face.quality import FaceMeasures, QualityGates, judge, measure

SIDE = 200
BOX = (50, 50 + SIDE, 50 + SIDE, 50)  # top, right, bottom, left


def _picture(seed: int = 1) -> np.ndarray:
    """A 300 x 300 RGB picture whose middle 200 x 200 is a textured, mid-grey face."""
    rng = np.random.default_rng(seed)
    texture = cv2.GaussianBlur(rng.normal(0.0, 1.0, (SIDE, SIDE)), (0, 0), 1.2)
    face = np.clip(128.0 + texture / texture.std() * 30.0, 0, 255)
    picture = np.full((300, 300), 100.0)
    picture[50:250, 50:250] = face
    return np.repeat(picture.astype(np.uint8)[:, :, None], 3, axis=2)


def _frontal_points(offset: float = 0.0) -> np.ndarray:
    """dlib's five points for a face in BOX; ``offset`` moves the nose sideways (pixels)."""
    return np.array(
        [[210.0, 120], [175, 120], [90, 120], [125, 120], [150.0 + offset, 175]], dtype=float
    )


def _gate(picture: np.ndarray, box=BOX, points=None) -> str:
    return judge(measure(picture, box, _frontal_points() if points is None else points),
                 QualityGates())  # fmt: skip


def test_a_clear_well_lit_frontal_face_is_ok():
    measures = measure(_picture(), BOX, _frontal_points())

    assert judge(measures, QualityGates()) == quality.OK
    assert measures.face_px == SIDE
    assert 110 < measures.brightness < 145
    assert measures.sharpness > 100 and measures.steadiness > 30
    assert abs(measures.turn) < 0.01
    assert set(measures.to_json()) == {
        "face_px", "brightness", "clipped", "sharpness", "steadiness", "turn",
    }  # fmt: skip


def test_blur_is_blurry_and_asks_to_hold_still():
    blurred = cv2.GaussianBlur(_picture(), (0, 0), 4.0)

    code = _gate(blurred)

    assert code == quality.BLURRY
    assert quality.PROMPTS[code] == "hold_still"


def test_motion_blur_is_caught_by_steadiness():
    kernel = np.zeros((1, 31), np.float32)
    kernel[0, :] = 1 / 31  # a sideways smear
    smeared = cv2.filter2D(_picture(), -1, kernel)
    sharp = measure(_picture(), BOX, _frontal_points())
    measures = measure(smeared, BOX, _frontal_points())

    assert measures.steadiness < QualityGates().min_steadiness
    assert measures.steadiness / sharp.steadiness < measures.sharpness / sharp.sharpness
    assert judge(measures, QualityGates()) == quality.BLURRY


def test_dim_light_is_too_dark_but_not_mistaken_for_blur():
    picture = _picture()
    dim = (picture.astype(np.float32) * 0.3).astype(np.uint8)
    sharp = measure(picture, BOX, _frontal_points())
    measures = measure(dim, BOX, _frontal_points())

    assert judge(measures, QualityGates()) == quality.TOO_DARK
    assert quality.PROMPTS[quality.TOO_DARK] == "more_light"
    # The sharpness is scaled back to mid-grey: dim light alone does not read as blur.
    assert measures.sharpness == pytest.approx(sharp.sharpness, rel=0.35)


def test_glare_is_too_bright():
    glare = np.clip(_picture().astype(np.float32) * 1.8 + 40, 0, 255).astype(np.uint8)

    code = _gate(glare)

    assert code == quality.TOO_BRIGHT
    assert quality.PROMPTS[code] == "less_light"


def test_a_burnt_out_half_face_is_too_bright_even_when_the_mean_is_fine():
    picture = _picture()
    picture[50:250, 150:250] = 255  # one side in full sun
    picture[50:250, 50:150] //= 2
    measures = measure(picture, BOX, _frontal_points())

    assert measures.brightness < QualityGates().max_brightness
    assert judge(measures, QualityGates()) == quality.TOO_BRIGHT


def test_a_small_face_asks_to_come_closer():
    small = cv2.resize(_picture(), (90, 90), interpolation=cv2.INTER_AREA)
    box = (15, 75, 75, 15)

    code = _gate(small, box, _frontal_points() * 0.3)

    assert code == quality.TOO_SMALL
    assert quality.PROMPTS[code] == "move_closer"


def test_a_turned_face_asks_to_face_the_camera():
    code = _gate(_picture(), points=_frontal_points(offset=25.0))  # ~0.6 of half the eye gap

    assert code == quality.NOT_FRONTAL
    assert quality.PROMPTS[code] == "face_camera"


def test_gates_are_checked_in_order_size_light_pose_sharpness():
    bad = FaceMeasures(face_px=40, brightness=10, clipped=0.9, sharpness=1, steadiness=1, turn=0.9)
    gates = QualityGates()

    assert judge(bad, gates) == quality.TOO_SMALL
    assert judge(replace(bad, face_px=200), gates) == quality.TOO_DARK
    assert judge(replace(bad, face_px=200, brightness=120, clipped=0.0), gates) == (
        quality.NOT_FRONTAL
    )
    assert judge(replace(bad, face_px=200, brightness=120, clipped=0.0, turn=0.1), gates) == (
        quality.BLURRY
    )


def test_reference_gates_are_looser_in_every_limit():
    probe, reference = QualityGates(), QualityGates.for_reference()

    assert reference.min_face_px < probe.min_face_px
    assert reference.min_brightness < probe.min_brightness
    assert reference.max_brightness > probe.max_brightness
    assert reference.max_clipped > probe.max_clipped
    assert reference.max_turn > probe.max_turn
    assert reference.min_sharpness < probe.min_sharpness
    assert reference.min_steadiness < probe.min_steadiness


@pytest.mark.parametrize(
    "changes",
    [{"min_face_px": 5}, {"min_brightness": 200, "max_brightness": 100}, {"max_clipped": 0},
     {"max_turn": 1.5}, {"min_sharpness": -1}],
)  # fmt: skip
def test_nonsense_limits_are_refused(changes):
    with pytest.raises(ValueError):
        QualityGates(**changes)


def test_every_refusal_has_a_prompt_and_judged_codes_have_none():
    refusals = [quality.NO_FACE, quality.TOO_SMALL, quality.TOO_DARK, quality.TOO_BRIGHT,
                quality.NOT_FRONTAL, quality.BLURRY]  # fmt: skip

    assert all(quality.PROMPTS[code] for code in refusals)
    assert quality.PROMPTS[quality.OK] is None and quality.PROMPTS[quality.MULTIPLE_FACES] is None
    assert {quality.OK, quality.MULTIPLE_FACES} == quality.JUDGED


def test_a_box_outside_the_picture_measures_as_nothing():
    measures = measure(_picture(), (400, 500, 500, 400), _frontal_points())

    assert measures.face_px == 0
    assert judge(measures, QualityGates()) == quality.TOO_SMALL
