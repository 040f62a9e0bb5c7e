#!/usr/bin/env bash
# Trunk's post_build hook (Trunk.toml). In every build: the CSP's hash of Trunk's inline
# loader (below), and the site's catalog when SITE_CATALOG names one (scripts/dist.sh: the
# team's; scripts/serve.sh: the demo with the local presign endpoint). In release builds, two
# more things trunk does not do:
# - minify wasm-bindgen's JS glue with terser (trunk's own minifier cannot parse it and leaves
#   it whole; terser takes it from 8.6 to 6.5 KB gzipped), and lint-worker.js too;
# - shorten the names the glue and the wasm share: wasm-bindgen calls every import
#   `__wbg_<name>_<16 hex>`, about 5 KB gzipped between the two files. wasm-opt renames the
#   wasm's imports, exports and import module and prints the mapping; minify-names.mjs renames
#   them the same way in the glue.
# Then it puts the new files' hashes in index.html's `integrity` attributes.
set -euo pipefail

# The page's Content-Security-Policy allows no inline script but Trunk's module loader: its
# SHA-256 goes into script-src (every profile). CSP_CONNECT_EXTRA adds hosts to connect-src
# (scripts/serve.sh: the local S3 on 127.0.0.1); the build itself allows only its own origin
# and S3's https endpoints.
csp() {
  local page="$TRUNK_STAGING_DIR/index.html" hash
  hash=$(perl -MDigest::SHA=sha256_base64 -0777 -ne \
    'if (/<script type="?module"?>(.*?)<\/script>/s) { my $h = sha256_base64($1); print $h . "=" x ((4 - length($h) % 4) % 4) }' "$page")
  [ -n "$hash" ] || { echo "minify-js: no inline module loader in index.html to hash" >&2; exit 1; }
  sed -i "s|script-src 'self'|script-src 'self' 'sha256-$hash'|" "$page"
  if [ -n "${CSP_CONNECT_EXTRA:-}" ]; then
    sed -i "s|connect-src 'self'|connect-src 'self' $CSP_CONNECT_EXTRA|" "$page"
  fi
  grep -q "'sha256-$hash'" "$page" || { echo "minify-js: the CSP in index.html has no script-src 'self'" >&2; exit 1; }
}

site_catalog() {
  if [ -n "${SITE_CATALOG:-}" ]; then
    cp "$SITE_CATALOG" "$TRUNK_STAGING_DIR/catalog.yaml"
  fi
}

site_catalog
if [ "${TRUNK_PROFILE:-}" != release ]; then
  csp
  exit 0
fi
bin="$TRUNK_SOURCE_DIR/.tools/node_modules/.bin"
for tool in terser wasm-opt; do
  if [ ! -x "$bin/$tool" ]; then
    echo "minify-js: $bin/$tool is missing: run scripts/setup.sh (or make)" >&2
    exit 1
  fi
done
cd "$TRUNK_STAGING_DIR"
sri() { echo "sha384-$(openssl dgst -sha384 -binary "$1" | base64 -w0)"; }
js=$(ls ./backfill-builder-*.js)
wasm=$(ls ./*_bg.wasm)
[ "$(echo "$js" | wc -l)" = 1 ] && [ "$(echo "$wasm" | wc -l)" = 1 ] || {
  echo "minify-js: expected one .js and one _bg.wasm in $TRUNK_STAGING_DIR" >&2
  exit 1
}
declare -A before
for f in "$js" "$wasm"; do
  before[$f]=$(sri "$f")
  grep -qF "${before[$f]}" index.html || { echo "minify-js: no integrity for $f in index.html" >&2; exit 1; }
done

"$bin/terser" "$js" --module --compress --mangle --output "$js.min"
mv "$js.min" "$js"
# The lint worker's script (copied as is by trunk, no integrity): its comments are for us.
"$bin/terser" lint-worker.js --module --compress --mangle --output lint-worker.js.min
mv lint-worker.js.min lint-worker.js
# wasm-opt, all of it here (index.html turns trunk's own run off, `data-wasm-opt="0"`, because
# trunk puts its -Oz before any pass it is given):
# --reorder-functions-by-name, while the wasm still has wasm-bindgen's name section: functions
#   sorted by their Rust path, so a crate's and a generic's code sit together, which brotli and
#   gzip compress better (−1.9 KB brotli, −3.7 KB gzip; after -Oz, or in a later run, whose
#   names are only numbers, it saves less or costs: docs/decisions.md, "Bundle, 2026-12-01").
# -Oz, then again after renaming the imports, exports and import module.
# --low-memory-unused: a load or store at `p + C` (C under 1 KiB) may become one at `p` with
#   offset C. The two differ only when p + C wraps past 4 GiB onto the lowest KiB, which no
#   Rust pointer does (rust-lld puts the stack first, growing down towards 0; the data starts
#   at 1 MiB). −1,049 B brotli.
# The custom sections that only tools read (names, producers, target features) are dropped: no
# browser reads them. The features are those Rust enables for wasm32 by default.
# WASM_NAMES=1 keeps the function names (-g), for a CPU profile with Rust names
# (tests/e2e/profiles.rs); such a build is larger and fails the bundle gate.
names=--strip-debug
[ "${WASM_NAMES:-}" = 1 ] && names=-g
"$bin/wasm-opt" "$wasm" --reorder-functions-by-name -Oz \
  --minify-imports-and-exports-and-modules -Oz --low-memory-unused \
  "$names" --strip-producers \
  --strip-target-features \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-reference-types --enable-multivalue --enable-mutable-globals \
  -o "$wasm.min" >names.json
node "$TRUNK_SOURCE_DIR/scripts/minify-names.mjs" names.json "$js"
rm names.json
mv "$wasm.min" "$wasm"

for f in "$js" "$wasm"; do
  sed -i "s|${before[$f]}|$(sri "$f")|" index.html
done

csp
