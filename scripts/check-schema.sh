#!/usr/bin/env bash
# Checks the JSON Schema of spec v1 with check-jsonschema (PyPI): the schema against its
# metaschema, every file of schema/examples/good accepted, every file of schema/examples/bad
# refused. Needs python3 (installs check-jsonschema with pip if missing).
set -euo pipefail
cd "$(dirname "$0")/../crates/backfill-spec/schema"
command -v check-jsonschema >/dev/null || pip install --quiet check-jsonschema
schema=spec-v1.schema.json
check-jsonschema --check-metaschema "$schema"
check-jsonschema --schemafile "$schema" examples/good/*
failed=0
for bad in examples/bad/*; do
  if check-jsonschema --schemafile "$schema" "$bad" >/dev/null 2>&1; then
    echo "accepted but should be refused: $bad"
    failed=1
  fi
done
[ "$failed" = 0 ] && echo "ok -- every bad example refused"
exit "$failed"
