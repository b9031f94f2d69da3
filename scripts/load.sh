#!/usr/bin/env bash
# Measures Verify under load in one mode on this machine, in one command:
#
#   scripts/load.sh [embedded|distributed] [COUNT]        (default: embedded 300)
#
# Starts the service on private ports (embedded: scripts/run.sh with a fresh data directory: SQLite, the in-memory bus
# and the pipeline in the API process; distributed: scripts/run-distributed.sh: PostgreSQL, RabbitMQ, the API and
# VERIFY_WORKERS workers), creates a client key (migrating the fresh database), waits for /health/ready and for every
# worker to have loaded its models, then runs `verify load` with generated end-to-end cases (genuine users,
# evaluate-e2e's generator and selfie defaults) at 1, 8 and 32 submissions in flight, COUNT counted per run, with the
# exactly-once check against the mode's database and the CPU seconds per decision of the service's processes (API and
# workers, and in distributed mode PostgreSQL, RabbitMQ and the S3 server). Prints the tables and stops everything it
# started, the servers included.
#
# The service's settings come from the environment and reach every process, e.g.
#   Messaging__ConcurrentVerifications=2 Inference__IntraOpThreads=1 VERIFY_WORKERS=2 VERIFY_BLOBS=s3 scripts/load.sh distributed
# VERIFY_LOAD_CONCURRENCY (default "1 8 32") and VERIFY_LOAD_ARGS (more `verify load` options, e.g. "--warm-up 8") change
# the runs. Ports: the API on VERIFY_LOAD_PORT (default 5191), PostgreSQL VERIFY_PG_PORT (55441), RabbitMQ
# VERIFY_RABBITMQ_PORT (56731), S3 VERIFY_S3_PORT (54581): none of the defaults of run.sh, run-distributed.sh or the tests.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODE=${1:-embedded}
COUNT=${2:-300}
case "$MODE" in
  embedded|distributed) ;;
  *) echo "usage: scripts/load.sh [embedded|distributed] [COUNT]" >&2; exit 2 ;;
esac
[[ "$COUNT" =~ ^[1-9][0-9]*$ ]] || { echo "load.sh: COUNT must be a positive number" >&2; exit 2; }

export VERIFY_PG_PORT=${VERIFY_PG_PORT:-55441} VERIFY_RABBITMQ_PORT=${VERIFY_RABBITMQ_PORT:-56731} VERIFY_S3_PORT=${VERIFY_S3_PORT:-54581}
URL="http://127.0.0.1:${VERIFY_LOAD_PORT:-5191}"
export VERIFY_URLS="$URL"
# One load client stands for a whole platform's traffic: the per-client upload limits (4 uploads at once, 120 a
# minute) would cap the run below the service's own capacity (3 decisions/s is 180 a minute).
export Upload__ConcurrentUploadsPerClient=${Upload__ConcurrentUploadsPerClient:-64}
export Upload__SubmissionsPerMinute=${Upload__SubmissionsPerMinute:-6000}
# No MSBuild server or build nodes outliving the builds below (they would count as the service's child processes).
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
RUN="$ROOT/.deps/run"
LOGS=$(mktemp -d "${TMPDIR:-/tmp}/verify-load-XXXXXX")
DATA=""
service=""

stop_all() {
  if [ -n "$service" ]; then
    # The launcher runs in a process group of its own (setsid below): the API, the workers and `dotnet run` go with it.
    kill -TERM -- "-$service" 2>/dev/null || true
    wait "$service" 2>/dev/null || true
  fi
  if [ "$MODE" = distributed ]; then
    "$ROOT/scripts/rabbitmq.sh" stop || true
    "$ROOT/scripts/postgres.sh" stop || true
    "$ROOT/scripts/s3.sh" stop || true
  fi
  if [ -n "$DATA" ]; then rm -rf "$DATA"; fi
}
trap stop_all EXIT

"$ROOT/scripts/bootstrap.sh"
dotnet build "$ROOT/Verify.sln" -c Release -v q -nologo >/dev/null
VERIFY=(dotnet "$ROOT/src/Verify.Cli/bin/Release/net10.0/verify.dll")

if [ "$MODE" = embedded ]; then
  DATA=$(mktemp -d "${TMPDIR:-/tmp}/verify-load-data-XXXXXX")
  export Storage__DataDirectory="$DATA"
  KEY=$(cd "$ROOT" && "${VERIFY[@]}" keys create --client load-benchmark --data-dir "$DATA" 2>>"$LOGS/keys.log")
  setsid "$ROOT/scripts/run.sh" >"$LOGS/service.log" 2>&1 &
  service=$!
  DATABASE=(--sqlite "$DATA/verify.db")
  SERVERS=()
else
  mkdir -p "$RUN"
  # Starts PostgreSQL and RabbitMQ (and the S3 server) on the ports above and exports the configuration every process
  # reads; run-distributed.sh sources it again and finds them running.
  # shellcheck source=scripts/distributed-env.sh
  . "$ROOT/scripts/distributed-env.sh"
  # Creating the key migrates the fresh database before the service starts (the CLI and the hosts take the same
  # advisory lock, so they would migrate one at a time anyway).
  KEY=$(cd "$ROOT" && "${VERIFY[@]}" keys create --client load-benchmark 2>>"$LOGS/keys.log")
  setsid "$ROOT/scripts/run-distributed.sh" >"$LOGS/service.log" 2>&1 &
  service=$!
  DATABASE=(--database "$Storage__ConnectionString")
  SERVERS=("$(head -1 "${VERIFY_PG_DIR:-${TMPDIR:-/tmp}/verify-postgres-$VERIFY_PG_PORT}/data/postmaster.pid")"
           "$(cat "${VERIFY_RABBITMQ_DIR:-${TMPDIR:-/tmp}/verify-rabbitmq-$VERIFY_RABBITMQ_PORT}/rabbitmq.pid")")
  if [ "${VERIFY_BLOBS:-database}" = s3 ]; then
    SERVERS+=("$(cat "${VERIFY_S3_DIR:-${TMPDIR:-/tmp}/verify-s3-$VERIFY_S3_PORT}/server.pid")")
  fi
fi

# The workers run-distributed.sh started ("worker N: pid P, log FILE" in its output): each must be running, and for
# the runs to measure the mode asked for, each must have loaded its models (its log says "Verify worker ready").
workers() { sed -n 's/^\(worker [0-9]*\): pid \([0-9]*\), log \(.*\)$/\1|\2|\3/p' "$LOGS/service.log"; }
workers_alive() {
  local worker pid log
  while IFS='|' read -r worker pid log; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "load.sh: $worker (pid $pid) has exited; see $log" >&2
      return 1
    fi
  done < <(workers)
}
workers_ready() {
  local worker pid log
  while IFS='|' read -r worker pid log; do
    grep -q "Verify worker ready" "$log" 2>/dev/null || return 1
  done < <(workers)
}

echo "load.sh: $MODE mode starting (log $LOGS/service.log)" >&2
started=$(date +%s)
until curl -sf -o /dev/null "$URL/health/ready" && workers_ready; do
  if ! kill -0 "$service" 2>/dev/null || ! workers_alive || [ $(( $(date +%s) - started )) -ge 600 ]; then
    echo "load.sh: the service did not become ready; the end of $LOGS/service.log:" >&2
    tail -30 "$LOGS/service.log" >&2
    exit 1
  fi
  sleep 1
done
workers_alive

echo "## verify load, $MODE mode, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the runs. Service settings from the environment:"
env | grep -E '^(VERIFY_WORKERS|VERIFY_BLOBS|Messaging__ConcurrentVerifications|Inference__[A-Za-z]+|Upload__[A-Za-z]+|Quality__[A-Za-z]+)=' | sort | sed 's/^/    /' || true
echo
set +e
# shellcheck disable=SC2086 # VERIFY_LOAD_CONCURRENCY and VERIFY_LOAD_ARGS are word lists.
(cd "$ROOT" && "${VERIFY[@]}" load --url "$URL" --key "$KEY" --generate --seed 1 --valid-on "$(date -u +%F)" --count "$COUNT" \
  --concurrency ${VERIFY_LOAD_CONCURRENCY:-1 8 32} "${DATABASE[@]}" --pid "$service" "${SERVERS[@]}" ${VERIFY_LOAD_ARGS:-})
status=$?
set -e
workers_alive || status=1
echo "load.sh: service log kept in $LOGS/service.log" >&2
exit "$status"
