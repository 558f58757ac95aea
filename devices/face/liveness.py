"""Liveness: an active challenge that a photo held up to the camera cannot perform.

The desk asks the citizen for one action chosen at random (blink, turn the head left, turn it
right) and judges it from the 68 face landmarks of successive camera frames within a time limit.
A still photo, or a printed photo moved about, fails:

- **turns** are measured with :func:`~devices.face.landmarks.yaw`, which no rotation, shift,
  scaling or tilt of a flat picture changes much, and a turn must also bend the landmark layout
  in a way no flat picture can (:func:`~devices.face.landmarks.planar_residual`);
- **blinks** are measured with :func:`~devices.face.landmarks.eye_openness`, which tilting a
  photo backwards does not lower, and the rest of the face must stay put while the eyes close
  (a landmark glitch on a smeared frame moves everything).

When time runs out the outcome says why: ``still`` (the face never moved beyond a flat
picture's wobble: a photo or a frozen image), ``no_face`` (no face seen at all) or
``timeout`` (it moved, but not as asked).

The judge only sees timestamps and landmark arrays, so it is tested with synthetic landmark
sequences as well as real frames; the face worker feeds it from the camera (worker.py). This
module needs numpy only. Not thread-safe: one judge per check, fed from one thread.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, replace
from typing import ClassVar, Literal

import numpy as np

from devices.face import landmarks

Action = Literal["blink", "turn_left", "turn_right"]
ACTIONS: tuple[Action, ...] = ("blink", "turn_left", "turn_right")

# Outcome codes (stable: the case records them, the UI translates them).
PASSED = "passed"
TIMEOUT = "timeout"
STILL = "still"
NO_FACE = "no_face"

DEFAULT_TIME_LIMIT_S = 8.0


@dataclass(frozen=True)
class LivenessChallenge:
    """What the citizen is asked to do. ``action`` doubles as the prompt code for the UI.

    Turns are the citizen's own left and right. Frames must be camera-native (not mirrored);
    a camera whose driver mirrors is set up with ``mirror=True`` (devices/camera) to undo it.
    """

    action: Action

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown liveness action {self.action!r}; one of {ACTIONS}")

    @classmethod
    def random(cls, rng: random.Random | None = None) -> LivenessChallenge:
        """A challenge chosen at random: from the OS's randomness unless ``rng`` is given."""
        chooser = rng if rng is not None else secrets.SystemRandom()
        return cls(chooser.choice(ACTIONS))

    @property
    def prompt(self) -> str:
        """The prompt code that asks for this action ("blink", "turn_left", "turn_right")."""
        return self.action


@dataclass(frozen=True)
class LivenessState:
    """Where a challenge stands after the frames fed so far.

    ``status``: ``waiting`` (no face yet), ``in_progress``, ``passed`` or ``failed``.
    ``outcome``: None while running, else ``passed``, ``timeout``, ``still`` or ``no_face``.
    ``prompt``: what the citizen should be told now (the action, or ``face_camera`` when no
    face is seen); None once decided. ``progress``: 0 to 1, how much of the action the latest
    frame shows, for a progress bar.
    """

    status: Literal["waiting", "in_progress", "passed", "failed"]
    outcome: str | None
    prompt: str | None
    progress: float
    elapsed_s: float

    @property
    def done(self) -> bool:
        """True once the challenge is decided either way."""
        return self.outcome is not None


class LivenessJudge:
    """Judges one challenge from ``(timestamp, landmarks)`` observations.

    The clock starts at the first observation's timestamp (seconds, any monotonic origin:
    the camera's frame times, or a video's frame times in a test); the challenge must be
    performed within ``time_limit_s``. Observations must come in time order; an older one is
    ignored.
    """

    # A turn: the yaw must move at least TURN_DELTA towards the asked side, from the least
    # turned frame so far, and end at least TURN_MIN on that side (so turning back from the
    # other side to the front is not a turn), with the layout bent at least TURN_RESIDUAL.
    TURN_DELTA: ClassVar[float] = 0.3
    TURN_MIN: ClassVar[float] = 0.2
    TURN_RESIDUAL: ClassVar[float] = 0.08
    # ... on this many frames in a row: a single odd frame is not a turn.
    TURN_FRAMES: ClassVar[int] = 2

    # A blink: eye openness down to BLINK_CLOSED of the open level, then back up to
    # BLINK_REOPENED of it; the open level is a high percentile of what was seen so far. The
    # face without its eyes may move at most BLINK_STEADY between the open and closed frames.
    BLINK_CLOSED: ClassVar[float] = 0.6
    BLINK_REOPENED: ClassVar[float] = 0.85
    BLINK_STEADY: ClassVar[float] = 0.08
    _BLINK_MIN_FRAMES: ClassVar[int] = 3

    # When most frames (STILL_SHARE) stay within this residual of the first face seen, nothing
    # moved but a flat picture would (a stray frame with jumpy landmarks does not count).
    STILL_RESIDUAL: ClassVar[float] = 0.06
    STILL_SHARE: ClassVar[float] = 0.8

    def __init__(
        self, challenge: LivenessChallenge, time_limit_s: float = DEFAULT_TIME_LIMIT_S
    ) -> None:
        if not time_limit_s > 0.0:
            raise ValueError(f"time_limit_s must be positive, got {time_limit_s}")
        self.challenge = challenge
        self.time_limit_s = float(time_limit_s)
        self._start: float | None = None
        self._last: float | None = None
        self._faces_seen = 0
        self._anchor: np.ndarray | None = None  # the first face's landmarks
        self._residuals: list[float] = []  # of each later face from the first
        # turns
        self._sign = 1.0 if challenge.action == "turn_left" else -1.0
        self._least: tuple[float, np.ndarray] | None = None  # (signed yaw, landmarks)
        self._turned_frames = 0
        # blinks
        self._openness: list[float] = []
        self._open_frame: np.ndarray | None = None  # last frame with the eyes open
        self._closed_level: float | None = None  # the open level when the eyes closed
        self._state = LivenessState(
            status="waiting", outcome=None, prompt=challenge.prompt, progress=0.0, elapsed_s=0.0
        )

    @property
    def state(self) -> LivenessState:
        """The latest state."""
        return self._state

    def feed(self, timestamp: float, points: np.ndarray | None) -> LivenessState:
        """Take one frame's landmarks (``(68, 2)``, or None when no face was found)."""
        if self._state.done or (self._last is not None and timestamp < self._last):
            return self._state
        if self._start is None:
            self._start = timestamp
        self._last = timestamp
        elapsed = timestamp - self._start
        if elapsed > self.time_limit_s:
            return self._conclude(elapsed)

        if points is None:
            status = "waiting" if self._faces_seen == 0 else "in_progress"
            self._state = LivenessState(status, None, "face_camera", 0.0, elapsed)
            return self._state

        points = landmarks.as_points(points)
        self._faces_seen += 1
        if self._anchor is None:
            self._anchor = points
        else:
            self._residuals.append(landmarks.planar_residual(self._anchor, points))

        if self.challenge.action == "blink":
            passed, progress = self._blink(points)
        else:
            passed, progress = self._turn(points)
        if passed:
            self._state = LivenessState("passed", PASSED, None, 1.0, elapsed)
        else:
            self._state = LivenessState(
                "in_progress", None, self.challenge.prompt, progress, elapsed
            )
        return self._state

    def finish(self, timestamp: float | None = None) -> LivenessState:
        """No more frames: decide now (a challenge not yet passed fails)."""
        if self._state.done:
            return self._state
        start = self._start if self._start is not None else timestamp
        end = timestamp if timestamp is not None else self._last
        elapsed = (end - start) if start is not None and end is not None else 0.0
        return self._conclude(max(elapsed, self._state.elapsed_s))

    # -- the actions -------------------------------------------------------------------------

    def _turn(self, points: np.ndarray) -> tuple[bool, float]:
        signed = self._sign * landmarks.yaw(points)
        if self._least is None or signed < self._least[0]:
            self._least = (signed, points)
        least, least_points = self._least
        moved = signed - least
        progress = float(np.clip(moved / self.TURN_DELTA, 0.0, 1.0))
        turned = (
            moved >= self.TURN_DELTA
            and signed >= self.TURN_MIN
            and landmarks.planar_residual(least_points, points) >= self.TURN_RESIDUAL
        )
        self._turned_frames = self._turned_frames + 1 if turned else 0
        if self._turned_frames >= self.TURN_FRAMES:
            return True, 1.0
        return False, progress

    def _blink(self, points: np.ndarray) -> tuple[bool, float]:
        openness = landmarks.eye_openness(points)
        self._openness.append(openness)
        if len(self._openness) < self._BLINK_MIN_FRAMES:
            self._open_frame = points
            return False, 0.0
        level = float(np.percentile(self._openness, 75))
        if level <= 0.0:
            return False, 0.0

        if self._closed_level is None:
            if openness <= self.BLINK_CLOSED * level and self._open_frame is not None:
                steady = landmarks.planar_residual(self._open_frame, points, landmarks.WITHOUT_EYES)
                if steady <= self.BLINK_STEADY:
                    # Closed. The open level is kept as it was: eyes that stay shut would
                    # otherwise drag it down until "shut" read as "open again".
                    self._closed_level = level
                    return False, 0.5
            elif openness >= self.BLINK_REOPENED * level:
                self._open_frame = points
            return False, 0.0

        if openness >= self.BLINK_REOPENED * self._closed_level:
            return True, 1.0
        return False, 0.5

    def _conclude(self, elapsed: float) -> LivenessState:
        moved = (
            float(np.percentile(self._residuals, 100.0 * self.STILL_SHARE))
            if self._residuals
            else 0.0
        )
        if self._faces_seen == 0:
            outcome = NO_FACE
        elif moved < self.STILL_RESIDUAL:
            outcome = STILL
        else:
            outcome = TIMEOUT
        self._state = replace(
            self._state, status="failed", outcome=outcome, prompt=None, elapsed_s=elapsed
        )
        return self._state
