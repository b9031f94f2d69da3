#!/usr/bin/env bash
# Runs Verify in its embedded default mode on this machine: set-up first (idempotent), then the API with
# the pipeline in-process. Prints the URL it listens on (default http://127.0.0.1:5080; VERIFY_URLS changes it).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

"$ROOT/scripts/bootstrap.sh"
# Embedded mode keeps its SQLite database, encrypted images and generated keys here (git-ignored).
export Storage__DataDirectory=${Storage__DataDirectory:-$ROOT/.data}
exec dotnet run --project "$ROOT/src/Verify.Api" -c Release --no-launch-profile -- --urls "${VERIFY_URLS:-http://127.0.0.1:5080}" "$@"
