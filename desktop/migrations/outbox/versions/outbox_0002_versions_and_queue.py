"""outbox.db, schema 2: queue age, error codes, the version chain, withdrawal notes, origin.

Adds the columns (whichever are missing), fills them in for the cases already there (each is
version 1 of itself, queued when last updated, made at this desk), replaces the index on
``state`` by one on ``(state, queued_at)`` and adds one on ``case_ref``.

Revision ID: outbox_0002
Revises: outbox_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "outbox_0002"
down_revision = "outbox_0001"
branch_labels = None
depends_on = None

# In table order; the SQL types SQLAlchemy gives the current table.
ADDED_COLUMNS = {
    "queued_at": "FLOAT",
    "error_code": "VARCHAR(64)",
    "error_fields": "VARCHAR(2000)",
    "version": "INTEGER",
    "case_ref": "VARCHAR(64)",
    "supersedes": "VARCHAR(64)",
    "superseded_by": "VARCHAR(64)",
    "changed_by": "VARCHAR(64)",
    "withdraw_reason": "VARCHAR(32)",
    "note_nonce": "BLOB",
    "note": "BLOB",
    "origin": "VARCHAR(16)",
}


def upgrade() -> None:
    """Add the schema-2 columns and indexes; fill them in for existing cases."""
    conn = op.get_bind()
    present = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(outbox_cases)")}
    for name, sql_type in ADDED_COLUMNS.items():
        if name not in present:
            op.execute(f"ALTER TABLE outbox_cases ADD COLUMN {name} {sql_type}")
    op.execute(
        "UPDATE outbox_cases SET case_ref = local_id, version = 1, "
        "queued_at = coalesce(queued_at, updated_at), origin = 'desk' WHERE case_ref IS NULL"
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_outbox_state_queued ON outbox_cases (state, queued_at)"
    )
    op.execute("CREATE INDEX IF NOT EXISTS ix_outbox_case_ref ON outbox_cases (case_ref)")
    # The first schema indexed state alone; the new index covers it.
    op.execute("DROP INDEX IF EXISTS ix_outbox_cases_state")
    # What schema 2 recorded before migrations existed; kept so both paths give one database.
    meta = sa.table("outbox_meta", sa.column("key", sa.String), sa.column("value", sa.LargeBinary))
    op.execute(meta.delete().where(meta.c.key == "schema_version"))
    op.execute(meta.insert().values(key="schema_version", value=b"2"))


def downgrade() -> None:
    """Not supported: SQLite would have to copy the table, and no desk goes back."""
    raise NotImplementedError("the outbox schema is not downgraded")
