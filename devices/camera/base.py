"""The camera interface: one capture thread per camera, keeping only the latest frame.

A :class:`Camera` owns one thread (the camera thread); every call into the capture library
happens on it. The thread opens the source, reads frames as they come and keeps only the newest
one in memory (older frames are dropped, so a slow consumer always sees the present, never a
backlog). When the source fails it says so through its state and keeps trying to open it again,
so an unplugged camera recovers by itself when it comes back.

States (stable codes; the UI translates them):

=============  =====================================================================
``starting``   the thread runs, the source is not open yet
``live``       frames are coming
``no_camera``  the source cannot be opened (absent, busy, no permission); retrying
``lost``       frames stopped coming (camera unplugged, file gone); retrying
``ended``      a video file played to its end and ``loop`` is off
``stopped``    ``stop()`` was called
=============  =====================================================================

Frames are RGB (not OpenCV's BGR) ``uint8`` arrays, read-only, camera-native (not mirrored;
a driver that mirrors is undone with ``mirror=True``). They live in memory only: nothing is
written to disk or logged, and ``stop()`` drops the last one.
"""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

STARTING = "starting"
LIVE = "live"
NO_CAMERA = "no_camera"
LOST = "lost"
ENDED = "ended"
STOPPED = "stopped"

# Retry an unavailable source after this long, doubling up to the maximum.
RETRY_FIRST_S = 0.25
RETRY_MAX_S = 2.0

# A live source that fails this many reads in a row is taken as lost.
MAX_READ_FAILURES = 3


class CameraError(Exception):
    """A camera could not be set up (bad source description or options)."""


@dataclass(frozen=True, repr=False)
class Frame:
    """One picture from a camera: ``image`` (RGB ``uint8``, read-only), its sequence number
    (rising by one per frame the camera delivered) and the ``time.monotonic()`` it was taken.
    """

    image: np.ndarray = field(compare=False)
    seq: int
    timestamp: float

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        height, width = self.image.shape[:2]
        return width, height

    def __repr__(self) -> str:  # never the pixels
        width, height = self.size
        return f"Frame(seq={self.seq}, {width}x{height}, t={self.timestamp:.3f})"


class CameraListener(Protocol):
    """Told about frames and state changes, on the camera thread: return quickly."""

    def on_frame_ready(self, frame: Frame) -> None: ...

    def on_camera_state(self, state: str, detail: str) -> None: ...


class Camera(ABC):
    """A picture source read on its own thread (see the module docstring).

    Subclasses implement :meth:`_open`, :meth:`_read` and :meth:`_close`, which run on the
    camera thread only. Public methods may be called from any thread.
    """

    def __init__(self, *, mirror: bool = False, name: str = "camera") -> None:
        self.mirror = mirror
        self.name = name
        self._lock = threading.Condition()
        self._listeners: list[CameraListener] = []
        self._latest: Frame | None = None
        self._seq = 0
        self._state = STOPPED
        self._detail = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # Set once start() has launched the thread: stop() may run before that, on another
        # thread, and a thread can only be joined once it runs.
        self._launched = threading.Event()
        self._fps = 0.0

    # -- public API --------------------------------------------------------------------------

    @property
    def state(self) -> str:
        """The current state code (see the module docstring)."""
        with self._lock:
            return self._state

    @property
    def detail(self) -> str:
        """A short English note on the state, for logs and diagnostics."""
        with self._lock:
            return self._detail

    @property
    def fps(self) -> float:
        """Frames per second delivered lately (a moving average; 0 when not live)."""
        with self._lock:
            return self._fps if self._state == LIVE else 0.0

    def start(self) -> None:
        """Start the camera thread; returns at once (watch ``state``)."""
        with self._lock:
            if self._thread is not None:
                return
            self._stop.clear()
            launched = self._launched = threading.Event()
            thread = self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        try:
            self._set_state(STARTING, "")  # outside the lock: listeners are called
            thread.start()
        finally:
            launched.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread, release the source and drop the last frame; idempotent.

        The listeners hear the final ``stopped`` on the thread calling this.
        """
        with self._lock:
            thread, self._thread = self._thread, None
            launched = self._launched
        if thread is None:
            return
        self._stop.set()
        launched.wait(timeout)
        if thread.ident is not None:  # not launched when a listener of start() failed
            thread.join(timeout)
        if thread.is_alive():
            log.warning("%s: capture thread did not stop within %.1f s", self.name, timeout)
        self._set_state(STOPPED, "")  # drops the last frame and wakes any waiter

    def latest(self) -> Frame | None:
        """The newest frame, None when there is none (not live, or just started)."""
        with self._lock:
            return self._latest if self._state == LIVE else None

    def wait_frame(self, after: int = 0, timeout: float = 1.0) -> Frame | None:
        """Block up to ``timeout`` s for a frame newer than sequence number ``after``."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                frame = self._latest
                if frame is not None and frame.seq > after and self._state == LIVE:
                    return frame
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._state in (STOPPED, ENDED):
                    return None
                self._lock.wait(remaining)

    def add_listener(self, listener: CameraListener) -> None:
        """Call ``listener`` for every frame and state change (on the camera thread)."""
        with self._lock:
            if listener not in self._listeners:
                self._listeners.append(listener)

    def remove_listener(self, listener: CameraListener) -> None:
        """Stop calling ``listener``; it may still get a call already under way."""
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def __enter__(self) -> Camera:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- for subclasses (camera thread) ------------------------------------------------------

    @abstractmethod
    def _open(self) -> bool:
        """Open the source; False (or an exception) when it is not available now."""

    @abstractmethod
    def _read(self) -> np.ndarray | None:
        """The next picture as an RGB ``uint8`` array, or None when the read failed.

        May block for up to a frame's time (or pace a recording to its frame rate). Raise
        :class:`EOFError` at the end of a recording that does not loop.
        """

    @abstractmethod
    def _close(self) -> None:
        """Release the source (it is opened again on the next attempt)."""

    def _sleep(self, seconds: float) -> bool:
        """Wait on the camera thread; False when ``stop()`` was called meanwhile."""
        return not self._stop.wait(seconds)

    def _check_thread(self) -> None:
        assert threading.current_thread() is self._thread, "camera call off its thread"

    # -- the camera thread -------------------------------------------------------------------

    def _run(self) -> None:
        retry = RETRY_FIRST_S
        was_live = False
        try:
            while not self._stop.is_set():
                # Open (again): absent at start is "no_camera", gone after frames is "lost".
                try:
                    opened = self._open()
                    reason = "" if opened else "cannot open"
                except Exception as exc:
                    opened, reason = False, f"cannot open ({type(exc).__name__})"
                if not opened:
                    self._safe_close()
                    self._set_state(LOST if was_live else NO_CAMERA, reason)
                    if not self._sleep(retry):
                        break
                    retry = min(retry * 2.0, RETRY_MAX_S)
                    continue

                outcome, delivered = self._pump()
                self._safe_close()
                was_live = was_live or delivered
                if outcome == ENDED:
                    self._set_state(ENDED, "end of recording")
                    self._stop.wait()
                    break
                if outcome == LOST:
                    self._set_state(LOST if was_live else NO_CAMERA, "frames stopped")
                    retry = RETRY_FIRST_S
                    if not self._sleep(retry):
                        break
        except Exception:
            log.exception("%s: capture thread failed", self.name)
            self._set_state(LOST, "capture thread failed")
        finally:
            self._safe_close()

    def _pump(self) -> tuple[str, bool]:
        """Read frames until the source fails (LOST), a recording ends (ENDED) or stop().

        Returns the outcome and whether any frame was delivered.
        """
        failures = 0
        delivered = False
        while not self._stop.is_set():
            try:
                image = self._read()
            except EOFError:
                return ENDED, delivered
            except Exception as exc:
                log.debug("%s: read failed (%s)", self.name, type(exc).__name__)
                image = None
            if image is None:
                failures += 1
                if failures >= MAX_READ_FAILURES:
                    return LOST, delivered
                continue
            failures = 0
            self._publish(image)
            delivered = True
        return STOPPED, delivered

    def _publish(self, image: np.ndarray) -> None:
        """Make ``image`` the latest frame and tell the listeners."""
        if self.mirror:
            image = image[:, ::-1]
        image = np.ascontiguousarray(image)
        image.setflags(write=False)
        if self.state != LIVE:
            self._set_state(LIVE, "")
        now = time.monotonic()
        with self._lock:
            self._seq += 1
            frame = Frame(image=image, seq=self._seq, timestamp=now)
            previous, self._latest = self._latest, frame  # the older frame is dropped here
            if previous is not None and now > previous.timestamp:
                rate = 1.0 / (now - previous.timestamp)
                self._fps = rate if self._fps == 0.0 else 0.9 * self._fps + 0.1 * rate
            listeners = list(self._listeners)
            self._lock.notify_all()
        for listener in listeners:
            try:
                listener.on_frame_ready(frame)
            except Exception:
                log.exception("%s: frame listener failed", self.name)

    def _safe_close(self) -> None:
        try:
            self._close()
        except Exception:
            log.exception("%s: closing the source failed", self.name)

    def _set_state(self, state: str, detail: str) -> None:
        with self._lock:
            if state == self._state and detail == self._detail:
                return
            previous, self._state, self._detail = self._state, state, detail
            if state != LIVE:
                self._latest = None
                self._fps = 0.0
            listeners = list(self._listeners)
            self._lock.notify_all()
        if state in (LOST, NO_CAMERA) and previous != state:
            log.warning("%s: %s (%s)", self.name, state, detail)
        else:
            log.info("%s: %s%s", self.name, state, f" ({detail})" if detail else "")
        for listener in listeners:
            try:
                listener.on_camera_state(state, detail)
            except Exception:
                log.exception("%s: state listener failed", self.name)
