"""Job titles: telling a title from a name or a phrase, and splitting "title, Band 8a" values.

A job title here is a run of capitalised words (with "of", "and", "for", "&" inside) that
contains a role word (Manager, Director, Head, Lead, Nurse, Officer, Consultant …; DOMAIN.md
section 3). The PSS designation itself ("Patient Safety Specialist") is not read as a job
title in prose, where "as our Patient Safety Specialist" names the role being given, not the
person's current post.
"""

from __future__ import annotations

import re

from parsing.extract.bands import BandMatch, find_bands, normalise_band_value
from parsing.extract.textutil import fold

__all__ = [
    "ROLE_WORDS",
    "TITLE_RUN",
    "clean_title",
    "is_designation",
    "looks_like_title",
    "split_title_band",
]

ROLE_WORDS = frozenset(
    """
manager director head lead leader officer specialist nurse matron consultant practitioner
advisor adviser partner coordinator co-ordinator midwife pharmacist physician doctor surgeon
analyst investigator facilitator chief clinician therapist psychologist administrator
champion fellow registrar sister governor deputy associate assistant executive engineer
scientist educator trainer controller chair secretary guardian paramedic psychiatrist
radiographer dietitian optometrist dentist gp superintendent commissioner reviewer auditor
""".split()
)

# A title run: capitalised words joined by a few lower-case words, ending on a capital word.
TITLE_RUN = (
    r"(?:[A-Z][\w'’&\-/]*|&)"
    # Never running on into the band: "Head of Learning at Band 8c".
    r"(?:\s+(?:(?:of|and|for|&|in|the|to|with|at|from(?=\s(?:Deaths|Experience|Incidents|"
    r"Events|Excellence)\b))\s+)*(?!(?i:band|afc|grade|agenda)\b)"
    # An acronym in brackets inside the title: "Patient Safety Incident Investigation (PSII) Lead".
    r"(?:[A-Z][\w'’&\-/]*|&)(?:\s\([A-Z][A-Za-z]{1,9}\)(?=\s+[A-Z]))?)*"
    # A specialty after a dash: "Lead Nurse – Patient Safety"; never a band ("– Band 7").
    r"(?:\s[–—-]\s(?!(?i:band|afc|agenda|vsm|grade|pay)\b)[A-Z][\w'’&\-/]*"
    r"(?:\s+(?:(?:of|and|for|&|in|the|to|with|at)\s+)*(?:[A-Z][\w'’&\-/]*|&))*)?"
    # A qualifier in brackets: "Patient Safety Lead (Maternity and Neonatal)"; never a band.
    r"(?:\s\((?![^)]{0,64}\b(?i:band|afc|grade|agenda|vsm|equivalent)\b)"
    r"[A-Z][A-Za-z&’' \-]{2,60}\))?"
)


def is_designation(title: str, *, in_record: bool = False) -> bool:
    """True when ``title`` is only the PSS designation ("Patient Safety Specialist", "PSS",
    "new PSS"), which in prose names the role being given rather than a current job.

    ``in_record``: the text is a line of a person's record (under their name, beside their
    contacts), where a plain "Patient Safety Specialist" is the post they hold; only a
    designation with "new", "first", "additional" and the like is still the role being given.
    """
    folded = fold(title).strip()
    if in_record:
        return bool(
            re.fullmatch(
                r"(?:(?:the|our|a|trust|icb)\s+)*(?:pss"
                r"|(?:new|first|additional|second|proposed|nominated|incoming)\s+"
                r"(?:(?:lead|trust|icb)\s+)?(?:pss|patient\s+safety\s+specialists?))",
                folded,
            )
        )
    return bool(
        re.fullmatch(
            r"(?:(?:the|our|a|new|first|additional|second|lead|trust|icb)\s+)*"
            r"(?:pss|patient\s+safety\s+specialists?)",
            folded,
        )
    )


def looks_like_title(text: str) -> bool:
    """True when ``text`` reads like a job title: short, mostly capitalised, with a role word."""
    t = text.strip().strip(",;:.-–")
    if not t or len(t) > 120 or "@" in t or re.search(r"\d{4}", t):
        return False
    words = re.findall(r"[^\W\d_][\w'’\-]*", t)
    if not words or len(words) > 16:
        return False
    folded = {fold(w) for w in words} | {fold(p) for w in words for p in w.split("-")}
    if not folded & ROLE_WORDS:
        return False
    lower = [
        w
        for w in words
        if w[0].islower()
        and fold(w) not in {"of", "and", "for", "in", "the", "to", "with", "at", "on", "&"}
    ]
    return len(lower) <= 1


def split_title_band(value: str) -> tuple[str | None, BandMatch | None]:
    """Split a value such as ``"Patient Safety and Risk Manager, Band 8a"``, ``"Head of
    Patient Safety (8b)"`` or ``"Head of Patient Safety / 8b"`` into title and band. Either
    part may be None.

    The band is removed from the text with the punctuation that joined it; what is left is the
    title as written. A bare band ("8b") counts only as the last piece after a separator.
    """
    bands = find_bands(value)
    band = bands[0] if bands else None
    title = value
    if band is not None:
        open_at = value.rfind("(", 0, band.start)
        close_at = value.find(")", band.end)
        if open_at >= 0 and ")" not in value[open_at : band.start] and close_at >= 0:
            # "Head of Patient Safety (8a/8b; she is on 8a)": the bracket is about the band.
            title = value[:open_at] + value[close_at + 1 :]
        else:
            title = value[: band.start] + value[band.end :]
    else:
        whole = normalise_band_value(value)
        if whole is not None and whole.band is not None:
            return None, whole
        pieces = re.split(r"\s*(?:,|/|\||;|\s[-–—]\s)\s*", value.strip())
        if len(pieces) >= 2:
            tail = normalise_band_value(pieces[-1])
            if tail is not None and tail.band is not None:
                cut = value.rstrip().rfind(pieces[-1])
                title = value[:cut]
                band = BandMatch(tail.band, pieces[-1].strip(), cut, cut + len(pieces[-1]))
    title = re.sub(r"\(\s*\)", "", title)
    title = re.sub(r"\s+", " ", title).strip().strip(",;:–—-/|(").strip()
    # "Head of Governance, 8b." leaves "Head of Governance, ." behind.
    title = re.sub(r"(?:\s*[,;–—/|-])+\s*\.?\s*$", "", title).strip()
    if not title or re.fullmatch(r"(?i)(?:agenda\s+for\s+change|afc|band|grade|pay\s+band)", title):
        return None, band
    return title, band


def clean_title(title: str) -> str:
    """Drop an organisation's possessive in front of a title read from prose ("the Trust's
    Head of Patient Safety" → "Head of Patient Safety") and trailing joining words."""
    title = re.sub(
        r"^(?:the\s+)?(?:Trust|ICB|Board|Organisation|Organization|Hospital|Hospice|Service|"
        r"Foundation\s+Trust)['’]s\s+",
        "",
        title.strip(),
    )
    return re.sub(r"\s+(?:and|of|for|in|the|to|with|at)$", "", title)
