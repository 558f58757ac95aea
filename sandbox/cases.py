"""Cases at central: checking a submission, storing it exactly once, and moving it along.

Every change of a case is also recorded as a timestamped :class:`~sandbox.db.CaseEvent`
(received, approvals, each department's start and finish, completed, rejected); the statistics
of :mod:`sandbox.stats` are computed from those events.

Exactly once rests on the ``cases.idempotency_key`` UNIQUE column: a submission whose key is
already stored is answered from the stored case (same body digest: 200 with the same view;
another digest: 409). Two submissions with the same key racing each other both try the INSERT;
SQLite lets one commit and the other gets an IntegrityError, which is then answered like a
replay.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from desktop.contract import CaseEvent as CaseEventView
from desktop.contract import (
    CaseEventList,
    CaseSubmission,
    CaseView,
    RouteStep,
    Service,
    body_digest,
)
from sandbox.alerts import opening_hours, raise_alert
from sandbox.approvals import attach_stages, stage_view, stages_of
from sandbox.auth import Principal
from sandbox.db import (
    Case,
    CaseEvent,
    CaseStep,
    Citizen,
    ServiceRow,
    Staff,
    Workstation,
    utc_now,
)

log = logging.getLogger(__name__)

# ``cases.submitted_by`` of the cases the history generator wrote (sandbox.history). The
# background advancer leaves them alone: they hold a planted picture, not live work.
GENERATED_BY = "history:generated"


def record(
    case: Case,
    kind: str,
    at: datetime,
    department: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append an event to a case (flushed with the case, in the caller's transaction)."""
    case.events.add(CaseEvent(kind=kind, at=at, department=department, detail=detail or None))


@dataclass
class CaseProblem(Exception):
    """A submission central refuses: HTTP status, stable code, message and field codes."""

    status: int
    code: str
    message: str
    fields: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"


def case_view(case: Case) -> CaseView:
    """The API view of a stored case (its approval stages when it is in a session)."""
    session = Session.object_session(case)
    approvals = [] if session is None or case.pk is None else stages_of(session, case.pk)
    return CaseView(
        id=case.id or "",
        local_id=case.local_id,
        service=case.service,
        status=case.status,
        hall_id=case.hall_id,
        workstation_id=case.workstation_id,
        clerk=case.clerk,
        received_at=case.received_at,
        route=[
            RouteStep(
                department=s.department,
                status=s.status,
                started_at=s.started_at,
                finished_at=s.finished_at,
            )
            for s in case.steps
        ],
        approvals=[stage_view(a) for a in approvals],
    )


def case_events(session: Session, case: Case) -> CaseEventList:
    """The API view of a stored case's events, oldest first (same times: in written order)."""
    rows = session.scalars(
        select(CaseEvent).where(CaseEvent.case_pk == case.pk).order_by(CaseEvent.at, CaseEvent.id)
    ).all()
    return CaseEventList(
        case_id=case.id or "",
        events=[
            CaseEventView(kind=r.kind, at=r.at, department=r.department, detail=r.detail or {})
            for r in rows
        ],
    )


def form_errors(schema: dict[str, Any], form: dict[str, Any]) -> dict[str, str]:
    """Check a form against its JSON Schema; returns ``form.<path>`` -> the failed keyword.

    The keyword (``required``, ``minimum``, ``enum``, ``type``, ``additionalProperties`` …) is
    a stable code the desk can translate.
    """
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors: dict[str, str] = {}
    for error in validator.iter_errors(form):
        path = ".".join(str(p) for p in error.absolute_path)
        prefix = f"form.{path}" if path else "form"
        if error.validator == "required" and isinstance(error.instance, dict):
            for name in error.validator_value:
                if name not in error.instance:
                    errors.setdefault(f"{prefix}.{name}", "required")
        elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = set(error.schema.get("properties", {}))
            for name in error.instance:
                if name not in known:
                    errors.setdefault(f"{prefix}.{name}", "additionalProperties")
        else:
            errors.setdefault(prefix, str(error.validator))
    return errors


def load_service(session: Session, code: str) -> Service | None:
    """The catalog entry for a service code, or None."""
    row = session.get(ServiceRow, code)
    return None if row is None else Service.model_validate(row.body)


def check_submission(session: Session, principal: Principal, sub: CaseSubmission) -> list[str]:
    """Check a submission against the principal, the catalog and central's records.

    Returns the approval rules the case met (all co-signed). Raises :class:`CaseProblem`.
    """
    # Who may submit for which desk: a workstation only for itself; staff only as themselves.
    if sub.hall_id != principal.hall_id:
        raise CaseProblem(403, "hall_mismatch", "the case names another hall than the sender's")
    if principal.is_workstation and sub.workstation_id != principal.subject:
        raise CaseProblem(403, "workstation_mismatch", "the case names another workstation")
    if principal.is_staff and sub.clerk != principal.subject:
        raise CaseProblem(403, "clerk_mismatch", "staff may submit only their own cases")

    fields: dict[str, str] = {}
    workstation = session.get(Workstation, sub.workstation_id)
    if workstation is None or workstation.hall_id != sub.hall_id:
        fields["workstation_id"] = "unknown_workstation"
    clerk = session.get(Staff, sub.clerk)
    if clerk is None or clerk.hall_id != sub.hall_id or "clerk" not in clerk.roles:
        fields["clerk"] = "unknown_clerk"

    service = load_service(session, sub.service)
    if service is None:
        fields["service"] = "unknown_service"
        raise CaseProblem(422, "unknown_service", "no such service", fields)

    citizen = session.scalars(select(Citizen).where(Citizen.ssn == sub.citizen.ssn)).one_or_none()
    if citizen is None:
        fields["citizen.ssn"] = "person_not_found"
    elif citizen.card_no != sub.citizen.card_no:
        fields["citizen.card_no"] = "card_not_found"
    else:
        if sub.citizen.person_ref is not None and sub.citizen.person_ref != citizen.person_ref:
            fields["citizen.person_ref"] = "mismatch"
        if citizen.card_status != "normal":
            fields["citizen.card_no"] = f"card_{citizen.card_status}"
    if fields:
        raise CaseProblem(422, "case_invalid", "the case does not match central's records", fields)

    problems = form_errors(service.form, sub.form)
    if problems:
        raise CaseProblem(422, "form_invalid", "the form does not satisfy the service", problems)

    problems = service.factor_problems(sub.identity)
    if problems:
        raise CaseProblem(
            422,
            "identity_insufficient",
            "the identity check does not satisfy the service",
            problems,
        )

    needed = service.approvals_needed(sub.identity, sub.form)
    if sub.cosign is not None:
        # The same rules as a decision in the inbox (sandbox.approvals): 403 for a co-signer
        # who made the case, does not exist in the hall or lacks the first stage's role.
        stages = service.approval_stages(sub.identity, sub.form) or ["supervisor"]
        if sub.cosign.supervisor == sub.clerk:
            raise CaseProblem(
                403,
                "self_approval",
                "nobody co-signs a case they made",
                {"cosign.supervisor": "same_as_clerk"},
            )
        supervisor = session.get(Staff, sub.cosign.supervisor)
        if supervisor is None or supervisor.hall_id != sub.hall_id:
            raise CaseProblem(
                403,
                "role_required",
                "the co-signer is not a staff member of this hall",
                {"cosign.supervisor": "unknown" if supervisor is None else "other_hall"},
            )
        if stages[0] not in supervisor.roles:
            raise CaseProblem(
                403,
                "role_required",
                f"the co-signer does not hold the role {stages[0]}",
                {"cosign.supervisor": f"not_{stages[0]}"},
            )
    return needed


@dataclass(frozen=True)
class SubmitResult:
    """What ``POST /v1/cases`` answers: 201 new, 200 replay."""

    status: int
    view: CaseView


def _answer_existing(existing: Case, digest: str, principal: Principal) -> SubmitResult:
    # A key replayed from another hall is never the same submission.
    if existing.body_digest != digest or existing.hall_id != principal.hall_id:
        raise CaseProblem(
            409,
            "idempotency_conflict",
            "this Idempotency-Key was used with another case body",
        )
    return SubmitResult(200, case_view(existing))


def submit_case(
    sessions: sessionmaker, principal: Principal, key: str, sub: CaseSubmission
) -> SubmitResult:
    """Store a case once per idempotency key (see the module docstring)."""
    digest = body_digest(sub)

    with sessions() as session:
        existing = session.scalars(select(Case).where(Case.idempotency_key == key)).one_or_none()
        if existing is not None:
            result = _answer_existing(existing, digest, principal)
            log.info("case %s replayed (key seen before)", existing.id)
            return result
        approvals = check_submission(session, principal, sub)
        service = load_service(session, sub.service)
        assert service is not None  # check_submission refused unknown services

        now = utc_now()
        stages = service.approval_stages(sub.identity, sub.form)
        case = Case(
            idempotency_key=key,
            body_digest=digest,
            body=sub.model_dump(mode="json"),
            local_id=sub.local_id,
            service=sub.service,
            status="received",
            hall_id=sub.hall_id,
            workstation_id=sub.workstation_id,
            clerk=sub.clerk,
            person_ref=_person_ref(session, sub),
            submitted_by=principal.label,
            approvals=approvals,
            received_at=now,
            updated_at=now,
            steps=[
                CaseStep(position=i, department=d, status="waiting")
                for i, d in enumerate(service.route)
            ],
        )
        record(case, "received", now)
        session.add(case)
        try:
            session.flush()
            # The central id: "C", the day received (UTC) and the row number.
            case.id = f"C{now:%Y%m%d}{case.pk:06d}"
            cosign = sub.cosign if stages else None
            if not attach_stages(session, case, stages, approvals, cosign, now):
                # Parked until the hall's inbox decides the open stages (sandbox.approvals).
                case.status = "awaiting_approval"
            elif sub.cosign is not None and not stages:
                # A co-signature on a case that needed none is kept as it came, with its times.
                asked = min(sub.created_at, sub.cosign.at)
                record(case, "approval_requested", asked, detail={"rules": [], "where": "desk"})
                decided = {"decision": "approved", "by": sub.cosign.supervisor, "where": "desk"}
                record(case, "approval_decided", sub.cosign.at, detail=decided)
            if sub.cosign is not None:
                _cosign_hours(session, case, sub.cosign.supervisor, sub.cosign.at)
            session.commit()
        except IntegrityError:
            session.rollback()
            # Another request with the same key committed first: answer as a replay.
            with sessions() as again:
                existing = again.scalars(
                    select(Case).where(Case.idempotency_key == key)
                ).one_or_none()
                if existing is None:
                    raise
                result = _answer_existing(existing, digest, principal)
                log.info("case %s replayed (concurrent submission)", existing.id)
                return result
        log.info("case %s received (service %s, local id %s)", case.id, case.service, case.local_id)
        return SubmitResult(201, case_view(case))


def _cosign_hours(session: Session, case: Case, supervisor: str, at: datetime) -> None:
    """Alert when a desk co-signature was made outside the hall's opening hours."""
    if opening_hours(session, case.hall_id).is_open(at):
        return
    raise_alert(
        session,
        hall_id=case.hall_id,
        kind="approval_outside_hours",
        at=utc_now(),
        workstation_id=case.workstation_id,
        subject=supervisor,
        detail={"case_id": case.id, "stage": 1, "where": "desk"},
        dedup=f"outside_hours:{case.id}:1",
    )


def _person_ref(session: Session, sub: CaseSubmission) -> str | None:
    citizen = session.scalars(select(Citizen).where(Citizen.ssn == sub.citizen.ssn)).one_or_none()
    return None if citizen is None else citizen.person_ref


def advance(case: Case, now: datetime) -> bool:
    """Move a case one step along its route; False when it is already closed.

    received -> first department in progress -> done and the next in progress -> … -> the last
    done: completed. Records the matching events.
    """
    if case.status in ("completed", "rejected", "awaiting_approval"):
        return False
    current = next((s for s in case.steps if s.status == "in_progress"), None)
    if current is not None:
        current.status = "done"
        current.finished_at = now
        record(case, "department_finished", now, current.department, {"outcome": "done"})
    following = next((s for s in case.steps if s.status == "waiting"), None)
    if following is not None:
        following.status = "in_progress"
        following.started_at = now
        case.status = "in_progress"
        record(case, "department_started", now, following.department)
    else:
        case.status = "completed"
        record(case, "completed", now)
    case.updated_at = now
    return True


def reject(case: Case, now: datetime, reason: str = "rejected_by_department") -> bool:
    """Close a case as rejected by the department handling it; False when already closed."""
    if case.status in ("completed", "rejected"):
        return False
    current = next((s for s in case.steps if s.status == "in_progress"), None)
    if current is not None:
        current.status = "done"
        current.finished_at = now
        record(case, "department_finished", now, current.department, {"outcome": "rejected"})
    case.status = "rejected"
    case.updated_at = now
    record(case, "rejected", now, detail={"reason": reason})
    return True


def advance_due(sessions: sessionmaker, older_than: timedelta) -> int:
    """Advance every open case untouched for ``older_than``; returns how many moved."""
    now = utc_now()
    moved = 0
    with sessions() as session:
        due = session.scalars(
            select(Case)
            .where(Case.status.in_(("received", "in_progress")))
            .where(Case.updated_at <= now - older_than)
            .where(Case.submitted_by != GENERATED_BY)
            .order_by(Case.pk)
            .limit(500)
        ).all()
        for case in due:
            if advance(case, now):
                moved += 1
        session.commit()
    if moved:
        log.info("advanced %s case(s)", moved)
    return moved


def backfill_events(session: Session) -> int:
    """Give cases stored before events existed the events their columns imply.

    ``received``, each department's start and finish, and ``completed``/``rejected``, from
    ``received_at``, the steps' times and ``updated_at``. Runs in the caller's transaction;
    returns how many cases it filled.
    """
    bare = session.scalars(
        select(Case).where(~exists().where(CaseEvent.case_pk == Case.pk)).order_by(Case.pk)
    ).all()
    for case in bare:
        record(case, "received", case.received_at)
        for step in case.steps:
            if step.started_at is not None:
                record(case, "department_started", step.started_at, step.department)
            if step.finished_at is not None:
                record(case, "department_finished", step.finished_at, step.department)
        if case.status in ("completed", "rejected"):
            record(case, case.status, case.updated_at)
    if bare:
        log.info("recorded events for %s case(s) stored before events existed", len(bare))
    return len(bare)
