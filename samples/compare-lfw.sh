#!/usr/bin/env bash
# Compares LFW photographs (read in place from ../shared/data) with the verify CLI and shows the exit codes.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LFW="${VERIFY_TEST_DATA:-$ROOT/../shared/data}/lfw/images"
verify() { dotnet run --project "$ROOT/src/Verify.Cli" -c Release --no-launch-profile -- "$@"; }

echo "== one person, two photos"
verify compare "$LFW/Colin_Powell/Colin_Powell_0038.jpg" "$LFW/Colin_Powell/Colin_Powell_0212.jpg"
echo "exit code $? (0: same person)"

echo "== two people, as JSON"
verify compare --json "$LFW/Colin_Powell/Colin_Powell_0038.jpg" "$LFW/George_W_Bush/George_W_Bush_0353.jpg"
echo "exit code $? (1: different people)"
