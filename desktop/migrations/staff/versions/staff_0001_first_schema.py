"""staff.db, first schema: sealed offline verifiers and sign-in failure counters.

Revision ID: staff_0001
Revises: (none)
"""

from alembic import op

revision = "staff_0001"
down_revision = None
branch_labels = None
depends_on = None

FIRST_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS staff_verifiers (
        username TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        seal TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS sign_in_failures (
        user_key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        last_at REAL NOT NULL,
        locked_until REAL
    )""",
)


def upgrade() -> None:
    """Create the first schema."""
    for statement in FIRST_SCHEMA:
        op.execute(statement)


def downgrade() -> None:
    """Drop both tables (offline sign-in is rebuilt at the next online sign-in)."""
    op.execute("DROP TABLE IF EXISTS sign_in_failures")
    op.execute("DROP TABLE IF EXISTS staff_verifiers")
