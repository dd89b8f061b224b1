#!/usr/bin/env bash
# Stop the instance started by dovecot_up.sh: dovecot_down.sh TMPDIR [--purge]
# --purge also removes TMPDIR (mail store, config, cert, logs).
# (equivalent: doveadm -c $TMP/dovecot.conf stop, or dovecot -c $TMP/dovecot.conf stop)
# Uses /proc only (no procps needed).
set -eu
TMP=$1
PID=$(cat "$TMP/dovecot.pid")

# "R", "S", "Z" ... or "" when the process is gone.
state() { sed -n 's/^[0-9]* (.*) \([A-Za-z]\) .*/\1/p' "/proc/$1/stat" 2>/dev/null || true; }

# Dovecot 2.3's imap processes outlive a SIGTERMed master while their client stays connected
# (seen with shutdown_clients = yes). Note the master's children now, by pid, and end them
# after it, so a stop really drops every connection (as a server going down would).
CHILDREN=$(cat /proc/"$PID"/task/*/children 2>/dev/null || true)
kill -TERM "$PID" 2>/dev/null || true
# The master exits ~1 s after SIGTERM. If it was started from another shell it is
# reparented to PID 1 and may linger as a zombie (state Z) until reaped: count that as stopped.
for i in $(seq 1 100); do
  case "$(state "$PID")" in ""|Z) break;; esac
  sleep 0.05
done
case "$(state "$PID")" in ""|Z) ;; *) kill -KILL "$PID";; esac
for child in $CHILDREN; do kill -TERM "$child" 2>/dev/null || true; done
echo "stopped $PID"
if [ "${2:-}" = "--purge" ]; then rm -rf "$TMP"; fi
