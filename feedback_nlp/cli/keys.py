"""``feedback-nlp keys``: create and revoke API keys (stored hashed; a new key is printed once)."""
from __future__ import annotations

import argparse
import os
import sys

from feedback_nlp.errors import InputError, Problem
from feedback_nlp.store import create_api_key, open_store, revoke_api_key
from feedback_nlp.store.engine import DEFAULT_URL
from feedback_nlp.store.keys import ROLES


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("keys", help="create or revoke API keys",
                       description="API keys of the HTTP API, with roles: analyst (read), region_operator "
                       "(upload its region's data; needs --region), methodologist (corrections), admin.")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="create a key and print it once")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--region", help="the region of a region_operator, as written in the data")
    create.add_argument("--name", help="who holds the key (recorded with corrections and uploads)")
    create.add_argument("--db", metavar="URL", help=f"store URL (default $FEEDBACK_NLP_DB, else {DEFAULT_URL})")
    create.set_defaults(func=run_create)
    revoke = actions.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("id", type=int)
    revoke.add_argument("--db", metavar="URL")
    revoke.set_defaults(func=run_revoke)


def _db(args: argparse.Namespace) -> str:
    return args.db or os.environ.get("FEEDBACK_NLP_DB") or DEFAULT_URL


def run_create(args: argparse.Namespace) -> int:
    if args.role == "region_operator" and not args.region:
        raise InputError(Problem("--region", None, "region", None, "role region_operator needs --region"))
    store = open_store(_db(args))
    try:
        key, record = create_api_key(store, args.role, region=args.region, name=args.name)
    finally:
        store.close()
    print(key)
    where = f" for {record.region}" if record.region else ""
    print(f"key id {record.id}, role {record.role}{where}; it is shown only now, store it safely",
          file=sys.stderr)
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    store = open_store(_db(args))
    try:
        revoke_api_key(store, args.id)
    finally:
        store.close()
    print(f"key id {args.id} revoked", file=sys.stderr)
    return 0
