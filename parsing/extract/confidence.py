"""How sure each value is, and the readings a person must settle (pure; after the people).

Every person value gets a :class:`~validation.models.Provenance` with its ``stage`` (where
the person was read: label, block, prose), ``confidence`` and ``evidence`` (the role row that
decided, or the fallback that attached the value). :func:`ambiguities` lists what the reader
could not decide, so the case goes to review (rule ``ambiguous-reading``) instead of being
accepted on a guess:

- two candidate numbers for one person, read from different texts, neither preferred by the
  text ("but please use his mobile") — which one is theirs is a guess;
- a person named in prose with a contact whose role no row decided (not said to be
  nominated, replaced, staying, a PA or the executive) when nobody is nominated in so many
  words; or several such people all taken as nominees by default.
"""

from __future__ import annotations

from typing import Literal

from parsing.extract.people import Draft, PeopleResult
from validation.models import Ambiguity, Provenance, Source

__all__ = ["ambiguities", "provenance_of"]

# Rows that decide by default rather than by what the text says of the person.
FALLBACK_ROWS = frozenset({"record-without-role", "only-contacts", "only-person-in-pss-sentence"})


def provenance_of(d: Draft, mid: str | None, ambiguous: frozenset[str]) -> dict[str, Provenance]:
    """Field → provenance with stage, confidence and evidence; ``ambiguous`` the fields of
    this person that are ambiguous (confidence low)."""
    out: dict[str, Provenance] = {}
    confidence: Literal["high", "medium", "low"]
    for key, (src, text) in d.provenance.items():
        if key in ambiguous:
            confidence, why = "low", "ambiguous: see the candidates"
        elif key in d.attached:
            confidence, why = "medium", d.attached[key]
        elif d.decided_by in FALLBACK_ROWS:
            confidence, why = "medium", f"role by default ({d.decided_by})"
        else:
            confidence, why = "high", f"role decided by {d.decided_by or 'the reader'}"
        out[key] = Provenance(
            message_id=mid, source=src, text=text, stage=d.origin,
            confidence=confidence, evidence=why,
        )
    return out


def phone_candidates(d: Draft) -> list[tuple[str, str]] | None:
    """``[(number, text), …]`` when ``d`` has two or more numbers read from different texts
    and the text prefers none; else None."""
    if not d.other_phones or d.phone_preferred or d.phone is None:
        return None
    first = d.phone_texts.get(d.phone, "")
    others = [(n, d.phone_texts.get(n, "")) for n in d.other_phones]
    if all(text == first for _n, text in others):
        return None
    return [(d.phone, first), *others]


def ambiguities(people: PeopleResult) -> list[Ambiguity]:
    """What a person must settle in ``people``, in reading order (see the module doc)."""
    out: list[Ambiguity] = []
    for group, drafts in (("nominees", people.nominees), ("replaced", people.replaced)):
        for i, d in enumerate(drafts):
            cands = phone_candidates(d)
            if cands is not None:
                out.append(Ambiguity(
                    field=f"{group}[{i}].phone",
                    candidates=[n for n, _t in cands],
                    evidence=[t for _n, t in cands],
                    reason="two numbers for one person, from different lines; neither is said "
                           "to be the one to use",
                ))
    by_default = [d for d in people.nominees if d.decided_by == "only-contacts"]
    if len(by_default) >= 2:
        out.append(Ambiguity(
            field="nominees",
            candidates=[d.name or "(no name)" for d in by_default],
            evidence=[d.provenance.get("name", (Source.BODY, ""))[1] for d in by_default],
            reason="several people are named with contact details and none is said to be "
                   "the nominee",
        ))
    for d in people.undecided:
        src = d.provenance.get("name", (Source.BODY, ""))
        out.append(Ambiguity(
            field="people",
            candidates=[d.name or ""],
            evidence=[src[1]],
            reason="named with contact details, but nothing says whether they are nominated, "
                   "replaced or only mentioned",
        ))
    return out
