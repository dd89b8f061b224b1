"""Agenda for Change pay bands: finding them in text and normalising them.

Canonical values (DESIGN.md, DOMAIN.md section 2): ``"2"``..``"7"``, ``"8a"``..``"8d"``, ``"9"``
and ``"VSM"`` (very senior managers, who are outside AfC). Forms read: "Band 8a", "band 8 A",
"AfC 8B", "Agenda for Change: 8C", "Agenda for Change Band 7", "B8a", "Band 8 (a)",
"Band 8 Range B", "band eight a", "(8b)", "8a equivalent", "equivalent to 8b", and a bare "8c"
when it is the value of a band label. Medical pay ("Consultant", "Specialty Doctor", "medical
pay scale") has no band. "Ward 8A", "ext 8a", "8 years" are not bands.

A range or re-banding in progress ("8a/8b", "8a–8b") is kept as written in ``raw`` with no
normalised band: choosing one of the two would be a guess, unless the text right after it
says which band the person is on ("Band 8a/8b (being re-banded; she is currently on 8a)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["BandMatch", "find_bands", "normalise_band_value"]


@dataclass(frozen=True, slots=True)
class BandMatch:
    """A pay band found in a text: ``band`` canonical (None for a range or a bare "Band 8"),
    ``raw`` as written, ``start``/``end`` its offsets."""

    band: str | None
    raw: str
    start: int
    end: int


_WORD_DIGIT = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_NUM = r"(?:[2-9]|two|three|four|five|six|seven|eight|nine)"
_LETTER = r"(?:\s*\(\s*[a-dA-D]\s*\)|\s*range\s+[a-dA-D]|[-\s]?[a-dA-D])"

# "Band 8a", "band 8 (a)", "Band 8 Range B", "band eight a", "Band 7", "AfC band 8b",
# "Agenda for Change: 8C", "Agenda for Change Band 7", "AfC 8B", "pay band 8a", "grade 8b".
_PREFIXED = re.compile(
    r"(?<![\w-])(?:(?:agenda\s+for\s+change|afc)(?:\s+pay)?(?:\s+(?:band|grade))?\s*[:\-]?\s*|"
    r"(?:pay\s+)?(?:band|banding|grade)\s*[:\-]?\s*|banded\s+(?:at\s+)?)"
    rf"(?P<num>{_NUM})(?P<letter>{_LETTER}(?![a-zA-Z]))?"
    r"(?:\s*(?:[/–—-]|to)\s*(?P<num2>[89])?\s*(?P<letter2>[a-dA-D])\b)?",
    re.IGNORECASE,
)
# "B8a" (a common shorthand).
_B_SHORT = re.compile(r"(?<![\w-])B(?P<num>[2-9])(?P<letter>[a-dA-D])?(?![\w-])")
# A bare "8a" counts only in parentheses, before "equivalent", after "equivalent to", set off by
# commas or dashes, said of someone ("She's 8B."), or as a label's whole value (see
# normalise_band_value).
_BARE = re.compile(
    r"(?:\(\s*(?P<num>8)\s*(?P<letter>[a-dA-D])\s*\)|"
    r"(?<![\w-])(?P<num2>8)\s?(?P<letter2>[a-dA-D])(?=\s+equivalent\b)|"
    r"\bequivalent\s+to\s+(?:an?\s+)?(?P<num3>8)\s?(?P<letter3>[a-dA-D])\b|"
    # Set off by commas or dashes after a title: "our Senior Investigator, 8A, and …".
    r"(?:(?<=,\s)|(?<=\s[–—|]\s)|(?<=\b(?:is|'s|’s)\s))"
    r"(?P<num4>8)\s?(?P<letter4>[a-dA-D])(?=\s*(?:[,;|)]|\.(?:\s|$)|$)))",
    re.IGNORECASE,
)
# A bare range ("8a/8b", "8a–8b", "(8a/8b)"): a band being re-banded, never two bands.
_BARE_RANGE = re.compile(
    r"(?<![\w/.-])8\s?[a-dA-D]\s*(?:/|–|—|-|\bto\b)\s*(?:8\s?)?[a-dA-D](?![\w/])"
)
_VSM = re.compile(r"\b(?:VSM|very\s+senior\s+manager(?:s)?(?:\s+pay)?)\b", re.IGNORECASE)
# What a bare band-like token must never follow: wards, extensions, rooms and the like.
_NOT_BAND_BEFORE = re.compile(
    r"\b(?:ward|ext|extn|extension|room|rm|bay|bed|floor|level|block|unit|suite|flat|theatre|"
    r"building|gate|zone|wing|x)\.?\s*$",
    re.IGNORECASE,
)


def _canonical(num: str, letter: str | None) -> str | None:
    num = _WORD_DIGIT.get(num.lower(), num)
    if letter:
        letter = re.sub(r"[^a-dA-D]", "", re.sub(r"(?i)range", "", letter)).lower()
    if num == "8":
        return f"8{letter}" if letter else None
    # "Band 7 a…" is band 7 followed by a word: there is no 7a.
    return num


# "is on 8a", "is currently paid at band 8a", "substantively 8a", "currently banded at 8b".
_CURRENT = re.compile(
    r"\b(?:(?:is|are)\s+(?:currently\s+|presently\s+|now\s+|substantively\s+)?"
    r"(?:on|at|paid\s+(?:at|on)|banded\s+(?:at|as)|graded\s+(?:at|as)|employed\s+(?:at|on))"
    r"|currently(?:\s+(?:on|at|paid\s+at|banded\s+at))?|substantive(?:ly)?(?:\s+(?:on|at))?)"
    r"\s+(?:(?:agenda\s+for\s+change|afc)\s+)?(?:band\s+)?(?P<num>8)\s?(?P<letter>[a-dA-D])\b",
    re.IGNORECASE,
)
_CURRENT_WINDOW = 160


def _current_band(text: str, pos: int) -> str | None:
    """The band a person is explicitly said to be on, just after a range at ``pos`` (same
    line), or None."""
    end = text.find("\n", pos)
    window = text[pos : min(pos + _CURRENT_WINDOW, end if end >= 0 else len(text))]
    m = _CURRENT.search(window)
    return _canonical(m.group("num"), m.group("letter")) if m else None


def find_bands(text: str) -> list[BandMatch]:
    """Every pay band mentioned in ``text`` (prefixed forms, B8a, bracketed or "equivalent"
    bare forms, VSM), in order, without overlaps."""
    found: list[BandMatch] = []
    # Characters already covered by a match (an array keeps this linear on long texts).
    taken = bytearray(len(text) + 1)

    def add(band: str | None, start: int, end: int) -> None:
        if any(taken[start:end]):
            return
        if _NOT_BAND_BEFORE.search(text[max(0, start - 12) : start]):
            return
        taken[start:end] = b"\x01" * (end - start)
        found.append(BandMatch(band, text[start:end].strip(), start, end))

    for m in _PREFIXED.finditer(text):
        band = _canonical(m.group("num"), m.group("letter"))
        if m.group("letter2"):
            # A range such as "8a/8b": resolved only by an explicit current band nearby
            # ("post being re-banded; Nadia is on 8a").
            band = _current_band(text, m.end())
        add(band, m.start(), m.end())
    for m in _BARE_RANGE.finditer(text):
        add(_current_band(text, m.end()), m.start(), m.end())
    for m in _B_SHORT.finditer(text):
        add(_canonical(m.group("num"), m.group("letter")), m.start(), m.end())
    for m in _BARE.finditer(text):
        num = m.group("num") or m.group("num2") or m.group("num3") or m.group("num4")
        letter = (
            m.group("letter") or m.group("letter2") or m.group("letter3") or m.group("letter4")
        )
        add(_canonical(num, letter), m.start(), m.end())
    for m in _VSM.finditer(text):
        add("VSM", m.start(), m.end())
    found.sort(key=lambda b: b.start)
    return found


_VALUE_BARE = re.compile(
    r"^\s*(?P<num>[2-9])\s*(?P<letter>\(?\s*[a-dA-D]\s*\)?)?\s*(?:\(.*\)|equivalent|pro\s*rata)?\s*$",
    re.IGNORECASE,
)


_VALUE_RANGE = re.compile(r"^\s*8\s?[a-dA-D]\s*(?:[/–—-]|to)\s*(?:8\s?)?[a-dA-D]\b")


def normalise_band_value(value: str) -> BandMatch | None:
    """Read the value of a band label ("Pay band: 8b", "Grade: Band 8a (pro rata)").

    Returns a match with offsets into ``value``, or None when the value names no band (e.g.
    "Consultant", "medical pay scale", "not on AfC"); callers keep the raw text anyway.
    """
    found = find_bands(value)
    if found:
        return found[0]
    rng = _VALUE_RANGE.match(value)
    if rng:
        # "8a/8b (currently 8b while the post is re-banded)".
        band = _current_band(value, rng.end())
        return BandMatch(band, rng.group(0).strip(), rng.start(), rng.end())
    m = _VALUE_BARE.match(value)
    if m:
        letter = m.group("letter")
        return BandMatch(_canonical(m.group("num"), letter), value.strip(), m.start(), m.end())
    return None
