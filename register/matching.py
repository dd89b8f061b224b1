"""Match a case to its organisation's ODS code from what the message says.

In order of reliability (DOMAIN.md section 4): the organisation named in the body or signature
(the extraction's ``organisation``), the NHSmail display name's "(ORGANISATION IN CAPITALS)",
then the sender's mail domain once learned from an accepted case (never a shared domain such as
nhs.net). Names are compared by :func:`register.names.match_key`, then by
:func:`register.names.core_key` ("Northshire Hospitals" names the trust); two candidates are
never guessed between. A closed organisation resolves to its successor (ODS ``succ.csv``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from register.names import core_key, match_key, proper_case
from store.models import Organisation, OrganisationDomain

__all__ = ["NO_MATCH", "OrganisationMatch", "display_name_organisation", "learn_domain", "match",
           "match_code", "resolve"]

_DISPLAY_ORG = re.compile(r"\(([^()]{4,})\)\s*$")


@dataclass(frozen=True, slots=True)
class OrganisationMatch:
    """The outcome of matching.

    ``code``/``name`` are the organisation the case belongs to (a successor when the one named
    has closed; ``name`` in proper case); ``named_code``/``named_name`` the organisation the
    message names; ``via`` ``body``, ``display_name`` or ``domain``; ``text`` what was
    matched; ``ambiguous`` the names of two or more candidates when nothing matched uniquely;
    ``closed_on`` the named organisation's close date when it has closed.
    """

    code: str | None = None
    name: str | None = None
    named_code: str | None = None
    named_name: str | None = None
    via: str | None = None
    text: str | None = None
    ambiguous: tuple[str, ...] = ()
    closed_on: dt.date | None = None

    @property
    def resolved_to_successor(self) -> bool:
        return self.code is not None and self.code != self.named_code

    def note(self) -> str | None:
        """A sentence for the case page when the organisation named has closed."""
        if self.closed_on is None or self.named_name is None:
            return None
        when = self.closed_on.strftime("%-d %B %Y")
        if self.resolved_to_successor:
            return (f"{self.named_name} ({self.named_code}) closed on {when}; its successor is "
                    f"{self.name} ({self.code}).")
        return f"{self.named_name} ({self.named_code}) closed on {when} and has no successor."


NO_MATCH = OrganisationMatch()


@dataclass(frozen=True, slots=True)
class _Index:
    orgs: dict[str, Organisation]
    by_key: dict[str, tuple[str, ...]]
    by_core: dict[str, tuple[str, ...]]


_cache: dict[tuple[str, int, object], _Index] = {}


def _index(session: Session) -> _Index:
    """All organisations by match key; rebuilt only when the table changed."""
    count, newest = session.execute(
        select(func.count(), func.max(Organisation.updated_at))).one()
    stamp = (str(session.get_bind().engine.url), int(count), newest)
    cached = _cache.get(stamp)
    if cached is not None:
        return cached
    orgs = {o.code: o for o in session.execute(select(Organisation)).scalars()}
    for org in orgs.values():
        session.expunge(org)
    by_key: dict[str, list[str]] = {}
    by_core: dict[str, list[str]] = {}
    for org in orgs.values():
        by_key.setdefault(match_key(org.name), []).append(org.code)
        core = core_key(org.name)
        if core:
            by_core.setdefault(core, []).append(org.code)
    index = _Index(orgs, {k: tuple(v) for k, v in by_key.items()},
                   {k: tuple(v) for k, v in by_core.items()})
    _cache.clear()
    _cache[stamp] = index
    return index


def resolve(orgs: dict[str, Organisation], code: str, today: dt.date) -> str:
    """``code``, or the successor of a closed organisation (followed through several
    mergers: ICBs merge in 2026 and again in 2027)."""
    seen = {code}
    org = orgs.get(code)
    while (org is not None and org.closed_on is not None and org.closed_on < today
           and org.successor_code and org.successor_code not in seen):
        seen.add(org.successor_code)
        code = org.successor_code
        org = orgs.get(code)
    return code


def _candidates(index: _Index, text: str) -> tuple[str, ...]:
    found = index.by_key.get(match_key(text), ())
    if not found:
        core = core_key(text)
        found = index.by_core.get(core, ()) if core else ()
    if len(found) > 1:
        # Two records with one name: an open one is meant rather than one long closed.
        open_ = tuple(c for c in found if index.orgs[c].closed_on is None)
        found = open_ if len(open_) == 1 else found
    return found


def display_name_organisation(display_name: str | None) -> str | None:
    """The "(ORGANISATION)" ending an NHSmail display name, or None:
    ``"OSEI, Margaret (NHS WESSEX VALE ICB)"`` → ``"NHS WESSEX VALE ICB"``."""
    found = _DISPLAY_ORG.search(display_name or "")
    return found.group(1).strip() if found else None


def _found(index: _Index, code: str, via: str, text: str, today: dt.date) -> OrganisationMatch:
    named = index.orgs[code]
    final = resolve(index.orgs, code, today)
    closed = named.closed_on if named.closed_on is not None and named.closed_on < today else None
    return OrganisationMatch(
        code=final, name=proper_case(index.orgs[final].name) if final in index.orgs else None,
        named_code=code, named_name=proper_case(named.name), via=via, text=text,
        closed_on=closed)


def match(session: Session, *, organisation: str | None, display_name: str | None,
          sender_domain: str | None, shared_domains: frozenset[str] = frozenset(),
          today: dt.date | None = None) -> OrganisationMatch:
    """The organisation a message is from (see the module docstring); :data:`NO_MATCH` when no
    organisations are loaded or nothing matches one organisation only."""
    index = _index(session)
    if not index.orgs:
        return NO_MATCH
    today = today or dt.datetime.now(dt.UTC).date()
    ambiguous: tuple[str, ...] = ()
    for via, text in (("body", organisation), ("display_name",
                                                display_name_organisation(display_name))):
        if not text:
            continue
        found = _candidates(index, text)
        if len(found) == 1:
            return _found(index, found[0], via, text, today)
        if len(found) > 1 and not ambiguous:
            ambiguous = tuple(proper_case(index.orgs[c].name) for c in found)
    domain = (sender_domain or "").lower()
    if domain and domain not in shared_domains:
        learned = session.get(OrganisationDomain, domain)
        if learned is not None and learned.code in index.orgs:
            return _found(index, learned.code, "domain", domain, today)
    return OrganisationMatch(ambiguous=ambiguous, text=organisation)


def match_code(session: Session, code: str, *, via: str = "case",
               today: dt.date | None = None) -> OrganisationMatch | None:
    """The match for a known ODS ``code`` (successor followed), or None if it is not loaded."""
    index = _index(session)
    if code not in index.orgs:
        return None
    return _found(index, code, via, code, today or dt.datetime.now(dt.UTC).date())


def learn_domain(session: Session, *, domain: str | None, code: str | None,
                 case_id: int, shared_domains: frozenset[str]) -> None:
    """Remember that ``domain`` (an accepted case's sender domain) belongs to ``code``. A
    domain seen for two organisations forgets its code (it then proves nothing)."""
    domain = (domain or "").lower()
    if not domain or not code or domain in shared_domains:
        return
    row = session.get(OrganisationDomain, domain)
    if row is None:
        session.add(OrganisationDomain(domain=domain, code=code, case_id=case_id))
    elif row.code is not None and row.code != code:
        row.code = None
        row.case_id = case_id
