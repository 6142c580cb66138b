"""Alembic environment: run on the connection ``open_store`` hands over (never from a URL here)."""
from __future__ import annotations

from alembic import context

from feedback_nlp.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
