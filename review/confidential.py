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


def is_confidential_field(path: str | None) -> bool:
    """True for a confidential field path: ``job_title``, ``nominees[0].pay_band``, ...

    Works on audit-log ``field`` values and on edit-form field paths.
    """
    if not path:
        return False
    return path.rsplit(".", 1)[-1] in CONFIDENTIAL_FIELDS


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

    def html(self, value: str) -> str:
        """The same for an HTML string (values compared in their HTML-escaped form)."""
        if not self.active:
            return value
        return self._common(value, self._html)

    @staticmethod
    def _common(value: str, known: re.Pattern[str] | None) -> str:
        if known is not None:
            value = known.sub(MASK, value)
        value = _BAND.sub(MASK, value)
        for start, end in reversed(_merged(_bands_found(value))):
            value = value[:start] + MASK + value[end:]
        return _LABEL.sub(MASK, value)


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
