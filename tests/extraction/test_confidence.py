"""Confidence and abstention (``parsing/extract/confidence.py``, ``parsing/extract/roles.py``):
every person value says how sure the reading is and why; an ambiguous reading is listed with
its candidates and sends the message to review (rule ``ambiguous-reading``), never accepted;
a clear message is still accepted."""

from __future__ import annotations

from parsing.extract import extract
from parsing.extract.labels import Role
from parsing.extract.roles import DROP, UNDECIDED, Facts, decide
from pss_intake.config import Settings
from pss_intake.reading import read_message
from tests.extraction.helpers import make_parsed

TWO_NUMBERS = """Dear team,

I would like to nominate Dr Rowena Pike as our first Patient Safety Specialist. Rowena can be contacted at rowena.pike@nhs.net or on 0113 496 0201.

Rowena's telephone number is 0113 496 0202.

I confirm the Identifying Patient Safety Specialists document has been considered.
"""

NOBODY_NOMINATED = """Dear team,

Ffion Aldgate (ffion.aldgate@nhs.net, 07700 900203) and Marcus Threlfall (marcus.threlfall@nhs.net, 07700 900204) will be looking after patient safety for the Trust from July.

I confirm the Identifying Patient Safety Specialists document has been considered.
"""

CLEAR = """Dear team,

I would like to nominate Dr Rowena Pike, our Head of Patient Safety (Band 8b), as our first Patient Safety Specialist. Rowena can be contacted at rowena.pike@nhs.net or on 0113 496 0201.

I confirm the Identifying Patient Safety Specialists document has been considered.
"""


def _eml(body: str) -> bytes:
    return (
        "From: Helen Marsh <helen.marsh@nhs.net>\r\nTo: pss.nominations@england.example\r\n"
        "Subject: PSS nomination - Eastfold NHS Trust\r\nMessage-ID: <conf-1@nhs.net>\r\n"
        "Date: Tue, 1 Jul 2025 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + body.replace("\n", "\r\n")
        + "\r\nHelen Marsh\r\nChief Nurse\r\nEastfold NHS Trust\r\n"
    ).encode()


def test_two_numbers_from_different_lines_are_candidates() -> None:
    ex = extract(make_parsed(TWO_NUMBERS))
    [amb] = ex.ambiguities
    assert amb.field == "nominees[0].phone"
    assert amb.candidates == ["+441134960201", "+441134960202"]
    assert amb.evidence == [
        "Rowena can be contacted at rowena.pike@nhs.net or on 0113 496 0201.",
        "Rowena's telephone number is 0113 496 0202.",
    ]
    prov = ex.nominees[0].provenance
    assert (prov["phone"].confidence, prov["email"].confidence) == ("low", "high")
    assert prov["email"].stage == "prose"
    assert prov["email"].evidence == "role decided by cue-nominee"


def test_people_nobody_nominates_are_candidates_not_nominees_by_guess() -> None:
    ex = extract(make_parsed(NOBODY_NOMINATED))
    [amb] = ex.ambiguities
    assert (amb.field, amb.candidates) == ("nominees", ["Ffion Aldgate", "Marcus Threlfall"])
    assert {p.provenance["email"].confidence for p in ex.nominees} == {"medium"}


def test_a_clear_nomination_has_no_ambiguity_and_high_confidence() -> None:
    ex = extract(make_parsed(CLEAR))
    assert ex.ambiguities == []
    prov = ex.nominees[0].provenance
    assert {k: p.confidence for k, p in prov.items()} == {
        "name": "high", "job_title": "high", "pay_band": "high", "email": "high", "phone": "high",
    }


def test_ambiguous_reading_goes_to_review_and_clear_one_is_accepted() -> None:
    ambiguous = read_message(_eml(TWO_NUMBERS), Settings())
    assert ambiguous["action"] == "review"
    assert [f["rule"] for f in ambiguous["flags"]] == ["ambiguous-reading"]
    clear = read_message(_eml(CLEAR), Settings())
    assert (clear["action"], clear["flags"]) == ("accept", [])


def test_role_rows_say_which_row_decided() -> None:
    base = dict(has_name=True, has_details=True, role=None, origin="prose")
    assert decide(Facts(**base, cues=frozenset({"nominee"}))) == ("cue-nominee", Role.NOMINEE)
    assert decide(Facts(**base, cues=frozenset({"stays", "nominee"}))) == (
        "stays-in-post", DROP)
    assert decide(Facts(**base, cues=frozenset({"pa"}))) == ("pa-in-prose", DROP)
    assert decide(Facts(**{**base, "role": Role.REPLACED}, cues=frozenset({"nominee"}))) == (
        "given-role", Role.REPLACED)
    assert decide(Facts(**base, cues=frozenset())) == ("no-row", UNDECIDED)
    assert decide(Facts(**base, cues=frozenset(), sender_named=True)) == ("sender-named", DROP)
