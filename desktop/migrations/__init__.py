"""Schema migrations of the desk's SQLite databases, run by alembic when a database opens.

Each database of the data directory has its own migration folder here, next to this file, so
the wheel and the PyInstaller bundle carry them with the code:

- ``outbox/`` for ``outbox.db`` (:mod:`desktop.outbox`),
- ``audit/`` for ``audit.db`` (:mod:`desktop.audit`),
- ``staff/`` for ``staff.db`` (:mod:`desktop.auth`).

A folder's ``versions/`` holds one script per revision (``revision``/``down_revision``,
``upgrade()``); the first revision creates the first schema that database ever had, later
revisions what changed since. :func:`upgrade` brings a database to the newest revision when the
store opens it for writing:

- a new (empty) database runs every revision from the first;
- a database at the newest revision is not written to at all (a read of ``alembic_version``);
- a database without ``alembic_version`` (made before migrations existed) is recognised from
  its tables and columns, stamped with the revision it matches, then upgraded.

The whole upgrade is one ``BEGIN IMMEDIATE`` transaction on a connection of its own, closed
before the store opens its own connections: two processes opening the same database migrate it
once, and a failed step leaves the database as it was. The stores' connections, pragmas and
writer threads are untouched by this module.

Adding a revision: copy the newest script of the folder, give it a new ``revision``, set
``down_revision`` to the previous one, write ``upgrade()`` (``op.add_column`` ...; SQLite
cannot alter or drop a column in place, use ``op.batch_alter_table``), and update
:data:`HEADS` (a test checks it against the scripts).
"""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent
VERSION_TABLE = "alembic_version"

#: The newest revision of each database. Checked first without loading alembic, so opening a
#: database that is up to date costs one small query.
HEADS = {
    "outbox": "outbox_0002",
    "audit": "audit_0001",
    "staff": "staff_0001",
}


class MigrationError(Exception):
    """A database could not be brought to the current schema; ``code`` is stable."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def script_location(database: str) -> Path:
    """The migration folder of ``database`` (``outbox``, ``audit`` or ``staff``)."""
    if database not in HEADS:
        raise ValueError(f"unknown database {database!r}")
    return MIGRATIONS_DIR / database


@functools.cache
def _script_directory(database: str):
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(script_location(database)))


def script_head(database: str) -> str:
    """The newest revision as the migration scripts of ``database`` say."""
    return _script_directory(database).get_current_head()


def current_revision(path: Path) -> str | None:
    """The revision stamped in the database at ``path`` (None: none, or no file)."""
    path = Path(path)
    if not path.exists():
        return None
    # as_uri() percent-encodes and gives file:///C:/... on Windows, which SQLite understands.
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=15)
    try:
        return _stamped(conn)
    finally:
        conn.close()


def _stamped(conn: sqlite3.Connection) -> str | None:
    try:
        rows = conn.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall()
    except sqlite3.OperationalError:  # no version table
        return None
    return rows[0][0] if len(rows) == 1 else None


# --- recognising a database made before migrations existed -------------------------------------


def _tables(conn: Any) -> dict[str, set[str]]:
    names = [
        row[0]
        for row in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: {row[1] for row in conn.exec_driver_sql(f'PRAGMA table_info("{name}")')}
        for name in names
    }


def _triggers(conn: Any) -> set[str]:
    return {
        row[0]
        for row in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'")
    }


def _detect_outbox(conn: Any) -> str | None:
    tables = _tables(conn)
    if "outbox_cases" not in tables:
        return None
    if {"outbox_sequences", "outbox_meta"} - tables.keys():
        return None  # the first revision creates what is missing (IF NOT EXISTS)
    # Schema 2 added these columns in one transaction; revision 0002 adds whichever is missing.
    if {"queued_at", "case_ref", "origin"} <= tables["outbox_cases"]:
        return "outbox_0002"
    return "outbox_0001"


def _detect_audit(conn: Any) -> str | None:
    tables = _tables(conn)
    triggers = _triggers(conn)
    complete = {"audit_records", "audit_meta"} <= tables.keys() and {
        "audit_records_no_update",
        "audit_records_no_delete",
    } <= triggers
    return "audit_0001" if complete else None


def _detect_staff(conn: Any) -> str | None:
    tables = _tables(conn)
    return "staff_0001" if {"staff_verifiers", "sign_in_failures"} <= tables.keys() else None


_DETECT: dict[str, Callable[[Any], str | None]] = {
    "outbox": _detect_outbox,
    "audit": _detect_audit,
    "staff": _detect_staff,
}


# --- the upgrade ---------------------------------------------------------------------------------


def _engine(path: Path):
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" below issues BEGIN itself
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def upgrade(path: Path, database: str) -> list[str]:
    """Bring the SQLite database at ``path`` to the newest revision of ``database``.

    Returns the revisions applied (empty when it was up to date, with nothing written). The
    file must exist (the stores create it user-only first). Raises MigrationError.
    """
    path = Path(path)
    script_location(database)  # refuses an unknown name
    head = HEADS[database]
    try:
        if current_revision(path) == head:
            return []
    except sqlite3.DatabaseError as exc:
        raise MigrationError("database_unreadable", f"{path.name}: {exc}") from exc

    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy.exc import SQLAlchemyError

    script = _script_directory(database)
    applied: list[str] = []
    engine = _engine(path)
    try:
        with engine.connect() as conn, conn.begin():
            # Another process may have upgraded it meanwhile: decide under the write lock.
            ctx = MigrationContext.configure(conn)
            stamped = ctx.get_current_revision()
            if stamped is None:
                found = _DETECT[database](conn)
                if found is not None:
                    ctx.stamp(script, found)
                    log.info("%s: no schema revision recorded; recognised %s", path.name, found)
                stamped = found
            if stamped == head:
                return applied

            def _steps(rev, _context):
                # What `alembic upgrade head` runs (alembic.command.upgrade does the same).
                steps = script._upgrade_revs(head, rev)
                applied.extend(step.revision.revision for step in steps)
                return steps

            ctx = MigrationContext.configure(conn, opts={"script": script, "fn": _steps})
            with Operations.context(ctx):
                ctx.run_migrations()
    except SQLAlchemyError as exc:
        raise MigrationError("migration_failed", f"{path.name}: {exc}") from exc
    except Exception as exc:
        if type(exc).__module__.startswith("alembic"):
            raise MigrationError("migration_failed", f"{path.name}: {exc}") from exc
        raise
    finally:
        engine.dispose()
    if applied:
        log.info("%s upgraded to %s (%s)", path.name, head, ", ".join(applied))
    return applied
