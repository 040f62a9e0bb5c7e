#!/usr/bin/env bash
# The hostile-input table of docs/benchmarks.md: each generated hostile input
# (crates/backfill-spec/benches/support/hostile.rs) through the release CLI's `lint`, with its
# size, wall time, peak memory (GNU time's max RSS) and exit status.
#   scripts/bench-hostile.sh [CLI]    CLI defaults to this tree's release build; pass another
#                                     binary (an older build) to compare.
source "$(dirname "$0")/lib.sh"
target="${CARGO_TARGET_DIR:-$ROOT/target}"
cargo build --quiet --release -p backfill-spec --bin backfill-spec
cli="${1:-$target/release/backfill-spec}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
print() { cargo bench --quiet -p backfill-spec --bench bench -- --print "hostile:$1"; }
printf '| input | size | time | peak memory | exit |\n|---|---:|---:|---:|---:|\n'
print "" | while IFS= read -r name; do
  print "$name" >"$work/in.yaml"
  size=$(wc -c <"$work/in.yaml")
  set +e
  BACKFILL_SPEC_TODAY=2026-11-30 /usr/bin/time -f '%e %M' -o "$work/time" \
    timeout 120 "$cli" lint "$work/in.yaml" >/dev/null 2>&1
  status=$?
  set -e
  read -r secs kib < <(tail -n 1 "$work/time")
  printf '| %s | %s KB | %s s | %s MB | %s |\n' "$name" "$((size / 1000))" "$secs" "$((kib / 1024))" "$status"
done
