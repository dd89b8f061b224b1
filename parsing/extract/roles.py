"""Roles decided by an ordered table of named rows (as the validation rules are a registry).

Each person the reader assembled is described by :class:`Facts` (plain data: what labels,
headings and prose said of them); :func:`decide` tries the rows of :data:`ROWS` in order and
returns the first row that applies with its verdict: a role (:class:`~parsing.extract.labels.
Role` value), :data:`DROP` (not a nominee nor replaced: the sender, a PA, a PSS who stays…) or
:data:`UNDECIDED` (nothing said; the group fallbacks in ``people.result`` look at them with
the other people). The row's name is kept on the person so a trace, and the confidence of each
value, can say which row decided.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from parsing.extract.labels import Role

__all__ = ["DROP", "ROWS", "UNDECIDED", "Facts", "Row", "decide"]

DROP = "drop"
UNDECIDED = "undecided"
_RECORD = ("label", "block")


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rows may look at for one person.

    ``role`` the role a label, heading or list intro gave (or None); ``cues`` the roles prose
    suggested; ``origin`` "label", "block" or "prose"; ``is_sender`` the sender's own record;
    ``sender_named`` the person's name is a sender's (From, forwarded author);
    ``sender_is_nominee`` the text says the sender is the PSS."""

    has_name: bool
    has_details: bool
    role: str | None
    cues: frozenset[str]
    origin: str
    is_sender: bool = False
    sender_named: bool = False
    sender_is_nominee: bool = False


@dataclass(frozen=True, slots=True)
class Row:
    """One row: ``name`` (kebab-case), ``doc`` for a reader of the trace, ``verdict`` returning
    a role, DROP or UNDECIDED when the row applies, None when it does not."""

    name: str
    doc: str
    verdict: Callable[[Facts], str | None]


def _given(f: Facts) -> str | None:
    if f.role is None:
        return None
    return f.role if f.role in (Role.NOMINEE, Role.REPLACED, Role.INCUMBENT) else UNDECIDED


def _stays(f: Facts) -> bool:
    return "replaced" not in f.cues and ("stays" in f.cues or {"existing", "incumbent"} <= f.cues)


ROWS: tuple[Row, ...] = (
    Row("sender-record", "the sender's own details, kept apart",
        lambda f: DROP if f.is_sender else None),
    Row("sender-own-details", "the sender, who says they are the PSS, in their own record",
        lambda f: (f.role or Role.NOMINEE)
        if f.sender_named and f.sender_is_nominee and f.origin in _RECORD else None),
    Row("sender-named", "a sender (From, forwarded author) is never a nominee",
        lambda f: DROP if f.sender_named else None),
    Row("nothing-known", "a name-less mention with no details",
        lambda f: DROP if not f.has_name and not f.has_details else None),
    Row("pa-in-prose", "named in prose as someone's PA",
        lambda f: DROP if "pa" in f.cues and f.role is None and f.origin == "prose" else None),
    Row("executive", "named as the executive, with nothing making them the nominee",
        lambda f: DROP
        if "executive" in f.cues and f.role is None and "nominee" not in f.cues else None),
    Row("stays-in-post", "'remains in post', 'is not affected', 'joining Y, our existing PSS'",
        lambda f: DROP if f.role is None and _stays(f) else None),
    Row("given-role", "a label, heading, table column or list intro gave the role", _given),
    Row("cue-replaced", "prose says they are replaced ('replacing X', 'X is leaving')",
        lambda f: Role.REPLACED if "replaced" in f.cues else None),
    Row("cue-nominee", "prose nominates them ('I would like to nominate X')",
        lambda f: Role.NOMINEE if "nominee" in f.cues else None),
    Row("cue-existing", "an existing PSS not said to be replaced",
        lambda f: DROP if "existing" in f.cues else None),
    Row("cue-incumbent", "the current PSS: replaced in a replacement, else staying",
        lambda f: Role.INCUMBENT if "incumbent" in f.cues else None),
)


def decide(facts: Facts) -> tuple[str, str]:
    """``(row name, verdict)`` of the first row of :data:`ROWS` that applies; ``("no-row",
    UNDECIDED)`` when none does."""
    for row in ROWS:
        verdict = row.verdict(facts)
        if verdict is not None:
            return row.name, verdict
    return "no-row", UNDECIDED
