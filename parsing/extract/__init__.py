"""Reading the nomination fields of one parsed email: :func:`extract`.

``extract(parsed) -> Extraction`` is pure (no I/O, no logging). What is read from where:

- **People** (nominees, people replaced) from ``body.new``; from ``body.forwarded`` too when
  the mail is a forward; from attachment text (``.docx``/PDF letters) only when the body names
  nobody (``details_from_attachment``). Never from ``body.signature`` (the executive, a PA, a
  switchboard) or ``body.quoted`` (earlier messages, our own requests). The nominee's address
  may come from the Cc header when the text names them but gives no address.
- **Nomination type** and **guidance confirmation** from the same text, falling back to
  attachments, then (type only) to the Subject.
- **Organisation** from labels and organisation names in the text and the signature, and
  failing those the NHSmail display-name bracket (see :mod:`parsing.extract.organisation`).
- Auto-replies, bounces and bulk mail: no people, no type, no confirmation; the organisation
  is still read for auto-replies (from the auto-reply's own text), never for bounces, whose
  text is the mail system's and the returned message's, nor for bulk mail (a bulletin names
  other organisations).
- An enquiry about the process that puts nobody forward (questions to the team, a nomination
  only considered or planned) is read as ``other``, with no people; the questions of a real
  nomination are kept in ``questions``.

Every value carries a :class:`~validation.models.Provenance` with the Message-ID, the region
and the line or sentence it was read from.
"""

from __future__ import annotations

import re

from parsing.extract.confidence import ambiguities, provenance_of
from parsing.extract.emails import find_emails, local_part_matches_name
from parsing.extract.guidance import names_document, read_guidance
from parsing.extract.names import (
    display_person_name,
    find_name_mentions,
    name_key,
    names_match,
)
from parsing.extract.organisation import (
    OrgCandidate,
    choose_organisation,
    display_name_organisation,
    find_labelled_organisations,
    find_organisations,
)
from parsing.extract.people import (
    Draft,
    PeopleContext,
    PeopleResult,
    Region,
    read_people,
    readable_text,
)
from parsing.extract.phones import find_phones
from parsing.extract.questions import disclaims_nomination, find_questions, is_hypothetical
from parsing.extract.textutil import clean_text, disclaimer_lines, lines_of, sentences_of, squash
from parsing.extract.types import find_type_statements
from parsing.model import Classification, ParsedEmail
from parsing.vocabulary import WITHDRAWAL, WITHDRAWAL_NEGATED
from validation.models import (
    Ambiguity,
    Extraction,
    NameCorrection,
    NominationType,
    PersonReading,
    Provenance,
    Source,
)

__all__ = ["extract"]


def extract(parsed: ParsedEmail) -> Extraction:
    """Read what ``parsed`` says: people, nomination type, guidance confirmation,
    organisation, withdrawal and the rest of :class:`~validation.models.Extraction`.

    Stages, each pure: the regions; the organisation; (automatic mail stops here); the
    readable texts; the nomination type; the guidance confirmation; the people (role rows,
    confidence, ambiguities); an enquiry or a register change instead of a nomination; the
    other statements (withdrawal, correction, on behalf, forwarded)."""
    mid = parsed.message_id
    regions = _body_regions(parsed)
    provenance: dict[str, Provenance] = {}
    organisation = _organisation_value(parsed, regions, provenance)
    automatic = _automatic(parsed, organisation, provenance)
    if automatic is not None:
        return automatic
    ctx = _people_context(parsed)
    texts = [(readable_text(r, ctx), r.source) for r in regions]
    attachment_texts = [
        readable_text(Region(a.text or "", Source.ATTACHMENT), ctx)
        for a in parsed.attachments
        if a.text and a.text.strip()
    ]
    notes: list[str] = []
    nomination_type, stated = _nomination_type(parsed, texts, attachment_texts, provenance, notes)
    confirmed, negated = _guidance(parsed, texts, attachment_texts, provenance)
    people, from_attachment = _people_of(parsed, regions, ctx, NominationType.REPLACEMENT in stated)
    notes.extend(people.notes)
    unsure = ambiguities(people)
    nominees, replaced = _readings(parsed, people, unsure, regions, ctx, notes)
    if nomination_type is None and replaced:
        # A replacement implied by a replaced person when no type is stated.
        notes.append("No nomination type is stated; a person being replaced is named.")
    # Questions to the team, from the sender's own text only (a forwarded message's questions
    # were asked of someone else).
    own_text = "\n".join(t for t, src in texts if src == Source.BODY)
    questions = find_questions(own_text) if own_text.strip() else []
    instead = _not_a_nomination(parsed, nominees, own_text, questions, organisation, provenance)
    if instead is not None:
        return instead
    text = "\n".join(t for t, _src in texts)
    name_corrections = _name_corrections(text)
    forwarded = any(r.source == Source.FORWARDED for r in regions) and bool(
        parsed.body.forwarded.strip()
    )
    if forwarded:
        notes.append("The nomination was read from a forwarded message.")
    return Extraction(
        message_id=mid,
        classification=parsed.classification,
        nomination_type=nomination_type,
        stated_types=stated,
        nominees=nominees,
        replaced=replaced,
        guidance_confirmed=confirmed,
        guidance_negated=negated,
        organisation=organisation,
        withdrawal=_is_withdrawal(text),
        details_from_attachment=from_attachment,
        on_behalf_of=_on_behalf_of(parsed, text),
        forwarded=forwarded,
        correction=_is_correction(text) or bool(name_corrections),
        name_corrections=name_corrections,
        questions=questions,
        ambiguities=unsure,
        provenance=provenance,
        notes=notes,
    )


def _organisation_value(
    parsed: ParsedEmail, regions: list[Region], provenance: dict[str, Provenance]
) -> str | None:
    """The organisation the message is from (its provenance added to ``provenance``)."""
    org = _organisation(parsed, regions)
    if org is None:
        return None
    provenance["organisation"] = Provenance(
        message_id=parsed.message_id, source=_org_source(org.source), text=org.text,
        stage="organisation", confidence="high", evidence="named in the message",
    )
    return org.name


def _automatic(
    parsed: ParsedEmail, organisation: str | None, provenance: dict[str, Provenance]
) -> Extraction | None:
    """The extraction of an auto-reply, bounce or bulletin (nothing more is read), else None."""
    classification = parsed.classification
    not_nomination = classification in (Classification.AUTO_REPLY, Classification.BOUNCE) or (
        classification == Classification.OTHER and parsed.is_bulk
    )
    if not not_nomination:
        return None
    # A bounce's text is the mail system's; a bulletin names other organisations, not the
    # sender's.
    if classification == Classification.BOUNCE or parsed.is_bulk:
        organisation = None
        provenance.pop("organisation", None)
    return Extraction(
        message_id=parsed.message_id,
        classification=classification,
        organisation=organisation,
        provenance=provenance,
    )


def _nomination_type(
    parsed: ParsedEmail,
    texts: list[tuple[str, Source]],
    attachment_texts: list[str],
    provenance: dict[str, Provenance],
    notes: list[str],
) -> tuple[NominationType | None, list[NominationType]]:
    """(type, every type stated): stated in the body, else an attachment, else the Subject;
    contradictory statements leave the type None."""
    mid = parsed.message_id
    statements = [(st, src) for text, src in texts for st in find_type_statements(text)]
    if not statements:
        for att_text in attachment_texts:
            statements = [(st, Source.ATTACHMENT) for st in find_type_statements(att_text)]
            if statements:
                break
    if not statements and parsed.subject:
        statements = [(st, Source.SUBJECT) for st in find_type_statements(parsed.subject)]
    stated = list(dict.fromkeys(st.type for st, _src in statements))
    if len(stated) == 1:
        first, first_source = statements[0]
        provenance["nomination_type"] = Provenance(
            message_id=mid, source=first_source, text=first.text[:300],
            stage="types", confidence="high", evidence="stated",
        )
        return stated[0], stated
    if len(stated) > 1:
        # Contradictory statements leave the type unresolved; stated_types lists them all so
        # the contradiction rule can name them for the reviewer.
        provenance["nomination_type"] = Provenance(
            message_id=mid,
            source=statements[0][1],
            text=" / ".join(dict.fromkeys(st.text[:140] for st, _src in statements))[:300],
            stage="types", confidence="low", evidence="more than one type stated",
        )
        notes.append("More than one nomination type is stated.")
    return None, stated


def _guidance(
    parsed: ParsedEmail,
    texts: list[tuple[str, Source]],
    attachment_texts: list[str],
    provenance: dict[str, Provenance],
) -> tuple[bool, bool]:
    """(confirmed, negated): a negated statement anywhere outweighs an affirmative one."""
    guidance = None
    guidance_source = Source.BODY
    # A reply on top of a request that named the document: "the document" is that one. The
    # quoted text only says what is referred to; it is never read as a statement.
    in_context = names_document(parsed.body.quoted[:20_000])
    for text, src in texts:
        g = read_guidance(text, document_in_context=in_context and src == Source.BODY)
        if g.text is not None and (guidance is None or (g.negated and not guidance.negated)):
            guidance, guidance_source = g, src
    if guidance is None:
        for att_text in attachment_texts:
            g = read_guidance(att_text)
            if g.text is not None:
                guidance, guidance_source = g, Source.ATTACHMENT
                break
    if guidance is not None and guidance.text:
        provenance["guidance_confirmed"] = Provenance(
            message_id=parsed.message_id, source=guidance_source, text=guidance.text[:300],
            stage="guidance", confidence="high",
            evidence="negated" if guidance.negated else "stated",
        )
    return bool(guidance and guidance.confirmed), bool(guidance and guidance.negated)


def _people_of(
    parsed: ParsedEmail, regions: list[Region], ctx: PeopleContext, replacement: bool
) -> tuple[PeopleResult, bool]:
    """(the people read, True when they come from an attachment because the body names
    nobody)."""
    people = read_people(regions, ctx, replacement_stated=replacement)
    if people.nominees or people.replaced:
        return people, False
    for att in parsed.attachments:
        if not att.text or not att.text.strip():
            continue
        from_att = read_people(
            [Region(att.text, Source.ATTACHMENT)], ctx, replacement_stated=replacement
        )
        if from_att.nominees or from_att.replaced:
            return from_att, True
    return people, False


def _readings(
    parsed: ParsedEmail,
    people: PeopleResult,
    unsure: list[Ambiguity],
    regions: list[Region],
    ctx: PeopleContext,
    notes: list[str],
) -> tuple[list[PersonReading], list[PersonReading]]:
    """(nominees, replaced) as readings, with the sender as nominee when they say so, a name
    from the Subject and an address from Cc where the body gave none."""
    mid = parsed.message_id
    nominees = [_reading(d, mid, _fields_of(unsure, "nominees", i))
                for i, d in enumerate(people.nominees)]
    replaced = [_reading(d, mid, _fields_of(unsure, "replaced", i))
                for i, d in enumerate(people.replaced)]
    if people.sender_is_nominee and parsed.from_ is not None:
        nominees = _add_sender_as_nominee(parsed, nominees, mid, people.sender_details)
        notes.append("The sender says they are the Patient Safety Specialist themselves.")
    nominees = _name_from_subject(parsed, nominees, mid, regions, ctx)
    nominees = [_email_from_cc(p, parsed, mid, regions) for p in nominees]
    return nominees, replaced


def _not_a_nomination(
    parsed: ParsedEmail,
    nominees: list[PersonReading],
    own_text: str,
    questions: list[str],
    organisation: str | None,
    provenance: dict[str, Provenance],
) -> Extraction | None:
    """An enquiry, or a register change ("Our PSS has left; please remove her"), with nobody
    put forward with details: for the team (other), no request for items. Else None."""
    nomination = parsed.classification == Classification.NOMINATION
    enquiry = (
        nomination
        and questions
        and not any(p.email or p.phone for p in nominees)
        and (
            not any(p.name for p in nominees)
            or is_hypothetical(own_text)
            or disclaims_nomination(own_text)
        )
    )
    register_change = (
        nomination
        and not parsed.case_references
        and not parsed.in_reply_to
        and not any(p.name or p.email or p.phone for p in nominees)
        and (disclaims_nomination(own_text) or bool(_REGISTER_CHANGE.search(own_text[:20_000])))
    )
    if not (enquiry or register_change):
        return None
    return Extraction(
        message_id=parsed.message_id,
        classification=Classification.OTHER,
        organisation=organisation,
        questions=questions,
        provenance={k: v for k, v in provenance.items() if k == "organisation"},
        notes=[
            "The message asks about the process; nobody is nominated."
            if enquiry
            else "The message asks for a change to the register; nobody is nominated."
        ],
    )


def _fields_of(unsure: list[Ambiguity], group: str, index: int) -> frozenset[str]:
    """The fields of person ``group[index]`` that an ambiguity names."""
    prefix = f"{group}[{index}]."
    return frozenset(a.field[len(prefix):] for a in unsure if a.field.startswith(prefix))


# ------------------------------------------------------------------------------------------
# Regions
# ------------------------------------------------------------------------------------------


def _body_regions(parsed: ParsedEmail) -> list[Region]:
    """The text regions people and statements are read from, in order.

    The new text, and the forwarded message's text when there is one. When the parser found
    no new text and no quoted or signature regions either (an unsplit body), the whole text.
    """
    body = parsed.body
    regions: list[Region] = []
    if body.new.strip():
        regions.append(Region(body.new, Source.BODY))
    if body.forwarded.strip():
        regions.append(Region(body.forwarded, Source.FORWARDED))
    if not regions and body.full.strip() and not body.quoted.strip() and not body.signature.strip():
        regions.append(Region(body.full, Source.BODY))
    return regions


# ------------------------------------------------------------------------------------------
# Organisation
# ------------------------------------------------------------------------------------------


def _org_source(name: str) -> Source:
    return {
        "label": Source.BODY,
        "body": Source.BODY,
        "forwarded": Source.FORWARDED,
        "signature": Source.SIGNATURE,
        "attachment": Source.ATTACHMENT,
        "display_name": Source.DISPLAY_NAME,
        "subject": Source.SUBJECT,
    }.get(name, Source.BODY)


def _org_lines(text: str) -> list[tuple[str, str]]:
    """``(name, line)`` for organisation names in ``text``, disclaimers skipped."""
    lines = lines_of(clean_text(text))
    skip = disclaimer_lines(lines)
    out: list[tuple[str, str]] = []
    for ln in lines:
        if ln.index in skip:
            continue
        for name, _s, _e in find_organisations(ln.text):
            out.append((name, squash(ln.text)[:300]))
    return out


def _organisation(parsed: ParsedEmail, regions: list[Region]) -> OrgCandidate | None:
    """Gather organisation candidates from every allowed place and choose one."""
    cands: list[OrgCandidate] = []
    texts: list[tuple[str, str]] = [
        (r.text, "forwarded" if r.source == Source.FORWARDED else "body") for r in regions
    ]
    if parsed.body.signature.strip():
        texts.append((parsed.body.signature, "signature"))
    for text, source in texts:
        for value, line in find_labelled_organisations(clean_text(text)):
            cands.append(OrgCandidate(value, "label", line))
        for name, line in _org_lines(text):
            cands.append(OrgCandidate(name, source, line))
    if not cands:
        for att in parsed.attachments:
            if att.text:
                for value, line in find_labelled_organisations(clean_text(att.text)):
                    cands.append(OrgCandidate(value, "label", line))
                for name, line in _org_lines(att.text):
                    cands.append(OrgCandidate(name, "attachment", line))
    for addr in (parsed.from_, parsed.sender):
        if addr is not None and addr.name:
            org = display_name_organisation(addr.name)
            if org:
                cands.append(OrgCandidate(org, "display_name", addr.name))
                break
    if parsed.subject:
        for name, _s, _e in find_organisations(parsed.subject):
            cands.append(OrgCandidate(name, "subject", parsed.subject))
    return choose_organisation(cands)


# ------------------------------------------------------------------------------------------
# People
# ------------------------------------------------------------------------------------------


def _signature_names(parsed: ParsedEmail) -> list[str]:
    """Full names in the signature region (the sender, a PA), in order."""
    out: list[str] = []
    for line in clean_text(parsed.body.signature).split("\n")[:40]:
        for nm in find_name_mentions(line):
            if nm.honorific or len(nm.tokens) >= 2:
                out.append(nm.name)
    return out


def _people_context(parsed: ParsedEmail) -> PeopleContext:
    names: list[str] = []
    addrs: list[str] = []
    for a in (parsed.from_, parsed.sender):
        if a is None:
            continue
        n = display_person_name(a.name)
        if n:
            names.append(n)
        if a.addr:
            addrs.append(a.addr.lower())
            # "helen.marsh@…" names the sender when the display name is missing.
            if not n:
                local = re.sub(r"\d+", "", a.addr.partition("@")[0])
                parts = [p for p in re.split(r"[._-]+", local) if p]
                if len(parts) >= 2:
                    names.append(" ".join(p.capitalize() for p in parts))
    sig_names = _signature_names(parsed)
    return PeopleContext(
        sender_names=tuple(names),
        sender_addrs=tuple(addrs),
        signature_names=tuple(sig_names),
        follow_up=parsed.classification == Classification.FOLLOW_UP,
    )


def _reading(d: Draft, mid: str | None, ambiguous: frozenset[str] = frozenset()) -> PersonReading:
    prov = provenance_of(d, mid, ambiguous)
    return PersonReading(
        name=d.name,
        honorific=d.honorific,
        email=d.email,
        phone=d.phone,
        phone_extension=d.extension,
        other_phones=list(d.other_phones),
        job_title=d.job_title,
        pay_band=d.band,
        pay_band_raw=d.band_raw,
        provenance=prov,
    )


def _add_sender_as_nominee(
    parsed: ParsedEmail,
    nominees: list[PersonReading],
    mid: str | None,
    details: Draft | None = None,
) -> list[PersonReading]:
    """The sender, named by From, as the nominee when the text says "I am the new PSS" or "to
    register myself as …": their address, and what they said of themselves (``details``: "my
    mobile is …", "I am the Trust's Patient Safety Lead (Band 7)") where nothing else gave it."""
    assert parsed.from_ is not None
    name = display_person_name(parsed.from_.name)
    prov = {
        "email": Provenance(message_id=mid, source=Source.HEADER, text=f"From: {parsed.from_.addr}")
    }
    if name:
        prov["name"] = Provenance(
            message_id=mid, source=Source.DISPLAY_NAME, text=parsed.from_.name
        )
    else:
        # No display name: the name they sign with, when their address bears it out.
        signed = [
            n
            for n in _signature_names(parsed)
            if local_part_matches_name(parsed.from_.addr, n) >= 1
        ]
        if signed:
            name = signed[0]
            prov["name"] = Provenance(message_id=mid, source=Source.SIGNATURE, text=name)
    own = _reading(details, mid) if details is not None else PersonReading()

    def completed(p: PersonReading, update: dict[str, object]) -> PersonReading:
        provenance = {**prov, **own.provenance, **p.provenance}
        for key in ("phone", "job_title", "pay_band"):
            if getattr(p, key) is None and getattr(own, key) is not None:
                update[key] = getattr(own, key)
                if key == "phone":
                    update["phone_extension"] = own.phone_extension
                if key == "pay_band":
                    update["pay_band_raw"] = own.pay_band_raw
        update["provenance"] = provenance
        return p.model_copy(update=update)

    for i, p in enumerate(nominees):
        if p.name and name and names_match(p.name, name):
            nominees[i] = completed(p, {"email": p.email or parsed.from_.addr})
            return nominees
        if p.name is None:
            nominees[i] = completed(p, {"name": name, "email": p.email or parsed.from_.addr})
            return nominees
    me = completed(PersonReading(name=name, email=parsed.from_.addr), {})
    return [me, *nominees]


_SUBJECT_PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|aw|sv|tr)\s*:\s*|\[[^\]]{0,40}\]\s*)+", re.I)
_ABOVE = re.compile(
    r"(?i)\b(?:the\s+above|named\s+(?:above|in\s+the\s+subject)|(?:person|colleague|individual)"
    r"\s+(?:named\s+)?(?:above|in\s+the\s+subject))\b"
)


def _subject_names(subject: str, ctx: PeopleContext) -> list[tuple[str, str | None]]:
    """People's names in the Subject ("PSS nomination - Dr Olumide Bankole"), with their
    honorific: an honorific or two or more words, outside organisation names, not the sender's
    or a signature name."""
    subject = _SUBJECT_PREFIX.sub("", subject or "")[:300]
    orgs = [(s, e) for _n, s, e in find_organisations(subject)]
    out: list[tuple[str, str | None]] = []
    for nm in find_name_mentions(subject):
        if any(s <= nm.start < e for s, e in orgs):
            continue
        if not (nm.honorific or len(nm.tokens) >= 2):
            continue
        if any(names_match(nm.name, n) for n in (*ctx.sender_names, *ctx.signature_names)):
            continue
        out.append((nm.name, nm.honorific))
    return out


def _name_from_subject(
    parsed: ParsedEmail,
    nominees: list[PersonReading],
    mid: str | None,
    regions: list[Region],
    ctx: PeopleContext,
) -> list[PersonReading]:
    """Name the one unnamed nominee from the Subject when the body gives their details but not
    their name ("Subject: PSS nomination - Dr X" / "His details are as follows: …"). The body
    must back the name up: the nominee's address names them, the text uses part of the name, or
    it points at the Subject ("the above")."""
    if len(nominees) > 1:
        return nominees
    names = _subject_names(parsed.subject, ctx)
    if len(names) != 1:
        return nominees
    name, honorific = names[0]
    if nominees and nominees[0].name:
        # The body calls them by one name ("Olumide's details …"): the Subject's full name.
        p = nominees[0]
        assert p.name is not None
        if len(name_key(p.name)) == 1 and len(name_key(name)) >= 2 and names_match(p.name, name):
            where = Provenance(message_id=mid, source=Source.SUBJECT, text=parsed.subject[:300])
            update = {
                "name": name,
                "honorific": p.honorific or honorific,
                "provenance": {**p.provenance, "name": where},
            }
            return [p.model_copy(update=update)]
        return nominees
    text = " ".join(r.text for r in regions)
    prov = {"name": Provenance(message_id=mid, source=Source.SUBJECT, text=parsed.subject[:300])}
    if not nominees:
        # "I am writing to nominate the above as our first PSS" with no details at all.
        if _ABOVE.search(text):
            return [PersonReading(name=name, honorific=honorific, provenance=prov)]
        return nominees
    p = nominees[0]
    words = {t for t in name_key(name) if len(t) > 1}
    body_words = {t for nm in find_name_mentions(text) for t in name_key(nm.name)}
    backed = (
        (p.email is not None and local_part_matches_name(p.email, name) >= 1)
        or bool(words & body_words)
        or bool(_ABOVE.search(text))
    )
    if not backed:
        return nominees
    update = {
        "name": name,
        "honorific": p.honorific or honorific,
        "provenance": {**p.provenance, **prov},
    }
    return [p.model_copy(update=update)]


_COPIED = re.compile(r"(?i)\b(?:cc['’]?d|cc|copied|copying|copy|included)\b")


def _email_from_cc(
    p: PersonReading, parsed: ParsedEmail, mid: str | None, regions: list[Region]
) -> PersonReading:
    """Fill a nominee's missing address from a Cc (or To) mailbox whose display name or local
    part is theirs: "Amelia is copied in". A first name alone must be backed by the text
    saying someone is copied in."""
    if p.email is not None or not p.name:
        return p
    text = " ".join(r.text for r in regions)
    copied = bool(_COPIED.search(text))
    best = None
    for a in (*parsed.cc, *parsed.to):
        if not a.addr or (parsed.from_ is not None and a.addr == parsed.from_.addr):
            continue
        display = display_person_name(a.name) if a.name else None
        full = len(name_key(p.name)) >= 2
        if (
            display
            and names_match(display, p.name)
            and (full and len(name_key(display)) >= 2 or copied)
        ):
            best = a
            break
        score = local_part_matches_name(a.addr, p.name)
        if score == 2 or (score == 1 and copied and not full):
            best = a
            break
    if best is None:
        return p
    prov = dict(p.provenance)
    prov["email"] = Provenance(
        message_id=mid,
        source=Source.HEADER,
        text=f"Cc: {best.name} <{best.addr}>" if best.name else f"Cc: {best.addr}",
    )
    return p.model_copy(update={"email": best.addr, "provenance": prov})


# ------------------------------------------------------------------------------------------
# Message-level statements
# ------------------------------------------------------------------------------------------

_WITHDRAW = WITHDRAWAL
_NOT_WITHDRAW = WITHDRAWAL_NEGATED


# A request to take someone off the register, or a promise of a nomination to come.
_REGISTER_CHANGE = re.compile(
    r"(?i)\bremove\s+(?:[\w'’-]+\s+){1,3}?from\s+(?:your|the)\s+(?:register|list|records?|"
    r"distribution|mailing)|\bwrite\s+(?:to\s+you\s+)?again\s+with\s+(?:a|our|the)\s+"
    r"(?:formal\s+)?nomination"
)


def _is_withdrawal(text: str) -> bool:
    """True when the text withdraws or cancels a nomination (negations honoured).

    "Please disregard my previous email" withdraws only when the message gives no new
    details: followed by a new address or number it is a correction instead.
    """
    text = squash(clean_text(text))
    gives_details: bool | None = None  # worked out only when needed: a phone scan is costly
    for m in _WITHDRAW.finditer(text):
        window = text[max(0, m.start() - 30) : m.end()]
        if _NOT_WITHDRAW.search(window):
            continue
        if re.match(r"(?i)(?:disregard|ignore)\b(?!.*\bnomination\b)", m.group(0)):
            if gives_details is None:
                gives_details = bool(find_emails(text) or find_phones(text))
            if gives_details:
                continue
        return True
    return False


_CORRECTION = re.compile(
    r"\b(?:typo|mistake|incorrect(?:ly)?|wrong|correct(?:ed|ion)?|should\s+(?:have\s+)?(?:read|been|"
    r"be|say)|actually|amended|instead|disregard|ignore)\b",
    re.IGNORECASE,
)
_CORRECTED_FIELD = re.compile(
    r"\b(?:correct|right|new|updated|amended)\s+(?:e-?mail(?:\s+address)?|address|(?:phone|mobile|"
    r"telephone|contact)\s+number|number|phone|mobile|name|(?:job\s+)?title|band)\s+(?:is|should)\b",
    re.IGNORECASE,
)


_NAME_WORD = r"[A-Z][\w'’\-]{1,40}"
_NAME_CORRECTION = re.compile(
    rf"(?:\b(?P<first>{_NAME_WORD})['’]s|\b(?i:the\s+nominee['’]s|her|his|their|the))\s+"
    r"(?i:(?:sur|last\s+|family\s+|first\s+|fore)?name)\s+"
    r"(?i:is\s+(?:actually\s+|correctly\s+)?|should\s+(?:be|read|have\s+been)\s+|"
    r"is\s+spelt\s+|is\s+spelled\s+)(?i:spelt\s+|spelled\s+)?[\"“‘']?"
    rf"(?P<new>{_NAME_WORD})[\"”’']?(?:\s*\([^()\n]{{0,60}}\))?\s*,?\s*(?i:and\s+)?(?i:not)\s+"
    rf"(?i:as\s+)?[\"“‘']?(?P<old>{_NAME_WORD})"
)


def _name_corrections(text: str) -> list[NameCorrection]:
    """Corrections of one word of a name ("X's surname is Mulvaney (with an "e"), not
    Mulvany"); the merge finds whose name held the old word."""
    out: list[NameCorrection] = []
    for m in _NAME_CORRECTION.finditer(text[:20_000]):
        old, new = m.group("old").strip("'’"), m.group("new").strip("'’")
        if old.casefold() == new.casefold():
            continue
        first = m.group("first")
        who = first if first and first != old else None
        out.append(NameCorrection(first=who, old=old, new=new))
    return out


def _is_correction(text: str) -> bool:
    """True when a sentence corrects a detail given before: a correction word together with a
    new value or "the correct address is" ("Sorry, her email is actually …", "there was a typo
    in Rahul's address … The correct address is …"). "Sent to the wrong address" is not one."""
    text = clean_text(text)
    for para in text.split("\n\n"):
        joined = squash(para)
        for s_, e_ in sentences_of(joined):
            sentence = joined[s_:e_]
            if _CORRECTED_FIELD.search(sentence):
                return True
            if _CORRECTION.search(sentence) and (find_emails(sentence) or find_phones(sentence)):
                if not re.search(r"(?i)\bsent\s+to\s+the\s+wrong\b", sentence):
                    return True
    return False


_ON_BEHALF = re.compile(r"\bon\s+behalf\s+of\s+(?P<who>[^.,;\n]{1,80})", re.IGNORECASE)
_ORG_WORDS = re.compile(
    r"(?i)^(?:the\s+|our\s+|my\s+)?(?:trust|icb|board|organisation|organization|team|"
    r"executive\s+team|directorate|nhs\b|integrated|foundation|hospital|hospice|ccg|company|"
    r"all\b|everyone|colleagues|the\s+(?:\w+\s+)?(?:trust|icb|board|organisation))"
)


def _on_behalf_of(parsed: ParsedEmail, text: str) -> bool:
    """True when someone writes for another person ("on behalf of Dr Helen Marsh", "on behalf
    of our Chief Nurse"), or the Sender header differs from From. "On behalf of the Trust" or
    of an organisation does not count."""
    if (
        parsed.sender is not None
        and parsed.from_ is not None
        and (parsed.sender.addr and parsed.sender.addr != parsed.from_.addr)
    ):
        return True
    for m in _ON_BEHALF.finditer(squash(clean_text(text))):
        who = m.group("who").strip()
        if _ORG_WORDS.match(who) or find_organisations(who) and find_organisations(who)[0][1] <= 4:
            continue
        if re.match(
            r"(?i)(?:our|my|the)\s+(?:chief|director|medical|executive|ceo|deputy|"
            r"associate|interim|acting)",
            who,
        ):
            return True
        mentions = find_name_mentions(who)
        if mentions and mentions[0].start <= 4:
            first = mentions[0]
            if first.honorific or len(first.tokens) >= 2:
                return True
            # A first name alone ("on behalf of Helen, who is on leave").
            if re.match(r"^\s*(?:[,.;)]|$|who\b|as\b|and\b)", who[first.end :]):
                return True
        if re.match(r"(?i)(?:him|her|them)\b", who):
            return True
    return False
