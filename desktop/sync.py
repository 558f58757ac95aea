"""The outbox's sync loop: sends queued cases to central as the workstation (design 5 and 6).

One case at a time, oldest first. Status handling:

- 2xx: the case is sent; central's case id is kept for the receipt.
- 401: get a new workstation token and send again; a case is never rejected for 401.
- 403, 409 (same key, another body), 422: rejected with central's reason; the clerk decides.
- network errors, timeouts, 5xx, 429, a malformed answer or an unexpected status: retried after
  a backoff with full jitter, capped; when central gave a Retry-After the wait is that long plus
  a jitter of up to as much again, so desks told the same Retry-After do not all come back in
  the same instant. While
  central is failing the whole loop pauses, not just the one row, so an outage does not turn
  into a burst of requests.

Each row keeps the last error as a stable code (central's refusal code such as
``form_invalid``, or ``network_error``, ``timeout``, ``rate_limited``, ``bad_response``,
``workstation_auth_failed``...), the fields central named and an English detail.
:attr:`SyncLoop.answers` counts what central answered (HTTP status, or the transport error's
code), for ``outbox drain`` and the benchmarks.

The loop runs on its own thread (``outbox-sync``); every database change goes through the
outbox's writer thread. Resending is safe: the idempotency key makes central answer 200 with the
same case for a body it already has.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.central import (
    CentralAuthError,
    CentralClient,
    CentralError,
    CentralUnavailableError,
    safe_code,
    safe_fields,
)
from desktop.contract import CaseView, ErrorBody
from desktop.errors import OutboxError
from desktop.outbox import crash_point

if TYPE_CHECKING:
    from desktop.outbox import ClaimedCase, OutboxService

log = logging.getLogger(__name__)


def answer_mismatch(claimed: ClaimedCase, answer: CaseView) -> str | None:
    """Why central's 2xx answer is not about the case sent (None when it is).

    The answer must name the same local id, service, hall and workstation as the body sent,
    and carry a central id that is a plain token (it goes into the log and the receipt).
    """
    if answer.local_id != claimed.local_id:
        return "the answer names another local id"
    if answer.service != claimed.service:
        return "the answer names another service"
    try:
        sent = json.loads(claimed.body)
    except ValueError:
        sent = {}
    if isinstance(sent, dict):
        for name in ("hall_id", "workstation_id"):
            if name in sent and getattr(answer, name) != sent[name]:
                return f"the answer names another {name}"
    if safe_code(answer.id, "") != answer.id:
        return "the answer's case id is not a plain id"
    return None


class Backoff:
    """Exponential backoff with full jitter: uniform(0, min(cap, base * 2**(n-1))).

    ``floor`` keeps a zero draw from turning into a busy loop. With a Retry-After the delay is
    Retry-After plus a jitter of up to as much again (and no more than the backoff would draw):
    never earlier than central asked, spread out so that desks told the same Retry-After do not
    all come back in the same instant, and not stretched beyond what central asked for by the
    exponential growth meant for a central that says nothing.
    """

    def __init__(
        self,
        base: float = 1.0,
        cap: float = 300.0,
        *,
        floor: float = 0.1,
        rng: Callable[[], float] = random.random,
    ):
        self.base = base
        self.cap = cap
        self.floor = floor
        self._rng = rng

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        """Seconds to wait after the ``failures``-th consecutive failure."""
        ceiling = min(self.cap, self.base * (2 ** min(64, max(0, failures - 1))))
        if retry_after is not None:
            spread = self._rng() * min(ceiling, max(retry_after, self.floor))
            return max(self.floor, retry_after + spread)
        return max(self.floor, self._rng() * ceiling)


class WorkstationAuth:
    """The workstation's bearer token for the outbox, renewed when it expires or on 401."""

    # Renew this long before central's expiry to avoid racing it.
    MARGIN = 30.0

    def __init__(self, client: CentralClient, workstation_id: str, secret: str):
        self._client = client
        self._workstation_id = workstation_id
        self._secret = secret
        self._token: str | None = None
        self._expires = 0.0

    def token(self) -> str:
        """A valid token, signing in again when needed (raises CentralError)."""
        if self._token is None or time.monotonic() >= self._expires:
            answer = self._client.workstation_login(self._workstation_id, self._secret)
            self._token = answer.token
            self._expires = time.monotonic() + max(0.0, answer.expires_in - self.MARGIN)
            log.debug("workstation %s signed in to central", self._workstation_id)
        return self._token

    def invalidate(self) -> None:
        """Forget the token (central answered 401)."""
        self._token = None


class SyncLoop:
    """Sends the outbox's pending cases to central; owns the thread ``outbox-sync``."""

    def __init__(
        self,
        outbox: OutboxService,
        client: CentralClient,
        workstation_id: str,
        workstation_secret: str,
        *,
        backoff: Backoff | None = None,
        idle_poll: float = 30.0,
    ):
        self._outbox = outbox
        self._client = client
        self._auth = WorkstationAuth(client, workstation_id, workstation_secret)
        self.backoff = backoff or Backoff()
        self.idle_poll = idle_poll
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._send_now = threading.Event()
        self._paused_until = 0.0
        self._failures = 0
        self.online: bool | None = None
        #: What central answered, by HTTP status ("201", "429", ...) or transport error code.
        self.answers: Counter[str] = Counter()

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Start the thread."""
        self._thread = threading.Thread(target=self._run, name="outbox-sync")
        self._thread.start()

    def stop(self) -> None:
        """Stop and join; a request in flight is cut (the case stays queued: its idempotency
        key makes the next send safe).

        The loop owns its client: stopping closes it.
        """
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            abort = getattr(self._client, "abort", None)
            while self._thread.is_alive():
                if abort is not None:
                    abort()
                self._thread.join(0.05)
            self._thread = None
        self._client.close()

    def wake(self) -> None:
        """Send now: end any pause and make every pending row due."""
        self._send_now.set()
        self._wake.set()

    def kick(self) -> None:
        """A new case arrived: send it unless the loop is pausing for a failing central."""
        self._wake.set()

    # --- the loop --------------------------------------------------------------------------

    def _wait(self, seconds: float) -> None:
        self._wake.wait(max(0.0, seconds))
        self._wake.clear()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._step()
            except OutboxError as exc:
                if exc.code == "outbox_stopped":
                    break
                log.error("outbox sync: %s", exc.code)
                self._wait(self.backoff.delay(1))
            except Exception:  # the loop must survive anything; the row stays queued
                log.exception("outbox sync failed; retrying later")
                self._wait(self.backoff.delay(1))

    def _step(self) -> None:
        if self._send_now.is_set():
            self._send_now.clear()
            self._paused_until = 0.0
            self._outbox._make_all_due().result()
        now = time.time()
        if self._paused_until > now:
            self._wait(self._paused_until - now)
            return
        claimed = self._outbox._claim_next().result()
        if claimed is None:
            due = self._outbox._next_due().result()
            timeout = self.idle_poll if due is None else min(self.idle_poll, due - time.time())
            self._wait(timeout)
            return
        self._send(claimed)

    def _submit(self, claimed: ClaimedCase) -> tuple[int, CaseView | ErrorBody]:
        token = self._auth.token()
        try:
            return self._submit_once(token, claimed)
        except CentralAuthError:
            # The token expired or central restarted: sign in again and resend once.
            self._auth.invalidate()
            token = self._auth.token()
            return self._submit_once(token, claimed)

    def _submit_once(self, token: str, claimed: ClaimedCase) -> tuple[int, CaseView | ErrorBody]:
        try:
            status, answer = self._client.submit_case(token, claimed.body, claimed.idempotency_key)
        except CentralError as exc:
            self.answers[str(exc.status) if exc.status else exc.code] += 1
            raise
        self.answers[str(status)] += 1
        return status, answer

    def _send(self, claimed: ClaimedCase) -> None:
        local_id = claimed.local_id
        try:
            status, answer = self._submit(claimed)
        except CentralUnavailableError as exc:
            self._set_online(False)
            self._retry(claimed, exc.code, exc.message, exc.retry_after)
            return
        except CentralAuthError as exc:
            # Never reject for 401: the workstation's credentials are an admin problem.
            self._set_online(True)
            log.error("workstation sign-in refused by central (%s); cases stay queued", exc.code)
            self._retry(claimed, "workstation_auth_failed", exc.message, None)
            return
        except CentralError as exc:
            self._set_online(True)
            self._retry(claimed, exc.code, exc.message, None)
            return
        except Exception as exc:
            log.exception("sending case %s failed unexpectedly", local_id)
            self._retry(claimed, "internal_error", type(exc).__name__, None)
            return

        self._set_online(True)
        if isinstance(answer, CaseView):
            mismatch = answer_mismatch(claimed, answer)
            if mismatch is not None:
                # Not an answer about this case: central (or something in between) is wrong.
                # The row stays queued; the idempotency key makes a resend safe.
                log.error("central's answer for case %s does not match it: %s", local_id, mismatch)
                self._retry(claimed, "answer_mismatch", mismatch, None)
                return
            self._failures = 0
            # Test hook: central has committed the case; the row is not marked sent yet.
            crash_point("after_send")
            self._outbox._mark_sent(local_id, answer.id).result()
            return
        self._failures = 0
        # Central's message is free text that may quote the citizen's data: it is neither
        # logged nor stored. The code and the field codes (plain tokens) are kept.
        error = answer.error
        code = safe_code(error.code, f"http_{status}")
        fields = safe_fields(error.fields)
        detail = f"HTTP {status} {code}"
        if fields:
            detail += " [" + ", ".join(f"{k}={v}" for k, v in sorted(fields.items())) + "]"
        self._outbox._mark_rejected(local_id, code, detail, fields).result()

    def _retry(
        self, claimed: ClaimedCase, code: str, message: str, retry_after: float | None
    ) -> None:
        self._failures += 1
        delay = self.backoff.delay(self._failures, retry_after)
        at = time.time() + delay
        self._paused_until = at
        code = safe_code(code, "bad_response")
        log.warning(
            "case %s not sent (attempt %d): %s; retrying in %.1f s",
            claimed.local_id,
            claimed.attempts,
            code,
            delay,
        )
        # Only codes are stored: messages that came from central may hold personal data.
        self._outbox._mark_retry(claimed.local_id, code, code, at).result()

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            log.info("central is %s", "reachable" if online else "unreachable")
            self._outbox._notify("on_network_state", online)
