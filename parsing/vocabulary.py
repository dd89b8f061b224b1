"""The reader's vocabulary as data: one definition of each term, with examples.

Each :class:`Term` is a compiled pattern plus sentences it must find (``matches``) and must
not find (``rejects``); ``tests/extraction/test_vocabulary.py`` checks every example of every
term, so a change to a pattern shows at once what it now reads differently. The stages import
the pattern by name (``TERMS["withdrawal"].pattern`` or the module constant) instead of
writing their own copy. Sources: the wording of nomination mail in the corpus
(``tests/fixtures``) and DOMAIN.md; UK postcodes after the Royal Mail PAF format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    """One term: ``name`` (kebab-case), ``pattern`` (searched, not matched), ``doc`` what it
    means, ``matches``/``rejects`` example texts it must / must not find."""

    name: str
    pattern: re.Pattern[str]
    doc: str
    matches: tuple[str, ...]
    rejects: tuple[str, ...]

    def found(self, text: str) -> bool:
        """True when the term occurs anywhere in ``text``."""
        return self.pattern.search(text) is not None


TERMS: dict[str, Term] = {}


def term(name: str, pattern: str, doc: str, matches: tuple[str, ...],
         rejects: tuple[str, ...], flags: int = 0) -> re.Pattern[str]:
    """Define and register one term; returns its compiled pattern.

    Raises ValueError when ``name`` is defined twice (one definition of each term)."""
    if name in TERMS:
        raise ValueError(f"term {name!r} defined twice")
    compiled = re.compile(pattern, flags)
    TERMS[name] = Term(name, compiled, doc, matches, rejects)
    return compiled


# ------------------------------------------------------------------ organisations' blocks

POSTCODE = term(
    "uk-postcode",
    r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s?\d[A-Z]{2}\b",
    "A UK postcode (outward and inward code), as in an address block.",
    ("Ashgrove AG3 7QP", "London SW1A 2AA", "Leeds LS1 4HR", "M1 1AE"),
    ("Band 8A", "Ward 8A", "0113 496 0180", "R9X", "INC-2025-0113496"),
)

WEB_ADDRESS = term(
    "web-address",
    r"(?i)\b(?:www\.[\w-]+(?:\.[\w-]+)+|https?://\S+)",
    "A web address, as an organisation's letterhead or footer carries.",
    ("www.ashgrovemoor.nhs.example", "see https://example.org/pss", "WWW.TRUST.NHS.UK"),
    ("jo.bloggs@nhs.net", "the www is down", "Dr. Smith"),
)

ORGANISATION_PHONE_LABEL = term(
    "organisation-phone-label",
    r"(?i)^\s*(?:main\s+)?(?:switchboard|reception|main\s+(?:line|number)|fax|general\s+"
    r"enquiries|enquiries)\b",
    "A label whose number is the organisation's, never a person's.",
    ("Switchboard: 0113 496 0000", "Main line 020 7946 0000", "Fax: 0113 496 0001",
     "General enquiries: 0113 496 0002"),
    ("Telephone: 0113 496 0181", "Mobile: 07700 900123", "Tel 0113 496 0644 x2234"),
)

# ------------------------------------------------------------------ statements

WITHDRAWAL = term(
    "withdrawal",
    r"\b(?:withdraw(?:n|ing|s)?|retract(?:ing)?|rescind(?:ing)?|cancel(?:l?ing|l?ed)?)\b[^.]{0,60}"
    r"\b(?:nomination|application|email|request|him|her|them)\b|"
    r"\b(?:nomination|application)\b[^.]{0,60}\b(?:as\s+|be\s+|is\s+|being\s+|been\s+)"
    r"(?:withdrawn|cancell?ed|rescinded|retracted|void)\b|"
    r"\b(?:disregard|ignore)\s+(?:(?:our|my|the|this|that)\s+)?(?:(?:previous|earlier|above|last|"
    r"original|recent)\s+)?(?:nomination|e-?mail|message|request)\b|"
    r"\b(?:not|n['’]t)\s+(?:to\s+)?(?:process|proceed\s+with|progress|action|register)\s+"
    r"(?:(?:the|our|my|this|that|his|her)\s+)?(?:nomination|registration|application)\b|"
    r"\bno\s+longer\s+(?:be\s+)?(?:taking\s+up|take\s+up|going\s+ahead|proceeding|able\s+to\s+take"
    r"|wish(?:es)?\s+to\s+take|available)\b|"
    r"\b(?:has|have)\s+(?:declined|turned\s+down)\s+the\s+(?:role|post|offer|nomination)\b|"
    r"\b(?:will|would)\s+not\s+(?:now\s+)?be\s+taking\s+(?:up|on)\s+the\s+(?:role|post)\b|"
    r"\bdecided,?\s+(?:[^.]{0,30}?,\s+)?not\s+to\s+(?:take\s+up|proceed|go\s+ahead|accept)\b",
    "The sender withdraws or cancels a nomination (negations are checked separately).",
    ("Please disregard our nomination of Dr Felix Amadi.",
     "we need to withdraw the nomination below",
     "Please treat the nomination below as withdrawn.",
     "The nomination below is withdrawn with immediate effect.",
     "so please do not process the nomination below",
     "Please do not proceed with the nomination below.",
     "Ignatius has decided, for personal reasons, not to go ahead",
     "Felix will not now be taking on the role."),
    ("I confirm the guidance has been considered in making this nomination.",
     "Please process the nomination below.",
     "She will be taking on the role from 1 July."),
    re.IGNORECASE,
)

WITHDRAWAL_NEGATED = term(
    "withdrawal-negated",
    r"(?:\bnot|n['’]t)\s+(?:\w+\s+)?(?:withdraw|cancel|disregard)",
    "A withdrawal word under a negation: not a withdrawal.",
    ("we are not withdrawing the nomination", "please don't disregard my email"),
    ("we withdraw the nomination", "please disregard my email"),
    re.IGNORECASE,
)

# ------------------------------------------------------------------ lists of people

REPLACES_THE_LIST = term(
    "replaces-the-list",
    r"(?i)\b(?:replac(?:e|es|ing)|succeed(?:s|ing)?|tak(?:e|es|ing)\s+over\s+from|"
    r"tak(?:e|es|ing)\s+on\s+the\s+(?:role|post)\s+from)"
    r"(?:\s+(?![^:]*\b(?:with|by)\b)[^.:]{0,60})?:\s*$",
    "An intro ending in a verb of replacement whose object is the list below it: the "
    "listed people are the ones replaced. 'with'/'by' after the verb names successors.",
    ("Ottoline Brackenbury, our Head of Patient Safety Learning, will replace both of our "
     "current PSSs:", "Sam is taking over from:", "who succeeds the following colleagues:"),
    ("We will be replacing Neil with two colleagues:", "Our PSSs will be replaced by:",
     "She will replace Jo. Her details:", "Details of the new PSS:"),
)

# ------------------------------------------------------------------ labels

SHORT_ROLE_LABEL = term(
    "short-role-label",
    r"^(?:new|incoming|outgoing|departing|leaving|retiring|predecessor|successor)$",
    "A label that is one role word alone ('New:', 'Outgoing:', '--- INCOMING ---'): it names "
    "the person on its line (or under it) and their role. Matched against a label's folded "
    "words, so 'Replacing:' (a field word of its own) is not needed here.",
    ("new", "incoming", "outgoing", "predecessor"),
    ("new pss email", "renew", "newly appointed", "new pss"),
)

CONTACT_CORRECTION = term(
    "contact-correction",
    r"(?i)\b(?:wrong|incorrect)\s+(?:e-?mail(?:\s+address)?|address|(?:phone|mobile|telephone|"
    r"contact)\s+number|number|mobile|phone)\s+(?:for|of)\s+(?:him|her|them)\b|"
    r"\b(?:his|her|their)\s+(?:e-?mail(?:\s+address)?|address|mobile|(?:phone|telephone|"
    r"mobile|contact)\s+number|number|phone)\s+(?:is|should\s+be)\s+(?:actually|in\s+fact)\b",
    "A sentence saying a contact given before for a person the same sentence names was "
    "wrong: the person is the one named (a lone first name too), the new value theirs.",
    ("Grace has pointed out that I gave you the wrong email address for her - it should be",
     "her mobile is actually 07700 900864, I transposed two digits",
     "Sorry, I sent the wrong number for him."),
    ("I sent it to the wrong address", "her mobile is 07700 900864",
     "the wrong person was copied in"),
)

# ------------------------------------------------------------------ forwards

POINTS_BELOW = term(
    "points-below",
    r"(?i)\b(?:see|read|find)\s+(?:the\s+)?(?:e-?mail\s+|message\s+|note\s+|trail\s+)?below\b|"
    r"\b(?:e-?mail|message|note|trail|request|instruction)\s+below\b|\bas\s+below\b|"
    r"\bdetails\s+(?:(?:are|is)\s+)?(?:set\s+out\s+|given\s+|included\s+)?below\b|"
    r"\bdetails\s+(?:are\s+)?in\s+(?:the|(?:his|her|their)\s+(?:own\s+)?)\s*(?:e-?mail|message)"
    r"\s+below\b",
    "The sender's own text sends the reader to the forwarded message below: the forward is "
    "part of what they submit.",
    ("Please see below from our Chief Medical Officer.", "Please see his details below.",
     "her contact details are below", "see the email below", "details as below",
     "His details are in his email below."),
    ("details to follow", "her details will follow separately", "see you below stairs"),
)
