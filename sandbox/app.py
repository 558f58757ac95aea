"""The sandbox's HTTP API: the reference implementation of the central API (v1).

``docs/api.md`` describes the endpoints. Every error is ``{"error": {"code", "message",
"fields"}}``, FastAPI's own validation errors and unknown routes included. The access log is our
own (method, route template, status, time): it never holds a body, a token or a path parameter.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import threading
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desktop.contract import (
    IDEMPOTENCY_HEADER,
    CaseList,
    CaseSubmission,
    ErrorBody,
    ErrorDetail,
    LoginRequest,
    LoginResponse,
    PersonLookupRequest,
    PersonLookupResponse,
    WorkstationLoginRequest,
    WorkstationLoginResponse,
)
from sandbox import auth
from sandbox.auth import Principal
from sandbox.cases import CaseProblem, advance, advance_due, case_view, submit_case
from sandbox.db import Case, Citizen, ServiceRow, Staff, Token, Workstation, open_database, utc_now
from sandbox.seed import apply_seed

log = logging.getLogger(__name__)

# Largest request body accepted (a case with a generous form).
MAX_BODY_BYTES = 256 * 1024


class ApiError(Exception):
    """An error answered as an :class:`ErrorBody` with the given HTTP status."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.headers = headers or {}


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A JSON response in the ErrorBody shape."""
    body = ErrorBody(error=ErrorDetail(code=code, message=message, fields=fields or {}))
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def _json(model: BaseModel, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(model.model_dump(mode="json"), status_code=status, headers=headers)


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, str]:
    """pydantic/FastAPI errors as ``dotted.field`` -> error type (``missing``, …).

    Inputs are left out on purpose: they may hold an ID number or a password.
    """
    fields: dict[str, str] = {}
    for error in errors:
        loc = [str(p) for p in error.get("loc", ())]
        if loc and loc[0] in ("body", "query", "header", "path"):
            loc = loc[1:] if error.get("type") != "json_invalid" else []
        fields.setdefault(".".join(loc) or "body", str(error.get("type", "invalid")))
    return fields


class _AccessLogMiddleware:
    """Logs each request as method, route template, status and time; adds no-store caching."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                # Answers hold personal data: no caching unless the route says otherwise.
                if "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            route = getattr(scope.get("route"), "path", "(no route)")
            elapsed = (time.perf_counter() - started) * 1000
            log.info("%s %s -> %s (%.1f ms)", scope["method"], route, status, elapsed)


class _Advancer:
    """Moves open cases along their routes every ``seconds`` on a thread of its own."""

    def __init__(self, sessions: sessionmaker, seconds: float) -> None:
        self._sessions = sessions
        self._seconds = seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread (nothing when advancing is off)."""
        if self._seconds <= 0 or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sandbox-advancer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        tick = min(1.0, max(0.02, self._seconds / 4))
        while not self._stop.wait(tick):
            try:
                advance_due(self._sessions, timedelta(seconds=self._seconds))
            except Exception:
                log.exception("advancing cases failed")

    def stop(self) -> None:
        """Stop and join the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None


def current_principal(request: Request) -> Principal:
    """The staff member or workstation the bearer token stands for, or a 401."""
    sessions: sessionmaker = request.app.state.sessions
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401,
            "token_missing",
            "a bearer token is required",
            headers={"WWW-Authenticate": "Bearer"},
        )
    with sessions() as session:
        row = session.get(Token, auth.token_hash(token.strip()))
        if row is None:
            raise ApiError(
                401,
                "token_invalid",
                "the token is not valid",
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        if row.expires_at <= utc_now():
            raise ApiError(
                401,
                "token_expired",
                "the token has expired",
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        roles: tuple[str, ...] = ()
        if row.kind == "staff":
            staff = session.get(Staff, row.subject)
            if staff is None:
                raise ApiError(
                    401,
                    "token_invalid",
                    "the token is not valid",
                    headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
                )
            roles = tuple(staff.roles)
        return Principal(row.kind, row.subject, row.hall_id, roles, row.workstation_id)


Auth = Annotated[Principal, Depends(current_principal)]


def _catalog(sessions: sessionmaker) -> tuple[bytes, str]:
    with sessions() as session:
        rows = session.scalars(select(ServiceRow).order_by(ServiceRow.position)).all()
        services = [row.body for row in rows]
    body = json.dumps(services, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == etag:
            return True
    return False


def create_app(db_path: Path, seed_path: Path, *, advance_seconds: float = 30.0) -> FastAPI:
    """Build the sandbox app on ``db_path``, seeded from ``seed_path``.

    Opens (or creates) the database and applies the seed right away, so a bad seed fails here.
    Cases advance one step when untouched for ``advance_seconds`` (0 turns that off).
    """
    engine, sessions = open_database(Path(db_path))
    try:
        with sessions() as session:
            apply_seed(session, Path(seed_path))
            session.commit()
        catalog_body, catalog_etag = _catalog(sessions)
    except BaseException:
        engine.dispose()
        raise
    advancer = _Advancer(sessions, advance_seconds)

    closed = threading.Event()

    def close() -> None:
        # Idempotent: the lifespan calls it, and EmbeddedSandbox.stop() again after a forced
        # exit (uvicorn skips the lifespan shutdown then).
        if closed.is_set():
            return
        closed.set()
        advancer.stop()
        engine.dispose()
        log.info("sandbox stopped")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The loop serving the app, for EmbeddedSandbox.stop() to reach from another thread.
        app.state.loop = asyncio.get_running_loop()
        advancer.start()
        log.info("sandbox started")
        try:
            yield
        finally:
            close()

    app = FastAPI(
        title="Hall Counter sandbox central",
        version="1",
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
    )
    app.add_middleware(_AccessLogMiddleware)
    app.state.sessions = sessions
    app.state.engine = engine
    app.state.close = close

    # --- error handlers ---------------------------------------------------------------------

    @app.exception_handler(ApiError)
    async def _on_api_error(_request: Request, exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers)

    @app.exception_handler(CaseProblem)
    async def _on_case_problem(_request: Request, exc: CaseProblem) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.fields)

    @app.exception_handler(RequestValidationError)
    async def _on_validation(_request: Request, exc: RequestValidationError) -> Response:
        fields = validation_fields(list(exc.errors()))
        return error_response(422, "validation_failed", "the request is not valid", fields)

    @app.exception_handler(StarletteHTTPException)
    async def _on_http(_request: Request, exc: StarletteHTTPException) -> Response:
        codes = {404: "not_found", 405: "method_not_allowed"}
        code = codes.get(exc.status_code, f"http_{exc.status_code}")
        return error_response(exc.status_code, code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(Exception)
    async def _on_crash(_request: Request, exc: Exception) -> Response:
        log.error("request failed: %s", type(exc).__name__)
        return error_response(500, "internal_error", "the sandbox failed to answer")

    # --- authentication ---------------------------------------------------------------------

    def _issue_token(session: Any, kind: str, subject: str, hall_id: str, ws: str | None) -> str:
        now = utc_now()
        seconds = auth.STAFF_TOKEN_SECONDS if kind == "staff" else auth.WORKSTATION_TOKEN_SECONDS
        token = auth.new_token()
        session.execute(delete(Token).where(Token.expires_at <= now))
        session.add(
            Token(
                token_hash=auth.token_hash(token),
                kind=kind,
                subject=subject,
                hall_id=hall_id,
                workstation_id=ws,
                created_at=now,
                expires_at=now + timedelta(seconds=seconds),
            )
        )
        return token

    @app.get("/v1/health")
    def health() -> dict[str, str]:
        """Liveness, without authentication."""
        return {"status": "ok"}

    @app.post("/v1/auth/login")
    def login(body: LoginRequest) -> Response:
        """Staff sign-in: a bearer token, roles and hall. Locks after repeated failures."""
        now = utc_now()
        with sessions() as session:
            staff = session.get(Staff, body.username)
            if staff is not None and staff.locked_until is not None and staff.locked_until > now:
                retry = int((staff.locked_until - now).total_seconds()) + 1
                raise ApiError(
                    403,
                    "account_locked",
                    "too many failed sign-ins; try again later",
                    headers={"Retry-After": str(retry)},
                )
            if not auth.verify_secret(body.password, staff.password_hash if staff else None):
                if staff is not None:
                    staff.failed_logins += 1
                    if staff.failed_logins >= auth.MAX_FAILED_LOGINS:
                        staff.failed_logins = 0
                        staff.locked_until = now + timedelta(seconds=auth.LOCKOUT_SECONDS)
                        log.warning("staff account %s locked after failed sign-ins", staff.username)
                    session.commit()
                raise ApiError(401, "invalid_credentials", "wrong username or password")
            if body.workstation_id is not None:
                ws = session.get(Workstation, body.workstation_id)
                if ws is None or ws.hall_id != staff.hall_id:
                    raise ApiError(
                        422,
                        "unknown_workstation",
                        "no such workstation in this hall",
                        {"workstation_id": "unknown_workstation"},
                    )
            staff.failed_logins = 0
            staff.locked_until = None
            token = _issue_token(
                session, "staff", staff.username, staff.hall_id, body.workstation_id
            )
            answer = LoginResponse(
                token=token,
                username=staff.username,
                name=staff.name,
                roles=list(staff.roles),
                hall_id=staff.hall_id,
                expires_in=auth.STAFF_TOKEN_SECONDS,
            )
            session.commit()
        log.info("staff %s signed in", answer.username)
        return _json(answer)

    @app.post("/v1/auth/workstation")
    def workstation_login(body: WorkstationLoginRequest) -> Response:
        """Workstation sign-in (the outbox): a bearer token for sending cases."""
        with sessions() as session:
            ws = session.get(Workstation, body.workstation_id)
            if not auth.verify_secret(body.secret, ws.secret_hash if ws else None):
                raise ApiError(401, "invalid_credentials", "wrong workstation id or secret")
            token = _issue_token(session, "workstation", ws.id, ws.hall_id, ws.id)
            answer = WorkstationLoginResponse(
                token=token,
                workstation_id=ws.id,
                hall_id=ws.hall_id,
                expires_in=auth.WORKSTATION_TOKEN_SECONDS,
            )
            session.commit()
        log.info("workstation %s signed in", answer.workstation_id)
        return _json(answer)

    # --- catalog and persons ----------------------------------------------------------------

    @app.get("/v1/services")
    def services(request: Request, who: Auth) -> Response:
        """The service catalog, a JSON list; ``If-None-Match`` with the ETag gives 304."""
        headers = {"ETag": catalog_etag, "Cache-Control": "private, no-cache"}
        if _etag_matches(request.headers.get("if-none-match"), catalog_etag):
            return Response(status_code=304, headers=headers)
        return Response(catalog_body, media_type="application/json", headers=headers)

    @app.post("/v1/persons/lookup")
    def lookup(body: PersonLookupRequest, who: Auth) -> Response:
        """A person and the status of the card presented, by ID number and card number."""
        with sessions() as session:
            citizen = session.scalars(select(Citizen).where(Citizen.ssn == body.ssn)).one_or_none()
            if citizen is None:
                raise ApiError(404, "person_not_found", "no person with this ID number")
            if citizen.card_no != body.card_no:
                raise ApiError(
                    404,
                    "card_not_found",
                    "this card is not the person's card on record",
                    {"card_no": "card_not_found"},
                )
            answer = PersonLookupResponse(
                person_ref=citizen.person_ref,
                name=citizen.name,
                birth_date=citizen.birth_date,
                card_status=citizen.card_status,
            )
        log.debug("lookup answered: card %s", answer.card_status)
        return _json(answer)

    @app.get("/v1/persons/{person_ref}/face")
    def face(person_ref: str, who: Auth) -> Response:
        """The person's reference photo (JPEG or PNG)."""
        with sessions() as session:
            citizen = session.get(Citizen, person_ref)
            if citizen is None:
                raise ApiError(404, "person_not_found", "no such person")
            if not citizen.face_image or not citizen.face_media_type:
                raise ApiError(404, "face_not_found", "no reference photo for this person")
            return Response(citizen.face_image, media_type=citizen.face_media_type)

    # --- cases ------------------------------------------------------------------------------

    @app.post("/v1/cases")
    async def post_case(request: Request, who: Auth) -> Response:
        """Submit a case; 201 new, 200 replay, 409 key reused with another body, 422 refused."""
        if who.is_staff and "clerk" not in who.roles:
            raise ApiError(403, "forbidden", "only clerks and workstations submit cases")
        key = _idempotency_key(request.headers.get(IDEMPOTENCY_HEADER))
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
            raise ApiError(413, "body_too_large", "the case is too large")
        raw = await request.body()
        if len(raw) > MAX_BODY_BYTES:
            raise ApiError(413, "body_too_large", "the case is too large")
        try:
            submission = CaseSubmission.model_validate_json(raw)
        except ValidationError as exc:
            fields = validation_fields(list(exc.errors()))
            raise ApiError(422, "validation_failed", "the case is not valid", fields) from None
        result = await run_in_threadpool(submit_case, sessions, who, key, submission)
        headers = {"Location": f"/v1/cases/{result.view.id}"}
        return _json(result.view, result.status, headers)

    @app.get("/v1/cases")
    def list_cases(
        who: Auth,
        status: Annotated[str | None, Query()] = None,
        workstation: Annotated[str | None, Query()] = None,
        hall: Annotated[str | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> Response:
        """The sender's hall's cases, newest first; filters by status and workstation."""
        if hall is not None and hall != who.hall_id:
            raise ApiError(403, "forbidden", "cases of another hall")
        query = select(Case).where(Case.hall_id == who.hall_id, Case.id.is_not(None))
        if status is not None:
            query = query.where(Case.status == status)
        if workstation is not None:
            query = query.where(Case.workstation_id == workstation)
        with sessions() as session:
            rows = session.scalars(query.order_by(Case.pk.desc()).limit(limit)).all()
            answer = CaseList(cases=[case_view(row) for row in rows])
        return _json(answer)

    def _own_case(session: Any, case_id: str, who: Principal) -> Case:
        case = session.scalars(select(Case).where(Case.id == case_id)).one_or_none()
        if case is None or case.hall_id != who.hall_id:
            raise ApiError(404, "case_not_found", "no such case")
        return case

    @app.get("/v1/cases/{case_id}")
    def get_case(case_id: str, who: Auth) -> Response:
        """A case and its route."""
        with sessions() as session:
            return _json(case_view(_own_case(session, case_id, who)))

    @app.post("/v1/admin/cases/{case_id}/advance")
    def advance_case(case_id: str, who: Auth) -> Response:
        """Move a case one step along its route (admin, or a workstation in training)."""
        if not (who.is_workstation or "admin" in who.roles):
            raise ApiError(403, "forbidden", "needs an admin or a workstation")
        with sessions() as session:
            case = _own_case(session, case_id, who)
            if not advance(case, utc_now()):
                raise ApiError(409, "case_closed", "the case has finished its route")
            session.commit()
            answer = case_view(case)
        log.info("case %s advanced to %s", answer.id, answer.status)
        return _json(answer)

    return app


def _idempotency_key(value: str | None) -> str:
    """The Idempotency-Key header as a canonical lower-case UUID, or a 400."""
    if value is None or not value.strip():
        raise ApiError(
            400,
            "idempotency_key_missing",
            "the Idempotency-Key header is required",
            {IDEMPOTENCY_HEADER: "missing"},
        )
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise ApiError(
            400,
            "idempotency_key_invalid",
            "the Idempotency-Key must be a UUID",
            {IDEMPOTENCY_HEADER: "not_uuid"},
        ) from None


__all__ = ["ApiError", "create_app", "error_response", "validation_fields"]
