#!/usr/bin/env bash
# Measures how long the distributed-mode API takes from process start to its first 200 on /health/ready (database,
# broker and blob store answer; it loads no model). Runs against the servers scripts/run-distributed.sh uses
# (VERIFY_BLOBS=s3 for the bucket), with no worker, VERIFY_RUNS times (default 5), and prints each figure and the
# median. Needs a Release build first: dotnet build Verify.sln -c Release (or VERIFY_API_DIR, a published API folder,
# e.g. dotnet publish src/Verify.Api -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o DIR).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN="$ROOT/.deps/run"
URL=${VERIFY_URLS:-http://127.0.0.1:5081}
RUNS=${VERIFY_RUNS:-5}

mkdir -p "$RUN"
# shellcheck source=scripts/distributed-env.sh
. "$ROOT/scripts/distributed-env.sh"
cd "${VERIFY_API_DIR:-$ROOT/src/Verify.Api/bin/Release/net10.0}"
figures=()
for n in $(seq 1 "$RUNS"); do
  start=$(date +%s%N)
  dotnet Verify.Api.dll --urls "$URL" >"$RUN/api-start-$n.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "$URL/health/ready"; do
    if ! kill -0 "$pid" 2>/dev/null || [ $(( ($(date +%s%N) - start) / 1000000000 )) -ge 60 ]; then
      echo "run $n: the API did not become ready; see $RUN/api-start-$n.log" >&2
      kill "$pid" 2>/dev/null || true
      exit 1
    fi
    sleep 0.02
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  kill "$pid"
  wait "$pid" || true
  figures+=("$ms")
  echo "run $n: ready in $ms ms"
done
printf '%s\n' "${figures[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "median: %d ms over %d runs\n", a[int((NR + 1) / 2)], NR }'
