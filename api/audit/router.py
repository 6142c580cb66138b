"""Routes of the audit page: HTML shells (no data, no key), their static files, and three JSON helpers.

The pages hold no data: the browser asks the API for it with the key the user entered once per
browser session (kept in ``sessionStorage``), so a page link never carries a key.
"""
from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.audit.service import agreement_document, facets
from api.deps import ReaderKey, StoreDep, current_key
from api.problems import ApiError
from api.schemas.common import NAME_MAX
from feedback_nlp.codes import INDICATOR_GROUPS, INDICATOR_NAMES, GROUPS, SOURCE_KINDS
from feedback_nlp.reports.analytics import SOURCE_NAMES
from feedback_nlp.store.keys import ApiKey

HERE = Path(str(files("api.audit")))
STATIC = HERE / "static"
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
# Everything the page needs comes from this server: no CDN, no inline scripts.
CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"
PAGES = {"list": "Отзывы", "item": "Отзыв", "agreement": "Согласие модели и методистов"}

router = APIRouter(prefix="/audit", include_in_schema=False)
_env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html", "j2"]),
                   trim_blocks=True, lstrip_blocks=True)


def _codes() -> str:
    return json.dumps({"indicators": [{"code": c, "name": INDICATOR_NAMES[c], "group": g}
                                      for c, g in INDICATOR_GROUPS.items()],
                       "groups": GROUPS, "sources": [{"code": k, "name": SOURCE_NAMES.get(k, k)} for k in SOURCE_KINDS]},
                      ensure_ascii=False).replace("</", "<\\/")


def _page(request: Request, page: str, **extra: Any) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    html = _env.get_template(f"{page}.html.j2").render(page=page, title=PAGES[page], root=root, codes=_codes(),
                                                       **extra)
    return HTMLResponse(html, headers={"Content-Security-Policy": CSP, "Cache-Control": "no-store",
                                       "Referrer-Policy": "no-referrer"})


@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
def list_page(request: Request) -> HTMLResponse:
    return _page(request, "list")


@router.get("/items/{item_id}", response_class=HTMLResponse)
def item_page(request: Request, item_id: Annotated[str, PathParam(pattern=r"^[0-9a-f]{1,64}$")]) -> HTMLResponse:
    return _page(request, "item", item_id=item_id)


@router.get("/agreement", response_class=HTMLResponse)
def agreement_page(request: Request) -> HTMLResponse:
    return _page(request, "agreement")


@router.get("/static/{name}")
def static(name: str) -> FileResponse:
    path = STATIC / name
    if "/" in name or path.suffix not in STATIC_TYPES or not path.is_file():
        raise ApiError(404, f"no static file {name}")
    return FileResponse(path, media_type=STATIC_TYPES[path.suffix], headers={"Cache-Control": "no-cache"})


@router.get("/api/whoami")
def whoami(key: Annotated[ApiKey, Depends(current_key)]) -> dict[str, Any]:
    """The role of the key the user entered (any valid key; what it may do is the API's business)."""
    return {"role": key.role, "name": key.name, "region": key.region}


@router.get("/api/facets")
def facet_values(store: StoreDep, _key: ReaderKey,
                 region: Annotated[str | None, Query(max_length=NAME_MAX)] = None) -> dict[str, Any]:
    """Regions, centers and source kinds to filter by."""
    return facets(store, region)


@router.get("/api/agreement")
def agreement(store: StoreDep, _key: ReaderKey) -> dict[str, Any]:
    """Model against corrections, per indicator."""
    return agreement_document(store)
