#!/usr/bin/env bash
# Fetches the pinned chDB engine (libchdb.so) with the npm client, checks it against the package's
# published sha512 integrity string, and caches it outside the repository. Prints the library's path.
#
#   TSKOTEL_CHDB_LIB    use this library instead (nothing is fetched)
#   TSKOTEL_CHDB_CACHE  cache root (default: ~/.cache/tskotel/chdb)
set -euo pipefail

readonly PACKAGE="@chdb/lib-linux-x64-gnu"
readonly VERSION="26.7.3-stable.1"
readonly INTEGRITY="sha512-XP97mMqnc5tZpKQywR8N7cLTsHNiTmHr30pC5mzo3jWmukjKn2IBa60c2B/gWUNcuFjOMjWoorQICCqBVj5wpw=="

if [[ -n "${TSKOTEL_CHDB_LIB:-}" ]]; then
  [[ -f "$TSKOTEL_CHDB_LIB" ]] || { echo "fetch-chdb: TSKOTEL_CHDB_LIB=$TSKOTEL_CHDB_LIB does not exist" >&2; exit 1; }
  echo "$TSKOTEL_CHDB_LIB"
  exit 0
fi

dest="${TSKOTEL_CHDB_CACHE:-$HOME/.cache/tskotel/chdb}/$VERSION"
if [[ -f "$dest/libchdb.so" && -f "$dest/integrity" && "$(cat "$dest/integrity")" == "$INTEGRITY" ]]; then
  echo "$dest/libchdb.so"
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-chdb: npm is required to fetch $PACKAGE@$VERSION" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "fetch-chdb: fetching $PACKAGE@$VERSION (about 178 MB) with npm" >&2
(cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
tarball="$(ls "$work"/*.tgz)"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [[ "$actual" != "$INTEGRITY" ]]; then
  echo "fetch-chdb: integrity mismatch for $PACKAGE@$VERSION: expected $INTEGRITY, got $actual" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work" package/libchdb.so
mkdir -p "$dest"
# Move into place before writing the marker, so an interrupted fetch is never taken as complete.
mv -f "$work/package/libchdb.so" "$dest/libchdb.so.tmp"
mv -f "$dest/libchdb.so.tmp" "$dest/libchdb.so"
echo "$INTEGRITY" > "$dest/integrity"
echo "$dest/libchdb.so"
