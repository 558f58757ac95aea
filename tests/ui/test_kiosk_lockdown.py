"""The kiosk's lockdown under a real X server and window manager: the close keys do not close it.

The test starts its own Xvfb (a free display, unix socket only: ``-nolisten tcp``) and openbox
on it, runs ``hall-counter --training --kiosk`` in a subprocess on that display with Qt's xcb
platform, sends Escape, Alt+F4 (which openbox turns into a close request), Ctrl+Q and Ctrl+W with
xdotool, and finds the kiosk still mapped, full screen, and running. It then leaves through the
admin path: five taps in the top-left corner, an admin sign-in, Exit; the program ends with 0.
Every process it started is ended in the end, by its id.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOLS = ("Xvfb", "openbox", "xdotool", "xwininfo", "xprop")
# The commonest kiosk panel; the training sample cards sit in a drawer, so it fits.
SCREEN = (1366, 768)

pytestmark = pytest.mark.slow


def _wait_for(predicate, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=30)


def _stop(process: subprocess.Popen | None, *, group: bool = False) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        if group:
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.terminate()
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        if group:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait(timeout=10)


@pytest.fixture
def x_display(tmp_path):
    """Xvfb on a display it picks itself, with openbox managing it: the DISPLAY string."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (scripts/setup-system.sh installs them)")
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write_fd),
            "-screen",
            "0",
            f"{SCREEN[0]}x{SCREEN[1]}x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "xvfb.log").open("w"),
    )
    os.close(write_fd)
    openbox = None
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        assert number.isdigit(), "Xvfb did not report its display"
        display = f":{number}"
        env = {**os.environ, "DISPLAY": display}
        openbox = subprocess.Popen(
            ["openbox", "--sm-disable"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "openbox.log").open("w"),
        )
        managed = _wait_for(
            lambda: "window id" in _run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env).stdout,
            timeout=20,
        )
        assert managed, "openbox did not take the display"
        yield display
    finally:
        _stop(openbox)
        _stop(xvfb)


def _kiosk_window(env: dict[str, str]) -> str | None:
    found = _run(["xdotool", "search", "--onlyvisible", "--class", "hall-counter"], env)
    ids = found.stdout.split()
    return ids[0] if ids else None


def _geometry(window_id: str, env: dict[str, str]) -> dict[str, str]:
    info = _run(["xwininfo", "-id", window_id], env).stdout
    fields = {}
    for line in info.splitlines():
        key, _, value = line.strip().partition(":")
        fields[key.strip()] = value.strip()
    return fields


def test_close_keys_do_not_close_the_kiosk(x_display, tmp_path, seed):
    env = {
        **os.environ,
        "DISPLAY": x_display,
        "QT_QPA_PLATFORM": "xcb",
        "PYTHONPATH": str(REPO),
    }
    log = (tmp_path / "kiosk.log").open("w")
    kiosk = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ui.cli",
            "--data-dir",
            str(tmp_path / "data"),
            "--lang",
            "zh_CN",
            "--training",
            "--kiosk",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its face worker goes with it when the group is ended
    )
    try:
        window = _wait_for(lambda: _kiosk_window(env), timeout=90, interval=0.5)
        assert window, "the kiosk window did not appear: " + (tmp_path / "kiosk.log").read_text()
        _run(["xdotool", "windowactivate", "--sync", window], env)

        # Full screen, frameless: the window covers the whole screen.
        geometry = _geometry(window, env)
        assert geometry["Map State"] == "IsViewable"
        assert (geometry["Width"], geometry["Height"]) == tuple(str(n) for n in SCREEN)

        for keys in ("Escape", "alt+F4", "ctrl+q", "ctrl+w", "ctrl+F4"):
            _run(["xdotool", "key", "--clearmodifiers", keys], env)
            time.sleep(0.5)
        time.sleep(1.0)
        assert kiosk.poll() is None, "the kiosk program ended"
        assert _kiosk_window(env) == window
        assert _geometry(window, env)["Map State"] == "IsViewable"

        # The admin path: five taps in the corner, an admin sign-in, Exit.
        password = next(s["password"] for s in seed["staff"] if s["username"] == "admin01")
        _run(["xdotool", "mousemove", "--sync", "8", "8"], env)
        _run(["xdotool", "click", "--repeat", "5", "--delay", "150", "1"], env)
        time.sleep(1.0)
        _run(["xdotool", "type", "--delay", "30", "admin01"], env)
        _run(["xdotool", "key", "Tab"], env)
        _run(["xdotool", "type", "--delay", "30", password], env)
        _run(["xdotool", "key", "Return"], env)

        def exited() -> bool:
            _run(["xdotool", "key", "space"], env)  # Exit has the focus once signed in
            return kiosk.poll() is not None

        assert _wait_for(exited, timeout=30, interval=1.0), "the admin path did not exit"
        assert kiosk.returncode == 0, (tmp_path / "kiosk.log").read_text()
    finally:
        _stop(kiosk, group=True)
        log.close()
