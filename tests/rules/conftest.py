"""Builders for the rule tests: a :class:`ParsedEmail` with plain defaults, overridable per test.

The defaults describe an ordinary nomination from an NHS executive to the national mailbox, so a
test only spells out what its rule looks at. People and numbers are fictional (Ofcom drama range).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from parsing.model import Address, BodyText, Classification, ParsedEmail

EXECUTIVE = Address(name="Dr Helen Marsh", addr="helen.marsh@nhs.net")
MAILBOX = Address(name="PSS Nominations", addr="pss.nominations@england.example")


def build_parsed(**overrides: Any) -> ParsedEmail:
    """A parsed nomination email; keyword arguments replace any :class:`ParsedEmail` field."""
    base = ParsedEmail(
        message_id="<nomination.1@nhs.net>",
        subject="Patient Safety Specialist nomination",
        date=None,
        from_=EXECUTIVE,
        sender=None,
        reply_to=(),
        to=(MAILBOX,),
        cc=(),
        in_reply_to=None,
        references=(),
        headers={},
        body=BodyText(full="", new="", signature="", quoted=""),
        html=None,
        attachments=(),
        classification=Classification.NOMINATION,
    )
    return dataclasses.replace(base, **overrides)


@pytest.fixture
def make_parsed() -> Callable[..., ParsedEmail]:
    """The :func:`build_parsed` builder."""
    return build_parsed
