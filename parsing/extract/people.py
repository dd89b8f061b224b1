"""Who is who: reading the nominees and the people they replace from the text of a message.

Three readers share one registry of people (:class:`Draft`), so the same person met in a
labelled block, a list and a sentence ends up as one:

1. **Labelled fields** ("Name: …", table rows "Email | …", one cell per line) grouped into
   records. A new name, or a field the current record already has, starts a new record; a
   label's own words ("Outgoing PSS email") or a heading ("Details of the person being
   replaced:") say whose record it is.
2. **Record blocks**: list items (bullets, numbers, Outlook's ``*``) and short unlabelled
   blocks or one-line records ("Priya Shah – Head of Patient Safety – priya@… – 07700 …")
   with a name and contact lines.
3. **Prose**, sentence by sentence: names (with honorific, two or more capitalised words, or
   a single word already known as someone's first name), pronouns and "I/me" (the sender).
   Verbs around a mention give its role ("X will replace Y", "Y is leaving", "identified X as
   our PSS", "my PA X", "alongside our current PSS X"); contacts, titles and bands go to the
   person named or pronoun-referenced nearest before them in the same sentence, an address
   first to the person its local part names.

The sender's signature, quoted history, disclaimers and forwarded header blocks are never
read; the sender and names from the signature (executive, PA) are never nominees, except when
the text says the sender is the PSS ("I am the new PSS").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from parsing.extract.bands import BandMatch, find_bands, normalise_band_value
from parsing.extract.emails import EmailMatch, find_emails, local_part_matches_name
from parsing.extract.labels import (
    Field,
    LabelledLine,
    Role,
    classify_label,
    parse_label,
    split_cells,
)
from parsing.extract.letterhead import organisation_block_lines
from parsing.extract.names import (
    NameMention,
    ParsedName,
    display_person_name,
    find_name_mentions,
    is_short_form,
    is_short_name_of,
    name_key,
    names_match,
    parse_name_value,
    split_honorific,
)
from parsing.extract.organisation import find_organisations
from parsing.extract.phones import PhoneMatch, find_phones, parse_phone
from parsing.extract.roles import DROP, Facts, decide
from parsing.extract.textutil import (
    Line,
    clean_text,
    disclaimer_lines,
    fold,
    is_signoff,
    lines_of,
    paragraphs_of,
    sentences_of,
    squash,
    strip_bullet,
)
from parsing.extract.titles import (
    TITLE_RUN,
    clean_title,
    is_designation,
    looks_like_title,
    split_title_band,
)
from parsing.model import CONTENT_NOT_READ
from parsing.vocabulary import CONTACT_CORRECTION, REPLACES_THE_LIST
from validation.models import Source

__all__ = ["Draft", "PeopleContext", "PeopleResult", "Region", "read_people", "readable_text"]

_MAX_PROV = 300
# Nominations are short. Longer texts are read only so far, and over-long "sentences" (a
# pasted spreadsheet, a hostile line) only in part, so the reading time stays bounded.
MAX_REGION_CHARS = 100_000
MAX_SENTENCE_CHARS = 1_500
MAX_PEOPLE = 60
_MAX_BLOCK_LINES = 8


def _prov_text(text: str) -> str:
    t = squash(text)
    return t if len(t) <= _MAX_PROV else t[: _MAX_PROV - 1] + "…"


@dataclass(frozen=True, slots=True)
class Region:
    """A piece of text to read and where it came from (``Source.BODY``, ``FORWARDED`` or
    ``ATTACHMENT``)."""

    text: str
    source: Source


@dataclass(frozen=True, slots=True)
class PeopleContext:
    """What the people reader needs to know about the message.

    ``sender_names``: the sender's name as written in From (and Sender), e.g. ``["Claire
    Pemberton"]``; ``sender_addrs``: their addresses, lower-case; ``signature_names``: names
    met in the signature region (the executive, a PA); ``follow_up``: True for a follow-up,
    where a lone contact with no name is the nominee's.
    """

    sender_names: tuple[str, ...] = ()
    sender_addrs: tuple[str, ...] = ()
    signature_names: tuple[str, ...] = ()
    follow_up: bool = False


@dataclass
class Draft:
    """A person being assembled. ``role`` is the role a label or heading gave; ``cues`` the
    roles prose suggested ("nominee", "replaced", "incumbent", "existing", "pa", "sender");
    ``origin`` is "label", "block" or "prose"; ``order`` the offset of the first mention
    (region index × 10⁶ + offset), used to keep people in the order written."""

    name: str | None = None
    honorific: str | None = None
    email: str | None = None
    phone: str | None = None
    extension: str | None = None
    other_phones: list[str] = field(default_factory=list)
    job_title: str | None = None
    band: str | None = None
    band_raw: str | None = None
    role: str | None = None
    cues: list[str] = field(default_factory=list)
    gender: str | None = None
    origin: str = "prose"
    order: int = 0
    provenance: dict[str, tuple[Source, str]] = field(default_factory=dict)
    is_sender: bool = False
    in_pss_sentence: bool = False
    phone_preferred: bool = False
    decided_by: str = ""
    """The row of :data:`parsing.extract.roles.ROWS` (or the group fallback) that decided."""
    phone_texts: dict[str, str] = field(default_factory=dict)
    """Each number (E.164) → the text it was read from, for the candidates of an ambiguity."""
    attached: dict[str, str] = field(default_factory=dict)
    """Field → why a value was given to this person by a fallback (not read beside them)."""

    def set(self, key: str, value: str | None, source: Source, text: str) -> bool:
        """Set field ``key`` to ``value`` unless it is already set (the first value written
        wins within one message; corrections across messages are the merge's business);
        record where it came from. Returns True when the value was stored."""
        if value is None or value == "":
            return False
        if getattr(self, key) is not None:
            return False
        setattr(self, key, value)
        prov_key = {"band": "pay_band", "band_raw": "pay_band"}.get(key, key)
        if key != "band_raw" or "pay_band" not in self.provenance:
            self.provenance[prov_key] = (source, _prov_text(text))
        return True

    def set_name(self, name: str, honorific: str | None, source: Source, text: str) -> None:
        """Set or improve the name: a longer form of the same name replaces a shorter one
        ("Zoë" → "Zoë Hartley-Brown")."""
        if self.name is None or (
            names_match(self.name, name) and len(name_key(name)) > len(name_key(self.name))
        ):
            self.name = name
            self.provenance["name"] = (source, _prov_text(text))
        if honorific and not self.honorific:
            self.honorific = honorific

    def add_phone(
        self, pm: PhoneMatch, source: Source, text: str, *, preferred: bool = False
    ) -> None:
        """Store a number as the phone, or as another number when one is already set; a number
        the text prefers ("but please use his mobile, …") becomes the phone instead."""
        self.phone_texts.setdefault(pm.e164, _prov_text(text))
        if self.phone is None:
            self.set("phone", pm.e164, source, text)
            self.extension = pm.extension
        elif preferred and pm.e164 != self.phone and not self.phone_preferred:
            self.other_phones.insert(0, self.phone)
            if pm.e164 in self.other_phones:
                self.other_phones.remove(pm.e164)
            self.phone, self.extension = pm.e164, pm.extension
            self.provenance["phone"] = (source, _prov_text(text))
        elif pm.e164 != self.phone and pm.e164 not in self.other_phones:
            self.other_phones.append(pm.e164)
        self.phone_preferred = self.phone_preferred or (preferred and self.phone == pm.e164)

    def store(
        self,
        emails: list[EmailMatch],
        phones: list[PhoneMatch],
        title: str | None,
        band: BandMatch | None,
        band_raw: str | None,
        source: Source,
        text: str,
    ) -> None:
        """Store what one record (a block of lines) gave: its first address, every number,
        the title and the band."""
        if emails:
            self.set("email", emails[0].addr, source, text)
        for pm in phones:
            self.add_phone(pm, source, text)
        if title:
            self.set("job_title", title, source, text)
        if band is not None and band_raw is not None:
            self.set_band(band, band_raw, source, text)

    def set_band(self, band: BandMatch, raw: str, source: Source, text: str) -> None:
        """Store a pay band (canonical) and its text as written."""
        if self.band_raw is not None:
            return
        self.band_raw = raw.strip()
        self.band = band.band
        self.provenance["pay_band"] = (source, _prov_text(text))

    @property
    def has_details(self) -> bool:
        """True when some contact, title or band is known."""
        return any((self.email, self.phone, self.job_title, self.band_raw))


@dataclass
class PeopleResult:
    """The people read: ``nominees`` and ``replaced`` in the order written; ``sender_is_nominee``
    when the text says the sender is the PSS; ``notes`` for the reviewer."""

    nominees: list[Draft]
    replaced: list[Draft]
    sender_is_nominee: bool = False
    notes: list[str] = field(default_factory=list)
    sender_details: Draft | None = None
    """When the sender is the nominee: what they said of themselves ("my mobile is …", "I am
    the Trust's Patient Safety Lead (Band 7)")."""
    undecided: list[Draft] = field(default_factory=list)
    """People named in prose with a contact whose role no row decided."""
    decisions: list[tuple[str, str, str]] = field(default_factory=list)
    """(name, row, verdict) for everyone the role rows looked at, for the trace."""


# --------------------------------------------------------------------------------------------
# Regions: lines not to read
# --------------------------------------------------------------------------------------------

_HEADER_LINE = re.compile(
    r"^\s*(?:from|sent|to|cc|bcc|subject|date|reply-to|importance)\s*:", re.IGNORECASE
)
_GREETING = re.compile(
    r"^\s*(?:dear|hi|hello|good\s+(?:morning|afternoon|evening)|greetings|"
    r"to\s+whom\s+it\s+may\s+concern)\b[^.!?]{0,60}[,!:]?\s*$",
    re.IGNORECASE,
)
_CLIENT_FOOTER = re.compile(
    r"^\s*(?:sent\s+from\s+my|get\s+outlook\s+for|sent\s+from\s+outlook|"
    r"sent\s+via|download\s+outlook)\b",
    re.IGNORECASE,
)


_FORWARD_MARKER = re.compile(
    r"^\s*(?:-{2,}\s*forwarded\s+message\s*-{2,}|begin\s+forwarded\s+message:?|"
    r"-+\s*forwarded\s+by\b.*)\s*$",
    re.IGNORECASE,
)
_HISTORY_MARKER = re.compile(
    r"^\s*(?:-{2,}\s*original\s+message\s*-{2,}|on\s.{4,200}\swrote:|_{10,})\s*$", re.IGNORECASE
)
_FROM_HEADER = re.compile(r"^\s*from\s*:\s*(?P<v>.+?)\s*$", re.IGNORECASE)


def _header_block_end(lines: list[Line], i: int) -> int:
    """The index after a block of two or more header lines starting at ``i`` (with a From:),
    or ``i`` when there is no such block."""
    j = i
    has_from = False
    while j < len(lines) and lines[j].text.strip() and _HEADER_LINE.match(lines[j].text):
        has_from = has_from or bool(_FROM_HEADER.match(lines[j].text))
        j += 1
    return j if j - i >= 2 and has_from else i


def _header_names(lines: list[Line], i: int, j: int) -> list[str]:
    """Names in the From: lines of a header block (the forwarded message's author)."""
    out: list[str] = []
    for ln in lines[i:j]:
        m = _FROM_HEADER.match(ln.text)
        if m:
            name = display_person_name(m.group("v").split("<")[0])
            if name is not None:
                out.append(name)
    return out


def _readable_lines(
    text: str,
    ctx: PeopleContext,
    source: Source = Source.BODY,
    header_names: list[str] | None = None,
    nominee: Callable[[str], bool] = lambda _name: False,
) -> list[Line]:
    """The lines of ``text`` that may name people: without disclaimers, header blocks of
    forwarded messages, quoted history left in by mistake ("-----Original Message-----",
    "On … wrote:", an Outlook From:/Sent: block, ``>`` lines), greetings, sign-off blocks and
    the sender's own signature. Skipped lines are replaced by blank lines so paragraph
    structure is kept. The names in forwarded From: lines are added to ``header_names``; a
    forwarded message's author signs it too, so their name alone on a line starts a signature
    block, unless ``nominee(name)`` says the sender's text names them as the nominee."""
    lines = lines_of(text)
    skip = [False] * len(lines)
    for k in disclaimer_lines(lines):
        skip[k] = True
    i = 0
    n = len(lines)
    sender_keys = [name_key(s) for s in ctx.sender_names if s]
    first_text = next((k for k, ln in enumerate(lines) if ln.text.strip()), 0)
    while i < n:
        t = lines[i].text
        if _HISTORY_MARKER.match(t):
            # Everything below is earlier correspondence.
            for k in range(i, n):
                skip[k] = True
            break
        if t.lstrip().startswith(">"):
            skip[i] = True
            i += 1
            continue
        if _FORWARD_MARKER.match(t) or _CLIENT_FOOTER.match(t):
            skip[i] = True
            j = _header_block_end(lines, i + 1)
            if header_names is not None:
                header_names.extend(_header_names(lines, i + 1, j))
            for k in range(i + 1, j):
                skip[k] = True
            i = max(j, i + 1)
            continue
        if _HEADER_LINE.match(t) and (i == 0 or not lines[i - 1].text.strip() or skip[i - 1]):
            j = _header_block_end(lines, i)
            if j > i:
                if source == Source.FORWARDED and i == first_text:
                    # The forwarded message's own header: its text follows.
                    if header_names is not None:
                        header_names.extend(_header_names(lines, i, j))
                    for k in range(i, j):
                        skip[k] = True
                    i = j
                    continue
                # An Outlook "From:/Sent:/To:/Subject:" block: quoted history from here on.
                for k in range(i, n):
                    skip[k] = True
                break
        if _GREETING.match(t):
            skip[i] = True
        elif is_signoff(t):
            # The sign-off and the signature block after it (to the next blank line that
            # follows some text), e.g. "Kind regards,\n\nElaine Robson\nChief Nursing Officer".
            skip[i] = True
            j = i + 1
            seen = False
            while j < n:
                if lines[j].text.strip():
                    seen = True
                    if _structured_line(lines[j].text):
                        break
                    skip[j] = True
                elif seen:
                    break
                j += 1
            i = j
            continue
        else:
            # The sender's name alone on a line starts their signature block.
            bare = re.sub(r"[*_|].*$", "", t).strip().strip(",")
            parsed = parse_name_value(bare) if bare and len(bare) < 60 else None
            signers = sender_keys + [
                name_key(a) for a in header_names or () if name_key(a) and not nominee(a)
            ]
            if (
                parsed
                and signers
                and any(_same_person(parsed.name, key) for key in signers)
                and not parsed.rest
                and not _introduces_own_details(lines, i)
            ):
                j = i
                while j < n and lines[j].text.strip() and not _structured_line(lines[j].text):
                    skip[j] = True
                    j += 1
                i = max(j, i + 1)
                continue
            # A first name alone under the text ("Claire", "Gary") is the sign-off name.
            if (
                re.fullmatch(r"[^\W\d_][\w'’\-]*", t.strip())
                and sender_keys
                and any(fold(t.strip()) == key[0] for key in sender_keys if key)
            ):
                skip[i] = True
        i += 1
    return [Line("" if skip[k] else ln.text, ln.start, ln.index) for k, ln in enumerate(lines)]


def _same_person(name: str, key: tuple[str, ...]) -> bool:
    k = name_key(name)
    if not k or not key:
        return False
    return k == key or (len(k) >= 2 and len(key) >= 2 and k[0] == key[0] and k[-1] == key[-1])


def _structured_line(text: str) -> bool:
    """True for a labelled line that starts a person's record ("Name: …", "New PSS email: …"):
    such a line ends a sign-off block. Plain "Tel:"/"Email:" lines do not, as signatures
    have them too."""
    body, _ = strip_bullet(text)
    lab = parse_label(body)
    if lab is None or not lab.value:
        return False
    if lab.field == Field.NAME:
        return True
    person_fields = (
        Field.EMAIL,
        Field.PHONE,
        Field.JOB_TITLE,
        Field.BAND,
        Field.TITLE_AND_BAND,
        Field.CONTACT,
    )
    return lab.field in person_fields and lab.role is not None


# --------------------------------------------------------------------------------------------
# The reader
# --------------------------------------------------------------------------------------------

_PRONOUNS = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
    "they": None,
    "them": None,
    "their": None,
    "theirs": None,
}
_PRONOUN_RE = re.compile(r"\b(he|him|his|she|her|hers|they|them|their)\b", re.IGNORECASE)
_FIRST_PERSON_RE = re.compile(r"\b(I|[Mm]e|[Mm]y|[Mm]yself)\b")

_PSS = r"(?:PSS|PSSs|Patient\s+Safety\s+Specialists?|specialist)"
_ADJ = (
    r"(?:new|first|additional|second|incoming|replacement|proposed|nominated|designated|named|next)"
)
# Text just before a mention that makes it the nominee.
_NOMINEE_BEFORE = re.compile(
    r"(?:\b(?:identif(?:y|ied|ying)|nominat(?:e|ed|ing)|appoint(?:ed|ing)?|put(?:ting)?\s+forward|"
    r"propos(?:e|ed|ing)|introduc(?:e|ed|ing)|recommend(?:ed|ing)?|select(?:ed|ing)?|chos(?:e|en)|"
    r"welcom(?:e|ed|ing)|designat(?:e|ed|ing)|nam(?:e|ed|ing)|register(?:ed|ing)?|confirm(?:ed|ing)?"
    r"(?:\s+that)?|replaced\s+by|succeeded\s+by|handing\s+over\s+to|hand\s+over\s+to|"
    r"nomination\s+(?:of|is)|nominations\s+(?:of|are)|"
    r"to\s+be\s+replaced\s+by|(?:be\s+)?joined\s+by)"
    rf"|\b{_ADJ}\s+{_PSS}\s*(?:is|will\s+be|shall\s+be|would\s+be|,|:|-|–)?"
    rf"|\b(?:successor|replacement|nominee)\s*(?:is|will\s+be|,|:|-|–)?"
    # "Our proposal is Sister X", "our preferred candidate would be Dr Y".
    r"|\b(?:proposal|proposed\s+(?:candidate|nominee|successor)|choice|(?:preferred\s+)?candidate|"
    r"recommendation)\s+(?:is|would\s+be|will\s+be)"
    rf"|\bour\s+{_PSS}\s+(?:is|will\s+(?:now\s+)?be|shall\s+be)(?:\s+now)?"
    r"|\b(?:number|phone|mobile|e-?mail|address|details|contact\s+details)\s+(?:for|of)"
    r"|\b(?:replaced|succeeded)\s+by\s+(?:[\w'’-]+\s+){0,4}?,?"
    rf"|\bthe\s+{_PSS}\s+(?:will\s+be|is\s+now|is\s+to\s+be)"
    r")\s*(?:the\s+)?$",
    re.IGNORECASE,
)
# Text just after a mention that makes it the nominee.
_NOMINEE_VERB = (
    r"(?:replac(?:e|es|ing)|succeed(?:s|ing)?|tak(?:e|es|ing)\s+over|tak(?:e|es|ing)\s+on|"
    r"step(?:s|ping)?\s+(?:in|into)|assum(?:e|es|ing)|tak(?:e|es|ing)\s+up|becom(?:e|es|ing)|"
    r"join(?:s|ing)?\s+(?:us|the)|act(?:s|ing)?\s+as)\b"
)
# An aside between commas ("X, our Head of Risk, will replace …"); never one that speaks of
# the writer ("Dr X, has asked me to register myself, replacing …": X is not the subject).
_ASIDE = r"(?:\s*,(?:(?!\b(?:I|me|my|myself|asked)\b)[^,]){0,%d},)?"
_NOMINEE_AFTER = re.compile(
    r"^(?:\s*\([^)]*\))?" + _ASIDE % 100 + r"\s*[,–—]?\s*(?:who\s+)?(?:"
    # "will replace", "is going to take over", "will be our new PSS", "has agreed to take on".
    r"(?:will|shall|would|is\s+going\s+to|is\s+to|has\s+agreed\s+to|have\s+agreed\s+to|"
    r"is\s+due\s+to|has\s+been\s+asked\s+to)\s+(?:(?:now|also|formally|officially|kindly)\s+)*"
    rf"(?:{_NOMINEE_VERB}|be\s+(?:taking\s+(?:over|on|up)|joining|replacing|succeeding|"
    rf"(?:our|the|an?|its)\s+(?:\w+['’]s\s+)?(?:{_ADJ}\s+)?{_PSS}\b))"
    # "replaces", "is replacing", "is taking over", "(we would like X) to replace him".
    rf"|(?:is\s+|are\s+)?{_NOMINEE_VERB}|to\s+(?:replace|succeed)\b"
    # "is our new PSS" (a plain "is our PSS" may be the one in post).
    rf"|(?:is|are)\s+(?:now\s+)?(?:our|the|an?)\s+{_ADJ}\s+{_PSS}\b"
    # "(I would like her) to be identified as an additional PSS".
    r"|to\s+be\s+(?:formally\s+)?(?:identified|nominated|registered|appointed|named|added|"
    r"recorded|put\s+forward)\s+(?:as|to)\b"
    # "(ask that X) is registered as our PSS", "(X) be added as".
    r"|(?:is|be|being)\s+(?:formally\s+)?(?:registered|recorded|added|listed|entered)\s+as\b"
    # "has been appointed as", "was nominated to".
    r"|(?:has|have|had)\s+(?:now\s+)?been\s+(?:formally\s+)?(?:identified|nominated|appointed|"
    r"selected|chosen|confirmed|designated|named|put\s+forward|registered|agreed)\s+(?:as|to|for)\b"
    # "(our nomination of X) for the role of PSS".
    rf"|for\s+the\s+(?:role|post|position)\s+of\s+(?:(?:the|our|a)\s+)?(?:{_ADJ}\s+)?{_PSS}\b"
    # "(identified X) as our PSS", "(nominate X) as the Trust's first PSS".
    rf"|as\s+(?:(?:our|the|an?|its|their)\s+)?(?:[\w'’]+['’]s\s+)?(?:\w+\s+)?(?:{_ADJ}\s+)?{_PSS}\b"
    r")",
    re.IGNORECASE,
)
# Text just before a mention that makes it the person replaced.
_REPLACED_BEFORE = re.compile(
    r"(?:\b(?:replac(?:e|es|ing)|succeed(?:s|ing)?|tak(?:e|es|ing|en)\s+over\s+from|in\s+place\s+of|"
    r"instead\s+of|successor\s+to|replacement\s+for|replacing\s*:|tak(?:e|es|ing)\s+the\s+place\s+of|"
    r"(?:previous|outgoing|former|departing|retiring|leaving)\s+"
    + _PSS
    + r"\s*(?:is|was|,|:|-|–)?|"
    + _PSS
    + r"\s+(?:being\s+replaced|who\s+is\s+leaving)\s*(?:is|,|:|-|–)?|"
    r"(?:from|after)\s+(?:our\s+)?(?:outgoing|previous|former)\s+" + _PSS + r"\s*,?|"
    # "replacing our PSS Claire Dunn", "will replace the Trust's current PSS, Jo Bloggs".
    r"(?:replac(?:e|es|ing)|succeed(?:s|ing)?|tak(?:e|es|ing)\s+over\s+from)\s+(?:(?:our|the|its|"
    r"their|[\w'’]+['’]s)\s+)?(?:(?:current|existing|present|outgoing|long-standing)\s+)?"
    + _PSS
    + r"\s*,?)"
    r")\s*(?:the\s+)?$",
    re.IGNORECASE,
)
# "replacing A with B", "swap A for B", "change our PSS from A to B": the pair's first person is
# replaced, the second the nominee. Before the first person:
_SWAP_BEFORE = re.compile(
    r"\b(?:replac(?:e|es|ing)|swap(?:s|ping)?|switch(?:es|ing)?|substitut(?:e|es|ing)|"
    r"chang(?:e|es|ing)\s+(?:[\w'’]+\s+){0,3}?(?:PSS|Patient\s+Safety\s+Specialist)\s+from)"
    r"\s+(?:(?:our|the|its|their|[\w'’]+['’]s)\s+)?(?:(?:current|existing|present|outgoing)\s+)?"
    rf"(?:{_PSS}\s*,?\s*)?$",
    re.IGNORECASE,
)
# ... and between the two.
_SWAP_GAP = re.compile(r"^\s*(?:\([^)]*\)\s*)?,?\s*(?:with|by|for|to)\s*$", re.IGNORECASE)
# Text just after a mention that makes it the person replaced.
_REPLACED_AFTER = re.compile(
    # "Following Dr Lionel Fairweather's retirement, …".
    r"^['’]s\s+(?:recent\s+|planned\s+|forthcoming\s+)?(?:retirement|departure|resignation|"
    r"secondment|maternity\s+leave|move|promotion|leaving|stepping\s+down)\b|"
    r"^(?:\s*\([^)]*\))?" + _ASIDE % 140 + r"\s*,?\s*(?:who\s+)?"
    r"(?:(?:is|are|was|were|has|have|will|shall|had|has\s+now|is\s+now|will\s+soon)\s+)?"
    r"(?:(?:be|been|also|soon|shortly|both|all|each|now)\s+)*"
    r"(?:leaving|retiring|stepping\s+down|moving\s+on|moving\s+to|departing|relocating|"
    r"left|retired|stepped\s+down|moved|resigned|resigning|leave|retire|step\s+down|"
    r"leaves|retires|resigns|steps\s+down|moves\s+on|departs|"
    r"no\s+longer|replaced|succeeded|going\s+on\s+maternity|on\s+maternity|"
    r"handing\s+over|hand\s+over|(?:to\s+)?be\s+replaced)\b",
    re.IGNORECASE,
)
# Text around a mention that makes it the PSS currently in post.
_INCUMBENT_BEFORE = re.compile(
    rf"\b(?:current|existing|present|sitting)\s+{_PSS}\s*(?:is|,|:|-|–)?\s*$|"
    # "a single Patient Safety Specialist at present (Dr Kofi Mensah, …)".
    rf"\b{_PSS}\s+(?:at\s+present|currently|in\s+post|at\s+the\s+moment)\s*[(,:–-]?\s*$|"
    rf"\b(?:our|the|its|their|trust['’]s|icb['’]s)\s+(?:own\s+)?{_PSS}\s*,\s*$",
    re.IGNORECASE,
)
_INCUMBENT_AFTER = re.compile(
    rf"^\s*,?\s*(?:who\s+(?:is|has\s+been|was)|is|has\s+been)\s+(?:currently\s+)?(?:our|the)\s+"
    rf"(?:current\s+|existing\s+)?{_PSS}\b|^\s*,\s*(?:our|the)\s+(?:current|existing)\s+{_PSS}\b",
    re.IGNORECASE,
)
# Text around a mention that makes it a PSS who stays (not a nominee, not replaced).
_EXISTING_BEFORE = re.compile(
    r"\b(?:alongside|in\s+addition\s+to|as\s+well\s+as|together\s+with|join(?:s|ing)?|"
    r"work(?:s|ing)?\s+with|support(?:ed|ing)?\s+by|supporting)\s+"
    rf"(?:(?:our|the)\s+(?:current|existing|present)\s+(?:{_PSS}\s*)?,?\s*)?$",
    re.IGNORECASE,
)
_EXISTING_AFTER = re.compile(
    r"^(?:\s*\([^)]*\))?(?:\s*,[^,]{0,100},)?\s*(?:will\s+)?(?:remain|remains|continue|continues|stay|stays)\b"
    # "she stays on 8A in the new post" is about pay, not about staying in post.
    r"(?!\s+(?:on|at)\s+(?:band|afc|agenda|the\s+same|her|his|their|\d))",
    re.IGNORECASE,
)
# Said of a PSS who stays in post: never a nominee, never replaced.
_STAYS_AFTER = re.compile(
    r"^(?:\s*\([^)]*\))?(?:\s*,[^,]{0,100},)?\s*,?\s*(?:who\s+)?(?:will\s+)?"
    r"(?:remains?\s+(?:in\s+(?:post|(?:the|their|her|his)\s+role)|(?:our|the|a|an)\s+)"
    r"|(?:is|will\s+be)\s+(?:not|un)\s*affected|is\s+unaffected|(?:will\s+)?(?:continues?|stays?)\s+"
    rf"(?:in\s+(?:post|(?:the|their|her|his)\s+role)|as\s+(?:(?:our|the|a|an)\b|{_PSS})))",
    re.IGNORECASE,
)
_PA_BEFORE = re.compile(
    r"\b(?:my|our|the|his|her|their)\s+(?:PA|EA|P\.A\.|personal\s+assistant|executive\s+assistant|"
    r"secretary|assistant|business\s+manager|office\s+manager)\s*,?\s*$|"
    # "please contact my deputy, Imran Siddiqui, on …": whom to ask, not whom we register.
    r"\bmy\s+deputy\s*,?\s*$|"
    r"\b(?:PA|EA)\s*[:,]?\s*$",
    re.IGNORECASE,
)
# Executive titles: the people who nominate, not the people nominated ("our Chief Nurse,
# Martina Kovac"; "Dr Meera Pillai, our Medical Director"; "Dr Victoria Sandhu, Chief Medical
# Officer at …").
_EXEC_TITLE = (
    r"(?:(?:Executive|Interim|Acting|Joint|Group)\s+)*(?:Chief\s+(?:Executive|Nurse|Nursing\s+Officer|"
    r"Medical\s+Officer|Operating\s+Officer|Quality\s+Officer|Officer|Finance\s+Officer|People\s+Officer)|"
    r"Medical\s+Director|Director\s+of\s+Nursing(?:\s+and\s+Quality)?|Director\s+of\s+Quality|"
    r"Executive\s+Director(?:\s+of\s+[A-Z][\w]*(?:\s+(?:and\s+)?[A-Z][\w]*)*)?|CEO|Chair(?:man|woman|person)?)"
)
_EXEC_BEFORE = re.compile(rf"\b(?i:my|our|the|its|their)\s+{_EXEC_TITLE}\s*,?\s*$")
_EXEC_AFTER = re.compile(rf"^\s*(?:,|\(|–|-)\s*(?:(?i:my|our|the|its|their)\s+)?{_EXEC_TITLE}\b")
# The number the writer asks us to use: "His landline is … but please use his mobile, …".
_PREFERRED_NUMBER = re.compile(
    r"(?i)\b(?:please\s+use|use\s+(?:his|her|their|the)|best\s+(?:number|contact|reached|on)|"
    r"preferred(?:\s+(?:number|contact))?|prefers?|rather\s+than)\b[^.;]{0,40}$"
)
_OTHER_PERSON_CUES = frozenset({"existing", "stays", "pa", "executive", "author", "incumbent"})
_AUTHOR_BEFORE = re.compile(
    r"\b(?:letter|e-?mail|note|message|memo|request|instruction)\s+(?:from|by|of)\s*$"
    r"|\b(?:signed|written|sent|approved)\s+by\s*$|\bon\s+behalf\s+of\s*$",
    re.IGNORECASE,
)
_PA_AFTER = re.compile(
    r"^\s*(?:,|\(|-|–)\s*(?:my|our)\s+(?:PA|EA|personal\s+assistant|executive\s+assistant|secretary)\b",
    re.IGNORECASE,
)
_TITLE_AFTER = [
    re.compile(
        rf"^(?:['’]s)?\s+(?:is|was|has\s+been|had\s+been)\s+"
        rf"(?:(?:currently|presently|at\s+present|now)\s+)?"
        rf"(?:working\s+as\s+|employed\s+as\s+|in\s+post\s+as\s+|in\s+the\s+role\s+of\s+)?"
        rf"(?:our|the|a|an)?\s*(?P<t>{TITLE_RUN})"
    ),
    re.compile(rf"^\s*,\s*(?:who\s+is\s+)?(?:currently\s+)?(?:our|the|a|an)?\s*(?P<t>{TITLE_RUN})"),
    re.compile(
        rf"^\s+(?:currently\s+)?(?:works|working|is\s+working|is\s+employed|is\s+in\s+post|"
        rf"serves|is\s+serving)\s+as\s+(?:our|the|a|an)?\s*(?P<t>{TITLE_RUN})"
    ),
    # ", who joined us last month as Head of Patient Safety (band 8b)".
    re.compile(
        r"^\s*,?\s*who\s+(?:has\s+)?(?:recently\s+)?(?:joined|came\s+to|started\s+with)\s+"
        rf"(?:us|the\s+\w+)\b[^,.;]{{0,40}}?\s+as\s+(?:our|the|a|an)?\s*(?P<t>{TITLE_RUN})"
    ),
    re.compile(rf"^\s*\(\s*(?P<t>{TITLE_RUN})\s*(?=[,)])"),
    # "Mr David Lee (Associate Director of Nursing – Patient Safety)".
    re.compile(r"^\s*\(\s*(?P<t>[A-Z][^()]{2,100}?)\s*\)"),
    re.compile(
        rf"^(?:['’]s)\s+(?:current\s+)?(?:job\s+title|role|post|position)\s+is\s+(?:as\s+)?"
        rf"(?:our|the|a|an)?\s*(?P<t>{TITLE_RUN})"
    ),
]
_POSTNOMINAL_RUN = re.compile(
    r"^(?:\s+(?:RGN|RMN|RN|RM|RSCN|MSc|MA|MBA|BSc|BA|PhD|MD|MB\s?ChB|MBBS|FRCP|FRCS|FRCA|"
    r"FRCPsych|MRCP|MRCGP|FFPH|MBE|OBE|CBE|DBE|QN|SFHEA|PGCert|PGDip|DipHE|NMP|CPsychol)\b)+"
)
_PORTFOLIO = re.compile(
    rf"^\s*,\s*(?P<p>{TITLE_RUN})\s*(?:,\s*(?:as|who|will|has|is|to|from|in|on|at|would|and|"
    r"replac\w*|"
    r"(?i:afc|band|agenda|vsm))\b|(?:,\s*)?\.?\s*$)"
)
_TITLE_IS_BEFORE = re.compile(
    rf"(?:\b(?i:our|the|its|their)\s+|^)(?i:new\s+|incoming\s+)?(?P<t>{TITLE_RUN})"
    r"(?:\s*,[^,]{0,160},)?\s+(?:is|will\s+be)\s*$"
)
_TITLE_BEFORE = re.compile(
    rf"\b(?i:our|the|my)\s+(?P<t>{TITLE_RUN}(?:,\s*{TITLE_RUN})?)\s*[,–—]?\s*$"
)
# Anywhere in a sentence about one person: "… before becoming our Lead Nurse for Patient Safety".
_TITLE_ANYWHERE = re.compile(
    rf"\b(?:becoming|became|promoted\s+to|appointed\s+as|serves\s+as|serving\s+as|works\s+as|"
    rf"working\s+as|employed\s+as|in\s+post\s+as|in\s+(?:his|her|their)\s+(?:current\s+)?(?:role|post)\s+(?:as|of)|"
    rf"currently|current\s+(?:role|post|job\s+title)\s+is)\s+(?:as\s+)?(?:our\s+|the\s+|a\s+|an\s+)?"
    rf"(?P<t>{TITLE_RUN})"
    # "now leads our Patient Safety Incident Response team as Associate Director of …".
    rf"|\b(?:leads?|leading|heads?|heading|runs?|running|manages?|managing|oversees?)\s+"
    rf"(?:[\w'’-]+\s+){{1,8}}?as\s+(?:our\s+|the\s+|a\s+|an\s+)?(?P<t2>{TITLE_RUN})"
)
_CONTACT_NOUN = re.compile(
    r"\b(?:mobile|phone|telephone|tel|number|contact|e-?mail|address|details|reached|contacted|"
    r"extension|landline|line|direct|dial|ddi)\b",
    re.IGNORECASE,
)
_OBJECT_OF_REPLACING = re.compile(
    r"(?i)\b(?:replac(?:e|es|ing)|succeed(?:s|ing)?|tak(?:e|es|ing)\s+over\s+from|in\s+place\s+of|"
    r"instead\s+of|cover(?:s|ing)?\s+for|step(?:s|ping)?\s+in\s+for)\s*$"
)
_CONTACT_BRACKET = re.compile(r"^\s*\([^()]{1,200}\)")
_CONTACT_LEAD = re.compile(
    r"^\s*[,;/]?\s*(?:(?:e-?mail|tel|phone|mobile|mob|m|t|e)\b\s*[:.]?\s*)?", re.IGNORECASE
)


def _skip_leading_contacts(after: str) -> str:
    """``after`` without the contacts written right after a name: a bracket holding an address
    or number, or a run of ", address, number" pieces. The comma before what follows is kept."""
    lead = _CONTACT_BRACKET.match(after)
    if lead and (find_emails(lead.group(0)) or find_phones(lead.group(0))):
        return after[lead.end() :]
    rest = after
    for _ in range(4):
        head = _CONTACT_LEAD.match(rest)
        pos = head.end() if head else 0
        window = rest[pos : pos + 60]
        em = find_emails(window)
        ph = find_phones(window)
        starts = [e.end for e in em if e.start == 0] + [p.end for p in ph if p.start == 0]
        if not starts:
            break
        rest = rest[pos + max(starts) :]
    return after if rest is after else rest


_AND_VERB = re.compile(r"\band\s+(?:can|may|will|is|could|has|was|would|should)\b", re.IGNORECASE)
_CLAUSE_SPLIT = re.compile(
    r"[.;:(–—]|,\s|\b(?:and|but|so|while|whereas|although|because|who|which|that)\b", re.IGNORECASE
)


# A sentence about a post before the person is named: "Our Deputy Director of Nursing, who
# joined us …, has led …", "The Trust's Head of Patient Safety has been in post since 2021".
_DESCRIBED = re.compile(
    rf"^(?:(?i:our|the\s+trust['’]s|the\s+icb['’]s|the\s+board['’]s)\s+)(?P<t>{TITLE_RUN})"
    r"(?=\s*,|\s+(?:who|has|have|is|was|joined|came|leads|led|brings|brought|took|takes|"
    r"oversees|manages|heads|started|holds|will)\b)"
)
_DESCRIBED_LEAVING = re.compile(
    r"(?i)\b(?:leav\w*|left|retir\w*|step(?:s|ping|ped)?\s+down|moving\s+on|moved|resign\w*|"
    r"no\s+longer|maternity|vacan\w*|depart\w*|replac\w*|succe\w*)"
    # The post holder asked the writer to send this: they are not the nominee.
    r"|\b(?i:asked|requested|instructed)\s+(?i:me|us)\b|\bI\b|\b(?i:me)\b"
)
# The same told of someone not yet named: "He currently works as Head of Clinical Governance on
# AfC band 8a", "The colleague we are putting forward is our Lead Nurse for Patient Safety".
_DESCRIBED_UNNAMED = re.compile(
    r"^(?:(?i:he|she|they)\b|(?i:the|our)\s+(?i:colleague|person|individual|candidate|nominee)\b)"
    r"[^.]*?\b(?i:works|working|employed|in\s+post|serves|serving|appointed|is|are)\s+"
    r"(?i:(?:currently|presently|now|at\s+present)\s+)?(?i:as\s+)?(?i:(?:our|the|a|an)\s+)?"
    rf"(?P<t>{TITLE_RUN})"
)
# How many later sentences may still name the person a described post belongs to.
_DESCRIBED_REACH = 3


# In a list item, the words that hand over to another person: after "replacing" comes the
# person replaced, after "replaced by" the nominee.
_PAIR_TO_REPLACED = re.compile(
    r"(?:\s*[-–—,;:(]\s*|\s+)(?:(?:who\s+)?(?:is\s+|will\s+|will\s+be\s+|is\s+to\s+)?"
    r"(?:replacing|replaces?|taking\s+over\s+from|takes?\s+over\s+from|succeeding|succeeds?)"
    r"|in\s+place\s+of|instead\s+of|as\s+(?:a\s+|the\s+)?replacement\s+for|"
    r"(?:as\s+)?successor\s+to)\s*:?\s+",
    re.IGNORECASE,
)
_PAIR_TO_NOMINEE = re.compile(
    r"(?:\s*[-–—,;:(]\s*|\s+)(?:(?:who\s+)?(?:is\s+|will\s+be\s+|has\s+been\s+)?(?:being\s+|to\s+be\s+)?"
    r"(?:replaced|succeeded)\s+by|handing\s+over\s+to|hands\s+over\s+to)\s*:?\s+",
    re.IGNORECASE,
)


def _pair_cut(text: str) -> tuple[int, int, str] | None:
    """Where a list item hands over to a second person who has contacts of their own:
    ``(start, end, role of the second person)`` of the connective, or None."""
    for pat, role in ((_PAIR_TO_REPLACED, Role.REPLACED), (_PAIR_TO_NOMINEE, Role.NOMINEE)):
        m = pat.search(text)
        if m is None or m.start() == 0:
            continue
        tail = text[m.end() :]
        if not (find_emails(tail) or find_phones(tail)):
            continue
        if not (find_emails(text[: m.start()]) or find_phones(text[: m.start()])):
            continue
        head = re.split(r"\s*(?:[(<,;]|\s[-–—|/]\s)", tail.strip(), maxsplit=1)[0]
        if parse_name_value(head.strip().rstrip(".")) is None:
            continue
        return m.start(), m.end(), role
    return None


def _full_names(lines: list[Line]) -> list[tuple[str, ...]]:
    """Folded tokens of the full names (two or more words, or an honorific) in ``lines``, outside
    organisation names, without repeats."""
    out: list[tuple[str, ...]] = []
    for ln in lines:
        if not ln.text.strip():
            continue
        orgs = [(s, e) for _n, s, e in find_organisations(ln.text)]
        for nm in find_name_mentions(ln.text):
            if any(s <= nm.start < e for s, e in orgs):
                continue
            key = name_key(nm.name)
            if key and (len(key) >= 2 or nm.honorific) and key not in out:
                out.append(key)
    return out


def _described_post(sentence: str) -> str | None:
    """The post a sentence describes before naming anyone (see ``_DESCRIBED`` and
    ``_DESCRIBED_UNNAMED``), or None for an executive (who nominates), a PA, the PSS
    designation itself or a post being left."""
    m = _DESCRIBED.match(sentence) or _DESCRIBED_UNNAMED.match(sentence)
    if m is None:
        return None
    title = clean_title(m.group("t"))
    if (
        not looks_like_title(title)
        or is_designation(title)
        or re.fullmatch(_EXEC_TITLE, title)
        or re.search(r"(?i)\b(?:PA|assistant|secretary)\b", title)
        or _DESCRIBED_LEAVING.search(sentence)
    ):
        return None
    return title


def _subject_like(sentence: str, start: int, end: int, kind: str) -> bool:
    """True when the mention at ``start:end`` opens its clause (the likely subject), or is a
    nominative pronoun."""
    word = sentence[start:end].lower()
    if kind == "pronoun" and word in ("he", "she", "they"):
        return True
    if kind == "self" and word == "i":
        return True
    if kind == "self" and word in ("me", "myself"):
        return False
    # Only the text shortly before matters; a bounded window keeps long sentences linear.
    seg = _CLAUSE_SPLIT.split(sentence[max(0, start - 120) : start])[-1]
    return not seg.strip() or bool(
        re.fullmatch(r"(?i)\s*(?:also|then|now|currently|so|both)\s*", seg)
    )


_SENDER_IS_PSS = re.compile(
    r"\bI\s+(?:am|will\s+be|shall\s+be|have\s+(?:just\s+|now\s+|recently\s+|formally\s+)?"
    r"been\s+(?:identified|nominated|appointed|named|"
    r"selected|chosen|asked\s+to\s+(?:be|act\s+as))(?:\s+by\s+[^.,;]{1,60}?)?(?:\s+as)?"
    r"|(?:have\s+)?agreed\s+to\s+(?:be|become|"
    r"take\s+on(?:\s+the\s+role\s+of)?)|(?:will|am\s+going\s+to)\s+(?:take\s+on(?:\s+the\s+role\s+of)?|"
    r"become|be\s+taking\s+over\s+as|act\s+as)|am\s+(?:now\s+)?acting\s+as)\s+(?:(?i:the|our|your|its|a|an)\s+)?"
    r"(?:[A-Z][\w'’&\-]*\s+){0,6}?(?:[A-Z][\w'’&\-]*['’]s\s+)?"
    rf"(?:(?i:new|first|additional|second|named|designated|nominated|interim|acting|temporary)\s+)*(?i:{_PSS})\b"
    # "I am taking over from Graham Cole as the Trust's Patient Safety Specialist".
    r"|\bI\s+(?:am|will\s+be|['’]m|shall\s+be)\s+(?:(?i:taking\s+over\s+from|replacing|succeeding)"
    r"\s+[^.;]{1,60}?\s+as|(?i:taking\s+over\s+as))\s+(?:(?i:the|our|your|its|a|an)\s+)?"
    rf"(?:[A-Z][\w'’&\-]*['’]s\s+)?(?:(?i:new|interim|acting)\s+)?(?i:{_PSS})\b"
    r"|\b(?i:nominat(?:e|ing)|put(?:ting)?\s+forward|identify(?:ing)?|regist(?:er|ering))\s+"
    r"(?:myself\b|me\s+(?i:as|for)\b)|\b(?i:put(?:ting)?|offer(?:ing)?)\s+myself\s+(?i:forward)\b",
)
# What the sender says of their own post: "I am the Trust's Patient Safety Lead", "I currently
# work as Head of Patient Safety", "my current role is Patient Safety Manager".
_SELF_TITLE = re.compile(
    r"^(?:(?:\s+am|['’]m)\s+(?:currently\s+|presently\s+|now\s+)?(?:working\s+as\s+|employed\s+as\s+)?"
    r"|\s+(?:currently\s+|presently\s+)?work\s+as\s+"
    r"|\s+(?:current\s+)?(?:job\s+title|role|post|position)\s+is\s+(?:as\s+)?"
    r"|\s+(?:details|current\s+(?:role|post))\s*(?:are|is)?\s*[:–-]\s*)"
    rf"(?:(?i:the|our|a|an)\s+)?(?P<t>(?:[A-Z][\w'’&\-]*['’]s\s+)?{TITLE_RUN})"
)


@dataclass
class _Mention:
    """A reference to a person inside one sentence: a name, a pronoun or the first person."""

    start: int
    end: int
    kind: str  # "name", "pronoun", "self"
    draft: Draft | None
    gender: str | None = None
    subject_like: bool = False


class _Reader:
    """Reads the regions of one message into drafts (see the module docstring)."""

    def __init__(self, ctx: PeopleContext) -> None:
        self.ctx = ctx
        self.drafts: list[Draft] = []
        self.sender = Draft(is_sender=True)
        self.other = Draft()  # Absorbs mentions of people who are not candidates.
        # Contacts no one in their sentence could own: (kind, value, source, sentence,
        # referential) where referential is True when the sentence points at someone ("her
        # number is …", "the new PSS's email is …").
        self.orphans: list[tuple[str, str | PhoneMatch, Source, str, bool]] = []
        self.notes: list[str] = []
        self.sender_is_nominee = False
        self.own_details = False
        self.too_many = False
        self.sender_keys = [name_key(n) for n in ctx.sender_names if name_key(n)]
        self.signature_keys = [name_key(n) for n in ctx.signature_names if name_key(n)]
        self.region_emails: list[EmailMatch] = []
        # The people named in the sentence just read (names only, no pronouns).
        self.sentence_people: list[Draft] = []
        # Full names written anywhere in the region being read (folded tokens), so a first name
        # used before the full name ("Harriet has led … I nominate Harriet Lowe") is a person.
        self.region_names: list[tuple[str, ...]] = []
        # The readable text of each region read, for last checks on names.
        self.texts: list[str] = []

    # ---------------------------------------------------------------- registry

    def _is_sender_name(self, name: str) -> bool:
        k = name_key(name)
        for key in self.sender_keys:
            if _same_person(name, key):
                return True
            if (
                len(k) == 1
                and key
                and k[0] == key[0]
                and not any(d.name and names_match(d.name, name) for d in self.drafts)
            ):
                return True
        return False

    def _author_addresses(self, text: str, authors: list[str], source: Source) -> None:
        """Give each named nominee who wrote the forwarded message the address of its From:
        line when the text gave them none ("From: Quillfeather, Barnaby <b.q@…>")."""
        for raw in text.split("\n"):
            m = _FROM_HEADER.match(raw)
            if m is None:
                continue
            name = display_person_name(m.group("v").split("<")[0])
            found = find_emails(m.group("v"))
            d = self.find(name) if name is not None and name in authors else None
            if d is not None and found and d.email is None:
                d.set("email", found[0].addr, source, raw.strip())

    def _named_nominee(self, name: str) -> bool:
        """True when a record already read names ``name`` (in full) as a nominee."""
        d = self.find(name)
        return (
            d is not None
            and len(name_key(d.name or "")) >= 2
            and (d.role == Role.NOMINEE or (d.role is None and "nominee" in d.cues))
        )

    def _is_signature_name(self, name: str) -> bool:
        return any(
            _same_person(name, key)
            or (len(name_key(name)) == 1 and key and name_key(name)[0] in (key[0], key[-1]))
            for key in self.signature_keys
        )

    def find(self, name: str) -> Draft | None:
        """The draft ``name`` refers to, preferring an exact match, then the most recently
        created compatible one."""
        k = name_key(name)
        exact = [d for d in self.drafts if d.name and name_key(d.name) == k]
        if exact:
            return exact[-1]
        compatible = [d for d in self.drafts if d.name and names_match(d.name, name)]
        if len(compatible) == 1:
            return compatible[0]
        if compatible and len(k) == 1:
            return compatible[-1]
        return None

    def new_draft(self, order: int, origin: str) -> Draft:
        d = Draft(order=order, origin=origin)
        if len(self.drafts) >= MAX_PEOPLE:
            # A nomination names a handful of people; thousands are a list or an attack, and
            # matching each against all would take minutes. The rest are not recorded.
            if not self.too_many:
                self.too_many = True
                self.notes.append(
                    f"{CONTENT_NOT_READ}more than {MAX_PEOPLE} people are named; the rest were "
                    "not read"
                )
            return d
        self.drafts.append(d)
        return d

    def draft_for_name(
        self, name: str, honorific: str | None, order: int, origin: str, source: Source, text: str
    ) -> Draft:
        """The existing draft for ``name`` or a new one; the name is set or improved."""
        d = self.find(name)
        if d is None:
            d = self.new_draft(order, origin)
        d.set_name(name, honorific, source, text)
        return d

    # ---------------------------------------------------------------- regions

    def read_region(self, region: Region, region_index: int) -> None:
        text = clean_text(region.text)
        if len(text) > MAX_REGION_CHARS:
            text = text[:MAX_REGION_CHARS]
            self.notes.append("Only the beginning of a very long text was read.")
        authors: list[str] = []
        lines = _readable_lines(text, self.ctx, region.source, authors, self._named_nominee)
        # The author of a forwarded message is a sender too: never a nominee.
        # ... unless the sender's own text named them as the nominee ("Please register Barnaby
        # Q as an additional PSS. Please see his details below" over Barnaby's own email).
        nominee_authors = [a for a in authors if self._named_nominee(a)]
        self.sender_keys.extend(
            name_key(a) for a in authors if name_key(a) and a not in nominee_authors
        )
        if nominee_authors:
            self._author_addresses(text, nominee_authors, region.source)
        self.region_emails = find_emails("\n".join(ln.text for ln in lines))
        self.region_names = _full_names(lines)
        self.texts.append("\n".join(ln.text for ln in lines))
        if any(_MY_DETAILS.search(ln.text) for ln in lines if ln.text.rstrip().endswith(":")):
            # "My details are:" introduces the sender's own block: they are the nominee.
            self.own_details = True
        base = region_index * 1_000_000
        # The organisation's letterhead or address block: its switchboard is nobody's phone.
        consumed = organisation_block_lines(lines)
        consumed |= self._read_column_cells(lines, region.source, base)
        consumed |= self._read_header_rows(lines, region.source, base, consumed)
        consumed |= self._read_labelled(lines, region.source, base, consumed)
        consumed |= self._read_blocks(lines, consumed, region.source, base)
        self._read_prose(lines, consumed, region.source, base)

    # ---------------------------------------------------------------- labelled fields

    def _read_column_cells(self, lines: list[Line], source: Source, base: int) -> set[int]:
        """Read a table with one column per person written one cell per line (Outlook's plain
        rendering of an HTML table): a run of role headings ("New PSS", "Outgoing PSS"), then
        for each row a field label followed by one value per person, blank lines ignored.
        Returns the lines consumed."""
        consumed: set[int] = set()
        rows = [(ln, strip_bullet(ln.text)[0]) for ln in lines if ln.text.strip()]
        i = 0
        while i < len(rows):
            roles: list[str] = []
            j = i
            while j < len(rows):
                role = _column_heading(rows[j][1])
                if role is None:
                    break
                roles.append(role)
                j += 1
            if len(roles) < 2:
                i = j + 1 if j == i else j
                continue
            k = len(roles)
            drafts: list[Draft | None] = [None] * k
            pos = j
            read_rows = 0
            while pos < len(rows):
                lab = parse_label(rows[pos][1])
                if lab is None or lab.value or lab.field == Field.HEADING or lab.role is not None:
                    break
                values: list[tuple[Line, str]] = []
                q = pos + 1
                while q < len(rows) and len(values) < k:
                    if not _is_cell_value(rows[q][1], lab.field):
                        break
                    values.append(rows[q])
                    q += 1
                if not values:
                    break
                for col, (ln, value) in enumerate(values):
                    if lab.field in (Field.TYPE, Field.GUIDANCE, Field.ORGANISATION, Field.IGNORED):
                        continue
                    draft = drafts[col]
                    if draft is None:
                        draft = self.new_draft(base + rows[i][0].start + col, "label")
                        draft.role = roles[col]
                        drafts[col] = draft
                    self._apply_field(
                        LabelledLine(lab.field, roles[col], lab.label, value),
                        value,
                        draft,
                        roles[col],
                        source,
                        base + ln.start,
                        f"{lab.label}: {value}",
                        force_target=True,
                    )
                consumed.update(r[0].index for r in rows[pos:q])
                read_rows += 1
                pos = q
            if read_rows:
                consumed.update(r[0].index for r in rows[i:j])
                i = pos
            else:
                i = j
        return consumed

    def _read_header_rows(
        self, lines: list[Line], source: Source, base: int, skip: set[int]
    ) -> set[int]:
        """Read a table with one row per person written one cell per line (Outlook's plain
        rendering of an HTML table with a header row): a run of three or more field labels
        alone on their lines ("Name / Job title / Band / Email / Phone"), then the people,
        each starting with a name; each later line goes to the next field it fits, so an
        empty cell (a blank line, or nothing) shifts nothing. Returns the lines consumed."""
        consumed: set[int] = set()
        rows = [ln for ln in lines if ln.text.strip() and ln.index not in skip]
        i = 0
        while i < len(rows):
            fields: list[str] = []
            j = i
            while j < len(rows):
                lab = parse_label(strip_bullet(rows[j].text)[0])
                if (
                    lab is None
                    or lab.value
                    or lab.role is not None
                    or lab.field not in _ROW_FIELDS
                    or lab.field in fields
                ):
                    break
                fields.append(lab.field)
                j += 1
            if len(fields) < 3 or Field.NAME not in fields or fields[0] != Field.NAME:
                i = j + 1 if j == i else j
                continue
            people = 0
            pos = j
            while pos < len(rows):
                first = strip_bullet(rows[pos].text)[0].strip()
                if not _starts_with_name(first) or parse_label(first) is not None:
                    break
                draft = self.new_draft(base + rows[pos].start, "block")
                draft.set_name(*_name_parts(first), source, first)
                used = [rows[pos]]
                k, q = 1, pos + 1
                while q < len(rows) and k < len(fields):
                    value = strip_bullet(rows[q].text)[0].strip()
                    if _starts_with_name(value) and not _value_fits(Field.EMAIL, value):
                        break
                    while k < len(fields) and not _value_fits(fields[k], value):
                        k += 1
                    if k == len(fields):
                        break
                    self._apply_field(
                        LabelledLine(fields[k], None, fields[k], value), value, draft, None,
                        source, base + rows[q].start, value, force_target=True,
                    )
                    used.append(rows[q])
                    k += 1
                    q += 1
                consumed.update(ln.index for ln in used)
                people += 1
                pos = q
            if people:
                consumed.update(ln.index for ln in rows[i:j])
            i = pos if people else j
        return consumed

    def _read_labelled(
        self, lines: list[Line], source: Source, base: int, skip: set[int] | None = None
    ) -> set[int]:
        consumed: set[int] = set()
        current: Draft | None = None
        role_context: str | None = None
        pending: LabelledLine | None = None
        columns: list[tuple[str, str | None]] | None = None
        person_columns: list[str | None] | None = None
        column_drafts: list[Draft | None] = []
        # Index of the last line that gave ``current`` a value: an unlabelled detail line right
        # below it ("New PSS / Mr X / Lead Investigator (band 8a) / x@nhs.net") is X's too.
        last = -2
        for pos, ln in enumerate(lines):
            raw = ln.text
            if not raw.strip() or (skip and ln.index in skip):
                continue
            body, _marker = strip_bullet(raw)
            if pending is None and self._name_heads_labels(body, lines, pos):
                # A name alone on its line with labelled details below it starts a new person
                # ("Anita Brennock / Job title: … / Email: …", then the same for the next).
                current = self._apply_field(
                    LabelledLine(Field.NAME, None, "Name", body),
                    body,
                    None,
                    role_context,
                    source,
                    base + ln.start,
                    body,
                )
                consumed.add(ln.index)
                last = ln.index
                continue
            if pending is not None:
                # A label alone on its line takes the next line as its value, if that line
                # is a value of the right kind (a name for "Name", an address for "Email"…).
                nxt = parse_label(body)
                same = (
                    nxt is not None and nxt.field == pending.field and pending.field == Field.BAND
                )
                value_like = nxt is None or same or _is_cell_value(body, pending.field)
                if value_like and _marker is None and _value_fits(pending.field, body):
                    current = self._apply_field(
                        pending,
                        body,
                        current,
                        role_context,
                        source,
                        base + ln.start,
                        f"{pending.label}: {body}",
                    )
                    consumed.add(ln.index)
                    last = ln.index
                    pending = None
                    continue
                pending = None
            cells = split_cells(body)
            header = _column_roles(cells) if cells is not None else None
            if header is not None:
                # A header row with one column per person ("| New PSS | Outgoing PSS"; the HTML
                # converter drops the empty corner cell, so it may have one cell fewer).
                columns, person_columns, column_drafts = None, header, [None] * len(header)
                consumed.add(ln.index)
                current = None
                continue
            # A table with one column per person: "Field | New PSS | PSS being replaced".
            if cells is not None and len(cells) >= 3:
                got = self._table_row(
                    cells, columns, person_columns, column_drafts, source, base + ln.start, body
                )
                if got is not None:
                    columns, person_columns, column_drafts = got
                    consumed.add(ln.index)
                    current = None
                    continue
            lab = parse_label(body)
            if lab is None and _OTHER_FIELD.match(body):
                # "Executive sponsor: Dr X", "Internal reference: …", "Responsible director<TAB>X":
                # a field the form has for someone or something else. It is never a detail of
                # the person above; one that names another role is not read for people at all.
                current = None
                role_context = None
                head = body.split(":", 1)[0].split("\t", 1)[0]
                if _OTHER_ROLE.search(head) and not re.search(
                    r"(?i)\b(?:PSS|specialist|nomin\w*|new|proposed|replac\w*)\b", head
                ):
                    consumed.add(ln.index)
                continue
            if lab is None:
                if (
                    current is not None
                    and ln.index == last + 1
                    and _marker is None
                    and self._detail_line(current, body, source)
                ):
                    consumed.add(ln.index)
                    last = ln.index
                    continue
                if len(body) > 3 and not _looks_like_record_line(body):
                    current = None
                    role_context = None
                continue
            if not lab.value:
                # A label alone is a heading or a one-cell-per-line table label: it is left
                # for the list reader, which uses it as the intro of a list below it.
                if lab.field == Field.HEADING or (lab.field == Field.NAME and lab.role is not None):
                    role_context = lab.role
                    current = None
                if lab.field not in (
                    Field.HEADING,
                    Field.TYPE,
                    Field.GUIDANCE,
                    Field.ORGANISATION,
                    Field.IGNORED,
                ):
                    pending = lab
                continue
            consumed.add(ln.index)
            if lab.field in (Field.TYPE, Field.GUIDANCE, Field.ORGANISATION, Field.IGNORED):
                continue
            current = self._apply_field(
                lab, lab.value, current, role_context, source, base + ln.start, body
            )
            last = ln.index
        return consumed

    def _name_heads_labels(self, body: str, lines: list[Line], pos: int) -> bool:
        """True when ``body`` is a bare person's name (not the sender's) and the next line
        is a labelled detail of a person (title, band, email, phone), not another name."""
        text = body.strip().rstrip(":").strip()
        if not text or len(text) > 60 or parse_label(body) is not None:
            return False
        parsed = parse_name_value(text)
        if parsed is None or parsed.rest or len(name_key(parsed.name)) < 2:
            return False
        if self._is_sender_name(parsed.name) or self._is_signature_name(parsed.name):
            return False
        nxt = next((ln.text for ln in lines[pos + 1 : pos + 2] if ln.text.strip()), None)
        if nxt is None:
            return False
        lab = parse_label(strip_bullet(nxt)[0])
        return (
            lab is not None
            and bool(lab.value)
            and lab.role is None
            and lab.field
            in (
                Field.JOB_TITLE,
                Field.TITLE_AND_BAND,
                Field.BAND,
                Field.EMAIL,
                Field.PHONE,
                Field.CONTACT,
            )
        )

    def _detail_line(self, d: Draft, body: str, source: Source) -> bool:
        """Read an unlabelled line holding only a contact, a title or a band into ``d``; False
        (nothing read) for anything else: a name, a sentence, another person's address."""
        if _starts_with_name(body) or not _looks_like_record_line(body):
            return False
        emails = find_emails(body)
        phones = find_phones(body)
        rest = body
        for em in emails:
            rest = rest.replace(body[em.start : em.end], " ")
        for pm in phones:
            rest = rest.replace(pm.raw, " ")
        if emails or phones:
            # Only a contact, perhaps with a word or two ("Mobile 07700 …").
            if len(re.findall(r"[^\W\d_]{2,}", rest)) > 2:
                return False
            if emails and d.email is not None and d.email != emails[0].addr:
                return False
            if emails:
                d.set("email", emails[0].addr, source, body)
            for pm in phones:
                d.add_phone(pm, source, body)
            return True
        title, band = split_title_band(body)
        read = False
        if band is not None and d.band_raw is None:
            d.set_band(band, band.raw, source, body)
            read = True
        if title and looks_like_title(title) and not is_designation(title, in_record=True):
            d.set("job_title", title, source, body)
            read = True
        return read

    def _table_row(
        self,
        cells: list[str],
        columns: list[tuple[str, str | None]] | None,
        person_columns: list[str | None] | None,
        drafts: list[Draft | None],
        source: Source,
        order: int,
        line: str,
    ) -> _TableState | None:
        """Read one row of a multi-column table. Two layouts: a header of field labels with
        one person per row ("Name | Email | Phone"), or a header of roles with one person per
        column ("| New PSS | PSS being replaced"). Returns the updated table state
        (columns, person columns, column drafts), or None when the row is not part of a
        table we can read."""
        labels = [classify_label(c) if c else None for c in cells]
        header = _table_header(cells, labels)
        if header is not None:
            return header
        if person_columns is not None and labels[0] is not None:
            drafts = self._person_column_row(
                cells, labels[0][0], person_columns, drafts, source, order, line
            )
            return None, person_columns, drafts
        if columns is not None and 0 < len(cells) <= len(columns):
            pairs = _fit_cells(columns, cells)
            if pairs is None:
                return None
            self._person_row(pairs, source, order, line)
            return columns, None, []
        return None

    def _person_column_row(
        self,
        cells: list[str],
        fld: str,
        person_columns: list[str | None],
        drafts: list[Draft | None],
        source: Source,
        order: int,
        line: str,
    ) -> list[Draft | None]:
        """One field's row of a one-column-per-person table: each cell to its column's
        person (a new record per column). Returns the column drafts."""
        drafts = drafts + [None] * (len(cells) - len(drafts))
        for k in range(1, len(cells)):
            value = cells[k]
            if not value or k >= len(person_columns):
                continue
            lab = LabelledLine(fld, person_columns[k], cells[0], value)
            column_draft = drafts[k]
            if column_draft is None:
                column_draft = self.new_draft(order + k, "label")
                column_draft.role = person_columns[k]
                drafts[k] = column_draft
            self._apply_field(
                lab, value, column_draft, person_columns[k], source, order + k, line,
                force_target=True,
            )
        return drafts

    def _person_row(
        self, pairs: list[tuple[tuple[str, str | None], str]], source: Source, order: int,
        line: str,
    ) -> None:
        """One person's row under a header of field labels; a role cell ("Incoming PSS")
        gives the row's role."""
        d: Draft | None = None
        row_role = next((_column_heading(v) for _c, v in pairs if v and _column_heading(v)), None)
        for (fld, role), value in pairs:
            if value and _column_heading(value) is not None:
                continue
            role = role or row_role
            if not value or fld in (Field.IGNORED, Field.TYPE, Field.GUIDANCE, Field.ORGANISATION):
                continue
            lab = LabelledLine(fld, role, fld, value)
            if d is None:
                d = self.new_draft(order, "label")
                d.role = role
            d = self._apply_field(lab, value, d, role, source, order, line, force_target=True)

    def _apply_field(
        self,
        lab: LabelledLine,
        value: str,
        current: Draft | None,
        role_context: str | None,
        source: Source,
        order: int,
        line: str,
        *,
        force_target: bool = False,
    ) -> Draft | None:
        """Store one labelled value on the right record; returns the record now current."""
        value = value.strip()
        if re.fullmatch(r"(?i)(?:n/?a|none|tbc|tba|to\s+follow|-+|\?+|not\s+known|unknown)", value):
            return current
        at = _At(lab.role or role_context, lab.role, source, order, line, force_target)
        handler = {
            Field.NAME: self._field_name,
            Field.EMAIL: self._field_email,
            Field.PHONE: self._field_phone,
            Field.CONTACT: self._field_contact,
            Field.JOB_TITLE: self._field_job_title,
            Field.TITLE_AND_BAND: self._field_title_and_band,
            Field.BAND: self._field_band,
        }.get(lab.field)
        return current if handler is None else handler(value, current, at)

    def _target(self, current: Draft | None, key: str, at: _At) -> Draft:
        """The record a value for ``key`` goes to: ``current`` unless it already has that
        field or another role, else a new record with the label's role."""
        if at.force and current is not None:
            return current
        if current is None or (
            getattr(current, key) is not None
            or (at.role is not None and current.role is not None and current.role != at.role)
        ):
            current = self.new_draft(at.order, "label")
            current.role = at.role
        elif at.role is not None and current.role is None:
            current.role = at.role
        return current

    def _field_name(self, value: str, current: Draft | None, at: _At) -> Draft | None:
        parsed = parse_name_value(value, lenient=True)
        if parsed is None:
            # "Jo Bloggs (jo.bloggs@nhs.net)" fails on the address: try the text before it.
            head = re.split(r"[(<,;]|\s[-–—|]\s", value)[0]
            parsed = parse_name_value(head, lenient=True)
            if parsed is not None:
                parsed = type(parsed)(parsed.honorific, parsed.name, value[len(head) :])
        if parsed is None:
            return current
        role = at.role
        if at.force and current is not None:
            d = current
        else:
            existing = self.find(parsed.name)
            if existing is not None and (existing.origin == "prose" or existing is current):
                d = existing
            elif (
                current is not None
                and current.name is None
                and (role is None or current.role in (None, role))
            ):
                d = current
            else:
                d = self.new_draft(at.order, "label")
        d.set_name(parsed.name, parsed.honorific, at.source, at.line)
        if d.origin == "prose":
            d.origin = "label"
        if role is not None and (d.role is None or at.label_role is not None):
            d.role = role
        rest = parsed.rest
        if rest:
            self._read_rest(d, rest, at.source, at.line)
            if re.search(
                r"(?i)\b(?:replac|succeed|taking\s+over|in\s+place\s+of|instead\s+of)", rest
            ):
                # "Name: Priya Shah (replacing Jo Bloggs)".
                self._read_sentence(f"{parsed.name} {rest}", at.source, at.order, topic=d)
        return d

    def _field_email(self, value: str, current: Draft | None, at: _At) -> Draft | None:
        found = find_emails(value)
        if not found:
            return current
        d = self._target(current, "email", at)
        d.set("email", found[0].addr, at.source, at.line)
        return d

    def _field_phone(self, value: str, current: Draft | None, at: _At) -> Draft | None:
        pm = parse_phone(value)
        if pm is None:
            return current
        if (
            current is not None
            and current.phone is not None
            and (at.role is None or current.role in (None, at.role))
            and current.name is not None
        ):
            current.add_phone(pm, at.source, at.line)
            return current
        d = self._target(current, "phone", at)
        d.add_phone(pm, at.source, at.line)
        return d

    def _field_contact(self, value: str, current: Draft | None, at: _At) -> Draft | None:
        holder: Draft | None = None
        for em in find_emails(value):
            holder = current = self._target(current, "email", at)
            holder.set("email", em.addr, at.source, at.line)
            break
        for pm in find_phones(value):
            if holder is not None:
                holder.add_phone(pm, at.source, at.line)
            else:
                # Without an address each number is placed as a labelled phone would be.
                current = self._target(current, "phone", at)
                current.add_phone(pm, at.source, at.line)
        return current

    def _field_job_title(self, value: str, current: Draft | None, at: _At) -> Draft | None:
        hon, rest = split_honorific(value + " x")
        if hon and rest.strip() == "x":
            # "Title: Dr" is an honorific, not a job title.
            d = current or self._target(current, "honorific", at)
            if d.honorific is None:
                d.honorific = hon
            return d
        held = _column_heading(value)
        if held is not None:
            # "Role | New PSS", "Role: Outgoing PSS": whose record it is, not a job.
            d = current or self._target(current, "role", at)
            if d.role is None or at.force:
                d.role = held
            return d
        return self._field_title_and_band(value, current, at)

    def _field_band(self, value: str, current: Draft | None, at: _At) -> Draft | None:
        band = normalise_band_value(value)
        d = self._target(current, "band_raw", at)
        if band is not None:
            d.set_band(band, value, at.source, at.line)
        else:
            # Medical or local pay: keep the words, no AfC band.
            d.band_raw = value
            d.provenance["pay_band"] = (at.source, _prov_text(at.line))
        return d

    def _field_title_and_band(self, value: str, current: Draft | None, at: _At) -> Draft | None:
        title, band = split_title_band(value)
        d = self._target(current, "job_title" if title else "band_raw", at)
        if title:
            d.set("job_title", title, at.source, at.line)
        if band is not None:
            d.set_band(band, band.raw, at.source, at.line)
        return d

    def _read_rest(self, d: Draft, rest: str, source: Source, line: str) -> None:
        """Read what followed a name in a field value: contacts, title, band."""
        for em in find_emails(rest):
            d.set("email", em.addr, source, line)
        for pm in find_phones(rest):
            d.add_phone(pm, source, line)
        cleaned = rest
        for em in find_emails(rest):
            cleaned = cleaned.replace(rest[em.start : em.end], " ")
        for pm in find_phones(rest):
            cleaned = cleaned.replace(pm.raw, " ")
        cleaned = _QUALIFIER.sub(_protect_qualifier, cleaned)
        cleaned = re.sub(r"[()]", ",", cleaned)
        for part in re.split(r"\s*[,;|]\s*|\s[-–—]\s|(?<=\S)\.\s+(?=[A-Z])", cleaned):
            # "…, 07700 900469. Head of Patient Safety, band 8B": a full stop ends a piece too.
            part = _restore_qualifier(part.strip(" ."))
            if not part:
                continue
            title, band = split_title_band(part)
            if band is not None:
                d.set_band(band, band.raw, source, line)
            if title and looks_like_title(title) and not is_designation(title):
                d.set("job_title", title, source, line)

    # ---------------------------------------------------------------- record blocks

    def _read_blocks(
        self, lines: list[Line], consumed: set[int], source: Source, base: int
    ) -> set[int]:
        """Read list items and short unlabelled blocks that hold one person each."""
        used: set[int] = set()
        blocks: list[tuple[list[Line], str | None, str]] = []
        for para in paragraphs_of(
            [ln if ln.index not in consumed else Line("", ln.start, ln.index) for ln in lines]
        ):
            intro = ""
            current: list[Line] = []
            kind: str | None = None
            has_name = False
            for ln in para:
                body, marker = strip_bullet(ln.text)
                record = _looks_like_record_line(body)
                named = _starts_with_name(body)
                # A person's record is a handful of lines; a longer run is something else.
                full = len(current) >= _MAX_BLOCK_LINES
                if marker is not None:
                    # "- Dr Marcus Adeyemi / - Associate Director…, Band 8c / - marcus@… /
                    # - 0161 …": bullets holding one field each make one record; a bullet
                    # that starts with a name starts the next record.
                    if (
                        current
                        and kind is not None
                        and record
                        and not (named and has_name)
                        and not full
                    ):
                        current.append(ln)
                        has_name = has_name or named
                        continue
                    if current:
                        blocks.append((current, kind, intro))
                    current, kind, has_name = [ln], marker, named
                elif (
                    current
                    and (ln.text[:1].isspace() or record)
                    and not (named and has_name)
                    and not full
                ):
                    current.append(ln)
                    has_name = has_name or named
                else:
                    if current:
                        blocks.append((current, kind, intro))
                    current, kind, has_name = [], None, False
                    if record:
                        current, has_name = [ln], named
                    else:
                        intro = body
            if current:
                blocks.append((current, kind, intro))
        prev_intro_lines = {ln.index: ln.text for ln in lines}
        # The intro each earlier block's lines were read under: the next item of the same list
        # shares it (it is not introduced by the item before it).
        block_intro: dict[int, str] = {}
        for block, kind, intro in blocks:
            if not intro:
                # The intro may be the last text line before the block's paragraph.
                k = block[0].index - 1
                while k >= 0 and not prev_intro_lines.get(k, "").strip():
                    k -= 1
                if k in block_intro:
                    intro = block_intro[k]
                else:
                    intro = prev_intro_lines.get(k, "") if k >= 0 and k not in consumed else ""
            block_intro.update((ln.index, intro) for ln in block)
            if self._read_block(block, kind, intro, source, base):
                used.update(ln.index for ln in block)
        return used

    def _read_block(
        self, block: list[Line], kind: str | None, intro: str, source: Source, base: int
    ) -> bool:
        """Read one block; True when it held a person (its lines are then consumed).

        Stages: the other person of a pair line cut off; fragments; the name, title, band
        and leftovers among them; a first name as the line's label; then the block's record
        (a named person, or the details of someone named elsewhere)."""
        text_lines, pairs = _block_pairs([strip_bullet(ln.text)[0] for ln in block])
        joined = " / ".join(text_lines)
        if len(text_lines) == 1 and kind is None:
            # One-line records need separators and a contact.
            if not re.search(r"\s[-–—|/]\s|,|;|\t|\(", joined):
                return False
        emails = find_emails(joined)
        phones = find_phones(joined)
        parts = _block_parts(_block_fragments(text_lines))
        if parts.name is None and (emails or phones) and len(text_lines) == 1:
            # "Nkechi: nkechi.eze-williams@…, +44 …, Quality & Safety Matron, band 8A": a first
            # name as the line's label, for someone named in full elsewhere in the text.
            lead = re.match(r"^\s*([A-Z][\w'’-]+)\s*[:\-–]\s", text_lines[0])
            full = self._full_name_for(lead.group(1)) if lead else None
            if lead is not None and full is not None:
                parts.name = full
                parts.leftovers = [p for p in parts.leftovers if p != lead.group(1)]
        record = _BlockRecord(block, kind, intro, source, base, emails, phones, parts, pairs)
        if parts.name is None:
            return self._unnamed_block(record)
        return self._named_block(record, parts.name)

    def _unnamed_block(self, r: _BlockRecord) -> bool:
        """ "Her details are as follows: / a@… / 0113 … / Head of …, Band 8c": the details of
        someone named elsewhere (another sentence, the Subject); "Olumide's details are:"
        names them. True when stored."""
        if not (r.emails or r.phones):
            return False
        owner = _possessive_owner(r.intro)
        known = None
        if owner and not self._is_sender_name(owner) and not self._is_signature_name(owner):
            known = self.draft_for_name(
                owner, None, r.base + r.block[0].start, "block", r.source, r.intro
            )
        if known is None and not _REFERS_TO_SOMEONE.search(r.intro):
            return False
        holder = known or self.new_draft(r.base + r.block[0].start, "block")
        holder.origin = "block"
        details = " ".join(ln.text.strip() for ln in r.block)
        p = r.parts
        holder.store(r.emails, r.phones, p.title, p.band, p.band_raw, r.source, details)
        if known is None:
            holder.role = _role_from_intro(r.intro) or Role.NOMINEE
        elif holder.role is None and not holder.cues:
            holder.cues.append("nominee")
        return True

    def _named_block(self, r: _BlockRecord, name: ParsedName) -> bool:
        """Store a named person's record; their role from the item's own words, a pair, or
        the list's intro. False when the block is not a person's record."""
        has_contact = bool(r.emails or r.phones)
        title, band = r.parts.title, r.parts.band
        intro_about_pss = bool(_INTRO_ABOUT_PSS.search(r.intro))
        if not (has_contact or title or band) and not (r.kind is not None and intro_about_pss):
            return False
        if self._is_sender_name(name.name) and not has_contact:
            return False
        if not has_contact and title and re.match(_EXEC_TITLE + r"\b", title, re.IGNORECASE):
            # "Professor Ruth Achebe / Chief Medical Officer" closing a letter the PA pasted:
            # the executive signing, not a person's record.
            return False
        order = r.base + r.block[0].start
        block_text = " ".join(ln.text.strip() for ln in r.block)
        d = self.find(name.name)
        if d is None or d.origin != "prose" and d.has_details:
            d = self.new_draft(order, "block")
        d.set_name(name.name, name.honorific, r.source, block_text)
        d.origin = "block"
        d.store(r.emails, r.phones, title, band, r.parts.band_raw, r.source, block_text)
        d.in_pss_sentence = d.in_pss_sentence or intro_about_pss
        cues_before = len(d.cues)
        # Words in the item beyond the person's own details ("replacing Jo Bloggs") are prose.
        for extra in r.parts.leftovers:
            if find_name_mentions(extra) or re.search(r"(?i)replac|succeed|leav", extra):
                self._read_sentence(f"{name.name}, {extra}", r.source, order, topic=d)
        for tail, direction in r.pairs:
            other = self._pair_person(tail, r.source, order + 1, block_text)
            if other is None:
                continue
            if direction == Role.REPLACED:
                other.role = other.role or Role.REPLACED
                d.cues.append("nominee")
            else:
                other.role = other.role or Role.NOMINEE
                d.cues.append("replaced")
        # What the item says of its own person ("…, who will replace Tessa") outweighs the
        # list's intro ("Both of our PSSs are leaving:").
        own = set(d.cues[cues_before:]) & {"nominee", "replaced"}
        # An intro that names this very person ("Please record Mr Kieran Oduya as our PSS,
        # replacing Ms Bethan Lloyd-Evans") says their role in its own words: read as prose.
        named_in_intro = any(
            name_key(nm.name) == name_key(name.name) for nm in find_name_mentions(r.intro[:500])
        )
        role = None if named_in_intro else _role_from_intro(r.intro)
        if len(own) == 1 and d.role is None:
            d.role = Role.NOMINEE if own == {"nominee"} else Role.REPLACED
        elif role is not None and d.role is None:
            d.role = role
        return True

    def _full_name_for(self, word: str) -> ParsedName | None:
        """The one full name in the region being read whose first word is ``word``, or None."""
        key = name_key(word)
        if len(key) != 1 or not self.texts:
            return None
        found: dict[tuple[str, ...], NameMention] = {}
        for line in self.texts[-1].split("\n"):
            for nm in find_name_mentions(line):
                k = name_key(nm.name)
                if len(k) >= 2 and k[0] == key[0]:
                    found.setdefault(k, nm)
        if len(found) != 1:
            return None
        nm = next(iter(found.values()))
        return ParsedName(nm.honorific, nm.name, "")

    def _pair_person(self, tail: str, source: Source, order: int, text: str) -> Draft | None:
        """The person a list item names after "replacing" / "replaced by", with the contacts,
        title and band written after their name."""
        head = re.split(r"\s*(?:[(<,;]|\s[-–—|/]\s)", tail.strip(), maxsplit=1)[0]
        parsed = parse_name_value(head.strip().rstrip("."))
        if parsed is None:
            return None
        d = self.find(parsed.name)
        if d is None or (d.origin != "prose" and d.has_details):
            d = self.new_draft(order, "block")
        d.set_name(parsed.name, parsed.honorific, source, text)
        d.origin = "block"
        rest = tail.strip()[len(head.strip()) :]
        self._read_rest(d, rest, source, text)
        return d

    # ---------------------------------------------------------------- prose

    def _read_prose(self, lines: list[Line], consumed: set[int], source: Source, base: int) -> None:
        remaining = [
            ln if ln.index not in consumed else Line("", ln.start, ln.index) for ln in lines
        ]
        topic: Draft | None = None
        # A post described before anyone is named ("Our Deputy Director of …, who joined us in
        # 2023, has led … I am delighted to nominate Dr X"): it is the nominee's, if the next
        # few sentences name one nominee and nothing else gives them a title.
        described: tuple[str, str] | None = None
        left = 0
        candidates: list[tuple[Draft, str, str]] = []
        # A band told with the described post ("… on AfC band 8a") goes with it.
        described_band: BandMatch | None = None
        for para in paragraphs_of(remaining):
            joined = "\n".join(ln.text for ln in para)
            for s, e in sentences_of(joined):
                sentence = joined[s:e].replace("\n", " ")[:MAX_SENTENCE_CHARS]
                topic = self._read_sentence(sentence, source, base + para[0].start + s, topic=topic)
                named = [d for d in self.sentence_people if d.name]
                if described is not None and named:
                    nominees = [d for d in named if "nominee" in d.cues]
                    if len(named) == 1 and nominees and "replaced" not in nominees[0].cues:
                        candidates.append((nominees[0], *described))
                        if described_band is not None and nominees[0].band_raw is None:
                            nominees[0].set_band(
                                described_band, described_band.raw, source, described[1]
                            )
                    described = None
                elif not named:
                    title = _described_post(sentence)
                    if title is not None:
                        described, left = (title, sentence), _DESCRIBED_REACH
                        bands = find_bands(sentence)
                        described_band = bands[0] if len(bands) == 1 else None
                    elif described is not None:
                        left -= 1
                        if left <= 0:
                            described = None
        for d, title, sentence in candidates:
            if d.job_title is None:
                d.set("job_title", title, source, sentence)

    def _mentions(
        self, sentence: str, source: Source, order: int, not_names: list[tuple[int, int]]
    ) -> list[_Mention]:
        """The people, pronouns and first-person words of ``sentence``; no name is read inside
        ``not_names`` (an organisation's name, an address "Yusuf.BenHaddou@nhs.net", a band
        "… Band 8 Range C. Hamish …")."""
        out: list[_Mention] = []
        local_parts = [em.addr for em in self.region_emails]
        for nm in find_name_mentions(sentence):
            if any(s <= nm.start < e or s < nm.end <= e for s, e in not_names):
                continue
            accepted = self._accept_name(nm, sentence, local_parts)
            if accepted is None:
                continue
            kind, draft = accepted
            if draft is None:
                draft = self.draft_for_name(
                    nm.name, nm.honorific, order + nm.start, "prose", source, sentence
                )
            elif draft is not self.sender and draft is not self.other:
                draft.set_name(nm.name, nm.honorific, source, sentence)
            if draft.gender is None and nm.gender is not None:
                draft.gender = nm.gender
            out.append(_Mention(nm.start, nm.end, kind, draft, nm.gender))
        taken = [(m.start, m.end) for m in out]
        for pm in _PRONOUN_RE.finditer(sentence):
            if any(s <= pm.start() < e for s, e in taken):
                continue
            out.append(
                _Mention(pm.start(), pm.end(), "pronoun", None, _PRONOUNS[pm.group(1).lower()])
            )
        for fm in _FIRST_PERSON_RE.finditer(sentence):
            if any(s <= fm.start() < e for s, e in taken):
                continue
            out.append(_Mention(fm.start(), fm.end(), "self", self.sender))
        out.sort(key=lambda m: m.start)
        for m in out:
            m.subject_like = _subject_like(sentence, m.start, m.end, m.kind)
        return out

    def _accept_name(
        self, nm: NameMention, sentence: str, local_parts: list[str]
    ) -> tuple[str, Draft | None] | None:
        """Decide whether a name-shaped run is a person; returns ("name", draft or None for a
        new draft), or None to ignore it."""
        after = sentence[nm.end : nm.end + 60]
        before = sentence[max(0, nm.start - 60) : nm.start]
        if self._is_sender_name(nm.name):
            return "name", self.sender
        known = self.find(nm.name)
        if (
            self._is_signature_name(nm.name)
            and known is None
            and not (_NOMINEE_BEFORE.search(before) or _NOMINEE_AFTER.match(after))
        ):
            return "name", self.other
        if _PA_BEFORE.search(before) or _PA_AFTER.match(after):
            if known is not None and known.origin == "prose" and not known.has_details:
                known.cues.append("pa")
                return "name", known
            return "name", self.other if known is None else known
        if known is not None:
            return "name", known
        tokens = nm.tokens
        if nm.honorific or len(tokens) >= 2:
            return "name", None
        # A lone word: a person only with strong evidence.
        if nm.possessive and _CONTACT_NOUN.search(sentence[nm.end : nm.end + 40]):
            return "name", None
        if re.search(r"\b[A-Z][\w'’-]*\s+$", before) and not nm.honorific:
            # "Our Head of Quality Assurance, who …": the last word of a capitalised phrase.
            return None
        if nm.possessive and re.match(r"['’]s\s+[A-Z][a-z]", sentence[nm.end :]):
            # "Martha's Rule", "Guy's Hospital": a thing named after someone.
            return None
        word = name_key(nm.name)
        owners = {
            key
            for key in self.region_names
            if word and (word[0] in (key[0], key[-1]) or is_short_form(word[0], key[0]))
        }
        if len(owners) == 1:
            # The first name (or surname) of someone named in full elsewhere in the text.
            return "name", None
        if any(local_part_matches_name(addr, nm.name) for addr in local_parts):
            return "name", None
        if (
            _NOMINEE_AFTER.match(after)
            or _REPLACED_AFTER.match(after)
            or _NOMINEE_BEFORE.search(before)
            or _REPLACED_BEFORE.search(before)
        ):
            return "name", None
        if re.match(r"^\s+(?:can|may|could)\s+be\s+(?:contacted|reached)", after):
            return "name", None
        if not before.strip() and CONTACT_CORRECTION.search(sentence):
            # "Grace has pointed out that I gave you the wrong email for her - it should be …":
            # the subject of a sentence correcting a contact of the person it names.
            return "name", None
        return None

    def _resolve_pronoun(
        self,
        m: _Mention,
        prior: list[_Mention],
        focus: list[Draft],
        before: str | None = None,
        sentence: str | None = None,
    ) -> Draft | None:
        """The person a pronoun refers to: a gender-compatible person mentioned before it in the
        sentence (the first, as the likely subject, for he/she/they; the nearest for him/her
        after a verb), else the focus of the previous sentences."""

        def ok(d: Draft | None) -> bool:
            return (
                d is not None
                and d is not self.other
                and (m.gender is None or d.gender in (None, m.gender))
            )

        if before is not None and _OBJECT_OF_REPLACING.search(before[-60:]):
            # "Priya … will replace her": whoever is replaced is not the one replacing them,
            # so the pronoun points back to an earlier sentence.
            for d in focus:
                if ok(d) and all(p.draft is not d for p in prior):
                    return d
            return None
        cands = [p.draft for p in prior if p.kind == "name" and ok(p.draft)]
        # Drop duplicates, keep order.
        seen: list[Draft] = []
        for c in cands:
            if c is not None and all(c is not s for s in seen):
                seen.append(c)
        if len(seen) == 1:
            return seen[0]
        if len(seen) > 1:
            strict = [c for c in seen if m.gender is not None and c.gender == m.gender]
            if len(strict) == 1:
                return strict[0]
            last = next(p for p in reversed(prior) if p.kind == "name" and ok(p.draft))
            if sentence is not None and re.search(r"\bwho\b", sentence[last.end : m.start]):
                # "… from Dr Colm Brennan, who stepped down when he moved …": inside a relative
                # clause the pronoun is the clause's person.
                return last.draft
            return seen[0]
        for d in focus:
            if ok(d):
                return d
        return None

    def _read_sentence(
        self, sentence: str, source: Source, order: int, *, topic: Draft | None
    ) -> Draft | None:
        """Read one sentence; returns the person in focus afterwards (for the next sentence).

        Stages: spans (addresses, numbers, bands, organisations: found once, never read as
        names); mentions with pronouns resolved; chains of names; swaps ("replacing A with
        B"); the role words around each mention; a title when one person is named; contacts
        and bands to their owner; the person in focus."""
        emails = find_emails(sentence)
        phones = find_phones(sentence)
        bands = find_bands(sentence)
        not_names = [(s, e) for _n, s, e in find_organisations(sentence)]
        not_names += [(em.start, em.end) for em in emails] + [(bm.start, bm.end) for bm in bands]
        mentions = self._mentions(sentence, source, order, not_names)
        self._resolve_pronouns(mentions, sentence, topic)
        people = [m for m in mentions if m.draft is not None]
        chains = _chains(sentence, people)
        self._swaps(sentence, people)
        self._cue_mentions(sentence, people, chains, source)
        self._only_title(sentence, people, source)
        unresolved = tuple(m.end for m in mentions if m.kind == "pronoun" and m.draft is None)
        owners = _Owners(
            sentence, people, topic, _contact_continues(sentence, emails, phones), unresolved
        )
        referential = any(m.kind == "pronoun" and m.draft is None for m in mentions) or bool(
            re.search(rf"(?i)\b(?:the|our)\s+(?:{_ADJ}\s+)?(?:{_PSS}|nominee)", sentence)
        )
        self._assign_emails(sentence, emails, owners, source, referential)
        self._assign_numbers(sentence, phones, bands, owners, source, referential)
        self.sentence_people = [m.draft for m in people if m.kind == "name" and m.draft is not None]
        return self._focus_after(people, topic)

    def _resolve_pronouns(
        self, mentions: list[_Mention], sentence: str, topic: Draft | None
    ) -> None:
        """Give each pronoun mention its person (or None), in reading order."""
        focus = [topic] if topic is not None else []
        prior: list[_Mention] = []
        for m in mentions:
            if m.kind == "pronoun":
                obj = sentence[m.start : m.end].lower() in ("him", "her", "them")
                m.draft = self._resolve_pronoun(
                    m, prior, focus, sentence[max(0, m.start - 60) : m.start] if obj else None,
                    sentence,
                )
                if m.draft is not None and m.draft.gender is None and m.gender is not None:
                    m.draft.gender = m.gender
            prior.append(m)

    def _swaps(self, sentence: str, people: list[_Mention]) -> None:
        """ "replacing A with B", "change our PSS from A to B": A replaced, B nominee."""
        for idx in range(1, len(people)):
            a, b = people[idx - 1], people[idx]
            if (
                a.kind == "name"
                and b.kind == "name"
                and a.draft not in (None, self.other, self.sender)
                and b.draft not in (None, self.other, self.sender)
                and _SWAP_GAP.match(sentence[a.end : b.start])
                and _SWAP_BEFORE.search(sentence[max(0, a.start - 80) : a.start])
            ):
                gap_word = sentence[a.end : b.start].strip(" ,()").lower()
                before_a = sentence[max(0, a.start - 80) : a.start]
                if gap_word == "to" and not re.search(r"(?i)\bfrom\s*$", before_a):
                    continue
                assert a.draft is not None and b.draft is not None
                a.draft.cues.append("replaced")
                b.draft.cues.append("nominee")

    def _cue_mentions(
        self,
        sentence: str,
        people: list[_Mention],
        chains: tuple[list[int], list[int]],
        source: Source,
    ) -> None:
        """Roles from the words around each mention (cues on its person)."""
        chain_first, chain_last = chains
        pss_sentence = bool(re.search(rf"(?i)\b{_PSS}|\brole\b|\bpost\b", sentence))
        for idx, m in enumerate(people):
            d = m.draft
            assert d is not None
            if d is self.other:
                continue
            first, last = people[chain_first[idx]], people[chain_last[idx]]
            prev_end = people[chain_first[idx] - 1].end if chain_first[idx] > 0 else 0
            nxt = chain_last[idx] + 1
            next_start = people[nxt].start if nxt < len(people) else len(sentence)
            before = sentence[max(prev_end, first.start - 80) : first.start]
            after_full = sentence[last.end : next_start if next_start > last.end else len(sentence)]
            after = sentence[last.end : min(len(sentence), last.end + 160)]
            if d is self.sender:
                if _SENDER_IS_PSS.search(sentence[max(0, m.start - 5) :]) and m.kind == "self":
                    self.sender_is_nominee = True
                if m.kind == "self":
                    self._self_title(sentence, m, source)
                continue
            if pss_sentence:
                d.in_pss_sentence = True
            if _PA_BEFORE.search(before):
                d.cues.append("pa")
                continue
            d.cues.extend(_cues_around(before, after, after_full))
            if m.kind in ("name", "pronoun"):
                self._title_near(d, sentence, m, before, source)

    def _only_title(self, sentence: str, people: list[_Mention], source: Source) -> None:
        """With one person named, a title anywhere in the sentence is theirs."""
        distinct = {id(m.draft) for m in people if m.kind != "self"}
        if len(distinct) != 1 or not people:
            return
        only = next((m.draft for m in people if m.kind != "self"), None)
        tm = _TITLE_ANYWHERE.search(sentence)
        if only is not None and only is not self.other and only is not self.sender and tm:
            title, _band = split_title_band(clean_title(tm.group("t") or tm.group("t2")))
            title = title or ""
            if looks_like_title(title) and not is_designation(title):
                only.set("job_title", title, source, sentence)

    def _assign_emails(
        self,
        sentence: str,
        emails: list[EmailMatch],
        owners: _Owners,
        source: Source,
        referential: bool,
    ) -> None:
        """Each address to the person its local part names, the sender's, or the nearest
        person; an orphan when nobody."""
        for em in emails:
            owner: Draft | None = None
            scored = [(local_part_matches_name(em.addr, d.name), d) for d in self.drafts if d.name]
            best = max((s for s, _ in scored), default=0)
            if best >= 1:
                tops = [d for s, d in scored if s == best]
                if len(tops) == 1:
                    owner = tops[0]
            if owner is None and any(
                local_part_matches_name(em.addr, n) == 2 for n in self.ctx.sender_names
            ):
                owner = self.sender
            if em.addr in self.ctx.sender_addrs:
                owner = self.sender
            if owner is None:
                owner = owners.at(em.start)
            if owner is None:
                self.orphans.append(("email", em.addr, source, sentence, referential))
            elif owner is not self.other:
                # The sender's own details are kept apart: used only when they are the nominee.
                owner.set("email", em.addr, source, sentence)

    def _assign_numbers(
        self,
        sentence: str,
        phones: list[PhoneMatch],
        bands: list[BandMatch],
        owners: _Owners,
        source: Source,
        referential: bool,
    ) -> None:
        """Each number and band to the nearest person; a number nobody owns is an orphan
        (a bare switchboard without extension is nobody's)."""
        for pm in phones:
            owner = owners.at(pm.start)
            if owner is None:
                if pm.kind != "switchboard" or pm.extension:
                    self.orphans.append(("phone", pm, source, sentence, referential))
            elif owner is not self.other:
                lead = sentence[max(0, pm.start - 60) : pm.start]
                preferred = bool(_PREFERRED_NUMBER.search(lead))
                owner.add_phone(pm, source, sentence, preferred=preferred)
        for bm in bands:
            owner = owners.at(bm.start)
            if owner is not None and owner is not self.other:
                owner.set_band(bm, bm.raw, source, sentence)

    def _focus_after(self, people: list[_Mention], topic: Draft | None) -> Draft | None:
        """The person the next sentence goes on about."""
        named = [
            m.draft
            for m in people
            if m.draft is not None and m.draft is not self.other and m.draft is not self.sender
        ]
        if named:
            # "Bill left in May, and Esther has been covering the role. She is …": the person
            # said to be leaving is not who the next sentence goes on about.
            staying = [d for d in named if "replaced" not in d.cues]
            return staying[0] if staying and len(set(map(id, named))) > 1 else named[0]
        return topic

    def _self_title(self, sentence: str, m: _Mention, source: Source) -> None:
        """The sender's own post ("I am the Trust's Patient Safety Lead"), kept on the sender's
        draft (used only when the sender is the nominee)."""
        if sentence[m.start : m.end].lower() not in ("i", "my"):
            return
        tm = _SELF_TITLE.match(sentence[m.end : m.end + 200])
        if tm:
            title, _band = split_title_band(clean_title(tm.group("t")))
            if title and looks_like_title(title) and not is_designation(title):
                self.sender.set("job_title", title, source, sentence)

    def _title_near(
        self, d: Draft, sentence: str, m: _Mention, before: str, source: Source
    ) -> None:
        after = sentence[m.end :]
        # "Renée Castellanos-Boyd RGN MSc, Deputy Chief Nurse, as …": letters after the name.
        after = _POSTNOMINAL_RUN.sub("", after, count=1)
        # "Dr X (x@nhs.net, 07700 …), our Lead for …", "Ms Y, y@nhs.net, 07700 …, the ICB's
        # Head of …": the contacts come first.
        after = _skip_leading_contacts(after)
        # "is currently a Band 7 Patient Safety Facilitator": the band sits inside the phrase.
        for bm in reversed(find_bands(after)):
            if not after[bm.start - 1 : bm.start] == "(":
                after = after[: bm.start] + after[bm.end :]
        for pat in _TITLE_AFTER:
            tm = pat.match(after)
            if tm:
                raw = tm.group("t")
                # "Deputy Director, Clinical Safety and Learning, as the Agency's first PSS": a
                # portfolio after a comma, closed by a comma and the rest of the clause.
                more = _PORTFOLIO.match(after[tm.end() :])
                if more and not find_organisations(more.group("p")):
                    raw = f"{raw}, {more.group('p')}"
                title, _band = split_title_band(clean_title(raw))
                if title and looks_like_title(title) and not is_designation(title):
                    d.set("job_title", title, source, sentence)
                    return
        if m.kind == "name":
            # "Our new Head of Patient Safety & Learning, who starts in June, is Mrs X".
            tm = _TITLE_IS_BEFORE.search(sentence[max(0, m.start - 300) : m.start])
            if tm:
                title = clean_title(tm.group("t"))
                if looks_like_title(title) and not is_designation(title) and not re.fullmatch(
                    _EXEC_TITLE, title
                ):
                    d.set("job_title", title, source, sentence)
                    return
        tm = _TITLE_BEFORE.search(before)
        if tm and m.kind == "name":
            title = clean_title(tm.group("t"))
            if (
                looks_like_title(title)
                and not is_designation(title)
                and not re.search(r"(?i)\b(?:PA|assistant|secretary)\b", title)
            ):
                d.set("job_title", title, source, sentence)

    # ---------------------------------------------------------------- result

    def _complete_name(self, d: Draft) -> None:
        """A one-word name whose address gives the surname ("Ellen" with ellen.park@…) becomes
        the full name when the text writes it after the first name ("Ellen Park is …"): the
        surname is a common word the name finder left out."""
        if not d.name or not d.email or len(name_key(d.name)) != 1:
            return
        parts = [p for p in re.split(r"[._-]+", fold(d.email.partition("@")[0])) if p]
        if len(parts) < 2 or parts[0] != name_key(d.name)[0]:
            return
        surname = re.sub(r"[^a-z]", "", parts[-1])
        pattern = re.compile(rf"\b{re.escape(d.name)}\s+([A-Z][\w'’-]+)")
        for text in self.texts:
            for m in pattern.finditer(text):
                if re.sub(r"[^a-z]", "", fold(m.group(1))) == surname:
                    d.name = f"{d.name} {m.group(1)}"
                    return

    def _short_name_owner(self, d: Draft) -> Draft | None:
        """The person a one-word name is a short form of: "Funmi" for Olufunmilayo
        Adebayo-Price (funmi.adebayo-price@…), "Seun" for "Oluwaseun (Seun) Adeyemi", "Sue" for
        Susan. Only when exactly one other person named in full fits, and their contacts do not
        disagree."""
        if not d.name or len(name_key(d.name)) != 1:
            return None
        word = name_key(d.name)[0]
        if len(word) < 3 or set(d.cues) & _OTHER_PERSON_CUES:
            # "Katherine will be supported by Kate, our governance manager": said to be someone
            # else (a colleague staying, a PA, the executive).
            return None
        fits = []
        for t in self.drafts:
            if t is d or not t.name or len(name_key(t.name)) < 2:
                continue
            if (d.email and t.email and d.email != t.email) or (
                d.phone and t.phone and d.phone != t.phone
            ):
                continue
            if is_short_name_of(word, t.name, t.email) and not (
                d.job_title and t.job_title and d.job_title != t.job_title
            ):
                fits.append(t)
        return fits[0] if len(fits) == 1 else None

    def _move_misplaced_addresses(self) -> None:
        """An address that names someone else goes to them: a table cell left empty shifted
        "lowri.pennant@…" under Anselm Brightwater. Moved only to the one other named person
        the address fits who has none, and only when it does not fit its holder at all."""
        named = [d for d in self.drafts if d.name and not d.is_sender]
        for d in named:
            if not d.email or local_part_matches_name(d.email, d.name or "") > 0:
                continue
            fits = [
                t for t in named
                if t is not d and local_part_matches_name(d.email, t.name or "") == 2
            ]
            if len(fits) == 1 and fits[0].email is None:
                t = fits[0]
                t.email = d.email
                if "email" in d.provenance:
                    t.provenance["email"] = d.provenance.pop("email")
                d.email = None

    @staticmethod
    def _absorb(into: Draft, d: Draft) -> None:
        """Move what ``d`` knows that ``into`` does not (same person) into ``into``."""
        for key in ("email", "phone", "job_title"):
            value = getattr(d, key)
            if value is not None and getattr(into, key) is None:
                setattr(into, key, value)
                if key in d.provenance:
                    into.provenance[key] = d.provenance[key]
                if key == "phone":
                    into.extension = d.extension
        if d.band_raw and into.band_raw is None:
            into.band, into.band_raw = d.band, d.band_raw
            if "pay_band" in d.provenance:
                into.provenance["pay_band"] = d.provenance["pay_band"]
        into.cues.extend(d.cues)
        into.in_pss_sentence = into.in_pss_sentence or d.in_pss_sentence
        if into.role is None:
            into.role = d.role
        into.order = min(into.order, d.order)

    def result(self, replacement_stated: bool) -> PeopleResult:
        """The people read, in stages: tidy the drafts, decide roles by the role rows, the
        group fallbacks, unnamed records joining their person, orphan contacts."""
        self._tidy_drafts()
        nominees, replaced, incumbents, unknown, decisions = self._by_role()
        replacing = replacement_stated or any("replace" in c for d in nominees for c in d.cues)
        for d in incumbents:
            if replacing:
                d.decided_by = "incumbent-while-replacing"
                replaced.append(d)
        self._fallbacks(nominees, unknown)
        self._join_unnamed(nominees)
        self._attach_orphans(nominees, replaced)
        nominees.sort(key=lambda d: d.order)
        replaced.sort(key=lambda d: d.order)
        return PeopleResult(
            nominees,
            replaced,
            self.sender_is_nominee,
            self.notes,
            self.sender if self.sender_is_nominee else None,
            _undecided(nominees, unknown),
            decisions,
        )

    def _tidy_drafts(self) -> None:
        """Complete names, fold short forms into their full name, move addresses to the
        person they name; note when the sender's own record makes them the nominee."""
        for draft in self.drafts:
            self._complete_name(draft)
        for draft in list(self.drafts):
            owner = self._short_name_owner(draft)
            if owner is not None:
                self._absorb(owner, draft)
                self.drafts.remove(draft)
        self._move_misplaced_addresses()
        if self.own_details and any(
            d.name and self._is_sender_name(d.name) and d.origin in ("label", "block")
            for d in self.drafts
        ):
            self.sender_is_nominee = True

    def _by_role(
        self,
    ) -> tuple[list[Draft], list[Draft], list[Draft], list[Draft], list[tuple[str, str, str]]]:
        """(nominees, replaced, incumbents, undecided, decisions) by the role rows."""
        nominees: list[Draft] = []
        replaced: list[Draft] = []
        incumbents: list[Draft] = []
        unknown: list[Draft] = []
        decisions: list[tuple[str, str, str]] = []
        buckets = {Role.NOMINEE: nominees, Role.REPLACED: replaced, Role.INCUMBENT: incumbents}
        for d in self.drafts:
            d.decided_by, verdict = decide(self._facts(d))
            decisions.append((d.name or "(no name)", d.decided_by, verdict))
            if verdict == DROP:
                continue
            if d.decided_by == "sender-own-details":
                d.role = verdict
            buckets.get(verdict, unknown).append(d)
        return nominees, replaced, incumbents, unknown, decisions

    @staticmethod
    def _fallbacks(nominees: list[Draft], unknown: list[Draft]) -> None:
        """People no row decided who become nominees by default (added to ``nominees``)."""
        # Someone the text clearly names as the PSS (a cue, a label, a list) makes other
        # people merely mentioned in prose, even with a number, colleagues rather than nominees.
        clear = any(d.origin in ("label", "block") or "nominee" in d.cues for d in nominees) or any(
            d.origin in ("label", "block") for d in unknown
        )
        for d in unknown:
            # A person only named in prose needs a contact to count: a title alone is how
            # executives and colleagues are mentioned too.
            if d.origin in ("label", "block") or ((d.email or d.phone) and not clear):
                d.decided_by = "record-without-role" if d.origin != "prose" else "only-contacts"
                nominees.append(d)
        if not any(d.name for d in nominees):
            # A person named in a sentence about the PSS role, with nothing else said.
            cands = [
                d
                for d in unknown
                if d not in nominees
                and d.in_pss_sentence
                and "author" not in d.cues
                and d.name
                and (d.honorific or len(d.name.split()) >= 2)
            ]
            if len(cands) == 1:
                cands[0].decided_by = "only-person-in-pss-sentence"
                nominees.append(cands[0])

    def _join_unnamed(self, nominees: list[Draft]) -> None:
        """Records without a name (a follow-up's "Mobile: …") join the one named nominee, or
        the list item above them (removed from ``nominees``)."""
        unnamed = [d for d in nominees if d.name is None]
        named = [d for d in nominees if d.name is not None]
        if unnamed and len(named) == 1:
            for u in unnamed:
                self._absorb(named[0], u)
                nominees.remove(u)
        elif unnamed and named:
            # "1) Dr A B – title / Email: … / Mobile: …" then "2) …": labelled details under a
            # list item are the item's person's, when that person has none of them yet.
            for u in unnamed:
                before = [d for d in named if d.order < u.order]
                owner = max(before, key=lambda d: d.order) if before else None
                if owner is not None and not (owner.email or owner.phone) and (
                    u.email is None or local_part_matches_name(u.email, owner.name or "") > 0
                ):
                    self._absorb(owner, u)
                    nominees.remove(u)

    def _attach_orphans(self, nominees: list[Draft], replaced: list[Draft]) -> None:
        """Contacts nobody could be tied to: the one nominee's, or (in a follow-up, or when the
        sentence points at someone) an unnamed nominee's (appended to ``nominees``)."""
        unnamed_draft: Draft | None = None
        for kind, value, source, text, referential in self.orphans:
            targets = [d for d in nominees if getattr(d, kind) is None]
            if unnamed_draft is not None:
                _store_contact(unnamed_draft, kind, value, source, text)
            elif len(nominees) == 1 and targets:
                if kind == "email" and self._names_someone_else(str(value), nominees[0]):
                    continue
                nominees[0].attached[kind] = "not beside anyone; given to the one nominee"
                _store_contact(nominees[0], kind, value, source, text)
            elif not nominees and not replaced and (self.ctx.follow_up or referential):
                unnamed_draft = Draft(origin="prose")
                _store_contact(unnamed_draft, kind, value, source, text)
                nominees.append(unnamed_draft)
            elif nominees or replaced:
                self.notes.append(f"A {kind} in the text could not be tied to a person.")

    def _names_someone_else(self, addr: str, nominee: Draft) -> bool:
        """True when ``addr`` does not name ``nominee`` but names another person read."""
        return bool(
            nominee.name
            and local_part_matches_name(addr, nominee.name) == 0
            and any(local_part_matches_name(addr, d.name) for d in self.drafts if d.name)
        )

    def _facts(self, d: Draft) -> Facts:
        """What the role rows may look at for ``d``."""
        return Facts(
            has_name=d.name is not None,
            has_details=d.has_details,
            role=d.role,
            cues=frozenset(d.cues),
            origin=d.origin,
            is_sender=d.is_sender,
            sender_named=bool(d.name and not d.is_sender and self._is_sender_name(d.name)),
            sender_is_nominee=self.sender_is_nominee,
        )


def _store_contact(d: Draft, kind: str, value: str | PhoneMatch, source: Source, text: str) -> None:
    """Give ``d`` an orphan contact: an address (``kind`` "email") or a number."""
    if kind == "email":
        assert isinstance(value, str)
        d.set("email", value, source, text)
    else:
        assert isinstance(value, PhoneMatch)
        d.add_phone(value, source, text)


def _undecided(nominees: list[Draft], unknown: list[Draft]) -> list[Draft]:
    """Named with a contact, yet no row decided their role and no fallback took them, while
    nobody is nominated in so many words: a person must decide (ambiguous-reading). With a
    nominee the text names as such, they are colleagues mentioned in passing."""
    if any(d.decided_by in _STATED_ROWS for d in nominees):
        return []
    return [
        d for d in unknown
        if d not in nominees and d.name and (d.email or d.phone) and d.origin == "prose"
    ]


@dataclass(frozen=True, slots=True)
class _At:
    """Where a labelled value is being stored: ``role`` (the label's or the heading's),
    ``label_role`` (the label's own), the source, the order, the line, and ``force`` (the
    value goes to the current record whatever it holds: one column of a table)."""

    role: str | None
    label_role: str | None
    source: Source
    order: int
    line: str
    force: bool


def _chains(sentence: str, people: list[_Mention]) -> tuple[list[int], list[int]]:
    """(first, last) index of the chain each mention is in: names joined by "and" or a comma
    ("Mrs Janice Pollard and Mr Owen Treharne are both stepping down", "replace A and B")
    share the words before the first and after the last."""
    chain_first = list(range(len(people)))
    chain_last = list(range(len(people)))
    for idx in range(1, len(people)):
        gap = sentence[people[idx - 1].end : people[idx].start]
        if (
            people[idx].kind == "name"
            and people[idx - 1].kind == "name"
            and re.fullmatch(
                r"\s*(?:\([^)]*\)\s*)?(?:,|and|&|,\s*and|as\s+well\s+as)\s*(?:\([^)]*\)\s*)?",
                gap,
            )
        ):
            chain_first[idx] = chain_first[idx - 1]
    for idx in range(len(people) - 2, -1, -1):
        if chain_first[idx + 1] == chain_first[idx]:
            chain_last[idx] = chain_last[idx + 1]
    return chain_first, chain_last


def _cues_around(before: str, after: str, after_full: str) -> list[str]:
    """The role cues the words before and after a mention give, in a fixed order."""
    cues = []
    if _AUTHOR_BEFORE.search(before):
        # "a letter from Dr Pryor regarding a PSS": who wrote, not who is nominated.
        cues.append("author")
    if _EXEC_BEFORE.search(before) or _EXEC_AFTER.match(after):
        cues.append("executive")
    if _EXISTING_BEFORE.search(before) or _EXISTING_AFTER.match(after_full):
        cues.append("existing")
    if _STAYS_AFTER.match(after_full):
        cues.append("stays")
    if _INCUMBENT_BEFORE.search(before) or _INCUMBENT_AFTER.match(after):
        cues.append("incumbent")
    if _REPLACED_BEFORE.search(before) or _REPLACED_AFTER.match(after):
        cues.append("replaced")
    if _NOMINEE_BEFORE.search(before) or _NOMINEE_AFTER.match(after):
        # "X will replace Y": X is the nominee unless X is also said to be leaving.
        cues.append("nominee")
    return cues


def _contact_continues(sentence: str, emails: list[EmailMatch], phones: list[PhoneMatch]) -> bool:
    """True when the sentence speaks of contacts ("can be contacted on"), or is only an
    address or number (it continues the person just named)."""
    if _CONTACT_NOUN.search(sentence):
        return True
    bare = sentence
    spans = [(e.start, e.end) for e in emails] + [(p.start, p.end) for p in phones]
    for start, end in spans:
        bare = bare.replace(sentence[start:end], " ")
    return len(re.findall(r"[^\W\d_]{2,}", bare)) <= 2 and bare != sentence


@dataclass(frozen=True, slots=True)
class _Owners:
    """Who owns a contact at an offset of ``sentence``: the nearest person before it (the
    clause's subject across "and <verb>"), else the first after it, else ``topic`` when the
    sentence speaks of contacts."""

    sentence: str
    people: list[_Mention]
    topic: Draft | None
    contact_noun: bool
    unresolved: tuple[int, ...] = ()  # ends of pronouns no one in the text answers to

    def at(self, pos: int) -> Draft | None:
        before_people = [p for p in self.people if p.end <= pos]
        if not before_people and any(end <= pos for end in self.unresolved):
            # "her mobile is actually 07700 900864, I transposed two digits": the number is
            # the unresolved "her"'s (an orphan the follow-up gives its person), not the "I"'s.
            return None
        if before_people:
            nearest = before_people[-1]
            if nearest.subject_like or len(before_people) == 1:
                return nearest.draft
            # "Anthony reports to me and is paid …", "Daniel will replace Sarah and can be
            # contacted on …": a verb joined by "and" belongs to the clause's subject.
            if _AND_VERB.search(self.sentence[nearest.end : pos]):
                subjects = [p for p in before_people[:-1] if p.subject_like]
                if subjects:
                    return subjects[-1].draft
            return nearest.draft
        after_people = [p for p in self.people if p.start >= pos]
        if after_people:
            return after_people[0].draft
        return self.topic if self.contact_noun else None


_INTRO_ABOUT_PSS = re.compile(
    r"(?i)\b(?:PSS|patient\s+safety\s+specialist|nominat|identif|replac|outgoing|new)\w*"
)


def _block_pairs(text_lines: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """(lines, pairs): "Dr A, title, a@…, 0113 … – replacing Dr B (b@…, 0121 …)": the part
    after the connective is the other person's, with their own contacts; cut off as
    (tail, direction)."""
    lines = list(text_lines)
    pairs: list[tuple[str, str]] = []
    for k, t in enumerate(lines):
        cut = _pair_cut(t)
        if cut is not None:
            lines[k], tail, direction = t[: cut[0]], t[cut[1] :], cut[2]
            pairs.append((tail, direction))
    return lines, pairs


def _block_fragments(text_lines: list[str]) -> list[str]:
    """Each line of a block split on separators, with its contacts removed."""
    frags: list[str] = []
    for t in text_lines:
        s = t
        for em in find_emails(t):
            s = s.replace(t[em.start : em.end], " \x00 ")
        for pm in find_phones(t):
            s = s.replace(pm.raw, " \x00 ")
        s = re.sub(
            r"(?i)\b(?:e-?mail|tel(?:ephone)?|phone|mobile|mob|m|t|e)\s*[:.]\s*(?=\x00)", "", s
        )
        # A qualifier in brackets after a title ("Patient Safety Lead (Maternity and
        # Neonatal)") belongs to the title: it is kept while the line is split.
        s = _QUALIFIER.sub(_protect_qualifier, s)
        # "Band 8 (b)": a band keeps its brackets while the line is split.
        for bm in reversed(find_bands(s)):
            if bm.band and "(" in bm.raw:
                s = f"{s[: bm.start]}Band {bm.band}{s[bm.end :]}"
        for part in re.split(
            r"\s*(?:\x00|\s[-–—|/]\s|\||;|\t|\(|\)|(?<=[a-z]{2})\.\s+(?=[A-Z]))\s*", s
        ):
            part = _restore_qualifier(part.strip(" ,:"))
            if part:
                frags.append(part)
    return frags


@dataclass(slots=True)
class _BlockParts:
    """What a block's fragments hold: a name, a title, a band and the other words."""

    name: ParsedName | None
    title: str | None
    band: BandMatch | None
    band_raw: str | None
    leftovers: list[str]


@dataclass(frozen=True, slots=True)
class _BlockRecord:
    """One block being read: its lines, list kind, intro, source, offset base, contacts,
    parts and pair tails."""

    block: list[Line]
    kind: str | None
    intro: str
    source: Source
    base: int
    emails: list[EmailMatch]
    phones: list[PhoneMatch]
    parts: _BlockParts
    pairs: list[tuple[str, str]]


def _block_parts(frags: list[str]) -> _BlockParts:
    """The name, title, band and leftovers among a block's fragments."""
    name = None
    title = None
    band: BandMatch | None = None
    band_raw: str | None = None
    leftovers: list[str] = []
    for frag in frags:
        pieces = [frag]
        # "Amara Okafor, Deputy Director of Patient Safety, Band 8d" → split on commas
        # only when the first piece is a name.
        if "," in frag:
            first = frag.split(",", 1)[0]
            if (
                name is None
                and parse_name_value(first) is not None
                and not looks_like_title(first)
            ):
                pieces = [first, frag.split(",", 1)[1]]
        for piece in pieces:
            piece = piece.strip(" ,")
            if not piece:
                continue
            part_title, b = split_title_band(piece)
            if b is not None and band is None:
                band, band_raw = b, b.raw
                if part_title is None:
                    continue
                piece = part_title
            if name is None and not looks_like_title(piece):
                parsed = parse_name_value(piece)
                if (
                    parsed is not None
                    and not parsed.rest
                    and (len(parsed.name.split()) >= 2 or parsed.honorific)
                    and not find_organisations(piece)
                ):
                    name = parsed
                    continue
            if (
                title is None
                and looks_like_title(piece)
                and not is_designation(piece, in_record=True)
            ):
                title = piece
                continue
            leftovers.append(piece)
    return _BlockParts(name, title, band, band_raw, leftovers)


_TableState = tuple[
    list[tuple[str, str | None]] | None, list[str | None] | None, list[Draft | None]
]


def _table_header(
    cells: list[str], labels: list[tuple[str, str | None] | None]
) -> _TableState | None:
    """The table state a header row starts (field labels, or roles as column headers), or
    None when the row is no header."""
    if sum(1 for lab in labels if lab and lab[0] not in (Field.HEADING,)) >= 2 and all(
        lab or not c for lab, c in zip(labels, cells, strict=True)
    ):
        if (
            all(lab and lab[0] == Field.NAME and lab[1] for lab in labels[1:] if lab)
            and not (labels[0])
        ):
            # Roles as column headers ("| New PSS | Outgoing PSS").
            roles: list[str | None] = [None, *(lab[1] if lab else None for lab in labels[1:])]
            return None, roles, [None] * len(cells)
        return [(lab[0], lab[1]) if lab else (Field.IGNORED, None) for lab in labels], None, []
    if not cells[0] and all(lab and lab[0] in (Field.NAME, Field.HEADING) for lab in labels[1:]):
        roles = [None, *(lab[1] if lab else None for lab in labels[1:])]
        return None, roles, [None] * len(cells)
    return None


def _fit_cells(
    columns: list[tuple[str, str | None]], cells: list[str]
) -> list[tuple[tuple[str, str | None], str]] | None:
    """Each cell with its column. When empty cells were lost ("Outgoing PSS<TAB>Mr Peter
    Lindgren<TAB>peter@…<TAB>07700 …" under six headings) each value goes to the next column
    it fits; None when one fits none."""
    if len(cells) >= len(columns):
        return list(zip(columns, cells, strict=False))
    pairs = []
    k = 0
    for value in cells:
        while k < len(columns) and not (
            _value_fits(columns[k][0], value) or (_column_heading(value) is not None and k == 0)
        ):
            k += 1
        if k == len(columns):
            return None
        pairs.append((columns[k], value))
        k += 1
    return pairs


# The fields a header row of a one-row-per-person table may name.
_ROW_FIELDS = (
    Field.NAME, Field.JOB_TITLE, Field.TITLE_AND_BAND, Field.BAND, Field.EMAIL, Field.PHONE,
    Field.CONTACT,
)


def _name_parts(text: str) -> tuple[str, str | None]:
    """``(name, honorific)`` of a line that starts with a name."""
    parsed = parse_name_value(re.split(r"\s*(?:,|;|\(|\s[-–—|/]\s|\t)\s*", text, maxsplit=1)[0])
    assert parsed is not None
    return parsed.name, parsed.honorific


def _is_cell_value(text: str, row_field: str) -> bool:
    """True when a line below a field label (one cell per line) is a value rather than the next
    label: "Patient Safety Manager" reads like the label "Line manager" but is a title."""
    lab = parse_label(text)
    if lab is None or lab.value:
        return True
    if looks_like_title(text) and (
        row_field in (Field.JOB_TITLE, Field.TITLE_AND_BAND) or lab.field == Field.IGNORED
    ):
        return True
    return False


def _column_heading(text: str) -> str | None:
    """The role a table heading cell or line names ("New PSS", "Outgoing PSS", "PSS being
    replaced"), or None when the text is not a bare role heading."""
    t = text.strip().strip("*:").strip()
    if not t or len(t) > 60:
        return None
    got = classify_label(t)
    if got is None or got[0] not in (Field.NAME, Field.HEADING) or got[1] is None:
        return None
    return got[1]


def _column_roles(cells: list[str]) -> list[str | None] | None:
    """The per-column roles of a header row whose columns are people (first entry None for the
    label column), or None when the row is not such a header. Two or more role cells are
    needed; the first cell may be empty or a generic word ("Details"), or missing."""
    roles = [_column_heading(c) if c else None for c in cells]
    if len(cells) >= 2 and all(r is not None for r in roles):
        return [None, *roles]
    if len(cells) >= 3 and roles[0] is None and all(r is not None for r in roles[1:]):
        first = classify_label(cells[0]) if cells[0] else None
        if not cells[0] or (first is not None and first[0] == Field.HEADING):
            return [None, *roles[1:]]
    return None


def _starts_with_name(text: str) -> bool:
    """True when a line opens with a person's name ("Janice Pollard – janice@… – 0161 …")."""
    first = re.split(r"\s*(?:,|;|\(|\s[-–—|/]\s|\t)\s*", text.strip()[:200], maxsplit=1)[0]
    if not first or len(first) > 80:
        # A name opens a short segment; a long one is a sentence (and would cost a phone scan).
        return False
    if looks_like_title(first) or find_emails(first) or find_phones(first):
        return False
    parsed = parse_name_value(first)
    return parsed is not None and (len(parsed.name.split()) >= 2 or parsed.honorific is not None)


def _value_fits(fld: str, value: str) -> bool:
    """True when ``value`` can be the value of a field of kind ``fld``."""
    if fld == Field.NAME:
        return parse_name_value(value) is not None
    if fld == Field.EMAIL:
        return bool(find_emails(value))
    if fld == Field.PHONE:
        return bool(find_phones(value))
    if fld == Field.CONTACT:
        return bool(find_emails(value) or find_phones(value))
    if fld == Field.BAND:
        return normalise_band_value(value) is not None or len(value) < 40
    if fld in (Field.JOB_TITLE, Field.TITLE_AND_BAND):
        return looks_like_title(value) or bool(find_bands(value))
    return False


def _looks_like_record_line(text: str) -> bool:
    """True for a short line that is part of a contact block rather than a sentence: an
    address, a number, a name, a title with or without band."""
    t = text.strip()
    if not t or len(t) > 110:
        return False
    if find_emails(t) or find_phones(t):
        return len(t) < 110 and not re.search(r"(?i)\b(?:is|are|can|will|be|has|have)\b", t)
    if find_bands(t) and len(t) < 90:
        return True
    if looks_like_title(t):
        return True
    parsed = parse_name_value(t)
    return parsed is not None and (len(parsed.name.split()) >= 2 or parsed.honorific is not None)


# A line introducing someone's details without naming them: "Her details are as follows:",
# "The nominee's contact details are:", "Contact details for our new PSS:".
_REFERS_TO_SOMEONE = re.compile(
    r"(?i)\b(?:his|her|their|the\s+nominee['’]?s?|nominee['’]?s?|(?:new|proposed|incoming)\s+"
    r"(?:PSS|patient\s+safety\s+specialist)['’]?s?)\s+(?:(?:full|contact|personal)\s+)?"
    r"(?:details|contact|e-?mail|number|information)\b"
    r"|\b(?:details|contact\s+details)\s+(?:of|for)\s+(?:him|her|them|the\s+nominee|our\s+"
    r"(?:new\s+|proposed\s+)?(?:PSS|patient\s+safety\s+specialist|nominee))\b"
)


_POSSESSIVE_DETAILS = re.compile(
    r"(?P<who>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})['’]s\s+(?:(?:full|contact|personal)\s+)?"
    r"(?:details|contact|e-?mail|number|information)\b"
)


def _possessive_owner(intro: str) -> str | None:
    """The person whose details a line introduces: "Olumide's details are as follows:"."""
    m = _POSSESSIVE_DETAILS.search(intro)
    if m is None:
        return None
    mentions = find_name_mentions(m.group("who"))
    return mentions[-1].name if mentions else None


# Role rows that decide from what the text says of the person (not a default).
_STATED_ROWS = frozenset({"given-role", "cue-nominee", "sender-own-details"})


def _role_from_intro(intro: str) -> str | None:
    """The role a line introducing a list gives its items ("Details of the outgoing PSS:")."""
    if not intro:
        return None
    if REPLACES_THE_LIST.search(intro):
        # "Ottoline … will replace both of our current PSSs:": the items are the object.
        return Role.REPLACED
    if re.search(
        r"(?i)\b(?:replac\w*|succeed\w*)\s+(?:[\w'’-]+\s+){1,4}?(?:with|by)\s+(?:two|three|the\s+following|"
        r"these|our|a|an|[\w'’-]+\s+colleagues?)\b|\breplaced\s+by\b|\bwill\s+(?:be\s+)?(?:share|take\s+over)",
        intro,
    ):
        # "We will be replacing Neil with two colleagues who will share the role:".
        return Role.NOMINEE
    if re.search(r"(?i)\b(?:being\s+replaced|outgoing|previous|former|leaving|replacing)\b", intro):
        if not re.search(r"(?i)\b(?:new|nominat|identif|successor|replacement)\w*", intro):
            return Role.REPLACED
    if re.search(
        r"(?i)\b(?:new|nominat\w*|identif\w*|proposed|successor|first|additional)\b", intro
    ):
        return Role.NOMINEE
    return None


_OWN_DETAILS = re.compile(
    r"(?i)\b(?:my|our\s+nominee['’]?s)\s+(?:contact\s+|full\s+|personal\s+)?details\b[^.]{0,40}:\s*$"
)


_MY_DETAILS = re.compile(
    r"(?i)\bmy\s+(?:own\s+)?(?:contact\s+|full\s+|personal\s+)?details\b[^.:]{0,40}:\s*$"
)


# "(Maternity and Neonatal)", "(Mental Health)" after a capitalised word: words only, no
# digits, addresses or band words, so "(8b)" or "(jo@nhs.net)" stay separate.
_QUALIFIER = re.compile(
    r"\b((?:Lead|Manager|Specialist|Head|Director|Officer|Nurse|Advisor|Adviser|Partner|"
    r"Practitioner|Midwife|Consultant|Investigator|Facilitator|Coordinator|Co-ordinator|"
    r"Lead\s+Nurse|Matron|Governance|Safety|Quality|Risk|Learning|Services?))\s*"
    r"\(((?![^)]{0,64}\b(?i:band|afc|grade|agenda|vsm|equivalent)\b)[A-Z][A-Za-z&,’' \-]{2,60}?)\)"
)


# A form field the label vocabulary does not know: a short capitalised label, then ":" or a tab.
_OTHER_FIELD = re.compile(r"^\s*[A-Z][A-Za-z'’/&\- ]{2,40}?\s*(?::|\t)\s*\S")
# Labels of fields about someone other than the nominee (or about the paperwork).
_OTHER_ROLE = re.compile(
    r"(?i)\b(?:executive|director|sponsor|approv\w*|sign\w*|submitted|completed|authori[sz]\w*|"
    r"deputy|chair|reference|ref|manager|officer|accountable|responsible|requested|contact\s+for|"
    r"sent|cc|copied|reviewer|senior\s+responsible)\b"
)


def _protect_qualifier(m: re.Match[str]) -> str:
    """The title word and its bracketed qualifier with the brackets and commas masked, so a
    split on separators keeps them together (:func:`_restore_qualifier` undoes it)."""
    return f"{m.group(1)} \x01{m.group(2).replace(',', chr(3))}\x02"


def _restore_qualifier(text: str) -> str:
    return text.replace("\x01", "(").replace("\x02", ")").replace("\x03", ",")


def _introduces_own_details(lines: list[Line], i: int) -> bool:
    """True when the last text line before line ``i`` introduces the sender's own details
    ("My details are:"), so the sender's name on line ``i`` heads a details block, not a
    signature."""
    for k in range(i - 1, max(-1, i - 3), -1):
        t = lines[k].text.strip()
        if t:
            return bool(_OWN_DETAILS.search(t))
    return False


def read_people(
    regions: list[Region], ctx: PeopleContext, *, replacement_stated: bool = False
) -> PeopleResult:
    """Read the nominees and replaced people from ``regions`` (in order; typically the new
    text, then forwarded text), see the module docstring. ``replacement_stated`` tells whether
    the message states a replacement, which makes a "current PSS" the person replaced."""
    reader = _Reader(ctx)
    for i, region in enumerate(regions):
        if region.text.strip():
            reader.read_region(region, i)
    return reader.result(replacement_stated)


def readable_text(region: Region, ctx: PeopleContext) -> str:
    """``region``'s text as the readers see it: cleaned, with disclaimers, quoted history left
    in by mistake, forwarded header blocks, greetings and sign-off/signature blocks blanked.
    Statements (type, guidance, withdrawal) are read from this too, so a quoted request or a
    signature can never state them."""
    text = clean_text(region.text)[:MAX_REGION_CHARS]
    return "\n".join(ln.text for ln in _readable_lines(text, ctx, region.source))
