"""The sandbox's database: SQLAlchemy 2 models on one SQLite file in WAL mode.

Datetimes are stored as naive UTC and come back as aware UTC (:class:`UtcDateTime`). Secrets
never reach the database in clear: staff passwords and workstation secrets are stored as scrypt
verifiers, bearer tokens as their SHA-256.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    WriteOnlyMapped,
    mapped_column,
    relationship,
    sessionmaker,
)

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator):
    """A datetime stored as naive UTC (SQLite has no time zones) and read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base of the sandbox's tables."""


class Meta(Base):
    """Key/value facts about the database (the digest of the seed last applied)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))


class Hall(Base):
    """A service hall."""

    __tablename__ = "halls"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class Staff(Base):
    """A staff member with roles, a password verifier and sign-in lockout state."""

    __tablename__ = "staff"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    roles: Mapped[list[str]] = mapped_column(JSON)
    hall_id: Mapped[str] = mapped_column(ForeignKey("halls.id"))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Workstation(Base):
    """An enrolled workstation (a desk) with its secret's verifier."""

    __tablename__ = "workstations"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    hall_id: Mapped[str] = mapped_column(ForeignKey("halls.id"))
    secret_hash: Mapped[str] = mapped_column(String(256))


class Token(Base):
    """An issued bearer token, stored as its SHA-256; ``kind`` is "staff" or "workstation"."""

    __tablename__ = "tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(64))
    hall_id: Mapped[str] = mapped_column(String(64))
    workstation_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class Citizen(Base):
    """A person with their current card and reference photo.

    The photo is kept in the database rather than as a path, so the sandbox keeps working when
    the resources move (a PyInstaller bundle unpacks to a new folder on every start).
    """

    __tablename__ = "citizens"
    person_ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    ssn: Mapped[str] = mapped_column(String(32), unique=True)
    card_no: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    sex: Mapped[str | None] = mapped_column(String(1), nullable=True)
    birth_date: Mapped[date] = mapped_column(Date)
    card_status: Mapped[str] = mapped_column(String(16))
    face_source: Mapped[str | None] = mapped_column(String(300), nullable=True)
    face_image: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    face_media_type: Mapped[str | None] = mapped_column(String(32), nullable=True)


class EcardCode(Base):
    """An electronic social security card code central accepts, by the SHA-256 of its payload
    (the payload itself is not kept). Training codes come from the seed and stay valid."""

    __tablename__ = "ecard_codes"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_ref: Mapped[str] = mapped_column(ForeignKey("citizens.person_ref"), index=True)


class ServiceRow(Base):
    """One service of the catalog, as its JSON (a :class:`desktop.contract.Service`)."""

    __tablename__ = "services"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)


class Case(Base):
    """A received case. ``idempotency_key`` is UNIQUE: that is what makes a resend safe."""

    __tablename__ = "cases"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str | None] = mapped_column(String(32), unique=True, nullable=True)
    idempotency_key: Mapped[str] = mapped_column(String(36), unique=True)
    body_digest: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    local_id: Mapped[str] = mapped_column(String(64))
    service: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)
    hall_id: Mapped[str] = mapped_column(String(64), index=True)
    workstation_id: Mapped[str] = mapped_column(String(64))
    clerk: Mapped[str] = mapped_column(String(64))
    person_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    submitted_by: Mapped[str] = mapped_column(String(80))
    approvals: Mapped[list[str]] = mapped_column(JSON, default=list)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    steps: Mapped[list[CaseStep]] = relationship(
        back_populates="case", order_by="CaseStep.position", cascade="all, delete-orphan"
    )
    # Write-only: recording an event never loads the case's earlier events.
    events: WriteOnlyMapped[CaseEvent] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class CaseStep(Base):
    """One department on a case's route."""

    __tablename__ = "case_steps"
    __table_args__ = (UniqueConstraint("case_pk", "position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_pk: Mapped[int] = mapped_column(ForeignKey("cases.pk"))
    position: Mapped[int] = mapped_column(Integer)
    department: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    case: Mapped[Case] = relationship(back_populates="steps")


class CaseEvent(Base):
    """A timestamped event of a case (``desktop.contract.CASE_EVENT_KINDS``).

    Events are appended as the case moves and never changed; the statistics are computed from
    them. Events with the same time keep their order by ``id``. ``detail`` holds codes and
    staff ids only.
    """

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_at", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_pk: Mapped[int] = mapped_column(ForeignKey("cases.pk", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    department: Mapped[str | None] = mapped_column(String(64), nullable=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class DeskHeartbeat(Base):
    """The latest heartbeat of a workstation: its last contact and outbox state."""

    __tablename__ = "desk_heartbeats"
    workstation_id: Mapped[str] = mapped_column(ForeignKey("workstations.id"), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    app_version: Mapped[str] = mapped_column(String(64))
    versions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    outbox: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    unsent: Mapped[int] = mapped_column(Integer, default=0)
    oldest_unsent_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    frozen: Mapped[bool] = mapped_column(Boolean, default=False)
    frozen_reason: Mapped[str | None] = mapped_column(String(64), nullable=True)


class StaffFactor(Base):
    """A staff member's second factors: their own card's number and a reference photo."""

    __tablename__ = "staff_factors"
    username: Mapped[str] = mapped_column(ForeignKey("staff.username"), primary_key=True)
    card_no: Mapped[str | None] = mapped_column(String(16), nullable=True)
    face_image: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    face_media_type: Mapped[str | None] = mapped_column(String(32), nullable=True)


class HallSettings(Base):
    """A hall's own settings: its opening hours (JSON, see :mod:`sandbox.alerts`)."""

    __tablename__ = "hall_settings"
    hall_id: Mapped[str] = mapped_column(ForeignKey("halls.id"), primary_key=True)
    opening_hours: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class Approval(Base):
    """One approval stage of a case: its role, state and decision (``approvals``).

    A case needing approval gets one row per stage when it arrives; a co-signature made at the
    desk decides stage 1 (``decided_where`` "desk"). Stages are decided in order; the row's
    ``status`` moves waiting -> pending -> approved/rejected, or to cancelled when an earlier
    stage was rejected. ``reason`` is the supervisor's text (never logged).
    """

    __tablename__ = "approvals"
    __table_args__ = (UniqueConstraint("case_pk", "stage"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_pk: Mapped[int] = mapped_column(ForeignKey("cases.pk", ondelete="CASCADE"), index=True)
    hall_id: Mapped[str] = mapped_column(String(64), index=True)
    stage: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    rules: Mapped[list[str]] = mapped_column(JSON, default=list)
    requested_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decided_where: Mapped[str | None] = mapped_column(String(16), nullable=True)
    decided_on: Mapped[str | None] = mapped_column(String(64), nullable=True)  # workstation
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    reason_code: Mapped[str | None] = mapped_column(String(64), nullable=True)


class AuditChain(Base):
    """A workstation's audit chain as central holds it: the head, and whether it broke."""

    __tablename__ = "audit_chains"
    workstation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    hall_id: Mapped[str] = mapped_column(String(64))
    head_seq: Mapped[int] = mapped_column(Integer, default=0)
    head_mac: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    broken_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    broken_code: Mapped[str | None] = mapped_column(String(32), nullable=True)


class AuditRecordRow(Base):
    """One record of a desk's audit chain, as the desk sent it (``audit_records``).

    ``(workstation_id, seq)`` is unique: a record is stored once and never changes, which makes
    ``POST /v1/audit`` idempotent and lets central see a rewritten chain.
    """

    __tablename__ = "audit_records"
    __table_args__ = (UniqueConstraint("workstation_id", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workstation_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    person_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    alg: Mapped[str] = mapped_column(String(16))
    prev_mac: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AlertRow(Base):
    """An alert for the hall's supervisors (``GET /v1/alerts``); ``dedup`` keeps one per cause."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hall_id: Mapped[str] = mapped_column(String(64), index=True)
    workstation_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str | None] = mapped_column(String(64), nullable=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    source: Mapped[str] = mapped_column(String(16))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dedup: Mapped[str | None] = mapped_column(String(200), unique=True, nullable=True)


class PersonLookup(Base):
    """That someone looked a person up (who and when, never whom): for the lookup alert."""

    __tablename__ = "person_lookups"
    __table_args__ = (Index("ix_person_lookups_subject_at", "subject", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hall_id: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def open_database(db_path: Path) -> tuple[Engine, sessionmaker]:
    """Open (creating if needed) the sandbox database and return its engine and session maker."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        f"sqlite:///{db_path}",
        connect_args={"check_same_thread": False, "timeout": 15},
        # Statement errors would otherwise quote bound values (ID numbers, names) in logs.
        hide_parameters=True,
        pool_size=8,
        max_overflow=16,
    )
    event.listen(engine, "connect", _on_connect)
    Base.metadata.create_all(engine)
    log.info("sandbox database open")
    return engine, sessionmaker(engine, expire_on_commit=False)
