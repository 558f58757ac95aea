"""The kiosk's part of the sandbox central: contribution records, certificates, staff calls.

An :class:`fastapi.APIRouter` that ``sandbox.app.create_app`` includes
(``app.include_router(sandbox.kiosk.router)``). Every endpoint needs a staff or workstation
bearer token; the style is the API's usual one (no ID number in a URL, errors in the
``ErrorBody`` shape, ``Cache-Control: no-store`` from the access-log middleware):

- ``GET /v1/persons/{person_ref}/contributions``: the person's pension contribution record,
  year by year;
- ``POST /v1/persons/{person_ref}/documents`` with ``{"kind": "certificate"}`` (参保证明) or
  ``{"kind": "contributions"}`` (the contribution statement): 201, a numbered document with its
  data and a verification code;
- ``GET /v1/documents/{number}?code=...``: whether a printed document is genuine (number, kind,
  hall, issue time, the holder's name masked); 404 ``document_not_found`` otherwise;
- ``POST /v1/kiosk/assistance`` with ``{"screen": code}``: 201, a kiosk asked for a staff member
  (a screen code, no personal data); ``GET /v1/kiosk/assistance``: the hall's staff calls,
  newest first (staff tokens only).

The training citizens have no contribution history in the seed; this module makes one up for
each of them, the same every time for the same ID number (a generator seeded with the ID
number's SHA-256), plausible for the person's age and sex: contributions from their early
twenties (individual pension accounts start in 1993), a few gaps, a contribution base that grows
with the years, retirement at 60 (men) or 55 (women), simplified from the real rules.

Issued documents are stored in the sandbox's database (table ``kiosk_documents``, created on
first use), with the SHA-256 of the verification code and of the document's content, never the
content itself.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import secrets
import threading
import weakref
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, StringConstraints
from sqlalchemy import Engine, String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from sandbox.auth import Principal
from sandbox.db import Citizen, Hall, UtcDateTime, utc_now

log = logging.getLogger(__name__)

router = APIRouter(prefix="/v1", tags=["kiosk"])

# Individual pension accounts (城镇职工基本养老保险个人账户) started nationally in 1993.
PENSION_ACCOUNTS_FROM = 1993
# Contribution rates, simplified: the employee's 8 %, the employer's 20 % until April 2019 and
# 16 % since (国办发〔2019〕13号); a year counts at the rate of its last month.
PERSONAL_RATE = 0.08
EMPLOYER_RATE_BEFORE_2019 = 0.20
EMPLOYER_RATE = 0.16
RETIREMENT_AGE = {"1": 60, "2": 55}

# Verification codes: upper-case letters and digits without the easily confused ones.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10

# Screens a staff call may name (the kiosk's screen codes); anything else is "other".
SCREEN_CODES = frozenset(
    {
        "closed",
        "welcome",
        "reading",
        "pin",
        "consent",
        "face",
        "menu",
        "records",
        "question",
        "busy",
        "result",
        "take_card",
        "still_there",
        "admin",
        "other",
    }
)


# --- storage -------------------------------------------------------------------------------


class _KioskBase(DeclarativeBase):
    """The kiosk tables, beside (not inside) the sandbox's own metadata."""


class IssuedDocumentRow(_KioskBase):
    """A document a kiosk printed: enough to verify it, no personal data beyond the ref."""

    __tablename__ = "kiosk_documents"
    number: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    person_ref: Mapped[str] = mapped_column(String(64), index=True)
    hall_id: Mapped[str] = mapped_column(String(64))
    issued_by: Mapped[str] = mapped_column(String(80))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    code_hash: Mapped[str] = mapped_column(String(64))
    content_digest: Mapped[str] = mapped_column(String(64))


class AssistanceRow(_KioskBase):
    """A kiosk's call for a staff member."""

    __tablename__ = "kiosk_assistance"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hall_id: Mapped[str] = mapped_column(String(64), index=True)
    workstation_id: Mapped[str] = mapped_column(String(64))
    screen: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


_ready_engines: weakref.WeakSet[Engine] = weakref.WeakSet()
_ready_lock = threading.Lock()


def _sessions(request: Request):
    """The sandbox's session factory, with the kiosk tables created on first use."""
    engine: Engine = request.app.state.engine
    with _ready_lock:
        if engine not in _ready_engines:
            _KioskBase.metadata.create_all(engine)
            _ready_engines.add(engine)
    return request.app.state.sessions


# --- request plumbing ----------------------------------------------------------------------


def _principal(request: Request) -> Principal:
    # sandbox.app includes this router, so importing it at module level would be circular.
    from sandbox.app import current_principal

    return current_principal(request)


Auth = Annotated[Principal, Depends(_principal)]


def _error(status: int, code: str, message: str, fields: dict[str, str] | None = None):
    from sandbox.app import ApiError

    return ApiError(status, code, message, fields)


def _answer(body: dict[str, Any], status: int = 200) -> Response:
    return JSONResponse(body, status_code=status)


def _citizen(session: Any, person_ref: str) -> Citizen:
    citizen = session.get(Citizen, person_ref)
    if citizen is None:
        raise _error(404, "person_not_found", "no such person")
    return citizen


class DocumentRequest(BaseModel):
    """What a kiosk asks to issue."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["certificate", "contributions"]


class AssistanceRequest(BaseModel):
    """A staff call: which kiosk screen the citizen was on (a code, never personal data)."""

    model_config = ConfigDict(extra="forbid")
    screen: Annotated[str, StringConstraints(max_length=32, pattern=r"^[a-z_]+$")]


# --- the synthetic records -----------------------------------------------------------------


def _sex(citizen: Citizen) -> str:
    if citizen.sex in ("1", "2"):
        return citizen.sex
    # GB 11643: the 17th digit of the ID number is odd for men, even for women.
    digit = citizen.ssn[16:17]
    return "1" if digit.isdigit() and int(digit) % 2 == 1 else "2"


def _rng(citizen: Citizen) -> random.Random:
    seed = int.from_bytes(hashlib.sha256(citizen.ssn.encode("ascii")).digest()[:8], "big")
    return random.Random(seed)


def _base_for(year: int, factor: float) -> float:
    # A monthly contribution base that grew about 11 % a year until 2012 and 7 % since.
    base = 320.0
    for y in range(PENSION_ACCOUNTS_FROM, year):
        base *= 1.11 if y < 2012 else 1.07
    return round(base * factor, -1)


def contribution_record(citizen: Citizen, today: date) -> dict[str, Any]:
    """The person's pension contribution record as the API answers it (a JSON object)."""
    rng = _rng(citizen)
    sex = _sex(citizen)
    birth = citizen.birth_date
    retirement_year = birth.year + RETIREMENT_AGE[sex]
    first_year = max(PENSION_ACCOUNTS_FROM, birth.year + rng.randint(19, 24))
    retired = (today.year, today.month) > (retirement_year, birth.month)
    last_year = min(today.year, retirement_year)
    factor = rng.uniform(0.8, 1.6)
    span = list(range(first_year + 1, last_year))
    gap_years = set(rng.sample(span, k=min(2, len(span))))

    years = []
    for year in range(first_year, last_year + 1):
        months = 12
        if year == first_year:
            months = 12 - rng.randint(0, 8)
        elif year in gap_years:
            months = rng.randint(0, 9)
        if year == today.year:
            months = min(months, today.month - 1)  # the current month is not yet due
        if year == retirement_year:
            months = min(months, birth.month - 1)
        base = _base_for(year, factor) if months else 0.0
        employer_rate = EMPLOYER_RATE if year >= 2019 else EMPLOYER_RATE_BEFORE_2019
        years.append(
            {
                "year": year,
                "months": months,
                "base": base,
                "personal": round(base * months * PERSONAL_RATE, 2),
                "employer": round(base * months * employer_rate, 2),
            }
        )
    status = "none" if not years else "receiving" if retired else "contributing"
    return {
        "scheme": "urban_employee_pension",
        "status": status,
        "insured_since": date(first_year, 1, 1).isoformat() if years else None,
        "total_months": sum(item["months"] for item in years),
        "as_of": today.isoformat(),
        "years": years,
    }


def insurance_lines(citizen: Citizen, records: dict[str, Any]) -> list[dict[str, Any]]:
    """The person's insurances for the certificate (参保证明): kind, status, since, months."""
    retired = records["status"] == "receiving"
    since = records["insured_since"]
    months = records["total_months"]
    return [
        {"kind": "pension", "status": records["status"], "since": since, "months": months},
        {
            "kind": "medical",
            "status": "receiving" if retired else records["status"],
            "since": since,
            "months": months,
        },
        {
            "kind": "unemployment",
            "status": "ended" if retired else records["status"],
            "since": since,
            "months": months,
        },
    ]


def _holder(citizen: Citizen) -> dict[str, Any]:
    return {
        "name": citizen.name,
        "ssn": citizen.ssn,
        "sex": _sex(citizen),
        "birth_date": citizen.birth_date.isoformat(),
    }


def _masked(name: str) -> str:
    return name if len(name) <= 1 else name[0] + "*" * (len(name) - 1)


# --- endpoints -----------------------------------------------------------------------------


@router.get("/persons/{person_ref}/contributions")
def get_contributions(person_ref: str, request: Request, who: Auth) -> Response:
    """The pension contribution record of a person, year by year."""
    with _sessions(request)() as session:
        citizen = _citizen(session, person_ref)
        body = contribution_record(citizen, datetime.now(UTC).date())
    log.info("contribution record answered (%d years)", len(body["years"]))
    return _answer(body)


@router.post("/persons/{person_ref}/documents")
def issue_document(person_ref: str, body: DocumentRequest, request: Request, who: Auth) -> Response:
    """Issue a numbered document with a verification code; 201 with its content."""
    now = utc_now()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    with _sessions(request)() as session:
        citizen = _citizen(session, person_ref)
        hall = session.get(Hall, who.hall_id)
        records = contribution_record(citizen, now.date())
        prefix = "ZM" if body.kind == "certificate" else "JF"
        day = now.strftime("%Y%m%d")
        issued_today = session.scalar(
            select(func.count())
            .select_from(IssuedDocumentRow)
            .where(IssuedDocumentRow.number.like(f"{prefix}{day}%"))
        )
        number = f"{prefix}{day}{int(issued_today or 0) + 1:06d}"
        answer = {
            "number": number,
            "kind": body.kind,
            "issued_at": now.isoformat().replace("+00:00", "Z"),
            "hall_id": who.hall_id,
            "hall_name": hall.name if hall else who.hall_id,
            "verification": code,
            "holder": _holder(citizen),
            "insurances": insurance_lines(citizen, records),
            "contributions": records if body.kind == "contributions" else None,
        }
        content = json.dumps(answer, sort_keys=True, ensure_ascii=False).encode("utf-8")
        session.add(
            IssuedDocumentRow(
                number=number,
                kind=body.kind,
                person_ref=citizen.person_ref,
                hall_id=who.hall_id,
                issued_by=who.label,
                issued_at=now,
                code_hash=hashlib.sha256(code.encode("ascii")).hexdigest(),
                content_digest=hashlib.sha256(content).hexdigest(),
            )
        )
        session.commit()
    log.info("document %s issued (%s) by %s", number, body.kind, who.label)
    return _answer(answer, 201)


@router.get("/documents/{number}")
def check_document(
    number: str,
    request: Request,
    who: Auth,
    code: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    """Whether a printed document is genuine; a wrong code is the same 404 as no document."""
    with _sessions(request)() as session:
        row = session.get(IssuedDocumentRow, number)
        given = hashlib.sha256(code.strip().upper().encode("ascii", "replace")).hexdigest()
        if row is None or not secrets.compare_digest(row.code_hash, given):
            raise _error(404, "document_not_found", "no document with this number and code")
        citizen = session.get(Citizen, row.person_ref)
        answer = {
            "number": row.number,
            "kind": row.kind,
            "issued_at": row.issued_at.isoformat().replace("+00:00", "Z"),
            "hall_id": row.hall_id,
            "holder_masked": _masked(citizen.name) if citizen else "",
            "valid": True,
        }
    return _answer(answer)


@router.post("/kiosk/assistance")
def call_staff(body: AssistanceRequest, request: Request, who: Auth) -> Response:
    """A kiosk asks for a staff member; answered with the call's id."""
    now = utc_now()
    screen = body.screen if body.screen in SCREEN_CODES else "other"
    call_id = "A" + secrets.token_hex(6)
    with _sessions(request)() as session:
        session.add(
            AssistanceRow(
                id=call_id,
                hall_id=who.hall_id,
                workstation_id=who.workstation_id or who.subject,
                screen=screen,
                at=now,
            )
        )
        session.commit()
    log.info("staff called by %s (screen %s)", who.workstation_id or who.subject, screen)
    return _answer({"id": call_id, "at": now.isoformat().replace("+00:00", "Z")}, 201)


@router.get("/kiosk/assistance")
def list_staff_calls(
    request: Request, who: Auth, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> Response:
    """The hall's staff calls, newest first (for the staff's screens)."""
    if not who.is_staff:
        raise _error(403, "forbidden", "staff only")
    with _sessions(request)() as session:
        rows = session.scalars(
            select(AssistanceRow)
            .where(AssistanceRow.hall_id == who.hall_id)
            .order_by(AssistanceRow.at.desc())
            .limit(limit)
        ).all()
        calls = [
            {
                "id": row.id,
                "workstation_id": row.workstation_id,
                "screen": row.screen,
                "at": row.at.isoformat().replace("+00:00", "Z"),
            }
            for row in rows
        ]
    return _answer({"calls": calls})
