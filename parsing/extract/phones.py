"""Finding UK telephone numbers in text and normalising them to E.164.

Finder: ``phonenumbers.PhoneNumberMatcher(text, "GB", leniency=Leniency.POSSIBLE)``. It already
knows every way people punctuate numbers (``+44 (0)7700 900123``, ``(020) 7946 0123``,
``0044 …``) and parses extensions (``ext 4567``, ``x4567``, ``extn. 4567``) into
``.extension``. ``Leniency.VALID`` cannot be used: ``is_valid_number`` rejects Ofcom's drama
ranges (07700 900xxx, 01632 …) that all test data uses, so the matcher's candidates are judged
here instead, by

- how the number is written: it must start with ``0``, ``+44``/``0044`` or ``(0``, because
  UK people always write the trunk prefix or the country code; a bare digit run is something
  else (an ID, a date, an amount);
- UK shape: a national significant number of 10 digits starting 1, 2, 3, 7 or 8, or 9 digits
  starting 1 or 8 (some 01 areas, 0800 short numbers) — DOMAIN.md section 6;
- its surroundings: not glued to letters (``INC-0113496012``, ``PSS-000231``), not a date,
  and not after words that introduce identifiers (reference, case, incident, NHS number,
  budget / cost centre, ODS code, staff number, postcode …) unless a phone word is closer.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

__all__ = ["PhoneMatch", "find_phones", "parse_phone"]


@dataclass(frozen=True, slots=True)
class PhoneMatch:
    """A UK number found in a text.

    ``e164`` is ``+44…`` without extension; ``extension`` the digits after ext/x/extn, or
    None; ``start``/``end`` the offsets of the number as written (extension included);
    ``raw`` that text; ``kind`` is ``"switchboard"`` when the number is introduced as a
    switchboard or main number, ``"phone"`` otherwise.
    """

    e164: str
    extension: str | None
    start: int
    end: int
    raw: str
    kind: str = "phone"


# Words that introduce an identifier rather than a phone number. Matched case-insensitively in
# the text just before the number, on the same line.
_NON_PHONE = re.compile(
    r"\b(?:ref(?:erence)?(?:\s*(?:no|number|num))?|our\s+ref|your\s+ref|case(?:\s+(?:no|number|ref))?|"
    r"incident(?:\s+(?:no|number|id|ref))?|inc|ticket|order|invoice|po|purchase\s+order|"
    r"account|acc|a/c|budget(?:\s+code)?|cost\s+cent(?:re|er)|code|ods(?:\s+code)?|"
    r"nhs\s*(?:no|number|num)|staff\s*(?:no|number|id)|employee(?:\s*(?:no|number|id))?|"
    r"payroll(?:\s*(?:no|number))?|assignment(?:\s*(?:no|number))?|gmc|nmc|hcpc|pin|"
    r"registration(?:\s*(?:no|number))?|datix(?:\s*(?:no|id|ref))?|id|postcode|post\s+code|"
    r"sort\s+code|serial|licen[cs]e|fax|f(?=\s*:)|charity(?:\s+(?:no|number))?|company(?:\s+(?:no|number))?|"
    r"vat(?:\s+(?:no|number))?|bleep|pager)\b",
    re.IGNORECASE,
)
_PHONE_WORD = re.compile(
    r"\b(?:tel(?:ephone)?|phone|mob(?:ile)?|m|t|p|dd|direct(?:\s+(?:dial|line))?|call|ring|"
    r"contact(?:able)?|number|no|on|via|switchboard|landline|work|office|desk|whatsapp|teams|"
    r"ext(?:ension)?|or|and)\b",
    re.IGNORECASE,
)
_SWITCHBOARD = re.compile(
    r"\b(?:switchboard|main\s+(?:number|reception|line)|reception)\b", re.IGNORECASE
)
_DATE = re.compile(r"^\(?\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}\)?$")
_TRAILING_EXT = re.compile(
    r"^\s*[,;(]?\s*(?:ext(?:ension)?n?\.?|x)\s*[:.]?\s*(\d{1,6})\b\)?", re.IGNORECASE
)


def _uk_shape(nsn: str) -> bool:
    """True for a UK national significant number of a dialable shape (see module docstring)."""
    if len(nsn) == 10:
        return nsn[0] in "12378"
    if len(nsn) == 9:
        return nsn[0] in "18"
    return False


def _written_like_uk(raw: str) -> bool:
    """True when the number is written with a trunk 0, +44/0044 or a bracketed 0 prefix."""
    s = raw.lstrip()
    return s.startswith(("0", "+44", "(0", "( 0", "+ 44", "(+44")) or bool(re.match(r"^\+\s*44", s))


def _context_rejects(text: str, start: int, end: int) -> bool:
    """True when the characters around ``text[start:end]`` show it is not a phone number."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    # Glued to letters or part of a code: INC-0113…, PSS-000231, AB0113…, 0113…-2.
    if re.search(r"[A-Za-z][-/#]?$", before) or re.match(r"^[-/]?\d|^[A-Za-z]", after):
        return True
    if re.search(r"\d[-/.]$", before):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    window = max(line_start, start - 40)
    # Never start the window inside a word ("…of" must not leave a stray "f").
    while window > line_start and text[window - 1].isalnum():
        window -= 1
    prefix = text[window:start]
    hits = list(_NON_PHONE.finditer(prefix))
    if hits:
        last = hits[-1]
        # A phone word between the identifier word and the number wins ("ref 12, tel 0113…").
        tail = prefix[last.end() :]
        tail = re.sub(r"^\s*(?:no\.?|number|num|#)", "", tail, flags=re.IGNORECASE)
        if not _PHONE_WORD.search(tail):
            return True
    return False


def _to_match(text: str, m: phonenumbers.PhoneNumberMatch) -> PhoneMatch | None:
    raw = m.raw_string
    num = m.number
    if num.country_code != 44:
        return None
    if not _written_like_uk(raw):
        return None
    if _DATE.match(raw.strip()):
        return None
    nsn = phonenumbers.national_significant_number(num)
    if not _uk_shape(nsn) or not phonenumbers.is_possible_number(num):
        return None
    start, end = m.start, m.end
    if _context_rejects(text, start, end):
        return None
    extension = num.extension or None
    if extension is None:
        tail = _TRAILING_EXT.match(text[end : end + 20])
        if tail:
            extension = tail.group(1)
            end = end + tail.end()
    e164 = phonenumbers.format_number(
        phonenumbers.PhoneNumber(country_code=44, national_number=num.national_number),
        PhoneNumberFormat.E164,
    )
    line_start = text.rfind("\n", 0, start) + 1
    kind = (
        "switchboard" if _SWITCHBOARD.search(text[max(line_start, start - 30) : start]) else "phone"
    )
    return PhoneMatch(e164, extension, start, end, text[start:end], kind)


def find_phones(text: str) -> list[PhoneMatch]:
    """Every UK telephone number in ``text``, in order (see the module docstring for the
    checks). Numbers introduced as fax or bleep/pager numbers are not returned.

    The stages ask about the same line or sentence several times (labelled fields, blocks,
    prose); phonenumbers' matcher is the costliest scan, so a text is scanned once and its
    (immutable) matches of texts up to 2,000 characters kept in a bounded cache (at most
    4,096 texts, so about 8 MB)."""
    if len(text) > 2_000:
        return list(_phones_in.__wrapped__(text))
    return list(_phones_in(text))


@functools.lru_cache(maxsize=4096)
def _phones_in(text: str) -> tuple[PhoneMatch, ...]:
    out: list[PhoneMatch] = []
    for m in PhoneNumberMatcher(text, "GB", leniency=Leniency.POSSIBLE):
        pm = _to_match(text, m)
        if pm is not None:
            out.append(pm)
    return tuple(out)


def parse_phone(value: str) -> PhoneMatch | None:
    """The first UK number in ``value`` (e.g. a labelled field's value), or None."""
    found = find_phones(value)
    return found[0] if found else None
