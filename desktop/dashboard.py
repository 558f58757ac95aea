"""The supervisor's hall dashboard, Qt-free: fetching the figures, reading them, exporting them.

Central serves the aggregates (``GET /v1/stats/…``, ``docs/api.md``) to staff with the
``supervisor`` or ``admin`` role. :class:`DashboardClient` fetches them with the signed-in
supervisor's token over the desk's :class:`desktop.central.CentralClient` and returns futures, so
the GUI thread never waits for central; the work runs on the client's own thread
(``dashboard``). A :class:`DashboardSnapshot` holds one refresh (the five endpoints, plus the stage
times of each service) and answers the questions the dashboard is for: which stage is the
bottleneck and for which service, which desks need attention. :func:`write_csv` exports it.

Roles are checked here, not only by hiding the dashboard's button: the client refuses to be
built for staff without one of :data:`DASHBOARD_ROLES` (and central refuses them too, 403).
``docs/dashboard.md`` describes the dashboard for supervisors and developers.
"""

from __future__ import annotations

import csv
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from pydantic import BaseModel

from desktop.central import (
    CentralAuthError,
    CentralClient,
    CentralError,
    CentralRejectedError,
    CentralUnavailableError,
)
from desktop.contract import (
    ApprovalStats,
    BacklogStats,
    DeskStats,
    DeskStatus,
    StageStats,
    StageSummary,
    ThroughputStats,
)
from desktop.errors import DeskError

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

# Who may see the dashboard (central checks the same roles).
DASHBOARD_ROLES = frozenset({"supervisor", "admin"})
# The hall's time zone for days and hours on the dashboard: China Standard Time (no DST).
HALL_TZ = timezone(timedelta(hours=8), "CST")
# Central's longest statistics window.
MAX_DAYS = 366
# A desk is offline after this long without a heartbeat (central's default).
DEFAULT_OFFLINE_AFTER = 300

CSV_COLUMNS = (
    "section",
    "period",
    "service",
    "stage",
    "workstation",
    "item",
    "metric",
    "value",
    "label",
)


def may_see_dashboard(roles: Iterable[str]) -> bool:
    """Whether staff with these roles may open the dashboard."""
    return bool(DASHBOARD_ROLES & set(roles))


# --- the query ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardQuery:
    """What the dashboard asks for: the window ``[start, end)`` (aware) and optional filters.

    ``service`` and ``department`` are codes. The window and ``service`` apply to throughput and
    stage times, ``department`` to stage times; backlog, approvals and desks are "now".
    """

    start: datetime
    end: datetime
    service: str | None = None
    department: str | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("the dashboard's window needs time zones")
        if self.start >= self.end:
            raise ValueError("the window's start must be before its end")
        if self.end - self.start > timedelta(days=MAX_DAYS):
            raise ValueError(f"the window is longer than {MAX_DAYS} days")

    @classmethod
    def last_days(
        cls,
        days: int,
        *,
        now: datetime | None = None,
        service: str | None = None,
        department: str | None = None,
    ) -> DashboardQuery:
        """The last ``days`` days up to ``now``."""
        end = (now or datetime.now(UTC)).astimezone(UTC)
        return cls(end - timedelta(days=days), end, service, department)

    @classmethod
    def one_day(
        cls,
        day: date,
        *,
        tz: tzinfo = HALL_TZ,
        service: str | None = None,
        department: str | None = None,
    ) -> DashboardQuery:
        """One calendar day in the hall's time zone, midnight to midnight."""
        start = datetime.combine(day, time(0), tzinfo=tz)
        return cls(
            start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC), service, department
        )

    @property
    def days(self) -> float:
        """The window's length in days."""
        return (self.end - self.start).total_seconds() / 86400

    def params(self, *, department: bool = True) -> dict[str, str]:
        """The query string of ``/v1/stats/throughput`` and ``/v1/stats/stages``."""
        answer = {
            "from": self.start.astimezone(UTC).isoformat(),
            "to": self.end.astimezone(UTC).isoformat(),
        }
        if self.service:
            answer["service"] = self.service
        if department and self.department:
            answer["department"] = self.department
        return answer


# --- one refresh -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayCount:
    """Cases received, completed and rejected in one period (a local day or hour)."""

    start: datetime
    received: int = 0
    completed: int = 0
    rejected: int = 0


def _slowest(summaries: Iterable[StageSummary]) -> StageSummary | None:
    measured = [s for s in summaries if s.count and s.median_seconds is not None]
    if not measured:
        return None
    return max(measured, key=lambda s: (s.median_seconds or 0.0, s.p90_seconds or 0.0))


@dataclass(frozen=True)
class DashboardSnapshot:
    """One refresh of the dashboard: central's answers, as they came, and what they mean."""

    query: DashboardQuery
    throughput: ThroughputStats
    stages: StageStats
    backlog: BacklogStats
    approvals: ApprovalStats
    desks: DeskStats
    service_stages: dict[str, StageStats] = field(default_factory=dict)
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def bottleneck(self) -> StageSummary | None:
        """The slowest stage in the window: the highest median (then 90th percentile)."""
        return _slowest(self.stages.stages)

    def slowest_stage_of(self, service: str) -> StageSummary | None:
        """The slowest stage of one service's cases, when its stage times were fetched."""
        stats = self.service_stages.get(service)
        return _slowest(stats.stages) if stats is not None else None

    @property
    def bottleneck_service(self) -> tuple[str, StageSummary] | None:
        """The service whose cases wait longest in the bottleneck stage, with its figures."""
        bottleneck = self.bottleneck
        if bottleneck is None:
            return None
        found: list[tuple[str, StageSummary]] = []
        for service, stats in self.service_stages.items():
            for summary in stats.stages:
                if summary.stage == bottleneck.stage and summary.count and summary.median_seconds:
                    found.append((service, summary))
        if not found:
            return None
        return max(found, key=lambda item: (item[1].median_seconds or 0.0, item[0]))

    @property
    def desks_needing_attention(self) -> list[DeskStatus]:
        """Desks that are offline or frozen (refusing new cases), frozen ones first."""
        return sorted(
            (d for d in self.desks.desks if d.offline or d.frozen),
            key=lambda d: (not d.frozen, d.workstation_id),
        )

    @property
    def totals(self) -> tuple[int, int, int]:
        """Cases received, completed and rejected in the window, all services."""
        received = sum(t.received for t in self.throughput.totals)
        completed = sum(t.completed for t in self.throughput.totals)
        rejected = sum(t.rejected for t in self.throughput.totals)
        return received, completed, rejected

    def periods(self, tz: tzinfo = HALL_TZ) -> list[DayCount]:
        """Throughput per local hour for a window of a day or less, else per local day.

        Every period of the window is listed, empty ones too, so a chart shows the quiet days.
        """
        hourly = self.query.days <= 1.0
        step = timedelta(hours=1) if hourly else timedelta(days=1)

        def period_of(moment: datetime) -> datetime:
            local = moment.astimezone(tz)
            if hourly:
                return local.replace(minute=0, second=0, microsecond=0)
            return datetime.combine(local.date(), time(0), tzinfo=tz)

        counts: dict[datetime, list[int]] = defaultdict(lambda: [0, 0, 0])
        for bucket in self.throughput.buckets:
            row = counts[period_of(bucket.hour)]
            row[0] += bucket.received
            row[1] += bucket.completed
            row[2] += bucket.rejected
        first = period_of(self.query.start)
        last = period_of(self.query.end - timedelta(microseconds=1))
        answer = []
        moment = first
        while moment <= last:
            row = counts.get(moment, [0, 0, 0])
            answer.append(DayCount(moment, *row))
            # Adding days to a fixed-offset local midnight stays on midnight.
            moment = moment + step
        return answer

    @property
    def hourly(self) -> bool:
        """Whether :meth:`periods` counts per hour (a window of a day or less)."""
        return self.query.days <= 1.0


# --- the client ----------------------------------------------------------------------------------


TokenSource = Callable[[], str | None]


class DashboardClient:
    """Fetches the dashboard's figures from central as the signed-in supervisor.

    ``client`` is the desk's CentralClient (its session and base URL); ``token`` the staff
    token, or a callable giving it (None once the supervisor signed out). Every public method
    returns a Future at once; the requests run on ``executor`` (by default the client's own
    one-thread pool ``dashboard``, shut down by :meth:`close`).

    Raises DeskError ``forbidden`` at once for staff without a supervisor or admin role; the
    futures fail with DeskError ``forbidden`` (central's 403), ``session_expired`` (401),
    ``not_signed_in``, ``central_unavailable``, ``validation_failed`` / ``unknown_service``
    (a bad filter) or ``central_error``.
    """

    def __init__(
        self,
        client: CentralClient,
        roles: Iterable[str],
        *,
        token: str | TokenSource,
        executor: Executor | None = None,
        offline_after: int = DEFAULT_OFFLINE_AFTER,
    ):
        if not may_see_dashboard(roles):
            raise DeskError("forbidden", "the dashboard needs a supervisor or an admin")
        self._client = client
        self._token: TokenSource = token if callable(token) else (lambda: token)
        self._own_executor = executor is None
        self._executor: Executor = executor or ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="dashboard"
        )
        self.offline_after = offline_after
        self._closed = False

    def close(self) -> None:
        """Stop taking work; a request in flight finishes on its own (nothing waits for it)."""
        self._closed = True
        if self._own_executor:
            self._executor.shutdown(wait=False, cancel_futures=True)

    def _submit(self, fn: Callable[[], Any]) -> Future:
        if self._closed:
            failed: Future = Future()
            failed.set_exception(DeskError("desk_stopped", "the dashboard is closed"))
            return failed
        return self._executor.submit(fn)

    # --- futures ---------------------------------------------------------------------------

    def throughput(self, query: DashboardQuery) -> Future:
        """Future[ThroughputStats] for the query's window and service."""
        return self._submit(lambda: self.fetch_throughput(query))

    def stages(self, query: DashboardQuery) -> Future:
        """Future[StageStats] for the query's window, service and department."""
        return self._submit(lambda: self.fetch_stages(query))

    def backlog(self) -> Future:
        """Future[BacklogStats]: open cases per stage now."""
        return self._submit(self.fetch_backlog)

    def approvals(self) -> Future:
        """Future[ApprovalStats]: approvals waiting now."""
        return self._submit(self.fetch_approvals)

    def desks(self) -> Future:
        """Future[DeskStats]: every desk of the hall and its last heartbeat."""
        return self._submit(self.fetch_desks)

    def snapshot(self, query: DashboardQuery, services: Sequence[str] | None = None) -> Future:
        """Future[DashboardSnapshot]: the five endpoints, and the stage times per service.

        ``services`` (codes, e.g. the catalogue's) are the services whose stage times are
        fetched one by one, to say in which service the bottleneck bites; by default those
        with cases in the window. With a service filter only that service is fetched.
        """
        wanted = list(services) if services is not None else None
        return self._submit(lambda: self.fetch_snapshot(query, wanted))

    # --- blocking calls (run on the executor) ------------------------------------------------

    def fetch_snapshot(
        self, query: DashboardQuery, services: Sequence[str] | None = None
    ) -> DashboardSnapshot:
        """Everything the dashboard shows, fetched now (blocking)."""
        throughput = self.fetch_throughput(query)
        stages = self.fetch_stages(query)
        if query.service:
            per_service = {query.service: stages}
        else:
            codes = services if services is not None else [t.service for t in throughput.totals]
            per_service = {
                code: self.fetch_stages(
                    DashboardQuery(query.start, query.end, code, query.department)
                )
                for code in dict.fromkeys(codes)
            }
        snapshot = DashboardSnapshot(
            query=query,
            throughput=throughput,
            stages=stages,
            backlog=self.fetch_backlog(),
            approvals=self.fetch_approvals(),
            desks=self.fetch_desks(),
            service_stages=per_service,
        )
        bottleneck = snapshot.bottleneck
        log.info(
            "dashboard refreshed: %s case(s) received, bottleneck %s, %s desk(s) need attention",
            snapshot.totals[0],
            bottleneck.stage if bottleneck else None,
            len(snapshot.desks_needing_attention),
        )
        return snapshot

    def fetch_throughput(self, query: DashboardQuery) -> ThroughputStats:
        """``GET /v1/stats/throughput`` (blocking)."""
        return self._get("/v1/stats/throughput", query.params(department=False), ThroughputStats)

    def fetch_stages(self, query: DashboardQuery) -> StageStats:
        """``GET /v1/stats/stages`` (blocking)."""
        return self._get("/v1/stats/stages", query.params(), StageStats)

    def fetch_backlog(self) -> BacklogStats:
        """``GET /v1/stats/backlog`` (blocking)."""
        return self._get("/v1/stats/backlog", {}, BacklogStats)

    def fetch_approvals(self) -> ApprovalStats:
        """``GET /v1/stats/approvals`` (blocking)."""
        return self._get("/v1/stats/approvals", {}, ApprovalStats)

    def fetch_desks(self) -> DeskStats:
        """``GET /v1/stats/desks`` (blocking)."""
        params = {"offline_after": str(self.offline_after)}
        return self._get("/v1/stats/desks", params, DeskStats)

    def _get(self, path: str, params: dict[str, str], model: type[M]) -> M:
        token = self._token()
        if not token:
            raise DeskError("not_signed_in", "no supervisor is signed in")
        if params:
            path = f"{path}?{urlencode(params)}"
        # CentralClient's own plumbing, so statuses map to the same errors as every other call.
        client = self._client
        try:
            return client.call_json("GET", path, token=token, model=model)
        except CentralAuthError as exc:
            raise DeskError("session_expired", "sign in again") from exc
        except CentralRejectedError as exc:
            code = "forbidden" if exc.status == 403 else exc.code
            raise DeskError(code, exc.message, fields=exc.fields) from exc
        except CentralUnavailableError as exc:
            raise DeskError("central_unavailable", exc.code) from exc
        except CentralError as exc:
            raise DeskError("central_error", exc.code) from exc


# --- export --------------------------------------------------------------------------------------


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_rows(
    snapshot: DashboardSnapshot,
    *,
    labels: Callable[[str, str], str] | None = None,
    tz: tzinfo = HALL_TZ,
    training: bool = False,
) -> list[dict[str, str]]:
    """The snapshot as CSV rows, one figure a row (see :data:`CSV_COLUMNS` and docs/dashboard.md).

    ``labels(kind, code)`` gives a display name for a ``stage`` or ``service`` code (the UI
    passes the translated names); times are ISO 8601 in the hall's time zone, durations in
    seconds. No personal data: case ids, desk ids and staff usernames only.
    """

    def label(kind: str, code: str | None) -> str:
        if not code or labels is None:
            return ""
        return labels(kind, code)

    def local(moment: datetime | None) -> str:
        return moment.astimezone(tz).isoformat() if moment is not None else ""

    rows: list[dict[str, str]] = []

    def add(section: str, metric: str, value: Any, **keys: str) -> None:
        row = dict.fromkeys(CSV_COLUMNS, "")
        row.update(section=section, metric=metric, **keys)
        row["value"] = value if isinstance(value, str) else _number(value)
        rows.append(row)

    query = snapshot.query
    add("query", "from", local(query.start))
    add("query", "to", local(query.end))
    add("query", "service", query.service or "", label=label("service", query.service))
    add("query", "department", query.department or "", label=label("stage", query.department))
    add("query", "fetched_at", local(snapshot.fetched_at))
    add("query", "mode", "training" if training else "production")

    bottleneck = snapshot.bottleneck
    if bottleneck is not None:
        stage = bottleneck.stage
        add(
            "bottleneck",
            "median_seconds",
            bottleneck.median_seconds,
            stage=stage,
            label=label("stage", stage),
        )
        worst = snapshot.bottleneck_service
        if worst is not None:
            add(
                "bottleneck",
                "median_seconds",
                worst[1].median_seconds,
                stage=stage,
                service=worst[0],
                label=label("service", worst[0]),
            )

    for total in snapshot.throughput.totals:
        for metric in ("received", "completed", "rejected"):
            add(
                "throughput",
                metric,
                getattr(total, metric),
                period="total",
                service=total.service,
                label=label("service", total.service),
            )
    for bucket in snapshot.throughput.buckets:
        for metric in ("received", "completed", "rejected"):
            add(
                "throughput",
                metric,
                getattr(bucket, metric),
                period=local(bucket.hour),
                service=bucket.service,
                label=label("service", bucket.service),
            )

    def stage_rows(stats: StageStats, service: str) -> None:
        for summary in stats.stages:
            for metric in ("count", "median_seconds", "p90_seconds", "max_seconds"):
                add(
                    "stages",
                    metric,
                    getattr(summary, metric),
                    service=service,
                    stage=summary.stage,
                    label=label("stage", summary.stage),
                )

    stage_rows(snapshot.stages, query.service or "")
    if not query.service:
        for service, stats in snapshot.service_stages.items():
            stage_rows(stats, service)

    at = local(snapshot.backlog.at)
    add("backlog", "total_open", snapshot.backlog.total_open, period=at)
    for stage in snapshot.backlog.stages:
        for metric in ("open", "oldest_seconds"):
            add(
                "backlog",
                metric,
                getattr(stage, metric),
                period=at,
                stage=stage.stage,
                label=label("stage", stage.stage),
            )

    approvals = snapshot.approvals
    at = local(approvals.at)
    for metric in ("waiting", "oldest_seconds", "median_age_seconds"):
        add("approvals", metric, getattr(approvals, metric), period=at)
    for item in approvals.items:
        add(
            "approvals",
            "age_seconds",
            item.age_seconds,
            period=local(item.requested_at),
            service=item.service,
            workstation=item.workstation_id,
            item=item.case_id,
            label=",".join(item.rules),
        )

    at = local(snapshot.desks.at)
    for desk in snapshot.desks.desks:
        figures: dict[str, Any] = {
            "offline": int(desk.offline),
            "frozen": int(desk.frozen),
            "frozen_reason": desk.frozen_reason or "",
            "last_contact": local(desk.last_contact),
            "seconds_since_contact": desk.seconds_since_contact,
            "unsent": desk.unsent,
            "oldest_unsent_seconds": desk.oldest_unsent_seconds,
            "rejected": desk.rejected,
            "app_version": desk.app_version or "",
        }
        for metric, value in figures.items():
            add("desks", metric, value, period=at, workstation=desk.workstation_id, label=desk.name)
    return rows


def write_csv(
    snapshot: DashboardSnapshot,
    path: Path | str,
    *,
    labels: Callable[[str, str], str] | None = None,
    tz: tzinfo = HALL_TZ,
    training: bool = False,
) -> int:
    """Write :func:`csv_rows` to ``path`` (UTF-8 with a BOM, so spreadsheets read the Chinese
    names); returns the number of data rows. Raises OSError."""
    rows = csv_rows(snapshot, labels=labels, tz=tz, training=training)
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)
    log.info("dashboard exported: %s row(s)", len(rows))
    return len(rows)
