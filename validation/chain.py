"""Run every rule and decide: ``ignore`` if any ignore-rule hit, else ``review`` if any flag
hit, else ``request_missing`` if anything is missing, else ``accept`` (DESIGN.md "Validation
rules"; Mailman's chain with "defer, then any"). Missing items are dropped when an ignore-rule
or a rule marked ``no_nomination`` hit: there is no nomination to complete."""

from __future__ import annotations

from dataclasses import dataclass, replace

from validation.models import Action, Flag, RuleOutcome
from validation.rules import RULES, Rule, RuleContext


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of one evaluation: every rule's result, the action, the flags (hits of
    ``flag`` rules, in rule order) and the missing items (sorted, contract form)."""

    outcomes: tuple[RuleOutcome, ...]
    action: Action
    flags: tuple[Flag, ...]
    missing: tuple[str, ...]


def _interleave(
    rules: tuple[Rule, ...], first: tuple[RuleOutcome, ...]
) -> list[RuleOutcome | None]:
    """``first`` spread over the positions of the rules that ran first (None elsewhere)."""
    it = iter(first)
    return [None if rule.needs_missing else next(it) for rule in rules]


def _present(outcome: RuleOutcome | None) -> RuleOutcome:
    """``outcome``, which is never None at a position of a rule that ran first."""
    assert outcome is not None
    return outcome


def evaluate(ctx: RuleContext, rules: tuple[Rule, ...] = RULES) -> Verdict:
    """Run all ``rules`` on ``ctx`` and decide. Never stops at the first hit."""
    first = tuple(rule.check(ctx) for rule in rules if not rule.needs_missing)
    by_name = {rule.name: rule for rule in rules}
    if ctx.processing_error or any(
            o.hit and (o.kind == "ignore" or by_name[o.rule].no_nomination) for o in first):
        # Automatic mail, nothing nominated, or a message never read: there is nothing to ask
        # the sender for, so the missing-item rules do not apply (and must not show as
        # reasons to a reviewer).
        first = tuple(
            RuleOutcome(rule=o.rule, hit=False, kind=o.kind) if o.kind == "missing" else o
            for o in first
        )
    # Rules about asking (e.g. cannot-ask-sender) run once the missing items are known.
    asks = sorted({item for o in first if o.hit and o.kind == "missing" for item in o.missing})
    late_ctx = replace(ctx, missing=tuple(asks))
    late = {rule.name: rule.check(late_ctx) for rule in rules if rule.needs_missing}
    outcomes = tuple(late[r.name] if r.needs_missing else _present(o)
                     for r, o in zip(rules, _interleave(rules, first), strict=True))
    hits = [o for o in outcomes if o.hit]
    flags = tuple(Flag(rule=o.rule, reason=o.reason) for o in hits if o.kind == "flag")
    missing = tuple(sorted({item for o in hits if o.kind == "missing" for item in o.missing}))
    if any(o.kind == "ignore" for o in hits):
        action = Action.IGNORE
    elif flags:
        action = Action.REVIEW
    elif missing:
        action = Action.REQUEST_MISSING
    else:
        action = Action.ACCEPT
    return Verdict(outcomes=outcomes, action=action, flags=flags, missing=missing)
