"""Serving the sandbox: an embeddable server for training mode and tests, and ``run()``.

:class:`EmbeddedSandbox` runs uvicorn on a daemon thread with a socket it bound itself, so with
port 0 the real port is known before serving starts; ``start()`` returns once uvicorn accepts
requests, ``stop()`` shuts it down and joins. ``run()`` is the ``hall-counter sandbox`` command:
the same server, a ``listening`` line on stdout, and a clean exit on SIGINT or SIGTERM.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from desktop.contract import FaultSpec
from desktop.resources import resource_path

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
_START_TIMEOUT = 30.0
_STOP_TIMEOUT = 15.0
_GRACE = 1.0


def default_seed_path() -> Path:
    """The bundled training seed."""
    return resource_path("sandbox", "seed.json")


class SandboxError(Exception):
    """The sandbox could not start (bad seed, address in use, …)."""


class EmbeddedSandbox:
    """The sandbox served by uvicorn on a thread of this process.

    ``db_path`` is the SQLite file (created if missing); ``seed_path`` defaults to the bundled
    training seed. With ``tls`` a self-signed CA and server certificate are made beside the
    database (see :mod:`sandbox.tls`) and ``tls_files.ca_cert`` is what clients should trust.
    ``faults`` are injected from the start (:meth:`set_faults` changes them while running).
    ``history_days`` > 0 replaces the generated history with ``history_cases`` cases (default
    120 a day) over that many days, ``slow_department`` the bottleneck (see
    :mod:`sandbox.history`).
    """

    def __init__(
        self,
        db_path: Path,
        seed_path: Path | None = None,
        host: str = DEFAULT_HOST,
        port: int = 0,
        *,
        advance_seconds: float = 30.0,
        tls: bool = False,
        faults: FaultSpec | None = None,
        history_days: int = 0,
        history_cases: int | None = None,
        history_seed: int | None = None,
        slow_department: str | None = "social_insurance",
    ) -> None:
        self.db_path = Path(db_path)
        self.seed_path = Path(seed_path) if seed_path is not None else default_seed_path()
        self.host = host
        self.port = port
        self.advance_seconds = advance_seconds
        self.tls = tls
        self.faults = faults or FaultSpec()
        self.history_days = history_days
        self.history_cases = history_cases
        self.history_seed = history_seed
        self.slow_department = slow_department
        self.tls_files = None
        self.url: str | None = None
        self._server = None
        self._app = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    def __enter__(self) -> EmbeddedSandbox:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """Whether the server thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> str:
        """Seed, bind and serve; returns the base URL once requests are accepted.

        Raises :class:`SandboxError` (bad seed, address in use, server failed to start).
        """
        if self._thread is not None:
            raise SandboxError("the sandbox is already running")
        from sandbox.app import create_app
        from sandbox.history import HistoryError
        from sandbox.seed import SeedError

        try:
            self._app = create_app(
                self.db_path,
                self.seed_path,
                advance_seconds=self.advance_seconds,
                faults=self.faults,
                history_days=self.history_days,
                history_cases=self.history_cases,
                history_seed=self.history_seed,
                slow_department=self.slow_department,
            )
        except (SeedError, HistoryError) as exc:
            raise SandboxError(str(exc)) from exc
        try:
            port = self._serve()
        except BaseException:
            self.stop()
            raise

        scheme = "https" if self.tls else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"{scheme}://{host}:{port}"
        log.info("sandbox listening on port %s", port)
        return self.url

    def set_faults(self, faults: FaultSpec) -> None:
        """Change the injected faults; takes effect with the next request (any thread)."""
        self.faults = faults
        if self._app is not None:
            self._app.state.faults.set(faults)

    def _serve(self) -> int:
        import uvicorn

        ssl_options = {}
        if self.tls:
            from sandbox.tls import ensure_certificate

            self.tls_files = ensure_certificate(self.db_path.parent, self.host)
            ssl_options = {
                "ssl_certfile": str(self.tls_files.server_cert),
                "ssl_keyfile": str(self.tls_files.server_key),
            }

        self._socket = self._bind()
        config = uvicorn.Config(
            self._app,
            log_level="warning",
            log_config=None,
            access_log=False,  # our own access log leaves out paths' values and bodies
            lifespan="on",
            timeout_graceful_shutdown=5,
            server_header=False,
            **ssl_options,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name="sandbox-server",
            daemon=True,
        )
        self._thread.start()

        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise SandboxError("the sandbox server did not start")
            time.sleep(0.01)
        return self._socket.getsockname()[1]

    def _abort_connections(self) -> None:
        server, app = self._server, self._app
        loop = getattr(app.state, "loop", None) if app is not None else None
        if server is None or loop is None or loop.is_closed():
            return

        def abort() -> None:
            for connection in list(server.server_state.connections):
                transport = getattr(connection, "transport", None)
                if transport is not None:
                    transport.abort()

        log.debug("cutting idle connections to stop the sandbox server")
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(abort)

    def _bind(self) -> socket.socket:
        try:
            address = ipaddress.ip_address(self.host)
        except ValueError:
            family = socket.AF_INET
        else:
            family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
            if not address.is_loopback:
                log.warning("the sandbox is bound to a non-loopback address")
        # IPPROTO_TCP spelled out: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose
        # proto says TCP, and an accepted socket inherits proto 0 otherwise. With Nagle on, a
        # response written as headers then body waits ~40 ms for the client's delayed ACK on
        # every keep-alive request.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.listen(128)
        except OSError as exc:
            sock.close()
            raise SandboxError(f"cannot listen on {self.host}:{self.port}: {exc.strerror}") from exc
        return sock

    def stop(self) -> None:
        """Shut the server down (lifespan shutdown included) and join its thread."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=_GRACE)
            if self._thread.is_alive():
                # Idle keep-alive connections hold uvicorn's graceful shutdown (a TLS one waits
                # for the client's close_notify): cut them, so the lifespan shutdown still runs.
                self._abort_connections()
                self._thread.join(timeout=_STOP_TIMEOUT)
            if self._thread.is_alive() and self._server is not None:
                self._server.force_exit = True
                self._thread.join(timeout=_STOP_TIMEOUT)
            if self._thread.is_alive():
                log.error("the sandbox server did not stop in time")
        if self._app is not None:
            self._app.state.close()
        if self._socket is not None:
            self._socket.close()
        self._app = None
        self._server = None
        self._thread = None
        self._socket = None
        self.url = None


def run(
    host: str = DEFAULT_HOST,
    port: int = 0,
    db: Path | None = None,
    seed: Path | None = None,
    tls: bool = False,
    *,
    advance_seconds: float = 30.0,
    faults: FaultSpec | None = None,
    history_days: int = 0,
    history_cases: int | None = None,
    out: TextIO | None = None,
) -> int:
    """Serve until SIGINT or SIGTERM; prints one ``listening`` JSON line when ready.

    Must run on the main thread (it installs signal handlers). Returns the exit code; raises
    :class:`SandboxError` when the sandbox cannot start.
    """
    if db is None:
        raise SandboxError("no database path given")
    out = out or sys.stdout
    stop = threading.Event()

    def _on_signal(_signum: int, _frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    sandbox = EmbeddedSandbox(
        db,
        seed,
        host,
        port,
        advance_seconds=advance_seconds,
        tls=tls,
        faults=faults,
        history_days=history_days,
        history_cases=history_cases,
    )
    try:
        url = sandbox.start()
        event: dict[str, str] = {"event": "listening", "url": url}
        if sandbox.tls_files is not None:
            event["cert"] = str(sandbox.tls_files.ca_cert)
        if sandbox.faults.active:
            from sandbox.faults import format_faults

            event["faults"] = format_faults(sandbox.faults)
        print(json.dumps(event), file=out, flush=True)
        while not stop.wait(0.5):
            if not sandbox.running:
                log.error("the sandbox server stopped on its own")
                return 1
        log.info("sandbox stopping on signal")
        return 0
    finally:
        sandbox.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
