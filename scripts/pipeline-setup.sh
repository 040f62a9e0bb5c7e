#!/usr/bin/env bash
# The pipeline's Python environment (pipeline/: the trigger Lambda, the DAG and their tests),
# under .tools/pipeline-venv, installed from pipeline/requirements.in with the versions pinned
# in pipeline/constraints.txt. Idempotent: a stamp holds the hash of both files, so a second
# run is instant; a change to either reinstalls from scratch.
#   scripts/pipeline-setup.sh          install if needed
#   scripts/pipeline-setup.sh --lock   resolve requirements.in afresh and rewrite constraints.txt
source "$(dirname "$0")/lib.sh"

VENV=.tools/pipeline-venv
STAMP=$VENV/.installed-from
PYTHON=${PYTHON:-python3}

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "pipeline: $PYTHON is $("$PYTHON" --version 2>&1); Airflow 3.3.2 and these tests need Python 3.11 or later (PYTHON=…)" >&2
  exit 1
fi

lock_hash() { cat pipeline/requirements.in pipeline/constraints.txt | sha256sum | cut -d' ' -f1; }

fresh_venv() {
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
}

if [ "${1:-}" = "--lock" ]; then
  say "pipeline venv: resolving pipeline/requirements.in afresh"
  fresh_venv
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r pipeline/requirements.in
  "$VENV/bin/pip" freeze > pipeline/constraints.txt
  lock_hash > "$STAMP"
  say "pipeline/constraints.txt rewritten: review and commit it"
  exit 0
fi

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(lock_hash)" ]; then
  say "pipeline venv ($VENV): present"
  exit 0
fi
say "pipeline venv ($VENV): installing Airflow, moto and the test tools (about 2 minutes, once)"
fresh_venv
"$VENV/bin/pip" install --quiet --disable-pip-version-check \
  -r pipeline/requirements.in -c pipeline/constraints.txt
lock_hash > "$STAMP"
