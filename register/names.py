"""Organisation names: ODS capitals shown in proper case, and the keys names are matched by.

ODS publishes names in capitals ("NORTHSHIRE HOSPITALS NHS FOUNDATION TRUST"); pages and
replies show :func:`proper_case` ("Northshire Hospitals NHS Foundation Trust"). Matching
compares :func:`match_key` forms, where the usual abbreviations are spelt out ("NHS FT" →
"nhs foundation trust", "ICB" → "integrated care board", "MH" → "mental health", "&" →
"and"), so "Harbourside MH&W NHS FT" and the ODS name share a key when the words agree.
"""

from __future__ import annotations

import re

__all__ = ["core_key", "match_key", "proper_case"]

#: Words kept in capitals (acronyms in NHS organisation names).
_ACRONYMS = frozenset({"NHS", "ICB", "UK", "GP", "CIC", "LLP", "PLC", "CCG", "HQ", "NHSFT",
                       "II", "III", "IV"})
#: Short words written in lower case except at the start of a name.
_SMALL = frozenset({"and", "of", "the", "for", "in", "on", "at", "upon", "with", "by"})

#: Abbreviation → spelt out, applied to lower-case words (after "&" became "and").
_EXPANSIONS: dict[str, str] = {
    "ft": "foundation trust",
    "nhsft": "nhs foundation trust",
    "fdn": "foundation",
    "icb": "integrated care board",
    "mh": "mental health",
    "w": "wellbeing",
    "hosp": "hospital",
    "hosps": "hospitals",
    "univ": "university",
    "st": "saint",
    "amb": "ambulance",
    "comm": "community",
}
#: Words too generic to tell organisations apart ("Northshire Hospitals" names the trust).
_GENERIC = frozenset({"nhs", "foundation", "trust", "integrated", "care", "board", "the"})


def _proper_word(word: str, first: bool) -> str:
    if word.upper() in _ACRONYMS:
        return word.upper()
    lower = word.lower()
    if lower in _SMALL and not first:
        return lower
    # "ALDHELM'S" → "Aldhelm's", "HARTLEY-BROWN" → "Hartley-Brown", "O'NEILL" → "O'Neill".
    parts = re.split(r"([-'’])", lower)
    out = []
    for i, part in enumerate(parts):
        after_apostrophe = i > 0 and parts[i - 1] in "'’"
        if after_apostrophe and part in ("s", ""):
            out.append(part)
        else:
            out.append(part[:1].upper() + part[1:])
    return "".join(out)


def proper_case(name: str) -> str:
    """ODS capitals in proper case: ``"ST ALDHELM'S INDEPENDENT HOSPITAL"`` →
    ``"St Aldhelm's Independent Hospital"``; acronyms (NHS, ICB) stay capitals, small words
    (and, of) lower case. A name already in mixed case is returned as it is."""
    if any(c.islower() for c in name):
        return name
    words = name.split()
    return " ".join(_proper_word(w, i == 0) for i, w in enumerate(words))


def match_key(name: str) -> str:
    """The form names are compared in: lower case, "&" as "and", punctuation dropped,
    abbreviations spelt out, one space between words. ``"Harbourside MH&W NHS FT"`` →
    ``"harbourside mental health and wellbeing nhs foundation trust"``."""
    text = name.lower().replace("&", " and ").replace("’", "'")
    text = re.sub(r"'s\b", "s", text)
    words = re.findall(r"[a-z0-9]+", text)
    out: list[str] = []
    for word in words:
        out.extend(_EXPANSIONS.get(word, word).split())
    return " ".join(out)


def core_key(name: str) -> str:
    """:func:`match_key` without the generic words (NHS, Foundation Trust, Integrated Care
    Board): what tells one organisation from another. ``"NHS Wessex Vale ICB"`` →
    ``"wessex vale"``."""
    return " ".join(w for w in match_key(name).split() if w not in _GENERIC)
