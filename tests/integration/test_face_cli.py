"""`hall-counter face verify` run as a subprocess, on the real photos in shared/faces."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from devices.face.matcher import DEFAULT_THRESHOLD

REPO = Path(__file__).resolve().parents[2]
FACES = REPO.parent / "shared" / "faces"
FIELDS = {"match", "distance", "threshold", "faces", "quality", "prompt", "ms"}

pytestmark = pytest.mark.skipif(not FACES.is_dir(), reason=f"test photos not found at {FACES}")


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def _lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_verify_one_pair_json():
    done = _run(
        "face", "verify", "--reference", str(FACES / "p05/01.jpg"),
        "--probe", str(FACES / "p05/02.jpg"), "--json",
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    [result] = _lines(done.stdout)
    assert set(result) == FIELDS
    assert result["match"] is True
    assert result["threshold"] == DEFAULT_THRESHOLD
    assert (result["faces"], result["quality"]) == (1, "ok")
    assert 0 < result["distance"] < DEFAULT_THRESHOLD
    assert result["ms"] > 0
    assert "pkg_resources" not in done.stderr


def test_no_match_still_exits_zero_and_threshold_option_applies():
    done = _run(
        "face", "verify", "--reference", str(FACES / "p01/01.jpg"),
        "--probe", str(FACES / "p01/02.jpg"), "--threshold", "0.2",
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("no match")
    assert "threshold 0.2 " in done.stdout


def test_pairs_csv_with_header_gives_one_line_per_row_in_order(tmp_path):
    rows = [
        ("p01/01.jpg", "p01/02.jpg"),
        ("p01/01.jpg", "p02/02.jpg"),  # impostor, same reference again
        ("p01/01.jpg", "group/p01-p02.jpg"),
        ("p03/01.png", "p03/02.jpg"),
        ("p03/01.png", "README.md"),  # not an image
        ("p03/01.png", "p01/08-240p.jpg"),  # a face too small to judge
    ]
    csv_file = tmp_path / "pairs.csv"
    body = "\n".join(f"{FACES / ref},{FACES / probe}" for ref, probe in rows)
    csv_file.write_text("reference,probe\n\n" + body + "\n", encoding="utf-8")

    done = _run("--debug", "face", "face", "verify", "--pairs", str(csv_file), "--json")

    assert done.returncode == 0, done.stderr
    results = _lines(done.stdout)
    assert [r["line"] for r in results] == [3, 4, 5, 6, 7, 8]
    assert [r["match"] for r in results] == [True, False, True, True, None, None]
    assert results[2]["faces"] >= 2 and results[2]["quality"] == "multiple_faces"
    assert results[4]["quality"] == "unreadable"
    assert (results[5]["quality"], results[5]["prompt"]) == ("too_small", "move_closer")
    assert all(set(r) == FIELDS | {"line"} for r in results)
    # Two distinct references in six rows: each encoded once.
    assert done.stderr.count("reference: 1 face(s)") == 2


def test_relative_paths_in_pairs_csv_are_taken_from_its_folder(tmp_path):
    for name in ("01.jpg", "02.jpg"):
        (tmp_path / name).write_bytes((FACES / "p04" / name).read_bytes())
    (tmp_path / "pairs.csv").write_text("01.jpg,02.jpg\n", encoding="utf-8")

    done = _run("face", "verify", "--pairs", str(tmp_path / "pairs.csv"), "--json")

    assert done.returncode == 0, done.stderr
    assert _lines(done.stdout)[0]["match"] is True


def test_missing_face_models_exit_1_with_a_clear_message(tmp_path):
    broken = tmp_path / "broken" / "face_recognition_models"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise ImportError('simulated: models not installed')\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "broken")}

    done = _run(
        "face", "verify", "--reference", str(FACES / "p01/01.jpg"),
        "--probe", str(FACES / "p01/02.jpg"), "--json", env=env,
    )  # fmt: skip

    assert done.returncode == 1
    assert done.stdout == ""
    assert "face models missing: install face_recognition_models" in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([], id="nothing"),
        pytest.param(["--probe", "x.jpg"], id="probe-only"),
        pytest.param(["--reference", "absent.jpg", "--probe", "absent.jpg"], id="no-such-file"),
        pytest.param(["--pairs", "absent.csv"], id="no-such-csv"),
        pytest.param(["--threshold", "abc", "--pairs", "x.csv"], id="bad-threshold"),
    ],
)
def test_bad_usage_exits_2(args):
    done = _run("face", "verify", *args)

    assert done.returncode == 2
    assert done.stdout == ""
    assert "error" in done.stderr


def test_malformed_pairs_row_exits_2_naming_the_line(tmp_path):
    csv_file = tmp_path / "pairs.csv"
    csv_file.write_text(f"reference,probe\n{FACES / 'p01/01.jpg'}\n", encoding="utf-8")

    done = _run("face", "verify", "--pairs", str(csv_file))

    assert done.returncode == 2
    assert f"{csv_file}:2:" in done.stderr


def test_configured_face_threshold_applies_unless_overridden(tmp_path):
    config = tmp_path / "desk.toml"
    config.write_text(
        '[central]\nurl = "http://127.0.0.1:9"\n\n'
        '[workstation]\nhall_id = "H0001"\nid = "W01"\nsecret = "s"\n\n'
        "[desk]\nface_threshold = 0.31\n",
        encoding="utf-8",
    )
    pair = ["--reference", str(FACES / "p01/01.jpg"), "--probe", str(FACES / "p01/02.jpg")]

    configured = _run("--config", str(config), "face", "verify", *pair, "--json")
    overridden = _run(
        "--config", str(config), "face", "verify", *pair, "--json", "--threshold", "0.5"
    )

    assert configured.returncode == 0, configured.stderr
    assert _lines(configured.stdout)[0]["threshold"] == 0.31
    assert _lines(configured.stdout)[0]["match"] is False
    assert _lines(overridden.stdout)[0]["threshold"] == 0.5
    assert _lines(overridden.stdout)[0]["match"] is True


def _recording(path: Path) -> Path:
    """The clip's turn to the performer's right (frames 86-140) as a short MJPG file."""
    import cv2

    from devices.camera.opencv import read_video_frames

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, (640, 360))
    for _, frame in read_video_frames(FACES / "video/clip-a.mp4", 86, 141):
        writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    writer.release()
    return path


def test_live_check_on_a_recording_prints_camera_prompts_and_result(tmp_path):
    source = _recording(tmp_path / "turn.avi")

    done = _run(
        "face", "live", "--source", str(source), "--challenge", "turn_right",
        "--reference", str(FACES / "p01/01.jpg"), "--json",
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    events = _lines(done.stdout)
    assert events[0] == {"event": "camera", "state": "live", "detail": ""}
    assert events[1]["event"] == "challenge" and events[1]["challenge"] == "turn_right"
    assert any(e["event"] == "progress" and e["prompt"] == "turn_right" for e in events)
    result = events[-1]
    assert result["event"] == "result"
    assert (result["liveness"], result["challenge"]) == ("passed", "turn_right")
    assert result["match"] is False  # the performer is not p01
    assert set(result) >= FIELDS


def test_live_check_without_a_camera_says_so_and_exits_1():
    done = _run("face", "live", "--source", "63", "--camera-wait", "0.5", "--json")

    assert done.returncode == 1
    assert _lines(done.stdout) == [
        {"event": "camera", "state": "no_camera", "detail": "cannot open"}
    ]
