"""Keeping job titles and pay bands from users without the confidential permission.

Two layers (DOMAIN.md section 7, "Confidential pay band"):

1. **Structured data never carries them.** Field tables, provenance snippets, the register, the
   CSV export and the audit log leave out the confidential fields — values *and* labels — for
   such users (:func:`is_confidential_field` decides what a field path is).
2. **Free text is masked.** The original email (headers, text, sanitised HTML, attachment text)
   and other free text shown on a case page go through a :class:`Masker` that replaces the
   case's known confidential values (as extracted, as corrected, as written in the provenance
   lines they were read from), anything that reads as an Agenda for Change pay band, and the
   labels "job title"/"pay band" with an ellipsis. This is best effort by nature — free text can
   say anything — which is why original attachments, which cannot be masked, are downloadable
   only by users with the permission (see :mod:`review.app`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["CONFIDENTIAL_FIELDS", "MASK", "Masker", "is_confidential_field"]

#: Person fields that are confidential (``CasePerson``/``Specialist`` attribute names).
CONFIDENTIAL_FIELDS = frozenset({"job_title", "pay_band", "pay_band_raw"})

#: What a masked value is replaced with: the same mark used for shortened text, so it says
#: nothing about what was there.
MASK = "…"

# Pay bands as people write them: "Band 8b", "band 8 B", "AfC 8b", "Agenda for Change band 7",
# "pay band 8a", "grade 8c", "VSM", "very senior manager".
_BAND = re.compile(
    r"(?:\b(?:agenda\s+for\s+change|afc)\b[\s:\-]*(?:pay\s+)?(?:band|grade)?[\s:\-]*"
    r"(?:[1-9](?:\s*\(?\s*[a-d]\s*\)?)?\b|vsm\b)"
    r"|\b(?:pay\s+)?(?:band|grade)\b[\s:\-]*(?:[1-9](?:\s*\(?\s*[a-d]\s*\)?)?\b|vsm\b"
    r"|(?:one|two|three|four|five|six|seven|eight|nine)(?:[\s\-][a-d])?\b)"
    r"|\bvsm\b|\bvery\s+senior\s+manager\b)",
    re.IGNORECASE,
)
# Labels that would hint at a confidential value even when the value itself is masked.
_LABEL = re.compile(r"\b(?:job[\s\-]*title|pay[\s\-]*band|pay[\s\-]*grade)s?\b", re.IGNORECASE)
# A whole "Job title: ..." / "Band: ..." line in plain text.
_LABEL_LINE = re.compile(
    r"(?im)^([ \t>]*)(?:job[\s\-]*title|pay[\s\-]*band|pay[\s\-]*grade|band|grade|"
    r"agenda\s+for\s+change)\b[ \t]*[:\-][^\n]*$"
)
# A band said in a sentence: "band is 8c", "grade was 7", "banded at 8a", "on band of 8b".
_BAND_SAID = re.compile(
    r"\b(?:pay\s+)?(?:band(?:ed)?|grade[sd]?)\s+(?:(?:is|was|will\s+be|would\s+be|of|at|to|"
    r"as|now|currently|previously|=)\s+)+(?:[1-9](?:\s*[a-d])?\b|vsm\b)",
    re.IGNORECASE,
)
# A bare "8a".."8d" anywhere: in free text it is all but always a pay band ("8c not 8b").
_BARE_BAND = re.compile(r"\b8[a-d]\b", re.IGNORECASE)
# A single-digit band right after a band word said in a sentence ("band is 8c not 7").
_NEAR_BAND = re.compile(
    r"\b(?:band(?:ed|s)?|grade[sd]?|afc)\b[^.\n;]{0,60}", re.IGNORECASE)
_NEAR_VALUE = re.compile(r"(?<![\w.,:/+])(?:[1-9]|vsm)(?![\w.,:/])", re.IGNORECASE)
# A title said in a sentence: "her job title is Associate Director of Safety", "her post is ...".
_TITLE_SAID = re.compile(
    r"\b(?:(?:job[\s\-]*)?title|post|position|role|job)\s+(?:is|was|will\s+be|:)\s+"
    r"(?:(?:an?|the)\s+)?(?P<t>(?:[A-Z][\w'’&\-/]*|&)"
    r"(?:\s+(?:(?:of|and|for|&|in|the|to|with|at)\s+)*(?:[A-Z][\w'’&\-/]*|&))*)",
    re.IGNORECASE,
)


def is_confidential_field(path: str | None) -> bool:
    """True for a confidential field path: ``job_title``, ``nominees[0].pay_band``, ...

    Works on audit-log ``field`` values and on field paths. It errs towards confidential: the
    text is NFKC-folded and lower-cased and any mention of a confidential field's name counts
    (``nominees[0].job_title\n``, ``Nominees[0].JOB_TITLE``, ``pay_band_raw`` all do), so a
    variant spelling can only hide more, never less. Form input is parsed strictly first
    (:func:`review.fields.parse_path`); this is the second line.
    """
    if not path:
        return False
    folded = unicodedata.normalize("NFKC", path).casefold()
    return any(name in folded for name in CONFIDENTIAL_FIELDS)


def _pattern(value: str) -> str:
    # Match the words of a value whatever the spacing/line-wrapping between them.
    return r"\s+".join(re.escape(word) for word in value.split())


class Masker:
    """Masks confidential values in text shown to a user without the permission.

    :param values: the known confidential values (job titles, pay bands as written, the
        provenance lines they came from). Values shorter than three characters (a bare "8b")
        are not matched literally — they would hit unrelated text — but the pay-band pattern
        catches their usual written forms.
    :param active: False for a user allowed to see confidential fields: nothing is masked.
    """

    def __init__(self, values: Iterable[str | None] = (), *, active: bool = True) -> None:
        self.active = active
        words = sorted({" ".join(v.split()) for v in values if v and len(v.strip()) >= 3},
                       key=len, reverse=True)
        self._text = (
            re.compile("|".join(_pattern(v) for v in words), re.IGNORECASE) if words else None
        )
        escaped = [html.escape(v, quote=False) for v in words]
        self._html = (
            re.compile("|".join(_pattern(v) for v in escaped), re.IGNORECASE) if words else None
        )

    def text(self, value: str | None) -> str:
        """``value`` with confidential values, pay bands and their labels masked (plain text)."""
        if value is None:
            return ""
        if not self.active:
            return value
        value = _LABEL_LINE.sub(lambda m: m.group(1) + MASK, value)
        return self._common(value, self._text)

    def label(self, value: str | None) -> str:
        """Short free text shown on its own — a rule's reason, a subject, a file name, a
        display name, a header — masked as :meth:`text` does and, besides, every run of words
        that reads as a job title ("Kim Lee (Head of Risk, Band 8a)", "Associate Director of
        Patient Safety - Band 8d.docx"), known to the case or not."""
        if value is None:
            return ""
        if not self.active:
            return value
        return _titles_masked(self.text(value))

    def html(self, value: str) -> str:
        """The same for an HTML string (values compared in their HTML-escaped form)."""
        if not self.active:
            return value
        return self._common(value, self._html)

    @staticmethod
    def _common(value: str, known: re.Pattern[str] | None) -> str:
        if known is not None:
            value = known.sub(MASK, value)
        value = _TITLE_SAID.sub(_title_said, value)
        value = _BAND_SAID.sub(MASK, value)
        value = _BAND.sub(MASK, value)
        for start, end in reversed(_merged(_bands_found(value))):
            value = value[:start] + MASK + value[end:]
        value = _BARE_BAND.sub(MASK, value)
        value = _NEAR_BAND.sub(lambda m: _NEAR_VALUE.sub(MASK, m.group(0)), value)
        return _LABEL.sub(MASK, value)


def _title_said(match: re.Match[str]) -> str:
    title = match.group("t")
    try:
        from parsing.extract.titles import is_designation

        if is_designation(title):
            return match.group(0)
    except ImportError:
        pass
    return match.group(0)[:match.start("t") - match.start()] + MASK


def _titles_masked(value: str) -> str:
    """``value`` with every capitalised run of words that reads as a job title masked (the PSS
    designation itself, which names the role being given, is kept)."""
    try:
        from parsing.extract.titles import TITLE_RUN, is_designation, looks_like_title
    except ImportError:
        return value

    def one(match: re.Match[str]) -> str:
        run = match.group(0)
        try:
            if looks_like_title(run) and not is_designation(run):
                return MASK
        except Exception:  # noqa: BLE001 - masking must never fail a page
            return MASK
        return run

    return re.sub(TITLE_RUN, one, value)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _bands_found(value: str) -> list[tuple[int, int]]:
    """Spans of pay bands the parser's band reader finds (it knows more written forms than
    :data:`_BAND`); none when that reader is unavailable."""
    try:
        from parsing.extract.bands import find_bands
    except ImportError:
        return []
    try:
        return [(m.start, m.end) for m in find_bands(value)]
    except Exception:  # noqa: BLE001 - masking must never fail a page; _BAND still applied
        return []
