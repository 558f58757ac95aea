"""Central's copy of each desk's audit chain: ``POST /v1/audit`` and the chain's head.

A desk sends its records in order with the chain's head (:class:`~desktop.contract.AuditBatch`)
as its workstation. Central cannot check a record's MAC (the secret stays on the desk), but it
checks everything else and keeps every record once:

- the batch is the sender's own chain (403 ``forbidden`` for a staff token,
  ``workstation_mismatch`` for another workstation's), its records are consecutive, each names
  the workstation, links to the one before it (``prev_mac``), and ``head`` is its last record
  (422 ``audit_invalid`` otherwise);
- a record central already holds must be identical (same ``mac``): the batch is a replay and
  is answered as one (200, ``stored`` 0). A record that differs means the desk's chain was
  rewritten: 409 ``audit_conflict`` with ``fields.seq``, and an ``audit_chain_broken`` alert;
- the first new record must follow central's head: a batch that starts further on is 409
  ``audit_gap`` with ``fields.expected_seq`` (the desk resends from there); one that starts right
  after the head but does not link to it is 409 ``audit_conflict`` with an alert.

Records with the action ``alert`` become alerts for the hall's supervisors. ``GET
/v1/audit/{workstation_id}/head`` answers the head central holds (``seq`` 0 when none) to that
workstation or to a supervisor or admin of its hall; ``hall-counter audit verify --central``
uses it to find a tail cut from a desk's chain.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.contract import ALERT_KINDS, AuditAck, AuditBatch, AuditHead, AuditRecord
from sandbox.alerts import raise_alert, raise_alert_now
from sandbox.auth import Principal
from sandbox.db import AuditChain, AuditRecordRow, Workstation, utc_now
from sandbox.web import ApiError, Auth, json_answer, sessions_of

log = logging.getLogger(__name__)

router = APIRouter(prefix="/v1", tags=["audit"])

GENESIS_MAC = "0" * 64


def _invalid(message: str, field: str, code: str) -> ApiError:
    return ApiError(422, "audit_invalid", message, {field: code})


def _check_batch(batch: AuditBatch) -> None:
    records = batch.records
    for index, record in enumerate(records):
        if record.workstation_id != batch.workstation_id:
            raise _invalid("a record names another workstation", f"records.{index}", "workstation")
        if index and record.seq != records[index - 1].seq + 1:
            raise _invalid("the records are not consecutive", f"records.{index}", "seq")
        if index and record.prev_mac != records[index - 1].mac:
            raise _invalid("the records do not link up", f"records.{index}", "prev_mac")
        if record.seq == 1 and record.prev_mac != GENESIS_MAC:
            raise _invalid("record 1 does not start a chain", f"records.{index}", "prev_mac")
    if records:
        last = records[-1]
        if (batch.head.seq, batch.head.mac) != (last.seq, last.mac):
            raise _invalid("the head is not the last record", "head", "mismatch")


def _row(record: AuditRecord, now: Any) -> AuditRecordRow:
    return AuditRecordRow(
        workstation_id=record.workstation_id,
        seq=record.seq,
        at=record.at,
        actor=record.actor,
        action=record.action,
        person_ref=record.person_ref,
        details=dict(record.details),
        alg=record.alg,
        prev_mac=record.prev_mac,
        mac=record.mac,
        received_at=now,
    )


def _desk_alert(session: Session, hall_id: str, record: AuditRecord, now: Any) -> None:
    if record.details.get("central_raises") is True:
        return  # central raised this one itself from the case or the decision
    kind = record.details.get("kind")
    if kind not in ALERT_KINDS:
        log.warning("desk %s sent an alert of unknown kind", record.workstation_id)
        return
    subject = record.details.get("subject")
    raise_alert(
        session,
        hall_id=hall_id,
        kind=str(kind),
        at=now,
        source="desk",
        workstation_id=record.workstation_id,
        subject=str(subject) if subject else record.actor,
        detail={k: v for k, v in record.details.items() if k not in ("kind", "subject")}
        | {"audit_seq": record.seq},
        dedup=f"desk:{record.workstation_id}:{record.seq}",
    )


@router.post("/audit")
def post_audit(body: AuditBatch, request: Request, who: Auth) -> Response:
    """Store a batch of a workstation's audit chain; idempotent (see the module docstring)."""
    if not who.is_workstation:
        raise ApiError(403, "forbidden", "only a workstation sends its audit chain")
    if body.workstation_id != who.subject:
        raise ApiError(403, "workstation_mismatch", "the batch names another workstation")
    _check_batch(body)
    sessions = sessions_of(request)
    now = utc_now()
    broken: dict[str, Any] | None = None
    with sessions() as session:
        chain = session.get(AuditChain, who.subject)
        if chain is None:
            chain = AuditChain(
                workstation_id=who.subject,
                hall_id=who.hall_id,
                head_seq=0,
                head_mac=GENESIS_MAC,
                updated_at=now,
            )
            session.add(chain)
        stored = 0
        known = {}
        if body.records:
            first, last = body.records[0].seq, body.records[-1].seq
            known = {
                row.seq: row.mac
                for row in session.scalars(
                    select(AuditRecordRow).where(
                        AuditRecordRow.workstation_id == who.subject,
                        AuditRecordRow.seq >= first,
                        AuditRecordRow.seq <= last,
                    )
                )
            }
        try:
            for record in body.records:
                if record.seq in known or record.seq <= chain.head_seq:
                    mac = known.get(record.seq)
                    if mac is None:
                        mac = session.scalar(
                            select(AuditRecordRow.mac).where(
                                AuditRecordRow.workstation_id == who.subject,
                                AuditRecordRow.seq == record.seq,
                            )
                        )
                    if mac != record.mac:
                        broken = {"seq": record.seq, "problem": "rewritten"}
                        raise ApiError(
                            409,
                            "audit_conflict",
                            "central holds another record under this number",
                            {"seq": str(record.seq)},
                        )
                    continue
                if record.seq > chain.head_seq + 1:
                    raise ApiError(
                        409,
                        "audit_gap",
                        "records before this batch are missing",
                        {"expected_seq": str(chain.head_seq + 1)},
                    )
                if record.prev_mac != chain.head_mac:
                    broken = {"seq": record.seq, "problem": "broken_link"}
                    raise ApiError(
                        409,
                        "audit_conflict",
                        "the record does not follow central's head",
                        {"seq": str(record.seq)},
                    )
                session.add(_row(record, now))
                chain.head_seq, chain.head_mac = record.seq, record.mac
                stored += 1
                if record.action == "alert":
                    _desk_alert(session, who.hall_id, record, now)
        except ApiError:
            session.rollback()
            if broken is not None:
                _mark_broken(sessions, who, broken, now)
            raise
        chain.updated_at = now
        session.commit()
        answer = AuditAck(
            workstation_id=who.subject,
            head=AuditHead(seq=chain.head_seq, mac=chain.head_mac),
            stored=stored,
        )
    if stored:
        log.info("audit records from %s stored up to %s", who.subject, answer.head.seq)
    return json_answer(answer)


def _mark_broken(sessions: Any, who: Principal, broken: dict[str, Any], now: Any) -> None:
    with sessions() as session:
        chain = session.get(AuditChain, who.subject)
        if chain is not None and chain.broken_at is None:
            chain.broken_at = now
            chain.broken_code = str(broken["problem"])
            session.commit()
    log.error("the audit chain of %s arrived changed at record %s", who.subject, broken["seq"])
    raise_alert_now(
        sessions,
        hall_id=who.hall_id,
        kind="audit_chain_broken",
        at=now,
        workstation_id=who.subject,
        subject=who.subject,
        detail=broken,
        dedup=f"audit:{who.subject}:{broken['seq']}:{broken['problem']}",
    )


@router.get("/audit/{workstation_id}/head")
def get_head(workstation_id: str, request: Request, who: Auth) -> Response:
    """The head of a workstation's chain as central holds it (``seq`` 0: nothing yet)."""
    sessions = sessions_of(request)
    with sessions() as session:
        workstation = session.get(Workstation, workstation_id)
        if workstation is None or workstation.hall_id != who.hall_id:
            raise ApiError(404, "not_found", "no such workstation")
        allowed = (who.is_workstation and who.subject == workstation_id) or (
            who.is_staff and {"supervisor", "admin"} & set(who.roles)
        )
        if not allowed:
            raise ApiError(403, "forbidden", "needs the workstation itself or a supervisor")
        chain = session.get(AuditChain, workstation_id)
        if chain is None:
            return json_answer(AuditHead(seq=0, mac=GENESIS_MAC))
        return json_answer(AuditHead(seq=chain.head_seq, mac=chain.head_mac))
