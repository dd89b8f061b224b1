"""Pydantic models for what a message says (:class:`Extraction`) and what a case holds
(:class:`CaseReading`), plus the rule and decision vocabulary.

Field names and value forms follow "The machine-readable contract" in DESIGN.md: names without
honorifics, e-mail addresses lower-cased, phones in E.164 (``+447700900123``) with any extension
kept apart in ``phone_extension``, Agenda for Change bands normalised to ``7``, ``8a``..``8d``,
``9`` or ``VSM`` with the text as written in ``pay_band_raw``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from parsing.model import Classification

__all__ = [
    "Action",
    "CaseReading",
    "Classification",
    "Extraction",
    "Flag",
    "NominationType",
    "PersonReading",
    "Provenance",
    "RuleOutcome",
    "Source",
]


class NominationType(StrEnum):
    """Whether the new Patient Safety Specialist is the organisation's first, replaces someone
    in post, or is in addition to those in post (NHS England PSS page, "Supporting organisations
    to identify Patient Safety Specialist(s)")."""

    FIRST = "first"
    REPLACEMENT = "replacement"
    ADDITIONAL = "additional"


class Action(StrEnum):
    """The decision for a message, as in the JSON contract."""

    ACCEPT = "accept"
    REQUEST_MISSING = "request_missing"
    REVIEW = "review"
    IGNORE = "ignore"


class Source(StrEnum):
    """Which region of a message a value was read from."""

    BODY = "body"
    FORWARDED = "forwarded"
    SUBJECT = "subject"
    HEADER = "header"
    DISPLAY_NAME = "display_name"
    SIGNATURE = "signature"
    ATTACHMENT = "attachment"
    REVIEWER = "reviewer"


class Provenance(BaseModel):
    """Where a value came from: the message (Message-ID), the region, and the text it was read
    from (the line or sentence, at most a few hundred characters) so a reviewer can see it."""

    model_config = ConfigDict(frozen=True)

    message_id: str | None = None
    source: Source = Source.BODY
    text: str = ""
    stage: str = ""
    """The reading stage that found the value: "label", "block", "prose", "header", "types",
    "guidance", "organisation"; empty for values from before stages were recorded."""
    confidence: Literal["", "high", "medium", "low"] = ""
    """How sure the reading is: high (read beside the person, role stated), medium (given by a
    fallback: the one nominee, a record without a role), low (ambiguous: see
    :class:`Ambiguity`)."""
    evidence: str = ""
    """Why, in words: the role row that decided, or how a value was attached."""


class PersonReading(BaseModel):
    """One person named in a nomination: a nominee (new PSS) or a person being replaced.

    ``provenance`` maps a field name (``"name"``, ``"email"``, ``"phone"``, ``"job_title"``,
    ``"pay_band"``) to where that value came from. ``job_title``, ``pay_band`` and
    ``pay_band_raw`` are confidential: shown only to users allowed to see them.
    """

    model_config = ConfigDict(frozen=True)

    name: str | None = None
    honorific: str | None = None
    email: str | None = None
    phone: str | None = None
    phone_extension: str | None = None
    other_phones: list[str] = Field(default_factory=list)
    """Further numbers given for the person (E.164), after ``phone``; e.g. a landline as well
    as a mobile. Not part of the JSON contract."""
    job_title: str | None = None
    pay_band: str | None = None
    pay_band_raw: str | None = None
    provenance: dict[str, Provenance] = Field(default_factory=dict)

    def contract(self, *, replaced: bool = False) -> dict[str, str | None]:
        """The person as the JSON contract shows it (replaced people have no title or band)."""
        out: dict[str, str | None] = {"name": self.name, "email": self.email, "phone": self.phone}
        if not replaced:
            out["job_title"] = self.job_title
            out["pay_band"] = self.pay_band
        return out


class NameCorrection(BaseModel):
    """A follow-up's correction of one word of a name already sent: "Fionnuala's surname is
    Mulvaney, not Mulvany" → ``first="Fionnuala"``, ``old="Mulvany"``, ``new="Mulvaney"``.
    ``first`` is None when the text names the person by role or pronoun ("her surname")."""

    model_config = ConfigDict(frozen=True)

    first: str | None = None
    old: str
    new: str


class Extraction(BaseModel):
    """What one message says, before merging into a case.

    - ``nomination_type`` is the type the message states, or None; ``stated_types`` lists every
      distinct type stated anywhere in the new text (two or more means a contradiction).
    - ``guidance_confirmed`` is True only for an affirmative statement that the "Identifying
      Patient Safety Specialists" document was considered; ``guidance_negated`` is True when the
      message says it was *not* (yet) considered.
    - ``organisation`` is the nominating organisation as written.
    - ``withdrawal`` is True when the message withdraws or cancels a nomination.
    - ``details_from_attachment`` is True when the people were read only from attachment text.
    - ``on_behalf_of`` is True when a PA or colleague says they write on someone else's behalf.
    - ``forwarded`` is True when the nomination was read from a forwarded message.
    - ``questions`` are the sender's questions to the team (see the field).
    - ``notes`` are short, non-personal remarks for the reviewer ("two nomination types stated").
    """

    model_config = ConfigDict(frozen=True)

    message_id: str | None = None
    classification: Classification = Classification.OTHER
    nomination_type: NominationType | None = None
    stated_types: list[NominationType] = Field(default_factory=list)
    nominees: list[PersonReading] = Field(default_factory=list)
    replaced: list[PersonReading] = Field(default_factory=list)
    guidance_confirmed: bool = False
    guidance_negated: bool = False
    organisation: str | None = None
    withdrawal: bool = False
    details_from_attachment: bool = False
    on_behalf_of: bool = False
    forwarded: bool = False
    correction: bool = False
    """True when the message says it corrects a detail sent before ("Sorry, her email is
    actually …"), so a merge may let its values replace earlier ones."""
    name_corrections: list[NameCorrection] = Field(default_factory=list)
    """Corrections of a word of a name sent before; the merge applies them to the case's
    people (it alone knows whose name it was)."""
    questions: list[str] = Field(default_factory=list)
    ambiguities: list[Ambiguity] = Field(default_factory=list)
    """Readings the extractor could not decide (two numbers for one person, a person whose
    role no row decides): the case goes to review with the candidates side by side."""
    """Sentences of the sender's own text that ask the team something a person must answer
    ("Could you tell me whether the training is funded nationally?"); courtesy lines are not
    questions."""
    provenance: dict[str, Provenance] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)


class Ambiguity(BaseModel):
    """A reading the extractor could not decide, for a person to settle (rule
    ``ambiguous-reading``): ``field`` a contract path (``nominees[0].phone``; ``people`` for a
    person whose role is undecided), ``candidates`` the values it could be, ``evidence`` the
    text each candidate was read from (same order), ``reason`` in words."""

    model_config = ConfigDict(frozen=True)

    field: str
    candidates: list[str]
    evidence: list[str] = Field(default_factory=list)
    reason: str = ""


class CaseReading(BaseModel):
    """The merged state of a case's fields: the same shape as the case-level parts of an
    :class:`Extraction`. Built by merging each message's extraction in arrival order."""

    nomination_type: NominationType | None = None
    nominees: list[PersonReading] = Field(default_factory=list)
    replaced: list[PersonReading] = Field(default_factory=list)
    guidance_confirmed: bool = False
    organisation: str | None = None
    provenance: dict[str, Provenance] = Field(default_factory=dict)


class Flag(BaseModel):
    """One reason a case needs a person: the rule's kebab-case name and its reason in words."""

    model_config = ConfigDict(frozen=True)

    rule: str
    reason: str


class RuleOutcome(BaseModel):
    """What one rule found. ``hit`` False means the rule passed. ``kind`` says what a hit means:
    ``missing`` (ask the sender for ``missing`` items), ``flag`` (send to review) or ``ignore``
    (not a nomination; no reply)."""

    model_config = ConfigDict(frozen=True)

    rule: str
    hit: bool
    kind: Literal["missing", "flag", "ignore"]
    reason: str = ""
    missing: list[str] = Field(default_factory=list)
