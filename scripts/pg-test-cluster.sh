#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suites, on 127.0.0.1 only, trust auth.
#
#   eval "$(scripts/pg-test-cluster.sh start)"   # exports FEEDBACK_NLP_TEST_PG_URL and _DIR
#   python -m pytest tests/store tests/ingest     # the PostgreSQL variants now run too
#   scripts/pg-test-cluster.sh stop "$FEEDBACK_NLP_TEST_PG_DIR"
#
# Needs Debian's `postgresql` package (apt-get install -y postgresql); the packaged cluster
# is not used. Run as root, the server runs as the `postgres` user (PostgreSQL refuses root);
# otherwise as the current user. Durability is off (fsync, synchronous_commit): test data only.
set -euo pipefail

bindir() {
  local d
  for d in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return; fi
  done
  echo "pg-test-cluster: PostgreSQL server binaries not found; apt-get install -y postgresql" >&2
  exit 1
}

as_owner() {  # run a command as the cluster's owner
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  local bin dir port
  bin="$(bindir)"
  dir="${1:-$(mktemp -d "${TMPDIR:-/tmp}/feedback-nlp-pg.XXXXXX")}"
  mkdir -p "$dir"
  chmod 700 "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  port="$(free_port)"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off \
     -c full_page_writes=off -c max_connections=100" >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "export FEEDBACK_NLP_TEST_PG_URL=postgresql://postgres@127.0.0.1:$port/postgres"
  echo "export FEEDBACK_NLP_TEST_PG_DIR=$dir"
}

stop() {
  local dir="${1:?usage: $0 stop DIR}"
  if [ -d "$dir/data" ]; then
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 start [DIR] | stop DIR" >&2; exit 2 ;;
esac
