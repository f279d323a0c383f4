#!/usr/bin/env bash
# Builds the vcsim harness into test/vcsim/bin/ when its sources changed since the last build
# (cached by a hash of go.mod, go.sum and *.go), and prints the binary's path.
# The first build downloads govmomi through the Go module proxy and compiles it (a minute or
# more); later calls are instant.
set -euo pipefail
cd "$(dirname "$0")"
bin="bin/vcsim-harness"
stamp="bin/.source-hash"
hash="$(cat go.mod go.sum ./*.go | sha256sum | cut -d' ' -f1)"
if [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$hash" ]]; then
  echo "$PWD/$bin"
  exit 0
fi
mkdir -p bin
# Build to a temporary name and rename: a parallel caller never sees a half-written binary.
tmp="$(mktemp bin/.vcsim-harness.XXXXXX)"
trap 'rm -f "$tmp"' EXIT
go build -trimpath -buildvcs=false -o "$tmp" . >&2
mv -f "$tmp" "$bin"
echo "$hash" > "$stamp"
echo "$PWD/$bin"
