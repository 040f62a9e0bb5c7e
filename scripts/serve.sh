#!/usr/bin/env bash
# Installs what is missing, builds, and serves the app on http://127.0.0.1:8080 (the demo
# catalog, with local-s3's presign endpoint as its upload.presign), with the local S3 endpoint
# on http://127.0.0.1:9000: Upload asks it for a URL, and pasting one works too.
source "$(dirname "$0")/lib.sh"
scripts/setup.sh
# The site's catalog.yaml (scripts/minify-js.sh puts it in): the demo's, plus the presign line.
catalog=$ROOT/target/dev-site/catalog.yaml
mkdir -p "$(dirname "$catalog")"
sed '/^  key: "backfills\/{name}\/{fingerprint}.json"$/a\  presign: {url: "http://127.0.0.1:9000/_local-s3/presign"}' \
  crates/backfill-spec/catalog/demo.yaml >"$catalog"
grep -q '^  presign: ' "$catalog" || { echo "serve: could not add upload.presign to the demo catalog (its upload.key line changed?)" >&2; exit 1; }
# The local S3 endpoint, so that an upload can be tried end to end (README, "Try the upload
# path locally"); it stops with this script.
scripts/local-s3.sh &
s3=$!
trap 'kill "$s3" 2>/dev/null' EXIT
say "serving on http://127.0.0.1:8080 (Ctrl-C stops; S3 on http://127.0.0.1:9000)"
# The page may talk to the local S3 (the build itself allows only https S3 endpoints). No
# auto-reload: its inline script, added by trunk after the build, is not in the page's CSP.
SITE_CATALOG="$catalog" CSP_CONNECT_EXTRA="http://127.0.0.1:* http://localhost:*" \
  trunk serve --offline --release --no-autoreload
