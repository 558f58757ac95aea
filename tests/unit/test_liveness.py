"""The liveness judge on synthetic landmark sequences: a live head passes, a photo never does.

A small three-dimensional face model gives the 68 landmarks: it can blink, turn its head and be
projected as a camera would see it. A printed photo is the model's frontal picture moved by
affine maps (shifted, rotated, scaled, squashed as when the sheet is tilted), with landmark
noise. No dlib here; tests/integration/test_liveness_clip.py does the same on real frames.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from devices.face import landmarks
from devices.face.liveness import (
    ACTIONS,
    DEFAULT_TIME_LIMIT_S,
    LivenessChallenge,
    LivenessJudge,
)

FPS = 15.0
EYELIDS = [37, 38, 40, 41, 43, 44, 46, 47]


def _face_model() -> np.ndarray:
    """(68, 3) points: x to the image's right, y down, z towards the camera; eyes 1 apart."""
    points = np.zeros((68, 3))
    for k in range(17):  # jaw, from the image's left ear round the chin to the right ear
        angle = math.pi * k / 16
        points[k] = (-math.cos(angle) * 1.0, 1.5 * math.sin(angle), -0.8 + 0.6 * math.sin(angle))
    for k in range(5):  # eyebrows
        x = -0.85 + 0.16 * k
        points[17 + k] = (x, -0.35 - 0.08 * math.sin(math.pi * k / 4), 0.05)
        points[26 - k] = (-x, -0.35 - 0.08 * math.sin(math.pi * k / 4), 0.05)
    for k in range(4):  # nose bridge down to the tip (30)
        points[27 + k] = (0.0, -0.15 + 0.23 * k, 0.1 + 0.083 * k)
    for k in range(5):  # base of the nose
        points[31 + k] = (-0.25 + 0.125 * k, 0.65, 0.2 + 0.05 * (2 - abs(k - 2)))
    left_eye = [(-0.75, 0), (-0.6, -0.08), (-0.4, -0.08), (-0.25, 0), (-0.4, 0.08), (-0.6, 0.08)]
    right_eye = [(0.25, 0), (0.4, -0.08), (0.6, -0.08), (0.75, 0), (0.6, 0.08), (0.4, 0.08)]
    for k, (x, y) in enumerate(left_eye + right_eye):
        points[36 + k] = (x, y, 0.0)
    for k in range(12):  # outer lip
        angle = 2 * math.pi * k / 12
        points[48 + k] = (-0.45 * math.cos(angle), 1.0 - 0.15 * math.sin(angle), 0.15)
    for k in range(8):  # inner lip
        angle = 2 * math.pi * k / 8
        points[60 + k] = (-0.3 * math.cos(angle), 1.0 - 0.06 * math.sin(angle), 0.12)
    return points


MODEL = _face_model()


def _view(
    turn_deg: float = 0.0,
    eyes_open: float = 1.0,
    *,
    rng: np.random.Generator,
    noise_px: float = 0.5,
) -> np.ndarray:
    """The model as a camera sees it: turned towards the citizen's left by ``turn_deg``."""
    points = MODEL.copy()
    for eye in (slice(36, 42), slice(42, 48)):
        centre = points[eye, 1].mean()
        points[eye, 1] = centre + (points[eye, 1] - centre) * eyes_open
    angle = math.radians(turn_deg)
    x, z = points[:, 0].copy(), points[:, 2].copy()
    points[:, 0] = x * math.cos(angle) + z * math.sin(angle)
    pixels = points[:, :2] * 60.0 + (320.0, 200.0)  # eyes 60 px apart, near the frame centre
    return pixels + rng.normal(0.0, noise_px, pixels.shape)


def _photo(rng: np.random.Generator, turn_deg: float = 0.0) -> list[np.ndarray]:
    """Frames of a printed photo (of a face turned ``turn_deg``) waved about by hand."""
    picture = _view(turn_deg, rng=rng, noise_px=0.0)
    centre = picture.mean(axis=0)
    frames = []
    for _ in range(int(DEFAULT_TIME_LIMIT_S * FPS) + 5):
        rotation = math.radians(rng.uniform(-10, 10))
        squash = np.diag([rng.uniform(0.75, 1.0), rng.uniform(0.75, 1.0)])  # tilted sheet
        shear = np.array([[1.0, rng.uniform(-0.1, 0.1)], [0.0, 1.0]])
        turn = np.array(
            [[math.cos(rotation), -math.sin(rotation)], [math.sin(rotation), math.cos(rotation)]]
        )
        matrix = rng.uniform(0.85, 1.15) * turn @ squash @ shear
        moved = (picture - centre) @ matrix.T + centre + rng.uniform(-30, 30, 2)
        frames.append(moved + rng.normal(0.0, 0.5, moved.shape))
    return frames


def _run(judge: LivenessJudge, frames: list[np.ndarray | None], start: float = 100.0):
    state = judge.state
    for index, points in enumerate(frames):
        state = judge.feed(start + index / FPS, points)
        if state.done:
            break
    return state


def _turn(rng, target: float, *, hold: int = 10, lead: int = 8) -> list[np.ndarray]:
    """Frontal for ``lead`` frames, a turn to ``target`` degrees over ten, then held."""
    angles = [0.0] * lead + [target * k / 10 for k in range(1, 11)] + [target] * hold
    return [_view(a, rng=rng) for a in angles]


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20240611)


@pytest.mark.parametrize(("action", "degrees"), [("turn_left", 30.0), ("turn_right", -30.0)])
def test_a_turn_as_asked_passes(rng, action, degrees):
    judge = LivenessJudge(LivenessChallenge(action))

    progress = []
    for index, points in enumerate(_turn(rng, degrees)):
        state = judge.feed(index / FPS, points)
        progress.append(state.progress)
        if state.done:
            break

    assert state.status == "passed" and state.outcome == "passed"
    assert state.prompt is None
    assert progress[0] == 0.0 and max(progress) == 1.0
    assert state.elapsed_s < 2.0


@pytest.mark.parametrize(("action", "degrees"), [("turn_left", -30.0), ("turn_right", 30.0)])
def test_a_turn_the_other_way_times_out(rng, action, degrees):
    judge = LivenessJudge(LivenessChallenge(action), time_limit_s=3.0)
    frames = _turn(rng, degrees, hold=int(3.0 * FPS))

    state = _run(judge, frames)

    assert state.status == "failed"
    assert state.outcome == "timeout"  # the head moved, just not as asked


def test_coming_back_from_the_other_side_is_not_a_turn(rng):
    # Asked to turn left, the citizen first turns right, then back to the front.
    angles = [-30.0] * 5 + [-30.0 + 3.0 * k for k in range(1, 11)] + [0.0] * 40
    judge = LivenessJudge(LivenessChallenge("turn_left"), time_limit_s=3.0)

    state = _run(judge, [_view(a, rng=rng) for a in angles])

    assert state.outcome == "timeout"


def test_a_slight_turn_is_not_enough(rng):
    judge = LivenessJudge(LivenessChallenge("turn_left"), time_limit_s=2.0)

    state = _run(judge, _turn(rng, 10.0, hold=30))

    assert state.outcome != "passed"


def test_a_blink_passes(rng):
    openness = [1.0] * 8 + [0.6, 0.2, 0.15, 0.5] + [1.0] * 10
    judge = LivenessJudge(LivenessChallenge("blink"))

    seen = []
    for index, eyes in enumerate(openness):
        state = judge.feed(index / FPS, _view(0.0, eyes, rng=rng))
        seen.append(state.progress)
        if state.done:
            break

    assert state.outcome == "passed"
    assert 0.5 in seen  # eyes closed, waiting for them to open again


def test_eyes_that_close_and_stay_closed_are_not_yet_a_blink(rng):
    openness = [1.0] * 8 + [0.2] * 60
    judge = LivenessJudge(LivenessChallenge("blink"), time_limit_s=3.0)

    state = _run(judge, [_view(0.0, eyes, rng=rng) for eyes in openness])

    assert state.outcome != "passed"


def test_squinting_is_not_a_blink(rng):
    openness = [1.0] * 8 + [0.75, 0.7, 0.7, 0.75] + [1.0] * 40
    judge = LivenessJudge(LivenessChallenge("blink"), time_limit_s=3.0)

    state = _run(judge, [_view(0.0, eyes, rng=rng) for eyes in openness])

    assert state.outcome != "passed"


def test_a_landmark_glitch_is_not_a_blink(rng):
    # One smeared frame: the eyes read as closed, but the whole face jumped with them.
    frames = [_view(0.0, rng=rng) for _ in range(8)]
    glitch = _view(0.0, 0.1, rng=rng)
    glitch[landmarks.WITHOUT_EYES] += rng.normal(0.0, 12.0, (56, 2))
    frames += [glitch] + [_view(0.0, rng=rng) for _ in range(20)]
    judge = LivenessJudge(LivenessChallenge("blink"), time_limit_s=2.0)

    state = _run(judge, frames)

    assert state.outcome != "passed"


@pytest.mark.parametrize("action", ACTIONS)
def test_the_same_frame_repeated_fails_as_still(rng, action):
    frame = _view(0.0, rng=rng)
    judge = LivenessJudge(LivenessChallenge(action))

    state = _run(judge, [frame] * int(DEFAULT_TIME_LIMIT_S * FPS + 5))

    assert state.status == "failed"
    assert state.outcome == "still"
    assert state.elapsed_s > DEFAULT_TIME_LIMIT_S


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("photo_turn", [0.0, 25.0, -25.0])
def test_a_printed_photo_waved_about_fails(rng, action, photo_turn):
    frames = _photo(rng, photo_turn)
    judge = LivenessJudge(LivenessChallenge(action))

    state = _run(judge, frames)

    assert state.status == "failed"
    assert state.outcome == "still"


def test_no_face_at_all(rng):
    judge = LivenessJudge(LivenessChallenge("blink"), time_limit_s=1.0)

    first = judge.feed(0.0, None)
    last = _run(judge, [None] * 30, start=0.1)

    assert (first.status, first.prompt) == ("waiting", "face_camera")
    assert last.outcome == "no_face"


def test_a_face_lost_midway_asks_for_it_back(rng):
    judge = LivenessJudge(LivenessChallenge("turn_left"))
    judge.feed(0.0, _view(0.0, rng=rng))

    state = judge.feed(0.1, None)

    assert (state.status, state.prompt, state.outcome) == ("in_progress", "face_camera", None)


def test_a_turn_after_the_time_limit_does_not_count(rng):
    frames = [_view(0.0, rng=rng)] * int(2.0 * FPS + 2) + _turn(rng, 30.0, lead=0)
    judge = LivenessJudge(LivenessChallenge("turn_left"), time_limit_s=2.0)

    state = _run(judge, frames)

    assert state.status == "failed"


def test_older_frames_are_ignored_and_finish_decides(rng):
    judge = LivenessJudge(LivenessChallenge("turn_left"))
    judge.feed(10.0, _view(0.0, rng=rng))
    judge.feed(9.0, _view(30.0, rng=rng))  # out of order: ignored

    state = judge.finish()

    assert state.outcome == "still"  # one frontal frame is all it judged
    assert judge.feed(11.0, _view(30.0, rng=rng)) is state  # decided stays decided


def test_random_challenges_cover_every_action():
    seeded = random.Random(7)
    drawn = {LivenessChallenge.random(seeded).action for _ in range(60)}
    unseeded = LivenessChallenge.random()

    assert drawn == set(ACTIONS)
    assert unseeded.action in ACTIONS
    assert unseeded.prompt == unseeded.action


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        LivenessChallenge("smile")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        LivenessJudge(LivenessChallenge("blink"), time_limit_s=0)
    judge = LivenessJudge(LivenessChallenge("blink"))
    with pytest.raises(ValueError):
        judge.feed(0.0, np.zeros((5, 2)))


# -- the geometry under the judge -------------------------------------------------------------


def _similar(points: np.ndarray, angle_deg: float, scale: float, shift) -> np.ndarray:
    angle = math.radians(angle_deg)
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    return scale * points @ rotation.T + shift


def test_yaw_is_signed_towards_the_citizens_left_and_ignores_position_size_and_tilt(rng):
    frontal = _view(0.0, rng=rng, noise_px=0.0)
    left = _view(25.0, rng=rng, noise_px=0.0)
    right = _view(-25.0, rng=rng, noise_px=0.0)

    assert abs(landmarks.yaw(frontal)) < 0.02
    assert landmarks.yaw(left) > 0.3 and landmarks.yaw(right) < -0.3
    moved = _similar(left, 15.0, 1.7, (40.0, -25.0))
    assert landmarks.yaw(moved) == pytest.approx(landmarks.yaw(left), abs=1e-9)


def test_eye_openness_ignores_a_squashed_picture_but_not_closing_lids(rng):
    open_eyes = _view(0.0, rng=rng, noise_px=0.0)
    closed = _view(0.0, 0.2, rng=rng, noise_px=0.0)
    squashed = open_eyes * (1.0, 0.7)  # a photo tilted backwards

    assert landmarks.eye_openness(squashed) == pytest.approx(
        landmarks.eye_openness(open_eyes), rel=1e-6
    )
    assert landmarks.eye_openness(closed) < 0.3 * landmarks.eye_openness(open_eyes)


def test_planar_residual_separates_a_flat_picture_from_a_head(rng):
    frontal = _view(0.0, rng=rng, noise_px=0.0)
    affine = frontal @ np.array([[0.8, 0.1], [-0.05, 0.9]]).T + (12.0, -7.0)

    assert landmarks.planar_residual(frontal, affine) < 1e-9
    assert landmarks.planar_residual(frontal, _view(30.0, rng=rng, noise_px=0.0)) > 0.08


def test_turn_from_five_points_follows_the_nose():
    # dlib's five points: two corners of one eye, two of the other, the base of the nose.
    frontal = np.array([[130.0, 100], [110, 100], [70, 100], [90, 100], [100, 140]])
    turned = frontal + np.array([[0, 0], [0, 0], [0, 0], [0, 0], [12, 0]])

    assert landmarks.turn(frontal) == pytest.approx(0.0)
    assert landmarks.turn(turned) == pytest.approx(0.6)  # 12 px of a 20 px half distance
