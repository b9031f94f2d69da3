#!/usr/bin/env bash
# Runs every test (unit and integration, with the real models and native libraries): set-up first
# (idempotent), then the whole solution. Extra arguments go to `dotnet test` (e.g. --filter).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The integration tests exercise the optional models too (dlib, MiniFASNet: no public source, a mirror has them).
export VERIFY_OPTIONAL_MODELS=${VERIFY_OPTIONAL_MODELS:-all}
"$ROOT/scripts/bootstrap.sh"
# The deployment files (deploy/: compose, Kubernetes) first: seconds, and no server needed. DeploymentManifestTests
# checks what yamllint cannot: that their keys, probes and queues are the service's own.
yamllint -s -c "$ROOT/deploy/.yamllint" "$ROOT/deploy"
# The storage and distributed-mode tests start a private PostgreSQL (scripts/postgres.sh), RabbitMQ
# (scripts/rabbitmq.sh) and S3-compatible server (scripts/s3.sh) on 127.0.0.1, on ports of their own so servers
# started by hand on the default ports are left alone; all are stopped however the run ends.
export VERIFY_PG_PORT=${VERIFY_TEST_PG_PORT:-55433}
export VERIFY_RABBITMQ_PORT=${VERIFY_TEST_RABBITMQ_PORT:-56721}
export VERIFY_S3_PORT=${VERIFY_TEST_S3_PORT:-54569}
trap '"$ROOT/scripts/postgres.sh" stop; "$ROOT/scripts/rabbitmq.sh" stop; "$ROOT/scripts/s3.sh" stop' EXIT
dotnet test "$ROOT/Verify.sln" -c Release "$@"
