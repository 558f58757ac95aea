"""Loopback HTTP servers that misbehave on purpose (dripping headers or bodies, huge answers),
for the tests of the central client's deadline and size limit."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def serve(script: Callable[[socket.socket, threading.Event], None]) -> Iterator[str]:
    """A one-thread server on 127.0.0.1 running ``script`` for every connection."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                with contextlib.suppress(OSError):
                    conn.recv(65536)  # the request (small)
                    script(conn, stop)

    thread = threading.Thread(target=run, name="drip-server")
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        listener.close()


def drip(data: bytes, every: float) -> Callable[[socket.socket, threading.Event], None]:
    """Send ``data`` a byte at a time, one byte every ``every`` seconds."""

    def script(conn: socket.socket, stop: threading.Event) -> None:
        for i in range(len(data)):
            if stop.wait(every):
                return
            conn.sendall(data[i : i + 1])

    return script


def headers(length: int | None, content_type: str = "application/json") -> bytes:
    """A 200 status line and headers (``Content-Length`` when ``length`` is given)."""
    lines = ["HTTP/1.1 200 OK", f"Content-Type: {content_type}", "Connection: close"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()
