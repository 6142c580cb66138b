"""``POST /v1/surveys`` and ``POST /v1/objective``: CSV/XLSX uploads, validated like the CLI."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, File, UploadFile

from api.deps import SettingsDep, StoreDep, UploaderKey, key_author
from api.index_service import bundled_methodology
from api.schemas.index import UploadOut
from api.uploads import check_regions, read_upload, store_upload
from scoring.methodology import DEFAULT_METHODOLOGY

surveys = APIRouter(prefix="/v1/surveys", tags=["uploads"])
objective = APIRouter(prefix="/v1/objective", tags=["uploads"])
FILE = File(description="CSV (UTF-8 or cp1251; `,` `;` or tab) or XLSX in the INTERFACES format")


def _upload(kind: str, file: UploadFile, store: Any, key: Any, settings: Any) -> dict[str, Any]:
    methodology = bundled_methodology(DEFAULT_METHODOLOGY)
    upload = read_upload(kind, file.file, file.filename, methodology, settings.upload_dir)
    check_regions(upload, key)
    return store_upload(kind, store, upload, key_author(key))


@surveys.post("", response_model=UploadOut, summary="upload survey answers")
def post_survey(store: StoreDep, key: UploaderKey, settings: SettingsDep,
                file: UploadFile = FILE) -> dict[str, Any]:
    return _upload("survey", file, store, key, settings)


@objective.post("", response_model=UploadOut, summary="upload objective data (X of N)")
def post_objective(store: StoreDep, key: UploaderKey, settings: SettingsDep,
                   file: UploadFile = FILE) -> dict[str, Any]:
    return _upload("objective", file, store, key, settings)
