#!/usr/bin/env bash
# Runs a TypeScript entry point of this project on a suitable Node after making sure everything it needs is
# installed (scripts/setup.sh). Used by every npm script, so `npm test` and `npm run demo` work on a fresh clone.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=setup.sh
source "$here/setup.sh"
# The same small young generation and compile cache as bin/voicewipe (see there); test processes inherit it.
export NODE_COMPILE_CACHE="${NODE_COMPILE_CACHE:-$root/.tools/node-compile-cache}"
exec "$NODE" --max-semi-space-size=1 "$@"
