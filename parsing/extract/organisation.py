"""The nominating organisation: labels, organisation-shaped names, NHSmail display names.

Order of reliability (DOMAIN.md section 4): an explicit label ("Organisation: …", "Trust: …")
in the text; an organisation name written in the body or the sender's signature (a run of
capitalised words ending "NHS Foundation Trust", "NHS Trust", "Integrated Care Board", "ICB",
"Hospice", "Health Board", …); failing those, the bracket of the NHSmail display name
("OSEI, Margaret (NHS WESSEX VALE ICB)"), as written. When several places name the same
organisation, the fullest written form wins: "NHS Wessex Vale Integrated Care Board" from the
body or signature is preferred to "NHS Wessex Vale ICB" in the subject or display name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsing.extract.textutil import fold

__all__ = [
    "OrgCandidate",
    "choose_organisation",
    "display_name_organisation",
    "find_organisations",
    "org_key",
]

# Words an organisation name may end with (longest first so "NHS Foundation Trust" wins).
_SUFFIXES = [
    r"NHS\s+Foundation\s+Trust",
    r"Foundation\s+Trust",
    r"NHS\s+Trust",
    r"Integrated\s+Care\s+Board",
    r"ICB",
    r"Hospice(?:\s+Care)?",
    r"Health\s+Board",
    r"University\s+Health\s+Board",
    r"Care\s+Trust",
    r"Health\s+and\s+Social\s+Care\s+Trust",
    r"Community\s+Interest\s+Company",
    r"CIC",
    r"Healthcare(?:\s+(?:Ltd|Limited|LLP|plc))?",
    r"Health\s*Care\s+(?:Ltd|Limited)",
    r"Hospitals?(?:\s+(?:Ltd|Limited|Group|Trust))?",
    r"Ltd",
    r"Limited",
    r"LLP",
    r"plc",
    r"Partnership\s+(?:NHS\s+)?(?:Foundation\s+)?Trust",
    r"Ambulance\s+Service(?:\s+NHS\s+Trust)?",
    r"Clinical\s+Commissioning\s+Group",
    r"CCG",
    r"Health\s+Services?",
    r"Medical\s+Practice",
    r"Surgery",
    r"Health\s+Centre",
    r"GP\s+Federation",
    r"Primary\s+Care\s+Network",
    r"NHS\s+England",
    r"Trust",
    # Arm's length bodies ("UK Health Security Agency", "Health Research Authority").
    r"Agency",
    r"Authority",
    r"Commission",
]
_SUFFIX_RE = "(?:" + "|".join(_SUFFIXES) + ")"
# A capitalised word (letters, apostrophes, hyphens, ampersand) or a lower-case joining word.
# Atomic and unambiguous, so the pattern is linear: a word can match one way only ("PSS" once
# matched both [A-Z][\w'’-]* and [A-Z]{2,}: 2^8 ways per start, issue 11); "&" is a joining word.
_CAP = r"(?>[A-Z][\w'’\-]*+)"
_JOIN = r"(?:and|of|the|upon|on|in|for|&)"
# The name may end in a possessive: "Greystone Vale Mental Health NHS Trust's first PSS".
_ORG = re.compile(
    rf"(?<![\w'’-])((?:{_CAP}\s++(?:{_JOIN}\s++)*+){{0,8}}{_SUFFIX_RE})"
    r"(?:(?=['’]s\b)|(?![\w'’-]))"
)
# Leading words that are a person's role or a greeting, not part of the organisation's name.
_LEADING_NOISE = {
    "dear",
    "chief",
    "executive",
    "director",
    "directors",
    "deputy",
    "associate",
    "medical",
    "nursing",
    "nurse",
    "officer",
    "of",
    "and",
    "the",
    "for",
    "quality",
    "patient",
    "safety",
    "interim",
    "acting",
    "head",
    "lead",
    "manager",
    "on",
    "behalf",
    "at",
    "in",
    "from",
    "to",
    "with",
    "operating",
    "operations",
    "governance",
    "clinical",
    "experience",
    "i",
    "we",
    "our",
    "hello",
    "hi",
    # Sentence openers before a name ("As Wellmere … Trust does not have …").
    "as",
    "since",
    "because",
    "while",
    "whilst",
    "although",
    "when",
    "after",
    "following",
    "within",
    "across",
    "please",
    "both",
    "good",
    "morning",
    "afternoon",
    "re",
    "fw",
    "fwd",
    "subject",
    "nomination",
    "specialist",
    "specialists",
    "pss",
    "new",
    "first",
    "additional",
    "replacement",
    "kind",
    "regards",
    "best",
    "wishes",
    "thanks",
    "many",
    "yours",
    "sincerely",
    "chair",
    "care",
    "finance",
    "strategy",
    "secretary",
    "this",
    "that",
    "is",
    "by",
    "team",
    "national",
    "senior",
    "assistant",
    "responsible",
    "officer,",
    "email",
    "change",
    "identification",
    "letter",
    "update",
    "details",
    "notification",
}
# Noise words that also name a field of work (kept at the front of an arm's length body's name).
_SUBJECT_WORDS = {
    "medical", "clinical", "care", "quality", "patient", "safety", "nursing", "national",
    "governance", "experience", "finance", "strategy", "identification",
}
# Whole "names" that are only a generic noun ("the Trust", "our ICB").
_GENERIC = {
    "trust",
    "icb",
    "nhs trust",
    "the trust",
    "foundation trust",
    "hospital",
    "hospitals",
    "healthcare",
    "hospice",
    "ltd",
    "limited",
    "plc",
    "llp",
    "cic",
    "ccg",
    "surgery",
    "health services",
    "health service",
    "nhs england",
    "integrated care board",
}


@dataclass(frozen=True, slots=True)
class OrgCandidate:
    """An organisation name found somewhere: ``name`` as written, ``source`` a region name
    ("label", "body", "signature", "attachment", "display_name", "subject"), ``text`` the
    line it came from."""

    name: str
    source: str
    text: str


def _trim(name: str) -> str | None:
    """Strip role words and greetings from the front of a matched name; None if nothing
    distinctive remains."""
    words = name.split()
    noise = _LEADING_NOISE
    if re.search(r"(?:Agency|Authority|Commission)$", name):
        # Arm's length bodies are named by what they oversee: "Care Quality Commission",
        # "Medical Gases Assurance Agency" keep their leading words.
        noise = _LEADING_NOISE - _SUBJECT_WORDS
    while words and words[0].lower().strip(",") in noise and len(words) > 1:
        words = words[1:]
    # "NHS" is part of ICB names ("NHS Wessex Vale Integrated Care Board"): keep it.
    cleaned = " ".join(words).strip(" ,;:-–")
    if not cleaned or cleaned.lower() in _GENERIC:
        return None
    if re.match(rf"^(?:the\s+)?{_SUFFIX_RE}$", cleaned, re.IGNORECASE):
        return None
    return cleaned


def find_organisations(text: str) -> list[tuple[str, int, int]]:
    """Organisation names in ``text``: ``(name, start, end)`` for each run of capitalised words
    ending with an organisation suffix, role words at the front removed. One line at a time,
    so a signature's role line and organisation line are never joined."""
    out: list[tuple[str, int, int]] = []
    pos = 0
    for line in text.split("\n"):
        for m in _ORG.finditer(line):
            name = _trim(m.group(1))
            if name:
                off = m.group(1).rfind(name)
                start = pos + m.start(1) + max(off, 0)
                out.append((name, start, start + len(name)))
        pos += len(line) + 1
    return out


_LABEL = re.compile(
    r"^\s*(?:[-•*]\s*)?(?:name\s+of\s+(?:the\s+)?(?:organisation|organization|trust|icb)|"
    r"(?:nominating\s+)?(?:organisation|organization)(?:\s+name)?|trust(?:\s+name)?|icb(?:\s+name)?|"
    r"provider(?:\s+name)?|employer|organisation/trust|trust/icb)\s*(?:[:|\t]|\s[-–]\s)\s*(?P<v>.+?)\s*\|?\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def find_labelled_organisations(text: str) -> list[tuple[str, str]]:
    """``(value, line)`` for each "Organisation: …"-style labelled line in ``text``."""
    out: list[tuple[str, str]] = []
    for m in _LABEL.finditer(text):
        value = m.group("v").strip().strip(".")
        if value and not re.fullmatch(r"(?i)n/?a|none|tbc|-+", value) and len(value) <= 120:
            out.append((value, m.group(0).strip()))
    return out


def display_name_organisation(display_name: str) -> str | None:
    """The organisation in an NHSmail display name's trailing bracket, as written:
    ``"THOMPSON, Gary (WRENFIELD HOSPITALS NHS TRUST)"`` → ``"WRENFIELD HOSPITALS NHS TRUST"``.
    Brackets that hold no organisation word ("(She/Her)", "(Jo)") give None."""
    m = re.search(r"\(([^()]{3,})\)\s*$", display_name or "")
    if not m:
        return None
    inner = m.group(1).strip()
    if re.search(
        r"\b(?:NHS|TRUST|ICB|BOARD|HOSPICE|HOSPITALS?|HEALTH|CARE|COUNCIL|SERVICES?|"
        r"LTD|LIMITED|CCG|PARTNERSHIP|UNIVERSITY|FOUNDATION|PRACTICE|SURGERY)\b",
        inner,
        re.IGNORECASE,
    ):
        return inner
    return None


def org_key(name: str) -> str:
    """A comparison key: folded, "ICB" expanded, "the", "NHS" and punctuation dropped."""
    k = fold(name)
    k = re.sub(r"\bicb\b", "integrated care board", k)
    k = re.sub(r"\bccg\b", "clinical commissioning group", k)
    k = re.sub(r"\bft\b", "foundation trust", k)
    k = re.sub(r"&", " and ", k)
    k = re.sub(r"\b(?:the|nhs)\b", " ", k)
    return re.sub(r"[^a-z]+", " ", k).strip()


_WEIGHT = {
    "label": 6,
    "signature": 3,
    "body": 2,
    "attachment": 2,
    "forwarded": 2,
    "display_name": 1,
    "subject": 1,
}


def choose_organisation(candidates: list[OrgCandidate]) -> OrgCandidate | None:
    """Pick the organisation most places agree on, written in its fullest form.

    Candidates are grouped by :func:`org_key`; each group scores the sum of its sources'
    weights (label 6, signature 3, body/attachment 2, display name/subject 1). The best group
    is written as its longest mixed-case form from a label, body, signature or attachment;
    the display name's capitals are used only when nothing else names the organisation.
    """
    if not candidates:
        return None
    groups: dict[str, list[OrgCandidate]] = {}
    order: list[str] = []
    for c in candidates:
        key = org_key(c.name)
        if not key:
            continue
        # Fold a shorter key into a longer one that contains it ("wessex vale integrated care
        # board" within "nhs wessex vale integrated care board" after dropping "nhs").
        for existing in order:
            if key == existing or key in existing or existing in key:
                key = existing
                break
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(c)
    if not groups:
        return None

    def score(key: str) -> tuple[int, int]:
        return (sum(_WEIGHT.get(c.source, 1) for c in groups[key]), -order.index(key))

    best = max(order, key=score)
    members = groups[best]

    # The written form: a label's, else the body's or signature's, else the Subject's, else
    # the display name's; mixed case before capitals, then the longest.
    rank = {
        "label": 4,
        "body": 3,
        "signature": 3,
        "attachment": 3,
        "forwarded": 3,
        "subject": 2,
        "display_name": 1,
    }

    def form(c: OrgCandidate) -> tuple[int, int, int]:
        return (rank.get(c.source, 0), 0 if c.name.isupper() else 1, len(c.name))

    return max(members, key=form)
