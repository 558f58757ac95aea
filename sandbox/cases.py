"""Cases at central: checking a submission, storing it exactly once, and moving it along.

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

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from desktop.contract import CaseSubmission, CaseView, RouteStep, Service, body_digest
from sandbox.auth import Principal
from sandbox.db import Case, CaseStep, Citizen, ServiceRow, Staff, Workstation, utc_now

log = logging.getLogger(__name__)


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
    """The API view of a stored case."""
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
    if needed:
        if sub.cosign is None:
            raise CaseProblem(
                422,
                "approval_required",
                "a supervisor must co-sign this case: " + ", ".join(needed),
                {"cosign": "required"},
            )
        supervisor = session.get(Staff, sub.cosign.supervisor)
        if supervisor is None or "supervisor" not in supervisor.roles:
            raise CaseProblem(
                422,
                "cosign_invalid",
                "the co-signer is not a supervisor",
                {"cosign.supervisor": "not_supervisor"},
            )
        if supervisor.hall_id != sub.hall_id:
            raise CaseProblem(
                422,
                "cosign_invalid",
                "the co-signer belongs to another hall",
                {"cosign.supervisor": "other_hall"},
            )
        if sub.cosign.supervisor == sub.clerk:
            raise CaseProblem(
                422,
                "cosign_invalid",
                "a supervisor never co-signs their own case",
                {"cosign.supervisor": "same_as_clerk"},
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
        session.add(case)
        try:
            session.flush()
            # The central id: "C", the day received (UTC) and the row number.
            case.id = f"C{now:%Y%m%d}{case.pk:06d}"
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


def _person_ref(session: Session, sub: CaseSubmission) -> str | None:
    citizen = session.scalars(select(Citizen).where(Citizen.ssn == sub.citizen.ssn)).one_or_none()
    return None if citizen is None else citizen.person_ref


def advance(case: Case, now: datetime) -> bool:
    """Move a case one step along its route; False when it is already closed.

    received -> first department in progress -> done and the next in progress -> … -> the last
    done: completed.
    """
    if case.status in ("completed", "rejected"):
        return False
    current = next((s for s in case.steps if s.status == "in_progress"), None)
    if current is not None:
        current.status = "done"
        current.finished_at = now
    following = next((s for s in case.steps if s.status == "waiting"), None)
    if following is not None:
        following.status = "in_progress"
        following.started_at = now
        case.status = "in_progress"
    else:
        case.status = "completed"
    case.updated_at = now
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
