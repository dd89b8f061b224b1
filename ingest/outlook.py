"""Outlook's own files: a message saved from Outlook as ``.msg`` (MS-OXMSG, a Compound File)
read with extract-msg and rebuilt as RFC 5322 bytes, so the rest of the pipeline reads it like
any other mail. The original file is kept as it was (``Incoming.original``)."""

from __future__ import annotations

import logging
from email.policy import SMTP

log = logging.getLogger("ingest.outlook")

#: The first eight bytes of every Compound File (MS-CFB section 2.2).
CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_msg(data: bytes) -> bool:
    """True when ``data`` starts like a Compound File (an Outlook .msg is one)."""
    return data.startswith(CFB_SIGNATURE)


def msg_to_rfc5322(data: bytes) -> bytes | None:
    """The message in an Outlook .msg file as RFC 5322 bytes (its transport headers when
    Outlook kept them, else headers rebuilt from its properties; body and attachments as MIME
    parts); None when the file cannot be read as a message (it is then stored as it is and
    flagged like any unreadable mail)."""
    import extract_msg

    try:
        message = extract_msg.openMsg(data)
    except Exception as exc:  # noqa: BLE001 - a damaged file is kept and flagged, never lost
        log.warning("event=msg-unreadable error=%s", exc.__class__.__name__)
        return None
    try:
        as_email = message.asEmailMessage()  # type: ignore[attr-defined]
        return bytes(as_email.as_bytes(policy=SMTP))
    except Exception as exc:  # noqa: BLE001 - as above
        log.warning("event=msg-unconvertible error=%s", exc.__class__.__name__)
        return None
    finally:
        try:
            message.close()
        except Exception:  # noqa: BLE001 - closing a half-read file must not hide the answer
            pass
