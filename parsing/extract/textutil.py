"""Text helpers shared by the extractors: cleaning, folding, lines, paragraphs and sentences.

Everything works on ``str`` and returns plain values; character offsets are indices into the
string that was passed in (never into some other normalised copy), so callers can quote the
exact text a value came from in its provenance.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "Line",
    "clean_text",
    "disclaimer_lines",
    "is_rule_line",
    "fold",
    "is_disclaimer",
    "is_empty_value",
    "is_signoff",
    "lines_of",
    "paragraphs_of",
    "sentences_of",
    "squash",
    "strip_bullet",
]

# html2text leaves Markdown behind: links, emphasis, escaped list dots. The link forms are
# rewritten to their address (mailto) or their text (anything else), because the extractors
# read addresses, not Markdown.
# Link text holds no "[" and every run is bounded, so a line of thousands of "[" (or of
# unclosed markers) is scanned in linear time rather than once from each opening character.
_MAILTO = re.compile(r"\[([^\[\]\n]{0,500})\]\(mailto:([^)\s]{1,500})\)", re.IGNORECASE)
_LINK = re.compile(r"\[([^\[\]\n]{0,500})\]\((?:https?|ftp)://[^)\s]{0,2000}\)", re.IGNORECASE)
# Outlook's plain rendering of a link: "a@b.nhs.uk<mailto:a@b.nhs.uk>", "Jo Bloggs<mailto:…>".
_ANGLE_MAILTO = re.compile(r"<mailto:([^<>\s]{1,500})>", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.{1,500}?)(?<=\S)\1")
_ITALIC = re.compile(r"(?<![\w*])([*_])(?=\S)([^*_\n]+?)(?<=\S)\1(?![\w*])")
_ESCAPED = re.compile(r"\\([-.*_#+!\[\]()`>|])")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# A run of blanks holding a tab is one tab: tabs separate table cells (docx, pasted tables).
_TABBED = re.compile(r"[ \u00a0]*\t[\t \u00a0]*")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
# Two or more blanks between words: a plain-text table aligned with spaces ("Job title      Lead
# Nurse") or two labelled fields on one line ("Email: a@b    Telephone: 0114 …").
_WIDE_GAP = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")
_EMPTY_VALUE = re.compile(
    r"(?i)\s*(?:n\s*/\s*a|n\.a\.?|none|nil|tbc|tba|tbd|to\s+follow|-+|–|—|\?+|not\s+known|unknown|"
    r"not\s+applicable|via\s+(?:ms\s+|microsoft\s+)?teams)\s*\.?\s*"
)


def is_empty_value(value: str) -> bool:
    """True for a form value that states nothing: "N/A", "n/a", "-", "TBC", "Via MS Teams"."""
    return bool(_EMPTY_VALUE.fullmatch(value))


def _spaced_cells(line: str) -> str:
    """``line`` with a space-aligned label separator made a tab ("Job title      Lead Nurse" →
    "Job title\tLead Nurse") and two labelled fields on one line split into two lines. Only a
    gap after something the label vocabulary reads as a label counts; prose is left alone."""
    if "  " not in line and "\u00a0\u00a0" not in line:
        return line
    if "\t" in line:
        return line
    from parsing.extract.labels import classify_label  # labels imports this module

    lead = len(line) - len(line.lstrip(" \u00a0"))
    parts = _WIDE_GAP.split(line[lead:], maxsplit=8)
    if len(parts) < 2:
        return line
    head = parts[0]
    bare_head = head.strip().strip("*").strip()
    if (
        len(bare_head) <= 50
        and not re.search(r"[:.|]", bare_head)
        and classify_label(bare_head) is not None
    ):
        return line[:lead] + head + "\t" + " ".join(parts[1:])
    # "Email: a@b    Telephone: 0114 …": each part after the first starts with its own label.
    if ":" in head and all(
        ":" in p and classify_label(p.split(":", 1)[0]) is not None for p in parts[1:]
    ):
        return "\n".join([line[:lead] + head] + parts[1:])
    return line


def _angle_mailto(m: re.Match[str]) -> str:
    """The address once: dropped when the link text just before it already is it (compared
    without case), else kept after a space. (Looking back here, not in the pattern, keeps the
    scan linear on long runs without spaces.)"""
    addr = m.group(1)
    start = m.start()
    shown = m.string[max(0, start - len(addr)) : start]
    if shown.lower() == addr.lower():
        return ""
    before = m.string[start - 1 : start] if start else ""
    return addr if not before or before.isspace() or before in "([" else f" {addr}"


def clean_text(text: str) -> str:
    """Return ``text`` with mail and html2text noise removed, line structure kept.

    Removes zero-width characters and soft hyphens; turns no-break and other exotic spaces
    into plain spaces (runs collapsed; a run holding a tab becomes one tab, the cell
    separator); rewrites ``[x](mailto:a@b)`` to ``a@b`` and other links to their text; drops
    ``**``/``__``/``_`` emphasis markers and backslash escapes (``1\\.``); blanks Markdown
    table rules (``---|---``). CRLF becomes LF. Letters are never changed.
    """
    if len(text) > 20_000:
        return _clean_text(text)
    # Each stage cleans the region it reads; a region is cleaned once (bounded cache).
    return _cached_clean_text(text)


@functools.lru_cache(maxsize=256)
def _cached_clean_text(text: str) -> str:
    return _clean_text(text)


def _clean_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _MAILTO.sub(lambda m: m.group(2), text)
    text = _ANGLE_MAILTO.sub(_angle_mailto, text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _EMPHASIS.sub(lambda m: m.group(2), text)
    text = _ITALIC.sub(lambda m: m.group(2), text)
    text = _ESCAPED.sub(lambda m: m.group(1), text)
    out: list[str] = []
    for line in text.split("\n"):
        # Blanks are collapsed first, which also keeps every later pattern linear on hostile
        # lines of thousands of spaces.
        if len(line) <= 400:
            line = _spaced_cells(line)
        line = _TABBED.sub("\t", _SPACES.sub(" ", line)).rstrip()
        if _TABLE_RULE.match(line):
            out.append("")
            continue
        out.append(line)
    return "\n".join(out)


def squash(text: str) -> str:
    """Collapse runs of whitespace (newlines included) to one space and strip the ends."""
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower-case ``text`` and strip diacritics and apostrophes, for comparing names.

    ``"Zoë O’Hare"`` → ``"zoe ohare"``; ``"Łukasz"`` → ``"lukasz"`` (ł has no decomposition,
    so it is mapped by hand, as are ø, đ, ß and æ).
    """
    special = {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
    }
    text = "".join(special.get(c, c) for c in text)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = re.sub(r"['’‘`´]", "", stripped)
    return stripped.lower()


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a text: ``text`` as written (right-stripped), ``start`` its offset, and
    ``index`` its position among the text's lines (0-based)."""

    text: str
    start: int
    index: int

    @property
    def end(self) -> int:
        """Offset just past the last character of the line."""
        return self.start + len(self.text)


def lines_of(text: str) -> list[Line]:
    """Split ``text`` on ``\\n`` into :class:`Line` values with their offsets."""
    out: list[Line] = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        out.append(Line(raw.rstrip(), pos, i))
        pos += len(raw) + 1
    return out


def paragraphs_of(lines: list[Line]) -> list[list[Line]]:
    """Group lines into paragraphs separated by blank lines (blank lines are dropped)."""
    paras: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line.text.strip():
            current.append(line)
        elif current:
            paras.append(current)
            current = []
    if current:
        paras.append(current)
    return paras


# A sentence ends at . ! ? (or a colon followed by a capital) followed by white space and
# an upper-case letter, a digit or an opening quote; honorific abbreviations, initials and
# "e.g." do not end a sentence, and neither do the dots inside addresses or numbers because
# those are not followed by white space.
_NO_BREAK_BEFORE = re.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|Rev|Revd|St|Sr|No|Tel|Ext|extn|ext|approx|incl|e\.g|i\.e|"
    r"etc|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z])$"
)
_NO_BREAK_WINDOW = 16
# A match starts only at the first mark of a run, so a long run of "." is not rescanned.
_BREAK = re.compile(
    r"(?<![.!?])(?:[.!?]+[\"'”’)]*(?=\s+[\"'“‘(]?[A-Z0-9À-ÖØ-ÞĀ-ž])|[.!?]+[\"'”’)]*$)"
)


def sentences_of(text: str) -> list[tuple[int, int]]:
    """Split ``text`` (one paragraph, possibly with newlines) into sentence spans.

    Returns ``(start, end)`` offsets into ``text``; each span has its surrounding white space
    trimmed. A semicolon does not end a sentence.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BREAK.finditer(text):
        # Only the few characters before the break can hold an abbreviation; searching the
        # whole growing ``before`` made a run of "Dr. Dr. ..." quadratic.
        if _NO_BREAK_BEFORE.search(text, max(start, m.start() - _NO_BREAK_WINDOW), m.start()):
            continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


_BULLET = re.compile(
    r"^(?P<indent>\s*)(?:(?P<mark>[•·▪◦‣∙●○■□➢➤►▶→*+-]|-{1,2}|o(?=\s))\s+|"
    r"(?P<num>\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s+)"
)


def strip_bullet(text: str) -> tuple[str, str | None]:
    """Remove a leading bullet or list number (``•``, ``-``, ``*``, ``1.``, ``(a)``, ``2)``).

    Returns ``(rest, marker)``: ``marker`` is ``"bullet"`` for a bullet, ``"number"`` for a
    list number, None when the line is not a list item. Dates such as ``1. April`` are rare
    enough at line start that they are accepted as list numbers.
    """
    m = _BULLET.match(text)
    if not m:
        return text.strip(), None
    kind = "number" if m.group("num") else "bullet"
    return text[m.end() :].strip(), kind


_SIGNOFF = re.compile(
    r"^\s*(?:(?:with\s+)?(?:kind(?:est)?|best|warm(?:est)?|many)\s+(?:regards|wishes|thanks)|"
    r"regards|best|thanks|thank\s+you|many\s+thanks|yours\s+(?:sincerely|faithfully|truly)|"
    r"sincerely|cheers|all\s+the\s+best|with\s+thanks|warm\s+regards|rgds|kr)\s*[,.!]?\s*$",
    re.IGNORECASE,
)


def is_signoff(line: str) -> bool:
    """True for a closing line on its own ("Kind regards,", "Many thanks", "Yours sincerely")."""
    return bool(_SIGNOFF.match(line))


_DISCLAIMER_WORDS = re.compile(
    r"\b(?:confidential|intended\s+(?:solely\s+)?(?:for\s+the\s+)?(?:recipient|addressee)|"
    r"received\s+this\s+(?:e-?mail|message)\s+in\s+error|disclaimer|registered\s+office|"
    r"virus(?:es)?|strictly\s+prohibited|nhsmail\s+is\s+the\s+secure|"
    r"freedom\s+of\s+information|do\s+not\s+necessarily\s+represent|"
    r"switch\s+to\s+nhsmail|think\s+before\s+you\s+print|get\s+outlook\s+for)\b",
    re.IGNORECASE,
)


_RULE_LINE = re.compile(r"^\s*(?:[*_=~#-]\s*){5,}$|^\s*--\s*$")


def is_rule_line(line: str) -> bool:
    """True for a separator line ("*****", "-----", "--") such as those above disclaimers."""
    return bool(_RULE_LINE.match(line))


def disclaimer_lines(lines: list[Line]) -> set[int]:
    """Indices of the lines that belong to disclaimers and client footers.

    A disclaimer starts at a line with disclaimer wording and runs to the end of its block;
    blocks are separated by blank lines and by separator lines ("*****", "--"), because
    signatures often run straight into the disclaimer with only a rule between them.
    """
    out: set[int] = set()
    in_disclaimer = False
    for ln in lines:
        if not ln.text.strip() or is_rule_line(ln.text):
            in_disclaimer = False
            if is_rule_line(ln.text):
                out.add(ln.index)
            continue
        if in_disclaimer or is_disclaimer(ln.text):
            in_disclaimer = True
            out.add(ln.index)
    return out


def is_disclaimer(paragraph: str) -> bool:
    """True when a paragraph reads like an email disclaimer or client footer.

    Disclaimers name switchboards and organisations but never the nominee, so their numbers
    must not be read as anyone's contact details.
    """
    return bool(_DISCLAIMER_WORDS.search(paragraph))
