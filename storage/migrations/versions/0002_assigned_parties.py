"""units an admin assigns to a task survive a re-import

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("task_parties", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assigned", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("task_parties", schema=None) as batch_op:
        batch_op.drop_column("assigned")
