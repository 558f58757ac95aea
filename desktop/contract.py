"""The central API's request and response models (v1), shared by the desk and the sandbox.

These pydantic models are the contract of design section 5; ``docs/api.md`` describes the
endpoints that carry them. Both sides parse with the same models, so a field added here is
added for both. Two rules keep "same body" well defined for idempotent case submission:

- every datetime in a request must carry a time zone and is normalised to UTC on validation;
- :func:`canonical_json` (sorted keys, UTF-8, compact, no transport fields) of a parsed
  :class:`CaseSubmission` is what :func:`body_digest` hashes, on the desk and at central alike.

Request models forbid unknown fields (a typo is an error, not silently dropped data); response
models ignore unknown fields, so a newer central does not break an older desk.

This module imports nothing else of ours.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    model_validator,
)

# The departments a case passes through, in the order a route may name them. The UI shows
# their display names (就业服务中心, 社保经办机构, 财政).
DEPARTMENTS = ("employment_center", "social_insurance", "finance")

# The header that carries a write's idempotency key (a UUID).
IDEMPOTENCY_HEADER = "Idempotency-Key"

Factor = Literal["pin", "face"]
ApprovalWhen = Literal[
    "face_override", "face_declined", "offline_identity", "pin_reset", "amount_over"
]
CardStatus = Literal["normal", "lost", "cancelled", "replaced"]
FaceDecision = Literal["match", "no_match", "declined", "not_required", "unavailable"]
PinCheck = Literal["ok", "not_required", "not_checked"]
StepStatus = Literal["waiting", "in_progress", "done"]
CaseStatus = Literal["received", "in_progress", "completed", "rejected"]
Role = Literal["clerk", "supervisor", "admin"]


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


# A datetime that must carry a time zone; stored and serialised in UTC ("...Z").
UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]

Ident = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
]


def _normalize_code(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


# ID numbers: 18-character citizen numbers, old 15-digit ones, and other holders' numbers (which
# the desk warns about but does not refuse). Surrounding blanks are dropped, lower-case x is
# accepted and upper-cased.
Ssn = Annotated[
    str,
    BeforeValidator(_normalize_code),
    StringConstraints(min_length=6, max_length=32, pattern=r"^[0-9A-Z]+$"),
]
CardNo = Annotated[
    str, BeforeValidator(_normalize_code), StringConstraints(pattern=r"^[0-9A-Z]{9}$")
]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]


def _json_values_only(value: dict[str, Any]) -> dict[str, Any]:
    """Refuse NaN and infinities anywhere in a form: JSON cannot carry them, and pydantic
    would silently write them as null, so the digest would not be of what was entered."""

    def check(item: Any) -> None:
        if isinstance(item, float) and not math.isfinite(item):
            raise ValueError("form holds a number JSON cannot carry (NaN or infinity)")
        if isinstance(item, dict):
            for inner in item.values():
                check(inner)
        elif isinstance(item, list | tuple):
            for inner in item:
                check(inner)

    check(value)
    return value


# A case form: any JSON object (checked against the service's JSON Schema by central).
FormData = Annotated[dict[str, Any], AfterValidator(_json_values_only)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Response(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


# --- authentication ------------------------------------------------------------------------


class LoginRequest(_Request):
    """Staff sign-in (``POST /v1/auth/login``)."""

    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    workstation_id: Ident | None = None


class LoginResponse(_Response):
    """A staff bearer token with the staff member's roles and hall."""

    token: str
    username: str
    name: str
    roles: list[Role]
    hall_id: str
    expires_in: int


class WorkstationLoginRequest(_Request):
    """Workstation sign-in (``POST /v1/auth/workstation``), used by the outbox."""

    workstation_id: Ident
    secret: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class WorkstationLoginResponse(_Response):
    """A workstation bearer token."""

    token: str
    workstation_id: str
    hall_id: str
    expires_in: int


# --- the service catalog ---------------------------------------------------------------------


class LocalizedText(_Response):
    """A text in the hall's two languages."""

    zh_CN: str
    en: str


class ApprovalRule(_Response):
    """When a supervisor must co-sign a case of a service.

    ``amount_over`` names the form field and the limit; the other kinds take neither.
    """

    when: ApprovalWhen
    field: str | None = None
    limit: float | None = None

    @model_validator(mode="after")
    def _check_amount(self) -> ApprovalRule:
        if self.when == "amount_over" and (self.field is None or self.limit is None):
            raise ValueError("amount_over needs a field and a limit")
        return self


class Service(_Response):
    """One entry of the service catalog (``GET /v1/services``, ``resources/services.json``).

    ``form`` is a JSON Schema (draft 2020-12) for the case form; ``docs/services.md`` describes
    the ``x-`` keywords that carry the English titles for the UI.
    """

    code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
    name: LocalizedText
    form: dict[str, Any]
    factors: list[Factor]
    approval: list[ApprovalRule] = []
    route: list[Literal["employment_center", "social_insurance", "finance"]]
    kiosk: bool = False

    @model_validator(mode="after")
    def _check_lists(self) -> Service:
        if len(set(self.factors)) != len(self.factors):
            raise ValueError("factors repeat")
        if not self.route:
            raise ValueError("route is empty")
        if self.form.get("type") != "object":
            raise ValueError("form must be a JSON Schema of type object")
        return self

    def rule(self, when: str) -> ApprovalRule | None:
        """The service's approval rule of one kind, or None."""
        return next((r for r in self.approval if r.when == when), None)

    def factor_problems(self, identity: IdentityCheck) -> dict[str, str]:
        """Which required identity factors the check does not satisfy, as field -> code.

        PIN: the service needs ``pin == "ok"``. Face: a match, or one of the alternatives the
        service's rules allow (``no_match`` under face_override; ``declined`` or
        ``unavailable`` under face_declined; ``unavailable`` offline under offline_identity).
        An empty dict means the factors are satisfied.
        """
        problems: dict[str, str] = {}
        if "pin" in self.factors and identity.pin != "ok":
            problems["identity.pin"] = "pin_required"
        if "face" in self.factors:
            allowed = {"match"}
            if self.rule("face_override"):
                allowed.add("no_match")
            if self.rule("face_declined"):
                allowed |= {"declined", "unavailable"}
            if identity.offline and self.rule("offline_identity"):
                allowed.add("unavailable")
            if identity.face.decision not in allowed:
                problems["identity.face.decision"] = "face_required"
        return problems

    def approvals_needed(self, identity: IdentityCheck, form: dict[str, Any]) -> list[str]:
        """The approval rules (their ``when`` codes) a case with this identity and form meets.

        A non-empty answer means a supervisor must co-sign the case.
        """
        needed: list[str] = []
        decision = identity.face.decision
        if "face" in self.factors:
            if decision == "no_match" and self.rule("face_override"):
                needed.append("face_override")
            # Offline, the reference photo cannot be fetched: offline_identity covers that
            # when the service has the rule, otherwise it counts as a declined face check.
            offline_covers = identity.offline and self.rule("offline_identity") is not None
            unavailable_declined = decision == "unavailable" and not offline_covers
            if (decision == "declined" or unavailable_declined) and self.rule("face_declined"):
                needed.append("face_declined")
        if identity.offline and self.rule("offline_identity"):
            needed.append("offline_identity")
        if self.rule("pin_reset"):
            needed.append("pin_reset")
        for rule in self.approval:
            if rule.when != "amount_over":
                continue
            value = form.get(rule.field or "")
            is_number = isinstance(value, int | float) and not isinstance(value, bool)
            if is_number and rule.limit is not None and value > rule.limit:
                needed.append("amount_over")
        return needed


SERVICE_LIST = TypeAdapter(list[Service])


def parse_services(data: Any) -> list[Service]:
    """Parse a service catalog (a JSON list, as served and as in services.json)."""
    return SERVICE_LIST.validate_python(data)


# --- persons --------------------------------------------------------------------------------


class PersonLookupRequest(_Request):
    """Look a person and card up by ID number and card number (never in a URL)."""

    ssn: Ssn
    card_no: CardNo


class PersonLookupResponse(_Response):
    """Central's record of the person and the status of the card presented."""

    person_ref: str
    name: str
    birth_date: date
    card_status: CardStatus


# --- cases ----------------------------------------------------------------------------------


class FaceCheck(_Request):
    """The face decision made at the desk (never an image or an encoding)."""

    decision: FaceDecision
    distance: float | None = None
    threshold: float | None = None
    liveness: Annotated[str, StringConstraints(max_length=64)] | None = None


class IdentityCheck(_Request):
    """How the citizen's identity was checked for a case."""

    pin: PinCheck
    face: FaceCheck
    offline: bool = False


class CitizenRef(_Request):
    """The citizen a case is for. ``person_ref`` is None when identity was checked offline."""

    person_ref: Ident | None = None
    ssn: Ssn
    card_no: CardNo


class CoSign(_Request):
    """A supervisor's co-signature made at the desk."""

    supervisor: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    reason: ShortText
    at: UtcDatetime


class CaseSubmission(_Request):
    """A case as the desk sends it (``POST /v1/cases``); its digest decides "same body"."""

    local_id: Ident
    service: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    hall_id: Ident
    workstation_id: Ident
    clerk: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    created_at: UtcDatetime
    citizen: CitizenRef
    identity: IdentityCheck
    form: FormData
    cosign: CoSign | None = None


class RouteStep(_Response):
    """One department on a case's route."""

    department: str
    status: StepStatus
    started_at: datetime | None = None
    finished_at: datetime | None = None


class CaseView(_Response):
    """A case as central holds it: the central id, status and route."""

    id: str
    local_id: str
    service: str
    status: CaseStatus
    hall_id: str
    workstation_id: str
    clerk: str
    received_at: datetime
    route: list[RouteStep]


class CaseList(_Response):
    """``GET /v1/cases``: the newest cases first."""

    cases: list[CaseView]


# --- errors ---------------------------------------------------------------------------------


class ErrorDetail(_Response):
    """A stable ``code``, an English ``message`` and per-field codes (``form.amount`` -> code)."""

    code: str
    message: str
    fields: dict[str, str] = Field(default_factory=dict)


class ErrorBody(_Response):
    """Every error response: ``{"error": {"code", "message", "fields"}}``."""

    error: ErrorDetail


# --- canonical form -------------------------------------------------------------------------


def canonical_json(case: CaseSubmission) -> bytes:
    """The case's canonical JSON: sorted keys, UTF-8 (not escaped), compact, JSON-mode values.

    Datetimes appear in UTC as pydantic writes them (``2026-12-04T08:30:00Z``); forms cannot
    hold NaN or infinities (refused on validation). Transport fields (the idempotency key, the
    token) are not part of it.
    """
    data = case.model_dump(mode="json")
    text = json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    return text.encode("utf-8")


def body_digest(case: CaseSubmission) -> str:
    """SHA-256 (hex) of :func:`canonical_json`: what central compares to tell "same body"."""
    return hashlib.sha256(canonical_json(case)).hexdigest()
