"""``feedback-nlp serve``: run the HTTP API (uvicorn) on one process."""
from __future__ import annotations

import argparse
import logging

from feedback_nlp.store.engine import DEFAULT_URL


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the HTTP API",
                       description="Serve the API (docs at /docs). Settings not given here come from "
                       "FEEDBACK_NLP_* environment variables: FEEDBACK_NLP_DB, FEEDBACK_NLP_MODEL, "
                       "FEEDBACK_NLP_CORS_ORIGINS, FEEDBACK_NLP_MAX_BODY_BYTES.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--db", metavar="URL", help=f"store URL (default $FEEDBACK_NLP_DB, else {DEFAULT_URL})")
    p.add_argument("--model", metavar="DIR", help="model directory (default: the bundled model)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app
    from api.preflight import check_model
    from api.settings import get_settings, settings_from_env

    settings = settings_from_env()
    changes = {k: v for k, v in (("db_url", args.db), ("model_path", args.model)) if v}
    settings = settings.model_copy(update=changes)
    check_model(settings.model_path)  # a missing or corrupt model fails here, not at the first request
    app = create_app()
    app.dependency_overrides[get_settings] = lambda: settings
    logging.getLogger("feedback_nlp.api.access").setLevel(logging.WARNING if args.quiet else logging.INFO)
    # uvicorn's own access log prints query strings (search text): ours logs paths only.
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_config=None,
                log_level="warning" if args.quiet else "info", timeout_graceful_shutdown=5)
    return 0
