"""Live checks: a liveness challenge judged on camera frames in the face worker, then a match.

This is the desk's side of a check (:class:`LiveCheck`, made by
:meth:`devices.face.worker.FaceWorker.start_live_check`): it takes frames from the camera
thread, passes them to the worker process at the pace the worker can judge them, and hands the
progress and the result back. The judging itself happens in the child process (worker.py,
``_Server``). Frames wait here only until they are sent or replaced by a newer one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from devices.face.liveness import LivenessChallenge
from devices.face.matcher import FaceResult
from devices.face.quality import Box

log = logging.getLogger(__name__)

# Frames of one live check on their way to the child at once. Two keep the child busy (the
# next frame is in the pipe while it works on one) without building a backlog: a newer frame
# replaces one still waiting, so the check always works on what the camera sees now.
_FRAMES_IN_FLIGHT = 2

# After a challenge is passed, how long (in frame time) the check waits for a frame good
# enough to compare, and how much wall-clock time beyond the time limit a check may take
# before the desk's side ends it (frames stopped coming, or the child is slow).
CANDIDATE_GRACE_S = 3.0
_WALL_GRACE_S = CANDIDATE_GRACE_S + 2.0

# How long a live check may wait for the child to set it up (a first start loads the models)
# before it is ended anyway.
_SETUP_ALLOWANCE_S = 120.0


class WorkerLink(Protocol):
    """What a live check needs of the worker that made it."""

    @property
    def threshold(self) -> float: ...

    def _send_live(self, job_id: int, message: tuple) -> None: ...

    def _cancel_live(self, job_id: int) -> None: ...


@dataclass(frozen=True)
class LiveProgress:
    """How a live check stands after one frame: what to show the citizen and the clerk.

    ``status``: ``waiting`` (no face yet), ``in_progress``, or ``passed`` (challenge done;
    looking for a frame good enough to compare). ``prompt``: what to tell the citizen now,
    a stable code (the challenge's ``blink``/``turn_left``/``turn_right``, or a quality prompt
    such as ``move_closer``), None when nothing. ``box``: the face in that frame (top, right,
    bottom, left, frame pixels) for the preview, None when none. ``timestamp``: the frame's.
    No picture and no landmark in here.
    """

    status: str
    prompt: str | None
    progress: float
    elapsed_s: float
    faces: int
    quality: str
    box: Box | None
    timestamp: float


class LiveCheckListener(Protocol):
    """Told about a live check's progress; called on the worker's result thread (be quick)."""

    def on_live_progress(self, check: LiveCheck, progress: LiveProgress) -> None: ...


class LiveCheck:
    """A liveness challenge and verification running in the face worker.

    Created by :meth:`FaceWorker.start_live_check`. Feed it frames (RGB ``uint8`` arrays, as
    the camera delivers them) with their capture times; ``result`` resolves with a
    :class:`FaceResult` whose ``liveness`` and ``challenge`` say how the challenge went. It
    compares faces only once the challenge is passed, on the best frame of the check.
    Every method may be called from any thread.

    Until the child has set the check up (models loaded, reference encoded) frames only wait
    here, so the challenge's clock starts with the first frame the child judges, not with
    frames taken while it was busy. Then at most two frames are on their way at once; a newer
    frame replaces one still waiting (unless ``drop_frames`` is off), so the check always
    judges what the camera sees now.
    """

    def __init__(
        self,
        worker: WorkerLink,
        job_id: int,
        challenge: LivenessChallenge,
        time_limit_s: float,
        listener: LiveCheckListener | None,
        drop_frames: bool,
    ) -> None:
        self.challenge = challenge
        self.time_limit_s = time_limit_s
        self.result: Future[FaceResult] = Future()
        self.result.set_running_or_notify_cancel()
        self.frames_sent = 0
        self.frames_dropped = 0
        self._worker = worker
        self._job_id = job_id
        self._listener = listener
        self._drop_frames = drop_frames
        self._lock = threading.Lock()
        self._waiting: deque[tuple[float, np.ndarray]] = deque()
        self._ready = False
        self._in_flight = 0
        self._finish_requested = False
        self._finish_sent = False
        self._progress: LiveProgress | None = None
        self._deadline = time.monotonic() + _SETUP_ALLOWANCE_S

    @property
    def progress(self) -> LiveProgress | None:
        """The latest progress, None before the first frame was judged."""
        with self._lock:
            return self._progress

    @property
    def done(self) -> bool:
        """True once the result is known (or the check was cancelled)."""
        return self.result.done()

    def feed(self, image: np.ndarray, timestamp: float) -> bool:
        """Offer one frame (RGB, ``(height, width, 3)`` ``uint8``) taken at ``timestamp``.

        Returns at once; False when the check no longer takes frames.
        """
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(f"expected an RGB uint8 frame, got {image.dtype} {image.shape}")
        with self._lock:
            if self.result.done() or self._finish_requested:
                return False
            if self._drop_frames and self._waiting:
                self.frames_dropped += len(self._waiting)
                self._waiting.clear()
            self._waiting.append((timestamp, image))
            self._pump()
        return True

    def on_frame_ready(self, frame: Any) -> None:
        """Camera listener: feed the camera's frame (anything with ``image`` and ``timestamp``)."""
        self.feed(frame.image, frame.timestamp)

    def on_camera_state(self, state: str, detail: str) -> None:
        """Camera listener: nothing to do; a check without frames ends at its deadline."""

    def finish(self) -> None:
        """No more frames: the child decides with what it has (a challenge not passed fails).

        Frames already offered are judged first, unless the check drops frames.
        """
        with self._lock:
            if self.result.done() or self._finish_requested:
                return
            self._finish_requested = True
            if self._drop_frames:
                self._waiting.clear()
            self._pump()

    def cancel(self) -> None:
        """Abandon the check (the citizen left, the clerk chose the alternative).

        ``result`` resolves at once with ``liveness`` ``cancelled`` and no decision.
        """
        with self._lock:
            self._finish_requested = True
            self._waiting.clear()
            progress = self._progress
        self._worker._cancel_live(self._job_id)
        _resolve(
            self.result,
            FaceResult(
                match=None,
                distance=None,
                threshold=self._worker.threshold,
                faces=progress.faces if progress else 0,
                quality=progress.quality if progress else "no_face",
                ms=0.0,
                liveness="cancelled",
                challenge=self.challenge.action,
            ),
        )

    # -- internals ---------------------------------------------------------------------------

    def _pump(self) -> None:
        """Send what may go now, in order. Caller holds ``self._lock``.

        Messages are queued for the sender thread while the lock is held, so frames from two
        threads cannot overtake each other (the judge ignores a frame older than the last).
        """
        if not self._ready or self.result.done():
            return
        while self._waiting and (not self._drop_frames or self._in_flight < _FRAMES_IN_FLIGHT):
            timestamp, image = self._waiting.popleft()
            self._in_flight += 1
            self.frames_sent += 1
            self._worker._send_live(self._job_id, ("live_frame", self._job_id, timestamp, image))
        if self._finish_requested and not self._waiting and not self._finish_sent:
            self._finish_sent = True
            self._worker._send_live(self._job_id, ("live_finish", self._job_id))

    def _on_ready(self) -> None:
        """Result thread: the child has set the check up."""
        with self._lock:
            self._ready = True
            self._deadline = time.monotonic() + self.time_limit_s + _WALL_GRACE_S
            self._pump()

    def _on_progress(self, progress: LiveProgress) -> None:
        """Result thread: the child judged one frame."""
        with self._lock:
            self._progress = progress
            self._in_flight = max(0, self._in_flight - 1)
            self._pump()
        if self._listener is not None and not self.result.done():
            try:
                self._listener.on_live_progress(self, progress)
            except Exception:
                log.exception("live check listener failed")

    def _on_done(self) -> None:
        with self._lock:
            self._waiting.clear()

    def _check_deadline(self, now: float) -> None:
        """Result thread: past the wall-clock deadline, ask the child to decide."""
        with self._lock:
            if self.result.done() or self._finish_requested or now < self._deadline:
                return
            log.info("live check %d overran its time; deciding now", self._job_id)
            self._finish_requested = True
            self._waiting.clear()
            self._pump()


def _resolve(future: Future[FaceResult], result: FaceResult) -> None:
    if not future.done():
        future.set_result(result)
