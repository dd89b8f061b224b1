#!/usr/bin/env bash
# Run pytest against a throwaway PostgreSQL 15 cluster: the tests that use the test database
# (tests/conftest.py deselects the rest, which touch no database and ran on SQLite already).
# Usage: tests/services/pytest_on_postgres.sh [PYTEST ARGS...]   (from the repository root)
# Starts the cluster with postgres_up.sh, points PSS_INTAKE_TEST_DATABASE_URL at it, and stops
# and removes it afterwards whatever pytest did; exits with pytest's status.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(bash "$HERE/postgres_up.sh")
TMP=$(sed -n 's/^TMP=//p' <<<"$OUT")
URL=$(sed -n 's/^URL=//p' <<<"$OUT")
trap 'bash "$HERE/postgres_down.sh" "$TMP" --purge >/dev/null' EXIT
echo "PostgreSQL: $URL"
status=0
PSS_INTAKE_TEST_DATABASE_URL=$URL .venv/bin/pytest "$@" || status=$?
exit "$status"
