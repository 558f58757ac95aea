"""The window program stops in order on a stop signal: ``hall-counter --training`` in a child
process (offscreen, a private data folder), SIGINT or SIGTERM once the desk has started, and the
log shows the window, the desk and the training sandbox stopping in that order."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Bounds against hangs only: start-up loads the face models and the sandbox's history.
READY_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0

STARTED = re.compile(r"desktop\.desk \[[^\]]*\]: desk \S+ started")


def log_text(data_dir: Path) -> str:
    path = data_dir / "logs" / "hall-counter.log"
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def wait_ready(process: subprocess.Popen, data_dir: Path) -> None:
    """Wait until the log says the desk started (the window is up by then)."""
    deadline = time.monotonic() + READY_TIMEOUT
    while not STARTED.search(log_text(data_dir)):
        if process.poll() is not None:
            _out, err = process.communicate()
            pytest.fail(f"hall-counter ended before the desk started ({process.returncode}): {err}")
        assert time.monotonic() < deadline, "the desk did not start"
        time.sleep(0.2)


def line_of(text: str, pattern: str) -> int:
    """The index of the first log line matching ``pattern`` (fails when there is none)."""
    for index, line in enumerate(text.splitlines()):
        if re.search(pattern, line):
            return index
    pytest.fail(f"no log line matches {pattern!r}:\n{text[-3000:]}")


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_a_stop_signal_stops_window_desk_and_sandbox_in_order(tmp_path, signal_name):
    data_dir = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "--data-dir", str(data_dir), "--training"],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group: a test failure can end the face worker too
    )
    try:
        wait_ready(process, data_dir)
        process.send_signal(getattr(signal, signal_name))
        try:
            _out, err = process.communicate(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"hall-counter still runs {STOP_TIMEOUT:g} s after {signal_name}")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert process.returncode == 0, err

    text = log_text(data_dir)
    asked = line_of(text, rf"ui\.qt\.main .*: {signal_name}: stopping")
    desk = line_of(text, r"desktop\.desk .*: desk \S+ stopped")
    sandbox = line_of(text, r"sandbox\.app .*: sandbox stopped")
    done = line_of(text, r"ui\.qt\.main .*: hall-counter stopped")
    assert asked < desk < sandbox < done
    assert "Traceback" not in err


def test_the_stopper_wakes_the_event_loop_and_leaves_ignored_signals_alone(qapp, qtbot):
    from ui.qt.main import SignalStopper

    heard: list[str] = []
    previous_hup = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as under nohup
    previous_int = signal.getsignal(signal.SIGINT)
    stopper = SignalStopper(qapp, heard.append)
    try:
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
        assert signal.getsignal(signal.SIGINT) is not previous_int
        os.kill(os.getpid(), signal.SIGINT)  # delivered while Qt waits in its event loop
        qtbot.waitUntil(lambda: heard == ["SIGINT"], timeout=10_000)
    finally:
        stopper.uninstall()
        signal.signal(signal.SIGHUP, previous_hup)
    assert signal.getsignal(signal.SIGINT) is previous_int
