"""Labelled fields: "Name: …", "Email address - …", "Tel | …", table rows and label-only lines.

A line is a labelled field when the text before its separator (``:``, `` | ``, a tab, or a
spaced dash) is made only of words from the label vocabulary below, and those words name a
field. This whitelist is what keeps "Please note: …" or "Apologies – …" from being read as
labels. The label also says whose field it is: "Outgoing PSS email", "Name of PSS being
replaced" → the replaced person; "New PSS name", "Nominee" → the nominee.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsing.extract.textutil import fold
from parsing.vocabulary import SHORT_ROLE_LABEL

__all__ = ["Field", "LabelledLine", "Role", "parse_label", "split_cells"]


class Field:
    """Field kinds a label can name (plain strings, compared by value)."""

    NAME = "name"
    EMAIL = "email"
    PHONE = "phone"
    CONTACT = "contact"  # "Contact details: a@b, 0113 …": an email and/or a phone.
    JOB_TITLE = "job_title"
    BAND = "pay_band"
    TITLE_AND_BAND = "title_and_band"
    ORGANISATION = "organisation"
    TYPE = "nomination_type"
    GUIDANCE = "guidance"
    HEADING = "heading"  # A role heading with no field: "New PSS details", "Outgoing PSS".
    IGNORED = "ignored"  # Known but not read: start date, ODS code, address, line manager.


class Role:
    """Whose field it is, as the label tells."""

    NOMINEE = "nominee"
    REPLACED = "replaced"
    INCUMBENT = "incumbent"  # "Current PSS": replaced in a replacement, else an existing PSS.


@dataclass(frozen=True, slots=True)
class LabelledLine:
    """A parsed labelled line: ``field`` (a :class:`Field` value), ``role`` (a :class:`Role`
    value or None), ``label`` and ``value`` as written (``value`` is ``""`` for a label-only
    line such as "Email" in a one-cell-per-line table)."""

    field: str
    role: str | None
    label: str
    value: str


# Words allowed in a label. Anything else means the text before the separator is not a label.
_VOCAB = set(
    """
name names full first forename forenames given surname last family preferred known
email e-mail mail address addresses addy nhsmail nhs net nhs.net work
tel telephone phone mobile mob number numbers no contact contacts landline direct dial dd
line ext extension switchboard details detail m t e p w
job title titles role position post designation current substantive present grade band
bands pay banding afc agenda for change salary scale level and or of the a an his her their
organisation organization trust icb provider employer body organisation/trust trust/icb
type nomination nominations nominee nominees nominated proposed new incoming successor
replacement replacing replaced replaces being to be outgoing previous former departing
leaving retiring stepping down existing incumbent person individual pss psss patient safety
predecessor
specialist specialists
identified guidance document considered confirmation confirmed confirm identifying
has have been is this additional first start date effective from ods code site base
department directorate service hours wte line manager reports whole time equivalent
please state yes/no y/n who whom
""".split()
)

_ROLE_REPLACED = re.compile(
    r"\b(?:being\s+replaced|to\s+be\s+replaced|replaced|replacing|replaces|outgoing|previous|"
    r"former|departing|leaving|retiring|stepping\s+down|predecessor)\b"
)
_ROLE_INCUMBENT = re.compile(r"\b(?:current|existing|incumbent)\s+(?:pss|patient\s+safety)")
_ROLE_NOMINEE = re.compile(
    r"\b(?:new|nominee|nominees|nominated|proposed|incoming|successor|replacement|additional|"
    r"identified)\b"
)


def _field_of(words: str) -> str | None:
    """The field a label's folded words name, or None."""
    w = words
    # "Is this the first PSS, a replacement or an additional PSS?": the choice names the field.
    kinds = {k for k in ("first", "replac", "additional") if re.search(rf"\b{k}", w)}
    if len(kinds) >= 2 and not re.search(r"\b(?:name|email|tel|telephone|phone)\b", w):
        return Field.TYPE
    if re.search(
        r"\b(?:nomination\s+type|type\s+of\s+nomination|type|first\s*,?\s*replacement|"
        r"replacement\s+or\s+additional)\b|^nomination$",
        w,
    ) and not re.search(r"\bname\b", w):
        return Field.TYPE
    if re.search(r"\b(?:guidance|identifying|document|considered|confirmation)\b", w):
        return Field.GUIDANCE
    has_title = bool(re.search(r"\b(?:job\s+title|title|role|position|post|designation)\b", w))
    has_band = bool(
        re.search(
            r"\b(?:band|bands|banding|grade|afc|agenda\s+for\s+change|"
            r"pay|salary)\b",
            w,
        )
    )
    if has_title and has_band:
        return Field.TITLE_AND_BAND
    if re.search(r"\b(?:e-?mail|nhsmail|nhs\.net|e)\b", w) and not re.search(
        r"\b(?:tel|telephone|phone|mobile|number)\b", w
    ):
        return Field.EMAIL
    if re.search(
        r"\b(?:tel|telephone|phone|mobile|mob|landline|direct\s+dial|dd|m|t|p|w|"
        r"switchboard|(?:contact|work)\s+(?:no|number|numbers))\b",
        w,
    ):
        return Field.PHONE
    if re.search(r"\bcontact(?:s)?(?:\s+details?)?\b|\bdetails\b", w) and not re.search(
        r"\bname\b", w
    ):
        return Field.CONTACT
    if has_band:
        return Field.BAND
    if re.search(r"\b(?:name|names|forename|surname)\b", w):
        return Field.NAME
    if has_title:
        return Field.JOB_TITLE
    if re.search(r"\b(?:organisation|organization|trust|icb|provider|employer)\b", w):
        return Field.ORGANISATION
    if re.search(
        r"\b(?:start|effective|date|ods|code|site|base|department|directorate|"
        r"hours|wte|line\s+manager|manager\s+name|reports|address)\b",
        w,
    ):
        return Field.IGNORED
    # A bare role phrase as label names the person: "New PSS: Priya Shah", "Replacing: Jo".
    if re.search(
        r"\b(?:pss|specialist|specialists|nominee|nominees|replacing|replaced|"
        r"replacement|successor|person|individual)\b",
        w,
    ) or SHORT_ROLE_LABEL.search(w):
        # A bare role word: "--- INCOMING ---", "Outgoing", "New: Name, Title, 8b".
        return Field.NAME
    return None


def _role_of(words: str) -> str | None:
    """The role a label's folded words give, or None."""
    if _ROLE_INCUMBENT.search(words) and not re.search(r"\bjob\s+title|\brole\b", words):
        return Role.INCUMBENT
    if _ROLE_REPLACED.search(words):
        return Role.REPLACED
    if _ROLE_NOMINEE.search(words):
        return Role.NOMINEE
    return None


def classify_label(label: str) -> tuple[str, str | None] | None:
    """``(field, role)`` for a label text ("Outgoing PSS email address"), or None when the
    text is not made only of label words or names no field."""
    text = fold(label).strip().strip("*:-–—|#=_ ").strip()
    # "OUTGOING (leaves 31/05/2025)": a dated aside is not part of the label.
    text = re.sub(r"\([^()]*\d[^()]*\)", " ", text)
    text = re.sub(r"[()\[\]?'\".]", " ", text)
    text = re.sub(r"\s*/\s*", " / ", text)
    # "Patient Safety Specialist (Band 7)" is a title with its band, not a label.
    if re.search(r"\b(?:band|afc)\s+\d", text):
        return None
    # "Nominee 1", "PSS (2)", "#1": numbers only count people.
    tokens = [t for t in re.split(r"[\s,&/]+", text) if t and not re.fullmatch(r"#?\d{1,2}", t)]
    if not tokens or len(tokens) > 12:
        return None
    if any(t not in _VOCAB for t in tokens):
        return None
    words = " ".join(tokens)
    field = _field_of(words)
    if field is None:
        return None
    role = _role_of(words)
    # "Current job title" is the nominee's title, not a current PSS.
    if field in (Field.JOB_TITLE, Field.BAND, Field.TITLE_AND_BAND) and role == Role.INCUMBENT:
        role = None
    if field == Field.NAME and re.fullmatch(
        r"(?:(?:new|nominated|proposed|incoming)\s+)?(?:pss|patient\s+safety\s+specialists?|"
        r"nominee|nominees)(?:\s+details)?",
        words,
    ):
        role = Role.NOMINEE
    if (
        field in (Field.NAME, Field.CONTACT)
        and re.search(r"\bdetails?\b", words)
        and not (re.search(r"\b(?:name|contact)", words))
    ):
        field = Field.HEADING
    return field, role


def split_cells(line: str) -> list[str] | None:
    """Cells of a table row written with pipes or tabs ("| Name | Priya Shah |",
    "Email\\tpriya@nhs.net"), or None when the line is not a row."""
    s = line.strip()
    if "|" in s and not re.search(r"\|\|", s):
        cells = [c.strip() for c in s.strip("|").split("|")]
        if len(cells) >= 2:
            return cells
    if "\t" in s:
        cells = [c.strip() for c in s.split("\t") if c.strip()]
        if len(cells) >= 2:
            return cells
    return None


_SEPARATOR = re.compile(r"\s*(?::|\s[-–—=]\s|\t|\s\|\s|\|)\s*")


def parse_label(line: str) -> LabelledLine | None:
    """Read ``line`` (bullet already removed) as a labelled field.

    Forms: ``Label: value``, ``Label - value``, ``Label – value``, ``Label | value``,
    ``| Label | value |``, ``Label<TAB>value``, and a label alone (``Email:``, ``Outgoing
    PSS``) with ``value`` ``""``. Returns None for anything else.
    """
    s = line.strip()
    if not s:
        return None
    cells = split_cells(s)
    if cells is not None and len(cells) == 2:
        got = classify_label(cells[0])
        if got:
            return LabelledLine(got[0], got[1], cells[0], cells[1])
        return None
    if cells is not None:
        return None
    for m in _SEPARATOR.finditer(s):
        label = s[: m.start()]
        if not label or len(label) > 70:
            break
        got = classify_label(label)
        if got:
            return LabelledLine(got[0], got[1], label.strip(), s[m.end() :].strip())
        # Only the first separator can end a label ("Name: Priya – Head of …").
        break
    # A label alone on its line (one table cell per line, or a heading).
    bare = s.rstrip(":").strip()
    if len(bare) <= 60:
        got = classify_label(bare)
        if got and (s.endswith(":") or got[0] != Field.NAME or _looks_like_heading(bare)):
            return LabelledLine(got[0], got[1], bare, "")
    return None


def _looks_like_heading(text: str) -> bool:
    """True for a bare role phrase usable as a heading ("New Patient Safety Specialist",
    "PSS being replaced") rather than a stray word."""
    return bool(
        re.search(
            r"(?i)\b(?:pss|patient\s+safety\s+specialist|nominee|replac|outgoing|incoming|"
            r"departing|successor|predecessor|previous|name)\w*",
            text,
        )
    )
