#!/usr/bin/env bash
# What scripts/emit-js.ts turns into .build/, and its fingerprint: bin/voicewipe runs the emitted JavaScript only
# while .build/stamp holds the fingerprint of the sources as they are now, so a build can never be stale.
#
#   scripts/build-stamp.sh          the fingerprint (a SHA-1 of every listed file's name and content)
#   scripts/build-stamp.sh --list   the files, relative to the checkout, one a line
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export LC_ALL=C
# Everything under src/ and sim/ the code can load (the screenshots and notes in sim/ are for people), the
# package.json that src/version.ts imports, and the emitter itself (a change to it changes every output).
files() {
  find src sim -type f ! -name '*.md' ! -name '*.png' | sort
  printf '%s\n' package.json scripts/emit-js.ts
}
case "${1:-}" in
  --list) files ;;
  '') files | tr '\n' '\0' | xargs -0 sha1sum | sha1sum | cut -d' ' -f1 ;;
  *) printf 'build-stamp: unknown option "%s" (only --list)\n' "$1" >&2; exit 2 ;;
esac
