"""The hall's approval inbox at the desk, and the calls behind it (design 5 and 7).

Two ways to approve a case that needs a second person:

- **co-sign at the clerk's desk** (:meth:`desktop.desk.Desk.cosign`): a supervisor signs in on
  the same workstation; the co-signature travels inside the case and works offline. Central
  checks it again when the case arrives;
- **the inbox** (this module): a supervisor at any desk lists the hall's pending approvals
  (``GET /v1/approvals``), sees new ones as they arrive (:class:`ApprovalWatcher`, a long poll
  on the inbox's version) and decides (``POST /v1/cases/{id}/approvals``). The first decision
  wins; stages are decided in order; nobody decides a case they made, a stage without its role,
  or two stages of one case.

:func:`decision_error` turns central's refusals into the desk's codes (``self_approval``,
``role_required``, ``approver_repeated``, ``approval_decided``, ``approval_out_of_order``,
``not_awaiting_approval``, ``case_not_found``).

:func:`unlisted_local_alerts` tells which of this desk's own alerts central does not list yet,
so that an alert shows once in the alerts view.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from desktop.contract import (
    Alert,
    AlertList,
    ApprovalDecisionRequest,
    ApprovalInbox,
    ApprovalResult,
)
from desktop.errors import DeskError

log = logging.getLogger(__name__)

# How long one inbox request waits at central for a change (the watcher's stop waits at most
# about this long for a request in flight).
WATCH_WAIT_SECONDS = 3.0

DECISION_CODES = (
    "self_approval",
    "role_required",
    "approver_repeated",
    "approval_decided",
    "approval_out_of_order",
    "not_awaiting_approval",
    "case_not_found",
    "forbidden",
)


def _get(client: Any, path: str, token: str, model: type) -> Any:
    # CentralClient's JSON call, so statuses map to the usual errors.
    return client.call_json("GET", path, token=token, model=model)


def fetch_inbox(
    client: Any, token: str, hall_id: str, *, after: int | None = None, wait: float = 0.0
) -> ApprovalInbox:
    """The hall's approval inbox; with ``after`` and ``wait``, after the next change."""
    path = f"/v1/approvals?hall={quote(hall_id)}"
    if after is not None:
        path += f"&after={int(after)}&wait={wait:g}"
    return _get(client, path, token, ApprovalInbox)


def post_decision(
    client: Any, token: str, case_id: str, decision: ApprovalDecisionRequest
) -> ApprovalResult:
    """A decision on one stage of a case."""
    if not case_id or "/" in case_id or "?" in case_id:
        raise ValueError("case_id is not a plain id")
    return client.call_json(
        "POST", f"/v1/cases/{case_id}/approvals", token=token, model=ApprovalResult, body=decision
    )


def fetch_alerts(client: Any, token: str, hall_id: str, *, since: int = 0) -> AlertList:
    """The hall's alerts newer than ``since``, newest first."""
    return _get(client, f"/v1/alerts?hall={quote(hall_id)}&since={int(since)}", token, AlertList)


# An alert central raises on its own for this desk is taken for the desk's copy when it is
# dated at most this long before the desk's (the two clocks differ a little).
ALERT_CLOCK_SKEW = timedelta(minutes=5)


def unlisted_local_alerts(
    central: Sequence[Alert], local: Sequence[dict[str, Any]], workstation_id: str
) -> list[dict[str, Any]]:
    """The alerts raised at this desk (the dicts of ``Guard.alert``) that central does not list.

    Central lists a desk's alert in one of two ways: as its copy of the desk's audit record
    (``source`` ``desk``, ``detail.audit_seq`` the record's number), or, for an alert central
    raises on its own from what it receives (``central_raises``), as its own alert of the same
    kind and subject for this desk, about the same case when the desk knew the case. Each
    central alert stands for one local alert at most.
    """
    mine = [alert for alert in central if alert.workstation_id == workstation_id]
    used: set[int] = set()
    unlisted = []
    for alert in local:
        match = next((c for c in mine if c.id not in used and _same_alert(c, alert)), None)
        if match is None:
            unlisted.append(alert)
        else:
            used.add(match.id)
    return unlisted


def _same_alert(listed: Alert, alert: dict[str, Any]) -> bool:
    if listed.kind != alert.get("kind"):
        return False
    if not alert.get("central_raises"):
        seq = alert.get("audit_seq")
        return listed.source == "desk" and seq is not None and listed.detail.get("audit_seq") == seq
    if listed.source != "central" or listed.subject != alert.get("subject"):
        return False
    if alert.get("case_id") is not None:
        return listed.detail.get("case_id") == alert["case_id"]
    raised = alert.get("at")
    if not isinstance(raised, datetime):
        return True
    at = listed.at if listed.at.tzinfo is not None else listed.at.replace(tzinfo=UTC)
    return at >= raised - ALERT_CLOCK_SKEW


def decision_error(exc: Exception) -> DeskError:
    """Central's refusal of a decision as a DeskError with the matching code."""
    code = getattr(exc, "code", "central_error")
    status = getattr(exc, "status", None)
    if code in DECISION_CODES:
        return DeskError(code, getattr(exc, "message", code), fields=getattr(exc, "fields", {}))
    if status == 404:
        return DeskError("case_not_found", code)
    return DeskError("central_error", code)


class ApprovalWatcher:
    """Keeps a supervisor's view of the inbox fresh; owns the thread ``approvals-watch``.

    Each round asks central for the inbox after the version last seen, waiting up to
    ``wait`` seconds there for a change, and calls ``on_change(inbox)`` (on this thread) when
    the version moved. ``token`` is called each round for the staff member's current token
    (None stops the watcher). ``client`` is a CentralClient of its own (a long poll must not
    hold the desk's client), closed on :meth:`stop`.
    """

    def __init__(
        self,
        client: Any,
        token: Callable[[], str | None],
        hall_id: str,
        on_change: Callable[[ApprovalInbox], None],
        *,
        on_error: Callable[[str], None] | None = None,
        wait: float = WATCH_WAIT_SECONDS,
    ):
        self._client = client
        self._token = token
        self.hall_id = hall_id
        self._on_change = on_change
        self._on_error = on_error
        self.wait = wait
        self.version: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread; the first round fetches the inbox at once."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="approvals-watch")
        self._thread.start()

    def stop(self, *, join: bool = True) -> None:
        """Ask the thread to stop; with ``join``, wait for it and close the client.

        A request in flight ends within ``wait`` seconds. Without ``join`` the call returns at
        once (sign-out and lock run on the GUI thread) and the thread closes its client as it
        ends; :meth:`join` waits for that later.
        """
        self._stop.set()
        if join:
            self.join()

    def join(self) -> None:
        """Wait for a stopped thread to end, then close the client."""
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        self._client.close()

    @property
    def running(self) -> bool:
        """Whether the thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        try:
            self._watch()
        finally:
            if self._stop.is_set():
                self._client.close()

    def _watch(self) -> None:
        failures = 0
        while not self._stop.is_set():
            token = self._token()
            if token is None:
                log.info("approval watcher stops: no supervisor token")
                return
            try:
                inbox = fetch_inbox(
                    self._client, token, self.hall_id, after=self.version, wait=self.wait
                )
            except Exception as exc:
                failures += 1
                code = getattr(exc, "code", type(exc).__name__)
                if failures == 1:
                    log.warning("approval inbox unavailable (%s)", code)
                if self._on_error is not None:
                    self._on_error(code)
                self._stop.wait(min(30.0, 0.5 * 2 ** min(failures, 6)))
                continue
            failures = 0
            if inbox.version != self.version:
                self.version = inbox.version
                try:
                    self._on_change(inbox)
                except Exception:
                    log.exception("approval inbox listener failed")
