"""A PSS who stays in post is mentioned in passing: never a nominee, never replaced."""

from __future__ import annotations

import pytest

from parsing.extract import extract
from tests.extraction.helpers import make_parsed

TOMASZ = "Tomasz is Patient Safety Partner Lead, band 8a, tomasz.wielgosz@nhs.net, 07700 900845."


@pytest.mark.parametrize(
    "text",
    [
        "Tomasz Wielgosz will be joining Hannah Corley, our existing PSS, as the trust's second "
        "PSS. " + TOMASZ,
        "We nominate Tomasz Wielgosz as an additional PSS. " + TOMASZ
        + " Hannah Corley remains in post and is not affected by this nomination.",
        "We nominate Tomasz Wielgosz as an additional PSS. " + TOMASZ
        + " Hannah Corley is not affected.",
        "We nominate Tomasz Wielgosz as an additional PSS. " + TOMASZ
        + " Hannah Corley (hannah.corley@nhs.net) will continue in post.",
    ],
)
def test_existing_pss_in_passing(text: str) -> None:
    ex = extract(make_parsed(text))
    assert [p.name for p in ex.nominees] == ["Tomasz Wielgosz"]
    assert ex.replaced == []
    assert ex.nomination_type == "additional"


def test_a_pss_replaced_is_still_replaced() -> None:
    ex = extract(
        make_parsed(
            "Tomasz Wielgosz will replace our existing PSS, Hannah Corley, who retires in May. "
            + TOMASZ
        )
    )
    assert [p.name for p in ex.nominees] == ["Tomasz Wielgosz"]
    assert [p.name for p in ex.replaced] == ["Hannah Corley"]


def test_a_pss_who_retires_is_replaced() -> None:
    ex = extract(
        make_parsed(
            "Derek Haldane, our Patient Safety Specialist, retires at the end of August. I am "
            "pleased to nominate Fionnuala Mulvany as his replacement. Her email is "
            "fionnuala.mulvaney@nhs.net."
        )
    )
    assert [p.name for p in ex.nominees] == ["Fionnuala Mulvany"]
    assert [p.name for p in ex.replaced] == ["Derek Haldane"]
