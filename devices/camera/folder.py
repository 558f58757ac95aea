"""A folder of pictures played as a camera: training mode's sample photos, tests, demos.

The pictures (JPEG, PNG, BMP, WebP) are shown in name order, each for one frame, at ``fps``
frames a second, round and round. The folder is listed again at the start of every round, so
pictures added or removed are picked up; a folder that disappears, or holds no picture, makes
the camera ``lost`` (or ``no_camera`` at start) until it is back, as an unplugged camera would.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import cv2
import numpy as np

from devices.camera.base import Camera, CameraError

log = logging.getLogger(__name__)

PICTURE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".webp"})


class ImageFolderCamera(Camera):
    """Pictures of a folder as camera frames (see the module docstring)."""

    def __init__(self, folder: str | Path, *, fps: float = 15.0, mirror: bool = False) -> None:
        if not fps > 0:
            raise CameraError(f"fps must be positive, got {fps}")
        self._folder = Path(folder)
        super().__init__(mirror=mirror, name=f"camera folder {self._folder.name}")
        self._interval = 1.0 / fps
        self._queue: list[Path] = []
        self._due = 0.0

    def _open(self) -> bool:
        self._check_thread()
        self._queue = self._pictures()
        self._due = time.monotonic()
        return bool(self._queue)

    def _read(self) -> np.ndarray | None:
        self._check_thread()
        if not self._queue:
            # A round is over: list the folder again (it may have changed or gone).
            self._queue = self._pictures()
            if not self._queue:
                return None
        path = self._queue.pop(0)
        try:
            data = np.frombuffer(path.read_bytes(), dtype=np.uint8)
        except OSError:
            return None
        bgr = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
        if bgr is None:
            log.debug("%s: skipped a picture that does not decode", self.name)
            return None

        self._due += self._interval
        delay = self._due - time.monotonic()
        if delay > 0:
            if not self._sleep(delay):
                return None
        else:
            self._due = time.monotonic()
        return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)

    def _close(self) -> None:
        self._queue = []

    def _pictures(self) -> list[Path]:
        try:
            return sorted(
                p for p in self._folder.iterdir()
                if p.suffix.lower() in PICTURE_SUFFIXES and p.is_file()
            )  # fmt: skip
        except OSError:
            return []
