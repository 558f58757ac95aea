"""Loading face_recognition: a missing model package is a clear error, never a silent exit.

face_recognition catches the failed import of face_recognition_models, prints a hint and calls
quit(). The import is simulated failing by putting None in sys.modules (which makes ``import``
raise ImportError) and dropping the cached face_recognition modules so the import runs again.
"""

from __future__ import annotations

import sys

import pytest
from PIL import ImageFile

from devices.face.matcher import (
    MODELS_MISSING_MESSAGE,
    FaceMatcher,
    FaceModelsMissingError,
    load_face_recognition,
)


@pytest.fixture
def fresh_face_recognition(monkeypatch):
    """Make the next ``import face_recognition`` execute the package again."""
    for name in [n for n in sys.modules if n == "face_recognition" or n.startswith("face_rec")]:
        monkeypatch.delitem(sys.modules, name)
    return monkeypatch


def test_missing_models_raise_a_clear_error_not_system_exit(fresh_face_recognition, capsys):
    fresh_face_recognition.setitem(sys.modules, "face_recognition_models", None)
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    with pytest.raises(FaceModelsMissingError) as caught:
        load_face_recognition()

    assert str(caught.value) == MODELS_MISSING_MESSAGE
    assert "face_recognition_models" in str(caught.value)
    assert capsys.readouterr().out == ""  # face_recognition's print kept off stdout
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_matcher_constructor_reports_missing_models(fresh_face_recognition):
    fresh_face_recognition.setitem(sys.modules, "face_recognition_models", None)

    with pytest.raises(FaceModelsMissingError):
        FaceMatcher()


def test_missing_dlib_names_the_library(fresh_face_recognition):
    fresh_face_recognition.setitem(sys.modules, "dlib", None)

    with pytest.raises(FaceModelsMissingError, match="dlib"):
        load_face_recognition()


def test_threshold_out_of_range_is_refused():
    with pytest.raises(ValueError):
        FaceMatcher(threshold=0.0)
    with pytest.raises(ValueError):
        FaceMatcher(threshold=2.5)
