#!/usr/bin/env bash
# Installs what is missing, builds, and serves the app on http://127.0.0.1:8080 (demo catalog).
source "$(dirname "$0")/lib.sh"
scripts/setup.sh
say "serving on http://127.0.0.1:8080 (Ctrl-C stops)"
exec trunk serve --offline --release
