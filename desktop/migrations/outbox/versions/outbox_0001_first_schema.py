"""outbox.db, first schema: cases, per-day sequences, metadata.

The tables as the first outbox created them (``metadata.create_all``), written out as SQL.
``IF NOT EXISTS`` lets it complete a database that an interrupted first start left half made.

Revision ID: outbox_0001
Revises: (none)
"""

from alembic import op

revision = "outbox_0001"
down_revision = None
branch_labels = None
depends_on = None

FIRST_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS outbox_cases (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        local_id VARCHAR(64) NOT NULL,
        idempotency_key VARCHAR(36) NOT NULL,
        service VARCHAR(64) NOT NULL,
        created_at VARCHAR(32) NOT NULL,
        cipher VARCHAR(16),
        nonce BLOB,
        body BLOB,
        state VARCHAR(16) NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at FLOAT NOT NULL,
        last_error VARCHAR(500),
        central_id VARCHAR(64),
        updated_at FLOAT NOT NULL,
        sent_at FLOAT,
        UNIQUE (local_id),
        UNIQUE (idempotency_key)
    )""",
    "CREATE INDEX IF NOT EXISTS ix_outbox_cases_state ON outbox_cases (state)",
    """CREATE TABLE IF NOT EXISTS outbox_meta (
        "key" VARCHAR(64) NOT NULL,
        value BLOB NOT NULL,
        PRIMARY KEY ("key")
    )""",
    """CREATE TABLE IF NOT EXISTS outbox_sequences (
        day VARCHAR(8) NOT NULL,
        last INTEGER NOT NULL,
        PRIMARY KEY (day)
    )""",
)


def upgrade() -> None:
    """Create the first schema."""
    for statement in FIRST_SCHEMA:
        op.execute(statement)


def downgrade() -> None:
    """Drop everything (the outbox's cases with it)."""
    for table in ("outbox_sequences", "outbox_meta", "outbox_cases"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
