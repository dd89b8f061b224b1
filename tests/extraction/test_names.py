"""Names: honorifics kept apart, letters as written, post-nominals and titles left out."""

from __future__ import annotations

import pytest

from parsing.extract import extract
from parsing.extract.emails import local_part_matches_name
from parsing.extract.names import find_name_mentions, names_match, parse_name_value
from tests.extraction.helpers import make_parsed


@pytest.mark.parametrize(
    ("value", "honorific", "name"),
    [
        ("Dr Amara Okafor", "Dr", "Amara Okafor"),
        ("Prof. Nicholas Farrant", "Prof", "Nicholas Farrant"),
        ("Professor Ruth Ellery", "Professor", "Ruth Ellery"),
        ("Mr Daniel Okonkwo", "Mr", "Daniel Okonkwo"),
        ("Mrs Joan Tulloch", "Mrs", "Joan Tulloch"),
        ("Ms Siobhán Gallagher", "Ms", "Siobhán Gallagher"),
        ("Miss Ayşe Yılmaz", "Miss", "Ayşe Yılmaz"),
        ("Mx Sam Nuñez", "Mx", "Sam Nuñez"),
        ("Sister Bernadette O'Connor-Smith", "Sister", "Bernadette O'Connor-Smith"),
        ("Seán O’Hare", None, "Seán O’Hare"),
        ("Łukasz Nowak", None, "Łukasz Nowak"),
        ("Zoë Hartley-Brown", None, "Zoë Hartley-Brown"),
        ("Claire Pemberton RMN", None, "Claire Pemberton"),
        ("Eilidh MacLeod", None, "Eilidh MacLeod"),
    ],
)
def test_name_values(value: str, honorific: str | None, name: str) -> None:
    parsed = parse_name_value(value)
    assert parsed is not None
    assert (parsed.honorific, parsed.name) == (honorific, name)


def test_name_value_leaves_job_title_out() -> None:
    parsed = parse_name_value("Priya Shah, Head of Patient Safety")
    assert parsed is not None
    assert parsed.name == "Priya Shah"
    assert parsed.rest == "Head of Patient Safety"


def test_nhsmail_surname_first_form() -> None:
    parsed = parse_name_value("HARTLEY-BROWN, Zoë")
    assert parsed is not None and parsed.name == "Zoë Hartley-Brown"


@pytest.mark.parametrize(
    "value",
    [
        "Deputy Director of Patient Safety",
        "Patient Safety Specialist",
        "priya.shah@nhs.net",
        "07700 900123",
        "Miss",
    ],
)
def test_not_names(value: str) -> None:
    assert parse_name_value(value) is None


def test_mentions_in_prose_keep_honorific_apart() -> None:
    text = (
        "Mrs Sarah Whitfield, who has been our PSS, is leaving, and Mr Daniel Okonkwo will "
        "replace her."
    )
    mentions = find_name_mentions(text)
    assert [(m.honorific, m.name) for m in mentions] == [
        ("Mrs", "Sarah Whitfield"),
        ("Mr", "Daniel Okonkwo"),
    ]


def test_possessive_first_name() -> None:
    [m] = find_name_mentions("Apologies for the delay – Zoë’s mobile number is 07700 900512.")
    assert (m.name, m.possessive) == ("Zoë", True)


def test_name_run_does_not_swallow_the_sentence_end() -> None:
    [m] = find_name_mentions("Please note our new PSS is Dr Ahmed Raza.")
    assert (m.honorific, m.name) == ("Dr", "Ahmed Raza")


def test_names_match_first_name_and_diacritics() -> None:
    assert names_match("Zoë", "Zoë Hartley-Brown")
    assert names_match("Zoe Hartley-Brown", "Zoë Hartley-Brown")
    assert not names_match("Sarah", "Daniel Okonkwo")


@pytest.mark.parametrize(
    ("addr", "name", "score"),
    [
        ("zoe.hartley-brown@nhs.net", "Zoë Hartley-Brown", 2),
        ("sarah.whitfield2@nhs.net", "Sarah Whitfield", 2),
        ("bernadette.oconnor-smith@nhs.net", "Bernadette O'Connor-Smith", 2),
        ("lukasz.nowak@nhs.net", "Łukasz Nowak", 2),
        ("p.shah@nhs.net", "Priya Shah", 2),
        ("zoe.hartley-brown@nhs.net", "Zoë", 1),
        ("daniel.okonkwo@nhs.net", "Sarah Whitfield", 0),
    ],
)
def test_local_part_matches_name(addr: str, name: str, score: int) -> None:
    assert local_part_matches_name(addr, name) == score


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I nominate Mrs Ellen Park as our PSS.", "Ellen Park"),
        ("Our PSS, Dr Helen Ward (helen.ward@nhs.net), remains in post.", "Helen Ward"),
        ("Mr Tom Best, Head of Patient Safety", "Tom Best"),
        # A ward or a road stays a word.
        ("Dr Helen Ward 8A", "Helen"),
        ("Mrs Jo Park Road", "Jo"),
    ],
)
def test_surnames_that_are_also_common_words_after_an_honorific(text: str, name: str) -> None:
    assert find_name_mentions(text)[0].name == name


def test_surname_that_is_a_common_word_completed_from_the_address() -> None:
    text = "I am pleased to nominate Ellen Park (ellen.park@nhs.net, 07700 900123) as our PSS."
    ex = extract(make_parsed(text, from_="Jane Smith <jane.smith@nhs.net>"))
    assert [(p.name, p.email) for p in ex.nominees] == [("Ellen Park", "ellen.park@nhs.net")]


def test_short_forms_of_a_first_name() -> None:
    from parsing.extract.names import is_short_form

    # English nicknames (nicknames dataset) and the start or a long part of a longer name.
    assert is_short_form("Sue", "Susan")
    assert is_short_form("Kate", "Katherine")
    assert is_short_form("Jo", "Joanne")
    assert is_short_form("Sid", "Siddharth")
    assert is_short_form("Seun", "Oluwaseun")
    assert is_short_form("Funmi", "Olufunmilayo")
    # A short piece inside or at the end of another name is a different name.
    assert not is_short_form("Ian", "Brian")
    assert not is_short_form("Dan", "Jordan")
    assert not is_short_form("Ann", "Joanne")
    assert not is_short_form("Anne", "Joanne")
    assert not is_short_form("Susan", "Susan")
