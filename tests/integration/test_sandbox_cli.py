"""``hall-counter sandbox`` as a process, and the sandbox over TLS."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from desktop.resources import resource_path
from sandbox.server import EmbeddedSandbox

REPO = Path(__file__).resolve().parents[2]

# Runs the real entry point with PySide6 and dlib made unimportable: the sandbox command must
# not need them (design section 1: light commands start light).
_LAUNCHER = (
    "import sys\n"
    "for name in ('PySide6', 'shiboken6', 'dlib', 'face_recognition'):\n"
    "    sys.modules[name] = None\n"
    "from ui.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def _start(tmp_path: Path, *extra: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            _LAUNCHER,
            "--data-dir",
            str(tmp_path / "data"),
            "sandbox",
            "--port",
            "0",
            *extra,
        ],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop(process: subprocess.Popen, sig: int) -> tuple[int, str, str]:
    process.send_signal(sig)
    try:
        out, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    return process.returncode, out, err


@pytest.fixture
def http():
    """A requests session that ignores proxy settings: everything here is loopback."""
    with requests.Session() as session:
        session.trust_env = False
        yield session


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_the_command_prints_listening_serves_and_stops_cleanly(tmp_path, http, sig):
    process = _start(tmp_path)
    try:
        line = process.stdout.readline()
        assert line, process.stderr.read() if process.poll() is not None else "no output"
        event = json.loads(line)
        assert event["event"] == "listening"
        assert event["url"].startswith("http://127.0.0.1:")
        assert not event["url"].endswith(":0")

        health = http.get(f"{event['url']}/v1/health", timeout=10)
        assert health.json() == {"status": "ok"}
        login = http.post(
            f"{event['url']}/v1/auth/login",
            json={"username": "clerk01", "password": "clerk01-training"},
            timeout=10,
        )
        assert login.status_code == 200
    finally:
        code, out, err = _stop(process, sig)

    assert code == 0, err
    assert out == "", "exactly one JSON line on stdout"
    assert (tmp_path / "data" / "sandbox.db").exists()
    assert "POST /v1/auth/login -> 200" in err
    assert "clerk01-training" not in err


def test_a_bad_seed_fails_with_exit_1(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text('{"hall": {}}', encoding="utf-8")
    process = _start(tmp_path, "--seed", str(seed))
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert out == ""
    assert "malformed" in err


def test_tls_serves_with_a_certificate_clients_can_verify(tmp_path, http):
    db = tmp_path / "central.db"
    with EmbeddedSandbox(db, resource_path("sandbox", "seed.json"), tls=True) as central:
        assert central.url.startswith("https://127.0.0.1:")
        files = central.tls_files
        assert files.ca_cert.parent == tmp_path
        assert stat.S_IMODE(files.server_key.stat().st_mode) == 0o600

        answer = http.get(f"{central.url}/v1/health", verify=str(files.ca_cert), timeout=10)
        assert answer.json() == {"status": "ok"}
        with pytest.raises(requests.exceptions.SSLError):
            http.get(f"{central.url}/v1/health", verify=True, timeout=10)
        first_cert = files.server_cert.read_bytes()

    # A second start reuses the certificate the desks already trust.
    with EmbeddedSandbox(db, resource_path("sandbox", "seed.json"), tls=True) as central:
        assert central.tls_files.server_cert.read_bytes() == first_cert


def test_the_tls_command_prints_the_certificate(tmp_path, http):
    process = _start(tmp_path, "--tls")
    try:
        event = json.loads(process.stdout.readline())
        assert event["url"].startswith("https://")
        cert = Path(event["cert"])
        assert cert.parent == tmp_path / "data"
        answer = http.get(f"{event['url']}/v1/health", verify=str(cert), timeout=10)
        assert answer.status_code == 200
    finally:
        code, _out, err = _stop(process, signal.SIGTERM)
    assert code == 0, err
