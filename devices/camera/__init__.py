"""Cameras: OpenCV capture on its own thread, keeping only the latest frame.

``base`` holds the interface (:class:`Camera`, :class:`Frame`, the state codes), ``opencv``
the real backend (a device index, or a video file played as a camera) and ``folder`` the
simulator (a folder of pictures). :func:`open_camera` picks one from a source description.
"""

from __future__ import annotations

from pathlib import Path

from devices.camera.base import (
    ENDED,
    LIVE,
    LOST,
    NO_CAMERA,
    STARTING,
    STOPPED,
    Camera,
    CameraError,
    CameraListener,
    Frame,
)

__all__ = [
    "ENDED",
    "LIVE",
    "LOST",
    "NO_CAMERA",
    "STARTING",
    "STOPPED",
    "Camera",
    "CameraError",
    "CameraListener",
    "Frame",
    "open_camera",
]


def open_camera(source: int | str | Path, *, mirror: bool = False, **options) -> Camera:
    """A camera for ``source``: a device index (``0`` or ``"0"``), a folder of pictures, or a
    video file. Not started; ``options`` go to the backend (see OpenCvCamera,
    ImageFolderCamera). A path that does not exist yet is taken as a video file, which the
    camera waits for (``no_camera``).
    """
    from devices.camera.folder import ImageFolderCamera
    from devices.camera.opencv import OpenCvCamera

    if isinstance(source, int) and not isinstance(source, bool):
        return OpenCvCamera(source, mirror=mirror, **options)
    if isinstance(source, str) and source.strip().isdigit():
        return OpenCvCamera(int(source.strip()), mirror=mirror, **options)
    if not isinstance(source, str | Path) or not str(source).strip():
        raise CameraError(f"not a camera source: {source!r}")
    path = Path(source)
    if path.is_dir():
        return ImageFolderCamera(path, mirror=mirror, **options)
    return OpenCvCamera(path, mirror=mirror, **options)
