"""The staff member's picture for the face sign-in step comes from the desk's configured camera.

Before, the clerk window took it from the training seed's sample photos or from no camera at
all, so on a desk with a real camera the face step could never get a picture.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np

from ui.qt.camera import ConfiguredCamera, SampleCamera, _Subject

FACES = Path(__file__).resolve().parents[2].parent / "shared" / "faces"


def _picture_folder(tmp_path):
    folder = tmp_path / "camera"
    folder.mkdir()
    shutil.copy(FACES / "p01" / "01.jpg", folder / "01.jpg")
    return folder


class _Staff:
    card_no = None
    ssn = None


def test_a_desk_with_a_camera_takes_the_staff_picture_from_it(tmp_path, make_clerk_window):
    folder = _picture_folder(tmp_path)
    window, _desk = make_clerk_window(camera_source=str(folder))
    assert isinstance(window.camera, ConfiguredCamera)
    picture = window.camera.capture(_Staff()).result(30)
    assert picture
    image = cv2.imdecode(np.frombuffer(picture, np.uint8), cv2.IMREAD_COLOR)
    expected = cv2.imread(str(folder / "01.jpg"))
    assert image is not None and image.shape == expected.shape


def test_a_training_desk_without_a_camera_keeps_the_sample_photos(make_clerk_window):
    window, _desk = make_clerk_window()
    assert isinstance(window.camera, SampleCamera)


def test_a_camera_that_cannot_be_opened_gives_no_picture():
    camera = ConfiguredCamera(lambda subject: None)
    try:
        assert camera.capture(_Staff()).result(10) is None
    finally:
        camera.stop()
    assert _Subject("record").record == "record"
