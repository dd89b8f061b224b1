"""Hostile or odd input: reading stays fast and never fails."""

from __future__ import annotations

import time

import pytest

from parsing.extract import extract
from tests.extraction.helpers import make_parsed

HOSTILE = {
    "spaces": " " * 50_000 + "x",
    "capitalised words": "Aaaa Bbbb " * 5_000,
    "addresses": "a.b@c.dd " * 3_000,
    "bands": "Band 8a " * 3_000,
    "honorifics": "Dr " * 10_000 + "Jo",
    "phone lines": "07700 900123\n" * 3_000,
    "records": "Name: Aaa Bbb\nEmail: a.b@nhs.net\n" * 2_000,
    "bullets": "• Priya Shah – x@y.zz – 07700 900123\n" * 1_000,
    "tabs": "\t" * 20_000 + "x",
    "quote lines": "> text\n" * 5_000,
    "question marks": "?" * 50_000,
    "address characters": ("a" * 1_000 + "@") * 50,
    "questions": "Could you tell me whether it is? " * 3_000,
    "replacement pairs": "- Dr Aaa Bbb, a@b.cc, 07700 900123 – replacing Dr Ccc Ddd (c@d.ee, 0121 "
    "496 0388)\n" * 1_000,
    "column headings": "New PSS\nOutgoing PSS\n" + "Name\nAaa Bbb\nCcc Ddd\n" * 3_000,
    "swaps": "replacing our PSS Aaa Bbb with Ccc Ddd " * 2_000,
    "band ranges": "Band 8a/8b is on " * 3_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_read_in_bounded_time(name: str) -> None:
    start = time.monotonic()
    extract(make_parsed(HOSTILE[name]))
    # Generous (a loaded machine took 12 s): before the fixes these took minutes or hung.
    assert time.monotonic() - start < 30


def test_empty_message() -> None:
    ex = extract(make_parsed(""))
    assert ex.nominees == [] and ex.nomination_type is None and not ex.guidance_confirmed


def test_tab_separated_cells_survive_cleaning() -> None:
    text = "Name\tPriya Shah\nEmail\tpriya.shah@nhs.net\nTelephone\t07700 900123\n"
    [p] = extract(make_parsed(text)).nominees
    assert (p.name, p.email, p.phone) == ("Priya Shah", "priya.shah@nhs.net", "+447700900123")
