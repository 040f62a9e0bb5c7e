#!/usr/bin/env bash
# Trunk's post_build hook (Trunk.toml), release builds only: minifies wasm-bindgen's JS glue
# with terser (trunk's own minifier cannot parse it and leaves it whole; terser takes it from
# 8.6 to 6.5 KB gzipped), then puts the new file's hash in index.html's `integrity`.
set -euo pipefail
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
terser="$TRUNK_SOURCE_DIR/.tools/node_modules/.bin/terser"
if [ ! -x "$terser" ]; then
  echo "minify-js: $terser is missing: run scripts/setup.sh (or make)" >&2
  exit 1
fi
cd "$TRUNK_STAGING_DIR"
sri() { echo "sha384-$(openssl dgst -sha384 -binary "$1" | base64 -w0)"; }
for js in *.js; do
  before=$(sri "$js")
  "$terser" "$js" --module --compress --mangle --output "$js.min"
  mv "$js.min" "$js"
  after=$(sri "$js")
  grep -qF "$before" index.html || { echo "minify-js: no integrity for $js in index.html" >&2; exit 1; }
  sed -i "s|$before|$after|" index.html
done
