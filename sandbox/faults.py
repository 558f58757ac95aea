"""Fault injection: the sandbox misbehaving on purpose, so the desk's retry paths can be tested.

A :class:`~desktop.contract.FaultSpec` says what to inject; ``--faults`` writes it as
comma-separated ``name=value`` items (:func:`parse_faults`). :class:`FaultInjector` holds the spec
in force (``PUT /v1/admin/faults`` replaces it at run time) with its random draws and rate
limiter, and :class:`FaultMiddleware` applies it to each request, in this order:

1. ``rate_limit``: a token bucket over all clients; beyond it 429 ``rate_limited`` with
   ``Retry-After``.
2. ``delay_ms``: the answer waits that long (without blocking other requests).
3. ``error_rate``: that share of requests is answered 503 ``fault_injected`` unprocessed.
4. ``drop_after_commit``: that share of case submissions that stored a new case (201) gets no
   answer at all: the connection is cut after the commit, so the case exists while the desk
   saw a network error. A replay (200) is always answered.

Faults apply to ``/v1/`` paths except ``/v1/health`` and ``/v1/admin/`` (the tools that switch
faults off again must keep working).
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desktop.contract import ErrorBody, ErrorDetail, FaultSpec

log = logging.getLogger(__name__)

# The spec's items, in the order ``format_faults`` writes them.
FAULT_ITEMS = ("error_rate", "delay_ms", "rate_limit", "drop_after_commit", "seed")


class FaultSpecError(ValueError):
    """A ``--faults`` text that cannot be used; the message names the item."""

    def __init__(self, item: str, problem: str) -> None:
        super().__init__(f"fault item {item!r}: {problem}")
        self.item = item
        self.problem = problem


def parse_faults(text: str | None) -> FaultSpec:
    """Parse ``error_rate=0.2,delay_ms=300,seed=7`` into a :class:`FaultSpec`.

    Blanks around items, names and values are ignored; an empty text means no faults. Raises
    :class:`FaultSpecError` naming the first bad item (unknown name, missing ``=``, repeated
    name, value of the wrong type or out of range).
    """
    values: dict[str, str] = {}
    items: dict[str, str] = {}
    for raw in (text or "").split(","):
        item = raw.strip()
        if not item:
            continue
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise FaultSpecError(item, "expected name=value")
        if name not in FAULT_ITEMS:
            raise FaultSpecError(item, f"unknown fault; known: {', '.join(FAULT_ITEMS)}")
        if name in values:
            raise FaultSpecError(item, "given twice")
        values[name] = value
        items[name] = item
    try:
        return FaultSpec.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error.get("loc") else ""
        raise FaultSpecError(items.get(name, text or ""), error["msg"]) from None


def format_faults(spec: FaultSpec) -> str:
    """The spec in ``--faults`` form, only the items that are set (``"none"`` when empty)."""
    defaults = FaultSpec()
    parts = [
        f"{name}={getattr(spec, name)}"
        for name in FAULT_ITEMS
        if getattr(spec, name) != getattr(defaults, name)
    ]
    return ",".join(parts) or "none"


class TokenBucket:
    """``rate`` requests per second with bursts of up to ``max(1, rate)``; not thread-safe.

    ``clock`` (monotonic seconds) is injectable for tests.
    """

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate)
        self._clock = clock
        self._tokens = self.capacity
        self._last = clock()

    def take(self) -> float | None:
        """Take one token: None when allowed, else the seconds until one is available."""
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return None
        return (1.0 - self._tokens) / self.rate


class FaultInjector:
    """The fault spec in force, its random draws and its rate limiter; thread-safe.

    With ``spec.seed`` each kind of draw has its own random stream seeded from it, so the
    error pattern does not depend on how many drops were drawn, and every :meth:`set` starts
    the streams again.
    """

    def __init__(
        self, spec: FaultSpec | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self.set(spec or FaultSpec())

    @property
    def spec(self) -> FaultSpec:
        """The spec in force."""
        with self._lock:
            return self._spec

    def set(self, spec: FaultSpec) -> None:
        """Replace the spec; random streams and the rate limiter start afresh."""
        with self._lock:
            self._spec = spec
            seed = spec.seed
            self._errors = random.Random(None if seed is None else f"{seed}/error")
            self._drops = random.Random(None if seed is None else f"{seed}/drop")
            self._bucket = TokenBucket(spec.rate_limit, self._clock) if spec.rate_limit else None
        if spec.active:
            log.warning("fault injection on: %s", format_faults(spec))
        else:
            log.info("fault injection off")

    def admit(self) -> float | None:
        """The rate limit: None when the request may go on, else seconds to wait."""
        with self._lock:
            return None if self._bucket is None else self._bucket.take()

    def delay(self) -> float:
        """Seconds to hold the answer back."""
        return self.spec.delay_ms / 1000.0

    def fail(self) -> bool:
        """Whether to answer this request 503 (draws only when the rate is set)."""
        with self._lock:
            rate = self._spec.error_rate
            return rate > 0 and self._errors.random() < rate

    def drop(self) -> bool:
        """Whether to cut the connection instead of answering a stored case."""
        with self._lock:
            rate = self._spec.drop_after_commit
            return rate > 0 and self._drops.random() < rate


def applies_to(path: str) -> bool:
    """Whether faults apply to a request path (see the module docstring)."""
    return path.startswith("/v1/") and path != "/v1/health" and not path.startswith("/v1/admin/")


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    body = ErrorBody(error=ErrorDetail(code=code, message=message)).model_dump(mode="json")
    return JSONResponse(body, status_code=status, headers=headers)


def _transport(receive: Receive) -> Any:
    # uvicorn hands the app its request cycle's bound ``receive``; the cycle holds the
    # connection's transport. No ASGI message can cut a connection without an answer.
    cycle = getattr(receive, "__self__", None)
    return getattr(cycle, "transport", None)


class FaultMiddleware:
    """Applies the :class:`FaultInjector` of ``injector`` to each HTTP request."""

    def __init__(self, app: ASGIApp, injector: FaultInjector) -> None:
        self.app = app
        self.injector = injector

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not applies_to(scope["path"]):
            await self.app(scope, receive, send)
            return
        injector = self.injector

        wait = injector.admit()
        if wait is not None:
            retry_after = {"Retry-After": str(max(1, math.ceil(wait)))}
            answer = _error(429, "rate_limited", "too many requests", retry_after)
            await answer(scope, receive, send)
            return

        delay = injector.delay()
        if delay > 0:
            await asyncio.sleep(delay)

        if injector.fail():
            answer = _error(503, "fault_injected", "central is unavailable (injected fault)")
            await answer(scope, receive, send)
            return

        if scope["method"] != "POST" or scope["path"] != "/v1/cases":
            await self.app(scope, receive, send)
            return

        dropped = False

        async def send_or_drop(message: Message) -> None:
            nonlocal dropped
            if message["type"] == "http.response.start" and message["status"] == 201:
                transport = _transport(receive)
                if transport is not None and injector.drop():
                    dropped = True
                    log.warning("fault: case stored, connection cut instead of the answer")
                    transport.abort()
                elif transport is None and injector.spec.drop_after_commit:
                    log.warning("fault: cannot reach the connection to cut it; answering")
            if not dropped:
                await send(message)

        await self.app(scope, receive, send_or_drop)
        if dropped:
            # Let the server see the connection lost before the app returns, so it does not
            # try to answer 500 for a response never started.
            for _ in range(3):
                await asyncio.sleep(0)


__all__ = [
    "FAULT_ITEMS",
    "FaultInjector",
    "FaultMiddleware",
    "FaultSpec",
    "FaultSpecError",
    "TokenBucket",
    "applies_to",
    "format_faults",
    "parse_faults",
]
