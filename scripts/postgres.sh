#!/usr/bin/env bash
# A private PostgreSQL server on 127.0.0.1 for the tests and for trying distributed mode on one machine.
# Debian's PostgreSQL binaries (apt package postgresql); the cluster lives in a temporary directory,
# listens on 127.0.0.1 only, and trusts local connections: never use it for real data.
#
#   scripts/postgres.sh start   starts it if it is not running; prints the connection string
#   scripts/postgres.sh stop    stops it and deletes the cluster
#   scripts/postgres.sh status  exit 0 when it answers
#
# VERIFY_PG_PORT (default 55432) and VERIFY_PG_DIR (default /tmp/verify-postgres-PORT) override.
set -euo pipefail
PORT=${VERIFY_PG_PORT:-55432}
DIR=${VERIFY_PG_DIR:-${TMPDIR:-/tmp}/verify-postgres-$PORT}
BIN=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1 || true)
[ -n "$BIN" ] || { echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

# PostgreSQL refuses to run as root: as root the cluster belongs to the postgres user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

connection_string() { printf 'Host=127.0.0.1;Port=%s;Username=verify;Database=postgres\n' "$PORT"; }

running() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; }

# Test fixtures may start it from several processes at once: one at a time decides whether to start it.
exec 9>"${TMPDIR:-/tmp}/verify-postgres-$PORT.lock"
flock 9

case "${1:-}" in
  start)
    if running; then connection_string; exit 0; fi
    mkdir -p "$DIR"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$DIR"
    if [ ! -f "$DIR/data/PG_VERSION" ]; then
      as_owner "$BIN/initdb" -D "$DIR/data" -U verify --auth=trust -E UTF8 --no-locale >"$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; exit 1; }
    fi
    # 9>&-: the server must not inherit (and so hold forever) the start lock.
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k '$DIR' -c fsync=off" start >/dev/null 9>&- \
      || { cat "$DIR/server.log" >&2; exit 1; }
    connection_string
    ;;
  stop)
    if [ -f "$DIR/data/postmaster.pid" ]; then
      as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null || true
    fi
    # Only ever delete a directory this script made a cluster in.
    if [ -f "$DIR/data/PG_VERSION" ]; then rm -rf "$DIR"; fi
    ;;
  status)
    running
    ;;
  *)
    echo "usage: scripts/postgres.sh start|stop|status" >&2
    exit 2
    ;;
esac
