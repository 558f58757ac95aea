"""The client of central's API (v1, design section 5) over one ``requests.Session``.

Every call raises from one family:

- :class:`CentralUnavailableError` (retryable): network errors, timeouts, 5xx, 429 (with
  ``retry_after`` when the server said so);
- :class:`CentralAuthError`: 401, the token or the credentials were not accepted;
- :class:`CentralRejectedError` (permanent): 403, 409, 422 and other refusals, with central's
  ``code``, ``message`` and ``fields``;
- :class:`CentralError` itself for anything else, e.g. ``bad_response`` when a body does not
  parse or does not match the contract, ``unexpected_status`` for a status the contract does
  not give. Callers treat those like retryable errors: nothing is lost by trying again later.

Tokens, passwords and ID numbers never go to the log; no ID number ever goes into a URL.
"""

from __future__ import annotations

import contextlib
import email.utils
import heapq
import json
import logging
import re
import socket
import threading
import time
import unicodedata
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any, TypeVar

import requests
import requests.adapters
import urllib3
import urllib3.connection
import urllib3.exceptions
from pydantic import BaseModel, ValidationError

from desktop.contract import (
    IDEMPOTENCY_HEADER,
    CaseList,
    CaseSubmission,
    CaseView,
    ErrorBody,
    LoginRequest,
    LoginResponse,
    PersonLookupRequest,
    PersonLookupResponse,
    Service,
    WorkstationLoginRequest,
    WorkstationLoginResponse,
    canonical_json,
    parse_services,
)

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

# What central's text may look like once it is logged or stored: codes and ids are short
# plain tokens; anything else is replaced, never echoed.
_CODE = re.compile(r"[A-Za-z0-9_.:\-]{1,64}")
_FIELD_NAME = re.compile(r"[A-Za-z0-9_.\-\[\]]{1,100}")
MAX_ERROR_FIELDS = 50
MAX_MESSAGE_CHARS = 200


def safe_code(value: Any, fallback: str) -> str:
    """``value`` when it is a short plain token (letters, digits, ``_.:-``), else ``fallback``."""
    if isinstance(value, str) and _CODE.fullmatch(value):
        return value
    return fallback


def safe_text(value: Any, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``value`` without control characters (line breaks included), at most ``limit`` chars."""
    text = value if isinstance(value, str) else str(value)
    cleaned = "".join(
        " " if unicodedata.category(ch).startswith("C") else ch for ch in text[: limit * 2]
    )
    return cleaned[:limit]


def safe_fields(fields: Any) -> dict[str, str]:
    """Central's per-field codes, bounded: names and codes as plain tokens (else dropped or
    ``invalid``), at most :data:`MAX_ERROR_FIELDS`. Free text never passes."""
    out: dict[str, str] = {}
    if not isinstance(fields, dict):
        return out
    for name, code in fields.items():
        if len(out) >= MAX_ERROR_FIELDS:
            break
        if isinstance(name, str) and _FIELD_NAME.fullmatch(name):
            out[name] = safe_code(code, "invalid")
    return out


# Reference photos are small JPEG/PNG files; anything bigger is refused.
MAX_FACE_BYTES = 8 * 1024 * 1024
# The largest answer read from central (after decompression); a bigger one is refused unread.
MAX_ANSWER_BYTES = 16 * 1024 * 1024
_CHUNK = 64 * 1024
# A Retry-After beyond this is capped; the outbox retries at least this often.
MAX_RETRY_AFTER = 3600.0


class CentralError(Exception):
    """A call to central failed; ``code`` is stable, ``status`` the HTTP status if any."""

    retryable = True

    def __init__(
        self,
        code: str,
        message: str = "",
        *,
        status: int | None = None,
        fields: dict[str, str] | None = None,
    ):
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message or code
        self.status = status
        self.fields: dict[str, str] = dict(fields or {})


class CentralUnavailableError(CentralError):
    """Central cannot be reached or is overloaded; try again later (after ``retry_after``)."""

    def __init__(self, code: str, message: str = "", *, status=None, retry_after=None):
        super().__init__(code, message, status=status)
        self.retry_after: float | None = retry_after


class CentralAuthError(CentralError):
    """401: the token expired or the credentials were not accepted."""


class CentralRejectedError(CentralError):
    """Central refused the request for good (403, 409, 422, ...): do not resend as is."""

    retryable = False


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date), capped; None if absent."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = when.timestamp() - (now if now is not None else time.time())
    if seconds != seconds:  # NaN
        return None
    return max(0.0, min(seconds, MAX_RETRY_AFTER))


def _shut(sock: Any) -> None:
    if sock is not None:
        with contextlib.suppress(OSError, ValueError):
            sock.shutdown(socket.SHUT_RDWR)


class _Watch:
    """The sockets one request uses; :meth:`fire` shuts them so that a blocked read ends.

    http.client drops a connection's ``sock`` once the answer says ``Connection: close``
    while the answer still reads from it, so the sockets themselves are kept.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._socks: list[Any] = []
        self.fired = False
        self.done = False

    def attach(self, sock: Any) -> None:
        if sock is None:
            return
        with self._lock:
            self._socks.append(sock)
            fired = self.fired
        if fired:
            _shut(sock)

    def fire(self) -> None:
        with self._lock:
            self.fired = True
            socks = list(self._socks)
        for sock in socks:
            _shut(sock)


_current = threading.local()


class _WatchedMixin:
    """Hands the connection's socket to the calling thread's request watch (see CentralClient)."""

    sock: Any

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self._hand_to_watch()

    def request(self, *args: Any, **kwargs: Any) -> None:
        self._hand_to_watch()  # a kept-alive connection: connect() is not called
        super().request(*args, **kwargs)  # type: ignore[misc]

    def _hand_to_watch(self) -> None:
        watch = getattr(_current, "watch", None)
        if watch is not None:
            watch.attach(self.sock)


class _WatchedHTTPConnection(_WatchedMixin, urllib3.connection.HTTPConnection):
    """A plain HTTP connection the request watch can cut."""


class _WatchedHTTPSConnection(_WatchedMixin, urllib3.connection.HTTPSConnection):
    """A TLS connection the request watch can cut."""


class _WatchedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_WATCHED_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class _WatchedAdapter(requests.adapters.HTTPAdapter):
    """An HTTPAdapter whose connections a request's watchdog can shut."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_WATCHED_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = dict(_WATCHED_POOLS)
        return manager


def watched_session() -> requests.Session:
    """A requests Session whose connections :func:`deadline` can shut (environment ignored)."""
    session = requests.Session()
    adapter = _WatchedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.trust_env = False
    return session


class _Watchdog:
    """One thread that fires the watches whose deadline has passed.

    Started on demand and ending after a moment without work (:attr:`IDLE` seconds), so that
    a desk sending case after case does not start a thread per request and an idle one keeps
    none.
    """

    IDLE = 0.1

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Watch]] = []
        self._seq = 0
        self._thread: threading.Thread | None = None

    def add(self, at: float, watch: _Watch) -> None:
        with self._cond:
            self._seq += 1
            heapq.heappush(self._heap, (at, self._seq, watch))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="central-watchdog", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def remove(self, watch: _Watch) -> None:
        with self._cond:
            watch.done = True
            self._cond.notify()

    def _run(self) -> None:
        idle_since = time.monotonic()
        with self._cond:
            while True:
                now = time.monotonic()
                while self._heap and (self._heap[0][2].done or self._heap[0][0] <= now):
                    _, _, watch = heapq.heappop(self._heap)
                    if not watch.done:
                        watch.fire()  # shutdown() returns at once
                if self._heap:
                    idle_since = now
                    self._cond.wait(self._heap[0][0] - now)
                elif now - idle_since >= self.IDLE:
                    self._thread = None
                    return
                else:
                    self._cond.wait(self.IDLE - (now - idle_since))


_WATCHDOG = _Watchdog()


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[_Watch]:
    """Bound the requests this thread makes on a :func:`watched_session` inside the block to
    ``seconds`` in all: at the deadline their connections are shut, so that a blocked read
    ends (with an error, or with a short body: check ``watch.fired``)."""
    watch = _Watch()
    previous = getattr(_current, "watch", None)
    _current.watch = watch
    _WATCHDOG.add(time.monotonic() + seconds, watch)
    try:
        yield watch
    finally:
        _WATCHDOG.remove(watch)
        _current.watch = previous


def read_bounded(response: requests.Response, cap: int, what: str = "answer") -> bytes:
    """Read a streamed response's body, refusing more than ``cap`` bytes (CentralError
    ``answer_too_large``); the body is kept as ``response.content`` too."""
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.strip().isdigit() and int(declared) > cap:
        response.close()
        log.warning("central's %s announces %s bytes; refused", what, declared)
        raise CentralError(
            "answer_too_large",
            f"central's answer is larger than {cap} bytes",
            status=response.status_code,
        )
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_content(_CHUNK):
        total += len(chunk)
        if total > cap:
            response.close()
            log.warning("central's %s exceeds %d bytes; refused", what, cap)
            raise CentralError(
                "answer_too_large",
                f"central's answer is larger than {cap} bytes",
                status=response.status_code,
            )
        chunks.append(chunk)
    # As requests does for an answer it reads itself; the connection goes back to the pool.
    response._content = b"".join(chunks)
    response._content_consumed = True
    return response._content


class CentralClient:
    """Talks to central over HTTPS, verified against the configured CA bundle.

    Every call has one deadline for the whole request (``timeout`` seconds from the start:
    connecting, sending, the headers and the whole body), not a limit per read: a central that
    answers a byte at a time is cut off at the deadline by a watchdog that shuts the
    connection. Answers larger than ``max_answer_bytes`` are refused without being read
    further. Both end as CentralUnavailableError (``timeout``) or CentralError
    (``answer_too_large``); :meth:`abort` cuts the call in flight (a stopping desk).

    TLS and proxy settings are the desk's configuration and nothing else:

    - ``ca_bundle``: the CA certificates (PEM) central's certificate must chain to; None means
      the CA store that ships with requests (certifi). It is passed with every request, so
      ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` can neither replace nor widen it;
    - ``client_cert`` / ``client_key``: the desk's certificate and key (PEM) for mutual TLS
      when central asks for one (the key may also be inside ``client_cert``);
    - ``proxy``: an explicit ``http://host:port`` proxy for every call to central, or None for
      a direct connection. The session does not trust the environment (``trust_env`` is off):
      ``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY``, ``NO_PROXY`` and ``~/.netrc`` are ignored,
      so what a desk does follows its configuration file alone.

    Thread-safe in the sense the desk needs: each call is independent and the session's
    connection pool is shared; callers keep their own tokens.
    """

    def __init__(
        self,
        base_url: str,
        *,
        ca_bundle: Path | str | None = None,
        client_cert: Path | str | None = None,
        client_key: Path | str | None = None,
        proxy: str | None = None,
        timeout: float = 10.0,
        connect_timeout: float = 5.0,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
    ):
        if client_key and not client_cert:
            raise ValueError("client_key needs client_cert")
        if not timeout > 0:
            raise ValueError("timeout must be positive")
        self.base_url = base_url.rstrip("/")
        self.timeout = (min(connect_timeout, timeout), timeout)
        #: Seconds one call may take from start to the last byte of the answer.
        self.deadline = float(timeout)
        self.max_answer_bytes = int(max_answer_bytes)
        self._watch_lock = threading.Lock()
        self._active: _Watch | None = None
        self._verify: str | bool = str(ca_bundle) if ca_bundle else True
        self._cert: str | tuple[str, str] | None = None
        if client_cert and client_key:
            self._cert = (str(client_cert), str(client_key))
        elif client_cert:
            self._cert = str(client_cert)
        self._proxies: dict[str, str] = {"http": proxy, "https": proxy} if proxy else {}
        # Environment variables and ~/.netrc must not change where and how a desk connects.
        self._session = watched_session()
        self._session.verify = self._verify
        self._session.cert = self._cert
        self._session.proxies = dict(self._proxies)
        self._session.headers["User-Agent"] = "hall-counter/0.1"
        self._session.headers["Accept"] = "application/json"
        # requests' Session is not documented as thread-safe; one lock keeps calls apart.
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Any, *, timeout: float | None = None) -> CentralClient:
        """A client for the configured central: URL, CA bundle, client certificate, proxy and
        timeout of ``settings`` (desktop.settings.Settings); ``timeout`` caps the latter."""
        configured = float(getattr(settings, "central_timeout", 10.0))
        return cls(
            settings.central_url,
            ca_bundle=getattr(settings, "ca_bundle", None),
            client_cert=getattr(settings, "client_cert", None),
            client_key=getattr(settings, "client_key", None),
            proxy=getattr(settings, "proxy", None),
            timeout=configured if timeout is None else min(configured, timeout),
        )

    def close(self) -> None:
        """Release the connection pool."""
        self._session.close()

    def abort(self) -> None:
        """Cut the call in flight, if any (it fails with ``timeout``); later calls still run."""
        with self._watch_lock:
            watch = self._active
        if watch is not None:
            watch.fire()

    # --- plumbing --------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json_body: BaseModel | None = None,
        raw_body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        url = f"{self.base_url}{path}"
        hdrs = dict(headers or {})
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        data = None
        if json_body is not None:
            data = json_body.model_dump_json().encode("utf-8")
        elif raw_body is not None:
            data = raw_body
        if data is not None:
            hdrs["Content-Type"] = "application/json"
        started = time.monotonic()
        with self._lock, deadline(self.deadline) as watch:
            with self._watch_lock:
                self._active = watch
            try:
                response = self._exchange(method, path, url, data, hdrs, watch)
            finally:
                with self._watch_lock:
                    self._active = None
        log.debug(
            "central %s %s -> %s in %.0f ms",
            method,
            path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        return response

    def _exchange(
        self,
        method: str,
        path: str,
        url: str,
        data: bytes | None,
        hdrs: dict[str, str],
        watch: _Watch,
    ) -> requests.Response:
        """Send and read the whole answer under the watch; the answer's body is in memory."""
        response: requests.Response | None = None
        try:
            response = self._session.request(
                method,
                url,
                data=data,
                headers=hdrs,
                timeout=self.timeout,
                allow_redirects=False,
                stream=True,
                # Per request: requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override
                # the session's verify (when trust_env is on); these always win.
                verify=self._verify,
                cert=self._cert,
                proxies=self._proxies,
            )
            self._read_body(response, path)
        except CentralError:
            if response is not None:
                response.close()
            raise
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            if response is not None:
                response.close()
            if watch.fired or isinstance(exc, requests.Timeout):
                log.warning("central %s %s timed out", method, path)
                raise CentralUnavailableError("timeout", f"{method} {path} timed out") from exc
            if isinstance(exc, requests.exceptions.SSLError):
                log.warning("central %s %s: TLS verification failed", method, path)
                raise CentralUnavailableError("tls_error", "TLS verification failed") from exc
            log.warning("central %s %s: %s", method, path, type(exc).__name__)
            raise CentralUnavailableError("network_error", type(exc).__name__) from exc
        if watch.fired:
            # The watchdog shut the connection: what was read may look complete but is not.
            response.close()
            log.warning("central %s %s timed out", method, path)
            raise CentralUnavailableError("timeout", f"{method} {path} timed out")
        return response

    def _read_body(self, response: requests.Response, path: str) -> None:
        """Read the streamed body in chunks, refusing more than ``max_answer_bytes``."""
        read_bounded(response, self.max_answer_bytes, f"answer to {path}")

    @staticmethod
    def _error_detail(response: requests.Response) -> tuple[str, str, dict[str, str]]:
        """(code, message, fields) of an error answer, bounded and cleaned (see safe_*)."""
        fallback = f"http_{response.status_code}"
        try:
            body = ErrorBody.model_validate_json(response.content)
        except (ValidationError, ValueError):
            return fallback, f"HTTP {response.status_code}", {}
        return (
            safe_code(body.error.code, fallback),
            safe_text(body.error.message),
            safe_fields(body.error.fields),
        )

    def _raise_for_status(self, response: requests.Response) -> None:
        status = response.status_code
        if 200 <= status < 300 or status == 304:
            return
        code, message, fields = self._error_detail(response)
        if status == 401:
            raise CentralAuthError(code, message, status=status)
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise CentralUnavailableError(code, message, status=status, retry_after=retry_after)
        if status in (400, 403, 404, 409, 410, 413, 422):
            raise CentralRejectedError(code, message, status=status, fields=fields)
        raise CentralError("unexpected_status", f"HTTP {status}", status=status)

    @staticmethod
    def _parse(model: type[M], response: requests.Response) -> M:
        try:
            return model.model_validate_json(response.content)
        except (ValidationError, ValueError) as exc:
            # Never echo the body: it may carry personal data.
            raise CentralError(
                "bad_response",
                f"central's answer is not a valid {model.__name__}",
                status=response.status_code,
            ) from exc

    # --- calls for the other desk modules ------------------------------------------------

    def call_json(
        self,
        method: str,
        path: str,
        *,
        token: str | None,
        model: type[M] | None = None,
        body: BaseModel | bytes | dict | list | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """One authenticated JSON call with the client's TLS, timeouts, logging and errors.

        ``path`` is the API path (with its query string); ``body`` is a pydantic model, JSON
        bytes, or a dict/list to encode. Returns the answer parsed as ``model``, or the decoded
        JSON when ``model`` is None. Raises the family of this module: CentralAuthError (401),
        CentralUnavailableError (network, timeout, 5xx, 429), CentralRejectedError (403, 404,
        409, 422, ...), CentralError("bad_response") when the answer does not parse.
        """
        json_body = body if isinstance(body, BaseModel) else None
        if isinstance(body, bytes):
            raw_body: bytes | None = body
        elif isinstance(body, dict | list):
            raw_body = json.dumps(body, ensure_ascii=False).encode("utf-8")
        else:
            raw_body = None
        response = self._request(
            method, path, token=token, json_body=json_body, raw_body=raw_body, headers=headers
        )
        self._raise_for_status(response)
        if model is not None:
            return self._parse(model, response)
        try:
            return json.loads(response.content)
        except ValueError as exc:
            raise CentralError(
                "bad_response", "central's answer is not JSON", status=response.status_code
            ) from exc

    # --- authentication --------------------------------------------------------------------

    def login(self, username: str, password: str, workstation_id: str | None = None):
        """Staff sign-in; returns LoginResponse. 401 -> CentralAuthError."""
        body = LoginRequest(username=username, password=password, workstation_id=workstation_id)
        response = self._request("POST", "/v1/auth/login", json_body=body)
        self._raise_for_status(response)
        return self._parse(LoginResponse, response)

    def workstation_login(self, workstation_id: str, secret: str) -> WorkstationLoginResponse:
        """Workstation sign-in for the outbox; returns WorkstationLoginResponse."""
        body = WorkstationLoginRequest(workstation_id=workstation_id, secret=secret)
        response = self._request("POST", "/v1/auth/workstation", json_body=body)
        self._raise_for_status(response)
        return self._parse(WorkstationLoginResponse, response)

    # --- catalog, persons ------------------------------------------------------------------

    def services(
        self, token: str | None = None, *, etag: str | None = None
    ) -> tuple[list[Service] | None, str | None]:
        """The service catalog and its ETag; ``(None, etag)`` when unchanged (304)."""
        headers = {"If-None-Match": etag} if etag else None
        response = self._request("GET", "/v1/services", token=token, headers=headers)
        self._raise_for_status(response)
        if response.status_code == 304:
            return None, etag
        try:
            services = parse_services(json.loads(response.content))
        except (ValidationError, ValueError) as exc:
            raise CentralError("bad_response", "the service catalog does not parse") from exc
        return services, response.headers.get("ETag")

    def lookup_person(self, token: str, ssn: str, card_no: str) -> PersonLookupResponse:
        """Look a person and card up (POST, so the ID number stays out of the URL)."""
        body = PersonLookupRequest(ssn=ssn, card_no=card_no)
        response = self._request("POST", "/v1/persons/lookup", token=token, json_body=body)
        self._raise_for_status(response)
        return self._parse(PersonLookupResponse, response)

    def face_reference(self, token: str, person_ref: str) -> bytes:
        """The person's reference photo (JPEG or PNG bytes)."""
        if not person_ref or "/" in person_ref or "?" in person_ref:
            raise ValueError("person_ref is not a plain reference")
        response = self._request("GET", f"/v1/persons/{person_ref}/face", token=token)
        self._raise_for_status(response)
        return self._photo(response)

    def staff_face_reference(self, token: str, username: str) -> bytes:
        """A staff member's reference photo (``GET /v1/staff/{username}/face``)."""
        if not username or "/" in username or "?" in username:
            raise ValueError("username is not a plain name")
        response = self._request("GET", f"/v1/staff/{username}/face", token=token)
        self._raise_for_status(response)
        return self._photo(response)

    @staticmethod
    def _photo(response: requests.Response) -> bytes:
        content = response.content
        if not content or len(content) > MAX_FACE_BYTES:
            raise CentralError("bad_response", "the reference photo is empty or too large")
        if not (content.startswith(b"\xff\xd8") or content.startswith(b"\x89PNG")):
            raise CentralError("bad_response", "the reference photo is neither JPEG nor PNG")
        return content

    # --- cases -----------------------------------------------------------------------------

    def submit_case(
        self, token: str, case: CaseSubmission | bytes, idempotency_key: str
    ) -> tuple[int, CaseView | ErrorBody]:
        """Submit a case (canonical JSON) with its idempotency key.

        Returns ``(201 or 200, CaseView)`` when central has the case, and ``(status, ErrorBody)``
        for the permanent refusals of the contract (403, 409 another body, 422 field errors).
        Raises CentralAuthError (401), CentralUnavailableError (network, timeout, 5xx, 429) and
        CentralError (``bad_response``, ``unexpected_status``) otherwise.
        """
        body = canonical_json(case) if isinstance(case, CaseSubmission) else case
        response = self._request(
            "POST",
            "/v1/cases",
            token=token,
            raw_body=body,
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        status = response.status_code
        if status in (403, 409, 422):
            code, message, fields = self._error_detail(response)
            return status, ErrorBody.model_validate(
                {"error": {"code": code, "message": message, "fields": fields}}
            )
        self._raise_for_status(response)
        if status not in (200, 201):
            raise CentralError("unexpected_status", f"HTTP {status}", status=status)
        return status, self._parse(CaseView, response)

    def get_case(self, token: str, case_id: str) -> CaseView:
        """A case with its route."""
        if not case_id or "/" in case_id or "?" in case_id:
            raise ValueError("case_id is not a plain id")
        response = self._request("GET", f"/v1/cases/{case_id}", token=token)
        self._raise_for_status(response)
        return self._parse(CaseView, response)

    def cases(
        self,
        token: str,
        *,
        status: str | None = None,
        workstation: str | None = None,
        limit: int = 100,
    ) -> list[CaseView]:
        """The hall's cases, newest first (``GET /v1/cases``)."""
        params = {"limit": str(limit)}
        if status:
            params["status"] = status
        if workstation:
            params["workstation"] = workstation
        query = "&".join(f"{k}={requests.utils.quote(v)}" for k, v in params.items())
        response = self._request("GET", f"/v1/cases?{query}", token=token)
        self._raise_for_status(response)
        return self._parse(CaseList, response).cases
