#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server on 127.0.0.1, then stops it.
#   scripts/with-postgres.sh pytest ...
# The command sees DATABASE_URL pointing at the new server.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/postgres" ]; then
  echo "PostgreSQL server binaries not found (install the Debian package postgresql)." >&2
  exit 1
fi

# A free loopback port, so that several runs on one machine never collide.
port=${PGTEST_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
datadir=$(mktemp -d /tmp/hiring-pg.XXXXXX)
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root: the Debian package's postgres user owns it.
  chown postgres "$datadir"
  as_owner=(runuser -u postgres --)
fi

stop() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$datadir" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$datadir"
}
trap stop EXIT

"${as_owner[@]}" "$bindir/initdb" -D "$datadir" -U postgres -A trust -E UTF8 >/dev/null
"${as_owner[@]}" "$bindir/pg_ctl" -D "$datadir" -w -l "$datadir/server.log" \
  -o "-h 127.0.0.1 -p $port -k $datadir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres hiring

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/hiring"
"$@"
