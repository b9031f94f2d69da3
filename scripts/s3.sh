#!/usr/bin/env bash
# A private S3-compatible server on 127.0.0.1 for the tests and for trying the S3 blob store on one machine:
# s3rver (npm, MIT), pinned with its whole dependency tree by tools/s3-server/package-lock.json (sha512 per
# package) and installed with `npm ci` into .deps/s3-server on first use. It refuses unknown access keys (the
# key and secret are both S3RVER) but does not check a SigV4 signature itself, keeps objects in a temporary
# directory and serves one bucket, verify-blobs. Its file store answers 500 when deletions race under a key prefix
# with '/', so use prefixes without one against it. Never use it for real data.
#
#   scripts/s3.sh start    starts it if it is not running; prints "endpoint=URL bucket=NAME"
#   scripts/s3.sh stop     stops it and deletes its directory
#   scripts/s3.sh status   exit 0 when it answers
#
# VERIFY_S3_PORT (default 54568) and VERIFY_S3_DIR (default /tmp/verify-s3-PORT) override.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PORT=${VERIFY_S3_PORT:-54568}
DIR=${VERIFY_S3_DIR:-${TMPDIR:-/tmp}/verify-s3-$PORT}
BUCKET=verify-blobs
LOCK_SOURCE="$ROOT/tools/s3-server"
INSTALL="$ROOT/.deps/s3-server"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

# The bucket listing answers (403 without a signature) once the server is up.
running() { port_open && curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/$BUCKET" | grep -qE '^(200|403)$'; }

endpoint() { printf 'endpoint=http://127.0.0.1:%s bucket=%s\n' "$PORT" "$BUCKET"; }

# npm ci again only when the lock file changed: the lock's sha256 is kept beside the installation.
install_server() {
  local want
  want=$(sha256sum "$LOCK_SOURCE/package-lock.json" | cut -d' ' -f1)
  if [ -f "$INSTALL/.lock-sha256" ] && [ "$(cat "$INSTALL/.lock-sha256")" = "$want" ]; then return; fi
  command -v npm >/dev/null || { echo "s3.sh: npm is not on PATH (Node.js with npm installs the pinned s3rver)" >&2; exit 1; }
  rm -rf "$INSTALL" && mkdir -p "$INSTALL"
  cp "$LOCK_SOURCE/package.json" "$LOCK_SOURCE/package-lock.json" "$INSTALL/"
  (cd "$INSTALL" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  printf '%s\n' "$want" >"$INSTALL/.lock-sha256"
}

# Test fixtures may start it from several processes at once: one at a time decides whether to start it.
exec 9>"${TMPDIR:-/tmp}/verify-s3-$PORT.lock"
flock 9

case "${1:-}" in
  start)
    if running; then endpoint; exit 0; fi
    install_server
    mkdir -p "$DIR/data"
    touch "$DIR/.verify-s3"
    # 9>&-: the server must not inherit (and so hold forever) the start lock.
    nohup node "$INSTALL/node_modules/s3rver/bin/s3rver.js" --directory "$DIR/data" --address 127.0.0.1 --port "$PORT" \
      --silent --no-vhost-buckets --configure-bucket "$BUCKET" >"$DIR/server.out" 2>&1 9>&- &
    echo $! >"$DIR/server.pid"
    for _ in $(seq 1 100); do
      if running; then endpoint; exit 0; fi
      kill -0 "$(cat "$DIR/server.pid")" 2>/dev/null || break
      sleep 0.1
    done
    tail -20 "$DIR/server.out" >&2
    exit 1
    ;;
  stop)
    if [ -f "$DIR/.verify-s3" ]; then
      if [ -f "$DIR/server.pid" ]; then kill "$(cat "$DIR/server.pid")" 2>/dev/null || true; fi
      rm -rf "$DIR"
    fi
    ;;
  status)
    running
    ;;
  *)
    echo "usage: scripts/s3.sh start|stop|status" >&2
    exit 2
    ;;
esac
