"""Bytes to text (charsets, RFC 2047 headers, format=flowed), text clean-up, and the split of a
body into what the sender wrote, their signature, and quoted or forwarded history.

Pure functions: no I/O, no logging.
"""

from __future__ import annotations

import binascii
import codecs
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from parsing.classify import mentions_topic
from parsing.model import BodyText
from parsing.vocabulary import POINTS_BELOW

__all__ = [
    "Decoded",
    "decode_bytes",
    "decode_header_value",
    "looks_unreadable",
    "normalise_text",
    "split_body",
    "unflow",
    "unfold_header",
]

# --------------------------------------------------------------------------------------------
# Charsets
# --------------------------------------------------------------------------------------------

# Outlook labels Windows-1252 text as iso-8859-1 or us-ascii, so 0x92 must read as ’ not U+0092
# (the WHATWG Encoding Standard maps these labels to windows-1252 for the same reason).
_AS_WINDOWS_1252 = frozenset({"ascii", "iso8859-1"})
# Labels real mailers write that Python's codec registry does not know.
_CHARSET_ALIASES = {"ks_c_5601-1987": "cp949", "x-sjis": "shift_jis", "unicode": "utf-16-le"}
_CHARSET_SAFE = re.compile(r"[^A-Za-z0-9._:-]")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes. ``defect`` says in words what went wrong with the declared
    charset (None when nothing did); ``guessed`` is True when the text is a windows-1252 guess
    for bytes that were not valid in any better candidate."""

    text: str
    defect: str | None = None
    guessed: bool = False


def _codec(charset: str) -> str | None:
    """Python's codec name for a MIME charset label, or None when unknown or not a text codec."""
    label = charset.strip().strip("\"'").lower().split("*", 1)[0]
    label = _CHARSET_ALIASES.get(label, label)
    if not label or len(label) > 40:
        return None
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def _safe_label(charset: str) -> str:
    return _CHARSET_SAFE.sub("", charset)[:40] or "(blank)"


def _utf8_or_1252(data: bytes, defect: str | None) -> Decoded:
    try:
        return Decoded(data.decode("utf-8-sig"), defect)
    except UnicodeDecodeError:
        return Decoded(data.decode("cp1252", "replace"), defect, guessed=True)


def _scalar_values(text: str) -> str:
    """Replace lone surrogates (some codecs produce them) so the text can be encoded as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def decode_bytes(data: bytes, charset: str | None) -> Decoded:
    """Decode a MIME text payload.

    - ``charset`` None or empty (e.g. a message with no MIME headers): UTF-8 when valid,
      else windows-1252.
    - iso-8859-1 / latin-1 / us-ascii: windows-1252 (Outlook); us-ascii text carrying valid
      UTF-8 bytes is read as UTF-8.
    - an unknown or non-text charset (``x-unknown``, ``base64``): defect
      ``"undecodable charset <label>"``, then UTF-8, then windows-1252.
    - bytes invalid in the declared charset: defect, then UTF-8, then windows-1252.

    Never raises; undecodable bytes in the last resort become U+FFFD.
    """
    if not charset or not charset.strip():
        return _utf8_or_1252(data, None)
    codec = _codec(charset)
    if codec is None:
        return _utf8_or_1252(data, f"undecodable charset {_safe_label(charset)}")
    if codec in _AS_WINDOWS_1252:
        if data.isascii():
            return Decoded(data.decode("ascii"))
        if codec == "ascii":
            return _utf8_or_1252(data, None)
        return Decoded(data.decode("cp1252", "replace"))
    try:
        return Decoded(_scalar_values(data.decode(codec)))
    except (UnicodeError, LookupError, ValueError, TypeError):
        return _utf8_or_1252(data, f"text not valid in declared charset {_safe_label(charset)}")


# --------------------------------------------------------------------------------------------
# Headers (RFC 5322 section 2.2.3 unfolding, RFC 2047 encoded-words)
# --------------------------------------------------------------------------------------------

_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,75})\?([bBqQ])\?([^?\s]*)\?=")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_WSP_RUN = re.compile(r"[ \t\r\n]+")
_SURROGATE = re.compile(r"[\udc80-\udcff]")


def _raw_octets(value: str) -> str:
    """A header stored by the stdlib with 8-bit bytes as surrogates, read as UTF-8 when valid
    and windows-1252 otherwise (RFC 6532 allows UTF-8 headers)."""
    if not _SURROGATE.search(value):
        return value
    data = value.encode("utf-8", "surrogateescape")
    return _utf8_or_1252(data, None).text


def unfold_header(raw: str) -> str:
    """A raw header value unfolded (RFC 5322 section 2.2.3: CRLF before white space removed)
    with 8-bit octets read as UTF-8, else windows-1252; encoded-words left as they are (for
    structured headers, which must be tokenised before decoding)."""
    return _FOLD.sub("", _raw_octets(raw))


def _word_bytes(encoding: str, payload: str) -> bytes | None:
    try:
        if encoding in "qQ":
            return binascii.a2b_qp(payload.encode("ascii", "replace"), header=True)
        cleaned = re.sub(r"[^A-Za-z0-9+/]", "", payload)
        cleaned = cleaned[: len(cleaned) - len(cleaned) % 4 if len(cleaned) % 4 == 1 else None]
        return binascii.a2b_base64(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError):
        return None


def decode_header_value(raw: str) -> str:
    """Unfold a header value and decode its RFC 2047 encoded-words.

    Adjacent encoded-words in one charset are joined before decoding (a UTF-8 character may be
    split across two words); whitespace between encoded-words is dropped (RFC 2047 section 6.2);
    runs of whitespace become one space. Charsets go through :func:`decode_bytes`, so an unknown
    one degrades instead of failing. Returns a stripped ``str``; never raises.
    """
    value = _WSP_RUN.sub(" ", _FOLD.sub("", _raw_octets(raw)))
    out: list[str] = []
    pending: list[tuple[str, bytes]] = []
    last_end = 0

    def flush() -> None:
        joined: list[tuple[str, bytes]] = []
        for cs, data in pending:
            if joined and joined[-1][0] == cs:
                joined[-1] = (cs, joined[-1][1] + data)
            else:
                joined.append((cs, data))
        out.extend(decode_bytes(data, cs).text for cs, data in joined)
        pending.clear()

    for match in _ENCODED_WORD.finditer(value):
        between = value[last_end : match.start()]
        data = _word_bytes(match.group(2), match.group(3))
        if data is None:
            flush()
            out.append(between + match.group(0))
        else:
            if between.strip() or not pending:
                flush()
                out.append(between)
            pending.append((match.group(1).split("*", 1)[0].lower(), data))
        last_end = match.end()
    flush()
    out.append(value[last_end:])
    return unicodedata.normalize("NFC", _WSP_RUN.sub(" ", "".join(out)).strip())


# --------------------------------------------------------------------------------------------
# Text clean-up
# --------------------------------------------------------------------------------------------

_TRANSLATE = {
    0x00A0: " ",  # no-break space
    0x2007: " ",  # figure space
    0x202F: " ",  # narrow no-break space
    0x200B: None,  # zero-width space
    0x2060: None,  # word joiner
    0xFEFF: None,  # BOM / zero-width no-break space
    0x00AD: None,  # soft hyphen
    0x2028: "\n",
    0x2029: "\n",
    0x0B: "\n",
    0x0C: "\n",
}
# Other C0 controls (not tab or newline) carry no text.
_TRANSLATE.update({c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0B, 0x0C)})
_TRANSLATE[0x7F] = None
# C1 controls in decoded text are windows-1252 bytes that went through latin-1 somewhere:
# map them back to what the writer typed (U+0092 is ’).
for _c1 in range(0x80, 0xA0):
    _ch = bytes([_c1]).decode("cp1252", "ignore")
    _TRANSLATE[_c1] = _ch or None


def normalise_text(text: str) -> str:
    """Line endings to ``\\n``; no-break spaces to spaces; zero-width spaces, soft hyphens and
    control characters removed; stray C1 controls read as windows-1252; trailing spaces on each
    line removed; Unicode NFC (composed letters). Smart quotes, dashes and letters are kept as
    they are."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATE)
    # NFC so that a decomposed "e" + U+0308 compares equal to "ë" (looks the same).
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip(" \t") for line in text.split("\n"))


def looks_unreadable(text: str, *, guessed: bool = False) -> bool:
    """True when decoded text is binary garbage rather than writing: many replacement or control
    characters, or (for a windows-1252 guess) mostly non-ASCII characters. Judged on the first
    20,000 characters; empty text is not garbage (it is just empty)."""
    sample = text[:20000]
    visible = [c for c in sample if not c.isspace()]
    if not visible:
        return False
    bad = sum(1 for c in visible if c == "\ufffd" or ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0)
    if bad / len(visible) > 0.05:
        return True
    if guessed:
        foreign = sum(1 for c in visible if ord(c) > 0x7F)
        return foreign / len(visible) > 0.3
    return False


def unflow(text: str, *, delsp: bool = False) -> str:
    """Undo RFC 3676 format=flowed: join soft-broken lines (ending in a space), keep the
    ``-- `` signature separator, remove space-stuffing, keep quote depth as ``> `` prefixes."""
    out: list[str] = []
    buf = ""
    depth_of_buf = -1
    for line in text.split("\n"):
        line = line.rstrip("\r")
        depth = len(line) - len(line.lstrip(">"))
        body = line[depth:]
        if body.startswith(" "):
            body = body[1:]
        flowed = body.endswith(" ") and body != "-- "
        if depth_of_buf not in (-1, depth):
            out.append("> " * depth_of_buf + buf if depth_of_buf else buf)
            buf, depth_of_buf = "", -1
        piece = body[:-1] if flowed and delsp else body
        buf += piece
        depth_of_buf = depth
        if not flowed:
            out.append(("> " * depth + buf) if depth else buf)
            buf, depth_of_buf = "", -1
    if depth_of_buf != -1:
        out.append(("> " * depth_of_buf + buf) if depth_of_buf else buf)
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# Body splitting
# --------------------------------------------------------------------------------------------


def _field(labels: str) -> str:
    """A header-field label as written in quoted history, bold markers (``*From:*``) allowed."""
    # One run of blanks between tokens, never two adjacent ones: "\s*\s*" backtracks
    # quadratically on a long line of spaces.
    bold = r"(?:\*{1,2}[ \t]*)?"
    return r"[ \t]*" + bold + "(?:" + labels + r")[ \t]*" + bold + r":(?:[ \t]*\*{1,2})?"


_FROM_LINE = re.compile("^" + _field("from|von|de|van|fra") + r"[ \t]*\S", re.I)
_BLOCK_FIELD = re.compile(
    "^" + _field("sent|date|to|cc|subject|gesendet|an|betreff|envoy[ée]|objet"),
    re.I,
)
_SUBJECT_FIELD = re.compile("^" + _field("subject|betreff|objet") + r"(.*)$", re.I)
_ANY_FIELD = re.compile("^" + _field("from|sent|date|to|cc|bcc|subject|reply-to|importance"), re.I)
_ORIGINAL = re.compile(r"^\s*-{2,}\s*original\s+message\s*-{2,}\s*$", re.I)
_FORWARD_MARK = re.compile(
    r"^\s*(?:-{2,}\s*forwarded\s+message\s*-{2,}|begin\s+forwarded\s+message\s*:"
    r"|-{2,}\s*forwarded\s+by\b.*)\s*$",
    re.I,
)
_RULE = re.compile(r"^\s*_{10,}\s*$")
_ATTRIBUTION = re.compile(
    r"^\s*(?:on|le|am|el|op)\b.{0,400}\b(?:wrote|a\s+écrit|schrieb|escribió|schreef)\s*:\s*$",
    re.I,
)
_ATTRIBUTION_START = re.compile(r"^\s*(?:on|le|am|el|op)\s+\S", re.I)
_WROTE_LINE = re.compile(r"^.{1,160}\bwrote:\s*$", re.I)
_QUOTED = re.compile(r"^\s*>")
_FWD_SUBJECT = re.compile(r"^\s*(?:fwd?|fw|tr|wg|vs)\s*:", re.I)

_SIG_DASHES = re.compile(r"^-- ?$")
_MOBILE = re.compile(
    r"^\s*(?:sent\s+from\s+(?:my\s+)?(?:i\s?phone|i\s?pad|samsung|galaxy|android|blackberry|"
    r"mobile|phone|huawei|pixel|outlook|mail\s+for\s+windows|yahoo\s+mail)\b.*"
    r"|get\s+outlook\s+for\s+(?:android|ios|iphone)\b.*"
    r"|sent\s+via\s+.{1,40}$"
    r"|sent\s+from\s+outlook\b.*)$",
    re.I,
)
_DISCLAIMER = re.compile(
    r"^\s*(?:\*{10,}.*|={10,}\s*|this\s+e-?mail\s+and\s+any\s+(?:files|attachments)\b.*"
    r"|this\s+(?:e-?mail|message)\s+(?:may\s+contain|is\s+confidential|contains\s+confidential)"
    r"\b.*|the\s+information\s+(?:contained\s+)?in\s+this\s+(?:e-?mail|message)\b.*"
    r"|nhsmail\s+is\s+the\s+secure\s+email\b.*|disclaimer\s*:?.*|confidentiality\s+notice\b.*"
    r"|privileged\s+(?:and|&)\s+confidential\b.*)$",
    re.I,
)
_SIGNOFF = re.compile(
    r"""^\s*(?:
        (?:with\s+)?(?:kind(?:est)?|best|warm(?:est)?|sincere|many|good)\s+(?:regards|wishes|thanks)
      | (?:with\s+)?(?:many\s+)?thanks(?:\s+(?:again|very\s+much|so\s+much|in\s+advance))?
          (?:\s*(?:and|&)\s*(?:kind\s+|best\s+)?regards)?
      | thank\s+you(?:\s+(?:again|very\s+much|so\s+much|in\s+advance))?
      | regards | kind\s+regards | rgds | thx | cheers | sincerely | respectfully
      | yours\s+(?:sincerely|faithfully|truly|ever)
      | (?:all\s+the\s+)?best | take\s+care | speak\s+soon
      | with\s+(?:best|kind|warm|many)\s+(?:wishes|regards|thanks)
    )\s*[,.!]*
    (?:\s*[-–—]?\s*(?-i:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}))?\s*$""",
    re.I | re.X,
)
_TOPIC = re.compile(r"nominat|patient\s+safety\s+specialist|\bPSSs?\b", re.I)
_EMAIL = re.compile(r"[\w.+'-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_PHONE = re.compile(r"(?:\+?\d[\d ()-]{7,}\d)")
_WORD = re.compile(r"\w+")
_NAME_TOKEN = re.compile(r"[^\W\d_]{2,}")
_FORWARD_DEPTH = 5
# Sign-offs and phone footers are short lines; longer lines are never tested against them.
_SHORT_LINE = 100
# Nomination prose that follows a sign-off does so within this many lines.
_SIGNATURE_LOOKAHEAD = 40


@dataclass(frozen=True, slots=True)
class _Marker:
    index: int
    kind: str  # "outlook" | "original" | "forward" | "attribution" | "angle"


def _is_outlook_block(lines: Sequence[str], i: int) -> bool:
    """``From:`` followed within 8 lines by at least two of Sent/Date/To/Cc/Subject."""
    if not _FROM_LINE.match(lines[i]):
        return False
    labels = set()
    for line in lines[i + 1 : i + 9]:
        m = _BLOCK_FIELD.match(line)
        if m:
            labels.add(m.group(0).strip(" *:\t").lower())
    return len(labels) >= 2


def _attribution_span(lines: Sequence[str], i: int) -> int:
    """Lines (1 to 3) of a Gmail-style ``On <date>, <name> wrote:`` starting at ``i``; 0 if
    none."""
    if _ATTRIBUTION.match(lines[i]):
        return 1
    if not _ATTRIBUTION_START.match(lines[i]) or len(lines[i]) > 300:
        return 0
    for span in (2, 3):
        if i + span <= len(lines) and _ATTRIBUTION.match(" ".join(lines[i : i + span])):
            return span
    return 0


def _next_nonblank(lines: Sequence[str], i: int, limit: int = 3) -> int | None:
    for j in range(i, min(len(lines), i + limit + 1)):
        if lines[j].strip():
            return j
    return None


def _find_history(lines: Sequence[str], start: int = 0) -> _Marker | None:
    """The first line at or after ``start`` that opens quoted or forwarded history."""
    for i in range(start, len(lines)):
        line = lines[i]
        if _FORWARD_MARK.match(line):
            return _Marker(i, "forward")
        if _ORIGINAL.match(line):
            return _Marker(i, "original")
        if _RULE.match(line):
            j = _next_nonblank(lines, i + 1)
            if j is not None and _is_outlook_block(lines, j):
                return _Marker(i, "outlook")
            continue
        if _is_outlook_block(lines, i):
            return _Marker(i, "outlook")
        if _attribution_span(lines, i):
            return _Marker(i, "attribution")
        if _WROTE_LINE.match(line):
            j = _next_nonblank(lines, i + 1)
            if j is not None and _QUOTED.match(lines[j]):
                return _Marker(i, "attribution")
        if _QUOTED.match(line):
            return _Marker(i, "angle")
    return None


def _hard_history(lines: Sequence[str], start: int) -> int:
    """First Outlook/forward/original marker at or after ``start`` (``len(lines)`` if none):
    where interleaved ``>`` quoting can no longer hold new text."""
    i = start
    while i < len(lines):
        marker = _find_history(lines, i)
        if marker is None:
            return len(lines)
        if marker.kind in ("outlook", "original", "forward"):
            return marker.index
        i = marker.index + 1
    return len(lines)


def _has_substance(text: str) -> bool:
    """True when text carries nomination-like content: an address, a phone number, or more
    than a short covering note (60 words)."""
    return bool(_EMAIL.search(text) or _PHONE.search(text)) or len(_WORD.findall(text)) > 60


def _sender_tokens(sender_names: Sequence[str]) -> list[set[str]]:
    """Lower-cased name words of each sender name, organisation in brackets left out
    (``"OSEI, Margaret (NHS WESSEX VALE ICB)"`` gives ``{"osei", "margaret"}``)."""
    out = []
    for name in sender_names:
        bare = re.sub(r"\(.*?\)|\[.*?\]", " ", name or "")
        tokens = {t.lower() for t in _NAME_TOKEN.findall(bare)}
        if tokens:
            out.append(tokens)
    return out


def _names_line(line: str, senders: list[set[str]]) -> bool:
    words = {w.lower() for w in _NAME_TOKEN.findall(line)}
    if not words or len(line.split()) > 8:
        return False
    for tokens in senders:
        # A full name needs two of its words; a line of one word (a first name) needs one.
        need = min(2, len(tokens), len(words))
        if len(words & tokens) >= need:
            return True
    return False


def _content_follows(lines: Sequence[str], i: int) -> bool:
    """A sign-off at ``i`` is not the end of the message when nomination prose follows it
    (before any disclaimer): e.g. ``Thanks,`` then ``Our nominee is ...``."""
    for line in lines[i + 1 : i + 1 + _SIGNATURE_LOOKAHEAD]:
        s = line.strip()
        if _DISCLAIMER.match(s) or _SIG_DASHES.match(line.rstrip("\n")):
            return False
        words = s.split()
        if _TOPIC.search(s) and len(words) >= 8 and (s[-1] in ".:!?" or len(s) > 80):
            return True
    return False


def _name_block_start(lines: Sequence[str], end: int, senders: list[set[str]]) -> int:
    """Start of a sender name/title block right above ``end`` (no sign-off before it), or
    ``end`` when there is none: last paragraph of at most 7 short lines whose first line is
    the sender's name; a lone first-name line just above it joins the block."""
    if not senders:
        return end
    stop = end
    while stop > 0 and not lines[stop - 1].strip():
        stop -= 1
    start = stop
    while start > 0 and lines[start - 1].strip():
        start -= 1
    block = lines[start:stop]
    if not block or len(block) > 7 or any(len(x) > 80 for x in block):
        return end
    if not _names_line(block[0], senders):
        return end
    above = start
    while above > 0 and not lines[above - 1].strip():
        above -= 1
    if above > 0:
        lone = lines[above - 1].strip()
        words = {w.lower() for w in _NAME_TOKEN.findall(lone)}
        if len(lone.split()) == 1 and any(words & t for t in senders):
            return above - 1
    return start


_RULE_ONLY = re.compile(r"^[ \t]*([=*_~#-])\1{9,}[ \t]*$")
_LABELLED = re.compile(r"^\s*[A-Za-z][\w ()/'’-]{1,40}:\s*\S")


def _details_follow(lines: Sequence[str], i: int) -> bool:
    """A bare rule line at ``i`` (``=====``, ``*****``) is a section divider, not the start of
    a signature or disclaimer, when nomination details (a labelled field, an address, a phone
    number) follow it before any sign-off or disclaimer wording."""
    for line in lines[i + 1 : i + 1 + _SIGNATURE_LOOKAHEAD]:
        s = line.strip()
        if not s or _RULE_ONLY.match(s):
            continue
        if len(s) <= _SHORT_LINE and _SIGNOFF.match(s) or _DISCLAIMER.match(s):
            return False
        if _LABELLED.match(s) or _EMAIL.search(s) or _PHONE.search(s):
            return True
    return False


def _signature_start(lines: Sequence[str], senders: list[set[str]]) -> int:
    """Index of the first signature line in ``lines`` (``len(lines)`` if none)."""
    seen_content = False
    for i, line in enumerate(lines):
        s = line.strip()
        short = len(s) <= _SHORT_LINE
        if _RULE_ONLY.match(s) and _details_follow(lines, i):
            continue
        if _SIG_DASHES.match(line) or (short and _MOBILE.match(s)) or _DISCLAIMER.match(s):
            return _name_block_start(lines, i, senders) if seen_content else i
        if seen_content and short and _SIGNOFF.match(s) and not _content_follows(lines, i):
            return i
        if s:
            seen_content = True
    return _name_block_start(lines, len(lines), senders)


def _header_block_end(lines: Sequence[str], start: int) -> int:
    """End (exclusive) of a forwarded header block starting at ``start``: header fields and
    their wrapped continuation lines, up to the first blank line."""
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    seen = False
    while i < len(lines) and lines[i].strip():
        if _ANY_FIELD.match(lines[i]) or _FROM_LINE.match(lines[i]):
            seen = True
        elif not seen:
            break
        i += 1
    return i


def _is_forward(lines: Sequence[str], marker: _Marker, subject: str) -> bool:
    if marker.kind == "forward":
        return True
    if marker.kind not in ("outlook", "original"):
        return False
    if _FWD_SUBJECT.match(subject):
        return True
    for line in lines[marker.index : marker.index + 10]:
        m = _SUBJECT_FIELD.match(line)
        if m:
            return bool(_FWD_SUBJECT.match(m.group(1)))
    return False


def _forwarded_text(lines: Sequence[str], marker: _Marker, subject: str, depth: int = 0) -> str:
    """Headers and body of the forwarded message opened by ``marker``, down to the next history
    marker; when that body is only a covering note over a further forward, the deeper one."""
    start = marker.index
    if not (_FROM_LINE.match(lines[start]) or _ANY_FIELD.match(lines[start])):
        start += 1
    while start < len(lines) and not lines[start].strip():
        start += 1
    body_start = _header_block_end(lines, start)
    nxt = _find_history(lines, body_start)
    end = nxt.index if nxt else len(lines)
    body = "\n".join(lines[body_start:end])
    note = _strip_sig(body)
    if (
        nxt is not None
        and depth < _FORWARD_DEPTH
        and (
            (_is_forward(lines, nxt, "") and not _has_substance(note))
            # "Anjali – this came back to us as undeliverable. Are you able to send it on?
            # (0121 496 0190)" over the original: a covering note, even with a number in it.
            or (
                nxt.kind in ("outlook", "original")
                and not _EMAIL.search(note)
                and len(_WORD.findall(note)) <= 60
            )
        )
    ):
        return _forwarded_text(lines, nxt, "", depth + 1)
    return "\n".join(lines[start:end]).strip()


def _partition_quoted(region: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split lines into the sender's own (unquoted) and the quoted ones (``>`` lines and
    ``... wrote:`` attributions), keeping order within each."""
    own: list[str] = []
    quote: list[str] = []
    i = 0
    while i < len(region):
        span = _attribution_span(region, i)
        if span:
            quote.extend(region[i : i + span])
            i += span
            continue
        ln = region[i]
        (quote if _QUOTED.match(ln) or _WROTE_LINE.match(ln) else own).append(ln)
        i += 1
    return own, quote


def _strip_sig(text: str) -> str:
    lines = text.split("\n")
    return "\n".join(lines[: _signature_start(lines, [])])


# The sender's own text sends the reader to the forward ("Please see below from our Chief
# Medical Officer. My details are: …"): the forward is part of what they submit.
_POINTS_BELOW = POINTS_BELOW


def _about_pss(text: str) -> bool:
    """The text speaks of the PSS (:func:`parsing.classify.mentions_topic`) or of nominating."""
    return mentions_topic(text) or bool(re.search(r"(?i)\bnominat", text))


def split_body(text: str, *, subject: str = "", sender_names: Sequence[str] = ()) -> BodyText:
    """Split a decoded, normalised body into :class:`~parsing.model.BodyText` regions.

    - ``quoted`` starts at the first history marker: an Outlook ``From:`` block (two or more of
      Sent/Date/To/Cc/Subject below it, optionally after ``-----Original Message-----`` or an
      underscore rule), ``On <date>, <name> wrote:`` (wrapped over up to 3 lines), a ``>``
      line, ``---------- Forwarded message ---------`` or ``Begin forwarded message:``.
      With ``>`` quoting, unquoted lines below the quote (bottom-posting, inline answers) are
      still the sender's own text; below an attribution with no ``>`` line, all is history.
    - ``signature`` starts at the first stand-alone sign-off line (``Kind regards,``,
      ``Thanks``, ``Yours sincerely`` ... optionally followed by a short capitalised name)
      unless nomination prose follows it, or at ``--``, a mobile footer (``Sent from my
      iPhone``, ``Get Outlook for Android``) or a disclaimer (asterisk rule, "This email and
      any files transmitted", NHSmail footer), and runs to the quoted history. With no
      sign-off, a last paragraph that starts with one of ``sender_names`` (display names; the
      bracketed organisation is ignored) is taken as the signature.
    - ``new`` is the rest above the history.
    - ``forwarded`` holds the forwarded message (its header lines and body, its signature
      included, down to the next history marker) when the history is a forward (marker, or an
      Outlook block whose Subject, or ``subject``, starts FW:/Fwd:) and ``new`` has no
      substance (no address, no phone number, at most 60 words) or sends the reader to it
      ("please see below").

    ``full`` is ``text`` unchanged. Regions are stripped of surrounding blank lines.
    Never raises.
    """
    lines = text.split("\n")
    senders = _sender_tokens(sender_names)
    marker = _find_history(lines)
    if marker is None:
        head, quoted_lines = lines, []
    elif marker.kind in ("angle", "attribution"):
        hard = _hard_history(lines, marker.index)
        own, quote = _partition_quoted(lines[marker.index : hard])
        if marker.kind == "attribution" and not any(_QUOTED.match(ln) for ln in quote):
            # "On … wrote:" over an unmarked quote (HTML mail turned to text, some mobile
            # clients): everything below it is the history, never the sender's new text.
            own, quote = [], list(lines[marker.index : hard])
        if "".join(own).strip():
            head = list(lines[: marker.index]) + [""] + own
        else:
            head = list(lines[: marker.index])
        quoted_lines = quote + list(lines[hard:])
    else:
        head, quoted_lines = list(lines[: marker.index]), list(lines[marker.index :])
    sig = _signature_start(head, senders)
    new = "\n".join(head[:sig]).strip("\n")
    signature = "\n".join(head[sig:]).strip("\n")
    quoted = "\n".join(quoted_lines).strip("\n")
    forwarded = ""
    if (
        marker is not None
        and _is_forward(lines, marker, subject)
        and (
            not _has_substance(new)
            # Pointed to ("please see below") in a message about the PSS: "FW: rota for
            # February – please see below" is not a nomination however it points.
            or (_POINTS_BELOW.search(new) and _about_pss(f"{subject}\n{new}"))
        )
    ):
        forwarded = _forwarded_text(lines, marker, subject)
    return BodyText(full=text, new=new, signature=signature, quoted=quoted, forwarded=forwarded)
