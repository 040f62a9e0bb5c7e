#!/usr/bin/env bash
# The bundle gate, on what a CDN serves: html + js + wasm + css of dist/, each compressed with
# brotli at quality 11, must add up to less than 225,000 bytes. gzip -9 is printed beside it
# (for hosts that serve gzip only). Prints the figures either way.
source "$(dirname "$0")/lib.sh"
BUDGET=225000
total_br=0
total_gz=0
for f in dist/*.html dist/*.js dist/*.wasm dist/*.css; do
  [ -e "$f" ] || continue
  raw=$(wc -c <"$f")
  br=$(brotli -q 11 -c "$f" | wc -c)
  gz=$(gzip -9 -c "$f" | wc -c)
  total_br=$((total_br + br))
  total_gz=$((total_gz + gz))
  printf '  %-48s %9d raw %8d brotli %8d gzip\n' "$(basename "$f")" "$raw" "$br" "$gz"
done
printf '  bundle total: %d bytes brotli (budget %d), %d bytes gzip\n' "$total_br" "$BUDGET" "$total_gz"
if [ "$total_br" -ge "$BUDGET" ]; then
  echo "bundle gate: FAILED, $total_br >= $BUDGET bytes brotli (q11)" >&2
  exit 1
fi
echo "bundle gate: ok"
