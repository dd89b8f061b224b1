"""``pss-intake extract FILE --trace``: each reading stage's output, so anyone can see where
a reading went wrong (pure: text lines, nothing stored).

Stages in order: the regions the parser split the body into; the organisation blocks the
people stages skip; the people read with the role row that decided each (and those dropped);
the ambiguities; the statements (type, guidance, withdrawal, correction); the organisation.
"""

from __future__ import annotations

from parsing.extract import extract
from parsing.extract.letterhead import organisation_block_lines
from parsing.extract.people import read_people
from parsing.extract.textutil import clean_text, lines_of
from parsing.model import ParsedEmail

__all__ = ["trace"]


def _regions(parsed: ParsedEmail) -> list[str]:
    body = parsed.body
    out = []
    for name in ("new", "signature", "quoted", "forwarded"):
        text: str = getattr(body, name)
        out.append(f"{name}: {len(text.splitlines())} lines")
    return out


def _letterheads(regions: list[tuple[str, str]]) -> list[str]:
    out = []
    for name, text in regions:
        lines = lines_of(clean_text(text))
        for k in sorted(organisation_block_lines(lines)):
            out.append(f"{name} line {k + 1}: {lines[k].text.strip()}")
    return out or ["(none)"]


def _people(parsed: ParsedEmail, replacement: bool) -> list[str]:
    from parsing.extract import _body_regions, _people_context  # the regions extract() reads

    result = read_people(
        _body_regions(parsed), _people_context(parsed), replacement_stated=replacement
    )
    out = []
    for role, drafts in (("nominee", result.nominees), ("replaced", result.replaced)):
        for d in drafts:
            out.append(f"{role}: {d.name or '(no name)'} <{d.email or '-'}> {d.phone or '-'}"
                       f" [origin {d.origin}; row {d.decided_by or '-'}]")
    for name, row, verdict in result.decisions:
        if verdict in ("drop", "undecided"):
            out.append(f"{verdict}: {name} [row {row}]")
    return out or ["(nobody)"]


def trace(parsed: ParsedEmail) -> list[tuple[str, list[str]]]:
    """``[(stage, lines), …]`` for ``parsed``, in the order the stages run."""
    ex = extract(parsed)
    body = parsed.body
    stages: list[tuple[str, list[str]]] = [
        ("regions", _regions(parsed)),
        ("organisation blocks", _letterheads([("new", body.new), ("forwarded", body.forwarded)])),
        ("people (role rows)", _people(parsed, ex.nomination_type == "replacement")),
        ("ambiguities", [f"{a.field}: {' | '.join(a.candidates)} ({a.reason})"
                         for a in ex.ambiguities] or ["(none)"]),
        ("statements", [f"classification: {ex.classification}",
                        f"nomination type: {ex.nomination_type} (stated: "
                        f"{', '.join(ex.stated_types) or 'none'})",
                        f"guidance confirmed: {ex.guidance_confirmed}",
                        f"withdrawal: {ex.withdrawal}; correction: {ex.correction}; "
                        f"on behalf: {ex.on_behalf_of}; forwarded: {ex.forwarded}"]),
        ("organisation", [str(ex.organisation)]),
        ("values (stage, confidence, evidence)", [
            f"{group}[{i}].{key}: {p.stage or '-'}, {p.confidence or '-'}, {p.evidence or '-'}"
            for group, people in (("nominees", ex.nominees), ("replaced", ex.replaced))
            for i, person in enumerate(people) for key, p in person.provenance.items()
        ] or ["(none)"]),
    ]
    return stages
