"""Survey and objective uploads: spool, read and validate exactly as the CLI does, check regions."""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from api.problems import ApiError, input_error_items
from feedback_nlp.errors import InputError
from feedback_nlp.inputs import read_table, validate_objective, validate_survey
from feedback_nlp.store import Store
from feedback_nlp.store.index_data import data_version, save_objective, save_survey
from feedback_nlp.store.keys import ApiKey
from scoring.methodology import Methodology

SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")
MAX_LISTED_FOREIGN = 50


@dataclass(frozen=True)
class Upload:
    """A validated upload: the client's file name, the typed rows and their file lines."""

    name: str
    frame: pd.DataFrame
    lines: np.ndarray


def upload_name(filename: str | None) -> str:
    """The client's file name without any directory part (it names the file in errors)."""
    name = PurePath((filename or "upload.csv").replace("\\", "/")).name
    return name or "upload.csv"


def _validate(kind: str, table: Any, methodology: Methodology) -> pd.DataFrame:
    codes = methodology.indicator_codes
    if kind == "survey":
        return validate_survey(table, codes, (methodology.likert_min, methodology.likert_max))
    return validate_objective(table, codes)


def read_upload(kind: str, stream: BinaryIO, filename: str | None, methodology: Methodology,
                spool_dir: str | None = None) -> Upload:
    """The validated upload; ApiError 422 with the CLI's row-level problems."""
    name = upload_name(filename)
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        suffix = ".csv"
    with tempfile.TemporaryDirectory(dir=spool_dir) as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)
        try:
            table = read_table(path)
            frame = _validate(kind, table, methodology)
        except InputError as exc:
            items = input_error_items(exc, name)
            raise ApiError(422, f"{name}: {exc.total} problem(s); nothing was stored", items) from None
    # validation keeps the table's row positions as the index: position -> file line
    return Upload(name, frame, np.asarray(table.lines)[frame.index.to_numpy()])


def check_regions(upload: Upload, key: ApiKey) -> None:
    """403 naming the rows of other regions when a region operator uploads them."""
    if key.role != "region_operator":
        return
    frame, name = upload.frame, upload.name
    mask = (frame["region"] != key.region).to_numpy()
    foreign = np.flatnonzero(mask)
    if len(foreign) == 0:
        return
    items = [{"file": name, "line": int(upload.lines[i]), "field": "region", "value": frame["region"].iat[i],
              "why": f"not the region of this key ({key.region})"} for i in foreign[:MAX_LISTED_FOREIGN]]
    regions = sorted(set(frame["region"].iloc[foreign]))
    raise ApiError(403, f"this key may upload only rows of {key.region}; {len(foreign)} row(s) are of "
                        f"{', '.join(regions)}; nothing was stored", items)


def store_upload(kind: str, store: Store, upload: Upload, uploaded_by: str) -> dict[str, Any]:
    save = save_survey if kind == "survey" else save_objective
    frame = upload.frame
    rows = save(store, frame, uploaded_by)
    return {"rows": rows, "file": upload.name, "regions": sorted(set(frame["region"])),
            "periods": sorted(set(frame["period"])), "data_version": data_version(store)}
