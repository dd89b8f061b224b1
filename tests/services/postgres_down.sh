#!/usr/bin/env bash
# Stop the cluster started by postgres_up.sh: postgres_down.sh TMPDIR [--purge]
# --purge also removes TMPDIR (data directory and logs).
set -eu
TMP=$1
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
RUN_AS=()
[ "$(id -u)" = 0 ] && RUN_AS=(runuser -u postgres --)
# "immediate": the data is thrown away, so there is nothing to flush; stops in well under 1 s.
"${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
echo "stopped $TMP"
if [ "${2:-}" = "--purge" ]; then rm -rf "$TMP"; fi
