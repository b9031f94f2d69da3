#!/usr/bin/env bash
# Runs every test (unit and integration, with the real models and native libraries): set-up first
# (idempotent), then the whole solution. Extra arguments go to `dotnet test` (e.g. --filter).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

"$ROOT/scripts/bootstrap.sh"
# The storage tests start a private PostgreSQL on 127.0.0.1 (scripts/postgres.sh), on a port of their own so a
# server started by hand on the default port is left alone; stop it however the run ends.
export VERIFY_PG_PORT=${VERIFY_TEST_PG_PORT:-55433}
trap '"$ROOT/scripts/postgres.sh" stop' EXIT
dotnet test "$ROOT/Verify.sln" -c Release "$@"
