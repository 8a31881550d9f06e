#!/usr/bin/env bash
# Installs (or upgrades) voicewipe as a systemd service on Raspberry Pi OS / Debian 12-13, arm64 or amd64:
# Debian's Chromium, a `voicewipe` system user, the app in /opt/voicewipe with a private Node 24
# (scripts/setup.sh), a starter /etc/voicewipe/config.yaml, and systemd/voicewipe.service enabled and started.
# Idempotent: run it again from a newer checkout to upgrade; the config and the state are never touched.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: sudo scripts/install-pi.sh [--dry-run] [--no-start] [--source DIR]

Installs or upgrades voicewipe as a systemd service (Raspberry Pi OS / Debian 12-13, arm64 or amd64).

  --dry-run     print every action without doing any of them (no root needed)
  --no-start    install and enable the service, but do not (re)start it now
  --source DIR  the voicewipe checkout to install (default: the one this script is in)
  -h, --help    this text

What it does:
  apt-get install   ca-certificates, chromium-headless-shell and chromium (or chromium-browser),
                    and Debian's npm when no Node >= 22.18 is there to fetch Node 24 with
  user              voicewipe (system user, no login, home /var/lib/voicewipe)
  /opt/voicewipe    the app (tracked files of the checkout), Node 24 in .tools/, npm ci --omit=dev
  /etc/voicewipe    config.yaml from config.example.yaml when there is none; secrets/ (0700, voicewipe)
  /var/lib/voicewipe  the state: database, admin token, saved sessions (kept across upgrades)
  systemd           /etc/systemd/system/voicewipe.service, enabled and restarted
EOF
}

app=/opt/voicewipe
etc=/etc/voicewipe
state=/var/lib/voicewipe
unit_dest=/etc/systemd/system/voicewipe.service
user=voicewipe
dry_run=0
start=1
args=("$@")
source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1 ;;
    --no-start) start=0 ;;
    --source) [ $# -ge 2 ] || { echo "install-pi: --source needs a directory" >&2; exit 2; }; source_dir="$(cd "$2" && pwd)"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) printf 'install-pi: unknown option "%s"\n\n' "$1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

say() { printf 'install-pi: %s\n' "$*"; }
die() { printf 'install-pi: error: %s\n' "$*" >&2; exit 1; }
# Every change to the system goes through `run`, so --dry-run shows all of them and does none.
run() {
  if [ "$dry_run" = 1 ]; then
    printf '[dry-run]'; printf ' %q' "$@"; printf '\n'
  else
    printf '+'; printf ' %q' "$@"; printf '\n'
    "$@"
  fi
}
# Writes stdin to a file (root-owned, the given mode), the same way in both modes.
write_file() { # $1 = path, $2 = mode, $3 = owner:group
  if [ "$dry_run" = 1 ]; then
    printf '[dry-run] write %s (mode %s, %s), starting:\n' "$1" "$2" "$3"
    awk 'NR <= 3 { print "[dry-run]   | " $0 } END { print "[dry-run]   | ... (" NR " lines)" }'
  else
    printf '+ write %s (mode %s, %s)\n' "$1" "$2" "$3"
    local tmp
    tmp="$(mktemp "$1.XXXXXX")"
    cat >"$tmp"
    chown "$3" "$tmp"
    chmod "$2" "$tmp"
    mv -f "$tmp" "$1"
  fi
}

# --- Checks (read-only) -----------------------------------------------------------------------------------
if [ ! -f "$source_dir/package.json" ] || [ ! -f "$source_dir/systemd/voicewipe.service" ]; then
  die "$source_dir is not a voicewipe checkout (no package.json or systemd/voicewipe.service); use --source DIR"
fi
if [ "$dry_run" = 0 ] && [ "$(id -u)" -ne 0 ]; then
  die "run it as root: sudo $0 ${args[*]}   (or --dry-run to see what it would do)"
fi
case "$(uname -m)" in
  aarch64|arm64|x86_64|amd64) ;;
  armv7l|armv6l) die "this is a 32-bit system ($(uname -m)): Node 24 needs a 64-bit OS (Raspberry Pi OS 64-bit on a Pi 3/4/5)" ;;
  *) die "unsupported machine $(uname -m): voicewipe runs on arm64 and amd64" ;;
esac
command -v apt-get >/dev/null || die "no apt-get: this script is for Debian and Raspberry Pi OS"
if [ -r /etc/os-release ]; then
  # shellcheck disable=SC1091
  os="$(. /etc/os-release && printf '%s %s' "${NAME:-?}" "${VERSION_ID:-?}")"
  say "installing voicewipe from $source_dir on $os ($(uname -m))"
fi
if [ "$dry_run" = 1 ]; then say "dry run: every action is printed, none is done"; fi

# A package apt can install (it has a candidate version in the package lists).
# (grep without -q: with pipefail, a grep that stops reading early fails the pipeline through SIGPIPE.)
available() { apt-cache policy "$1" 2>/dev/null | grep 'Candidate: [0-9]' >/dev/null; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep 'install ok installed' >/dev/null; }
node_ok() { "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=18)?0:1)' 2>/dev/null; }

# --- Debian packages ---------------------------------------------------------------------------------------
# chromium-headless-shell runs the purges (half the memory of the full browser); the full chromium is for a
# person's sign-in from the status page. Older Raspberry Pi OS images call it chromium-browser.
# A fresh image has no package lists yet: update only then (apt-cache knows no Chromium at all).
if ! available chromium-headless-shell && ! available chromium && ! available chromium-browser; then
  run apt-get update
fi
packages=(ca-certificates)
if available chromium-headless-shell; then packages+=(chromium-headless-shell); fi
if available chromium; then packages+=(chromium)
elif available chromium-browser; then packages+=(chromium-browser)
elif [ "$dry_run" = 1 ]; then packages+=(chromium-headless-shell chromium) # what the update would offer
fi
[ ${#packages[@]} -gt 1 ] || die "apt has no Chromium (chromium-headless-shell, chromium or chromium-browser): check /etc/apt/sources.list"
# Node 24 comes from the npm registry (node-linux-<arch>) into /opt/voicewipe/.tools: that needs npm once.
have_node=0
for n in "$app"/.tools/node_modules/node-linux-*/bin/node "$(command -v node || true)"; do
  if [ -n "$n" ] && [ -x "$n" ] && node_ok "$n"; then have_node=1; fi
done
if [ "$have_node" = 0 ] && ! command -v npm >/dev/null; then packages+=(npm); fi
missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
else
  say "Debian packages already installed: ${packages[*]}"
fi

# --- User --------------------------------------------------------------------------------------------------
if id -u "$user" >/dev/null 2>&1; then
  say "user $user exists"
else
  run useradd --system --user-group --home-dir "$state" --no-create-home --shell /usr/sbin/nologin \
    --comment "voicewipe daemon" "$user"
fi

# --- The app -----------------------------------------------------------------------------------------------
# Replaced whole on every run (a file deleted upstream must not linger), except .tools/ and node_modules/,
# which scripts/setup.sh keeps in step with package-lock.json and the Node version.
case "$app" in /opt/voicewipe) ;; *) die "refusing to replace $app" ;; esac
if [ "$source_dir" = "$app" ]; then
  say "installing from $app itself: the app files stay as they are"
else
  run install -d -o root -g root -m 0755 "$app"
  run find "$app" -mindepth 1 -maxdepth 1 ! -name .tools ! -name node_modules -exec rm -rf {} +
  if git -C "$source_dir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    say "copying the files git tracks in $source_dir to $app"
    if [ "$dry_run" = 1 ]; then
      printf '[dry-run] git -C %s ls-files -z | tar -C %s --null -T - -cf - | tar -C %s -xf - --no-same-owner\n' "$source_dir" "$source_dir" "$app"
    else
      printf '+ git ls-files | tar ... (%s -> %s)\n' "$source_dir" "$app"
      git -C "$source_dir" ls-files -z | tar -C "$source_dir" --null -T - -cf - | tar -C "$app" -xf - --no-same-owner
    fi
  else
    say "copying $source_dir to $app (not a git checkout: everything but node_modules, .tools, .git, state)"
    if [ "$dry_run" = 1 ]; then
      printf '[dry-run] tar -C %s --exclude=... -cf - . | tar -C %s -xf - --no-same-owner\n' "$source_dir" "$app"
    else
      printf '+ tar ... (%s -> %s)\n' "$source_dir" "$app"
      tar -C "$source_dir" --exclude=./node_modules --exclude=./.tools --exclude=./.git --exclude=./.tap \
        --exclude=./state --exclude=./demo-state --exclude=./coverage --exclude=./.build -cf - . | tar -C "$app" -xf - --no-same-owner
    fi
  fi
  run chown -R root:root "$app"
  run chmod -R u=rwX,go=rX "$app"
fi
# Node 24 into .tools/ (unless the system's Node is new enough), `npm ci --omit=dev` (the daemon needs no dev
# dependency) and .build/, the JavaScript the service runs (scripts/emit-js.ts). Chromium is installed above.
run env VOICEWIPE_SETUP_NEEDS=none VOICEWIPE_OMIT_DEV=1 bash "$app/scripts/setup.sh"
run ln -sfn "$app/bin/voicewipe" /usr/local/bin/voicewipe

# --- Config and state --------------------------------------------------------------------------------------
# /etc/voicewipe is root's (the service only reads it); secrets/ belongs to voicewipe, because voicewipe
# refuses secret files that anyone else may read (chmod 600, owned by voicewipe).
run install -d -o root -g "$user" -m 0750 "$etc"
run install -d -o "$user" -g "$user" -m 0700 "$etc/secrets"
run install -d -o "$user" -g "$user" -m 0700 "$state"
if [ -e "$etc/config.yaml" ]; then
  say "keeping the existing $etc/config.yaml"
else
  # The example with the state in /var/lib/voicewipe; its accounts are switched off until edited.
  sed -e "s#^state_dir: ./state\$#state_dir: $state#" "$source_dir/config.example.yaml" \
    | write_file "$etc/config.yaml" 0640 "root:$user"
fi
if [ "$dry_run" = 0 ]; then
  if ! runuser -u "$user" -- "$app/bin/voicewipe" check-config "$etc/config.yaml"; then
    say "warning: $etc/config.yaml has problems (listed above): the service will not start until they are fixed"
  fi
else
  printf '[dry-run] runuser -u %s -- %s/bin/voicewipe check-config %s/config.yaml\n' "$user" "$app" "$etc"
fi

# --- systemd -----------------------------------------------------------------------------------------------
run install -o root -g root -m 0644 "$source_dir/systemd/voicewipe.service" "$unit_dest"
if [ -d /run/systemd/system ] || [ "$dry_run" = 1 ]; then
  run systemctl daemon-reload
  run systemctl enable voicewipe.service
  if [ "$start" = 1 ]; then
    run systemctl restart voicewipe.service
  else
    say "not started (--no-start): sudo systemctl start voicewipe"
  fi
else
  say "systemd is not running here (a container?): the unit is installed but not enabled"
fi

finished='done'
if [ "$dry_run" = 1 ]; then finished='dry run done: nothing was changed'; fi
port="$(sed -n 's/^  port: *\([0-9]*\).*/\1/p' "$etc/config.yaml" 2>/dev/null | head -1 || true)"
cat <<EOF

install-pi: $finished.
  status page   http://$(hostname).local:${port:-8733}/
  admin token   sudo -u $user voicewipe token
  config        sudoedit $etc/config.yaml, then: sudo -u $user voicewipe check-config
  secrets       sudo -u $user sh -c 'umask 077; cat > $etc/secrets/amazon-password'   (and mqtt-password for the broker)
  sign-in link  sudo -u $user voicewipe invite <account>   (lets someone sign in to one account from their phone)
  logs          journalctl -u voicewipe -f
  state         $state (back it up; see README, "Install on a Raspberry Pi")
EOF
