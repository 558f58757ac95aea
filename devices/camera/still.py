"""One picture held in memory, played as a camera: training mode's sample photo of a citizen.

Training desks have no camera: the seed's sample "probe" photo of the citizen whose card is in
the reader stands in for the counter camera, repeated at ``fps`` frames a second so that the
preview behaves like a camera's. The picture is decoded once on the camera thread and never
written anywhere; ``stop()`` drops it with the last frame. A still picture cannot perform a
liveness challenge: the desk compares one frame of it and records the liveness as not checked.
"""

from __future__ import annotations

import logging
import time

import cv2
import numpy as np

from devices.camera.base import Camera, CameraError

log = logging.getLogger(__name__)


class StillCamera(Camera):
    """An encoded picture (JPEG, PNG, ... bytes) shown as camera frames, ``fps`` a second."""

    def __init__(self, picture: bytes, *, fps: float = 20.0, mirror: bool = False) -> None:
        if not fps > 0:
            raise CameraError(f"fps must be positive, got {fps}")
        if not picture:
            raise CameraError("no picture to show")
        super().__init__(mirror=mirror, name="camera still picture")
        self._picture: bytes | None = bytes(picture)
        self._interval = 1.0 / fps
        self._image: np.ndarray | None = None
        self._due = 0.0

    def _open(self) -> bool:
        self._check_thread()
        picture = self._picture
        if picture is None:
            return False
        bgr = cv2.imdecode(np.frombuffer(picture, dtype=np.uint8), cv2.IMREAD_COLOR)
        if bgr is None:
            log.debug("%s: the picture does not decode", self.name)
            return False
        self._image = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        self._image.setflags(write=False)
        self._due = time.monotonic()
        return True

    def _read(self) -> np.ndarray | None:
        self._check_thread()
        if self._image is None:
            return None
        self._due += self._interval
        delay = self._due - time.monotonic()
        if delay > 0:
            if not self._sleep(delay):
                return None
        else:
            self._due = time.monotonic()
        return self._image

    def _close(self) -> None:
        self._image = None

    def stop(self, timeout: float = 5.0) -> None:
        """Stop, and forget the picture as well."""
        super().stop(timeout)
        self._picture = None
