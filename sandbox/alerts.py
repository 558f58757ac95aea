"""Alerts for the hall's supervisors: what central raises, and ``GET /v1/alerts``.

Kinds (``desktop.contract.ALERT_KINDS``), each with a simple rule:

- ``account_locked``: a staff account was locked after repeated failed sign-ins at central;
- ``failed_sign_ins``: raised by a desk (repeated failed sign-ins there, online or offline);
- ``lookups_without_cases``: a staff member looked far more citizens up than they made cases
  for, today (hall time): at least :data:`LOOKUP_ALERT_MIN` lookups and more than
  :data:`LOOKUP_ALERT_RATIO` times the cases plus one; checked when alerts are listed;
- ``approval_outside_hours``: an approval decided (in the inbox, or co-signed at a desk) outside
  the hall's opening hours (:class:`desktop.contract.OpeningHours`, per hall in
  ``hall_settings``; Monday to Friday 08:30-17:30 China Standard Time by default);
- ``audit_chain_broken``: a desk's audit chain arrived rewritten, with a gap that does not
  link up, or a desk reported that its chain fails to verify.

Desks raise alerts of their own as audit records with the action ``alert``; central turns
those into alerts when the records arrive (:mod:`sandbox.audit`). Alerts hold usernames,
workstation ids, codes and counts, never a citizen. ``dedup`` keeps one alert per cause (per
subject and day for the lookup rule), so listing alerts twice does not raise them twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.contract import ALERT_KINDS, Alert, AlertList, OpeningHours
from sandbox.db import AlertRow, Case, HallSettings, PersonLookup, utc_now
from sandbox.web import ApiError, Auth, json_answer, require_staff_role, sessions_of

log = logging.getLogger(__name__)

router = APIRouter(prefix="/v1", tags=["alerts"])

# The lookup rule: at least this many lookups in a day, and more than RATIO x (cases + 1).
LOOKUP_ALERT_MIN = 20
LOOKUP_ALERT_RATIO = 3.0
# How many alerts one listing returns at most.
MAX_ALERTS = 500


def opening_hours(session: Session, hall_id: str) -> OpeningHours:
    """The hall's opening hours (the default when the hall set none)."""
    row = session.get(HallSettings, hall_id)
    if row is None or row.opening_hours is None:
        return OpeningHours()
    return OpeningHours.model_validate(row.opening_hours)


def raise_alert(
    session: Session,
    *,
    hall_id: str,
    kind: str,
    at: datetime,
    source: str = "central",
    workstation_id: str | None = None,
    subject: str | None = None,
    detail: dict[str, Any] | None = None,
    dedup: str | None = None,
) -> AlertRow | None:
    """Add an alert in the caller's transaction; None when one with ``dedup`` exists."""
    if kind not in ALERT_KINDS:
        raise ValueError(f"unknown alert kind {kind!r}")
    if dedup is not None:
        existing = session.scalars(select(AlertRow).where(AlertRow.dedup == dedup)).first()
        if existing is not None:
            return None
    row = AlertRow(
        hall_id=hall_id,
        workstation_id=workstation_id,
        kind=kind,
        subject=subject,
        at=at,
        source=source,
        detail=dict(detail or {}),
        dedup=dedup,
    )
    session.add(row)
    log.warning("alert %s (%s) in hall %s", kind, subject or workstation_id or "-", hall_id)
    return row


def raise_alert_now(sessions: Any, **fields: Any) -> None:
    """Raise an alert in its own transaction (e.g. while the request's own one rolls back)."""
    with sessions() as session:
        try:
            if raise_alert(session, **fields) is not None:
                session.commit()
        except IntegrityError:  # the same dedup raced in: one is enough
            session.rollback()


def note_lookup(session: Session, hall_id: str, subject: str, at: datetime) -> None:
    """Count a person lookup by a staff member (who and when, never whom)."""
    session.add(PersonLookup(hall_id=hall_id, subject=subject, at=at))


def _day_start(hours: OpeningHours, now: datetime) -> datetime:
    """The start of the hall's local day containing ``now``, in UTC."""
    offset = timedelta(minutes=hours.utc_offset_minutes)
    local = now + offset
    return local.replace(hour=0, minute=0, second=0, microsecond=0) - offset


def check_lookups(session: Session, hall_id: str, now: datetime) -> int:
    """Raise ``lookups_without_cases`` for staff over the rule today; how many were raised."""
    hours = opening_hours(session, hall_id)
    start = _day_start(hours, now)
    day = (now + timedelta(minutes=hours.utc_offset_minutes)).date().isoformat()
    lookups = dict(
        session.execute(
            select(PersonLookup.subject, func.count())
            .where(PersonLookup.hall_id == hall_id, PersonLookup.at >= start)
            .group_by(PersonLookup.subject)
        ).all()
    )
    raised = 0
    for subject, count in lookups.items():
        if count < LOOKUP_ALERT_MIN:
            continue
        cases = (
            session.scalar(
                select(func.count())
                .select_from(Case)
                .where(Case.clerk == subject, Case.received_at >= start)
            )
            or 0
        )
        if count <= LOOKUP_ALERT_RATIO * (cases + 1):
            continue
        row = raise_alert(
            session,
            hall_id=hall_id,
            kind="lookups_without_cases",
            at=now,
            subject=subject,
            detail={"lookups": count, "cases": cases, "day": day},
            dedup=f"lookups:{hall_id}:{subject}:{day}",
        )
        raised += row is not None
    return raised


def alert_view(row: AlertRow) -> Alert:
    """The API view of a stored alert."""
    return Alert(
        id=row.id,
        hall_id=row.hall_id,
        workstation_id=row.workstation_id,
        kind=row.kind,
        subject=row.subject,
        at=row.at,
        source=row.source,
        detail=row.detail or {},
    )


@router.get("/alerts")
def list_alerts(
    request: Request,
    who: Auth,
    hall: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_ALERTS)] = 100,
) -> Response:
    """The hall's alerts newer than alert id ``since``, newest first (supervisor or admin)."""
    require_staff_role(who, "supervisor", "admin")
    if hall is not None and hall != who.hall_id:
        raise ApiError(403, "forbidden", "alerts of another hall")
    sessions = sessions_of(request)
    now = utc_now()
    with sessions() as session:
        try:
            if check_lookups(session, who.hall_id, now):
                session.commit()
        except IntegrityError:
            session.rollback()
        rows = session.scalars(
            select(AlertRow)
            .where(AlertRow.hall_id == who.hall_id, AlertRow.id > since)
            .order_by(AlertRow.id.desc())
            .limit(limit)
        ).all()
        answer = AlertList(hall_id=who.hall_id, alerts=[alert_view(r) for r in rows])
    return json_answer(answer)
