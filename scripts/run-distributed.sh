#!/usr/bin/env bash
# Runs Verify in distributed mode on this one machine, to try it or to benchmark it: a private PostgreSQL and
# RabbitMQ on 127.0.0.1 (scripts/postgres.sh, scripts/rabbitmq.sh), VERIFY_WORKERS worker processes (default 2) on
# the CPU queue, and the API in the foreground. Ctrl-C stops the API and the workers; the servers keep running
# until `scripts/postgres.sh stop` and `scripts/rabbitmq.sh stop` (and `scripts/s3.sh stop`).
#
# Images go to the PostgreSQL blobs table; VERIFY_BLOBS=s3 puts them in a bucket of a private S3-compatible
# server (scripts/s3.sh) instead.
#
# Every process needs the same encryption and fingerprint keys: the first run generates them into
# .deps/run/distributed.env (owner-only); in production they come from your secret store instead.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORKERS=${VERIFY_WORKERS:-2}
URLS=${VERIFY_URLS:-http://127.0.0.1:5080}
RUN="$ROOT/.deps/run"

"$ROOT/scripts/bootstrap.sh"
dotnet build "$ROOT/Verify.sln" -c Release -v q -nologo >/dev/null

# shellcheck source=scripts/distributed-env.sh
. "$ROOT/scripts/distributed-env.sh"

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for n in $(seq 1 "$WORKERS"); do
  # Each host runs from its output folder, its content root, so it reads its own appsettings.json.
  (cd "$ROOT/src/Verify.Worker/bin/Release/net10.0" && exec dotnet Verify.Worker.dll) >"$RUN/worker-$n.log" 2>&1 &
  pids+=($!)
  echo "worker $n: pid $!, log $RUN/worker-$n.log" >&2
done
echo "API keys: Storage__Provider=PostgreSql Storage__ConnectionString='$Storage__ConnectionString' dotnet run --project src/Verify.Cli -c Release -- keys create --client NAME" >&2
cd "$ROOT/src/Verify.Api/bin/Release/net10.0"
dotnet Verify.Api.dll --urls "$URLS" "$@"
