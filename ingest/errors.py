"""Errors raised by mail sources (``ingest/``).

The tree::

    MailSourceError                 a source cannot deliver messages (path, server, login)
    ├── MailSourceConnectionError   the server cannot be reached, timed out or dropped the link
    │   └── MailSourceAuthError     the server (or the OAuth token endpoint) refused our login
    └── MailSourceProtocolError     the server answered a command with NO/BAD

Messages carry folder names, UIDs and paths, never personal data (no names, addresses or
phone numbers), so they can be logged as they are.
"""

from __future__ import annotations


class MailSourceError(Exception):
    """A mail source cannot deliver messages: a missing or unreadable path, an unreachable
    server, a refused login. The message is one line, fit for a log."""


class MailSourceConnectionError(MailSourceError):
    """The IMAP server could not be reached, timed out or closed the connection. Transient:
    reconnect with backoff and catch up by UID (RFC 3501 section 2.3.1.1)."""


class MailSourceAuthError(MailSourceConnectionError):
    """The IMAP server refused the login, or no OAuth2 token could be obtained. Retried with
    backoff like any connection error (the password or app registration may be fixed while the
    service runs), but reported as an authentication failure."""


class MailSourceProtocolError(MailSourceError):
    """The IMAP server answered a command with NO or BAD (e.g. a folder cannot be created)."""
