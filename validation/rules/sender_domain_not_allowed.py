"""The ``sender-domain-not-allowed`` rule: The nomination comes from a free webmail or personal
address, or from a domain that is neither an NHS or government one nor recognisably the
organisation's own.
"""

from __future__ import annotations

import re

from parsing.model import Classification
from validation.rules.base import Rule, RuleContext, within_domains

# The sender says so: "Please excuse me writing from my personal email".
_PERSONAL = re.compile(
    r"(?i)\b(?:my|a)\s+(?:own\s+)?(?:personal|private|home)\s+(?:e-?mail|address|account|inbox)"
)

# Words of an organisation's name that say what kind of body it is, not which one: a domain
# holding only these ("healthcare-interim.co.uk") does not name "Northshire Healthcare NHS
# Trust". Stop words too.
_GENERIC = frozenset("""
    nhs trust foundation hospital hospitals hospice hospices health healthcare care community
    services service university teaching partnership integrated board icb mental general
    district county and the of for st saint ltd limited group uk national care independent
    practice surgery medical centre center clinic""".split())


# "nhs" as a word of a domain label ("ouseburnvalley-nhs.co.uk", "nhs-northmoor.org"): a
# domain dressed as an NHS one. NHS bodies write from nhs.net or under nhs.uk.
_NHS_LABEL = re.compile(r"(?:^|[^a-z])nhs(?:[^a-z]|$)|^nhs|nhs$")
_NHS_BODY = re.compile(r"\bNHS\b")


def _imitates_nhs(domain: str) -> bool:
    """True when a label of ``domain`` (bar the top level) has "nhs" as a word of it."""
    return any(_NHS_LABEL.search(label) for label in domain.casefold().split(".")[:-1])


def _domain_names(domain: str, organisation: str) -> bool:
    """True when a label of ``domain`` (bar the top level) carries a distinctive word of
    ``organisation`` ("larkhillhospice" for Larkhill Hospice), starts with a three-letter one
    ("hcahealthcare" for HCA Healthcare), or is its initials ("mgaa" for Medical Gases
    Assurance Agency)."""
    words = [w for w in re.findall(r"[a-z0-9]+", organisation.casefold().replace("'", ""))]
    distinctive = [w for w in words if w not in _GENERIC and len(w) >= 3]
    initials = {"".join(w[0] for w in words),
                "".join(w[0] for w in words if w not in {"and", "the", "of", "for"})}
    for label in domain.split(".")[:-1]:
        label = re.sub(r"[^a-z0-9]", "", label)
        if len(label) >= 2 and label in initials:
            return True
        for word in distinctive:
            if (len(word) >= 4 and word in label) or label.startswith(word):
                return True
    return False


class SenderDomainNotAllowed(Rule):
    name = "sender-domain-not-allowed"
    description = (
        "The nomination comes from a free webmail or personal address, or from a domain that "
        "is neither an NHS or government one nor recognisably the organisation's own."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        if ctx.parsed is None or ctx.parsed.from_ is None:
            return None
        domain = ctx.parsed.from_.domain
        if domain in ctx.webmail_domains:
            return (
                f"The sender writes from a free webmail domain ({domain}), not an NHS address.",
                [],
            )
        if within_domains(domain, ctx.organisation_domains):
            return None
        if _PERSONAL.search(ctx.parsed.body.new[:20_000]):
            return (
                f"The sender says they write from a personal address ({domain}), not their "
                "organisation's.",
                [],
            )
        return _outside(ctx, domain)


def _outside(ctx: RuleContext, domain: str) -> tuple[str, list[str]] | None:
    """The hit for a nomination from a domain outside ``organisation_domains`` that does not
    name the organisation (an interim executive writing from their consultancy), or None.
    Only nominations and follow-ups: automatic mail and enquiries have rules of their own.
    With no organisation domains configured, nothing is refused on this ground."""
    if not ctx.organisation_domains or ctx.extraction is None or (
        ctx.extraction.classification not in (Classification.NOMINATION,
                                              Classification.FOLLOW_UP)
    ):
        return None
    if _imitates_nhs(domain):
        return (
            f"The sender writes from {domain}, which looks like an NHS domain but is not one "
            "(NHS organisations write from nhs.net or nhs.uk).",
            [],
        )
    organisation = ctx.reading.organisation
    # A domain naming the organisation vouches for a hospice or an independent provider; an
    # NHS body ("… NHS Trust", "NHS … ICB") has an NHS domain, so another one is not its own.
    if organisation and not _NHS_BODY.search(organisation) and _domain_names(domain,
                                                                              organisation):
        return None
    named = f"{organisation}'s" if organisation else "the nominating organisation's"
    return (
        f"The sender writes from {domain}, which is neither an NHS or government domain nor "
        f"recognisably {named} own.",
        [],
    )
