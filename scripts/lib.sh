# Shared by the scripts: where the repo is, the tools' PATH, and a logger.
# shellcheck shell=bash
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# npm's binaryen lives under .tools/ (ignored by git); cargo-installed tools in ~/.cargo/bin.
export PATH="$ROOT/.tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
