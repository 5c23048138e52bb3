"""covering indexes for the daily push's query

Revision ID: 0003
Revises: 0002

At 100,000 tasks the day's query read each task's shares, leaders and milestones from the
tables row by row; these indexes hold every column it asks, and replace the single-column
ones they begin with.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.drop_index("ix_milestones_due")
        batch_op.create_index("ix_milestones_due_open", ["due", "done_at", "task_id"], unique=False)
    with op.batch_alter_table("task_parties", schema=None) as batch_op:
        batch_op.drop_index("ix_task_parties_task_id")
        batch_op.create_index("ix_task_parties_task_kind", ["task_id", "kind", "person_id"], unique=False)
    with op.batch_alter_table("task_units", schema=None) as batch_op:
        batch_op.drop_index("ix_task_units_task_id")
        batch_op.create_index(
            "ix_task_units_task_open",
            ["task_id", "unit_id", "signed_off_at", "signoff_state", "status", "last_report_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("task_units", schema=None) as batch_op:
        batch_op.drop_index("ix_task_units_task_open")
        batch_op.create_index("ix_task_units_task_id", ["task_id"], unique=False)
    with op.batch_alter_table("task_parties", schema=None) as batch_op:
        batch_op.drop_index("ix_task_parties_task_kind")
        batch_op.create_index("ix_task_parties_task_id", ["task_id"], unique=False)
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.drop_index("ix_milestones_due_open")
        batch_op.create_index("ix_milestones_due", ["due"], unique=False)
