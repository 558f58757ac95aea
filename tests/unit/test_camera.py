"""Cameras on real OpenCV: a folder of pictures and recorded video files as sources.

Unplugging is a source that goes away (the folder or file is moved aside) and plugging back in
is putting it back; the camera must say so through its state and recover by itself. A device
index that does not exist shows ``no_camera``. Every file is made in the test's tmp_path.
"""

from __future__ import annotations

import gc
import threading
import time
import weakref
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera import (
    ENDED,
    LIVE,
    LOST,
    NO_CAMERA,
    STARTING,
    STOPPED,
    CameraError,
    open_camera,
)
from devices.camera.folder import ImageFolderCamera
from devices.camera.opencv import OpenCvCamera, read_video_frames

FACES = Path(__file__).resolve().parents[2].parent / "shared" / "faces"
WAIT = 15.0  # generous: nothing here is a timing assertion


class Recorder:
    """A camera listener that keeps what it was told (no frames: their sequence numbers)."""

    def __init__(self) -> None:
        self.states: list[str] = []
        self.seqs: list[int] = []

    def on_frame_ready(self, frame) -> None:
        self.seqs.append(frame.seq)

    def on_camera_state(self, state: str, detail: str) -> None:
        self.states.append(state)


def _until(condition, timeout: float = WAIT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _solid(path: Path, rgb: tuple[int, int, int], size=(64, 48)) -> None:
    picture = np.zeros((size[1], size[0], 3), np.uint8)
    picture[:] = rgb[::-1]  # OpenCV writes BGR
    cv2.imwrite(str(path), picture)


def _video(path: Path, colours: list[tuple[int, int, int]], fps: float = 30.0) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (64, 48))
    assert writer.isOpened()
    for rgb in colours:
        frame = np.zeros((48, 64, 3), np.uint8)
        frame[:] = rgb[::-1]
        writer.write(frame)
    writer.release()
    return path


@pytest.fixture
def pictures(tmp_path) -> Path:
    folder = tmp_path / "camera"
    folder.mkdir()
    _solid(folder / "a.png", (255, 0, 0))
    _solid(folder / "b.png", (0, 0, 255))
    return folder


def test_folder_camera_delivers_rgb_frames_in_name_order_round_and_round(pictures):
    recorder = Recorder()
    camera = ImageFolderCamera(pictures, fps=50)
    camera.add_listener(recorder)
    camera.start()
    try:
        first = camera.wait_frame(0, WAIT)
        second = camera.wait_frame(first.seq, WAIT)
        assert _until(lambda: len(recorder.seqs) >= 5)
    finally:
        camera.stop()

    assert camera.state == STOPPED
    assert first.image.dtype == np.uint8 and first.image.shape == (48, 64, 3)
    assert first.image[0, 0].tolist() == [255, 0, 0]  # a.png, RGB
    assert second.image[0, 0].tolist() == [0, 0, 255]  # then b.png
    assert not first.image.flags.writeable
    assert recorder.seqs == sorted(recorder.seqs)
    assert recorder.states[:2] == ["starting", LIVE] and recorder.states[-1] == STOPPED
    assert "255" not in repr(first)  # a frame's repr never shows pixels


def test_only_the_latest_frame_is_kept(pictures):
    camera = ImageFolderCamera(pictures, fps=100)
    camera.start()
    try:
        frame = camera.wait_frame(0, WAIT)
        watch = weakref.ref(frame.image)
        first_seq = frame.seq
        del frame
        assert _until(lambda: (camera.latest() or None) is not None and
                      camera.latest().seq > first_seq + 5)  # fmt: skip
        gc.collect()
        newest = camera.latest()
    finally:
        camera.stop()

    assert watch() is None  # the old frame is gone: the camera kept no backlog
    assert newest.seq > first_seq + 5
    assert camera.latest() is None  # and stop() dropped the last one


def test_folder_camera_unplugged_and_plugged_back(pictures, tmp_path):
    recorder = Recorder()
    camera = ImageFolderCamera(pictures, fps=50)
    camera.add_listener(recorder)
    aside = tmp_path / "aside"
    camera.start()
    try:
        assert camera.wait_frame(0, WAIT) is not None
        pictures.rename(aside)  # unplugged
        assert _until(lambda: camera.state == LOST)
        assert camera.latest() is None
        aside.rename(pictures)  # back
        assert _until(lambda: camera.state == LIVE)
        assert camera.wait_frame(0, WAIT) is not None
    finally:
        camera.stop()

    lost_at = recorder.states.index(LOST)
    assert LIVE in recorder.states[lost_at:]


def test_a_camera_absent_at_start_says_no_camera_and_comes_up_when_plugged(tmp_path):
    folder = tmp_path / "later"
    camera = ImageFolderCamera(folder, fps=50)
    camera.start()
    try:
        assert _until(lambda: camera.state == NO_CAMERA)
        assert camera.wait_frame(0, 0.2) is None
        folder.mkdir()
        _solid(folder / "a.jpg", (0, 200, 0))
        frame = camera.wait_frame(0, WAIT)
    finally:
        camera.stop()

    assert frame is not None and frame.image[5, 5, 1] > 150


def test_mirror_undoes_a_mirroring_driver(tmp_path):
    folder = tmp_path / "m"
    folder.mkdir()
    picture = np.zeros((20, 40, 3), np.uint8)
    picture[:, :20] = (0, 0, 255)  # BGR: red on the left
    cv2.imwrite(str(folder / "a.png"), picture)
    camera = ImageFolderCamera(folder, fps=50, mirror=True)
    camera.start()
    try:
        frame = camera.wait_frame(0, WAIT)
    finally:
        camera.stop()

    assert frame.image[10, 0].tolist() == [0, 0, 0]
    assert frame.image[10, 39].tolist() == [255, 0, 0]


def test_a_failing_listener_does_not_stop_the_camera(pictures):
    class Broken:
        def on_frame_ready(self, frame):
            raise RuntimeError("listener bug")

        def on_camera_state(self, state, detail):
            raise RuntimeError("listener bug")

    camera = ImageFolderCamera(pictures, fps=50)
    camera.add_listener(Broken())
    camera.start()
    try:
        first = camera.wait_frame(0, WAIT)
        later = camera.wait_frame(first.seq + 3, WAIT)
    finally:
        camera.stop()

    assert later is not None and later.seq > first.seq + 3


def test_stop_from_another_thread_while_start_is_still_under_way(pictures):
    # start() tells its listeners "starting" before it launches the thread; a stop() on
    # another thread in that moment must wait for the launch, not fail on an unstarted thread.
    camera = ImageFolderCamera(pictures, fps=50)
    errors: list[BaseException] = []

    def stop_now() -> None:
        try:
            camera.stop()
        except BaseException as exc:
            errors.append(exc)

    stopper = threading.Thread(target=stop_now)

    class StopsWhileStarting(Recorder):
        def on_camera_state(self, state: str, detail: str) -> None:
            super().on_camera_state(state, detail)
            if state == STARTING and stopper.ident is None:
                stopper.start()
                time.sleep(0.2)  # give the stopper time to reach its join

    listener = StopsWhileStarting()
    camera.add_listener(listener)
    camera.start()
    stopper.join(WAIT)
    assert not stopper.is_alive()
    assert errors == []
    assert camera.state == STOPPED and listener.states[-1] == STOPPED
    assert not any(t.name == camera.name for t in threading.enumerate())


def test_video_file_plays_loops_and_survives_being_moved_away(tmp_path):
    clip = _video(tmp_path / "clip.avi", [(255, 0, 0), (0, 255, 0), (0, 0, 255)] * 2)
    recorder = Recorder()
    camera = OpenCvCamera(clip)
    camera.add_listener(recorder)
    camera.start()
    try:
        frame = camera.wait_frame(0, WAIT)
        assert _until(lambda: len(recorder.seqs) > 12)  # six frames, played round twice
        clip.rename(tmp_path / "aside.avi")
        assert _until(lambda: camera.state == LOST)
        (tmp_path / "aside.avi").rename(clip)
        assert _until(lambda: camera.state == LIVE)
        back = camera.wait_frame(0, WAIT)
        assert camera.wait_frame(back.seq + 1, WAIT) is not None
        assert camera.fps > 0
    finally:
        camera.stop()

    assert frame.size == (64, 48)
    assert frame.image[10, 10, 0] > 200 and frame.image[10, 10, 2] < 60  # red, as RGB


def test_a_recording_without_loop_ends(tmp_path):
    clip = _video(tmp_path / "once.avi", [(9, 9, 9)] * 3, fps=60.0)
    camera = OpenCvCamera(clip, loop=False, realtime=False)
    camera.start()
    try:
        assert _until(lambda: camera.state == ENDED)
        assert camera.wait_frame(0, 0.5) is None
    finally:
        camera.stop()


def test_a_device_that_is_not_there_says_no_camera_and_stops_at_once():
    camera = OpenCvCamera(63)
    camera.start()
    try:
        assert _until(lambda: camera.state == NO_CAMERA)
        assert camera.latest() is None
    finally:
        camera.stop()
    assert camera.state == STOPPED


def test_open_camera_picks_the_backend(tmp_path, pictures):
    clip = _video(tmp_path / "c.avi", [(1, 2, 3)])

    assert isinstance(open_camera(0), OpenCvCamera)
    assert isinstance(open_camera(" 2 "), OpenCvCamera)
    assert isinstance(open_camera(pictures), ImageFolderCamera)
    assert isinstance(open_camera(str(clip)), OpenCvCamera)
    for bad in ("", None, True, -1):
        with pytest.raises(CameraError):
            open_camera(bad)  # type: ignore[arg-type]
    with pytest.raises(CameraError):
        ImageFolderCamera(pictures, fps=0)


def test_read_video_frames_gives_recording_times(tmp_path):
    clip = _video(tmp_path / "t.avi", [(k * 20, 0, 0) for k in range(10)], fps=20.0)

    frames = list(read_video_frames(clip, start=2, stop=8, step=3))

    assert [round(t, 3) for t, _ in frames] == [0.1, 0.25]
    assert frames[0][1].shape == (48, 64, 3)
    with pytest.raises(CameraError):
        list(read_video_frames(tmp_path / "absent.avi"))


@pytest.mark.skipif(not FACES.is_dir(), reason=f"test photos not found at {FACES}")
def test_the_shared_clip_plays_as_a_camera():
    camera = open_camera(FACES / "video" / "clip-a.mp4")
    camera.start()
    try:
        first = camera.wait_frame(0, WAIT)
        later = camera.wait_frame(first.seq + 5, WAIT)
    finally:
        camera.stop()

    assert first.size == (640, 360)
    assert later.timestamp > first.timestamp


def test_still_camera_plays_a_picture_from_memory_and_forgets_it():
    from devices.camera.still import StillCamera

    rgb = np.zeros((60, 80, 3), dtype=np.uint8)
    rgb[:, :40] = (255, 0, 0)  # the left half red
    ok, png = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    assert ok
    camera = StillCamera(png.tobytes(), fps=50)
    with camera:
        first = camera.wait_frame(0, WAIT)
        second = camera.wait_frame(first.seq, WAIT)
    assert second.seq > first.seq and np.array_equal(first.image, rgb)
    assert camera.state == STOPPED and camera.latest() is None
    assert camera._picture is None and camera._image is None

    broken = StillCamera(b"\xff\xd8 not a picture", fps=50)
    with broken:
        assert broken.wait_frame(0, 0.5) is None
        assert broken.state == NO_CAMERA
    with pytest.raises(CameraError):
        StillCamera(b"")
