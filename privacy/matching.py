"""Recognising one person in stored text, and redacting them from it.

A :class:`PersonPattern` holds what identifies the person — e-mail addresses, names and phone
numbers — and finds or replaces them in free text (bodies, signatures, quoted history, audit
values). Names are matched without honorifics, as extraction reads them
(:func:`parsing.extract.names.split_honorific`), case- and accent-blind; nicknames are not
guessed (a short form is only the person when their e-mail says so, and then the e-mail is
what matches). Phone numbers match in any of the ways people write a UK number: ``+44 7700
900123``, ``07700 900123``, ``+44 (0)7700-900-123``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from parsing.extract.names import split_honorific

ERASED = "[erased]"


def _loose(text: str) -> str:
    """A regex for ``text`` that ignores case, accents (by matching the folded letters or any
    accented form of them) and runs of white space."""
    parts = []
    for word in text.split():
        letters = []
        for char in word:
            base = unicodedata.normalize("NFKD", char)[0]
            # The accented letter, its base letter, or the base plus a combining mark.
            letters.append(f"(?:{re.escape(char)}|{re.escape(base)}[\u0300-\u036f]?)"
                           if base != char else re.escape(char))
        parts.append("".join(letters))
    return r"\s+".join(parts)


def _phone_regex(e164: str) -> str | None:
    """``+447700900123`` → a pattern for the number as people write it (UK numbers only)."""
    digits = re.sub(r"\D", "", e164)
    if not digits.startswith("44") or len(digits) < 11:
        return None
    national = digits[2:]
    sep = r"[\s\-.()]*"
    body = sep.join(re.escape(d) for d in national)
    return rf"(?<!\d)(?:\+?44{sep}(?:\(0\){sep})?|0{sep}){body}(?!\d)"


@dataclass(frozen=True)
class PersonPattern:
    """What identifies one person: lower-cased e-mail addresses, names as written (honorifics
    are removed here) and phone numbers in E.164."""

    emails: frozenset[str] = field(default_factory=frozenset)
    names: frozenset[str] = field(default_factory=frozenset)
    phones: frozenset[str] = field(default_factory=frozenset)
    details: frozenset[str] = field(default_factory=frozenset)
    """Texts said about the person (job title, pay band as written): not what finds them, but
    redacted with them in a text that names them (:meth:`in_context`)."""

    @classmethod
    def of(cls, emails: set[str], names: set[str], phones: set[str],
           details: set[str] | None = None) -> PersonPattern:
        clean = {split_honorific(n)[1] for n in names if n and len(n.split()) >= 2}
        return cls(frozenset(e.lower() for e in emails if e), frozenset(n for n in clean if n),
                   frozenset(p for p in phones if p),
                   frozenset(d for d in details or set() if d and len(d) >= 2))

    def in_context(self) -> PersonPattern:
        """The pattern for redacting a text that names the person: also each part of their
        names on its own ("Priya will be our first PSS" after "Priya Shah") and their
        details. Never used to find them: a first name alone may be someone else's."""
        parts = {p for n in self.names for p in n.split() if len(p) >= 3}
        return PersonPattern(self.emails, self.names | parts | self.details, self.phones)

    def __bool__(self) -> bool:
        return bool(self.emails or self.names or self.phones)

    @cached_property
    def regex(self) -> re.Pattern[str] | None:
        alternatives = [re.escape(e) for e in sorted(self.emails, key=len, reverse=True)]
        alternatives += [rf"(?<![\w-]){_loose(n)}(?![\w-])"
                         for n in sorted(self.names, key=len, reverse=True)]
        alternatives += [p for p in map(_phone_regex, sorted(self.phones)) if p]
        if not alternatives:
            return None
        return re.compile("|".join(alternatives), re.IGNORECASE)

    def found_in(self, text: str | None) -> bool:
        """True when ``text`` names the person (by address, name or phone number)."""
        return bool(text) and self.regex is not None and bool(self.regex.search(text or ""))

    def is_email(self, addr: str | None) -> bool:
        return bool(addr) and (addr or "").lower() in self.emails

    def redact(self, text: str) -> str:
        """``text`` with every mention of the person replaced by ``[erased]``."""
        return self.regex.sub(ERASED, text) if self.regex is not None else text
