"""People's names: honorifics, post-nominals, name-shaped word runs and name comparison.

Names are kept with their letters as written (Siobhán, Zoë, Łukasz, Nuñez, Ayşe,
O'Connor-Smith, O’Hare); only honorifics (kept apart) and post-nominal letters (RMN, MBE, PhD)
are removed. Comparison is done on folded text (:func:`parsing.extract.textutil.fold`), so
"Zoe" matches "Zoë".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from functools import lru_cache

from nicknames import NickNamer

from parsing.extract.textutil import fold

__all__ = [
    "HONORIFICS",
    "NameMention",
    "ParsedName",
    "display_person_name",
    "find_name_mentions",
    "is_name_token",
    "is_short_form",
    "is_short_name_of",
    "name_key",
    "names_match",
    "parse_name_value",
    "split_honorific",
]

# Folded honorific (no dot) → as it is normally written.
HONORIFICS: dict[str, str] = {
    "dr": "Dr",
    "doctor": "Dr",
    "prof": "Prof",
    "professor": "Professor",
    "mr": "Mr",
    "mrs": "Mrs",
    "ms": "Ms",
    "miss": "Miss",
    "mx": "Mx",
    "sister": "Sister",
    "sr": "Sister",
    "rev": "Rev",
    "revd": "Revd",
    "reverend": "Reverend",
    "sir": "Sir",
    "dame": "Dame",
    "lady": "Lady",
    "lord": "Lord",
    "cllr": "Cllr",
    "councillor": "Councillor",
}
# Honorifics that tell a person's gender, for pronoun resolution.
_MALE = {"mr", "sir", "lord"}
_FEMALE = {"mrs", "ms", "miss", "dame", "lady", "sister", "sr"}

_PARTICLES = {
    "van",
    "von",
    "de",
    "der",
    "den",
    "da",
    "di",
    "du",
    "la",
    "le",
    "del",
    "della",
    "dos",
    "das",
    "bin",
    "binti",
    "al",
    "el",
    "ter",
    "ten",
    "ap",
    "ní",
    "nic",
    "mac",
    "st",
}

# Post-nominal letters and degrees that follow a name in signatures and lists.
_POSTNOMINALS = {
    "rmn",
    "rgn",
    "rn",
    "rm",
    "rhv",
    "rnld",
    "rsci",
    "mbe",
    "obe",
    "cbe",
    "dbe",
    "kbe",
    "phd",
    "dphil",
    "msc",
    "bsc",
    "ma",
    "ba",
    "mba",
    "md",
    "mbchb",
    "mbbs",
    "chb",
    "mb",
    "bchir",
    "frcp",
    "mrcp",
    "frcs",
    "frcn",
    "frcpsych",
    "mrcpsych",
    "frcgp",
    "mrcgp",
    "frcog",
    "frcpch",
    "frca",
    "fficm",
    "frcr",
    "hons",
    "pgcert",
    "pgdip",
    "dip",
    "cert",
    "qn",
    "fhea",
    "frsa",
    "mfph",
    "ffph",
    "mcsp",
    "hcpc",
    "nmp",
    "inp",
    "mphil",
    "llb",
    "llm",
    "dclinpsych",
    "dnp",
    "acp",
    "fnp",
    "jp",
    "dl",
    "qc",
    "kc",
    "prn",
    "cmgr",
    "cmi",
    "mcmi",
    "fcmi",
    "bds",
    "mpharm",
}

# Capitalised words that, in these emails, are never part of a person's name: roles,
# organisation words, greetings, calendar words, document words. Folded.
STOPWORDS: frozenset[str] = frozenset(
    """
a an the and or of for to in on at by with from as is are was were be been being will would
shall should can could may might must i we you he she they it me us him her them my our your
his their its this that these those there here who whom whose which what when where why how
dear hi hello good morning afternoon evening kind kindest regards best wishes many thanks
thank yours sincerely faithfully warm cheers please note apologies sorry yes no not also
re fw fwd subject sent cc bcc attachment attachments attached
monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december jan feb mar apr jun jul aug sep sept
oct nov dec today tomorrow yesterday
nhs trust trusts icb icbs board foundation integrated care hospital hospitals health
healthcare hospice community mental partnership university teaching ambulance service
services council system clinical commissioning group ccg national england team teams region
regional directorate division department unit ward office organisation organization centre
patient patients safety specialist specialists pss psss quality governance risk learning
incident incidents investigation experience improvement nursing medical medicine clinical
director deputy associate assistant executive chief head lead leads manager managers officer
officers nurse nurses matron consultant practitioner advisor adviser specialty doctor
senior principal interim acting joint group operating operations operational finance
strategy corporate affairs workforce people secretary chair chairman chairwoman chairperson
coordinator co-ordinator administrator facilitator midwife midwifery pharmacist pharmacy
therapist therapies psychologist psychology physician surgeon registrar fellow champion
guardian guardians freedom speak caldicott ambassador advocate
governor analyst engineer partner partners programme project projects
agenda change band pay grade vsm afc role roles post job title position
psirf lfpse email e-mail phone telephone tel mobile mob contact number address name names
details information identifying document documents guidance nomination nominations nominee
nominees new first second third additional replacement previous outgoing current existing
main switchboard reception ext extension
mail outlook android iphone ipad samsung get sent microsoft teams
tell contact let kindly welcome congratulations following further regarding attached
unfortunately sadly if once since after before both neither either all any each some
following formerly currently previously recently now then however therefore additionally
furthermore meanwhile accordingly so but nor yet just only ps nb fyi asap pa ea
confirm confirmed confirmation identified identify appointed appoint nominate nominated
introduce introducing announce delighted pleased happy glad writing write wrote let's
update updated change changes changed replace replaces replacing replaced leaving form forms letter
framework response programme strategy policy committee contract contracts standard
standards network forum alert alerts event
events learn syllabus training level module college academy school institute clinic
practice house road street lane avenue way park court building floor wing suite campus site
centre center infirmary general royal district county city borough
""".split()
)

# Common words that are also common surnames, accepted as the last word of a name after an
# honorific and a first name.
_SURNAME_WORDS = frozenset(
    "ward house lane street park court way wing may march june best good case will hall".split()
)

# Words that, right before a capitalised run, make it a thing's name, not a person's.
_NOT_BEFORE_A_NAME = frozenset("the a an our its their nhs".split())

_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?")


def is_name_token(tok: str) -> bool:
    """True when ``tok`` looks like one word of a name: starts with an upper-case letter (or
    is an O'/Mc/d' form), letters with internal hyphens or apostrophes only, not a stop word.
    All-capitals words of two or three letters (RMN, NHS) are not name words."""
    t = tok.rstrip(".")
    if not t or not re.fullmatch(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*", t):
        return False
    if fold(t) in STOPWORDS or fold(t) in _POSTNOMINALS:
        return False
    if t.isupper() and len(t) <= 3:
        return False
    # Contractions ("I'm", "We've") are not names.
    if re.search(r"['’](?:m|s|d|ll|ve|re|t)$", t, re.IGNORECASE) and len(t.split("'")[0]) <= 4:
        if fold(re.split(r"['’]", t)[0]) in {
            "i",
            "we",
            "you",
            "they",
            "he",
            "she",
            "it",
            "that",
            "there",
            "let",
            "who",
            "what",
        }:
            return False
    first = t[0]
    if first.isupper():
        return True
    # d'Souza, de'Ath: a lower-case elided particle before a capital.
    return bool(re.match(r"^[a-z]['’][^\W\d_]", t)) and t[2].isupper()


def split_honorific(text: str) -> tuple[str | None, str]:
    """Split a leading honorific off ``text``: ``"Dr. Amara Okafor"`` → ``("Dr", "Amara Okafor")``.

    The honorific is returned in its usual written form (``Prof.`` → ``"Prof"``); several
    in a row ("Prof Dr") are all removed and joined with a space.
    """
    parts: list[str] = []
    rest = text.strip()
    while True:
        m = re.match(r"^([^\W\d_]+)\.?(?=\s|$)\s*", rest)
        if not m or fold(m.group(1)) not in HONORIFICS:
            break
        # "Miss" / "Sister" etc. only count as honorifics when a name follows.
        if not rest[m.end() :].strip():
            break
        parts.append(HONORIFICS[fold(m.group(1))])
        rest = rest[m.end() :]
    return (" ".join(parts) or None), rest.strip()


def _decapitalise(word: str) -> str:
    """``"HARTLEY-BROWN"`` → ``"Hartley-Brown"``, ``"O'HARE"`` → ``"O'Hare"``."""
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word)


def _strip_postnominals(tokens: list[str]) -> list[str]:
    while tokens and (
        fold(tokens[-1].strip(".,")) in _POSTNOMINALS
        or (tokens[-1].isupper() and len(tokens[-1]) <= 6 and len(tokens) > 2)
        or re.fullmatch(r"\(.*\)", tokens[-1])
    ):
        tokens = tokens[:-1]
    return tokens


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A name read from a field value: ``honorific`` (or None), ``name`` without it, and
    ``rest``: what followed the name after a comma, dash or bracket (often a job title)."""

    honorific: str | None
    name: str
    rest: str


def parse_name_value(value: str, *, lenient: bool = False) -> ParsedName | None:
    """Read a person's name from a field value or list line.

    With ``lenient`` (a labelled value), lower-case words are accepted as a name too.
    ``"Dr Amara Okafor"`` → honorific ``Dr``, name ``Amara Okafor``; ``"Priya Shah, Head of
    Patient Safety"`` → name ``Priya Shah``, rest ``Head of Patient Safety``; ``"Priya Shah
    (Head of Patient Safety)"`` likewise. The NHSmail surname-first form with the surname in
    capitals (``"SHAH, Priya"``) becomes ``Priya Shah``. Returns None when the value does not
    look like a name (a sentence, an address, a number).
    """
    value = value.strip().strip("\"'“”‘’*")
    if not value:
        return None
    # NHSmail "SURNAME, Forename (ORG)" form.
    m = re.match(
        r"^([A-ZÀ-ÖØ-ÞĀ-Ž'’\-]{2,}(?:\s+[A-ZÀ-ÖØ-ÞĀ-Ž'’\-]{2,})*),\s*([^\W\d_][^,()]*?)\s*(\(.*\))?$",
        value,
    )
    if m and not any(fold(w) in STOPWORDS for w in m.group(1).split()):
        surname = " ".join(_decapitalise(w) if w.isupper() else w for w in m.group(1).split())
        hon, forename = split_honorific(m.group(2))
        if forename and all(is_name_token(t) for t in forename.split()):
            return ParsedName(hon, f"{forename} {surname}", "")
    hon0, body = split_honorific(value)
    # "Claudia Beaumont-Price. Email: claudia…@nhs.net": a full stop after a word also ends
    # the name (after the honorific is taken off, so "Dr. Amara" keeps its name).
    split = re.split(
        r"\s*(?:,|\(|\)|\s[-–—|/]\s|;|:|(?<=[^\W\d_]{2})\.\s+(?=[A-Z]))\s*", body, maxsplit=1
    )
    head = split[0]
    if "@" in head or re.search(r"\d", head):
        return None
    rest = body[len(head) :].strip().strip(",;:()–—-|/. ").strip()
    hon, head = split_honorific(head)
    hon = hon or hon0
    tokens = head.split()
    tokens = _strip_postnominals(tokens)
    if not tokens or len(tokens) > 5:
        return None
    particles_ok = all(
        is_name_token(t) or (0 < i < len(tokens) - 1 and fold(t) in _PARTICLES)
        for i, t in enumerate(tokens)
    )
    if (
        not particles_ok
        and lenient
        and 2 <= len(tokens) <= 4
        and all(
            re.fullmatch(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*", t) and fold(t) not in STOPWORDS
            for t in tokens
        )
    ):
        # A label's value is a name even when written in lower case ("Name: priya shah").
        particles_ok = True
    if not particles_ok:
        return None
    if len(tokens) == 1 and hon is None and tokens[0].isupper():
        return None
    if all(fold(t.rstrip(".")) in HONORIFICS for t in tokens):
        return None
    return ParsedName(hon, " ".join(t.rstrip(".") if len(t) > 2 else t for t in tokens), rest)


@dataclass(frozen=True, slots=True)
class NameMention:
    """A run of name-shaped words in a text.

    ``name`` excludes the honorific; ``honorific`` is its usual written form or None;
    ``start``/``end`` cover honorific and name; ``possessive`` is True for "Zoë’s".
    """

    name: str
    honorific: str | None
    start: int
    end: int
    possessive: bool = False

    @property
    def tokens(self) -> list[str]:
        """The name's words."""
        return self.name.split()

    @property
    def gender(self) -> str | None:
        """``"m"``/``"f"`` when the honorific tells, else None."""
        if self.honorific is None:
            return None
        key = fold(self.honorific.split()[0])
        return "m" if key in _MALE else "f" if key in _FEMALE else None


def find_name_mentions(text: str) -> list[NameMention]:
    """Every run of name-shaped words in ``text`` (one sentence or line), in order.

    A run is an optional honorific followed by one to four name words (:func:`is_name_token`,
    with particles such as "van der" and initials such as "J." allowed inside) separated by
    single spaces. Runs of one word without an honorific are returned too; callers decide
    whether a lone word is a reference to someone already known (a first name) or a
    capitalised common word.
    """
    if len(text) > 2_000:
        return _name_mentions(text)
    # The stages ask about the same sentence or line several times: scan it once.
    return list(_cached_name_mentions(text))


@functools.lru_cache(maxsize=4096)
def _cached_name_mentions(text: str) -> tuple[NameMention, ...]:
    return tuple(_name_mentions(text))


def _name_mentions(text: str) -> list[NameMention]:
    out: list[NameMention] = []
    toks = list(_TOKEN.finditer(text))
    n = len(toks)

    def word(k: int) -> str:
        return toks[k].group(0).rstrip(".")

    def is_initial(k: int) -> bool:
        w = toks[k].group(0)
        return len(w) == 2 and w[0].isupper() and w.endswith(".")

    i = 0
    while i < n:
        hon: str | None = None
        start = toks[i].start()
        j = i
        if (
            fold(word(i)) in HONORIFICS
            and i + 1 < n
            and _adjacent(text, toks[i], toks[i + 1])
            and (is_name_token(word(i + 1)) or is_initial(i + 1))
        ):
            hon = HONORIFICS[fold(word(i))]
            j = i + 1
        names: list[int] = []
        nickname = False
        k = j
        while k < n and len(names) < 5:
            if (
                names
                and k + 1 < n
                and _NICK_OPEN.fullmatch(text[toks[k - 1].end() : toks[k].start()])
                and _NICK_CLOSE.fullmatch(text[toks[k].end() : toks[k + 1].start()])
                and is_name_token(word(k))
                and is_name_token(word(k + 1))
            ):
                # "Oluwaseun (Seun) Adeyemi", 'Robert "Bob" Hanley': the name without the
                # short form in brackets or quotes.
                nickname = True
                names.append(k + 1)
                k += 2
                continue
            if names and not _adjacent(text, toks[k - 1], toks[k]):
                break
            w = toks[k].group(0)
            if is_initial(k) and k + 1 < n and _adjacent(text, toks[k], toks[k + 1]):
                names.append(k)
                k += 1
                continue
            if is_name_token(w.rstrip(".")):
                names.append(k)
                k += 1
                # A full stop after a word (not an initial) ends the run: it ends a sentence.
                # So does a possessive: "Martha's Rule" is Martha's, not a person called Rule.
                if w.endswith((".", "'s", "’s")):
                    break
                continue
            if names and fold(w) in _PARTICLES:
                # Particles ("van der", "de la") need a name word after them.
                m = k
                while (
                    m < n
                    and fold(toks[m].group(0)) in _PARTICLES
                    and (m == k or _adjacent(text, toks[m - 1], toks[m]))
                ):
                    m += 1
                if m < n and _adjacent(text, toks[m - 1], toks[m]) and is_name_token(word(m)):
                    names.extend(range(k, m))
                    k = m
                    continue
            break
        # Drop trailing initials or particles (a run cannot end with them).
        while names and (is_initial(names[-1]) or fold(word(names[-1])) in _PARTICLES):
            names.pop()
        # "Mrs Ellen Park", "Dr Helen Ward": after an honorific and a first name, a surname that
        # is also a common word ("Ward 8A" or "Park Road" stay words).
        if hon and names and k < n and k == names[-1] + 1 and _adjacent(text, toks[k - 1], toks[k]):
            w = toks[k].group(0)
            following = text[toks[k].end() : toks[k].end() + 12]
            if (
                fold(w.rstrip(".")) in _SURNAME_WORDS
                and w[0].isupper()
                and not w.isupper()
                and not re.match(r"^\s*\d|^ [A-Z]", following)
            ):
                names.append(k)
        if not names:
            i = j + 1 if hon else i + 1
            continue
        if (
            hon is None
            and names[0] > 0
            and _adjacent(text, toks[names[0] - 1], toks[names[0]])
            and (
                word(names[0] - 1) == "NHS"
                or fold(word(names[0] - 1)) in _NOT_BEFORE_A_NAME
            )
        ):
            # "the NHS Standard Contract", "the Serious Incident Framework", "our Freedom to
            # Speak Up…": a capitalised phrase after an article or "NHS" names a thing.
            i = names[-1] + 1
            continue
        last = toks[names[-1]]
        end = last.end() - (1 if last.group(0).endswith(".") else 0)
        name_text = text[toks[names[0]].start() : end]
        if nickname:
            name_text = " ".join(toks[x].group(0) for x in names)
            name_text = name_text[: len(name_text) - (len(last.group(0)) - (end - last.start()))]
        possessive = False
        if name_text.endswith(("'s", "’s")):
            name_text = name_text[:-2]
            end -= 2
            possessive = True
        elif re.match(r"^['’]s\b", text[end:]):
            possessive = True
        parts = _strip_postnominals(name_text.split())
        if parts:
            out.append(NameMention(" ".join(parts), hon, start, end, possessive))
        i = names[-1] + 1
    return out


_NICK_OPEN = re.compile(r" [(\"'“‘]")
_NICK_CLOSE = re.compile(r"[)\"'”’] ")


def _adjacent(text: str, a: re.Match[str], b: re.Match[str]) -> bool:
    """True when tokens ``a`` and ``b`` are separated only by spaces (one line, no comma)."""
    gap = text[a.end() : b.start()]
    return bool(re.fullmatch(r" {1,2}", gap))


@lru_cache(maxsize=8192)
def display_person_name(display: str) -> str | None:
    """The person's name in a display name (RFC 5322 ``display-name``), as NHSmail and Outlook
    write it: ``"OSEI, Margaret (NHS WESSEX VALE ICB)"`` and ``"Whitcombe, Alys"`` →
    ``"Margaret Osei"``, ``"Alys Whitcombe"``; ``"Helen Marsh"`` → itself; None when no name."""
    display = re.sub(r"\s*\([^()]*\)\s*$", "", display or "").strip().strip('"').strip()
    if not display:
        return None
    parsed = parse_name_value(display)
    if parsed is not None and not parsed.rest:
        return parsed.name
    m = re.match(r"^([^,]+),\s*([^,]+)$", display)
    if m:
        first = parse_name_value(m.group(2).strip())
        last = m.group(1).strip()
        if first is not None and not first.rest and all(is_name_token(t) for t in last.split()):
            surname = last.title() if last.isupper() else last
            return f"{first.name} {surname}"
    return parsed.name if parsed is not None else None


def name_key(name: str) -> tuple[str, ...]:
    """Folded tokens of a name, for comparisons (hyphenated parts kept together)."""
    return tuple(re.sub(r"[^a-z\-]", "", t) for t in fold(name).split() if re.sub(r"[^a-z]", "", t))


@functools.cache
def _nicknamer() -> NickNamer:
    return NickNamer()


def is_short_form(word: str, first_name: str) -> bool:
    """True when ``word`` is a short form of the given name ``first_name``: a known English
    nickname ("Sue" for Susan, "Kate" for Katherine; the ``nicknames`` dataset) or, for
    names the dataset does not hold, the start of the name ("Sid" for Siddharth) or a long part
    of a much longer name ("Seun" for Oluwaseun, "Funmi" for Olufunmilayo). Equal names are not
    short forms."""
    w, f = fold(word).strip(), fold(first_name).strip()
    if not w or not f or w == f or len(w) < 2:
        return False
    if w in _nicknamer().nicknames_of(f):
        return True
    # "Sid" for Siddharth, "Kat" for Katherine: the start of a longer name. Inside or at the
    # end only when the part is long and the name much longer ("Seun" for Oluwaseun): "Ian" is
    # not Brian, "Dan" not Jordan, "Ann" not Joanne.
    if len(w) >= 3 and f.startswith(w) and len(f) >= len(w) + 2:
        return True
    return len(w) >= 4 and w in f and len(f) >= len(w) + 3


def is_short_name_of(word: str, full_name: str, email: str | None = None) -> bool:
    """True when the one-word name ``word`` refers to the person ``full_name`` (two or more
    words) with address ``email``: it is the first part of the address ("Funmi" with
    funmi.adebayo-price@…) or a short form of the first name (:func:`is_short_form`)."""
    w, parts = fold(word).strip(), full_name.split()
    if len(w) < 2 or " " in w or len(parts) < 2:
        return False
    local_first = re.split(r"[._-]+", fold((email or "").partition("@")[0]))[0]
    return (bool(email) and w == local_first) or is_short_form(w, parts[0])


def names_match(a: str, b: str) -> bool:
    """True when two written names can be the same person.

    Equal when folded; or one is a single word equal to the other's first or last word
    ("Zoë" / "Zoë Hartley-Brown", "Okonkwo" / "Daniel Okonkwo"); or both have two or more words
    and share first and last word (a middle name left out).
    """
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    if len(ka) == 1 or len(kb) == 1:
        one, other = (ka, kb) if len(ka) == 1 else (kb, ka)
        return one[0] in (other[0], other[-1])
    return ka[0] == kb[0] and ka[-1] == kb[-1]
