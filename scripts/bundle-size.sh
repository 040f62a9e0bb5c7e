#!/usr/bin/env bash
# The bundle gate: html + js + wasm + css of dist/, each gzipped (-9), must add up to at most
# 250 KB (250,000 bytes). Prints the figures either way.
source "$(dirname "$0")/lib.sh"
BUDGET=250000
total=0
for f in dist/*.html dist/*.js dist/*.wasm dist/*.css; do
  [ -e "$f" ] || continue
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total=$((total + gz))
  printf '  %-48s %9d bytes raw %8d bytes gzipped\n' "$(basename "$f")" "$raw" "$gz"
done
printf '  bundle total: %d bytes gzipped (budget %d)\n' "$total" "$BUDGET"
if [ "$total" -gt "$BUDGET" ]; then
  echo "bundle gate: FAILED, $total > $BUDGET bytes gzipped" >&2
  exit 1
fi
echo "bundle gate: ok"
