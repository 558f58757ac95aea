"""The sandbox's HTTP API: the reference implementation of the central API (v1).

``docs/api.md`` describes the endpoints. Every error is ``{"error": {"code", "message",
"fields"}}``, FastAPI's own validation errors and unknown routes included. The access log is our
own (method, route template, status, time): it never holds a body, a token or a path parameter.
Faults are injected by :class:`sandbox.faults.FaultMiddleware`, inside the access log so that
injected answers are logged too.
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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import AwareDatetime, BaseModel, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desktop.contract import (
    DEPARTMENTS,
    IDEMPOTENCY_HEADER,
    CaseList,
    CaseSubmission,
    EcardVerifyRequest,
    EcardVerifyResponse,
    FaultSpec,
    Heartbeat,
    HeartbeatAck,
    LoginRequest,
    LoginResponse,
    PersonLookupRequest,
    PersonLookupResponse,
    WorkstationLoginRequest,
    WorkstationLoginResponse,
)
from sandbox import alerts, approvals, auth, stats
from sandbox import audit as audit_api
from sandbox.auth import Principal
from sandbox.cases import (
    CaseProblem,
    advance,
    advance_due,
    backfill_events,
    case_events,
    case_view,
    reject,
    submit_case,
)
from sandbox.db import (
    Case,
    Citizen,
    DeskHeartbeat,
    EcardCode,
    ServiceRow,
    Staff,
    StaffFactor,
    Token,
    Workstation,
    open_database,
    utc_now,
)
from sandbox.faults import FaultInjector, FaultMiddleware, format_faults
from sandbox.history import generate_history
from sandbox.seed import apply_seed, ecard_digest
from sandbox.web import ApiError, Auth, current_principal, error_response

log = logging.getLogger(__name__)

# Largest request body accepted (a case with a generous form).
MAX_BODY_BYTES = 256 * 1024

# Statistics: the default window (the last week), the longest one, and when a desk counts as
# offline without a heartbeat.
DEFAULT_STATS_WINDOW = timedelta(days=7)
MAX_STATS_WINDOW = timedelta(days=366)
DEFAULT_OFFLINE_AFTER = 300

# Cases per day of generated history when the caller does not say.
HISTORY_CASES_PER_DAY = 120


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


def _route_template(scope: Scope, routes: list[BaseRoute]) -> str:
    """The template of the route a request matched, or would have (answered by a fault)."""
    route = scope.get("route")
    if route is not None:
        return getattr(route, "path", "(no route)")
    for candidate in routes:
        match, _child = candidate.matches(scope)
        if match == Match.FULL:
            return getattr(candidate, "path", "(no route)")
    return "(no route)"


class _AccessLogMiddleware:
    """Logs each request as method, route template, status and time; adds no-store caching."""

    def __init__(self, app: ASGIApp, routes: list[BaseRoute]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: int | str = "no answer"  # stays so when a fault cut the connection

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
        except Exception:
            status = 500  # answered by the server-error handler around this middleware
            raise
        finally:
            route = _route_template(scope, self.routes)
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


def create_app(
    db_path: Path,
    seed_path: Path,
    *,
    advance_seconds: float = 30.0,
    faults: FaultSpec | None = None,
    history_days: int = 0,
    history_cases: int | None = None,
    history_seed: int | None = None,
    slow_department: str | None = "social_insurance",
) -> FastAPI:
    """Build the sandbox app on ``db_path``, seeded from ``seed_path``.

    Opens (or creates) the database and applies the seed right away, so a bad seed fails here.
    Cases advance one step when untouched for ``advance_seconds`` (0 turns that off).
    ``faults`` are injected from the start (``PUT /v1/admin/faults`` changes them). With
    ``history_days`` the generated history (:func:`sandbox.history.generate_history`) is
    replaced by ``history_cases`` cases (default 120 a day) over that many days, with
    ``slow_department`` the bottleneck; raises :class:`sandbox.history.HistoryError`.
    """
    engine, sessions = open_database(Path(db_path))
    try:
        with sessions() as session:
            apply_seed(session, Path(seed_path))
            backfill_events(session)
            approvals.ensure_version(session)
            session.commit()
        if history_days:
            cases = history_cases or HISTORY_CASES_PER_DAY * history_days
            with sessions() as session:
                generate_history(session, history_days, cases, slow_department, history_seed)
                session.commit()
        catalog_body, catalog_etag = _catalog(sessions)
        known_services = {item["code"] for item in json.loads(catalog_body)}
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
    injector = FaultInjector(faults)
    app.add_middleware(FaultMiddleware, injector=injector)
    # The router's list, filled by the decorators below.
    app.add_middleware(_AccessLogMiddleware, routes=app.router.routes)
    app.state.sessions = sessions
    app.state.engine = engine
    app.state.close = close
    app.state.faults = injector
    app.include_router(approvals.router)
    app.include_router(audit_api.router)
    app.include_router(alerts.router)

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
                        alerts.raise_alert(
                            session,
                            hall_id=staff.hall_id,
                            kind="account_locked",
                            at=now,
                            workstation_id=body.workstation_id,
                            subject=staff.username,
                            detail={"failures": auth.MAX_FAILED_LOGINS},
                        )
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
            factor = session.get(StaffFactor, staff.username)
            answer = LoginResponse(
                token=token,
                username=staff.username,
                name=staff.name,
                roles=list(staff.roles),
                hall_id=staff.hall_id,
                expires_in=auth.STAFF_TOKEN_SECONDS,
                staff_card_no=factor.card_no if factor else None,
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
            if who.is_staff:
                # Who looked someone up and when (never whom): the lookup alert's count.
                alerts.note_lookup(session, who.hall_id, who.subject, utc_now())
                session.commit()
        log.debug("lookup answered: card %s", answer.card_status)
        return _json(answer)

    @app.post("/v1/ecard/verify")
    def ecard_verify(body: EcardVerifyRequest, who: Auth) -> Response:
        """An electronic card's QR payload: the lookup answer, plus the ID number and card
        number of the physical card (docs/card.md). The payload is neither kept nor logged."""
        with sessions() as session:
            code = session.get(EcardCode, ecard_digest(body.payload))
            citizen = session.get(Citizen, code.person_ref) if code is not None else None
            if citizen is None:
                raise ApiError(404, "ecard_unknown", "this e-card code is not known")
            answer = EcardVerifyResponse(
                person_ref=citizen.person_ref,
                name=citizen.name,
                birth_date=citizen.birth_date,
                card_status=citizen.card_status,
                ssn=citizen.ssn,
                card_no=citizen.card_no,
            )
            if who.is_staff:
                alerts.note_lookup(session, who.hall_id, who.subject, utc_now())
                session.commit()
        log.debug("e-card answered: card %s", answer.card_status)
        return _json(answer)

    @app.get("/v1/staff/{username}/face")
    def staff_face(username: str, who: Auth) -> Response:
        """A staff member's reference photo, for their own second factor (their token only)."""
        if not who.is_staff or who.subject != username:
            raise ApiError(403, "forbidden", "only the staff member themselves")
        with sessions() as session:
            factor = session.get(StaffFactor, username)
            if factor is None or not factor.face_image or not factor.face_media_type:
                raise ApiError(404, "face_not_found", "no reference photo for this staff member")
            return Response(factor.face_image, media_type=factor.face_media_type)

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

    def _not_waiting(case: Case) -> None:
        if case.status == "awaiting_approval":
            raise ApiError(409, "awaiting_approval", "the case waits for an approval")

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
            _not_waiting(case)
            if not advance(case, utc_now()):
                raise ApiError(409, "case_closed", "the case has finished its route")
            session.commit()
            answer = case_view(case)
        log.info("case %s advanced to %s", answer.id, answer.status)
        return _json(answer)

    @app.get("/v1/cases/{case_id}/events")
    def get_case_events(case_id: str, who: Auth) -> Response:
        """A case's events, oldest first."""
        with sessions() as session:
            return _json(case_events(session, _own_case(session, case_id, who)))

    @app.post("/v1/admin/cases/{case_id}/reject")
    def reject_case(case_id: str, who: Auth) -> Response:
        """Close a case as rejected by its department (admin, or a workstation in training)."""
        if not (who.is_workstation or "admin" in who.roles):
            raise ApiError(403, "forbidden", "needs an admin or a workstation")
        with sessions() as session:
            case = _own_case(session, case_id, who)
            _not_waiting(case)
            if not reject(case, utc_now()):
                raise ApiError(409, "case_closed", "the case has finished its route")
            session.commit()
            answer = case_view(case)
        log.info("case %s rejected", answer.id)
        return _json(answer)

    # --- fault injection --------------------------------------------------------------------

    def _may_set_faults(who: Principal) -> None:
        # The sandbox is a training central: a workstation token is a training token here.
        if not (who.is_workstation or "admin" in who.roles):
            raise ApiError(403, "forbidden", "needs an admin or a training (workstation) token")

    @app.get("/v1/admin/faults")
    def get_faults(who: Auth) -> Response:
        """The faults in force."""
        _may_set_faults(who)
        return _json(injector.spec)

    @app.put("/v1/admin/faults")
    def put_faults(body: FaultSpec, who: Auth) -> Response:
        """Replace the faults in force (``{}`` switches them all off)."""
        _may_set_faults(who)
        injector.set(body)
        log.warning("faults set by %s: %s", who.kind, format_faults(body))
        return _json(injector.spec)

    # --- workstations -----------------------------------------------------------------------

    @app.post("/v1/workstations/{workstation_id}/heartbeat")
    def heartbeat(workstation_id: str, body: Heartbeat, who: Auth) -> Response:
        """A desk's outbox counts and versions; kept as the desk's last contact."""
        if not who.is_workstation:
            raise ApiError(403, "forbidden", "only the workstation itself sends its heartbeat")
        if who.subject != workstation_id:
            raise ApiError(403, "workstation_mismatch", "the heartbeat names another workstation")
        now = utc_now()
        with sessions() as session:
            beat = session.get(DeskHeartbeat, workstation_id)
            if beat is None:
                beat = DeskHeartbeat(workstation_id=workstation_id)
                session.add(beat)
            beat.received_at = now
            beat.sent_at = body.sent_at
            beat.app_version = body.app_version
            beat.versions = dict(body.versions)
            beat.outbox = body.outbox.model_dump()
            beat.unsent = body.outbox.unsent
            beat.oldest_unsent_seconds = body.oldest_unsent_seconds
            beat.frozen = body.frozen
            beat.frozen_reason = body.frozen_reason
            session.commit()
        log.debug("heartbeat from %s: %s unsent", workstation_id, body.outbox.unsent)
        return _json(HeartbeatAck(workstation_id=workstation_id, received_at=now))

    # --- statistics for the supervisor's dashboard ------------------------------------------

    def _supervisor(who: Principal) -> None:
        if not who.is_staff or not ({"supervisor", "admin"} & set(who.roles)):
            raise ApiError(403, "forbidden", "needs a supervisor or an admin")

    def _window(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
        end = end.astimezone(UTC) if end else utc_now()
        start = start.astimezone(UTC) if start else end - DEFAULT_STATS_WINDOW
        if start >= end:
            raise ApiError(422, "validation_failed", "from must be before to", {"from": "order"})
        if end - start > MAX_STATS_WINDOW:
            raise ApiError(
                422, "validation_failed", "the window is longer than 366 days", {"from": "range"}
            )
        return start, end

    def _known_service(code: str | None) -> None:
        if code is not None and code not in known_services:
            raise ApiError(422, "unknown_service", "no such service", {"service": "unknown"})

    @app.get("/v1/stats/throughput")
    def stats_throughput(
        who: Auth,
        start: Annotated[AwareDatetime | None, Query(alias="from")] = None,
        end: Annotated[AwareDatetime | None, Query(alias="to")] = None,
        service: Annotated[str | None, Query()] = None,
    ) -> Response:
        """Cases received, completed and rejected per service and hour."""
        _supervisor(who)
        _known_service(service)
        start, end = _window(start, end)
        with sessions() as session:
            return _json(stats.throughput(session, who.hall_id, start, end, service))

    @app.get("/v1/stats/stages")
    def stats_stages(
        who: Auth,
        start: Annotated[AwareDatetime | None, Query(alias="from")] = None,
        end: Annotated[AwareDatetime | None, Query(alias="to")] = None,
        service: Annotated[str | None, Query()] = None,
        department: Annotated[str | None, Query()] = None,
    ) -> Response:
        """Time in each stage: median, 90th percentile, maximum and count."""
        _supervisor(who)
        _known_service(service)
        if department is not None and department not in DEPARTMENTS:
            raise ApiError(
                422, "validation_failed", "no such department", {"department": "unknown"}
            )
        start, end = _window(start, end)
        with sessions() as session:
            return _json(stats.stages(session, who.hall_id, start, end, service, department))

    @app.get("/v1/stats/backlog")
    def stats_backlog(who: Auth) -> Response:
        """Open cases per stage now."""
        _supervisor(who)
        with sessions() as session:
            return _json(stats.backlog(session, who.hall_id, utc_now()))

    @app.get("/v1/stats/approvals")
    def stats_approvals(who: Auth) -> Response:
        """Approvals waiting and their age."""
        _supervisor(who)
        with sessions() as session:
            return _json(stats.approvals(session, who.hall_id, utc_now()))

    @app.get("/v1/stats/desks")
    def stats_desks(
        who: Auth,
        offline_after: Annotated[int, Query(ge=10, le=86_400)] = DEFAULT_OFFLINE_AFTER,
    ) -> Response:
        """Every desk of the hall with its last contact and outbox state."""
        _supervisor(who)
        with sessions() as session:
            return _json(stats.desks(session, who.hall_id, utc_now(), offline_after))

    # Contribution records, certificate data and staff calls for the self-service kiosk.
    from sandbox.kiosk import router as kiosk_router

    app.include_router(kiosk_router)
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


__all__ = ["ApiError", "create_app", "current_principal", "error_response", "validation_fields"]
