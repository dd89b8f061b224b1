"""Structured log lines: one line per event, ``key=value`` pairs (logfmt).

Example::

    event=ingested mailbox=INBOX uid=17 message_id=<abc@x> case=PSS-000123 action=accept

Callers pass only identifiers (UIDs, folder names, Message-IDs, case references, counts,
exception class names and server status texts), never names, e-mail addresses or phone
numbers: :func:`log_event` does not inspect values, so keeping personal data out is the
caller's duty. Values with spaces or quotes are double-quoted; line breaks are escaped so one
event is always one line.
"""

from __future__ import annotations

import logging
import re
from typing import Any

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
        logger.log(level, "%s", format_event(event, **fields))


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
