"""A tiny scripted central on 127.0.0.1 for the statuses the sandbox does not produce on its own
(401 on a stale token, 429 with Retry-After, 5xx, malformed bodies, hangs).

Imported by the sync and central-client tests; holds no tests itself.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    body: bytes | dict | list | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def payload(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode()


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


def case_view(local_id: str, central_id: str = "C-1") -> dict[str, Any]:
    return {
        "id": central_id,
        "local_id": local_id,
        "service": "unemployment_benefit",
        "status": "received",
        "hall_id": "H0001",
        "workstation_id": "W01",
        "clerk": "clerk01",
        "received_at": "2026-12-04T08:00:00Z",
        "route": [{"department": "employment_center", "status": "waiting"}],
    }


def error(code: str, message: str = "", fields: dict | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message or code, "fields": fields or {}}}


class ScriptedCentral:
    """Answers each (method, path) from a list of replies; the last reply repeats.

    ``POST /v1/auth/workstation`` answers a fresh token by default (``tok-1``, ``tok-2``...).
    A reply whose body is callable gets the request and returns a Reply.
    """

    def __init__(self):
        self.replies: dict[tuple[str, str], list] = defaultdict(list)
        self.seen: list[Seen] = []
        self.tokens_issued = 0
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                seen = Seen(self.command, self.path, dict(self.headers.items()), body)
                reply = owner._reply_for(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.payload()
                try:
                    self.send_response(reply.status)
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    if payload and "Content-Type" not in reply.headers:
                        self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, name="scripted"
        )

    def script(self, method: str, path: str, *replies) -> None:
        with self._lock:
            self.replies[(method, path)] = list(replies)

    def requests_to(self, method: str, path: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.method == method and s.path == path]

    def _reply_for(self, seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            queue = self.replies.get((seen.method, seen.path))
            if not queue:
                if (seen.method, seen.path) == ("POST", "/v1/auth/workstation"):
                    self.tokens_issued += 1
                    return Reply(
                        200,
                        {
                            "token": f"tok-{self.tokens_issued}",
                            "workstation_id": "W01",
                            "hall_id": "H0001",
                            "expires_in": 3600,
                        },
                    )
                return Reply(404, error("not_found"))
            reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if callable(reply):
            return reply(seen)
        return reply

    def __enter__(self) -> ScriptedCentral:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join()
