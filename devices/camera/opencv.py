"""OpenCV capture: a camera by device index, or a video file played as if it were one.

A video file (training mode, tests, demos) is played at its own frame rate and started again
from the top at its end; it is opened again each time round, so a file that disappears makes
the camera ``lost`` until it is back, as an unplugged camera would.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from devices.camera.base import Camera, CameraError

log = logging.getLogger(__name__)

# Frame rate assumed for a recording that does not say.
_DEFAULT_FILE_FPS = 25.0

# How long a device read may block before it counts as failed (OpenCV's V4L2 backend waits
# 10 s by default, far too long to notice an unplugged camera).
_READ_TIMEOUT_MS = 2000


@contextlib.contextmanager
def _quiet_opencv() -> Iterator[None]:
    """Keep OpenCV's own warnings (one per failed open, every retry) off stderr."""
    logging_api = getattr(getattr(cv2, "utils", None), "logging", None)
    if logging_api is None:
        yield
        return
    level = logging_api.getLogLevel()
    logging_api.setLogLevel(logging_api.LOG_LEVEL_ERROR)
    try:
        yield
    finally:
        logging_api.setLogLevel(level)


class OpenCvCamera(Camera):
    """A camera device (``source`` an int index) or a video file (a path) through OpenCV.

    ``width``, ``height`` and ``fps`` are requests to a device (it may pick the nearest mode
    it has); ``loop`` (files) starts a recording again at its end, else the camera ends up
    ``ended``; ``realtime`` (files) plays at the recording's frame rate, else as fast as it
    decodes (the latest-frame rule then drops what no one picked up).
    """

    def __init__(
        self,
        source: int | str | Path,
        *,
        width: int | None = None,
        height: int | None = None,
        fps: float | None = None,
        loop: bool = True,
        realtime: bool = True,
        mirror: bool = False,
    ) -> None:
        if isinstance(source, bool) or not isinstance(source, int | str | Path):
            raise CameraError(f"camera source must be a device index or a path: {source!r}")
        if isinstance(source, int) and source < 0:
            raise CameraError(f"camera index must not be negative: {source}")
        self._device = isinstance(source, int)
        self._source: int | str = source if isinstance(source, int) else str(source)
        label = f"camera {source}" if self._device else f"camera file {Path(source).name}"
        super().__init__(mirror=mirror, name=label)
        self._width, self._height, self._request_fps = width, height, fps
        self._loop = loop
        self._realtime = realtime
        self._capture: cv2.VideoCapture | None = None
        self._frame_interval = 0.0
        self._due = 0.0

    def _open(self) -> bool:
        self._check_thread()
        if not self._device and not Path(self._source).is_file():
            return False
        with _quiet_opencv():
            backend = cv2.CAP_ANY if self._device else cv2.CAP_FFMPEG
            capture = cv2.VideoCapture(self._source, backend)
        if not capture.isOpened():
            capture.release()
            return False
        if self._device:
            for prop, value in (
                (cv2.CAP_PROP_FRAME_WIDTH, self._width),
                (cv2.CAP_PROP_FRAME_HEIGHT, self._height),
                (cv2.CAP_PROP_FPS, self._request_fps),
            ):
                if value:
                    capture.set(prop, float(value))
            read_timeout = getattr(cv2, "CAP_PROP_READ_TIMEOUT_MSEC", None)
            if read_timeout is not None:
                capture.set(read_timeout, _READ_TIMEOUT_MS)
            self._frame_interval = 0.0
        else:
            rate = capture.get(cv2.CAP_PROP_FPS) or _DEFAULT_FILE_FPS
            self._frame_interval = 1.0 / rate if self._realtime and rate > 0 else 0.0
        self._capture = capture
        self._due = time.monotonic()
        log.info("%s opened", self.name)
        return True

    def _read(self) -> np.ndarray | None:
        self._check_thread()
        capture = self._capture
        if capture is None:
            return None
        ok, bgr = capture.read()
        if not ok or bgr is None:
            if self._device:
                return None
            if not self._loop:
                raise EOFError
            # End of the recording: open it again from the top (and notice if it is gone).
            capture.release()
            self._capture = None
            if not self._open():
                return None
            ok, bgr = self._capture.read() if self._capture is not None else (False, None)
            if not ok or bgr is None:
                return None
        if self._frame_interval:
            # Pace a recording like a camera: one frame per interval, never ahead of time.
            self._due += self._frame_interval
            delay = self._due - time.monotonic()
            if delay > 0:
                if not self._sleep(delay):
                    return None
            else:
                self._due = time.monotonic()
        if bgr.ndim == 2:
            return cv2.cvtColor(bgr, cv2.COLOR_GRAY2RGB)
        return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)

    def _close(self) -> None:
        capture, self._capture = self._capture, None
        if capture is not None:
            capture.release()


def read_video_frames(
    path: str | Path, start: int = 0, stop: int | None = None, step: int = 1
) -> Iterator[tuple[float, np.ndarray]]:
    """``(timestamp, RGB frame)`` for frames ``start:stop:step`` of a video file.

    Timestamps are the frames' times in the recording (index over frame rate), so a sequence
    judged from them behaves as it would live. For tests, benches and replaying a recording;
    a live source is a :class:`Camera`.
    """
    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    if not capture.isOpened():
        raise CameraError(f"cannot open video file {path}")
    try:
        rate = capture.get(cv2.CAP_PROP_FPS) or _DEFAULT_FILE_FPS
        index = 0
        while stop is None or index < stop:
            # Decoding from the top rather than seeking: seeking in a compressed recording
            # lands on a key frame, not always on the frame asked for.
            ok, bgr = capture.read()
            if not ok:
                break
            if index >= start and (index - start) % step == 0:
                yield index / rate, cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            index += 1
    finally:
        capture.release()
