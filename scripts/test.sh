#!/usr/bin/env bash
# Runs the whole test suite from a clean clone: installs what the tests need, builds in
# debug (keeping .build/ between runs) and runs every test on SQLite; then runs the
# database suites again against a throwaway PostgreSQL server (initdb into a temporary
# folder, listening on 127.0.0.1 only, removed afterwards).
# Arguments go to `swift test` in both passes (e.g. --filter StorageTests).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh test
swift build --build-tests
swift test "$@"

# The PostgreSQL pass: every test that uses TestDatabase gets a fresh database on it.
pg_bin="$(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V | tail -1)"
pg_dir="$(mktemp -d /tmp/speakerdb-pg.XXXXXX)"
run_as=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root; the postgresql package creates this user.
  run_as=(runuser -u postgres --)
  chown postgres "$pg_dir"
fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
stop_postgres() {
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_postgres EXIT
"${run_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U speakerdb >/dev/null
# TLS, for the tests of sslmode=verify-ca/verify-full: a throwaway CA, a server certificate
# it signs for the name localhost only, and a second CA that signed nothing.
tls="$pg_dir/tls"
mkdir -p "$tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=speakerdb test CA" -keyout "$tls/ca.key" -out "$tls/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
printf "subjectAltName=DNS:localhost\n" >"$tls/san.ext"
openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial -days 2 \
  -extfile "$tls/san.ext" -out "$tls/server.pem" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=another CA" -keyout "$tls/other.key" -out "$tls/other-ca.pem" 2>/dev/null
chmod 600 "$tls/server.key"
chmod 644 "$tls/ca.pem" "$tls/other-ca.pem"
if [ "$(id -u)" = 0 ]; then chown -R postgres "$tls"; fi
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-h 127.0.0.1 -p $port -k $pg_dir -c max_connections=500 -c fsync=off -c ssl=on -c ssl_cert_file=$tls/server.pem -c ssl_key_file=$tls/server.key" start >/dev/null
echo "test.sh: PostgreSQL pass on 127.0.0.1:$port"
if [ $# -eq 0 ]; then
  # Workers too (the same worker processes against one PostgreSQL database), and the
  # deployment files' processes that run on PostgreSQL (Heroku, the Compose profile).
  set -- --filter 'StorageTests|IdentityTests|ExtractionTests|WebTests|SearchTests|WorkerTests|DeploymentStartTests|PostgresTLS'
fi
# The suites' own connections stay plain (as on most servers); PostgresTLSTests asks for TLS.
SPEAKERDB_TEST_POSTGRES="postgres://speakerdb@127.0.0.1:$port/postgres?sslmode=disable" \
  SPEAKERDB_TEST_POSTGRES_CA="$tls/ca.pem" SPEAKERDB_TEST_POSTGRES_OTHER_CA="$tls/other-ca.pem" \
  swift test --skip-build "$@"
