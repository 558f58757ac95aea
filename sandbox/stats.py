"""Aggregates for a supervisor's dashboard, computed from the case events.

A case's life is cut into stage visits (``desktop.contract.STAGES``):

- ``approval``: from ``approval_requested`` to ``approval_decided``;
- ``intake``: from ``received`` (or the last approval decided after it) to the first
  ``department_started``;
- one per department: from its ``department_started`` to its ``department_finished``.

A visit counts in a window ``[start, end)`` when it *ended* in it. Open visits make the backlog.
Percentiles interpolate linearly between ranks (the "inclusive" method, numpy's default), so
the median of an even count is the mean of the middle two.

The queries select the events of the cases concerned and the stages are put together in Python:
simple to check by hand, and a few thousand cases take tens of milliseconds.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import null, select
from sqlalchemy.orm import Session

from desktop.contract import (
    DEPARTMENTS,
    STAGES,
    ApprovalStats,
    BacklogStage,
    BacklogStats,
    DeskStats,
    DeskStatus,
    ServiceTotal,
    StageStats,
    StageSummary,
    ThroughputBucket,
    ThroughputStats,
    WaitingApproval,
)
from sandbox.db import Case, CaseEvent, DeskHeartbeat, Workstation

OPEN_STATUSES = ("received", "awaiting_approval", "in_progress")
# How many waiting approvals ``GET /v1/stats/approvals`` lists (the count covers all).
MAX_APPROVAL_ITEMS = 200


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile (0..1) with linear interpolation between ranks; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _department_of(stage: str) -> str | None:
    return stage if stage in DEPARTMENTS else None


@dataclass
class _Visit:
    stage: str
    started: datetime
    ended: datetime | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class _CaseLife:
    """A case's stage visits, closed and open, from its events."""

    visits: list[_Visit] = field(default_factory=list)

    @property
    def open_visits(self) -> list[_Visit]:
        return [v for v in self.visits if v.ended is None]


def case_life(events: Iterable[tuple[str, str | None, datetime, Any]]) -> _CaseLife:
    """Stage visits of one case from its ``(kind, department, at, detail)`` events in order.

    A case waiting for an approval is in the approval stage only; intake starts when it is
    received or, when an approval was decided after that, at the decision.
    """
    life = _CaseLife()
    approvals: list[_Visit] = []
    departments: dict[str, _Visit] = {}
    received: datetime | None = None
    decided: datetime | None = None
    started_any = False
    closed = False

    def intake_start(until: datetime | None) -> datetime | None:
        if received is None:
            return None
        if decided is not None and received < decided and (until is None or decided <= until):
            return decided
        return received

    for kind, department, at, detail in events:
        if kind == "received":
            received = at
        elif kind == "approval_requested":
            visit = _Visit("approval", at, detail=dict(detail or {}))
            approvals.append(visit)
            life.visits.append(visit)
        elif kind == "approval_decided":
            if approvals:
                approvals.pop(0).ended = at
            decided = at if decided is None else max(decided, at)
        elif kind == "department_started" and department:
            if not started_any:
                started_any = True
                begun = intake_start(at)
                if begun is not None:
                    life.visits.append(_Visit("intake", begun, ended=max(at, begun)))
            visit = _Visit(department, at)
            departments[department] = visit
            life.visits.append(visit)
        elif kind == "department_finished" and department in departments:
            departments.pop(department).ended = at
        elif kind in ("completed", "rejected"):
            closed = True

    if closed:
        # A closed case has no open stage, whatever events it lacks.
        life.visits = [v for v in life.visits if v.ended is not None]
    elif not started_any and not approvals:
        begun = intake_start(None)
        if begun is not None:
            life.visits.append(_Visit("intake", begun))
    return life


def _events_by_case(
    session: Session, query: Any
) -> dict[int, list[tuple[str, str | None, datetime, Any]]]:
    # Core rows through the session's connection: the ORM adds nothing to plain columns here.
    grouped: dict[int, list[tuple[str, str | None, datetime, Any]]] = defaultdict(list)
    for case_pk, kind, department, at, detail in session.connection().execute(query):
        grouped[case_pk].append((kind, department, at, detail))
    return grouped


def _event_query(hall_id: str, service: str | None, *, details: bool = True):
    # Decoding every event's JSON detail is most of the cost; stage times do not need it.
    detail = CaseEvent.detail if details else null().label("detail")
    query = (
        select(CaseEvent.case_pk, CaseEvent.kind, CaseEvent.department, CaseEvent.at, detail)
        .join(Case, Case.pk == CaseEvent.case_pk)
        .where(Case.hall_id == hall_id)
        .order_by(CaseEvent.case_pk, CaseEvent.at, CaseEvent.id)
    )
    if service is not None:
        query = query.where(Case.service == service)
    return query


def _counts(counter: Counter[str]) -> dict[str, int]:
    return {kind: counter[kind] for kind in ("received", "completed", "rejected")}


def throughput(
    session: Session, hall_id: str, start: datetime, end: datetime, service: str | None = None
) -> ThroughputStats:
    """Cases received, completed and rejected per service and hour (UTC) in ``[start, end)``."""
    query = (
        select(Case.service, CaseEvent.kind, CaseEvent.at)
        .join(Case, Case.pk == CaseEvent.case_pk)
        .where(Case.hall_id == hall_id)
        .where(CaseEvent.kind.in_(("received", "completed", "rejected")))
        .where(CaseEvent.at >= start, CaseEvent.at < end)
    )
    if service is not None:
        query = query.where(Case.service == service)
    buckets: dict[tuple[datetime, str], Counter[str]] = defaultdict(Counter)
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for row in session.execute(query):
        hour = row.at.replace(minute=0, second=0, microsecond=0)
        buckets[hour, row.service][row.kind] += 1
        totals[row.service][row.kind] += 1
    return ThroughputStats(
        hall_id=hall_id,
        start=start,
        end=end,
        service=service,
        buckets=[
            ThroughputBucket(hour=hour, service=code, **_counts(counts))
            for (hour, code), counts in sorted(buckets.items())
        ],
        totals=[
            ServiceTotal(service=code, **_counts(counts)) for code, counts in sorted(totals.items())
        ],
    )


def stages(
    session: Session,
    hall_id: str,
    start: datetime,
    end: datetime,
    service: str | None = None,
    department: str | None = None,
) -> StageStats:
    """Time in each stage for the visits that ended in ``[start, end)``.

    With ``department`` only that department's stage is summarised.
    """
    touched = select(CaseEvent.case_pk).where(CaseEvent.at >= start, CaseEvent.at < end)
    query = _event_query(hall_id, service, details=False).where(CaseEvent.case_pk.in_(touched))
    durations: dict[str, list[float]] = {stage: [] for stage in STAGES}
    for events in _events_by_case(session, query).values():
        for visit in case_life(events).visits:
            if visit.ended is not None and start <= visit.ended < end:
                durations[visit.stage].append((visit.ended - visit.started).total_seconds())
    wanted = [department] if department is not None else list(STAGES)
    return StageStats(
        hall_id=hall_id,
        start=start,
        end=end,
        service=service,
        department=department,
        stages=[_summary(stage, durations.get(stage, [])) for stage in wanted],
    )


def _summary(stage: str, values: list[float]) -> StageSummary:
    return StageSummary(
        stage=stage,
        department=_department_of(stage),
        count=len(values),
        median_seconds=_seconds(percentile(values, 0.5)),
        p90_seconds=_seconds(percentile(values, 0.9)),
        max_seconds=_seconds(max(values) if values else None),
    )


def _open_cases(session: Session, hall_id: str) -> tuple[dict[int, Case], dict[int, _CaseLife]]:
    cases = {
        case.pk: case
        for case in session.scalars(
            select(Case).where(Case.hall_id == hall_id, Case.status.in_(OPEN_STATUSES))
        )
    }
    query = _event_query(hall_id, None).where(
        CaseEvent.case_pk.in_(
            select(Case.pk).where(Case.hall_id == hall_id, Case.status.in_(OPEN_STATUSES))
        )
    )
    lives = {pk: case_life(events) for pk, events in _events_by_case(session, query).items()}
    return cases, lives


def backlog(session: Session, hall_id: str, now: datetime) -> BacklogStats:
    """Open cases per stage now, with the age of the oldest in each."""
    _cases, lives = _open_cases(session, hall_id)
    ages: dict[str, list[float]] = {stage: [] for stage in STAGES}
    for life in lives.values():
        for visit in life.open_visits:
            ages.setdefault(visit.stage, []).append((now - visit.started).total_seconds())
    summaries = [
        BacklogStage(
            stage=stage,
            department=_department_of(stage),
            open=len(ages[stage]),
            oldest_seconds=_seconds(max(ages[stage]) if ages[stage] else None),
        )
        for stage in STAGES
    ]
    return BacklogStats(
        hall_id=hall_id,
        at=now,
        total_open=len([life for life in lives.values() if life.open_visits]),
        stages=summaries,
    )


def approvals(session: Session, hall_id: str, now: datetime) -> ApprovalStats:
    """Approvals asked and not yet decided on open cases, oldest first."""
    cases, lives = _open_cases(session, hall_id)
    items: list[WaitingApproval] = []
    for pk, life in lives.items():
        case = cases.get(pk)
        if case is None:
            continue
        for visit in life.open_visits:
            if visit.stage != "approval":
                continue
            rules = visit.detail.get("rules")
            items.append(
                WaitingApproval(
                    case_id=case.id or "",
                    service=case.service,
                    workstation_id=case.workstation_id,
                    clerk=case.clerk,
                    rules=list(rules) if isinstance(rules, list) else list(case.approvals),
                    requested_at=visit.started,
                    age_seconds=round((now - visit.started).total_seconds(), 3),
                )
            )
    items.sort(key=lambda item: (item.requested_at, item.case_id))
    ages = [item.age_seconds for item in items]
    return ApprovalStats(
        hall_id=hall_id,
        at=now,
        waiting=len(items),
        oldest_seconds=max(ages) if ages else None,
        median_age_seconds=_seconds(statistics.median(ages)) if ages else None,
        items=items[:MAX_APPROVAL_ITEMS],
    )


def desks(session: Session, hall_id: str, now: datetime, offline_after: int) -> DeskStats:
    """Every workstation of the hall with its latest heartbeat."""
    rows = session.execute(
        select(Workstation, DeskHeartbeat)
        .outerjoin(DeskHeartbeat, DeskHeartbeat.workstation_id == Workstation.id)
        .where(Workstation.hall_id == hall_id)
        .order_by(Workstation.id)
    ).all()
    answer = []
    for workstation, beat in rows:
        if beat is None:
            answer.append(
                DeskStatus(workstation_id=workstation.id, name=workstation.name, offline=True)
            )
            continue
        since = (now - beat.received_at).total_seconds()
        counts = beat.outbox or {}
        answer.append(
            DeskStatus(
                workstation_id=workstation.id,
                name=workstation.name,
                last_contact=beat.received_at,
                seconds_since_contact=round(since, 3),
                app_version=beat.app_version,
                unsent=beat.unsent,
                rejected=int(counts.get("rejected", 0)),
                oldest_unsent_seconds=beat.oldest_unsent_seconds,
                offline=since > offline_after,
                frozen=beat.frozen,
                frozen_reason=beat.frozen_reason,
            )
        )
    return DeskStats(hall_id=hall_id, at=now, offline_after_seconds=offline_after, desks=answer)
