"""Alembic environment: always handed a live connection by storage.db.upgrade."""

from alembic import context

from storage.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only via storage.db
    raise RuntimeError("run migrations through `rectibot db upgrade`")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
