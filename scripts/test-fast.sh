#!/usr/bin/env bash
# The edit-test loop: the unit tests and the integration tests of category Web (the service in-process with the real
# models, SQLite and the in-memory bus), with no server started. scripts/test.sh runs everything, CI included.
# Extra arguments go to `dotnet test`.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

"$ROOT/scripts/bootstrap.sh"
dotnet test "$ROOT/Verify.sln" -c Release --filter "FullyQualifiedName~Verify.UnitTests|Category=Web" "$@"
