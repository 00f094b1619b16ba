#!/usr/bin/env bash
# Installs (from Debian's packages, if missing) and starts a throwaway PostgreSQL on a loopback
# port for the test suite, then prints its connection URL. Usage: scripts/postgres-up.sh [PORT]
set -euo pipefail
port="${1:-55432}"
dir="${FULCRUM_PG_DIR:-/tmp/fulcrum-pg-$port}"

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ -f "$dir/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
  exit 0
fi
rm -rf "$dir"
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
as_postgres "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=300" start >&2
echo "postgresql://postgres@127.0.0.1:$port/postgres"
