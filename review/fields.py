"""Field paths and their names in plain words.

A field path is the contract form used by the audit log and the missing items
(DESIGN.md "The machine-readable contract"): ``nomination_type``, ``guidance_confirmed``,
``organisation``, ``nominees[0].phone``, ``replaced[1].email``; a missing item may also be
``guidance_confirmation``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from validation.models import CaseReading

__all__ = ["CASE_FIELDS", "MAX_PATH_LENGTH", "PERSON_EDITABLE", "FieldPath", "item_label", "label",
           "parse_path"]

#: Case-level fields a reviewer can edit.
CASE_FIELDS = ("nomination_type", "guidance_confirmed", "organisation")
#: Person fields a reviewer can edit, by list (replaced people have no title or band).
PERSON_EDITABLE = {
    "nominees": ("name", "email", "phone", "job_title", "pay_band"),
    "replaced": ("name", "email", "phone"),
}
_WORDS = {
    "nomination_type": "Nomination type",
    "guidance_confirmed": "Guidance document considered",
    "guidance_confirmation": "Confirmation that the guidance document was considered",
    "organisation": "Organisation",
    "name": "name",
    "email": "email address",
    "phone": "contact number",
    "job_title": "job title",
    "pay_band": "pay band",
    "pay_band_raw": "pay band as written",
    "honorific": "title (Dr, Ms…)",
    "phone_extension": "phone extension",
}
_LIST_WORDS = {"nominees": "New specialist", "replaced": "Person replaced"}
# ASCII only (``\d`` would otherwise take Arabic-Indic and other digits) and matched whole
# with ``fullmatch`` (``$`` also matches before a final newline).
_PATH = re.compile(r"(nominees|replaced)\[(0|[1-9][0-9]{0,2})\]\.([a-z_]{1,32})", re.ASCII)
#: The longest field path there is ("replaced[999].phone_extension" and the like).
MAX_PATH_LENGTH = 40


@dataclass(frozen=True, slots=True)
class FieldPath:
    """A parsed path: ``people`` is ``nominees``/``replaced`` or None for a case field."""

    people: str | None
    index: int
    field: str

    @property
    def path(self) -> str:
        """The canonical text of the path (``nominees[0].phone``)."""
        if self.people is None:
            return self.field
        return f"{self.people}[{self.index}].{self.field}"


def parse_path(path: str) -> FieldPath | None:
    """Parse a field path exactly as written; None when it is not one.

    Nothing is trimmed or folded: a path with spaces, control characters (a trailing newline,
    CR, NUL), non-ASCII look-alikes, capitals, leading zeros or more than
    :data:`MAX_PATH_LENGTH` characters is not a path. Every check on a submitted field must use
    the parsed value, never the string it came from.
    """
    if not isinstance(path, str) or len(path) > MAX_PATH_LENGTH or not path.isascii() \
            or not path.isprintable():
        return None
    if path in CASE_FIELDS or path == "guidance_confirmation":
        return FieldPath(None, 0, path)
    match = _PATH.fullmatch(path)
    if match is None:
        return None
    return FieldPath(match.group(1), int(match.group(2)), match.group(3))


def label(path: str, reading: CaseReading | None = None) -> str:
    """A field path in words: ``nominees[0].phone`` → "New specialist 1 (Priya Shah): contact
    number". Unknown paths come back unchanged."""
    parsed = parse_path(path)
    if parsed is None:
        return path
    if parsed.people is None:
        return _WORDS.get(parsed.field, parsed.field)
    who = f"{_LIST_WORDS[parsed.people]} {parsed.index + 1}"
    people = getattr(reading, parsed.people) if reading is not None else []
    if parsed.index < len(people) and people[parsed.index].name:
        who += f" ({people[parsed.index].name})"
    return f"{who}: {_WORDS.get(parsed.field, parsed.field)}"


def item_label(item: str, reading: CaseReading | None = None) -> str:
    """A missing item in words (same as :func:`label`)."""
    return label(item, reading)
