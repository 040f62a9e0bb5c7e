#!/usr/bin/env bash
# Whole-process time of `backfill-spec lint` against `check-jsonschema` (PyPI) validating the
# same file with our JSON Schema, on the same machine; prints the ratio.
#
# Not a like-for-like comparison in our favour: check-jsonschema checks shape only, while
# `lint` also parses with spans, runs every catalog rule and builds the plan.
#
# Usage: scripts/bench-vs-check-jsonschema.sh   (needs cargo, python3; installs
# check-jsonschema with pip if missing; uses hyperfine when installed, else a timed loop)
set -euo pipefail
cd "$(dirname "$0")/.."

target="${CARGO_TARGET_DIR:-target}"
schema=crates/backfill-spec/schema/spec-v1.schema.json
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

command -v check-jsonschema >/dev/null || pip install --quiet check-jsonschema
cargo build --quiet --release -p backfill-spec --bin backfill-spec
cli="$target/release/backfill-spec"

# The bench binary generates the same spec texts its lint cases measure.
cargo bench --quiet -p backfill-spec --bench bench -- --print lint-200-lines >"$work/spec-200-lines.yaml"
cargo bench --quiet -p backfill-spec --bench bench -- --print lint-1000-entries >"$work/spec-1000-entries.yaml"

echo "$(check-jsonschema --version); backfill-spec $("$cli" --version | cut -d' ' -f2); $(nproc) cores"
for spec in "$work/spec-200-lines.yaml" "$work/spec-1000-entries.yaml"; do
  name="$(basename "$spec")"
  # Both must accept the file, or the timing compares an early exit.
  "$cli" lint "$spec" >/dev/null 2>&1 || { echo "lint rejects $name"; exit 1; }
  check-jsonschema --schemafile "$schema" "$spec" >/dev/null || { echo "check-jsonschema rejects $name"; exit 1; }
  if command -v hyperfine >/dev/null; then
    hyperfine --shell=none --warmup 3 --min-runs 20 --style basic --export-json "$work/t.json" \
      "$cli lint $spec" "check-jsonschema --schemafile $schema $spec" >/dev/null 2>&1
    read -r ours theirs < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(r[0]["mean"], r[1]["mean"])' "$work/t.json")
  else
    time_of() { # mean seconds of 20 runs
      local start end; start=$(date +%s%N)
      for _ in $(seq 20); do "$@" >/dev/null 2>&1; done
      end=$(date +%s%N); python3 -c "print(($end - $start) / 20 / 1e9)"
    }
    ours=$(time_of "$cli" lint "$spec")
    theirs=$(time_of check-jsonschema --schemafile "$schema" "$spec")
  fi
  python3 - "$name" "$ours" "$theirs" <<'PY'
import sys
name, ours, theirs = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
print(f"{name:<24} backfill-spec lint {ours*1e3:8.2f} ms   check-jsonschema {theirs*1e3:8.1f} ms   ratio {theirs/ours:6.1f}x")
PY
done
