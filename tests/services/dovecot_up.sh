#!/usr/bin/env bash
# Start a throwaway Dovecot 2.3 instance under a temp dir, no systemd, no /etc/dovecot.
# Used by the tests (tests/imap/imap_servers.py), bench/backlog.py and by hand (README.md).
# Adapted from a measured recipe; see the pitfalls noted inline.
# Usage: dovecot_up.sh [TMPDIR]   (prints TMP=..., PID=..., STARTUP_MS=...)
#   TMPDIR defaults to a new dir under /dev/shm (tmpfs: fast, no disk writeback noise).
#   Run it again on the same TMPDIR to restart with the same mail store.
# Env: IMAP_PORT (10143) IMAPS_PORT (10993, 0 disables TLS) TEST_USER (test) TEST_PASS (secret)
#      OAUTH2_INTROSPECTION_URL (unset: no XOAUTH2; set: SASL XOAUTH2/OAUTHBEARER checked by
#      POSTing the token to this URL, RFC 7662 style, answer {"active": true, "username": ...})
set -euo pipefail
# dovecot lives in /usr/sbin, which is not on every PATH (non-login shells, CI).
export PATH="/usr/sbin:/sbin:$PATH"
if ! command -v dovecot >/dev/null 2>&1; then
  echo "error: dovecot is not installed (Debian: apt-get install -y dovecot-imapd openssl)" >&2
  exit 2
fi
SHM=/dev/shm; [ -d "$SHM" ] && [ -w "$SHM" ] || SHM=/tmp
TMP=${1:-$(mktemp -d "$SHM/pss-dovecot.XXXXXX")}
mkdir -p "$TMP"
IMAP_PORT=${IMAP_PORT:-10143}
IMAPS_PORT=${IMAPS_PORT:-10993}
TEST_USER=${TEST_USER:-test}
TEST_PASS=${TEST_PASS:-secret}
# Fresh base_dir on every start: a stale socket left there by an earlier run (notably
# anvil-auth-penalty, which the config below disables) makes auth stall ~5 s at startup.
rm -rf "$TMP/run"
mkdir -p "$TMP"/{run,state,mail}
# mktemp -d gives 0700; the auth process runs as the internal user (dovecot)
# and must read the users file, so the tree must be traversable.
chmod 0755 "$TMP"

# Unprivileged identities: as root, use Debian's dovecot/dovenull users and
# store mail as user "dovecot" (passwd-file rejects UID 0 outright, and
# first_valid_uid must be <= that uid: Debian gives it a system uid < 500).
if [ "$(id -u)" = 0 ]; then
  INTERNAL_USER=dovecot; INTERNAL_GROUP=dovecot; LOGIN_USER=dovenull; MAIL_USER=dovecot
else  # not root: every service runs as the calling user
  INTERNAL_USER=$(id -un); INTERNAL_GROUP=$(id -gn); LOGIN_USER=$(id -un); MAIL_USER=$(id -un)
fi
MAIL_UID=$(id -u "$MAIL_USER"); MAIL_GID=$(id -g "$MAIL_USER")
# Without root, services cannot chroot (anvil, imap-login do by default).
CHROOT=""
[ "$(id -u)" = 0 ] || CHROOT="chroot ="

# passwd-file: user:{SCHEME}password:uid:gid:gecos:home:shell:extra
printf '%s:{PLAIN}%s:%s:%s::%s/mail/%s::\n' \
  "$TEST_USER" "$TEST_PASS" "$MAIL_UID" "$MAIL_GID" "$TMP" "$TEST_USER" > "$TMP/users"
chmod 0644 "$TMP/users"
chown "$MAIL_UID:$MAIL_GID" "$TMP/mail"
# Every parent directory must be traversable too (e.g. $TMP inside another mktemp -d dir).
if [ "$(id -u)" = 0 ] && ! runuser -u "$INTERNAL_USER" -- test -r "$TMP/users"; then
  echo "error: user $INTERNAL_USER cannot read $TMP/users; chmod o+x its parent directories" >&2
  exit 1
fi

SSL_BLOCK="ssl = no"
if [ "$IMAPS_PORT" != 0 ]; then
  if [ ! -f "$TMP/cert.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
      -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
      -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
    chmod 0644 "$TMP/cert.pem"; chmod 0600 "$TMP/key.pem"
  fi
  SSL_BLOCK="ssl = yes
ssl_cert = <$TMP/cert.pem
ssl_key = <$TMP/key.pem"
fi

OAUTH_MECHS=""; OAUTH_PASSDB=""
if [ -n "${OAUTH2_INTROSPECTION_URL:-}" ]; then
  cat > "$TMP/dovecot-oauth2.conf.ext" <<OAUTH
introspection_mode = post
introspection_url = $OAUTH2_INTROSPECTION_URL
username_attribute = username
active_attribute = active
active_value = true
OAUTH
  chmod 0644 "$TMP/dovecot-oauth2.conf.ext"
  OAUTH_MECHS="xoauth2 oauthbearer"
  # Only the OAuth mechanisms go to the oauth2 passdb; PLAIN/LOGIN use the users file.
  OAUTH_PASSDB="passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $TMP/dovecot-oauth2.conf.ext
}"
fi

cat > "$TMP/dovecot.conf" <<CONF
# Throwaway test instance (Dovecot 2.3 syntax). Nothing from /etc/dovecot is read.
instance_name = dovecot-test
base_dir = $TMP/run
state_dir = $TMP/state
protocols = imap
listen = 127.0.0.1
log_path = $TMP/dovecot.log
info_log_path = $TMP/dovecot.log
default_internal_user = $INTERNAL_USER
default_internal_group = $INTERNAL_GROUP
default_login_user = $LOGIN_USER

$SSL_BLOCK

disable_plaintext_auth = no
auth_mechanisms = plain login $OAUTH_MECHS
auth_failure_delay = 0
$OAUTH_PASSDB
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $TMP/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $TMP/users
}
first_valid_uid = 1
mail_location = maildir:~/Maildir
mail_fsync = never
namespace inbox {
  inbox = yes
  separator = /
}

service imap-login {
  $CHROOT
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
# default 10 per user+IP: parallel tests hit "[LIMIT] Maximum number of connections"
protocol imap {
  mail_max_userip_connections = 200
}
# No brute-force penalty: otherwise, after a wrong-password test, every later login
# from 127.0.0.1 (even correct ones) waits 2-15 s. login_trusted_networks does NOT help.
service anvil {
  $CHROOT
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
CONF

# validate before starting
dovecot -c "$TMP/dovecot.conf" -n > "$TMP/dovecot.effective.conf"

T0=$(date +%s%N)
dovecot -F -c "$TMP/dovecot.conf" >>"$TMP/dovecot.stdout" 2>&1 &
PID=$!
echo "$PID" > "$TMP/dovecot.pid"
# Ready = the IMAP greeting arrives (imap-login holds it back until auth is up).
ready=0
for i in $(seq 1 400); do
  if { exec 3<>"/dev/tcp/127.0.0.1/$IMAP_PORT"; } 2>/dev/null; then
    line=""; read -r -t 2 line <&3 || true; exec 3>&- 3<&-
    case "$line" in "* OK"*) ready=1; break;; esac
  fi
  if ! kill -0 "$PID" 2>/dev/null; then
    echo "dovecot exited during startup:" >&2
    cat "$TMP/dovecot.log" "$TMP/dovecot.stdout" >&2 2>/dev/null; exit 1
  fi
  sleep 0.025
done
[ "$ready" = 1 ] || { echo "no IMAP greeting after 10 s" >&2; exit 1; }
T1=$(date +%s%N)
echo "TMP=$TMP"
echo "PID=$PID"
echo "STARTUP_MS=$(( (T1 - T0) / 1000000 ))"
