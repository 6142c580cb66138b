"""Opening a store: engine, SQLite pragmas, and alembic migrations run programmatically."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

DEFAULT_URL = "sqlite:///feedback.db"
MIGRATIONS = Path(__file__).with_name("migrations")


@dataclass(frozen=True)
class Store:
    """An opened, migrated store; every store function takes it (or a connection of it)."""

    engine: Engine

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL mode: a commit appends to the WAL without fsync (the WAL is synced at
    # checkpoints). A crash or kill of the process loses nothing committed; only a power loss
    # or OS crash can roll back the last transactions, and the database stays consistent
    # (then rerunning the ingest completes it, as after a kill). FULL would sync every batch.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # 16 MB of page cache (default 2 MB): index inserts at random keys (ids, hashes, LSH
    # keys) stay in memory instead of re-reading pages as the store grows
    cursor.execute("PRAGMA cache_size=-16384")
    # checkpoint the WAL every ~40 MB rather than every 4 MB: a batch is a few MB, and each
    # checkpoint syncs the database file
    cursor.execute("PRAGMA wal_autocheckpoint=10000")
    cursor.close()
    # SQLite's lower() folds only ASCII; Cyrillic text search needs Python's.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def create_store_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL and a Unicode ``lower``."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.drivername == "postgresql":  # plain postgresql:// means psycopg 3 here
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (alembic, on one connection, in one transaction)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def open_store(url: str = DEFAULT_URL) -> Store:
    """Open (and create or migrate) the store at ``url``: ``sqlite:///path`` or ``postgresql://…``."""
    engine = create_store_engine(url)
    migrate(engine)
    return Store(engine)
