"""Confirmation that the "Identifying Patient Safety Specialists" document was considered.

DESIGN.md: a confirmation is an affirmative statement; a negated or not-yet statement ("we
have not yet considered", "haven't had a chance to read", "will consider") is not one and is
reported as ``negated``. Read from a sentence that names the document (any quotes, or none)
or, less specifically, "the guidance"/"the document" in a sentence about the nomination, with
a verb of considering; and from labels ("Guidance considered: Yes").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsing.extract.labels import Field, parse_label
from parsing.extract.textutil import (
    clean_text,
    lines_of,
    paragraphs_of,
    sentences_of,
    squash,
    strip_bullet,
)

__all__ = ["GuidanceReading", "names_document", "read_guidance"]


@dataclass(frozen=True, slots=True)
class GuidanceReading:
    """``confirmed`` True for an affirmative statement with no negated one; ``negated`` True
    when some statement says the document was not (yet) considered; ``text`` the sentence or
    line read (the affirmative one when confirmed, else the negated one), or None."""

    confirmed: bool
    negated: bool
    text: str | None


# The document's title, with or without quotes and with common variations.
_TITLE = re.compile(
    r"identify(?:ing)?\s+(?:a\s+|the\s+|your\s+)?(?:patient\s+safety\s+specialists?|PSSs?)|"
    r"identification\s+of\s+(?:patient\s+safety\s+specialists?|PSSs?)",
    re.IGNORECASE,
)
# A looser reference: "the guidance", "the national document", "the PSS guidance".
_GENERIC = re.compile(
    r"\b(?:the|this|your|nhs\s+england['’]?s?|national)\s+(?:\w+\s+){0,3}?(?:guidance|document|"
    r"documentation|guidelines?|role\s+requirements?)\b",
    re.IGNORECASE,
)
_ABOUT_NOMINATION = re.compile(
    r"\b(?:PSS|patient\s+safety\s+specialist|nominat|identif|confirm|this\s+decision|the\s+role)",
    re.IGNORECASE,
)
_VERB = re.compile(
    r"\b(?:consider(?:ed|ing|ation)?|read|reviewed?|review(?:ing)?|taken\s+into\s+account|"
    r"(?:take|taken|taking|took)(?=[^.]{0,80}\binto\s+account\b)|"
    r"took\s+into\s+account|take\s+into\s+account|had\s+regard|regard\s+(?:has\s+been\s+)?(?:given|had)|"
    r"(?:take|taken|taking|took|have\s+had)\s+(?:full\s+|due\s+)?account\s+of|"
    r"followed|follow(?:ing)?|in\s+(?:line|accordance|keeping)\s+with|adhered|complie[sd]|"
    r"comply|consulted|referred\s+to|used|informed\s+by|guided\s+by|based\s+on|aware\s+of|"
    r"familiar\s+with|met|meets?|satisf(?:y|ies|ied)|mindful|"
    # "has been looked at by me", "we've been through the … doc", "went through".
    r"look(?:ed|ing)?\s+(?:at|over|through)|(?:been|gone|went|go(?:ing)?)\s+(?:through|over)|"
    r"studied|checked|assessed|discussed|worked\s+through|"
    # "identified with the Identifying PSS document in mind".
    r"in\s+mind|bearing|bore)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:not|never|yet\s+to|no\s+(?:time|chance|opportunity)|unable|haven['’]?t|hasn['’]?t|"
    r"hadn['’]?t|didn['’]?t|don['’]?t|doesn['’]?t|won['’]?t|cannot|can['’]?t|without|unaware|"
    r"not\s+yet|will\s+(?:be\s+)?|shall|going\s+to|intend(?:s|ing)?\s+to|plan(?:s|ning)?\s+to|"
    r"hope\s+to|aim\s+to|due\s+to\s+be|in\s+due\s+course|once\s+(?:we|I)\s+have|"
    r"would\s+(?:be\s+)?|need\s+to|needs\s+to|still\s+to|before\s+we)\b|n['’]t\b",
    re.IGNORECASE,
)
# A comma ends a clause only when a new subject follows it ("Although we have not met, I
# confirm …"); "we have not, as yet, considered" stays one clause.
_CLAUSE_BREAK = re.compile(
    r"[;:()–—]|,\s*(?:but|and|although|though|however|I|we|the|this|our|and\s+(?:I|we))\b|"
    r"\b(?:but|however|although)\b",
    re.IGNORECASE,
)
_YES = re.compile(
    r"^\s*(?:yes|y|yep|confirmed|i\s+confirm|we\s+confirm|true|done|agreed|"
    r"completed?|considered|[xX✓✔☒☑])\b",
    re.IGNORECASE,
)
_NO = re.compile(
    r"^\s*(?:no|n|not\s+yet|pending|tbc|to\s+follow|false|in\s+progress)\b", re.IGNORECASE
)


# "we have considered it", "this was read": the document named in the message answered.
_PRONOUN_DOC = re.compile(
    r"\b(?:consider(?:ed)?|read|review(?:ed)?|look(?:ed)?\s+at|(?:take|took|taken)(?=\s+(?:it|this|that)"
    r"\s+into\s+account))\s+(?:it|this|that)\b"
    r"|\b(?:it|this|that)\s+(?:has|have|was|had)\s+(?:now\s+|indeed\s+|also\s+)?(?:been\s+)?"
    r"(?:considered|read|reviewed|taken\s+into\s+account)\b",
    re.IGNORECASE,
)


def _sentence_reading(sentence: str, in_context: bool = False) -> str | None:
    """``"yes"``, ``"no"`` or None for one sentence. ``in_context``: the message answers a
    request that named the document, so "the document" or "it" refers to it."""
    doc = _TITLE.search(sentence)
    if doc is None:
        generic = _GENERIC.search(sentence)
        if generic is None and in_context:
            generic = _PRONOUN_DOC.search(sentence)
        if generic is None or not (in_context or _ABOUT_NOMINATION.search(sentence)):
            return None
        # "the guidance on PSIRF" is another document.
        if re.match(
            r"\s+(?:on|about|for|regarding)\s+(?!(?:identifying|the\s+identification|"
            r"patient\s+safety\s+specialists?|PSS))",
            sentence[generic.end() :],
            re.IGNORECASE,
        ):
            return None
        doc = generic
    verbs = list(_VERB.finditer(sentence))
    if doc.re is _PRONOUN_DOC:
        # "we did take it into account": the verb is part of the reference.
        verbs.append(doc)
    if not verbs:
        return None
    # The verb nearest the document mention decides, with the negation of its own clause.
    verb = min(verbs, key=lambda v: abs(v.start() - doc.start()))
    lo = min(verb.start(), doc.start())
    clause_start = 0
    for b in _CLAUSE_BREAK.finditer(sentence[:lo]):
        clause_start = b.end()
    window = sentence[clause_start : max(verb.end(), doc.start())]
    if _NEGATION.search(window):
        return "no"
    return "yes"


def names_document(text: str) -> bool:
    """True when ``text`` names the "Identifying Patient Safety Specialists" document (e.g. our
    request quoted below a reply)."""
    return bool(_TITLE.search(text))


def read_guidance(text: str, *, document_in_context: bool = False) -> GuidanceReading:
    """Read the guidance confirmation in ``text`` (the region being read).

    ``document_in_context``: the message replies to text that named the document (our request,
    quoted below), so "Yes, we have considered the document" or "… considered it" confirms it.
    The quoted text itself is never read as a confirmation."""
    text = clean_text(text)
    yes: list[str] = []
    no: list[str] = []
    prose = []
    lines = lines_of(text)
    for i, line in enumerate(lines):
        body, _ = strip_bullet(line.text)
        lab = parse_label(body)
        if lab is not None and lab.field == Field.GUIDANCE:
            value = lab.value
            if not value:
                # The answer may sit on the next line (one table cell per line).
                nxt = next((ln.text for ln in lines[i + 1 : i + 3] if ln.text.strip()), "")
                value = nxt
            if _YES.match(value):
                yes.append(squash(line.text + (" " + value if not lab.value else "")))
                continue
            if _NO.match(value):
                no.append(squash(line.text))
                continue
        prose.append(line)
    for para in paragraphs_of(prose):
        joined = "\n".join(ln.text for ln in para)
        spans = sentences_of(joined)
        for k, (s, e) in enumerate(spans):
            sentence = squash(joined[s:e])
            r = _sentence_reading(sentence, document_in_context)
            if r is not None and sentence.endswith("?"):
                # A question counts only through the answer that follows it.
                answer = (
                    squash(joined[spans[k + 1][0] : spans[k + 1][1]]) if k + 1 < len(spans) else ""
                )
                r = "yes" if _YES.match(answer) else "no" if _NO.match(answer) else None
                sentence = f"{sentence} {answer}".strip()
            if r == "yes":
                yes.append(sentence)
            elif r == "no":
                no.append(sentence)
    if no:
        return GuidanceReading(False, True, no[0])
    if yes:
        return GuidanceReading(True, False, yes[0])
    return GuidanceReading(False, False, None)
