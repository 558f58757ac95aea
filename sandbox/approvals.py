"""Four-eyes approval at central: approval stages of cases and the hall's approval inbox.

A case whose service's rules ask for approval (``Service.approval_stages``, shared with the
desk) gets one :class:`~sandbox.db.Approval` row per stage when it arrives. A co-signature made
at the clerk's desk and carried inside the case decides stage 1 (checked like any decision:
the co-signer exists in the hall, holds the stage's role and is not the clerk). A case with a
stage still open is parked as ``awaiting_approval``: the advancer leaves it alone, and it shows
in the hall's inbox.

- ``GET /v1/approvals?hall=&after=&wait=``: the hall's pending stages, oldest first, for a
  supervisor or admin at any desk, each with ``can_decide`` for the caller. ``version`` changes
  whenever an approval is asked or decided; with ``after`` (a version) and ``wait`` (seconds,
  at most 25) the call waits for the next change: how a desk shows new approvals as they come.
- ``POST /v1/cases/{id}/approvals`` with :class:`~desktop.contract.ApprovalDecisionRequest`:
  a decision on one stage. 403 ``self_approval`` (the caller made the case), ``role_required``
  (the caller lacks the stage's role), ``approver_repeated`` (the caller decided an earlier
  stage of the same case), ``forbidden`` (not a staff member); 409 ``approval_decided`` (the
  stage or the case was decided already: the first decision wins, a replay loses),
  ``approval_out_of_order`` (an earlier stage is still open), ``not_awaiting_approval``.
  Approving the last stage releases the case (``received``, then along its route); a rejection
  closes it (``rejected``, reason ``approval_rejected``) and cancels the later stages.

Concurrency: a decision's transaction starts with its write (bumping the inbox version), so
SQLite's write lock orders racing decisions and the conditional update of the stage from
``pending`` lets exactly one of them win.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import Integer, String, cast, select, update
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from desktop.contract import (
    ApprovalDecisionRequest,
    ApprovalInbox,
    ApprovalItem,
    ApprovalResult,
    ApprovalStageView,
    CoSign,
)
from sandbox.alerts import opening_hours, raise_alert
from sandbox.auth import Principal
from sandbox.db import Approval, Case, CaseEvent, Meta, utc_now
from sandbox.web import ApiError, Auth, json_answer, require_staff_role, sessions_of

log = logging.getLogger(__name__)

router = APIRouter(prefix="/v1", tags=["approvals"])

VERSION_KEY = "approvals_version"
# The longest a GET /v1/approvals may wait for a change, and how often it looks.
MAX_WAIT_SECONDS = 25.0
_POLL_SECONDS = 0.1
MAX_INBOX_ITEMS = 500


# --- the inbox version ----------------------------------------------------------------------------


def ensure_version(session: Session) -> None:
    """Create the inbox version counter (at start-up, in the caller's transaction)."""
    if session.get(Meta, VERSION_KEY) is None:
        session.add(Meta(key=VERSION_KEY, value="0"))


def bump_version(session: Session) -> None:
    """Count one change of the inbox (an UPDATE: it also takes SQLite's write lock)."""
    session.execute(
        update(Meta)
        .where(Meta.key == VERSION_KEY)
        .values(value=cast(cast(Meta.value, Integer) + 1, String))
    )


def current_version(session: Session) -> int:
    """The inbox version now."""
    row = session.get(Meta, VERSION_KEY)
    return int(row.value) if row is not None else 0


# --- stages ---------------------------------------------------------------------------------------


def _event(case: Case, kind: str, at: datetime, detail: dict[str, Any]) -> None:
    case.events.add(CaseEvent(kind=kind, at=at, department=None, detail=detail))


def stage_view(row: Approval) -> ApprovalStageView:
    """The API view of one stage."""
    return ApprovalStageView(
        stage=row.stage,
        role=row.role,
        status=row.status,
        requested_at=row.requested_at,
        decided_at=row.decided_at,
        decided_by=row.decided_by,
        where=row.decided_where,
        reason=row.reason,
    )


def stages_of(session: Session, case_pk: int) -> list[Approval]:
    """A case's stages in order."""
    return list(
        session.scalars(
            select(Approval).where(Approval.case_pk == case_pk).order_by(Approval.stage)
        ).all()
    )


def attach_stages(
    session: Session,
    case: Case,
    stages: list[str],
    rules: list[str],
    cosign: CoSign | None,
    now: datetime,
) -> bool:
    """Create a new case's stages (after its flush) and record their events.

    Stage 1 is decided by ``cosign`` when there is one (already checked by the caller). Returns
    True when every stage is decided, i.e. the case need not wait.
    """
    if cosign is not None:
        # Co-signed at the desk before the case was sent: the desk's times, not central's.
        asked = min(cosign.at, _created_at(case))
        _event(case, "approval_requested", asked, {"rules": rules, "where": "desk"})
        decided = {"decision": "approved", "by": cosign.supervisor, "where": "desk"}
        _event(case, "approval_decided", cosign.at, decided)
    for number, role in enumerate(stages, start=1):
        row = Approval(
            case_pk=case.pk,
            hall_id=case.hall_id,
            stage=number,
            role=role,
            status="waiting",
            rules=list(rules),
        )
        if number == 1 and cosign is not None:
            row.status = "approved"
            row.requested_at = min(cosign.at, _created_at(case))
            row.decided_at = cosign.at
            row.decided_by = cosign.supervisor
            row.decided_where = "desk"
            row.decided_on = case.workstation_id
            row.reason = cosign.reason[:200]
        elif number == 1 or (number == 2 and cosign is not None):
            row.status = "pending"
            row.requested_at = now
            detail = {"rules": rules, "where": "central", "stage": number, "role": role}
            _event(case, "approval_requested", now, detail)
        session.add(row)
    if stages and not (cosign is not None and len(stages) == 1):
        bump_version(session)
        return False
    return True


def _created_at(case: Case) -> datetime:
    created = (case.body or {}).get("created_at")
    if isinstance(created, str):
        try:
            return datetime.fromisoformat(created.replace("Z", "+00:00"))
        except ValueError:
            pass
    return case.received_at


def why_not(who: Principal, case: Case, row: Approval, stages: list[Approval]) -> str | None:
    """The 403 code central would answer ``who`` deciding ``row``; None when allowed."""
    if not who.is_staff:
        return "forbidden"
    if who.subject == case.clerk:
        return "self_approval"
    if row.role not in who.roles:
        return "role_required"
    if any(s.decided_by == who.subject for s in stages if s.stage != row.stage):
        return "approver_repeated"
    return None


# --- the inbox ------------------------------------------------------------------------------------


def inbox(session: Session, who: Principal) -> ApprovalInbox:
    """The caller's hall's pending stages, oldest first."""
    version = current_version(session)
    pending = session.execute(
        select(Approval, Case)
        .join(Case, Case.pk == Approval.case_pk)
        .where(Approval.hall_id == who.hall_id, Approval.status == "pending")
        .order_by(Approval.requested_at, Approval.id)
        .limit(MAX_INBOX_ITEMS)
    ).all()
    items: list[ApprovalItem] = []
    for row, case in pending:
        stages = stages_of(session, case.pk)
        reason = why_not(who, case, row, stages)
        items.append(
            ApprovalItem(
                case_id=case.id or "",
                local_id=case.local_id,
                service=case.service,
                workstation_id=case.workstation_id,
                clerk=case.clerk,
                rules=list(row.rules or []),
                stage=row.stage,
                role=row.role,
                stages=[stage_view(s) for s in stages],
                requested_at=row.requested_at or case.received_at,
                received_at=case.received_at,
                can_decide=reason is None,
                why_not=reason,
            )
        )
    return ApprovalInbox(hall_id=who.hall_id, version=version, at=utc_now(), items=items)


@router.get("/approvals")
async def get_approvals(
    request: Request,
    who: Auth,
    hall: Annotated[str | None, Query(max_length=64)] = None,
    after: Annotated[int | None, Query(ge=0)] = None,
    wait: Annotated[float, Query(ge=0, le=MAX_WAIT_SECONDS)] = 0.0,
) -> Response:
    """The hall's approval inbox; with ``after`` and ``wait``, waits for a change first."""
    require_staff_role(who, "supervisor", "admin")
    if hall is not None and hall != who.hall_id:
        raise ApiError(403, "forbidden", "the approvals of another hall")
    sessions = sessions_of(request)

    def version() -> int:
        with sessions() as session:
            return current_version(session)

    if after is not None and wait > 0:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and await run_in_threadpool(version) == after:
            await asyncio.sleep(_POLL_SECONDS)

    def answer() -> ApprovalInbox:
        with sessions() as session:
            return inbox(session, who)

    return json_answer(await run_in_threadpool(answer))


# --- decisions ------------------------------------------------------------------------------------


@router.post("/cases/{case_id}/approvals")
def decide(case_id: str, body: ApprovalDecisionRequest, request: Request, who: Auth) -> Response:
    """A decision on one approval stage (see the module docstring for the answers)."""
    if not who.is_staff:
        raise ApiError(403, "forbidden", "only a staff member decides an approval")
    sessions = sessions_of(request)
    now = utc_now()
    with sessions() as session:
        # The first statement writes: the transaction holds SQLite's write lock from here on,
        # so it reads the latest state and racing decisions are taken one after the other.
        bump_version(session)
        case = session.scalars(select(Case).where(Case.id == case_id)).one_or_none()
        if case is None or case.hall_id != who.hall_id:
            raise ApiError(404, "case_not_found", "no such case")
        stages = stages_of(session, case.pk)
        if not stages:
            raise ApiError(409, "not_awaiting_approval", "the case needs no approval")
        row = next((s for s in stages if s.stage == body.stage), None)
        if row is None:
            raise ApiError(
                422, "validation_failed", "the case has no such stage", {"stage": "unknown_stage"}
            )

        # Who may decide (403) before whether it can still be decided (409).
        reason = why_not(who, case, row, stages)
        if reason == "self_approval":
            raise ApiError(403, "self_approval", "nobody approves a case they made")
        if reason == "role_required":
            raise ApiError(
                403, "role_required", f"this stage needs the role {row.role}", {"stage": row.role}
            )
        if reason == "approver_repeated":
            raise ApiError(
                403, "approver_repeated", "another person must decide each stage of a case"
            )
        if row.status in ("approved", "rejected", "cancelled"):
            raise ApiError(
                409, "approval_decided", "this stage was decided already", {"stage": row.status}
            )
        if row.status == "waiting":
            open_stage = next((s.stage for s in stages if s.status == "pending"), None)
            raise ApiError(
                409,
                "approval_out_of_order",
                "an earlier stage must be decided first",
                {"stage": str(open_stage or "")},
            )
        if case.status != "awaiting_approval":
            raise ApiError(409, "approval_decided", "the case is no longer waiting")

        changed = session.execute(
            update(Approval)
            .where(Approval.id == row.id, Approval.status == "pending")
            .values(
                status=body.decision,
                decided_at=now,
                decided_by=who.subject,
                decided_where="central",
                decided_on=who.workstation_id,
                reason=body.reason,
                reason_code=body.reason_code,
            )
        )
        if changed.rowcount != 1:
            session.rollback()
            raise ApiError(409, "approval_decided", "this stage was decided already")
        session.refresh(row)

        detail = {"decision": body.decision, "by": who.subject, "where": "central"}
        _event(case, "approval_decided", now, {**detail, "stage": row.stage})
        following = next((s for s in stages if s.stage == row.stage + 1), None)
        if body.decision == "rejected":
            for later in stages:
                if later.stage > row.stage:
                    later.status = "cancelled"
            case.status = "rejected"
            _event(case, "rejected", now, {"reason": "approval_rejected"})
        elif following is not None:
            following.status = "pending"
            following.requested_at = now
            asked = {"rules": list(following.rules or []), "where": "central"}
            _event(case, "approval_requested", now, {**asked, "stage": following.stage})
        else:
            case.status = "received"
        case.updated_at = now

        if not opening_hours(session, case.hall_id).is_open(now):
            raise_alert(
                session,
                hall_id=case.hall_id,
                kind="approval_outside_hours",
                at=now,
                workstation_id=who.workstation_id,
                subject=who.subject,
                detail={"case_id": case.id, "stage": row.stage, "where": "central"},
                dedup=f"outside_hours:{case.id}:{row.stage}",
            )
        session.commit()
        answer = ApprovalResult(
            case_id=case.id or "",
            status=case.status,
            stage=row.stage,
            decision=body.decision,
            approvals=[stage_view(s) for s in stages_of(session, case.pk)],
        )
    log.info("case %s stage %s %s by %s", case_id, row.stage, body.decision, who.subject)
    return json_answer(answer)
