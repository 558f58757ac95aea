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
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal, get_args

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
# "ecard": the citizen showed the electronic card, which central verified (the citizen unlocked
# it in the app); it stands in for the card PIN.
PinCheck = Literal["ok", "not_required", "not_checked", "ecard"]
StepStatus = Literal["waiting", "in_progress", "done"]
CaseStatus = Literal["received", "awaiting_approval", "in_progress", "completed", "rejected"]
Role = Literal["clerk", "supervisor", "admin"]
# The roles that may decide an approval stage (a clerk never approves).
ApproverRole = Literal["supervisor", "admin"]


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
    """A staff bearer token with the staff member's roles and hall.

    ``staff_card_no``: the card number of the staff member's own card, for the hall's
    ``card_pin`` second factor (None when central has none on file).
    """

    token: str
    username: str
    name: str
    roles: list[Role]
    hall_id: str
    expires_in: int
    staff_card_no: str | None = None


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
    ``stages`` are the approval levels the rule asks for, in the order they are decided, each
    naming the role that decides it (default: one supervisor). The desk's co-signature decides
    the first stage; later stages are decided in the hall's approval inbox.
    """

    when: ApprovalWhen
    field: str | None = None
    limit: float | None = None
    stages: Annotated[list[ApproverRole], Field(min_length=1, max_length=5)] = ["supervisor"]

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

        PIN: the service needs ``pin`` ``ok`` (or ``ecard``: central verified the e-card).
        Face: a match, or one of the alternatives the service's rules allow (``no_match``
        under face_override; ``declined`` or ``unavailable`` under face_declined;
        ``unavailable`` offline under offline_identity).
        An empty dict means the factors are satisfied.
        """
        problems: dict[str, str] = {}
        if "pin" in self.factors and identity.pin not in ("ok", "ecard"):
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

    def approval_stages(self, identity: IdentityCheck, form: dict[str, Any]) -> list[str]:
        """The approval stages a case with this identity and form needs, as roles in order.

        The stages of the rule met that asks for the most levels (rules met with the same
        number keep catalog order); empty when no rule is met. Used by the desk and by central.
        """
        met = set(self.approvals_needed(identity, form))
        stages: list[str] = []
        for rule in self.approval:
            if rule.when not in met:
                continue
            if rule.when == "amount_over":
                value = form.get(rule.field or "")
                is_number = isinstance(value, int | float) and not isinstance(value, bool)
                if not (is_number and rule.limit is not None and value > rule.limit):
                    continue
            if len(rule.stages) > len(stages):
                stages = list(rule.stages)
        return stages


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


# The longest e-card QR payload accepted (desktop.ecard.MAX_PAYLOAD_LENGTH).
ECARD_PAYLOAD_MAX = 4096


class EcardVerifyRequest(_Request):
    """An electronic social security card's QR payload, opaque (``POST /v1/ecard/verify``).

    Only printable characters without spaces, 1 to 4096 of them; never in a URL or a log.
    """

    payload: Annotated[
        str, StringConstraints(min_length=1, max_length=ECARD_PAYLOAD_MAX, pattern=r"^[!-~]+$")
    ] = Field(repr=False)


class EcardVerifyResponse(PersonLookupResponse):
    """The lookup answer for the e-card, plus the ID number and card number of the physical
    card it stands for (a case's ``CitizenRef`` needs both)."""

    ssn: str = Field(repr=False)
    card_no: str


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


ApprovalStageStatus = Literal["waiting", "pending", "approved", "rejected", "cancelled"]
ApprovalDecision = Literal["approved", "rejected"]


class ApprovalStageView(_Response):
    """One approval stage of a case at central.

    ``waiting``: an earlier stage is not decided yet; ``pending``: in the hall's inbox;
    ``approved``/``rejected``: decided by ``decided_by`` (``where``: ``desk`` for a co-signature
    made at the clerk's desk, ``central`` for the inbox) for ``reason``; ``cancelled``: an
    earlier stage was rejected.
    """

    stage: int
    role: str
    status: ApprovalStageStatus
    requested_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None
    where: Literal["desk", "central"] | None = None
    reason: str | None = None  # the decider's reason (a template's text or typed)


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
    approvals: list[ApprovalStageView] = Field(default_factory=list)


class CaseList(_Response):
    """``GET /v1/cases``: the newest cases first."""

    cases: list[CaseView]


# --- case events ------------------------------------------------------------------------------

# What happened to a case at central, in order (``GET /v1/cases/{id}/events``). Department events
# name the department; approval events come from a supervisor's co-signature (at the desk, with
# the desk's times) or, later, from the approval inbox.
CaseEventKind = Literal[
    "received",
    "approval_requested",
    "approval_decided",
    "department_started",
    "department_finished",
    "completed",
    "rejected",
]
CASE_EVENT_KINDS: tuple[str, ...] = get_args(CaseEventKind)


class CaseEvent(_Response):
    """One timestamped step in a case's life at central.

    ``detail`` holds codes and staff ids only (``{"decision": "approved", "by": "super01"}``,
    ``{"outcome": "rejected"}``), never personal data.
    """

    kind: CaseEventKind
    at: datetime
    department: str | None = None
    detail: dict[str, Any] = Field(default_factory=dict)


class CaseEventList(_Response):
    """``GET /v1/cases/{id}/events``: the case's events, oldest first."""

    case_id: str
    events: list[CaseEvent]


# --- fault injection (sandbox administration) ---------------------------------------------------


class FaultSpec(_Request):
    """Faults the sandbox injects into desk traffic (``PUT /v1/admin/faults``, ``--faults``).

    All off by default. ``error_rate`` and ``drop_after_commit`` are shares between 0 and 1;
    ``rate_limit`` is requests per second over all clients (None: no limit); ``seed`` makes the
    random draws reproducible. ``docs/api.md`` describes what each does.
    """

    error_rate: float = Field(default=0.0, ge=0.0, le=1.0, allow_inf_nan=False)
    delay_ms: int = Field(default=0, ge=0, le=60_000)
    rate_limit: float | None = Field(default=None, gt=0.0, le=100_000.0, allow_inf_nan=False)
    drop_after_commit: float = Field(default=0.0, ge=0.0, le=1.0, allow_inf_nan=False)
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1)

    @property
    def active(self) -> bool:
        """Whether any fault is switched on."""
        return bool(self.error_rate or self.delay_ms or self.rate_limit or self.drop_after_commit)


# --- workstation heartbeat ------------------------------------------------------------------------

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
Version = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._+~-]{0,63}$")]


class OutboxCounts(_Request):
    """How many outbox rows a desk holds in each state."""

    pending: int = Field(default=0, ge=0)
    sending: int = Field(default=0, ge=0)
    sent: int = Field(default=0, ge=0)
    rejected: int = Field(default=0, ge=0)
    withdrawn: int = Field(default=0, ge=0)

    @property
    def unsent(self) -> int:
        """Cases not yet at central and still to be sent (pending and sending)."""
        return self.pending + self.sending


class Heartbeat(_Request):
    """A desk's periodic report (``POST /v1/workstations/{id}/heartbeat``).

    Counts, ages, versions and flags only: the model forbids unknown fields, so no personal
    data can ride along. ``frozen`` says the desk refuses new cases (too many or too old unsent
    ones, design section 6), ``frozen_reason`` why, as a code.
    """

    sent_at: UtcDatetime
    app_version: Version
    outbox: OutboxCounts
    oldest_unsent_seconds: float | None = Field(default=None, ge=0.0, allow_inf_nan=False)
    frozen: bool = False
    frozen_reason: Code | None = None
    versions: Annotated[dict[Code, Version], Field(max_length=16)] = Field(default_factory=dict)


class HeartbeatAck(_Response):
    """Central's answer to a heartbeat; ``received_at`` lets the desk see its clock skew."""

    workstation_id: str
    received_at: datetime


# --- statistics for the supervisor's dashboard ----------------------------------------------------

# Stages of a case: "approval" (a supervisor's decision), "intake" (received, or approved after
# that, until the first department starts) and one per department.
STAGES: tuple[str, ...] = ("approval", "intake", *DEPARTMENTS)


class ThroughputBucket(_Response):
    """Cases of one service received, completed and rejected in one hour (UTC start)."""

    hour: datetime
    service: str
    received: int
    completed: int
    rejected: int


class ServiceTotal(_Response):
    """A service's totals over the whole window."""

    service: str
    received: int
    completed: int
    rejected: int


class ThroughputStats(_Response):
    """``GET /v1/stats/throughput``: buckets in hour then service order, window ``[start, end)``."""

    hall_id: str
    start: datetime
    end: datetime
    service: str | None = None
    buckets: list[ThroughputBucket]
    totals: list[ServiceTotal]


class StageSummary(_Response):
    """Time spent in one stage by the stage visits that ended in the window.

    Seconds; the median and 90th percentile interpolate linearly between ranks (the
    "inclusive" method); None when ``count`` is 0.
    """

    stage: str
    department: str | None = None
    count: int
    median_seconds: float | None = None
    p90_seconds: float | None = None
    max_seconds: float | None = None


class StageStats(_Response):
    """``GET /v1/stats/stages``: one summary per stage, in :data:`STAGES` order."""

    hall_id: str
    start: datetime
    end: datetime
    service: str | None = None
    department: str | None = None
    stages: list[StageSummary]


class BacklogStage(_Response):
    """Open cases now in one stage, and how long the oldest has been there (seconds)."""

    stage: str
    department: str | None = None
    open: int
    oldest_seconds: float | None = None


class BacklogStats(_Response):
    """``GET /v1/stats/backlog``: every stage of :data:`STAGES`, at ``at``."""

    hall_id: str
    at: datetime
    total_open: int
    stages: list[BacklogStage]


class WaitingApproval(_Response):
    """A case waiting for a supervisor's decision."""

    case_id: str
    service: str
    workstation_id: str
    clerk: str
    rules: list[str]
    requested_at: datetime
    age_seconds: float


class ApprovalStats(_Response):
    """``GET /v1/stats/approvals``: approvals asked and not decided, oldest first."""

    hall_id: str
    at: datetime
    waiting: int
    oldest_seconds: float | None = None
    median_age_seconds: float | None = None
    items: list[WaitingApproval]


class DeskStatus(_Response):
    """A desk as its latest heartbeat left it; ``offline`` past the threshold or never seen."""

    workstation_id: str
    name: str = ""
    last_contact: datetime | None = None
    seconds_since_contact: float | None = None
    app_version: str | None = None
    unsent: int | None = None
    rejected: int | None = None
    oldest_unsent_seconds: float | None = None
    offline: bool
    frozen: bool = False
    frozen_reason: str | None = None


class DeskStats(_Response):
    """``GET /v1/stats/desks``: every workstation of the hall."""

    hall_id: str
    at: datetime
    offline_after_seconds: int
    desks: list[DeskStatus]


# --- the approval inbox -----------------------------------------------------------------------


class ApprovalDecisionRequest(_Request):
    """A decision on one approval stage of a case (``POST /v1/cases/{id}/approvals``).

    ``reason`` is the supervisor's text (a template's text or typed); ``reason_code`` names the
    hall's template when one was chosen.
    """

    stage: int = Field(ge=1, le=5)
    decision: ApprovalDecision
    reason: ShortText | None = None
    reason_code: Code | None = None


class ApprovalItem(_Response):
    """A case waiting in the hall's approval inbox for the decision of its ``stage``.

    ``can_decide`` says whether the caller may decide it; otherwise ``why_not`` is the code
    central would answer with (``self_approval``, ``role_required``, ``approver_repeated``).
    """

    case_id: str
    local_id: str
    service: str
    workstation_id: str
    clerk: str
    rules: list[str]
    stage: int
    role: str
    stages: list[ApprovalStageView]
    requested_at: datetime
    received_at: datetime
    can_decide: bool = False
    why_not: str | None = None


class ApprovalInbox(_Response):
    """``GET /v1/approvals``: the hall's pending approvals, oldest first.

    ``version`` changes whenever an approval is asked or decided anywhere in the hall; a
    caller passes it back as ``after`` to wait for the next change.
    """

    hall_id: str
    version: int
    at: datetime
    items: list[ApprovalItem]


class ApprovalResult(_Response):
    """Central's answer to a decision: the case's status and all its stages."""

    case_id: str
    status: CaseStatus
    stage: int
    decision: ApprovalDecision
    approvals: list[ApprovalStageView]


# --- the audit trail ---------------------------------------------------------------------------

AUDIT_ALGORITHMS = ("hmac-sha256", "hmac-sm3")
AuditAlgorithm = Literal["hmac-sha256", "hmac-sm3"]
Mac = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
# Audit details carry codes, ids, counts and flags only: strings are short tokens of ASCII
# letters, digits and a few separators, so no name (Chinese or not) or free text fits.
AuditText = Annotated[str, StringConstraints(max_length=64, pattern=r"^[A-Za-z0-9_.:@/+#-]*$")]
AuditScalar = AuditText | int | float | bool | None
AuditValue = AuditScalar | Annotated[list[AuditText | int | float | bool], Field(max_length=32)]
AuditActor = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:@#-]{1,64}$")]
AuditTime = Annotated[
    str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
]


class AuditRecord(_Request):
    """One record of a desk's audit chain, exactly as the desk stored and MAC'd it.

    ``mac`` is HMAC(desk secret, canonical JSON of every other field); ``prev_mac`` is the
    previous record's ``mac`` (64 zeros for the first). Central cannot check a MAC (the secret
    stays on the desk) but checks that the records link up and never change.
    """

    seq: int = Field(ge=1)
    at: AuditTime
    workstation_id: Ident
    actor: AuditActor
    action: Code
    person_ref: Ident | None = None
    details: Annotated[dict[Code, AuditValue], Field(max_length=32)] = Field(default_factory=dict)
    alg: AuditAlgorithm
    prev_mac: Mac
    mac: Mac


class AuditHead(_Request):
    """The last record of a chain: its ``seq`` and ``mac`` (``seq`` 0: an empty chain)."""

    seq: int = Field(ge=0)
    mac: Mac


class AuditBatch(_Request):
    """``POST /v1/audit``: consecutive records of one workstation's chain and the chain's head."""

    workstation_id: Ident
    records: Annotated[list[AuditRecord], Field(max_length=1000)]
    head: AuditHead


class AuditAck(_Response):
    """Central's head of the workstation's chain after a batch, and how many records were new."""

    workstation_id: str
    head: AuditHead
    stored: int


# --- alerts -----------------------------------------------------------------------------------

AlertKind = Literal[
    "failed_sign_ins",
    "account_locked",
    "lookups_without_cases",
    "approval_outside_hours",
    "audit_chain_broken",
]
ALERT_KINDS: tuple[str, ...] = get_args(AlertKind)


class OpeningHours(_Response):
    """When a hall is open: weekdays (1 Monday ... 7 Sunday) and ``HH:MM-HH:MM`` sessions in
    the hall's local time (``utc_offset_minutes``, China Standard Time by default).

    An approval decided outside these hours raises an ``approval_outside_hours`` alert; the
    desk and central use the same rule.
    """

    utc_offset_minutes: int = Field(default=480, ge=-720, le=840)
    days: Annotated[list[Annotated[int, Field(ge=1, le=7)]], Field(max_length=7)] = [1, 2, 3, 4, 5]
    sessions: Annotated[
        list[Annotated[str, StringConstraints(pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$")]],
        Field(max_length=8),
    ] = ["08:30-17:30"]

    @model_validator(mode="after")
    def _check_sessions(self) -> OpeningHours:
        for text in self.sessions:
            start, end = self._minutes(text)
            if not 0 <= start < end <= 24 * 60:
                raise ValueError(f"session {text!r} must run forward within one day")
        return self

    @staticmethod
    def _minutes(text: str) -> tuple[int, int]:
        start, end = text.split("-")
        h1, m1 = (int(x) for x in start.split(":"))
        h2, m2 = (int(x) for x in end.split(":"))
        if m1 > 59 or m2 > 59:
            raise ValueError(f"session {text!r} has minutes over 59")
        return h1 * 60 + m1, h2 * 60 + m2

    def is_open(self, moment: datetime) -> bool:
        """Whether the hall is open at ``moment`` (an aware datetime)."""
        local = moment.astimezone(UTC) + timedelta(minutes=self.utc_offset_minutes)
        if local.isoweekday() not in self.days:
            return False
        minute = local.hour * 60 + local.minute
        return any(
            start <= minute < end for start, end in (self._minutes(s) for s in self.sessions)
        )


class Alert(_Response):
    """Something a supervisor should look at (``GET /v1/alerts``).

    ``subject`` is a staff username or a workstation id, never a citizen; ``detail`` holds
    codes and counts. ``source``: raised by a desk (sent in its audit chain) or by central.
    """

    id: int
    hall_id: str
    workstation_id: str | None = None
    kind: AlertKind
    subject: str | None = None
    at: datetime
    source: Literal["desk", "central"]
    detail: dict[str, Any] = Field(default_factory=dict)


class AlertList(_Response):
    """``GET /v1/alerts``: the hall's alerts, newest first."""

    hall_id: str
    alerts: list[Alert]


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
