#!/usr/bin/env bash
# Scaffolds an EF Core migration NAME for both database providers (src/Verify.Data.Sqlite and
# src/Verify.Data.PostgreSql) from the current VerifyDbContext model, with EF Core's own scaffolder.
# The mirror cannot restore Microsoft.EntityFrameworkCore.Design (two dependencies that only
# dotnet-ef's T4 templates and solution reading need are missing), so this fetches its pinned
# package, checks its sha256 and hands its DLL to tools/Verify.Migrations.
#
#   scripts/add-migration.sh AddReviewCases
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NAME=${1:?usage: scripts/add-migration.sh NAME}
VERSION=10.0.14
SHA256=fcf1d301327f61abcb8794ab849de777b59272db5462c4d4e703956b689b3de6
CACHE="$ROOT/.deps/cache"
PACKAGE="$CACHE/microsoft.entityframeworkcore.design.$VERSION.nupkg"
DLL="$ROOT/.deps/ef-design/$VERSION/lib/net10.0/Microsoft.EntityFrameworkCore.Design.dll"

if [ ! -f "$DLL" ]; then
  mkdir -p "$CACHE"
  if [ ! -f "$PACKAGE" ]; then
    curl -fsSL -o "$PACKAGE.part" "https://api.nuget.org/v3-flatcontainer/microsoft.entityframeworkcore.design/$VERSION/microsoft.entityframeworkcore.design.$VERSION.nupkg"
    mv "$PACKAGE.part" "$PACKAGE"
  fi
  echo "$SHA256  $PACKAGE" | sha256sum -c --quiet - || { echo "checksum mismatch: $PACKAGE" >&2; rm -f "$PACKAGE"; exit 1; }
  mkdir -p "$ROOT/.deps/ef-design/$VERSION"
  unzip -o -q "$PACKAGE" "lib/net10.0/Microsoft.EntityFrameworkCore.Design.dll" -d "$ROOT/.deps/ef-design/$VERSION"
fi

dotnet run --project "$ROOT/tools/Verify.Migrations" -c Release -p:EfDesignDll="$DLL" -- "$NAME" "$ROOT"
