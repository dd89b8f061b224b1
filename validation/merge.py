"""Merge one message's :class:`Extraction` into a case's :class:`CaseReading`.

Pure: returns the new reading and the list of field changes for the audit log. Rules:

- a value the case lacks is filled; a different value replaces the old one (a correction) and
  is reported as a :class:`Change` with old and new values;
- people are matched by e-mail address, then by name (full name, or a first name alone such as
  "Zoë" in "Zoë's mobile is …" matching "Zoë Hartley-Brown"), then — when the case has exactly
  one person in that role and the message names nobody — to that one person; anyone unmatched
  is added;
- a surname alone ("Ms Morgan-Ash can be reached on …") refers to the one person on the case
  who bears it, not to a new person;
- a shorter name never replaces a longer one it is the start of (the follow-up's "Zoë");
- guidance confirmation, once given, stays unless a later message says it was not considered;
- a name correction ("X's surname is Mulvaney, not Mulvany") rewrites that word in the name
  of the case person who bore it (whose first name matches, when one is given);
- the extraction cannot see the case, so a person it read as a nominee who matches nobody
  among the case's nominees but one of the people replaced ("Derek's details as promised: …")
  completes that replaced person, and the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass

from parsing.extract.names import is_short_name_of
from validation.models import (
    Ambiguity,
    CaseReading,
    Extraction,
    NameCorrection,
    PersonReading,
    Provenance,
)

PERSON_FIELDS = (
    "name", "honorific", "email", "phone", "phone_extension", "job_title", "pay_band",
    "pay_band_raw",
)


@dataclass(frozen=True, slots=True)
class Change:
    """One field that changed: ``field`` in contract form (``nominees[0].phone``,
    ``nomination_type``), ``old`` None when the field was empty before."""

    field: str
    old: str | None
    new: str | None


def _norm(name: str | None) -> str:
    return " ".join((name or "").casefold().replace("’", "'").split())


def _same_person(a: PersonReading, b: PersonReading) -> bool:
    if a.email and b.email and a.email == b.email:
        return True
    na, nb = _norm(a.name), _norm(b.name)
    if not na or not nb:
        return False
    if na == nb:
        return True
    # A first name alone (or a first + last subset) refers to the fuller name.
    ta, tb = na.split(), nb.split()
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return len(short) == 1 and short[0] == long_[0]


def _short_form(word: str | None, person: PersonReading) -> bool:
    """True when a one-word name is a short form of ``person``'s first name ("Seun" for
    Oluwaseun, "Funmi" for Olufunmilayo, with funmi.… as the address)."""
    return bool(word and person.name) and is_short_name_of(word or "", person.name or "",
                                                            person.email)


def _surname_of(word: str | None, person: PersonReading) -> bool:
    """True when a one-word name is the last word of ``person``'s name ("Morgan-Ash" for
    Delyth Morgan-Ash)."""
    name = _norm(word)
    words = _norm(person.name).split()
    return bool(name) and " " not in name and len(words) >= 2 and words[-1] == name


def _contacts_differ(a: PersonReading, b: PersonReading) -> bool:
    """True when ``a`` and ``b`` give different addresses or numbers: different people."""
    return bool((a.email and b.email and a.email != b.email)
                or (a.phone and b.phone and a.phone != b.phone))


def _fills_gaps_only(person: PersonReading, target: PersonReading) -> bool:
    """True when ``person`` is named by one word only and gives nothing ``target`` already has
    a different value for, and at least one thing it lacks."""
    name = _norm(person.name)
    if not name or " " in name or not target.name:
        return False
    fills = False
    for field in ("email", "phone", "job_title", "pay_band"):
        incoming, current = getattr(person, field), getattr(target, field)
        if incoming in (None, ""):
            continue
        if current not in (None, "") and current != incoming:
            return False
        fills = fills or current in (None, "")
    return fills


def _merge_person(
    old: PersonReading, new: PersonReading, path: str, changes: list[Change]
) -> PersonReading:
    values = old.model_dump()
    provenance = dict(old.provenance)
    for field in PERSON_FIELDS:
        incoming = getattr(new, field)
        current = getattr(old, field)
        if incoming in (None, "") or incoming == current:
            continue
        if field == "name" and current and (
            _norm(current).startswith(_norm(incoming))
            or _short_form(incoming, old)
            # A one-word name never replaces a full one (corrections come as name_corrections).
            or (" " not in _norm(incoming) and " " in _norm(current))
        ):
            continue
        values[field] = incoming
        if field in new.provenance:
            provenance[field] = new.provenance[field]
        if field not in ("honorific", "pay_band_raw", "phone_extension") or current:
            changes.append(Change(f"{path}.{field}", current, incoming))
    values["provenance"] = provenance
    return PersonReading(**values)


def _one_by_surname(person: PersonReading, result: list[PersonReading],
                    others: tuple[PersonReading, ...]) -> int | None:
    """The index in ``result`` of the one person on the case (``result`` and ``others``)
    whose surname ``person``'s one-word name is; None when nobody or several bear it."""
    bearers = [i for i, p in enumerate(result) if _surname_of(person.name, p)]
    if len(bearers) != 1 or any(_surname_of(person.name, p) for p in others):
        return None
    return bearers[0]


def _merge_people(
    current: list[PersonReading], incoming: list[PersonReading], prefix: str,
    changes: list[Change], others: tuple[PersonReading, ...] = (),
) -> list[PersonReading]:
    result = list(current)
    for person in incoming:
        index = next((i for i, p in enumerate(result) if _same_person(p, person)), None)
        if index is None and not person.name and len(result) == 1:
            index = 0
        if index is None:
            short = [
                i for i, p in enumerate(result)
                if _short_form(person.name, p) and not _contacts_differ(person, p)
            ]
            if len(short) == 1:
                index = short[0]
        if index is None:
            index = _one_by_surname(person, result, others)
        if index is None and len(current) == 1 and _fills_gaps_only(person, current[0]):
            # "I should have included Bex's number": a one-word name we cannot match, in a
            # follow-up to a case with one such person, giving only what that person lacks.
            index = 0
        if index is None:
            index = len(result)
            result.append(PersonReading())
        result[index] = _merge_person(result[index], person, f"{prefix}[{index}]", changes)
    return result


def _correct_names(
    people: list[PersonReading], corrections: list[NameCorrection], prefix: str,
    changes: list[Change],
) -> list[PersonReading]:
    out = []
    for index, person in enumerate(people):
        name = person.name
        for c in corrections:
            if not name:
                break
            words = name.split()
            if c.first is not None and _norm(words[0]) != _norm(c.first):
                continue
            hits = [k for k, w in enumerate(words) if _norm(w) == _norm(c.old)]
            if not hits:
                continue
            for k in hits:
                words[k] = c.new
            name = " ".join(words)
        if name != person.name:
            changes.append(Change(f"{prefix}[{index}].name", person.name, name))
            person = person.model_copy(update={"name": name})
        out.append(person)
    return out


def _sort_by_case(
    reading: CaseReading, nominees: list[PersonReading], replaced: list[PersonReading]
) -> tuple[list[PersonReading], list[PersonReading]]:
    """Move a person to the other list when only that list of the case knows them."""

    def known(people: list[PersonReading], person: PersonReading) -> bool:
        return any(
            _same_person(p, person)
            or (_short_form(person.name, p) and not _contacts_differ(person, p))
            or _surname_of(person.name, p)
            for p in people
        )

    out_nominees: list[PersonReading] = []
    out_replaced: list[PersonReading] = []
    for person in nominees:
        if not known(reading.nominees, person) and known(reading.replaced, person):
            out_replaced.append(person)
        else:
            out_nominees.append(person)
    for person in replaced:
        if not known(reading.replaced, person) and known(reading.nominees, person):
            out_nominees.append(person)
        else:
            out_replaced.append(person)
    return out_nominees, out_replaced


def merge(reading: CaseReading, extraction: Extraction) -> tuple[CaseReading, list[Change]]:
    """Merge ``extraction`` into ``reading``; returns the new reading and what changed."""
    changes: list[Change] = []
    provenance = dict(reading.provenance)
    nomination_type = reading.nomination_type
    if extraction.nomination_type is not None and extraction.nomination_type != nomination_type:
        changes.append(Change("nomination_type", nomination_type, extraction.nomination_type))
        nomination_type = extraction.nomination_type
        if "nomination_type" in extraction.provenance:
            provenance["nomination_type"] = extraction.provenance["nomination_type"]
    guidance = reading.guidance_confirmed
    if extraction.guidance_confirmed and not guidance:
        guidance = True
        changes.append(Change("guidance_confirmed", "false", "true"))
        if "guidance_confirmed" in extraction.provenance:
            provenance["guidance_confirmed"] = extraction.provenance["guidance_confirmed"]
    elif extraction.guidance_negated and guidance:
        guidance = False
        changes.append(Change("guidance_confirmed", "true", "false"))
    organisation = reading.organisation
    if extraction.organisation and not organisation:
        organisation = extraction.organisation
        changes.append(Change("organisation", None, organisation))
        if "organisation" in extraction.provenance:
            provenance["organisation"] = extraction.provenance["organisation"]
    current_nominees = _correct_names(
        reading.nominees, extraction.name_corrections, "nominees", changes
    )
    current_replaced = _correct_names(
        reading.replaced, extraction.name_corrections, "replaced", changes
    )
    corrected = reading.model_copy(
        update={"nominees": current_nominees, "replaced": current_replaced}
    )
    incoming_nominees, incoming_replaced = _sort_by_case(
        corrected, extraction.nominees, extraction.replaced
    )
    nominees = _merge_people(current_nominees, incoming_nominees, "nominees", changes,
                             tuple(current_replaced))
    replaced = _merge_people(current_replaced, incoming_replaced, "replaced", changes,
                             tuple(current_nominees))
    merged = CaseReading(
        nomination_type=nomination_type,
        nominees=nominees,
        replaced=replaced,
        guidance_confirmed=guidance,
        organisation=organisation,
        provenance=provenance,
    )
    return merged, changes


#: Contact fields a later message may only change by saying it corrects them.
CONFLICT_FIELDS = ("email", "phone")


def _provenance_text(reading: CaseReading, path: str) -> str:
    """The text the value at ``path`` (``nominees[0].phone``) was read from, or ""."""
    people, _, rest = path.partition("[")
    index, _, field = rest.partition("].")
    listed = getattr(reading, people, None)
    if not isinstance(listed, list) or not index.isdigit() or int(index) >= len(listed):
        return ""
    found: Provenance | None = listed[int(index)].provenance.get(field)
    return found.text if found is not None else ""


def conflicts(before: CaseReading, after: CaseReading, extraction: Extraction,
              changes: list[Change]) -> list[Ambiguity]:
    """A follow-up's contact values that replaced different ones the case had, in a message
    that does not say it corrects anything: each an :class:`Ambiguity` with the old and the
    new value as candidates (and the texts they were read from), for a person to settle.
    A stated correction ("sorry, her mobile is actually …") is no conflict: the new value
    wins and the audit log keeps the old one."""
    if extraction.correction or extraction.name_corrections:
        return []
    found = []
    for change in changes:
        if change.old is None or change.new is None:
            continue
        if change.field.rpartition(".")[2] not in CONFLICT_FIELDS:
            continue
        found.append(Ambiguity(
            field=change.field, candidates=[change.old, change.new],
            evidence=[_provenance_text(before, change.field),
                      _provenance_text(after, change.field)],
            reason="A later message gives another value than the case had, without saying "
                   "it corrects it.",
        ))
    return found
