#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 cluster under a temp dir, no systemd, no /etc/postgresql.
# Used by .ci/run (tests/services/pg_suite.sh), bench/chaos.py and by hand.
# Usage: postgres_up.sh [TMPDIR]   (prints TMP=..., PORT=..., URL=...)
#   TMPDIR defaults to a new dir under /dev/shm; run again on the same TMPDIR to restart it.
# Env: PG_PORT (default: a free port on 127.0.0.1), PG_BIN (/usr/lib/postgresql/15/bin)
# The cluster trusts connections from 127.0.0.1 (superuser "postgres", no password) and is
# tuned for throwaway data: fsync off, no full-page writes. Never use it for anything kept.
set -euo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PG_BIN/initdb" ]; then
  echo "error: PostgreSQL 15 is not installed (Debian: apt-get install -y postgresql)" >&2
  exit 2
fi
SHM=/dev/shm; [ -d "$SHM" ] && [ -w "$SHM" ] || SHM=/tmp
TMP=${1:-$(mktemp -d "$SHM/pss-postgres.XXXXXX")}
mkdir -p "$TMP"
chmod 0755 "$TMP"
PORT=${PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}

# initdb and postgres refuse to run as root: as root, run them as Debian's "postgres" user.
if [ "$(id -u)" = 0 ]; then
  RUN_AS=(runuser -u postgres --)
  chown postgres: "$TMP"
else
  RUN_AS=()
fi
if [ ! -f "$TMP/data/PG_VERSION" ]; then
  "${RUN_AS[@]}" "$PG_BIN/initdb" -D "$TMP/data" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$TMP/initdb.log" 2>&1 \
    || { cat "$TMP/initdb.log" >&2; exit 1; }
fi
# -k: the Unix socket lives in TMP (not /var/run/postgresql, which may not exist or be ours).
OPTS="-c listen_addresses=127.0.0.1 -p $PORT -k $TMP -c fsync=off -c full_page_writes=off"
OPTS="$OPTS -c synchronous_commit=off -c max_connections=400 -c shared_buffers=64MB"
"${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$TMP/data" -l "$TMP/postgres.log" -o "$OPTS" -w -t 60 start \
  >"$TMP/pg_ctl.log" 2>&1 || { cat "$TMP/pg_ctl.log" "$TMP/postgres.log" >&2; exit 1; }
echo "$PORT" > "$TMP/port"
echo "TMP=$TMP"
echo "PORT=$PORT"
echo "URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
