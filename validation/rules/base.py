"""The rule interface and the typed context every rule reads.

A rule inspects, never modifies (Mailman's rules are the model): it has a unique kebab-case
``name``, a one-sentence ``description`` written for the reviewer, a ``kind`` saying what a hit
means, and ``check(context)`` returning a :class:`validation.models.RuleOutcome`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

from parsing.model import ParsedEmail
from validation.models import CaseReading, Extraction, PersonReading, RuleOutcome


@dataclass(frozen=True, slots=True)
class RegisterFacts:
    """What the register says about a case, for the cross-record rules (built by
    :mod:`register.facts`; the default says nothing is loaded, so those rules report "not
    checked" and flag nothing).

    - ``organisations_loaded``: ODS organisations have been imported.
    - ``specialists_loaded``: the team's roster of specialists in post has been imported.
    - ``organisation_text``: the organisation as the message names it (None when unnamed).
    - ``organisation_code``/``organisation_name``: the matched ODS code and register name.
    - ``ambiguous``: names of two or more organisations the text could mean.
    - ``closed_without_successor``: the named organisation has closed and has no successor
      (its name in words, with the date).
    - ``in_post``: names of the specialists in post at the organisation (this case's own
      entries left out).
    - ``replaced_not_in_post``: replaced people not found among the organisation's specialists
      in post (by email, else by name).
    - ``nominees_in_post``: ``(nominee, organisation)`` for nominees already in post.
    """

    organisations_loaded: bool = False
    specialists_loaded: bool = False
    organisation_text: str | None = None
    organisation_code: str | None = None
    organisation_name: str | None = None
    ambiguous: tuple[str, ...] = ()
    closed_without_successor: str | None = None
    in_post: tuple[str, ...] = ()
    replaced_not_in_post: tuple[str, ...] = ()
    nominees_in_post: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class RuleContext:
    """Everything the rules may look at for one evaluation of a case.

    - ``reading``: the case's merged fields after the latest message.
    - ``extraction``/``parsed``: the latest message's extraction and parse (None when a reviewer
      re-evaluates a case without a new message).
    - ``sender_addr``: the case's nominating sender (lower-cased addr-spec) or None.
    - ``webmail_domains``: free webmail domains (``intake.webmail_domains``).
    - ``organisation_domains``: domains (and their subdomains) organisations nominate from
      (``intake.allowed_sender_domains``: nhs.net, nhs.uk).
    - ``oversized``: the latest message was over the size limit and not parsed.
    - ``processing_error``: processing the latest message failed (words, no personal data).
    - ``message_id_reused``: another stored message has the same Message-ID but other bytes.
    - ``foreign_case_reference``: the Subject quotes a case reference that is unknown or that
      belongs to another sender; the reference itself.
    - ``thread_of_other_sender``: the message threads (In-Reply-To/References) into
      ``foreign_case_reference``, a case whose correspondents do not include its sender.
    - ``reply_possible``: the sender of the latest message can be written to (not an
      automatic or no-reply address, not ours, a valid address).
    - ``missing``: set by the chain for rules marked ``needs_missing``: the items the
      missing-item rules found.
    - ``duplicate_of``: references of other cases naming the same nominee e-mail address.
    - ``reply_bounced``: one of our replies on this case came back undeliverable (permanent).
    - ``correction_unapplied``: a follow-up says it corrects a detail but changed no value of
      the case.
    - ``no_answer_after_chasers``: the request and every chaser went unanswered; the reason
      ("Asked 3 times since 1 December 2025, no answer.").
    - ``register``: what the register says about the case (:class:`RegisterFacts`).
    """

    reading: CaseReading
    extraction: Extraction | None = None
    parsed: ParsedEmail | None = None
    sender_addr: str | None = None
    webmail_domains: frozenset[str] = frozenset()
    organisation_domains: frozenset[str] = frozenset()
    oversized: bool = False
    processing_error: str | None = None
    message_id_reused: bool = False
    foreign_case_reference: str | None = None
    thread_of_other_sender: bool = False
    reply_possible: bool = True
    missing: tuple[str, ...] = ()
    duplicate_of: tuple[str, ...] = ()
    reply_bounced: bool = False
    no_answer_after_chasers: str | None = None
    correction_unapplied: bool = False
    register: RegisterFacts = field(default_factory=lambda: RegisterFacts())
    extra: dict[str, str] = field(default_factory=dict)


class Rule:
    """Base class: subclasses set ``name``, ``description``, ``kind`` and implement
    :meth:`evaluate` returning None (pass) or ``(reason, missing_items)`` for a hit."""

    name: ClassVar[str]
    description: ClassVar[str]
    kind: ClassVar[Literal["missing", "flag", "ignore"]]
    #: A hit means there is no nomination to complete, so nothing counts as missing.
    no_nomination: ClassVar[bool] = False
    #: The rule reads ``RuleContext.missing`` (what the missing-item rules found), so the chain
    #: runs it after them.
    needs_missing: ClassVar[bool] = False

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        raise NotImplementedError

    def not_checked(self, ctx: RuleContext) -> str | None:
        """Why the rule cannot be checked now (e.g. nothing loaded), or None; a rule that
        cannot be checked passes with this as its reason."""
        return None

    def check(self, ctx: RuleContext) -> RuleOutcome:
        """Run the rule; a hit carries its reason (and, for ``missing`` rules, the items)."""
        unchecked = self.not_checked(ctx)
        if unchecked is not None:
            return RuleOutcome(rule=self.name, hit=False, kind=self.kind, reason=unchecked)
        found = self.evaluate(ctx)
        if found is None:
            return RuleOutcome(rule=self.name, hit=False, kind=self.kind)
        reason, missing = found
        return RuleOutcome(rule=self.name, hit=True, kind=self.kind, reason=reason, missing=missing)


def people_or_placeholder(people: list[PersonReading]) -> list[PersonReading]:
    """The people, or one empty person when there are none (so "index 0 when the person is
    absent altogether" holds for the missing items, DESIGN.md contract)."""
    return people if people else [PersonReading()]


def display(person: PersonReading, fallback: str) -> str:
    """A person's name for a reason text, or ``fallback``."""
    return person.name or fallback


def missing_person_items(
    people: list[PersonReading], prefix: str, field: str, word: str, fallback: str
) -> tuple[str, list[str]] | None:
    """The hit of a "missing person field" rule, or None.

    :param prefix: ``"nominees"`` or ``"replaced"`` (the contract's list names).
    :param field: ``"name"``, ``"email"`` or ``"phone"``.
    :param word: the field in plain words for the reason ("contact number").
    :param fallback: how to call a person with no name ("the new specialist").
    :returns: ``(reason, ["nominees[0].phone", ...])`` for every person lacking ``field``
        (index 0 when the list is empty), or None when nobody lacks it.
    """
    listed = people_or_placeholder(people)
    lacking = [(i, p) for i, p in enumerate(listed) if not getattr(p, field)]
    if not lacking:
        return None
    who = ", ".join(display(p, fallback) for _, p in lacking)
    return f"No {word} for {who}.", [f"{prefix}[{i}].{field}" for i, _ in lacking]


def within_domains(domain: str, bases: frozenset[str]) -> bool:
    """True when ``domain`` is one of ``bases`` or a subdomain of one (``trust.nhs.uk`` is
    within ``nhs.uk``)."""
    return any(domain == b or domain.endswith("." + b) for b in bases)
