#!/usr/bin/env bash
# `make fuzz`: runs the cargo-fuzz target `analyze` (crates/backfill-spec/fuzz) with a nightly
# toolchain, starting from the committed seed corpus (fuzz/seeds: the hostile shapes and the
# classics) plus the lint fixtures. The stable build never needs nightly: on stable, the same
# seeds are replayed by tests/robustness.rs on every `make test`.
#   FUZZ_SECONDS=900 make fuzz     how long to run (default 900 s); crashes land in fuzz/artifacts
# Installs cargo-fuzz with cargo if it is missing (about 2 minutes, once).
source "$(dirname "$0")/lib.sh"
seconds="${FUZZ_SECONDS:-900}"
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz: no nightly toolchain (rustup toolchain install nightly); the seeds still run in make test" >&2
  exit 2
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
cd crates/backfill-spec/fuzz
mkdir -p corpus/analyze
cp seeds/* ../tests/lint/*.yaml ../tests/lint/*.json ../tests/lint/catalog/*.yaml corpus/analyze/ 2>/dev/null || true
say "fuzzing analyze for ${seconds}s (corpus: crates/backfill-spec/fuzz/corpus/analyze)"
cd ..
cargo +nightly fuzz run analyze fuzz/corpus/analyze -- \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
