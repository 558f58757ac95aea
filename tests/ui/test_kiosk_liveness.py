"""The kiosk's face step is the desk's live check: a challenge judged on camera frames.

The desk's camera is a real camera backend playing a source a test can hold still: a recording
of shared/faces/video/clip-a.mp4 where the performer turns his head to his right (a real pass),
or a folder holding one photo, a still picture (a real fail: a photo cannot perform). The face
worker is the real one, started once for the module and lent to each test's desk. The training
central's photo of the citizen is replaced by a frame of the performer, so that the comparison
after the challenge is a real match.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import cv2
import pytest
from test_kiosk import (
    FAST,
    KIOSK_SIZE,
    PdfPrinterFactory,
    central_case,
    citizen,
    click,
    enter_pin,
    open_kiosk,
    pin_of,
    shot,
    spoken,
    wait_page,
)

from desktop.kiosk import KioskServices
from ui.qt.kiosk.documents import DocumentPrinter

FACES = Path(__file__).resolve().parents[2].parent / "shared" / "faces"
CLIP = FACES / "video" / "clip-a.mp4"
TIMEOUT = 120_000

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CLIP.is_file(), reason=f"test clip not found at {CLIP}"),
]


# --- one face worker for the module -----------------------------------------------------------


@pytest.fixture(scope="module")
def face_worker():
    """The real face worker, models loaded once for every test of the module."""
    from devices.face.worker import FaceWorker

    worker = FaceWorker()
    assert worker.wait_ready(120), "face models did not load"
    yield worker
    worker.stop()


@pytest.fixture(autouse=True)
def _no_leftover_threads_or_processes(face_worker):
    """As tests/conftest.py's check, except for the module's face worker, which stays."""
    import multiprocessing

    keep = ("pydevd", "QDBusConnection", "asyncio_", "Dummy-", "face-worker-")
    before = {t.ident for t in threading.enumerate()}
    yield

    def foreign():
        return [
            t
            for t in threading.enumerate()
            if t.ident not in before and t.is_alive() and not t.name.startswith(keep)
        ]

    deadline = time.monotonic() + 5.0
    while foreign() and time.monotonic() < deadline:
        time.sleep(0.05)
    children = [p for p in multiprocessing.active_children() if p.pid != face_worker.pid]
    problems = [f"thread {t.name!r}" for t in foreign()] + [f"process {p.name!r}" for p in children]
    if problems:
        pytest.fail("test left running: " + ", ".join(problems), pytrace=False)


# --- camera sources ---------------------------------------------------------------------------


def _frames(first: int, last: int):
    from devices.camera.opencv import read_video_frames

    return [frame for _, frame in read_video_frames(CLIP, first, last)]


@pytest.fixture(scope="module")
def turn_recording(tmp_path_factory) -> Path:
    """The performer turning his head to his right (clip frames 86-141), as a video file."""
    path = tmp_path_factory.mktemp("camera") / "turn-right.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, (640, 360))
    for frame in _frames(86, 141):
        writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    writer.release()
    return path


def performer_photo() -> bytes:
    """A frame of the performer facing the camera, as a JPEG: his "card photo"."""
    (frame,) = _frames(150, 151)
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    assert ok
    return data.tobytes()


def set_card_photo(central, ssn: str, photo: bytes) -> None:
    """Central's reference photo of a citizen (the training sandbox's database)."""
    from ui.app import SANDBOX_DB

    db = sqlite3.connect(central.data_dir / SANDBOX_DB)
    try:
        with db:
            changed = db.execute(
                "UPDATE citizens SET face_image = ?, face_media_type = 'image/jpeg' WHERE ssn = ?",
                (photo, ssn),
            ).rowcount
    finally:
        db.close()
    assert changed == 1


@pytest.fixture
def make_live_kiosk(tmp_path, kiosk_central, sim_reader, languages, face_worker, open_windows):
    """The kiosk on a training desk whose camera is ``camera_source`` (live checks on)."""
    from ui.app import build_desk
    from ui.qt.kiosk.speech import VoicePrompter
    from ui.qt.kiosk.window import KioskWindow

    printer = tmp_path / "printer"
    printer.mkdir()

    def make(camera_source: Path, challenge: str, *, options=FAST):
        settings = kiosk_central.settings
        desk = build_desk(
            settings,
            reader="sim",
            sim_reader=sim_reader,
            data_dir=tmp_path / "desk",
            kiosk=True,
            face=False,
            camera_source=camera_source,
        )
        desk.face_worker = face_worker  # lent for the test; taken back before the desk stops
        assert desk.face_liveness  # a camera source: the challenge is judged
        window = KioskWindow(
            desk,
            languages,
            services=KioskServices(desk.client, settings),
            options=options,
            printer=DocumentPrinter(PdfPrinterFactory(printer)),
            voice=VoicePrompter(engine="mock", language="zh_CN"),
            challenge_source=lambda: challenge,
        )
        return open_windows.show(
            window,
            desk,
            size=KIOSK_SIZE,
            kiosk=True,
            # The lent face worker is taken back before the desk stops.
            before_stop=lambda: setattr(desk, "face_worker", None),
        )

    return make


def to_face_step(qtbot, window, sim_reader, card_profile, cid: str) -> None:
    sim_reader.insert(card_profile(cid))
    wait_page(qtbot, window, window.pin_page)
    enter_pin(qtbot, window, pin_of(card_profile, cid))
    wait_page(qtbot, window, window.consent_page)
    click(qtbot, window.consent_page.button("kioskAgreeButton"))
    wait_page(qtbot, window, window.face_page)


# --- the tests ----------------------------------------------------------------------------------


def test_a_head_turn_on_camera_passes_and_the_case_records_it(
    qtbot, make_live_kiosk, kiosk_central, turn_recording, sim_reader, card_profile, seed
):
    c04 = citizen(seed, "c04")
    set_card_photo(kiosk_central, c04["ssn"], performer_photo())
    window, desk = make_live_kiosk(turn_recording, "turn_right")
    open_kiosk(qtbot, window, seed)
    to_face_step(qtbot, window, sim_reader, card_profile, "c04")

    # The challenge, written and spoken; the camera's picture, as in a mirror.
    assert window.face_page.heading.text() == "请看摄像头"
    assert window.face_page.body.text() == "请慢慢向右转头，再转回来。"
    assert spoken(window)[-1][0] == "challenge"
    assert "转头" in spoken(window)[-1][1]
    qtbot.waitUntil(lambda: window.face_page.has_picture, timeout=TIMEOUT)
    assert "镜子" in window.face_page.caption.text()
    shot(qtbot, window, "face")

    wait_page(qtbot, window, window.menu_page, timeout=TIMEOUT)
    assert window._face == "match"
    assert desk.citizen.face.liveness == "turn_right:passed"
    assert not window.face_page.has_picture  # the picture went with the check

    click(qtbot, window.menu_page.service_button("pension_certification"))
    wait_page(qtbot, window, window.question_page)
    click(qtbot, window.question_page.answer_button("local"))
    wait_page(qtbot, window, window.result_page, timeout=60000)
    local = re.search(r"W01-\d{8}-\d{4}", window.result_page.body.text()).group(0)
    face = central_case(qtbot, kiosk_central, local)["identity"]["face"]
    assert (face["decision"], face["liveness"]) == ("match", "turn_right:passed")


def test_a_photo_held_to_the_camera_fails_liveness_twice(
    qtbot, make_live_kiosk, kiosk_central, tmp_path, sim_reader, card_profile, seed
):
    from desktop.resources import resource_path

    still = tmp_path / "still"
    still.mkdir()
    shutil.copy(resource_path("sandbox", "faces", "c05-probe.jpg"), still / "photo.jpg")
    options = FAST.__class__(**{**vars(FAST), "liveness_seconds": 3.0})
    window, desk = make_live_kiosk(still, "blink", options=options)
    open_kiosk(qtbot, window, seed)
    to_face_step(qtbot, window, sim_reader, card_profile, "c05")
    assert window.face_page.body.text() == "请慢慢眨两次眼睛。"

    # The photo never blinks: "let us try once more", a new check, then on without the face.
    qtbot.waitUntil(
        lambda: any("再试一次" in sentence for _, sentence in spoken(window)), timeout=TIMEOUT
    )
    wait_page(qtbot, window, window.menu_page, timeout=TIMEOUT)
    assert window._face == "failed"
    assert desk.citizen.face.decision == "unavailable"
    assert desk.citizen.face.liveness == "blink:still"
    pension = window.menu_page.service_button("pension_certification")
    assert not pension.isEnabled()
    assert "人脸核验" in window.menu_page.service_text("pension_certification")
    for _, sentence in spoken(window):
        assert not re.search(r"\d", sentence), sentence

    # The loss report needs the PIN only: its case records the failed liveness.
    click(qtbot, window.menu_page.service_button("card_loss_report"))
    wait_page(qtbot, window, window.question_page)
    click(qtbot, window.question_page.answer_button("temporary"))
    qtbot.waitUntil(lambda: window.question_page.heading.text() == "同时申请补卡")
    click(qtbot, window.question_page.answer_button(False))
    wait_page(qtbot, window, window.result_page, timeout=60000)
    local = re.search(r"W01-\d{8}-\d{4}", window.result_page.body.text()).group(0)
    face = central_case(qtbot, kiosk_central, local)["identity"]["face"]
    assert (face["decision"], face["liveness"]) == ("unavailable", "blink:still")


def test_nobody_answering_during_the_face_check_stops_the_camera(
    qtbot, make_live_kiosk, tmp_path, sim_reader, card_profile, seed
):
    from desktop.resources import resource_path

    still = tmp_path / "still"
    still.mkdir()
    shutil.copy(resource_path("sandbox", "faces", "c01-probe.jpg"), still / "photo.jpg")
    options = FAST.__class__(**{**vars(FAST), "idle_seconds": 5.0, "liveness_seconds": 60.0})
    window, desk = make_live_kiosk(still, "turn_left", options=options)
    open_kiosk(qtbot, window, seed)
    to_face_step(qtbot, window, sim_reader, card_profile, "c01")
    qtbot.waitUntil(lambda: window.face_page.has_picture, timeout=TIMEOUT)

    # "Still there?": the check is abandoned and the camera's picture leaves the screen.
    wait_page(qtbot, window, window.still_there_page, timeout=TIMEOUT)
    assert window._face_check is None and not window.face_page.has_picture
    assert desk.citizen.face is None  # an abandoned check records nothing
    click(qtbot, window.still_there_page.button("kioskStillHereButton"))
    assert window.current_page is window.consent_page  # the citizen chooses again
    click(qtbot, window.consent_page.button("kioskDeclineButton"))
    wait_page(qtbot, window, window.menu_page)
