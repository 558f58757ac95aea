"""audit.db, first schema: the append-only chain of records and its bookkeeping.

Revision ID: audit_0001
Revises: (none)
"""

from alembic import op

revision = "audit_0001"
down_revision = None
branch_labels = None
depends_on = None

FIRST_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS audit_records (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        workstation_id TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        person_ref TEXT,
        details TEXT NOT NULL,
        alg TEXT NOT NULL,
        prev_mac TEXT NOT NULL,
        mac TEXT NOT NULL
    )""",
    """CREATE TRIGGER IF NOT EXISTS audit_records_no_update BEFORE UPDATE ON audit_records
        BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_records_no_delete BEFORE DELETE ON audit_records
        BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END""",
    """CREATE TABLE IF NOT EXISTS audit_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
)


def upgrade() -> None:
    """Create the first schema."""
    for statement in FIRST_SCHEMA:
        op.execute(statement)


def downgrade() -> None:
    """Not supported: the audit chain is append-only."""
    raise NotImplementedError("the audit chain is not downgraded")
