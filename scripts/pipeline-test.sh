#!/usr/bin/env bash
# The pipeline's checks: ruff, mypy (strict, on the code that ships), cfn-lint on the
# CloudFormation template (deploy/, docs/deploy.md) and pytest, which runs the DAG in real
# Airflow 3.3.2 against moto and the EMR fake (pipeline/tests/). Installs the
# environment first (scripts/pipeline-setup.sh) and builds the two binaries the tests use.
# Extra arguments go to pytest: scripts/pipeline-test.sh -k replay
source "$(dirname "$0")/lib.sh"
scripts/pipeline-setup.sh

VENV=$ROOT/.tools/pipeline-venv
say "backfill-spec (makes the objects the tests run) and local-s3 (compared with the trigger)"
cargo build --locked --quiet -p backfill-spec -p local-s3
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
export BACKFILL_SPEC=$TARGET/debug/backfill-spec LOCAL_S3=$TARGET/debug/local-s3

cd pipeline
say "ruff"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
say "mypy --strict (src, dags)"
"$VENV/bin/mypy" src dags
say "cfn-lint (deploy/*.yaml; a warning fails too)"
"$VENV/bin/cfn-lint" -- ../deploy/*.yaml
say "pytest (Airflow 3.3.2, moto, the EMR fake)"
"$VENV/bin/python" -m pytest "$@"
