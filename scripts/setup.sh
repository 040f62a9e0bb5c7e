#!/usr/bin/env bash
# Installs whatever is missing, idempotently, and says what it skips.
#   scripts/setup.sh           what `make serve` needs (wasm target, trunk, wasm-bindgen, wasm-opt, terser)
#   scripts/setup.sh --dist    also brotli (make dist precompresses the site)
#   scripts/setup.sh --test    also Chromium and chromedriver for the browser tests, brotli for
#                              the bundle gate, nginx with its brotli module for the site's e2e
source "$(dirname "$0")/lib.sh"

TRUNK_VERSION=0.21.14       # 0.22 needs rustc >= 1.96 (docs/decisions.md)
BINARYEN_VERSION=132        # Debian's binaryen 108 breaks the output (docs/decisions.md)
TERSER_MAJOR=5              # minifies the JS glue in release builds (scripts/minify-js.sh)

# The wasm-bindgen version is Cargo.lock's: the CLI must match the library exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

need_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "wasm32-unknown-unknown target: present"
  else
    say "wasm32-unknown-unknown target: adding"
    rustup target add wasm32-unknown-unknown
  fi
}

need_cargo_tool() { # binary, crate, version, extra cargo-install flags...
  local bin=$1 crate=$2 version=$3; shift 3
  if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -qw "$version"; then
    say "$crate $version: present"
  else
    say "$crate $version: installing with cargo (a few minutes, once)"
    cargo install "$crate" --version "$version" "$@"
  fi
}

need_wasm_opt() {
  if [ -x .tools/node_modules/.bin/wasm-opt ] && .tools/node_modules/.bin/wasm-opt --version | grep -qw "$BINARYEN_VERSION"; then
    say "wasm-opt (npm binaryen@$BINARYEN_VERSION): present"
  else
    say "wasm-opt (npm binaryen@$BINARYEN_VERSION): installing under .tools/"
    mkdir -p .tools
    npm install --prefix .tools --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION"
  fi
}

need_terser() {
  if [ -x .tools/node_modules/.bin/terser ] && .tools/node_modules/.bin/terser --version | grep -q "^terser $TERSER_MAJOR\."; then
    say "terser (npm terser@$TERSER_MAJOR): present"
  else
    say "terser (npm terser@$TERSER_MAJOR): installing under .tools/"
    mkdir -p .tools
    npm install --prefix .tools --no-audit --no-fund --loglevel=error "terser@$TERSER_MAJOR"
  fi
}

# Packages from Debian, installed only when one of them is missing.
need_debian() { # package:file-it-installs...
  local missing=() item
  for item in "$@"; do
    [ -e "${item#*:}" ] || missing+=("${item%%:*}")
  done
  if [ ${#missing[@]} = 0 ]; then
    say "from Debian: ${*%%:*}: present"
    return
  fi
  say "from Debian: installing ${missing[*]}"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}

need_wasm_target
need_cargo_tool trunk trunk "$TRUNK_VERSION" --locked
# Not --locked: one of wasm-bindgen-cli's locked dependencies is gone from the registry.
need_cargo_tool wasm-bindgen wasm-bindgen-cli "$(wasm_bindgen_version)"
need_wasm_opt
need_terser
case "${1:-}" in
  # brotli: make dist's precompressed files.
  --dist) need_debian brotli:/usr/bin/brotli ;;
  # Chromium and chromedriver: the browser tests; brotli: the bundle gate (what a CDN serves);
  # nginx and its brotli module: the deployed site's e2e test (tests/e2e/deployed.rs).
  --test) need_debian chromium:/usr/bin/chromium chromium-driver:/usr/bin/chromedriver \
    brotli:/usr/bin/brotli nginx:/usr/sbin/nginx \
    libnginx-mod-http-brotli-static:/usr/lib/nginx/modules/ngx_http_brotli_static_module.so ;;
esac
