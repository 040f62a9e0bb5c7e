#!/usr/bin/env bash
# Builds and runs the local S3 endpoint (crates/local-s3) on http://127.0.0.1:9000: it checks
# presigned uploads as S3 does, answers the bucket's CORS rule for the dev site, prints a fresh
# presigned PUT URL and POST form, and logs the S3 event and the Airflow call of each object.
# It also serves the presign endpoint (POST /_local-s3/presign, the protocol of pipeline/'s
# Lambda) to the dev site. Arguments go to local-s3 (scripts/local-s3.sh --help); --no-cors
# drops the CORS rule; --presign-method post hands out POST forms.
source "$(dirname "$0")/lib.sh"
say "building local-s3 (the first build compiles s3s: about 2 minutes on two cores)"
# A debug build: the workspace's release profile (LTO, size-tuned) is for the wasm bundle.
cargo build --locked --quiet -p local-s3
exec "${CARGO_TARGET_DIR:-$ROOT/target}/debug/local-s3" "$@"
