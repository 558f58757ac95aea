"""Privacy of the face check: pictures and encodings stay in memory, go after the decision, and
never reach a log; what a case keeps is the decision, distance, threshold and liveness.

The child process's logic (worker._Server) is driven in this process over a real pipe, so that
what it holds can be watched with weak references; the real child is checked through /proc for
files open for writing.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import sys
import weakref
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from devices.camera.opencv import read_video_frames
from devices.face.liveness import LivenessChallenge
from devices.face.matcher import FaceMatcher, FaceResult
from devices.face.worker import FaceWorker, LiveProgress, _Server

FACES = Path(__file__).resolve().parents[2].parent / "shared" / "faces"
CLIP = FACES / "video" / "clip-a.mp4"
TIMEOUT = 120

pytestmark = pytest.mark.skipif(not CLIP.is_file(), reason=f"test clip not found at {CLIP}")

_WRITES: list[str] | None = None  # collecting while a list


def _audit(event: str, args: tuple) -> None:
    """Record every file opened for writing (audit hooks cannot be removed: this one is idle
    unless a test collects)."""
    if _WRITES is None or event != "open":
        return
    path, mode, flags = args
    writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
        isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
    )
    if writing:
        _WRITES.append(str(path))


sys.addaudithook(_audit)


@pytest.fixture(scope="module")
def matcher() -> FaceMatcher:
    return FaceMatcher()


@pytest.fixture(scope="module")
def frames() -> list[tuple[float, np.ndarray]]:
    return list(read_video_frames(CLIP, 140, 171, 2))  # a turn to the performer's left


def _server(matcher):
    receiving, sending = multiprocessing.Pipe(duplex=False)
    return _Server(sending, matcher, cache_size=2), receiving, sending


def _drain(receiving) -> list[tuple]:
    messages = []
    while receiving.poll():
        messages.append(receiving.recv())
    return messages


def test_nothing_is_written_and_nothing_pictured_is_logged(matcher, frames, caplog):
    global _WRITES
    reference = (FACES / "p01/01.jpg").read_bytes()
    server, receiving, sending = _server(matcher)
    caplog.set_level(logging.DEBUG, logger="devices")
    _WRITES = []
    try:
        result = matcher.verify(matcher.encode_reference(reference), FACES / "p01/02.jpg")
        server.live_start(1, reference, "turn_left", 8.0)
        for timestamp, frame in frames:
            server.live_frame(1, timestamp, frame.copy())
        server.live_finish(1)
        messages = _drain(receiving)
    finally:
        written, _WRITES = _WRITES, None
        receiving.close()
        sending.close()

    assert written == []
    assert result.match is True
    assert messages[-1][0] == "result" and messages[-1][2].liveness == "passed"
    assert caplog.records  # the debug logging ran...
    for record in caplog.records:  # ...with codes, counts and numbers only
        assert all(isinstance(a, str | int | float | type(None)) for a in record.args or ())
        text = record.getMessage()
        assert len(text) < 200 and "array" not in text and "[[" not in text


def test_frames_are_dropped_once_the_check_is_decided(matcher, frames):
    server, receiving, sending = _server(matcher)
    watched = []
    try:
        server.live_start(7, None, "turn_left", 8.0)
        for timestamp, frame in frames:
            copy = frame.copy()
            watched.append(weakref.ref(copy))
            server.live_frame(7, timestamp, copy)
            del copy
        decided = _drain(receiving)[-1]
        server.live_start(8, None, "blink", 8.0)  # one cancelled midway
        copy = frames[0][1].copy()
        watched.append(weakref.ref(copy))
        server.live_frame(8, frames[0][0], copy)
        del copy
        server.live_cancel(8)
    finally:
        receiving.close()
        sending.close()
    gc.collect()

    assert decided[0] == "result" and decided[2].liveness == "passed"
    assert server.jobs == {}
    assert [ref for ref in watched if ref() is not None] == []  # no frame outlived its check


def test_results_and_progress_carry_no_pictures():
    for cls in (FaceResult, LiveProgress):
        for item in fields(cls):
            assert "ndarray" not in str(item.type) and "bytes" not in str(item.type), item


@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="needs Linux /proc")
def test_the_worker_process_holds_no_file_open_for_writing(frames):
    worker = FaceWorker()
    try:
        result = worker.check_liveness(
            (FACES / "p01/01.jpg").read_bytes(), LivenessChallenge("turn_left"), frames
        ).result(TIMEOUT)
        pid = worker.pid
        writable = []
        for fd in os.listdir(f"/proc/{pid}/fd"):
            if int(fd) <= 2:
                continue  # stdin, stdout, stderr: inherited (pytest points them at its files)
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            flags = int(Path(f"/proc/{pid}/fdinfo/{fd}").read_text().split()[3], 8)
            if target.startswith("/") and flags & (os.O_WRONLY | os.O_RDWR):
                writable.append(target)
    finally:
        worker.stop()

    assert result.liveness == "passed"
    assert [t for t in writable if not t.startswith(("/dev/null", "/dev/pts", "/dev/tty"))] == []
