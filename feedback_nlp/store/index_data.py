"""Survey answers and objective rows uploaded through the API, and the store's data version.

The data version changes whenever anything the index depends on changes (an upload, ingested
feedback, a prediction, a correction); cached index results are keyed by it. It combines an
explicit counter, bumped by uploads and corrections made here, with the highest row ids of
the feedback, prediction and correction tables, so writes by other processes (the ``ingest`` and
``classify`` commands) change it too without having to know about it.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    Column, Connection, Index, Integer, String, Table, UniqueConstraint, bindparam, delete, func, insert,
    select, update,
)

from feedback_nlp.codes import OBJECTIVE_COLUMNS, SURVEY_COLUMNS
from feedback_nlp.store.engine import Store
from feedback_nlp.store.tables import UTCDateTime, corrections, feedback, metadata, predictions

SURVEY_KEY = ("region", "center_id", "period", "respondent_id", "indicator")
OBJECTIVE_KEY = ("region", "center_id", "period", "indicator")
VERSION_NAME = "index"

survey_answers = Table(
    "survey_answers", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region", String(255), nullable=False),
    Column("center_id", String(255), nullable=False),
    Column("period", String(8), nullable=False),
    Column("respondent_id", String(255), nullable=False),
    Column("respondent_type", String(16), nullable=False),
    Column("indicator", String(8), nullable=False),
    Column("answer", Integer, nullable=False),
    Column("uploaded_at", UTCDateTime, nullable=False),
    Column("uploaded_by", String(255)),
    UniqueConstraint(*SURVEY_KEY, name="uq_survey_answers_key"),
)

objective_rows = Table(
    "objective_rows", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region", String(255), nullable=False),
    Column("center_id", String(255), nullable=False),
    Column("period", String(8), nullable=False),
    Column("indicator", String(8), nullable=False),
    Column("fulfilled", Integer, nullable=False),
    Column("required", Integer, nullable=False),
    Column("uploaded_at", UTCDateTime, nullable=False),
    Column("uploaded_by", String(255)),
    UniqueConstraint(*OBJECTIVE_KEY, name="uq_objective_rows_key"),
)

Index("ix_survey_answers_period", survey_answers.c.period)
Index("ix_objective_rows_period", objective_rows.c.period)

data_versions = Table(
    "data_versions", metadata,
    Column("name", String(32), primary_key=True),
    Column("value", Integer, nullable=False),
)


def bump_data_version(conn: Connection) -> None:
    """Count one more change of the index data (inside the caller's transaction)."""
    changed = conn.execute(update(data_versions).where(data_versions.c.name == VERSION_NAME)
                           .values(value=data_versions.c.value + 1)).rowcount
    if not changed:
        conn.execute(insert(data_versions).values(name=VERSION_NAME, value=1))


def data_version(store: Store) -> str:
    """A token that differs after every change of the data the index is computed from."""
    parts = [
        select(func.coalesce(func.max(data_versions.c.value), 0)).where(
            data_versions.c.name == VERSION_NAME).scalar_subquery(),
        select(func.coalesce(func.max(feedback.c.seq), 0)).scalar_subquery(),
        select(func.coalesce(func.max(predictions.c.id), 0)).scalar_subquery(),
        select(func.coalesce(func.max(corrections.c.id), 0)).scalar_subquery(),
    ]
    with store.engine.connect() as conn:
        row = conn.execute(select(*parts)).one()
    return "-".join(str(int(v)) for v in row)


def _replace(store: Store, table: Table, key: tuple[str, ...], rows: list[dict[str, Any]]) -> int:
    """Upsert by natural key: a re-uploaded row replaces the stored one; one transaction."""
    if not rows:
        return 0
    where = [table.c[k] == bindparam(f"k_{k}") for k in key]
    with store.engine.begin() as conn:
        conn.execute(delete(table).where(*where), [{f"k_{k}": r[k] for k in key} for r in rows])
        conn.execute(insert(table), rows)
        bump_data_version(conn)
    return len(rows)


def _records(frame: pd.DataFrame, columns: tuple[str, ...], uploaded_by: str | None) -> list[dict[str, Any]]:
    now = datetime.now(timezone.utc)
    records = []
    for values in frame[list(columns)].itertuples(index=False, name=None):
        row = {c: (int(v) if isinstance(v, (np.integer, int)) and not isinstance(v, bool) else v)
               for c, v in zip(columns, values)}
        row["uploaded_at"] = now
        row["uploaded_by"] = uploaded_by
        records.append(row)
    return records


def save_survey(store: Store, frame: pd.DataFrame, uploaded_by: str | None = None) -> int:
    """Store validated survey answers (``validate_survey`` output); returns the row count."""
    return _replace(store, survey_answers, SURVEY_KEY, _records(frame, SURVEY_COLUMNS, uploaded_by))


def save_objective(store: Store, frame: pd.DataFrame, uploaded_by: str | None = None) -> int:
    """Store validated objective rows (``validate_objective`` output); returns the row count."""
    return _replace(store, objective_rows, OBJECTIVE_KEY, _records(frame, OBJECTIVE_COLUMNS, uploaded_by))


def _load(store: Store, table: Table, columns: tuple[str, ...], ints: tuple[str, ...],
          period: str | None) -> pd.DataFrame:
    stmt = select(*(table.c[c] for c in columns)).order_by(table.c.id)
    if period is not None:
        stmt = stmt.where(table.c.period == period)
    with store.engine.connect() as conn:
        rows = conn.execute(stmt).fetchall()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=list(columns))
    for c in columns:
        frame[c] = frame[c].astype(np.int64) if c in ints else frame[c].astype(object)
    return frame


def load_survey(store: Store, period: str | None = None) -> pd.DataFrame:
    """Stored survey answers (of one period, or all) in the validated-survey layout."""
    return _load(store, survey_answers, SURVEY_COLUMNS, ("answer",), period)


def load_objective(store: Store, period: str | None = None) -> pd.DataFrame:
    """Stored objective rows (of one period, or all) in the validated-objective layout."""
    return _load(store, objective_rows, OBJECTIVE_COLUMNS, ("fulfilled", "required"), period)
