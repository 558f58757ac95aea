"""The camera in the Qt window: the live face check's preview, and the still-photo shim.

:class:`FaceCheckRelay` is the listener of a live face check (``Desk.start_face_check``): it
hears frames on the camera thread, converts each to a small mirrored ``QImage`` there (never on
the GUI thread), keeps only the newest and hands it to the GUI thread through a queued signal;
prompts, face boxes, status and the outcome come the same way. A frame the GUI has not picked
up yet is replaced by a newer one, so the preview never builds a backlog. Frames are not kept
past the decision.

One still picture (the staff member's face for the second sign-in step) comes from
:class:`ConfiguredCamera`, the desk's configured camera opened for one frame; a training desk
without a camera uses :class:`SampleCamera` (the seed's sample photo of the card's holder), and
a desk with no camera at all :class:`NoCamera`.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QImage

log = logging.getLogger(__name__)


class SampleCamera:
    """Training's camera: the seed's probe photo for the card in the reader."""

    def __init__(self, seed_file: Path | None = None) -> None:
        self._seed_file = seed_file
        self._executor: ThreadPoolExecutor | None = None

    def capture(self, record) -> Future:
        """Future[bytes | None]: the sample probe photo of the card's holder, None if none."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="camera")
        return self._executor.submit(self._read, record.card_no, record.ssn)

    def _read(self, card_no: str, ssn: str | None) -> bytes | None:
        from ui.app import sample_probe

        return sample_probe(card_no, ssn, self._seed_file)

    def stop(self) -> None:
        """Stop the camera's thread (idempotent)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


class ConfiguredCamera:
    """The desk's configured camera, opened for one still picture per capture.

    ``factory`` is the desk's ``camera_factory`` (``factory(session) -> Camera | None``); the
    picture is the first frame the camera delivers, JPEG-encoded in memory, never on disk.
    """

    FRAME_TIMEOUT = 5.0

    def __init__(self, factory) -> None:
        self._factory = factory
        self._executor: ThreadPoolExecutor | None = None

    def capture(self, record) -> Future:
        """Future[bytes | None]: one picture from the camera, None when it gives none."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="camera")
        return self._executor.submit(self._grab, record)

    def _grab(self, record) -> bytes | None:
        camera = self._factory(_Subject(record))
        if camera is None:
            return None
        with camera:
            frame = camera.wait_frame(timeout=self.FRAME_TIMEOUT)
        if frame is None:
            log.info("the camera gave no picture (%s)", camera.state)
            return None
        ok, encoded = cv2.imencode(".jpg", cv2.cvtColor(frame.image, cv2.COLOR_RGB2BGR))
        return encoded.tobytes() if ok else None

    def stop(self) -> None:
        """Stop the capture thread (idempotent)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


class _Subject:
    """What a camera factory is given: the session-like holder of the card ``record``."""

    def __init__(self, record) -> None:
        self.record = record


class NoCamera:
    """A desk without a camera: every capture gives no picture."""

    def capture(self, record) -> Future:
        """Future resolved with None at once."""
        future: Future = Future()
        future.set_result(None)
        return future

    def stop(self) -> None:
        """Nothing to stop."""


# The preview's size on screen; frames are scaled to fit it on the camera thread.
PREVIEW_WIDTH = 320
PREVIEW_HEIGHT = 240


def preview_image(image: np.ndarray, width: int = PREVIEW_WIDTH, height: int = PREVIEW_HEIGHT):
    """A mirrored QImage of an RGB frame, scaled to fit ``width`` x ``height`` (any thread)."""
    rows, cols = image.shape[:2]
    scale = min(width / cols, height / rows)
    size = (max(1, round(cols * scale)), max(1, round(rows * scale)))
    small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    # The QImage owns its pixels (no QImage over a Python buffer, whose release runs in Qt);
    # the mirrored copy goes straight into them: the citizen's left is on the left.
    qimage = QImage(size[0], size[1], QImage.Format.Format_RGB888)
    line = qimage.bytesPerLine()
    pixels = np.frombuffer(qimage.bits(), dtype=np.uint8).reshape(size[1], line)
    pixels[:, : size[0] * 3] = small[:, ::-1].reshape(size[1], size[0] * 3)
    return qimage


class FaceCheckRelay(QObject):
    """Re-emits a live face check's listener calls on the GUI thread (module docstring).

    :meth:`new_listener` gives the listener to pass to ``Desk.start_face_check``; from then on
    only that check is followed (an earlier check's late calls are dropped). Signals:
    ``frame_ready(QImage, int, int)`` (the mirrored preview, and the camera frame's width and
    height, to place the face box), ``progress(object)`` (a LiveProgress), ``status(str)``
    (``preparing``, ``camera_waiting``, ``live``) and ``done(object)`` (the FaceOutcome).
    """

    frame_ready = Signal(QImage, int, int)
    progress = Signal(object)
    status = Signal(str)
    done = Signal(object)
    _frame_waiting = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._token = 0
        self._latest: tuple[QImage, int, int] | None = None
        self._frames_converted = 0
        self._frame_waiting.connect(self._deliver_frame, Qt.ConnectionType.QueuedConnection)

    def new_listener(self) -> _Tap:
        """A listener for the next check; the previous check is no longer followed."""
        with self._lock:
            self._token += 1
            self._latest = None
            return _Tap(self, self._token)

    def stop(self) -> None:
        """Follow no check any more; the frame waiting, if any, is dropped."""
        with self._lock:
            self._token += 1
            self._latest = None

    @property
    def frames_converted(self) -> int:
        """Frames converted for the preview so far (on the camera thread)."""
        with self._lock:
            return self._frames_converted

    def _current(self, token: int) -> bool:
        with self._lock:
            return token == self._token

    # Called on the desk's, the camera's and the face worker's threads ----------------------

    def _on_frame(self, token: int, frame) -> None:
        if not self._current(token):
            return
        image = preview_image(frame.image)
        height, width = frame.image.shape[:2]
        with self._lock:
            if token != self._token:
                return
            wake = self._latest is None
            self._latest = (image, width, height)
            self._frames_converted += 1
        if wake:
            self._frame_waiting.emit()

    def _on_progress(self, token: int, progress) -> None:
        if self._current(token):
            self.progress.emit(progress)

    def _on_status(self, token: int, status: str) -> None:
        if self._current(token):
            self.status.emit(status)

    def _on_done(self, token: int, outcome) -> None:
        with self._lock:
            if token != self._token:
                return
            self._latest = None
        self.done.emit(outcome)

    # GUI thread ------------------------------------------------------------------------------

    @Slot()
    def _deliver_frame(self) -> None:
        with self._lock:
            latest, self._latest = self._latest, None
        if latest is not None:
            self.frame_ready.emit(*latest)


class _Tap:
    """One check's listener (desktop.face_check.FaceCheckListener), tied to a FaceCheckRelay."""

    def __init__(self, relay: FaceCheckRelay, token: int) -> None:
        self._relay = relay
        self._token = token

    def on_face_frame(self, check, frame) -> None:
        """Camera thread: convert the frame for the preview."""
        self._relay._on_frame(self._token, frame)

    def on_face_progress(self, check, progress) -> None:
        """Worker thread: a judged frame's prompt and face box."""
        self._relay._on_progress(self._token, progress)

    def on_face_status(self, check, status: str) -> None:
        """Desk or camera thread: how the check stands."""
        self._relay._on_status(self._token, status)

    def on_face_done(self, check, outcome) -> None:
        """The outcome."""
        self._relay._on_done(self._token, outcome)


def default_camera(desk):
    """The still-picture camera for ``desk``: its configured camera when it has one; training
    without a camera, the seed's sample photos; otherwise none."""
    if getattr(desk, "face_liveness", False) and getattr(desk, "camera_factory", None):
        return ConfiguredCamera(desk.camera_factory)
    return SampleCamera() if desk.settings.training else NoCamera()
