#!/usr/bin/env bash
# A private RabbitMQ broker on 127.0.0.1 for the tests and for trying distributed mode on one machine.
# Debian's rabbitmq-server (apt); node data, logs and the Erlang cookie live in a temporary directory.
# The service connects as a user of its own, `verify`, with a password generated on first start and kept
# owner-only in $DIR/verify.password; the default guest user is deleted. Never use it for real data.
#
#   scripts/rabbitmq.sh start   starts it if it is not running; prints host, port, user and the password file
#   scripts/rabbitmq.sh stop    stops it (and the epmd daemon it started) and deletes its directory
#   scripts/rabbitmq.sh status  exit 0 when the broker answers
#
# VERIFY_RABBITMQ_PORT (default 56720) and VERIFY_RABBITMQ_DIR (default /tmp/verify-rabbitmq-PORT) override.
set -euo pipefail
PORT=${VERIFY_RABBITMQ_PORT:-56720}
DIR=${VERIFY_RABBITMQ_DIR:-${TMPDIR:-/tmp}/verify-rabbitmq-$PORT}
BIN=/usr/lib/rabbitmq/bin
# The Erlang distribution port is PORT + 1000: both must be valid ports.
if [ "$PORT" -lt 1024 ] || [ "$PORT" -gt 64535 ]; then echo "rabbitmq.sh: VERIFY_RABBITMQ_PORT must be 1024-64535" >&2; exit 2; fi
[ -x "$BIN/rabbitmq-server" ] || { echo "rabbitmq.sh: RabbitMQ is not installed (apt-get install rabbitmq-server)" >&2; exit 1; }

export HOME="$DIR" \
  RABBITMQ_NODENAME="verify$PORT@localhost" \
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
  RABBITMQ_NODE_PORT="$PORT" \
  RABBITMQ_DIST_PORT=$((PORT + 1000)) \
  RABBITMQ_MNESIA_BASE="$DIR/mnesia" \
  RABBITMQ_LOG_BASE="$DIR/log" \
  RABBITMQ_PID_FILE="$DIR/rabbitmq.pid" \
  RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/enabled_plugins" \
  ERL_EPMD_ADDRESS=127.0.0.1 \
  ERL_CRASH_DUMP="$DIR/erl_crash.dump"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

running() { port_open && "$BIN/rabbitmqctl" -q -n "$RABBITMQ_NODENAME" status >/dev/null 2>&1; }

PASSWORD_FILE="$DIR/verify.password"

# The service's own account: full rights on the default virtual host, a generated password, and no guest.
ensure_user() {
  local ctl=("$BIN/rabbitmqctl" -q -n "$RABBITMQ_NODENAME")
  if [ ! -s "$PASSWORD_FILE" ]; then
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$PASSWORD_FILE.tmp" && mv "$PASSWORD_FILE.tmp" "$PASSWORD_FILE")
  fi
  if "${ctl[@]}" list_users | grep -q '^verify[[:space:]]'; then
    "${ctl[@]}" change_password verify "$(cat "$PASSWORD_FILE")" >/dev/null
  else
    "${ctl[@]}" add_user verify "$(cat "$PASSWORD_FILE")" >/dev/null
  fi
  "${ctl[@]}" set_permissions -p / verify '.*' '.*' '.*' >/dev/null
  if "${ctl[@]}" list_users | grep -q '^guest[[:space:]]'; then "${ctl[@]}" delete_user guest >/dev/null; fi
}

print_endpoint() { printf 'host=127.0.0.1 port=%s user=verify password-file=%s\n' "$PORT" "$PASSWORD_FILE"; }

# Test fixtures may start it from several processes at once: one at a time decides whether to start it.
exec 9>"${TMPDIR:-/tmp}/verify-rabbitmq-$PORT.lock"
flock 9

case "${1:-}" in
  start)
    if running; then ensure_user; print_endpoint; exit 0; fi
    mkdir -p "$DIR/log" "$DIR/mnesia"
    [ -f "$DIR/enabled_plugins" ] || echo '[].' >"$DIR/enabled_plugins"
    touch "$DIR/.verify-rabbitmq"
    epmd_before=$(pgrep -x epmd || true)
    # 9>&-: the broker must not inherit (and so hold forever) the start lock.
    nohup "$BIN/rabbitmq-server" >"$DIR/server.out" 2>&1 9>&- &
    server=$!
    for _ in $(seq 1 120); do
      if port_open || ! kill -0 "$server" 2>/dev/null; then break; fi
      sleep 0.5
    done
    if ! "$BIN/rabbitmqctl" -q -n "$RABBITMQ_NODENAME" await_startup --timeout 60 >/dev/null 2>&1; then
      tail -20 "$DIR/server.out" >&2
      exit 1
    fi
    if [ -z "$epmd_before" ]; then pgrep -x epmd >"$DIR/epmd.pid" || true; fi
    ensure_user
    print_endpoint
    ;;
  stop)
    if [ -f "$DIR/.verify-rabbitmq" ]; then
      "$BIN/rabbitmqctl" -q -n "$RABBITMQ_NODENAME" stop >/dev/null 2>&1 || true
      if [ -f "$DIR/epmd.pid" ]; then kill "$(cat "$DIR/epmd.pid")" 2>/dev/null || true; fi
      rm -rf "$DIR"
    fi
    ;;
  status)
    running
    ;;
  *)
    echo "usage: scripts/rabbitmq.sh start|stop|status" >&2
    exit 2
    ;;
esac
