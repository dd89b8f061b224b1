"""Structured log lines: one line per event, ``key=value`` pairs (logfmt).

Example::

    event=ingested mailbox=INBOX uid=17 message_id=<abc@x> case=PSS-000123 action=accept

Callers pass only identifiers (UIDs, folder names, Message-IDs, case references, counts,
exception class names and server status texts), never names, e-mail addresses or phone
numbers: :func:`log_event` does not inspect values, so keeping personal data out is the
caller's duty. Values with spaces or quotes are double-quoted; line breaks are escaped so one
event is always one line.

With ``logging.format: json`` (:class:`JsonLines`, python-json-logger) each event is one JSON
object per line instead, with the same keys plus ``time``, ``level`` and ``logger``::

    {"time": "2026-12-08T04:10:00+00:00", "level": "INFO", "logger": "pss_intake.poller",
     "event": "ingested", "mailbox": "INBOX", "uid": 17, "case": "PSS-000123", ...}
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shlex
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

# Servers quote addresses back in their answers ("550 5.1.1 <a.person@nhs.net>... unknown").
_ADDRESS = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")


def format_value(value: Any) -> str:
    """One value as logfmt: bare when it has no space, quote or ``=``; quoted otherwise."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = f"{value:.3f}".rstrip("0").rstrip(".") if value == value else "nan"
    else:
        text = str(value)
    text = text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")
    if text == "" or any(c in text for c in ' "=\t'):
        return '"' + text.replace('"', '\\"') + '"'
    return text


def format_event(event: str, **fields: Any) -> str:
    """``event=EVENT k=v ...``; fields whose value is ``None`` are left out."""
    parts = [f"event={format_value(event)}"]
    parts.extend(f"{k}={format_value(v)}" for k, v in fields.items() if v is not None)
    return " ".join(parts)


def log_event(logger: logging.Logger, event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log one event line (see the module docstring); cheap when ``level`` is disabled."""
    if logger.isEnabledFor(level):
        values = {"event": event, **{k: v for k, v in fields.items() if v is not None}}
        logger.log(level, "%s", format_event(event, **fields), extra={EVENT_FIELDS: values})


#: The LogRecord attribute :func:`log_event` puts its fields in (for :class:`JsonLines`).
EVENT_FIELDS = "event_fields"


def parse_logfmt(text: str) -> dict[str, str] | None:
    """``event=x k="a b"`` → ``{"event": "x", "k": "a b"}``; None when ``text`` is not a
    logfmt line starting with ``event=`` (lines logged without :func:`log_event`)."""
    try:
        tokens = shlex.split(text)
    except ValueError:
        return None
    if not tokens or not tokens[0].startswith("event=") or any("=" not in t for t in tokens):
        return None
    return dict(t.split("=", 1) for t in tokens)


class JsonLines(JsonFormatter):
    """One JSON object per log record: ``time`` (ISO 8601, UTC), ``level``, ``logger``, then
    the event's own keys (from :func:`log_event`, or parsed from a logfmt message); any other
    message goes under ``message``. An exception's traceback is under ``exc_info``."""

    def __init__(self) -> None:
        super().__init__("%(levelname)s %(name)s",
                         rename_fields={"levelname": "level", "name": "logger"},
                         reserved_attrs=[*RESERVED_ATTRS, EVENT_FIELDS, "message"])

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord,
                   message_dict: dict[str, Any]) -> None:
        log_data["time"] = dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
            timespec="milliseconds")
        super().add_fields(log_data, record, message_dict)
        fields = getattr(record, EVENT_FIELDS, None)
        if fields is None:
            fields = parse_logfmt(record.getMessage()) or {"message": record.getMessage()}
        for key, value in fields.items():
            log_data.setdefault(key, value)



def redact(text: str) -> str:
    """``text`` with every e-mail address replaced by ``[address]``."""
    return _ADDRESS.sub("[address]", text)


def error_text(exc: BaseException, limit: int = 200) -> str:
    """An exception as ``ClassName: message`` for a log field: e-mail addresses replaced
    (:func:`redact`), cut to ``limit`` characters.

    Only for exceptions whose text carries no other personal data (socket, IMAP and SMTP
    status errors, our own errors).
    """
    message = redact(str(exc).strip())
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
