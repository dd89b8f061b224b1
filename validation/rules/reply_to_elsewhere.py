"""The ``reply-to-elsewhere`` rule: Replies would go to an address outside the sender's
organisation (Reply-To on webmail or on an unknown domain).
"""

from __future__ import annotations

from validation.rules.base import Rule, RuleContext, within_domains

# Replies follow Reply-To (RFC 5322 section 3.6.2), so a nomination "from" an NHS address with a
# Reply-To on gmail.com, or on a look-alike such as northshire-nhs.uk, would send our
# acknowledgement and requests, with the nominee's details, to someone else. A person checks
# first. A Reply-To on the sender's own domain, or on an organisation domain
# (``intake.allowed_sender_domains``: a PA on nhs.net for a trust executive), is ordinary.


class ReplyToElsewhere(Rule):
    name = "reply-to-elsewhere"
    description = (
        "Replies would go to an address outside the sender's organisation (Reply-To on webmail "
        "or on an unknown domain)."
    )
    kind = "flag"

    def evaluate(self, ctx: RuleContext) -> tuple[str, list[str]] | None:
        parsed = ctx.parsed
        if parsed is None or parsed.from_ is None or not parsed.reply_to:
            return None
        sender_domain = parsed.from_.domain
        if sender_domain in ctx.webmail_domains:
            return None  # sender-domain-not-allowed already says so
        for target in parsed.reply_to:
            domain = target.domain
            if domain == sender_domain:
                continue
            if domain in ctx.webmail_domains:
                return (
                    f"The message comes from {sender_domain} but asks for replies at a free "
                    f"webmail domain ({domain}).",
                    [],
                )
            if not within_domains(domain, ctx.organisation_domains):
                return (
                    f"The message comes from {sender_domain} but asks for replies at another "
                    f"domain ({domain}).",
                    [],
                )
        return None
