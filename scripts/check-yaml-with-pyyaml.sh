#!/usr/bin/env bash
# The canonical YAML must read, in PyYAML (what the DAG side uses), as exactly the canonical
# JSON: every date, feed name and string a str, never a date, a bool or a number. Dumps random
# specs from tests/roundtrip.rs and compares. Needs python3 with PyYAML (pip install pyyaml).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
ROUNDTRIP_DUMP_DIR="$dir" ROUNDTRIP_CASES="${ROUNDTRIP_CASES:-2000}" \
  cargo test --quiet -p backfill-spec --test roundtrip dump_pairs_for_pyyaml >/dev/null
python3 - "$dir" <<'PY'
import json, pathlib, sys, yaml
files = sorted(pathlib.Path(sys.argv[1]).glob("*.yaml"))
# The pure-Python loader, and libyaml's when PyYAML was built with it.
loaders = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])
for path in files:
    text = path.read_text(encoding="utf-8")
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    for loader in loaders:
        read = yaml.load(text, Loader=loader)
        if read != expected:
            sys.exit(f"{path.name}: {loader.__name__} reads\n{read!r}\nbut the JSON says\n{expected!r}\n--- YAML:\n{text}")
print(f"ok -- PyYAML {yaml.__version__} ({', '.join(l.__name__ for l in loaders)}) reads {len(files)} random canonical YAML files exactly as their JSON")
PY
