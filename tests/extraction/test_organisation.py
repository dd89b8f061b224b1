"""The nominating organisation: labels, names in text and signature, display-name brackets."""

from __future__ import annotations

from parsing import Classification
from parsing.extract import extract
from parsing.extract.organisation import display_name_organisation, find_organisations
from tests.extraction.helpers import make_parsed


def test_organisation_names_in_text() -> None:
    text = "I am writing as Director of Nursing for NHS Wessex Vale Integrated Care Board today"
    assert [n for n, _s, _e in find_organisations(text)] == [
        "NHS Wessex Vale Integrated Care Board"
    ]
    assert [n for n, _s, _e in find_organisations("Chief Executive, Brackenridge Hospice")] == [
        "Brackenridge Hospice"
    ]
    assert [n for n, _s, _e in find_organisations("Guy's and St Thomas' NHS Foundation Trust")] == [
        "Guy's and St Thomas' NHS Foundation Trust"
    ]
    assert find_organisations("Please find below the Trust's nomination") == []


def test_a_sentence_opener_is_not_part_of_the_name() -> None:
    text = ("As Wellmere Specialist Orthopaedic NHS Foundation Trust does not currently have a "
            "Patient Safety Specialist, we are identifying our first.")
    assert [n for n, _s, _e in find_organisations(text)] == [
        "Wellmere Specialist Orthopaedic NHS Foundation Trust"
    ]


def test_display_name_bracket_as_written() -> None:
    assert display_name_organisation("THOMPSON, Gary (WRENFIELD HOSPITALS NHS TRUST)") == (
        "WRENFIELD HOSPITALS NHS TRUST"
    )
    assert display_name_organisation("Gary Thompson (he/him)") is None


def test_label_wins() -> None:
    ex = extract(
        make_parsed("Organisation: Northshire Hospitals NHS Foundation Trust\nName: Priya Shah")
    )
    assert ex.organisation == "Northshire Hospitals NHS Foundation Trust"
    assert ex.provenance["organisation"].text.startswith("Organisation:")


def test_full_form_in_body_beats_subject_and_display_abbreviation() -> None:
    ex = extract(
        make_parsed(
            "I write for NHS Wessex Vale Integrated Care Board to nominate Priya Shah as our first "
            "PSS.",
            subject="Change of PSS – NHS Wessex Vale ICB",
            from_="OSEI, Margaret (NHS WESSEX VALE ICB) <margaret.osei@nhs.net>",
        )
    )
    assert ex.organisation == "NHS Wessex Vale Integrated Care Board"


def test_signature_organisation_is_used() -> None:
    ex = extract(
        make_parsed(
            "Our new PSS is Priya Shah.",
            signature="Kind regards\n\nClaire Pemberton\nChief Nurse\nHarbourside Mental Health "
            "NHS "
            "Foundation Trust\nT: 0117 496 0600",
            from_="PEMBERTON, Claire (HARBOURSIDE MENTAL HEALTH NHS FOUNDATION TRUST) "
            "<c.p@nhs.net>",
        )
    )
    assert ex.organisation == "Harbourside Mental Health NHS Foundation Trust"


def test_display_name_when_nothing_else() -> None:
    ex = extract(
        make_parsed(
            "Please note our new PSS is Dr Ahmed Raza.",
            subject="new PSS",
            from_="THOMPSON, Gary (WRENFIELD HOSPITALS NHS TRUST) <g.t@nhs.net>",
        )
    )
    assert ex.organisation == "WRENFIELD HOSPITALS NHS TRUST"


def test_disclaimer_sites_are_not_the_organisation() -> None:
    ex = extract(
        make_parsed(
            "Our new PSS is Priya Shah.",
            signature="Helen Marsh\nNorthshire Hospitals NHS Foundation Trust\n********\nThis "
            "email is "
            "confidential. Northshire General Hospital, Infirmary Road. Switchboard: 0113 496 "
            "0000.",
        )
    )
    assert ex.organisation == "Northshire Hospitals NHS Foundation Trust"


def test_auto_reply_organisation_from_its_signature() -> None:
    ex = extract(
        make_parsed(
            "I am out of the office. Please contact my PA, Sandra Hughes, on 0114 496 0905.",
            signature="Michael Thorne\nChief Executive, Brackenridge Hospice",
            classification=Classification.AUTO_REPLY,
        )
    )
    assert ex.organisation == "Brackenridge Hospice"
    assert ex.nominees == [] and ex.nomination_type is None and not ex.guidance_confirmed


def test_bounce_has_no_organisation() -> None:
    ex = extract(
        make_parsed(
            "This is the mail system. Siobhán Gallagher is replacing you at Eastmarch Community "
            "Healthcare NHS Trust.",
            from_="Mail Delivery System <mailer-daemon@mx1.example>",
            classification=Classification.BOUNCE,
        )
    )
    assert ex.organisation is None and ex.nominees == [] and ex.replaced == []


def test_bulletin_names_other_organisations_not_the_senders() -> None:
    ex = extract(
        make_parsed(
            "Congratulations to Brightwater Coast NHS Foundation Trust and NHS Eastmoor "
            "Integrated Care Board, whose Patient Safety Specialists led this quarter's events.",
            from_="Regional Bulletin <bulletin@regionalpatientsafety.example>",
            classification=Classification.OTHER,
            is_bulk=True,
        )
    )
    assert ex.organisation is None
