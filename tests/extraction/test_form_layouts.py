"""Form layouts: space-aligned plain-text tables, two labelled fields on one line, questions
that list every option, and conditional sections left as N/A."""

from __future__ import annotations

from parsing.extract import extract
from parsing.extract.textutil import clean_text, is_empty_value
from parsing.extract.types import find_type_statements
from tests.extraction.helpers import make_parsed


def test_space_aligned_table_reads_each_value_without_its_label() -> None:
    text = (
        "Please see our nomination below.\n\n"
        "Name                   Colm Ashdown\n"
        "Job title              Lead Nurse for Patient Safety\n"
        "Band                   8a\n"
        "Email                  colm.ashdown@nhs.net\n"
        "Telephone              0117 496 0381\n"
        "Organisation           Hexley Valley NHS Trust\n"
        "Nomination type        First\n"
    )
    ex = extract(make_parsed(text))
    assert ex.nomination_type == "first"
    assert ex.organisation == "Hexley Valley NHS Trust"
    [p] = ex.nominees
    assert (p.name, p.email, p.phone, p.job_title, p.pay_band) == (
        "Colm Ashdown", "colm.ashdown@nhs.net", "+441174960381",
        "Lead Nurse for Patient Safety", "8a",
    )


def test_two_labelled_fields_on_one_line_are_both_read() -> None:
    text = "Name: Ruth Okafor\nEmail: ruth.okafor@nhs.net    Telephone: 0114 496 0284\n"
    [p] = extract(make_parsed(text)).nominees
    assert (p.email, p.phone) == ("ruth.okafor@nhs.net", "+441144960284")


def test_prose_with_double_spaces_is_left_alone() -> None:
    assert clean_text("We are pleased  to nominate Jo.  She starts soon.") == (
        "We are pleased to nominate Jo. She starts soon."
    )


def test_hostile_wide_gaps_stay_linear() -> None:
    line = ("Name" + " " * 5000 + "x") * 20
    assert clean_text(line).startswith("Name x")


def test_question_listing_every_option_states_only_its_answer() -> None:
    for text, want in (
        ("Is this nomination a first, replacement or additional PSS?: First", ["first"]),
        (
            "Please indicate whether this is a first, replacement or additional nomination "
            "(delete as appropriate): Additional",
            ["additional"],
        ),
    ):
        assert [s.type for s in find_type_statements(text)] == want


def test_conditional_section_left_na_states_nothing() -> None:
    text = (
        "Type of nomination: First\n\n"
        "Section 3: Replacement details (only if replacing)\n"
        "Name of PSS being replaced: N/A\n"
        "Email: N/A\n"
        "Phone: n/a\n"
    )
    assert [s.type for s in find_type_statements(text)] == ["first"]
    ex = extract(make_parsed("Name: Priya Raman\nEmail: priya.raman@nhs.net\n" + text))
    assert ex.nomination_type == "first"
    assert ex.replaced == []


def test_empty_values() -> None:
    for v in ("N/A", "n/a", "-", "TBC", "Via MS Teams", "none", "—"):
        assert is_empty_value(v), v
    for v in ("Jo Bloggs", "0114 496 0284", "First"):
        assert not is_empty_value(v), v


BASE = (
    "Please accept our nomination for an additional PSS.\n\n"
    "Name: Tomasz Wielgosz\nEmail: tomasz.wielgosz@nhs.net\nPhone: 07700 900845\n"
)


def test_a_field_for_someone_else_is_neither_a_detail_nor_a_nominee() -> None:
    for extra in (
        "Executive sponsor: Dr Rowena Spackman\n",
        "Executive lead: Dr Rowena Spackman (rowena.spackman@nhs.net)\n",
        "Internal Reference: Governance Panel Minute\n",
        "Responsible director\tRowena Spackman\n",
    ):
        ex = extract(make_parsed(BASE + extra))
        assert [(p.name, p.email, p.phone, p.job_title) for p in ex.nominees] == [
            ("Tomasz Wielgosz", "tomasz.wielgosz@nhs.net", "+447700900845", None)
        ], extra


def test_an_unknown_label_naming_the_pss_is_still_read() -> None:
    ex = extract(
        make_parsed(
            "Please accept our nomination.\n\n"
            "Lead Patient Safety Specialist: Tomasz Wielgosz (tomasz.wielgosz@nhs.net)\n"
        )
    )
    assert [p.name for p in ex.nominees] == ["Tomasz Wielgosz"]
