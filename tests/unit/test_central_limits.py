"""The central client's whole-request deadline and answer size cap, against loopback servers
that misbehave on purpose (dripping headers or body, huge answers)."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from http_faults import drip, headers, serve

from desktop.central import CentralClient, CentralError, CentralUnavailableError

BODY = b'{"status": "ok", "version": "1", "time": "2026-12-04T08:00:00Z"}'


def test_a_body_sent_a_byte_at_a_time_ends_at_the_deadline():
    # 64 bytes at 50 ms: about 3 s in all, each read well within the per-read timeout.
    with serve(lambda c, s: (c.sendall(headers(len(BODY))), drip(BODY, 0.05)(c, s))) as url:
        client = CentralClient(url, timeout=1.0)
        try:
            with pytest.raises(CentralUnavailableError) as caught:
                client.call_json("GET", "/v1/health", token=None)
        finally:
            client.close()
    assert caught.value.code == "timeout"


def test_headers_sent_a_byte_at_a_time_end_at_the_deadline():
    answer = headers(len(BODY)) + BODY
    with serve(drip(answer[:80], 0.04)) as url:
        client = CentralClient(url, timeout=1.0)
        try:
            with pytest.raises(CentralUnavailableError) as caught:
                client.call_json("GET", "/v1/health", token=None)
        finally:
            client.close()
    assert caught.value.code == "timeout"


def test_a_too_large_answer_is_refused_whether_announced_or_not():
    big = b"[" + b"0," * 300_000 + b"0]"

    def announced(conn: socket.socket, _stop: threading.Event) -> None:
        conn.sendall(headers(len(big)) + big)

    def unannounced(conn: socket.socket, _stop: threading.Event) -> None:
        conn.sendall(headers(None) + big)

    for script in (announced, unannounced):
        with serve(script) as url:
            client = CentralClient(url, timeout=5.0, max_answer_bytes=100_000)
            try:
                with pytest.raises(CentralError) as caught:
                    client.call_json("GET", "/v1/health", token=None)
            finally:
                client.close()
        assert caught.value.code == "answer_too_large"


def test_an_answer_within_the_limits_still_arrives_and_the_connection_is_reused():
    def fine(conn: socket.socket, _stop: threading.Event) -> None:
        conn.sendall(headers(len(BODY)) + BODY)

    with serve(fine) as url:
        client = CentralClient(url, timeout=2.0, max_answer_bytes=len(BODY))
        try:
            assert client.call_json("GET", "/v1/health", token=None)["status"] == "ok"
            assert client.call_json("GET", "/v1/health", token=None)["status"] == "ok"
        finally:
            client.close()


def test_abort_cuts_a_call_in_flight():
    stalled = threading.Event()

    def stall(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(headers(len(BODY)))
        stalled.set()
        stop.wait(30)

    with serve(stall) as url:
        client = CentralClient(url, timeout=30.0)
        failures: list[BaseException] = []

        def call() -> None:
            try:
                client.call_json("GET", "/v1/health", token=None)
            except CentralError as exc:
                failures.append(exc)

        caller = threading.Thread(target=call)
        caller.start()
        assert stalled.wait(10)
        time.sleep(0.1)  # the client is now blocked reading the body
        client.abort()
        caller.join(10)
        alive = caller.is_alive()
        client.close()
    assert not alive
    assert [getattr(f, "code", None) for f in failures] == ["timeout"]
