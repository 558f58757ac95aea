"""The face worker process: round trip, reference cache, clean stop, crash, missing models, and
live checks (liveness judged on frames in the worker, then the match).

Each test starts and stops its own worker (spawn start plus model loading is about 1.5 s), so
the suite's leftover check sees no process or thread survive a test.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import numpy as np
import pytest

from devices.face.matcher import DEFAULT_THRESHOLD, FaceModelsMissingError, FaceResult
from devices.face.worker import FaceWorker, FaceWorkerError

FACES = Path(__file__).resolve().parents[2].parent / "shared" / "faces"

pytestmark = pytest.mark.skipif(not FACES.is_dir(), reason=f"test photos not found at {FACES}")

TIMEOUT = 60  # generous: a spawn start plus model loading on a slow CI runner


def _photo(name: str) -> bytes:
    return (FACES / name).read_bytes()


def _worker_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("face-worker")]


def test_round_trip_caches_the_reference_and_stops_cleanly():
    reference = _photo("p01/01.jpg")
    worker = FaceWorker()
    try:
        worker.start()
        futures = [
            worker.submit(reference, _photo("p01/02.jpg")),
            worker.submit(reference, _photo("p02/02.jpg")),
            worker.submit(reference, b"not an image"),
        ]
        genuine, impostor, unreadable = (f.result(timeout=TIMEOUT) for f in futures)
        pid = worker.pid

        assert isinstance(genuine, FaceResult)
        assert genuine.match is True and genuine.threshold == DEFAULT_THRESHOLD
        assert impostor.match is False
        assert unreadable.quality == "unreadable"
        assert worker.references_encoded == 1  # three jobs, one reference encoding

        worker.clear_references()
        assert worker.submit(reference, _photo("p01/03.jpg")).result(TIMEOUT).match is True
        assert worker.references_encoded == 2
        assert worker.pid == pid  # the same child all along
    finally:
        worker.stop()

    assert worker.pid is None
    assert _worker_threads() == []
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    with pytest.raises(FaceWorkerError, match="stopped"):
        worker.submit(reference, reference).result(timeout=1)


def test_stop_lets_queued_jobs_finish():
    reference = _photo("p04/01.jpg")
    worker = FaceWorker()
    futures = [worker.submit(reference, _photo(name)) for name in ("p04/02.jpg", "p04/03.jpg")]
    worker.stop(timeout=TIMEOUT)

    assert [f.result(timeout=0).match for f in futures] == [True, True]


def test_crashed_worker_fails_pending_jobs_and_restarts_on_next_submit():
    reference = _photo("p02/01.jpg")
    worker = FaceWorker()
    try:
        pending = worker.submit(reference, _photo("p02/02.jpg"))
        first_pid = worker.pid
        os.kill(first_pid, signal.SIGKILL)  # while it is still loading the models

        with pytest.raises(FaceWorkerError, match="ended"):
            pending.result(timeout=TIMEOUT)

        again = worker.submit(reference, _photo("p02/02.jpg"))
        assert again.result(timeout=TIMEOUT).match is True
        assert worker.pid not in (None, first_pid)
    finally:
        worker.stop()
    assert _worker_threads() == []


def test_missing_models_in_the_worker_fail_the_future(tmp_path, monkeypatch):
    # The spawned child takes the parent's sys.path, so a broken face_recognition_models put
    # first shadows the real one there (the parent has already imported its own).
    fake = tmp_path / "broken" / "face_recognition_models"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('simulated: models not installed')\n")
    monkeypatch.syspath_prepend(str(tmp_path / "broken"))

    worker = FaceWorker()
    try:
        future = worker.submit(_photo("p01/01.jpg"), _photo("p01/02.jpg"))
        with pytest.raises(FaceModelsMissingError, match="install face_recognition_models"):
            future.result(timeout=TIMEOUT)
        assert worker.pid is not None  # still answering, not crash-looping
    finally:
        worker.stop()


# -- live checks ------------------------------------------------------------------------------

CLIP = FACES / "video" / "clip-a.mp4"


class Progress:
    """A live check listener that keeps what it heard."""

    def __init__(self) -> None:
        self.heard: list = []

    def on_live_progress(self, check, progress) -> None:
        self.heard.append(progress)


def _clip(first: int, last: int) -> list:
    from devices.camera.opencv import read_video_frames

    return list(read_video_frames(CLIP, first, last, 2))


def test_a_recorded_turn_passes_and_progress_is_reported_without_pictures():
    from devices.face.liveness import LivenessChallenge

    listener = Progress()
    worker = FaceWorker()
    try:
        result = worker.check_liveness(
            None, LivenessChallenge("turn_left"), _clip(140, 171), listener=listener
        ).result(TIMEOUT)
    finally:
        worker.stop()

    assert (result.liveness, result.challenge) == ("passed", "turn_left")
    assert result.match is None  # no reference: liveness alone
    assert listener.heard and listener.heard[0].prompt == "turn_left"
    first = listener.heard[0]
    assert first.box is not None and first.faces == 1
    for progress in listener.heard:  # numbers, codes and a box: never a frame or landmarks
        assert all(not hasattr(value, "shape") for value in vars(progress).values())


def test_finish_without_frames_is_no_face_and_the_worker_keeps_serving():
    from devices.face.liveness import LivenessChallenge

    worker = FaceWorker()
    try:
        check = worker.start_live_check(_photo("p01/01.jpg"), LivenessChallenge("blink"))
        check.finish()
        result = check.result.result(TIMEOUT)
        after = worker.submit(_photo("p01/01.jpg"), _photo("p01/02.jpg")).result(TIMEOUT)
        encoded = worker.references_encoded
        # An unusable reference ends a check before any challenge is asked.
        hopeless = worker.start_live_check(b"not an image", LivenessChallenge("blink"))
        refused = hopeless.result.result(TIMEOUT)
    finally:
        worker.stop()

    assert (result.liveness, result.quality, result.match) == ("no_face", "no_face", None)
    assert (refused.quality, refused.match, refused.liveness) == (
        "reference_unreadable",
        None,
        None,
    )
    assert check.feed(np.zeros((10, 10, 3), np.uint8), 1.0) is False  # decided: no more frames
    assert after.match is True
    assert encoded == 1  # the live check's reference served the submit too


def test_a_check_whose_frames_stop_is_decided_at_its_deadline(monkeypatch):
    from devices.face import live
    from devices.face.liveness import LivenessChallenge

    monkeypatch.setattr(live, "_WALL_GRACE_S", 0.1)
    frames = _clip(150, 156)
    worker = FaceWorker()
    try:
        check = worker.start_live_check(None, LivenessChallenge("blink"), time_limit_s=0.5)
        for timestamp, frame in frames:  # then the camera goes quiet
            check.feed(frame, timestamp)
        result = check.result.result(TIMEOUT)
    finally:
        worker.stop()

    assert result.liveness in ("still", "timeout")
    assert result.quality != "no_face"


def test_cancel_resolves_at_once_and_drops_the_check():
    from devices.face.liveness import LivenessChallenge

    frames = _clip(150, 154)
    worker = FaceWorker()
    try:
        check = worker.start_live_check(_photo("p02/01.jpg"), LivenessChallenge("turn_right"))
        with pytest.raises(ValueError):
            check.feed(np.zeros((10, 10), np.uint8), 0.0)  # frames are RGB uint8
        with pytest.raises(ValueError):
            check.feed(np.zeros((10, 10, 3), np.float32), 0.0)
        for timestamp, frame in frames:
            check.feed(frame, timestamp)
        check.cancel()
        result = check.result.result(timeout=0)
        assert check.feed(frames[0][1], 99.0) is False
        assert worker.submit(_photo("p02/01.jpg"), _photo("p02/02.jpg")).result(TIMEOUT).match
    finally:
        worker.stop()

    assert (result.liveness, result.match, result.challenge) == ("cancelled", None, "turn_right")


def test_stop_decides_a_running_check_instead_of_leaving_it_hanging():
    from devices.face.liveness import LivenessChallenge

    worker = FaceWorker()
    check = worker.start_live_check(None, LivenessChallenge("blink"))
    assert worker.wait_ready(TIMEOUT)
    for timestamp, frame in _clip(150, 156):
        check.feed(frame, timestamp)
    worker.stop(timeout=TIMEOUT)

    result = check.result.result(timeout=0)
    assert result.liveness in ("still", "timeout", "no_face")
    assert _worker_threads() == []


def test_a_crash_fails_a_live_check():
    from devices.face.liveness import LivenessChallenge

    worker = FaceWorker()
    try:
        assert worker.wait_ready(TIMEOUT)
        check = worker.start_live_check(None, LivenessChallenge("blink"))
        os.kill(worker.pid, signal.SIGKILL)
        with pytest.raises(FaceWorkerError, match="ended"):
            check.result.result(TIMEOUT)
    finally:
        worker.stop()
