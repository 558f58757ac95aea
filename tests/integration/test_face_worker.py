"""The face worker process: round trip, reference cache, clean stop, crash and missing models.

Each test starts and stops its own worker (spawn start plus model loading is about 1.5 s), so
the suite's leftover check sees no process or thread survive a test.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

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
