#!/usr/bin/env bash
# make dist CATALOG=path/to/catalog.yaml [PUBLIC_URL=/backfills/] [SITE_ROOT=/srv/backfills]
#   [DIST=dist]
# The deployable site, for a team (docs/deploy.md):
# - dist/ (or DIST): the release build (the same as `make test`'s; cargo reuses what it compiled) with
#   the team's catalog as catalog.yaml, and a .br (brotli q11) and a .gz beside each text and
#   wasm file. Every URL in the site is relative, so the same files work at / and under any
#   sub-path (PUBLIC_URL only changes where the nginx snippet puts them).
# - dist-headers/ (DIST-headers): the response headers the site needs, in the forms hosts take: csp.txt (the
#   page's own policy plus frame-ancestors 'none'), nginx.conf (a snippet for a server block),
#   cloudfront-immutable.json and cloudfront-revalidate.json (response headers policies).
# The catalog is linted first: one with errors is refused, its findings as file:line:col.
source "$(dirname "$0")/lib.sh"

CATALOG=${CATALOG:-}
PUBLIC_URL=${PUBLIC_URL:-/}
DIST=${DIST:-dist}
DIST=${DIST%/}
HEADERS=$DIST-headers
SITE_ROOT=${SITE_ROOT:-$(realpath -m "$DIST")}
if [ -z "$CATALOG" ]; then
  echo "make dist needs the team's catalog: make dist CATALOG=path/to/catalog.yaml (docs/catalog-format.md; the demo: crates/backfill-spec/catalog/demo.yaml)" >&2
  exit 2
fi
[ -f "$CATALOG" ] || { echo "dist: CATALOG=$CATALOG is not a file" >&2; exit 2; }
case "$PUBLIC_URL" in
  *[!A-Za-z0-9/._~-]*) echo "dist: PUBLIC_URL=$PUBLIC_URL may hold only letters, digits, / . _ ~ -" >&2; exit 2 ;;
  /*/ | /) ;;
  *) echo "dist: PUBLIC_URL=$PUBLIC_URL must start and end with / (e.g. /backfills/)" >&2; exit 2 ;;
esac
case "$SITE_ROOT" in
  *[\"\;{}\$]*) echo "dist: SITE_ROOT=$SITE_ROOT may not hold quotes, backslashes, ; { } or \$ (it goes into nginx.conf)" >&2; exit 2 ;;
  /*) ;;
  *) echo "dist: SITE_ROOT=$SITE_ROOT must be an absolute path (where the server finds dist/)" >&2; exit 2 ;;
esac
CATALOG=$(realpath "$CATALOG")

scripts/setup.sh --dist

say "checking $CATALOG"
cli() { cargo run --locked --quiet -p backfill-spec --bin backfill-spec -- "$@"; }
if ! cli lint --catalog "$CATALOG"; then
  echo "dist: the catalog has errors (above): fix them, then make dist again" >&2
  exit 1
fi
connect=$(cli connect-src --catalog "$CATALOG")

say "release build (the catalog's hosts added to the page's connect-src: ${connect:-none})"
# scripts/minify-js.sh (trunk's post-build hook) puts the catalog in and the hosts in the CSP.
SITE_CATALOG="$CATALOG" CSP_CONNECT_EXTRA="$connect" trunk build --offline --release --dist "$DIST"

say "precompressing: a .br and a .gz beside each text and wasm file"
for f in "$DIST"/*.html "$DIST"/*.js "$DIST"/*.wasm "$DIST"/*.css "$DIST"/*.svg "$DIST"/*.yaml; do
  [ -e "$f" ] || continue
  brotli -q 11 -f -k -o "$f.br" "$f"
  gzip -9 -n -f -k "$f"
done

say "response headers in $HEADERS/"
csp=$(perl -0777 -ne 'print $1 if /<meta content="([^"]*)" http-equiv=Content-Security-Policy>/' "$DIST/index.html")
[ -n "$csp" ] || { echo "dist: no Content-Security-Policy meta in $DIST/index.html" >&2; exit 1; }
# The header adds what a meta policy cannot say: no page may frame this one.
csp="$csp; frame-ancestors 'none'"
rm -rf "$HEADERS"
mkdir -p "$HEADERS"
printf '%s\n' "$csp" >"$HEADERS/csp.txt"

# Hashed files (trunk: name-<hash>.ext, the wasm name-<hash>_bg.wasm; the hash is hex without
# its leading zeros) never change: cached for a year. The rest (index.html, catalog.yaml, lint-worker.js) is revalidated every time.
IMMUTABLE="public, max-age=31536000, immutable"
REVALIDATE="no-cache"
headers() { # Cache-Control value
  cat <<EOF
      add_header Content-Security-Policy "$csp" always;
      add_header X-Content-Type-Options nosniff always;
      add_header Referrer-Policy no-referrer always;
      add_header X-Frame-Options DENY always;
      add_header Cache-Control "$1" always;
EOF
}
{
  cat <<EOF
# backfill-builder's site: written by \`make dist\` (scripts/dist.sh); include it in a server {}
# block. It serves $SITE_ROOT at $PUBLIC_URL with the site's headers and its precompressed
# files: brotli_static needs ngx_brotli's static module (Debian:
# libnginx-mod-http-brotli-static; without it, delete that line and .gz is served).
EOF
  if [ "$PUBLIC_URL" != / ]; then
    echo "location = ${PUBLIC_URL%/} { return 301 $PUBLIC_URL; }"
  fi
  cat <<EOF
# ^~: a regular-expression location elsewhere in the server (a common one matches .js and
# .css) must not take the site's files away from these headers.
location ^~ $PUBLIC_URL {
    alias "$SITE_ROOT/";
    index index.html;
    types {
        text/html html;
        text/javascript js;
        application/wasm wasm;
        text/css css;
        image/svg+xml svg;
        application/yaml yaml;
    }
    default_type application/octet-stream;
    charset utf-8;
    charset_types text/javascript text/css application/yaml;
    brotli_static on;
    gzip_static on;
    gzip_vary on;
    # add_header is not inherited by a location that has its own: both list them all.
$(headers "$REVALIDATE")
    location ~ "-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css|svg)\$" {
$(headers "$IMMUTABLE")
    }
}
EOF
} >"$HEADERS/nginx.conf"

# aws cloudfront create-response-headers-policy --response-headers-policy-config file://…
cloudfront() { # name, Cache-Control value, comment
  cat <<EOF
{
  "Name": "$1",
  "Comment": "$3",
  "SecurityHeadersConfig": {
    "ContentSecurityPolicy": {"Override": true, "ContentSecurityPolicy": "$csp"},
    "ContentTypeOptions": {"Override": true},
    "ReferrerPolicy": {"Override": true, "ReferrerPolicy": "no-referrer"},
    "FrameOptions": {"Override": true, "FrameOption": "DENY"}
  },
  "CustomHeadersConfig": {
    "Quantity": 1,
    "Items": [{"Header": "Cache-Control", "Value": "$2", "Override": true}]
  }
}
EOF
}
# The CSP holds no double quote or backslash (checked), so it goes into JSON as it is.
case "$csp" in *'"'* | *\\*) echo "dist: the CSP holds a quote or backslash" >&2; exit 1 ;; esac
cloudfront backfill-builder-immutable "$IMMUTABLE" "backfill-builder: hashed files" >"$HEADERS/cloudfront-immutable.json"
cloudfront backfill-builder-revalidate "$REVALIDATE" "backfill-builder: index.html, catalog.yaml, lint-worker.js" >"$HEADERS/cloudfront-revalidate.json"

say "$DIST/ is ready ($(find "$DIST" -type f | wc -l) files), headers in $HEADERS/ (docs/deploy.md)"
