"""The self-test's central check trusts only a real health answer, within a deadline and a
size limit, and never shows a password from a URL (self-test output, diagnostics archive)."""

from __future__ import annotations

import json
import socket
import threading
import zipfile
from pathlib import Path

import pytest
from http_faults import drip, serve

from desktop import selftest
from desktop.diagnostics import settings_summary, write_diagnostics
from desktop.selftest import SelfTestOptions
from desktop.settings import Settings


def answer(body: bytes, content_type: str | None = "application/json") -> bytes:
    lines = ["HTTP/1.1 200 OK", "Connection: close", f"Content-Length: {len(body)}"]
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def once(data: bytes):
    def script(conn: socket.socket, _stop: threading.Event) -> None:
        conn.sendall(data)

    return script


def central_check(url: str, timeout: float = 5.0):
    settings = Settings(
        central_url=url,
        hall_id="H1",
        workstation_id="W1",
        workstation_secret="s",
        central_timeout=timeout,
    )
    opts = SelfTestOptions(data_dir=Path("/nonexistent-data"), settings=settings)
    return selftest.check_central(opts)[0]


@pytest.mark.parametrize(
    "reply",
    [
        answer(b"<html><body>Please sign in to the hotel Wi-Fi</body></html>", "text/html"),
        answer(b'{"status": "ok"', "application/json"),
        answer(b"", "application/json"),
        answer(b"null"),
        answer(b"[]"),
        answer(b'{"status": "ok"}', "text/plain"),
        answer(b'{"status": "ok"}', None),
        answer(b'{"status": "down"}'),
    ],
)
def test_a_200_that_is_not_a_health_answer_fails_the_central_check(reply):
    with serve(once(reply)) as url:
        check = central_check(url)
    assert (check.ok, check.code) == (False, "central_bad_answer")


def test_the_real_health_answer_passes():
    with serve(once(answer(b'{"status": "ok"}', "application/json; charset=utf-8"))) as url:
        check = central_check(url)
    assert (check.ok, check.code) == (True, "ok")


def test_a_huge_or_dripping_health_answer_fails_within_the_deadline():
    big = b'{"status": "ok", "pad": "' + b"x" * 300_000 + b'"}'
    with serve(once(answer(big))) as url:
        check = central_check(url)
    assert (check.ok, check.code) == (False, "central_bad_answer")
    body = b'{"status": "ok"}'
    head = answer(body)[: -len(body)]
    with serve(lambda c, s: (c.sendall(head), drip(body, 0.25)(c, s))) as url:
        check = central_check(url, timeout=1.0)
    assert (check.ok, check.code) == (False, "central_timeout")


def test_a_password_in_the_central_url_is_written_nowhere(tmp_path):
    with serve(once(answer(b'{"status": "ok"}'))) as url:
        secret_url = url.replace("http://", "http://admin:S3cretPw@")
        settings = Settings(
            central_url=secret_url, hall_id="H1", workstation_id="W1", workstation_secret="s"
        )
        opts = SelfTestOptions(data_dir=tmp_path, settings=settings, config_path=tmp_path)
        report = selftest.run_self_test(opts)
    assert "S3cretPw" not in report.dumps()
    assert "S3cretPw" not in json.dumps(settings_summary(settings), default=str)
    archive = write_diagnostics(
        tmp_path / "d.zip", tmp_path, self_test=report.to_json(), settings=settings
    )
    with zipfile.ZipFile(archive.path) as zf:
        for name in zf.namelist():
            assert b"S3cretPw" not in zf.read(name), name
