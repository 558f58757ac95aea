"""``self-test`` against real parts: pcscd with the vpcd readers, the sandbox over verified TLS,
and a small HTTP server of the test's own on 127.0.0.1 whose clock is ten minutes off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import ui.cli
from desktop import selftest
from desktop.selftest import SelfTestOptions

REPO = Path(__file__).resolve().parents[2]


def run_cli(monkeypatch, capsys, *argv: str) -> tuple[int, str]:
    """``hall-counter ARGV`` in this process, with the self-test commands registered."""
    modules = tuple(dict.fromkeys((*ui.cli.COMMAND_MODULES, "selftest", "diagnostics")))
    monkeypatch.setattr(ui.cli, "COMMAND_MODULES", modules)
    code = ui.cli.main(list(argv))
    return code, capsys.readouterr().out


@dataclass
class CentralSettings:
    """The three settings the central checks read."""

    central_url: str
    ca_bundle: Path | None = None
    central_timeout: float = 10.0


@pytest.fixture
def tls_sandbox(tmp_path):
    """The sandbox on 127.0.0.1 over HTTPS with its own CA: (url, ca_cert)."""
    from sandbox.server import EmbeddedSandbox

    sandbox = EmbeddedSandbox(tmp_path / "sandbox" / "sandbox.db", tls=True)
    url = sandbox.start()
    try:
        yield url, sandbox.tls_files.ca_cert
    finally:
        sandbox.stop()


class _SkewedHandler(BaseHTTPRequestHandler):
    skew = 600.0

    def date_time_string(self, timestamp=None):
        import time

        return super().date_time_string((timestamp or time.time()) + self.skew)

    def do_GET(self):
        body = b'{"status": "ok"}'
        self.send_response(200 if self.path == "/v1/health" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def skewed_server():
    """An HTTP server on 127.0.0.1 whose Date header runs ten minutes ahead: its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SkewedHandler)
    thread = threading.Thread(target=server.serve_forever, name="skewed-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def by_name(results) -> dict:
    return {r.name: r for r in results}


# --- PC/SC -----------------------------------------------------------------------------------


@pytest.mark.pcsc
def test_ready_training_desk_passes_every_check(pcsc_service, tmp_path, monkeypatch, capsys):
    code, out = run_cli(
        monkeypatch,
        capsys,
        "--data-dir",
        str(tmp_path / "data"),
        "--training",
        "self-test",
        "--json",
    )
    report = json.loads(out)
    failed = [c for c in report["checks"] if not c["ok"]]
    assert failed == [] and report["ok"] is True and code == 0
    assert [c["name"] for c in report["checks"]] == list(selftest.CHECK_NAMES)
    checks = {c["name"]: c for c in report["checks"]}
    assert "Virtual PCD 00 00" in checks["readers"]["detail"]
    assert checks["camera"]["code"] == "training_photos"
    assert checks["keyring"]["code"] == "key_file"


def test_pcsc_service_not_running_is_explained(tmp_path):
    # libpcsclite looks for pcscd's socket where PCSCLITE_CSOCK_NAME says: nothing listens there.
    code = (
        "import json; from pathlib import Path; from desktop import selftest\n"
        "o = selftest.SelfTestOptions(data_dir=Path('.'), platform='linux')\n"
        "print(json.dumps([r.to_json() for r in selftest.check_pcsc(o)]))\n"
    )
    env = dict(os.environ, PCSCLITE_CSOCK_NAME=str(tmp_path / "no-pcscd.comm"))
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    service, readers = json.loads(out.stdout)
    assert (service["ok"], service["code"]) == (False, "pcsc_not_running")
    assert str(tmp_path / "no-pcscd.comm") in service["detail"]
    assert "systemctl enable --now pcscd" in service["fix"]
    assert (readers["ok"], readers["code"]) == (False, "pcsc_unavailable")


# --- central, TLS, clock ---------------------------------------------------------------------


def test_central_verified_against_the_configured_ca(tls_sandbox, tmp_path, monkeypatch):
    url, ca_cert = tls_sandbox
    # A bundle in the environment must not override the configured one (requests would let it).
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(REPO / "resources" / "services.json"))
    opts = SelfTestOptions(data_dir=tmp_path, settings=CentralSettings(url, ca_cert))
    checks = by_name(selftest.check_central(opts))
    assert (checks["central"].ok, checks["central"].code) == (True, "ok")
    assert checks["tls"].ok and checks["tls"].code == "ok"
    assert f"configured CA bundle {ca_cert}" in checks["tls"].detail
    assert "valid until" in checks["tls"].detail
    assert (checks["clock"].ok, checks["clock"].code) == (True, "ok")


def test_unknown_ca_fails_tls_with_a_fix(tls_sandbox, tmp_path, monkeypatch):
    url, _ = tls_sandbox
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    opts = SelfTestOptions(data_dir=tmp_path, central_url=url)
    checks = by_name(selftest.check_central(opts))
    assert (checks["tls"].ok, checks["tls"].code) == (False, "tls_verify_failed")
    assert "certificate verify failed" in checks["tls"].detail
    assert "central.ca_bundle" in checks["tls"].fix
    assert (checks["central"].ok, checks["central"].code) == (False, "central_tls_failed")
    assert checks["clock"].code == "not_checked"


def test_clock_skew_beyond_the_limit_fails(skewed_server, tmp_path):
    opts = SelfTestOptions(data_dir=tmp_path, central_url=skewed_server)
    checks = by_name(selftest.check_central(opts))
    assert checks["central"].ok
    assert checks["tls"].code == "plain_http_loopback"
    assert (checks["clock"].ok, checks["clock"].code) == (False, "clock_skew")
    assert "behind" in checks["clock"].detail
    assert "timedatectl set-ntp true" in checks["clock"].fix

    opts.max_clock_skew = 3600
    assert by_name(selftest.check_central(opts))["clock"].ok


def test_wrong_path_is_a_bad_status(skewed_server, tmp_path):
    opts = SelfTestOptions(data_dir=tmp_path, central_url=skewed_server + "/prefix")
    checks = by_name(selftest.check_central(opts))
    assert (checks["central"].ok, checks["central"].code) == (False, "central_bad_status")
    assert "HTTP 404" in checks["central"].detail


def test_unreachable_central_fails_the_command(tmp_path, monkeypatch, capsys):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, out = run_cli(
        monkeypatch,
        capsys,
        "--data-dir",
        str(tmp_path / "data"),
        "self-test",
        "--central",
        f"http://127.0.0.1:{port}",
    )
    assert code == 1
    assert out.startswith("self-test: ")
    assert f"FAIL  central       http://127.0.0.1:{port}/v1/health: connection refused" in out


def test_https_to_a_plain_http_port_is_a_handshake_failure(skewed_server, tmp_path):
    opts = SelfTestOptions(data_dir=tmp_path, central_url=skewed_server.replace("http:", "https:"))
    checks = by_name(selftest.check_central(opts))
    assert (checks["tls"].ok, checks["tls"].code) == (False, "tls_handshake_failed")
    assert "speaks HTTPS" in checks["tls"].fix
    assert checks["central"].code == "central_tls_failed"
