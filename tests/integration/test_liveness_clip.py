"""Liveness on real frames: the clip's head turns pass, photos held to the camera never do.

shared/faces/video/clip-a.mp4 shows a performer turning his head: to his right from about frame
88 to 135, back and to his left from about 140 to 165. The judge is fed dlib's landmarks of
those frames (a small subset, every second frame). A photo is tried as a frozen frame and as a
printed sheet held up by hand (perspective-warped into camera frames with sensor noise).
The last test runs the whole chain: a camera playing a recording, the face worker, the judge
and the match of the best frame.
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera.opencv import OpenCvCamera, read_video_frames
from devices.face.images import load_rgb
from devices.face.liveness import ACTIONS, LivenessChallenge, LivenessJudge
from devices.face.matcher import FaceMatcher
from devices.face.worker import FaceWorker

FACES = Path(__file__).resolve().parents[2].parent / "shared" / "faces"
CLIP = FACES / "video" / "clip-a.mp4"
TIMEOUT = 120

pytestmark = pytest.mark.skipif(not CLIP.is_file(), reason=f"test clip not found at {CLIP}")


@pytest.fixture(scope="module")
def matcher() -> FaceMatcher:
    return FaceMatcher()


@pytest.fixture(scope="module")
def clip_landmarks(matcher) -> dict[int, tuple[float, np.ndarray | None]]:
    """Frame index -> (time in the clip, landmarks or None), every second frame of 86-170."""
    found = {}
    for index, (timestamp, frame) in zip(
        range(86, 171, 2), read_video_frames(CLIP, 86, 171, 2), strict=True
    ):
        seen = matcher.observe(frame)
        found[index] = (timestamp, seen.points)
    return found


def _judge(action: str, sequence, time_limit_s: float = 8.0):
    judge = LivenessJudge(LivenessChallenge(action), time_limit_s)
    for timestamp, points in sequence:
        state = judge.feed(timestamp, points)
        if state.done:
            return state
    return judge.finish()


def _window(landmarks, first: int, last: int):
    return [landmarks[i] for i in sorted(landmarks) if first <= i <= last]


def test_the_clips_turn_to_his_right_passes_turn_right_only(clip_landmarks):
    window = _window(clip_landmarks, 88, 140)

    assert sum(points is not None for _, points in window) > 20
    assert _judge("turn_right", window).outcome == "passed"
    assert _judge("turn_left", window).outcome == "timeout"  # he moved, the other way


def test_the_clips_turn_to_his_left_passes_turn_left_only(clip_landmarks):
    window = _window(clip_landmarks, 140, 170)

    assert _judge("turn_left", window).outcome == "passed"
    assert _judge("turn_right", window).outcome != "passed"


def test_a_frozen_frame_fails_every_challenge(matcher):
    photo = load_rgb(FACES / "p01/02.jpg")
    points = [matcher.observe(photo).points for _ in range(3)]
    assert all(np.array_equal(points[0], p) for p in points)  # the same frame, the same points

    for action in ACTIONS:
        state = _judge(action, [(k / 10, points[0]) for k in range(85)])
        assert (state.status, state.outcome) == ("failed", "still"), action


def _held_photo(photo: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Frame k of a printed photo held up to a 640 x 480 camera by an unsteady hand."""
    height, width = photo.shape[:2]
    scale = 420.0 / height
    yaw, pitch, roll = (math.radians(v) for v in (10 * math.sin(k / 3), 8 * math.cos(k / 4),
                                                    4 * math.sin(k / 5)))  # fmt: skip
    corners = np.array([[-width, -height], [width, -height], [width, height], [-width, height]])
    corners = np.hstack([corners * scale / 2, np.zeros((4, 1))])
    rx = np.array([[1, 0, 0], [0, math.cos(pitch), -math.sin(pitch)],
                   [0, math.sin(pitch), math.cos(pitch)]])  # fmt: skip
    ry = np.array([[math.cos(yaw), 0, math.sin(yaw)], [0, 1, 0],
                   [-math.sin(yaw), 0, math.cos(yaw)]])  # fmt: skip
    rz = np.array([[math.cos(roll), -math.sin(roll), 0], [math.sin(roll), math.cos(roll), 0],
                   [0, 0, 1]])  # fmt: skip
    placed = corners @ (rz @ ry @ rx).T + (12 * math.sin(k), 8 * math.cos(k), 900.0)
    projected = placed[:, :2] / placed[:, 2:3] * 900.0 + (320.0, 240.0)
    source = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    warp = cv2.getPerspectiveTransform(source, np.float32(projected))
    frame = cv2.warpPerspective(photo, warp, (640, 480), borderValue=(70, 70, 70))
    noisy = frame.astype(np.float32) + rng.normal(0.0, 3.0, frame.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("name", ["p01/02.jpg", "p05/02.jpg"])
def test_a_printed_photo_held_up_by_hand_fails_every_challenge(matcher, name):
    photo = load_rgb(FACES / name)
    rng = np.random.default_rng(5)
    sequence = []
    for k in range(24):
        seen = matcher.observe(_held_photo(photo, k, rng))
        sequence.append((k / 8, seen.points))
    assert sum(points is not None for _, points in sequence) >= 20

    for action in ACTIONS:
        state = _judge(action, sequence)
        assert state.status == "failed", action
        assert state.outcome == "still", action


def _recording(path: Path, first: int, last: int) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, (640, 360))
    for _, frame in read_video_frames(CLIP, first, last):
        writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    writer.release()
    return path


def _jpeg(rgb: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    assert ok
    return data.tobytes()


def test_camera_worker_judge_and_match_end_to_end(tmp_path):
    """The desk's chain: a camera plays the turn, the worker judges it, then compares."""
    recording = _recording(tmp_path / "turn.avi", 86, 141)
    [(_, frontal)] = read_video_frames(CLIP, 150, 151)  # the performer facing the camera
    own_photo, someone_else = _jpeg(frontal), (FACES / "p01/01.jpg").read_bytes()

    results = []
    camera = OpenCvCamera(recording)
    worker = FaceWorker()
    try:
        camera.start()
        for reference in (own_photo, someone_else):
            check = worker.start_live_check(reference, LivenessChallenge("turn_right"))
            camera.add_listener(check)
            try:
                results.append(check.result.result(TIMEOUT))
            finally:
                camera.remove_listener(check)
            assert check.frames_sent > 5
    finally:
        camera.stop()
        worker.stop()

    own, other = results
    assert (own.liveness, own.challenge) == ("passed", "turn_right")
    assert own.match is True and own.quality in ("ok", "multiple_faces")
    assert own.case_record()["liveness"] == "turn_right:passed"
    assert other.liveness == "passed" and other.match is False


def test_a_photo_shown_for_the_match_and_another_face_for_the_challenge_fails(matcher):
    """The swap attack: the citizen's photo held up (sharp, frontal: the best frame to compare)
    while someone else performs the challenge (smeared, so never a frame to compare). Driven
    through the worker's own logic in this process."""
    import multiprocessing

    from devices.face.worker import _Server

    receiving, sending = multiprocessing.Pipe(duplex=False)
    server = _Server(sending, matcher, cache_size=2)
    citizen_photo = load_rgb(FACES / "p05/02.jpg")
    try:
        server.live_start(1, (FACES / "p05/01.jpg").read_bytes(), "turn_right", 8.0)
        timestamp = 0.0
        for _ in range(3):
            server.live_frame(1, timestamp, citizen_photo.copy())
            timestamp += 0.1
        for _, frame in read_video_frames(CLIP, 88, 141, 2):
            server.live_frame(1, timestamp, cv2.GaussianBlur(frame, (0, 0), 3.0))
            timestamp += 0.066
        server.live_finish(1)
        messages = []
        while receiving.poll():
            messages.append(receiving.recv())
    finally:
        receiving.close()
        sending.close()

    assert matcher.verify(matcher.encode_reference(FACES / "p05/01.jpg"), citizen_photo).match
    result = messages[-1][2]
    assert messages[-1][0] == "result"
    assert result.liveness == "face_changed"
    assert result.match is None and result.distance is None
