#!/usr/bin/env bash
# Every check, in the order that fails fastest: fmt, clippy (native and wasm), the core's
# tests, the pipeline's (Python: the trigger and the DAG in Airflow, the CloudFormation
# template), the release build + bundle gate, the site as `make dist` builds it, wasm tests in
# headless Chromium, the app's native tests and the browser end-to-end tests.
source "$(dirname "$0")/lib.sh"
scripts/setup.sh --test

say "cargo fmt --check"
cargo fmt --all --check

say "clippy, native"
cargo clippy --workspace --all-targets --locked -- -D warnings
say "clippy, wasm32 (what runs in the browser: the app, its tests, the core library)"
cargo clippy --locked --target wasm32-unknown-unknown -p backfill-builder --all-targets -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown -p backfill-spec --lib -- -D warnings

say "native tests (core, CLI)"
cargo test --workspace --locked --exclude backfill-builder

say "pipeline: the trigger Lambda and the DAG, in real Airflow against moto (pipeline/)"
scripts/pipeline-test.sh

say "release build of the site"
trunk build --offline --release
say "bundle gate"
scripts/bundle-size.sh
say "the site as a team deploys it (make dist, for tests/e2e/deployed.rs: nginx, at a sub-path)"
DIST=target/e2e-site PUBLIC_URL=/backfills/ CATALOG=tests/e2e/deployed-catalog.yaml scripts/dist.sh

say "wasm tests in headless Chromium"
cargo test --locked --target wasm32-unknown-unknown -p backfill-builder

say "app unit tests and browser end-to-end tests (on the release build above)"
cargo test --locked -p backfill-builder
