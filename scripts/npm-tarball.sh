# Shared by bootstrap.sh and fetch-models.sh (sourced, not run).

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# npm_tarball NAME VERSION SHA256 CACHE_DIR
# Prints the path of NAME@VERSION's tarball in CACHE_DIR, running `npm pack` unless a copy with the
# expected sha256 is there already. A download with another checksum is deleted and the call fails.
npm_tarball() {
  local name=$1 version=$2 expected=$3 cache=$4 tarball actual
  mkdir -p "$cache"
  tarball="$cache/$(printf '%s' "$name" | sed 's|^@||; s|/|-|')-$version.tgz"
  if [ -f "$tarball" ] && [ "$(sha256_of "$tarball")" = "$expected" ]; then
    printf '%s\n' "$tarball"
    return 0
  fi
  printf '[npm] fetching %s@%s\n' "$name" "$version" >&2
  if ! (cd "$cache" && npm pack "$name@$version" --silent >/dev/null 2>&1) || [ ! -f "$tarball" ]; then
    printf '[npm] error: npm pack %s@%s failed (is the npm registry reachable?)\n' "$name" "$version" >&2
    return 1
  fi
  actual=$(sha256_of "$tarball")
  if [ "$actual" != "$expected" ]; then
    rm -f "$tarball"
    printf '[npm] error: checksum mismatch for %s@%s: expected sha256 %s, got %s (download deleted)\n' \
      "$name" "$version" "$expected" "$actual" >&2
    return 1
  fi
  printf '%s\n' "$tarball"
}
