#!/usr/bin/env bash
# Stop the instance started by dovecot_up.sh: dovecot_down.sh TMPDIR [--purge]
# --purge also removes TMPDIR (mail store, config, cert, logs).
# (equivalent: doveadm -c $TMP/dovecot.conf stop, or dovecot -c $TMP/dovecot.conf stop)
set -eu
TMP=$1
PID=$(cat "$TMP/dovecot.pid")
# Dovecot 2.3's imap processes outlive a SIGTERMed master while their client stays connected
# (seen with shutdown_clients = yes). Note the master's children now, by pid, and end them
# after it, so a stop really drops every connection (as a server going down would).
CHILDREN=$(ps -o pid= --ppid "$PID" 2>/dev/null || true)
kill -TERM "$PID" 2>/dev/null || true
# The master exits ~1 s after SIGTERM. If it was started from another shell it is
# reparented to PID 1 and may linger as a zombie (state Z) until reaped: count that as stopped.
for i in $(seq 1 100); do
  st=$(ps -o stat= -p "$PID" 2>/dev/null || true)
  case "$st" in ""|Z*) break;; esac
  sleep 0.05
done
case "$(ps -o stat= -p "$PID" 2>/dev/null || true)" in ""|Z*) ;; *) kill -KILL "$PID";; esac
for child in $CHILDREN; do kill -TERM "$child" 2>/dev/null || true; done
echo "stopped $PID"
if [ "${2:-}" = "--purge" ]; then rm -rf "$TMP"; fi
