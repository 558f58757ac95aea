"""The desk's heartbeat: outbox counts and versions sent to central every so often.

``POST /v1/workstations/{id}/heartbeat`` (``docs/api.md``) tells the supervisor's dashboard that
this desk is alive, how many cases wait in its outbox, how old the oldest is, and whether the
desk refuses new cases (the freeze rule of design section 6). The body is a
:class:`desktop.contract.Heartbeat`: counts, ages, versions and flags only, never personal data.

:class:`HeartbeatSender` owns one small thread (``desk-heartbeat``) with its own HTTP client and
workstation token, so a slow or absent central never holds up the outbox, the card or the GUI.
A beat that fails is logged at WARNING once (then at DEBUG until one succeeds again, which is
logged at INFO) and tried again at the next interval; it never raises into the desk.
"""

from __future__ import annotations

import logging
import platform
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

from pydantic import ValidationError

from desktop.central import CentralAuthError, CentralClient, CentralError
from desktop.contract import Heartbeat, HeartbeatAck, OutboxCounts

log = logging.getLogger(__name__)

# How often a desk reports; central calls a desk offline after 300 s without one by default.
DEFAULT_INTERVAL = 60.0
# After an outbox change, report soon, but not more often than this.
MIN_INTERVAL = 5.0
# A heartbeat is small; a central that takes longer than this is treated as unreachable, so
# stopping the desk never waits long for a beat in flight.
HEARTBEAT_TIMEOUT = 5.0


def app_version() -> str:
    """This program's version (the installed distribution's, else the source tree's)."""
    try:
        return metadata.version("hall-counter")
    except metadata.PackageNotFoundError:
        return "0.1.0"


def default_versions() -> dict[str, str]:
    """Versions worth knowing at central: the Python runtime and the operating system."""
    return {"python": platform.python_version(), "os": (platform.system() or "unknown").lower()}


class HeartbeatSender:
    """Sends the desk's heartbeat every ``interval`` seconds on the thread ``desk-heartbeat``.

    ``outbox`` is the desk's :class:`desktop.outbox.OutboxService` (only its cached counts and
    freeze state are read: no I/O); ``client`` is a :class:`CentralClient` the sender owns and
    closes on :meth:`stop`. The first beat goes out right after :meth:`start`; an outbox change
    brings the next one forward (at most one every :data:`MIN_INTERVAL` seconds).
    """

    def __init__(
        self,
        outbox: Any,
        client: CentralClient,
        workstation_id: str,
        workstation_secret: str,
        *,
        interval: float = DEFAULT_INTERVAL,
        min_interval: float = MIN_INTERVAL,
        versions: Callable[[], dict[str, str]] = default_versions,
    ):
        # Imported here: desktop.sync imports the outbox, which is heavy for a unit's needs.
        from desktop.sync import WorkstationAuth

        self._outbox = outbox
        self._client = client
        self.workstation_id = workstation_id
        self._auth = WorkstationAuth(client, workstation_id, workstation_secret)
        self.interval = float(interval)
        self.min_interval = min(float(min_interval), self.interval)
        self._versions = versions
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._failing = False
        #: Beats central acknowledged, and beats that failed, since start (for tests and logs).
        self.sent = 0
        self.failures = 0
        self.last_ack: HeartbeatAck | None = None
        add_listener = getattr(outbox, "add_listener", None)
        if add_listener is not None:
            add_listener(self)

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Start the thread; the first beat goes out at once."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="desk-heartbeat", daemon=True)
        self._thread.start()
        log.info("heartbeat every %.0f s for workstation %s", self.interval, self.workstation_id)

    def stop(self) -> None:
        """Stop and join the thread (a beat in flight ends within the client's timeout)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._client.close()

    @property
    def running(self) -> bool:
        """Whether the thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    # outbox -> heartbeat (outbox threads): report the change soon.
    def on_outbox_changed(self, _counts: dict[str, int]) -> None:
        self._wake.set()

    # --- the beat --------------------------------------------------------------------------

    def body(self) -> Heartbeat:
        """The heartbeat as it would be sent now (no I/O)."""
        counts = self._outbox.counts()
        freeze = self._outbox.freeze_state()
        versions = {}
        try:
            versions = dict(self._versions())
        except Exception:
            log.debug("heartbeat versions unavailable", exc_info=True)
        oldest = freeze.oldest_unsent_seconds
        fields = {
            "sent_at": datetime.now(UTC),
            "app_version": app_version(),
            "outbox": OutboxCounts(**{k: int(counts.get(k, 0)) for k in OutboxCounts.model_fields}),
            "oldest_unsent_seconds": None if oldest is None else round(float(oldest), 1),
            "frozen": bool(freeze.frozen),
            "frozen_reason": freeze.reason if freeze.frozen else None,
        }
        try:
            return Heartbeat(**fields, versions=versions)
        except ValidationError:
            # An odd version string must not cost the desk its heartbeat: send without them.
            log.debug("heartbeat versions refused by the contract; sent without them")
            return Heartbeat(**fields)

    def send_once(self) -> HeartbeatAck | None:
        """Send one heartbeat now, on the calling thread; the ack, or None when it failed.

        Never raises: a failure is logged (WARNING the first time in a row) and counted.
        """
        try:
            body = self.body()
            ack = self._post(body)
        except CentralError as exc:
            self._failed(exc.code)
            return None
        except Exception as exc:  # the desk must not notice a broken heartbeat
            log.debug("heartbeat failed unexpectedly", exc_info=True)
            self._failed(type(exc).__name__)
            return None
        self.sent += 1
        self.last_ack = ack
        if self._failing:
            self._failing = False
            log.info("heartbeat reaches central again")
        log.debug("heartbeat sent: %s unsent, frozen %s", body.outbox.unsent, body.frozen)
        return ack

    def _post(self, body: Heartbeat) -> HeartbeatAck:
        path = f"/v1/workstations/{self.workstation_id}/heartbeat"
        try:
            return self._post_once(path, body)
        except CentralAuthError:
            # The token expired or central restarted: sign in again and send once more.
            self._auth.invalidate()
            return self._post_once(path, body)

    def _post_once(self, path: str, body: Heartbeat) -> HeartbeatAck:
        token = self._auth.token()
        # CentralClient's JSON call, so statuses map to the same errors as every other call.
        return self._client.call_json("POST", path, token=token, model=HeartbeatAck, body=body)

    def _failed(self, code: str) -> None:
        self.failures += 1
        if not self._failing:
            self._failing = True
            log.warning(
                "heartbeat to central failed (%s); the desk goes on and tries again every %.0f s",
                code,
                self.interval,
            )
        else:
            log.debug("heartbeat still failing (%s)", code)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            self.send_once()
            last = time.monotonic()
            # Sleep the interval, or until an outbox change (stop() wakes it too) ...
            self._wake.wait(self.interval)
            if self._stop.is_set():
                break
            # ... but never sooner than min_interval after the last beat.
            early = self.min_interval - (time.monotonic() - last)
            if early > 0:
                self._stop.wait(early)
