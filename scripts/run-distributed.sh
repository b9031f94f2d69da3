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

PG=$("$ROOT/scripts/postgres.sh" start)
"$ROOT/scripts/rabbitmq.sh" start >/dev/null
PG_PORT=$(printf '%s' "$PG" | sed -n 's/.*Port=\([0-9]*\).*/\1/p')
if ! psql "host=127.0.0.1 port=$PG_PORT user=verify dbname=postgres" -tAc "select 1 from pg_database where datname = 'verify'" | grep -q 1; then
  psql "host=127.0.0.1 port=$PG_PORT user=verify dbname=postgres" -qc "create database verify"
fi

mkdir -p "$RUN"
if [ ! -f "$RUN/distributed.env" ]; then
  (umask 077 && {
    printf 'Protection__Keys__k1=%s\n' "$(head -c 32 /dev/urandom | base64)"
    printf 'Protection__ActiveKeyId=k1\n'
    printf 'Protection__FingerprintKey=%s\n' "$(head -c 32 /dev/urandom | base64)"
  } >"$RUN/distributed.env")
fi
set -a
# shellcheck disable=SC1091
. "$RUN/distributed.env"
Storage__Provider=PostgreSql
Storage__ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Username=verify;Database=verify"
if [ "${VERIFY_BLOBS:-database}" = s3 ]; then
  S3=$("$ROOT/scripts/s3.sh" start)
  Blobs__Store=S3
  Blobs__S3__ServiceUrl=$(printf '%s' "$S3" | sed -n 's/.*endpoint=\([^ ]*\).*/\1/p')
  Blobs__S3__Bucket=$(printf '%s' "$S3" | sed -n 's/.*bucket=\([^ ]*\).*/\1/p')
  Blobs__S3__AccessKeyId=S3RVER
  Blobs__S3__SecretAccessKey=S3RVER
  # No '/' in the prefix: s3rver's file store cannot take concurrent deletions under one (AWS S3 can).
  Blobs__S3__Prefix=verify-blobs-
else
  Blobs__Store=Database
fi
Messaging__Transport=RabbitMq
Messaging__RabbitMqPort=${VERIFY_RABBITMQ_PORT:-56720}
set +a

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
