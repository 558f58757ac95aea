"""The clerk's face check on screen: consent, live preview with the face box and the prompts,
the decision, and the plain message with the alternative for every way it can fail."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from desktop.face_check import FaceOutcome
from devices.face.live import LiveProgress

FACES = Path(__file__).resolve().parents[2].parent / "shared" / "faces"
CLIP = FACES / "video" / "clip-a.mp4"

REASONS = (
    "no_reference",
    "reference_unreadable",
    "reference_poor",
    "central_unavailable",
    "no_camera",
    "camera_lost",
    "face_models_missing",
    "liveness_failed",
    "liveness_timeout",
    "not_judged",
)


def _click(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _child(window, kind, name: str):
    [found] = window.findChildren(kind, name)
    return found


@pytest.mark.skipif(not CLIP.is_file(), reason=f"test clip not found at {CLIP}")
def test_live_preview_shows_frames_the_face_box_and_the_prompts(
    qtbot, tmp_path, training_settings, sim_reader, languages, sign_in, card_profile, caplog
):
    """A clerk window whose camera plays the clip: the preview moves, the face box and the
    challenge's prompts reach the panel, the decision comes, and the frame goes with it."""
    from ui.app import build_desk
    from ui.qt.clerk_window import ClerkWindow

    caplog.set_level(logging.DEBUG)
    desk = build_desk(
        training_settings,
        reader="sim",
        sim_reader=sim_reader,
        data_dir=tmp_path / "desk",
        camera_source=CLIP,
    )
    assert desk.face_liveness  # a camera is configured: the real live check, even in training
    window = ClerkWindow(desk, languages)
    try:
        desk.start()
        window.show()
        qtbot.waitExposed(window)
        sign_in(window)
        page = window.serve_page
        panel = page.face_panel
        sim_reader.insert(card_profile("c01"))
        qtbot.waitUntil(lambda: panel.state == "consent", timeout=30000)

        _click(qtbot, _child(window, QPushButton, "faceAgreeButton"))
        qtbot.waitUntil(lambda: panel.frames_shown >= 10, timeout=120000)
        assert panel.has_image
        assert not _child(window, QLabel, "faceImage").pixmap().isNull()
        qtbot.waitUntil(lambda: panel.boxes_drawn > 0, timeout=60000)
        qtbot.waitUntil(lambda: panel.prompt is not None, timeout=60000)
        prompt_label = _child(window, QLabel, "facePrompt")
        assert prompt_label.isVisible() and prompt_label.text().startswith("请")

        qtbot.waitUntil(lambda: panel.state == "result", timeout=120000)
        assert not panel.has_image  # the last frame went with the decision
        outcome = panel.outcome
        assert outcome.liveness and outcome.liveness.split(":")[0] in (
            "blink",
            "turn_left",
            "turn_right",
        )
        text = _child(window, QLabel, "faceResult").text()
        assert "活体检测" in text
        if outcome.decision != "match":
            assert "替代方式" in text and "主管复核" in text
        assert page.session.face.decision == outcome.decision
        assert _child(window, QPushButton, "faceCheckButton").isVisible()
    finally:
        window.close()
        desk.stop()
        window.deleteLater()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "array(" not in logged and "QImage(" not in logged


def test_panel_texts_for_prompts_decisions_and_every_fallback(qtbot, languages):
    """Offscreen, without a desk: the box is drawn mirrored, prompts are plain sentences, and
    every failure names the alternative."""
    from PySide6.QtGui import QImage

    from ui.qt.camera import preview_image
    from ui.qt.widgets.face_panel import FacePanelWidget

    panel = FacePanelWidget()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_consent()
    assert "可以拒绝" in _child(panel, QLabel, "faceConsentText").text()

    panel.show_preparing()
    frame = np.zeros((360, 640, 3), dtype=np.uint8)
    frame[:, :320] = 255  # the camera's left half white: the mirrored preview's right half
    image = preview_image(frame)
    assert isinstance(image, QImage) and image.width() == 320 and image.height() == 180
    assert image.pixelColor(300, 90).red() == 255 and image.pixelColor(10, 90).red() == 0
    panel.show_frame(image, 640, 360)
    assert panel.state == "live" and panel.has_image and panel.boxes_drawn == 0

    progress = LiveProgress(
        status="in_progress",
        prompt="turn_left",
        progress=0.2,
        elapsed_s=1.0,
        faces=1,
        quality="ok",
        box=(100, 300, 260, 140),
        timestamp=1.0,
    )
    panel.show_progress(progress)
    assert panel.boxes_drawn == 1 and panel.prompt == "turn_left"
    assert _child(panel, QLabel, "facePrompt").text() == "请慢慢向左转头。"
    # The box, mirrored: camera columns 140..300 of 640 are preview columns 170..250 of 320.
    shown = _child(panel, QLabel, "faceImage").pixmap().toImage()
    line, inside, outside = (shown.pixelColor(x, 90) for x in (170, 200, 120))
    assert (line.red(), line.green()) == (46, 204)  # the box's colour, over white
    assert inside.red() == 255 and outside.green() == 0

    panel.show_outcome(
        FaceOutcome(decision="match", distance=0.41, threshold=0.58, liveness="turn_left:passed")
    )
    text = _child(panel, QLabel, "faceResult").text()
    assert text.startswith("匹配") and "0.410" in text and "活体检测：通过（向左转头）" in text
    assert not panel.has_image

    seen = set()
    for reason in REASONS:
        panel.show_preparing()
        panel.show_outcome(FaceOutcome(decision="unavailable", threshold=0.58, reason=reason))
        text = _child(panel, QLabel, "faceResult").text()
        assert "替代方式" in text and "主管复核" in text, reason
        seen.add(text.splitlines()[0])
    assert len(seen) == len(REASONS)  # a message of its own for every reason
