"""A generated case history, so the supervisor's dashboard has something to show.

:func:`generate_history` writes weeks of plausible hall traffic into the sandbox database: cases
received in the hall's working hours (Monday to Friday, 08:30–12:00 and 13:30–17:00 local time,
busier mornings and Mondays), the catalog's services mixed, the seed's clerks, desks and
citizens, approvals decided by a supervisor at central for the cases that need one, each case
moving along its route with department times drawn from log-normal distributions, and one
department made several times slower than the others: the bottleneck the dashboard should show.
Every case gets its steps and events as if it had run live; the timeline stops at ``now``, so
the latest cases are still open (the backlog) and some approvals still wait.

Generated cases are marked ``submitted_by = "history:generated"``: the background advancer
leaves them alone, and generating again replaces them (live cases are never touched). A few
extra desks (``W02``…, which cannot sign in) are added with planted heartbeats, one healthy, one
offline and one frozen, so every flag of ``GET /v1/stats/desks`` shows up.

:func:`write_timelines` is the writer underneath; tests use it to plant a hand-made history.
"""

from __future__ import annotations

import json
import logging
import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Literal

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from desktop.contract import (
    DEPARTMENTS,
    CaseSubmission,
    CitizenRef,
    FaceCheck,
    IdentityCheck,
    Service,
    body_digest,
)
from sandbox.approvals import bump_version
from sandbox.cases import GENERATED_BY
from sandbox.db import (
    Approval,
    Case,
    CaseEvent,
    CaseStep,
    Citizen,
    DeskHeartbeat,
    Hall,
    Meta,
    ServiceRow,
    Staff,
    Workstation,
    utc_now,
)

log = logging.getLogger(__name__)

# China Standard Time has no daylight saving: a fixed offset needs no time zone database.
HALL_TZ = timezone(timedelta(hours=8), "CST")

# Arrivals: half-hour slots of a working day (local time) and their relative weights.
_ARRIVAL_SLOTS: tuple[tuple[time, float], ...] = (
    (time(8, 30), 1.2),
    (time(9, 0), 1.8),
    (time(9, 30), 2.0),
    (time(10, 0), 2.0),
    (time(10, 30), 1.8),
    (time(11, 0), 1.5),
    (time(11, 30), 1.0),
    (time(13, 30), 1.0),
    (time(14, 0), 1.4),
    (time(14, 30), 1.5),
    (time(15, 0), 1.5),
    (time(15, 30), 1.3),
    (time(16, 0), 1.0),
    (time(16, 30), 0.7),
)
_WEEKDAY_WEIGHTS = (1.25, 1.0, 1.0, 1.0, 0.85)  # Monday … Friday
# Back offices work 08:30–17:30 local time; work that would finish outside waits for the next
# opening.
_OFFICE_OPENS = time(8, 30)
_OFFICE_CLOSES = time(17, 30)

# How often each service of the bundled catalog is asked for; other services weigh 10.
_SERVICE_WEIGHTS = {
    "unemployment_benefit": 30.0,
    "pension_certification": 30.0,
    "card_loss_report": 25.0,
    "pin_reset": 10.0,
}

# Median minutes and log-normal sigma of each stage; the slow department's median is multiplied.
_INTAKE = (12.0, 0.7)
_DEPARTMENT_TIMES = {
    "employment_center": (45.0, 0.8),
    "social_insurance": (60.0, 0.8),
    "finance": (35.0, 0.8),
}
_OTHER_DEPARTMENT = (45.0, 0.8)
SLOW_FACTOR = 6.0
_APPROVAL = (25.0, 0.9)
_APPROVAL_REJECTED = 0.08
_DEPARTMENT_REJECTED = 0.02
_FACE_DECLINED = 0.05

# Extra desks the generator adds, and their planted heartbeats.
EXTRA_DESKS = 3
_UNUSABLE_SECRET = "!generated-desk-cannot-sign-in"


class HistoryError(ValueError):
    """The history cannot be generated (bad parameters, nothing to generate from)."""


@dataclass
class CaseTimeline:
    """One case's life, as :func:`write_timelines` stores it.

    ``steps`` lists the departments that started, in route order, with their finish time
    (None: still there). ``outcome`` None means the case is still open. ``approval`` is
    ``(requested_at, decided_at or None, "approved" | "rejected", rules)``.
    """

    service: str
    route: list[str]
    received_at: datetime
    workstation_id: str
    clerk: str
    citizen: CitizenRef
    form: dict[str, Any] = field(default_factory=dict)
    approval: tuple[datetime, datetime | None, str, list[str]] | None = None
    approver: str | None = None
    steps: list[tuple[str, datetime, datetime | None]] = field(default_factory=list)
    outcome: Literal["completed", "rejected"] | None = None
    closed_at: datetime | None = None
    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))

    def events(self) -> list[tuple[str, datetime, str | None, dict[str, Any] | None]]:
        """``(kind, at, department, detail)`` in the order they happened."""
        events: list[tuple[str, datetime, str | None, dict[str, Any] | None]] = [
            ("received", self.received_at, None, None)
        ]
        if self.approval is not None:
            asked, decided, decision, rules = self.approval
            events.append(("approval_requested", asked, None, {"rules": list(rules)}))
            if decided is not None:
                detail = {"decision": decision, "by": self.approver or ""}
                events.append(("approval_decided", decided, None, detail))
        for index, (department, started, finished) in enumerate(self.steps):
            events.append(("department_started", started, department, None))
            if finished is not None:
                last = index == len(self.steps) - 1
                rejected = last and self.outcome == "rejected"
                outcome = "rejected" if rejected else "done"
                events.append(("department_finished", finished, department, {"outcome": outcome}))
        if self.outcome is not None and self.closed_at is not None:
            detail = None
            if self.outcome == "rejected":
                reason = "rejected_by_department" if self.steps else "approval_rejected"
                detail = {"reason": reason}
            events.append((self.outcome, self.closed_at, None, detail))
        return events


def _face_check(timeline: CaseTimeline) -> FaceCheck:
    if timeline.approval is not None and "face_declined" in timeline.approval[3]:
        return FaceCheck(decision="declined")
    return FaceCheck(decision="match", distance=0.4, threshold=0.6)


def _case_status(timeline: CaseTimeline) -> str:
    if timeline.outcome is not None:
        return timeline.outcome
    if timeline.approval is not None and timeline.approval[1] is None:
        return "awaiting_approval"
    return "in_progress" if timeline.steps else "received"


def write_timelines(session: Session, hall_id: str, timelines: list[CaseTimeline]) -> list[str]:
    """Store cases with their steps and events, marked generated; returns their central ids.

    Bulk inserts in the caller's transaction (the caller commits).
    """
    next_pk = (session.scalar(select(func.max(Case.pk))) or 0) + 1
    cases: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    approvals: list[dict[str, Any]] = []
    ids: list[str] = []
    for offset, timeline in enumerate(timelines):
        pk = next_pk + offset
        case_id = f"C{timeline.received_at.astimezone(UTC):%Y%m%d}{pk:06d}"
        local_day = timeline.received_at.astimezone(HALL_TZ)
        submission = CaseSubmission(
            local_id=f"{timeline.workstation_id}-{local_day:%Y%m%d}-{pk:06d}",
            service=timeline.service,
            hall_id=hall_id,
            workstation_id=timeline.workstation_id,
            clerk=timeline.clerk,
            created_at=timeline.received_at - timedelta(minutes=2),
            citizen=timeline.citizen,
            identity=IdentityCheck(pin="ok", face=_face_check(timeline)),
            form=timeline.form,
        )
        timeline_events = timeline.events()
        cases.append(
            {
                "pk": pk,
                "id": case_id,
                "idempotency_key": timeline.idempotency_key,
                "body_digest": body_digest(submission),
                "body": submission.model_dump(mode="json"),
                "local_id": submission.local_id,
                "service": timeline.service,
                "status": _case_status(timeline),
                "hall_id": hall_id,
                "workstation_id": timeline.workstation_id,
                "clerk": timeline.clerk,
                "person_ref": timeline.citizen.person_ref,
                "submitted_by": GENERATED_BY,
                "approvals": list(timeline.approval[3]) if timeline.approval else [],
                "received_at": timeline.received_at,
                "updated_at": max(at for _kind, at, _dep, _detail in timeline_events),
            }
        )
        if timeline.approval is not None:
            asked, decided, decision, rules = timeline.approval
            approvals.append(
                {
                    "case_pk": pk,
                    "hall_id": hall_id,
                    "stage": 1,
                    "role": "supervisor",
                    "status": "pending" if decided is None else decision,
                    "rules": list(rules),
                    "requested_at": asked,
                    "decided_at": decided,
                    "decided_by": timeline.approver if decided is not None else None,
                    "decided_where": "central" if decided is not None else None,
                }
            )
        started = {department: (s, f) for department, s, f in timeline.steps}
        for position, department in enumerate(timeline.route):
            begun, finished = started.get(department, (None, None))
            status = "waiting" if begun is None else ("in_progress" if finished is None else "done")
            steps.append(
                {
                    "case_pk": pk,
                    "position": position,
                    "department": department,
                    "status": status,
                    "started_at": begun,
                    "finished_at": finished,
                }
            )
        for kind, at, department, detail in timeline_events:
            events.append(
                {"case_pk": pk, "kind": kind, "at": at, "department": department, "detail": detail}
            )
        ids.append(case_id)
    if cases:
        session.execute(insert(Case), cases)
        session.execute(insert(CaseStep), steps)
        session.execute(insert(CaseEvent), events)
        if approvals:
            session.execute(insert(Approval), approvals)
            bump_version(session)
    return ids


def remove_generated(session: Session) -> int:
    """Delete every generated case with its steps and events; returns how many."""
    generated = select(Case.pk).where(Case.submitted_by == GENERATED_BY)
    count = session.scalar(select(func.count()).select_from(generated.subquery())) or 0
    if count:
        session.execute(delete(CaseEvent).where(CaseEvent.case_pk.in_(generated)))
        session.execute(delete(Approval).where(Approval.case_pk.in_(generated)))
        session.execute(delete(CaseStep).where(CaseStep.case_pk.in_(generated)))
        session.execute(delete(Case).where(Case.submitted_by == GENERATED_BY))
    return count


class _Clock:
    """Working-time arithmetic in the hall's time zone."""

    def __init__(self, tz: tzinfo, rng: random.Random) -> None:
        self.tz = tz
        self.rng = rng

    def office(self, moment: datetime) -> datetime:
        """``moment`` if the back office works then, else a little after its next opening."""
        local = moment.astimezone(self.tz)
        for _ in range(14):
            if local.weekday() < 5:
                opens = datetime.combine(local.date(), _OFFICE_OPENS, self.tz)
                closes = datetime.combine(local.date(), _OFFICE_CLOSES, self.tz)
                if local < opens:
                    return (opens + timedelta(minutes=self.rng.uniform(0, 40))).astimezone(UTC)
                if local < closes:
                    return moment
            following = local.date() + timedelta(days=1)
            local = datetime.combine(following, time(0, 0), self.tz)
        return moment

    def slots(self, start: datetime, now: datetime) -> list[tuple[datetime, datetime, float]]:
        """Arrival slots ``(begin, end, weight)`` in UTC between ``start`` and ``now``."""
        slots = []
        day: date = start.astimezone(self.tz).date()
        last: date = now.astimezone(self.tz).date()
        while day <= last:
            if day.weekday() < 5:
                for begins, weight in _ARRIVAL_SLOTS:
                    begin = datetime.combine(day, begins, self.tz).astimezone(UTC)
                    end = min(begin + timedelta(minutes=30), now)
                    if begin >= start and end > begin:
                        slots.append((begin, end, weight * _WEEKDAY_WEIGHTS[day.weekday()]))
            day += timedelta(days=1)
        return slots


def _minutes(rng: random.Random, median: float, sigma: float) -> timedelta:
    return timedelta(minutes=median * math.exp(rng.gauss(0.0, sigma)))


def _sample_form(service: Service, rng: random.Random) -> dict[str, Any]:
    """A form for the service: one of its schema's examples with its values varied."""
    examples = service.form.get("examples") or [{}]
    form = dict(rng.choice(examples))
    properties = service.form.get("properties", {})
    for name, value in list(form.items()):
        schema = properties.get(name, {})
        if "enum" in schema:
            form[name] = rng.choice(schema["enum"])
        elif schema.get("type") == "integer" and isinstance(value, int):
            low = int(schema.get("minimum", 0))
            form[name] = rng.randint(low, int(schema.get("maximum", low + 240)))
        elif schema.get("type") == "number" and isinstance(value, int | float):
            varied = round(value * math.exp(rng.gauss(0.0, 0.55)), 2)
            form[name] = max(float(schema.get("minimum", 0)), varied)
        elif schema.get("type") == "boolean":
            form[name] = rng.random() < 0.5
    return form


def _approval_rules(service: Service, form: dict[str, Any], rng: random.Random) -> list[str]:
    rules = []
    if service.rule("pin_reset"):
        rules.append("pin_reset")
    amount = service.rule("amount_over")
    if amount is not None:
        value = form.get(amount.field or "")
        if isinstance(value, int | float) and amount.limit is not None and value > amount.limit:
            rules.append("amount_over")
    if service.rule("face_declined") and rng.random() < _FACE_DECLINED:
        rules.append("face_declined")
    return rules


@dataclass
class _Cast:
    """Who and what a generated case can name."""

    hall_id: str
    services: list[Service]
    weights: list[float]
    clerks: list[str]
    supervisors: list[str]
    desks: list[str]
    citizens: list[CitizenRef]


def _cast(session: Session, hall_id: str | None, extra_desks: int) -> _Cast:
    halls = session.scalars(select(Hall.id).order_by(Hall.id)).all()
    if hall_id is None:
        if len(halls) != 1:
            raise HistoryError(f"name the hall: the database has {len(halls)} halls")
        hall_id = halls[0]
    elif hall_id not in halls:
        raise HistoryError(f"no hall {hall_id!r} in the database")

    services = [
        Service.model_validate(row.body)
        for row in session.scalars(select(ServiceRow).order_by(ServiceRow.position))
    ]
    staff = session.scalars(select(Staff).where(Staff.hall_id == hall_id)).all()
    clerks = sorted(s.username for s in staff if "clerk" in s.roles)
    supervisors = sorted(s.username for s in staff if "supervisor" in s.roles)
    citizens = [
        CitizenRef(person_ref=c.person_ref, ssn=c.ssn, card_no=c.card_no)
        for c in session.scalars(
            select(Citizen).where(Citizen.card_status == "normal").order_by(Citizen.person_ref)
        )
    ]
    if not services or not clerks or not citizens:
        raise HistoryError("the seed needs services, a clerk and a citizen with a normal card")

    workstations = session.scalars(
        select(Workstation).where(Workstation.hall_id == hall_id).order_by(Workstation.id)
    ).all()
    planted = sum(1 for ws in workstations if ws.secret_hash == _UNUSABLE_SECRET)
    taken = set(session.scalars(select(Workstation.id)))
    desks = [ws.id for ws in workstations]
    number = 1
    for _ in range(max(0, extra_desks - planted)):
        while f"W{number:02d}" in taken:
            number += 1
        desk_id = f"W{number:02d}"
        taken.add(desk_id)
        session.add(
            Workstation(
                id=desk_id, name=f"{number}号窗口", hall_id=hall_id, secret_hash=_UNUSABLE_SECRET
            )
        )
        desks.append(desk_id)
    session.flush()
    return _Cast(
        hall_id=hall_id,
        services=services,
        weights=[_SERVICE_WEIGHTS.get(s.code, 10.0) for s in services],
        clerks=clerks,
        supervisors=supervisors or clerks,
        desks=desks,
        citizens=citizens,
    )


def _timeline(
    cast: _Cast,
    received: datetime,
    now: datetime,
    slow_department: str | None,
    clock: _Clock,
    rng: random.Random,
) -> CaseTimeline:
    service = rng.choices(cast.services, cast.weights)[0]
    form = _sample_form(service, rng)
    timeline = CaseTimeline(
        service=service.code,
        route=list(service.route),
        received_at=received,
        workstation_id=rng.choice(cast.desks),
        clerk=rng.choice(cast.clerks),
        citizen=rng.choice(cast.citizens),
        form=form,
        idempotency_key=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
    )
    moment = received

    # A supervisor at central decides, in office hours.
    rules = _approval_rules(service, form, rng)
    if rules:
        decided = clock.office(moment + _minutes(rng, *_APPROVAL))
        decision = "rejected" if rng.random() < _APPROVAL_REJECTED else "approved"
        if decided > now:
            timeline.approval = (moment, None, decision, rules)
            return timeline
        timeline.approval = (moment, decided, decision, rules)
        timeline.approver = rng.choice(cast.supervisors)
        moment = decided
        if decision == "rejected":
            timeline.outcome, timeline.closed_at = "rejected", decided
            return timeline

    moment = clock.office(moment + _minutes(rng, *_INTAKE))
    for department in service.route:
        if moment > now:
            return timeline
        median, sigma = _DEPARTMENT_TIMES.get(department, _OTHER_DEPARTMENT)
        if department == slow_department:
            median *= SLOW_FACTOR
        finished = clock.office(moment + _minutes(rng, median, sigma))
        if finished > now:
            timeline.steps.append((department, moment, None))
            return timeline
        timeline.steps.append((department, moment, finished))
        moment = finished
        if rng.random() < _DEPARTMENT_REJECTED:
            timeline.outcome, timeline.closed_at = "rejected", finished
            return timeline
    timeline.outcome, timeline.closed_at = "completed", moment
    return timeline


def _plant_heartbeats(session: Session, cast: _Cast, now: datetime) -> None:
    generated = [
        desk
        for desk in cast.desks
        if (ws := session.get(Workstation, desk)) is not None and ws.secret_hash == _UNUSABLE_SECRET
    ]
    plans = [
        # (seconds since contact, pending, oldest unsent seconds, frozen reason)
        (45, 0, None, None),
        (3 * 3600, 4, 3.5 * 3600, None),
        (30, 27, 26 * 3600, "unsent_age"),
    ]
    for desk, (ago, pending, oldest, frozen) in zip(generated, plans, strict=False):
        beat = session.get(DeskHeartbeat, desk) or DeskHeartbeat(workstation_id=desk)
        beat.received_at = now - timedelta(seconds=ago)
        beat.sent_at = beat.received_at
        beat.app_version = "0.1.0"
        beat.versions = {}
        beat.outbox = {"pending": pending, "sending": 0, "sent": 40, "rejected": 1, "withdrawn": 0}
        beat.unsent = pending
        beat.oldest_unsent_seconds = oldest
        beat.frozen = frozen is not None
        beat.frozen_reason = frozen
        session.add(beat)


def generate_history(
    session: Session,
    days: int,
    cases: int,
    slow_department: str | None = "social_insurance",
    seed: int | None = None,
    *,
    now: datetime | None = None,
    hall_id: str | None = None,
    extra_desks: int = EXTRA_DESKS,
    tz: tzinfo = HALL_TZ,
) -> int:
    """Replace the generated history with ``cases`` cases over the last ``days`` days.

    ``slow_department`` (a department code, or None for none) takes :data:`SLOW_FACTOR` times
    longer than usual. ``seed`` makes the history reproducible (with the same ``now``). Writes
    in the caller's transaction; the caller commits. Returns the number of cases written.
    Raises :class:`HistoryError`.
    """
    if not 1 <= days <= 366:
        raise HistoryError("days must be between 1 and 366")
    if not 1 <= cases <= 100_000:
        raise HistoryError("cases must be between 1 and 100000")
    if slow_department is not None and slow_department not in DEPARTMENTS:
        raise HistoryError(f"unknown department {slow_department!r}")
    now = (now or utc_now()).astimezone(UTC)
    rng = random.Random(seed)
    clock = _Clock(tz, rng)

    removed = remove_generated(session)
    cast = _cast(session, hall_id, extra_desks)

    # Arrival slots over the window; a window without a working day reaches back to one.
    slots: list[tuple[datetime, datetime, float]] = []
    back = days
    while not slots and back <= days + 7:
        slots = clock.slots(now - timedelta(days=back), now)
        back += 1
    if not slots:
        raise HistoryError("no working hours in the window")
    weights = [weight * (end - begin).total_seconds() for begin, end, weight in slots]
    arrivals = sorted(
        begin + (end - begin) * rng.random()
        for begin, end, _weight in rng.choices(slots, weights, k=cases)
    )

    timelines = [_timeline(cast, at, now, slow_department, clock, rng) for at in arrivals]
    write_timelines(session, cast.hall_id, timelines)
    _plant_heartbeats(session, cast, now)

    facts = {"days": days, "cases": cases, "slow_department": slow_department, "seed": seed}
    facts["generated_at"] = now.isoformat()
    meta = session.get(Meta, "history") or Meta(key="history")
    meta.value = json.dumps(facts)[:256]
    session.add(meta)
    log.info(
        "history generated: %s case(s) over %s day(s), slow department %s (replaced %s)",
        cases,
        days,
        slow_department,
        removed,
    )
    return cases
