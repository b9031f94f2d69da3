#!/usr/bin/env bash
# Installs everything Verify needs on a Debian machine, idempotently: Debian packages, the pinned
# npm tarballs (sha256-checked, extracted into .deps/) and the model files (scripts/fetch-models.sh).
# A second run checks what is there and changes nothing.
#
#   scripts/bootstrap.sh            CPU set-up
#   VERIFY_GPU=1 scripts/bootstrap.sh   also the ONNX Runtime CUDA/TensorRT providers
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEPS="$ROOT/.deps"
CACHE="$DEPS/cache"
# shellcheck source=scripts/npm-tarball.sh
. "$ROOT/scripts/npm-tarball.sh"

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
  command -v npm >/dev/null || die "npm is not on PATH; install Node.js with npm (npm pack fetches the pinned tarballs)"
}

extract_npm_packages() {
  local name version sha folder when members tarball target
  while read -r name version sha folder when members; do
    case "$name" in ''|'#'*) continue ;; esac
    if [ "$when" = gpu ] && [ "${VERIFY_GPU:-0}" != 1 ]; then continue; fi
    target="$DEPS/$folder"
    if [ -f "$target/.sha256" ] && [ "$(cat "$target/.sha256")" = "$sha" ]; then
      log "npm: $name@$version already in .deps/$folder"
      continue
    fi
    tarball=$(npm_tarball "$name" "$version" "$sha" "$CACHE") || exit 1
    rm -rf "$target" && mkdir -p "$target"
    IFS=',' read -r -a paths <<<"$members"
    tar -xzf "$tarball" -C "$target" "${paths[@]}"
    printf '%s\n' "$sha" >"$target/.sha256"
    log "npm: $name@$version extracted into .deps/$folder"
  done <"$ROOT/scripts/npm-packages.lock"
}

main() {
  install_debian_packages
  require_tools
  mkdir -p "$DEPS"
  extract_npm_packages
  "$ROOT/scripts/fetch-models.sh"
  log "ready"
}

main "$@"
