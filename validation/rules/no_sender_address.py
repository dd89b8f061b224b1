"""The ``no-sender-address`` rule: The message has no usable sender address, so nobody can be asked
for what is missing.
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext


class NoSenderAddress(Rule):
    name = "no-sender-address"
    description = (
        "The message has no usable sender address, so nobody can be asked for what is missing."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        parsed = ctx.parsed
        if parsed is None or ctx.oversized or ctx.processing_error:
            return None
        if parsed.from_ is not None and "@" in parsed.from_.addr:
            return None
        # A file that is not an email at all (no header block) ends here too.
        return "The message has no From address (it may not be an email at all).", []
