"""The header block of raw bytes, read in linear time before (and instead of) the ``email``
package: the Message-ID to store a message with, and a repaired header block to parse.

Why (issue 11): the standard library spends quadratic time on some header values (a
Content-Type parameter of 40,000 ``"``), ends the header block at the first line without a
colon or at a bare CR (so a List-Id or Auto-Submitted below it is read as body), and reads a
10 MB Cc whole. Here:

* :func:`scan_message_id` finds the Message-ID with one bytes pattern, so storing the raw
  bytes never waits for a slow parse;
* :func:`prepare` returns the bytes to parse: the same object when the header block is clean
  and every field is at most ``header_bytes`` long; otherwise a copy whose header block has
  the damage repaired (a bare CR read as a space; a line without a colon skipped when header
  fields follow it) and each over-long field cut at a fold, with a defect for each change
  (``content not read: …``, so the ``content-not-read`` rule sends the message to review).

Pure: no I/O, no logging. Field names and syntax from RFC 5322 section 2.2 and 3.6.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsing.model import CONTENT_NOT_READ

__all__ = ["Prepared", "header_block_end", "prepare", "scan_message_id"]

# RFC 5322 section 2.2: a field name is printable ASCII except ":"; obsolete syntax allows
# white space before the colon (section 4.5.3). Bounded, so a long line costs 200 steps.
_FIELD = re.compile(rb"[\x21-\x39\x3b-\x7e]{1,200}[ \t]*:")
_BARE_CR = re.compile(rb"\r(?!\n)")
# A line that is neither a field nor a continuation (no colon, or a CR left at its end).
_BAD_LINE = re.compile(rb"\n(?![ \t]|[\x21-\x39\x3b-\x7e]{1,200}[ \t]*:)")
_MESSAGE_ID_FIELD = re.compile(rb"(?im)^message-id[ \t]*:([^\r\n]*+(?:\r?\n[ \t][^\r\n]*+)*+)")
_MSG_ID = re.compile(rb"<[\x21-\x3b\x3d\x3f-\x7e]{1,996}>")
#: Fields whose presence below a damaged line shows that the header block went on (RFC 5322,
#: RFC 2045, RFC 2369, RFC 3834 and the usual trace and vendor fields).
_KNOWN = frozenset({
    b"from", b"sender", b"reply-to", b"to", b"cc", b"bcc", b"subject", b"date",
    b"message-id", b"in-reply-to", b"references", b"return-path", b"received",
    b"mime-version", b"content-type", b"content-transfer-encoding", b"content-disposition",
    b"content-id", b"content-language", b"list-id", b"list-unsubscribe", b"list-post",
    b"list-help", b"list-owner", b"precedence", b"auto-submitted", b"importance",
    b"dkim-signature", b"authentication-results", b"arc-seal", b"thread-topic",
    b"thread-index", b"accept-language", b"delivered-to", b"feedback-id",
})


def header_block_end(raw: bytes) -> int:
    """Offset just after the blank line that ends the header block (RFC 5322 section 2.1),
    or ``len(raw)`` when there is none. A message that starts with a blank line has none."""
    if raw.startswith((b"\r\n", b"\n")):
        return 0
    ends = [i for i in (raw.find(b"\n\r\n"), raw.find(b"\n\n")) if i >= 0]
    if not ends:
        return len(raw)
    first = min(ends)
    return first + (3 if raw[first + 1 : first + 2] == b"\r" else 2)


def scan_message_id(raw: bytes) -> str | None:
    """The first ``<id>`` of the first Message-ID field, ASCII only, at most 998 characters
    (RFC 5322 sections 2.1.1 and 3.6.4); a bare id with an ``@`` is bracketed. None when
    absent or not ASCII. Linear in the header block; reads no other field."""
    head = raw[: header_block_end(raw)]
    m = _MESSAGE_ID_FIELD.search(head)
    if m is None:
        return None
    value = m.group(1)
    found = _MSG_ID.search(value)
    if found is not None:
        return found.group(0).decode("ascii")
    bare = value.strip()
    if b"@" in bare and bare.isascii() and not re.search(rb"\s", bare) and len(bare) <= 996:
        return "<" + bare.decode("ascii").strip("<>") + ">"
    return None


@dataclass(frozen=True, slots=True)
class Prepared:
    """What :func:`prepare` gives: ``raw`` (the input itself when nothing had to change),
    ``defects`` in words, and ``damaged`` when the header block's structure was repaired."""

    raw: bytes
    defects: tuple[str, ...] = ()
    damaged: bool = False


def _fields(block: bytes) -> list[bytes]:
    """The header block split into lines, each with its line end."""
    return block.splitlines(keepends=True) if block else []


def _is_field(line: bytes) -> bool:
    return _FIELD.match(line) is not None


def _name(line: bytes) -> bytes:
    return line.split(b":", 1)[0].strip().lower()


def _repair(lines: list[bytes]) -> tuple[list[bytes], int]:
    """Skip lines that are neither fields nor continuations when a known field follows them
    before the blank line; returns the lines kept and how many were skipped."""
    known_after = [False] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        known = _is_field(line) and (_name(line) in _KNOWN or _name(line).startswith(b"x-"))
        known_after[i] = known or known_after[i + 1]
    kept: list[bytes] = []
    skipped = 0
    skipping = False
    for i, line in enumerate(lines):
        if line[:1] in (b" ", b"\t") and (skipping or not kept):
            continue  # a continuation of a skipped line (or of nothing)
        if line[:1] in (b" ", b"\t") or _is_field(line) or i == 0 and line.startswith(b"From "):
            kept.append(line)
            skipping = False
        elif known_after[i + 1]:
            skipped += 1
            skipping = True
        else:
            # No field follows: the body starts here (a missing blank line), as the standard
            # library reads it.
            kept.extend(lines[i:])
            break
    return kept, skipped


def _cut_long(lines: list[bytes], limit: int) -> tuple[list[bytes], int]:
    """Each field (first line and continuations) cut to at most ``limit`` bytes, at a line
    boundary where one exists; returns the lines and how many fields were cut."""
    out: list[bytes] = []
    size = 0
    cut = 0
    cutting = False
    for line in lines:
        if line[:1] not in (b" ", b"\t"):
            size, cutting = 0, False
        if cutting:
            continue
        if size + len(line) > limit:
            cut += 1
            cutting = True
            if size == 0:
                out.append(line[:limit].rstrip(b"\r\n") + b"\r\n")
            continue
        size += len(line)
        out.append(line)
    return out, cut


def _needs_work(block: bytes, limit: int) -> bool:
    if _BARE_CR.search(block) or _BAD_LINE.search(block.rstrip(b"\r\n")):
        return True
    if block and not (_is_field(block) or block.startswith(b"From ")):
        return True
    if len(block) <= limit:
        return False
    starts = [0, *(m.start() + 1 for m in re.finditer(rb"\n(?![ \t])", block)), len(block)]
    return any(b - a > limit for a, b in zip(starts, starts[1:], strict=False))


def prepare(raw: bytes, *, header_bytes: int) -> Prepared:
    """The bytes to parse (see the module docstring). ``header_bytes`` is the most read of one
    header field. Linear in the size of the header block; the body is not looked at."""
    end = header_block_end(raw)
    block = raw[:end]
    if not _needs_work(block, header_bytes):
        return Prepared(raw)
    defects: list[str] = []
    damaged = False
    if _BARE_CR.search(block):
        block = _BARE_CR.sub(b" ", block)
        damaged = True
        defects.append(f"{CONTENT_NOT_READ}a bare CR in the header block was read as a space")
    lines, skipped = _repair(_fields(block))
    if skipped:
        damaged = True
        defects.append(f"{CONTENT_NOT_READ}{skipped} damaged header line(s) without a colon "
                       "were skipped")
    lines, cut = _cut_long(lines, header_bytes)
    if cut:
        defects.append(f"{CONTENT_NOT_READ}{cut} header field(s) longer than {header_bytes:,} "
                       "bytes were cut")
    if not defects:
        return Prepared(raw)
    return Prepared(b"".join(lines) + raw[end:], tuple(defects), damaged)
