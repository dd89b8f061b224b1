"""People from labelled fields, tables, bullet lists and numbered lists."""

from __future__ import annotations

from parsing.extract import extract
from tests.extraction.helpers import make_parsed
from validation.models import NominationType, Source


def contract(ex):  # type: ignore[no-untyped-def]
    return ([p.contract() for p in ex.nominees], [p.contract(replaced=True) for p in ex.replaced])


def test_labelled_fields() -> None:
    ex = extract(
        make_parsed(
            "Dear team,\n\nNomination type: First\nFull name - Dr Priya Shah\nJob title: Head of "
            "Patient Safety\nAfC band: 8b\nEmail address: Priya.Shah@Northshire.nhs.uk\n"
            "Contact number: 07700 900123\n\nI confirm the Identifying Patient Safety Specialists "
            "document has been considered."
        )
    )
    [p] = ex.nominees
    assert p.contract() == {
        "name": "Priya Shah",
        "email": "priya.shah@northshire.nhs.uk",
        "phone": "+447700900123",
        "job_title": "Head of Patient Safety",
        "pay_band": "8b",
    }
    assert p.honorific == "Dr" and p.pay_band_raw == "8b"
    assert p.provenance["phone"].text == "Contact number: 07700 900123"
    assert p.provenance["phone"].source == Source.BODY
    assert ex.nomination_type == NominationType.FIRST and ex.guidance_confirmed


def test_title_label_with_band() -> None:
    ex = extract(
        make_parsed(
            "Name: Ciarán Doherty\nTitle: Patient Safety and Risk Manager, Band 8a\n"
            "Phone: 0114 496 0377 ext 2201"
        )
    )
    [p] = ex.nominees
    assert (p.name, p.job_title, p.pay_band, p.pay_band_raw) == (
        "Ciarán Doherty",
        "Patient Safety and Risk Manager",
        "8a",
        "Band 8a",
    )
    assert (p.phone, p.phone_extension) == ("+441144960377", "2201")


def test_medical_pay_keeps_words_without_band() -> None:
    ex = extract(
        make_parsed(
            "Name: Dr Ruth Ellery\nJob title: Consultant Anaesthetist\n"
            "Pay band: Consultant (medical pay scale)\nEmail: ruth.ellery@nhs.net"
        )
    )
    [p] = ex.nominees
    assert (p.job_title, p.pay_band, p.pay_band_raw) == (
        "Consultant Anaesthetist",
        None,
        "Consultant (medical pay scale)",
    )


def test_table_rows_with_roles() -> None:
    letter = (
        "I write to notify you that Dr Chidi Eze will replace Mrs Joan Tulloch.\n"
        "New Patient Safety Specialist | Dr Chidi Eze\nCurrent job title | Senior Patient "
        "Safety Lead\nPay band | Band 8b\nEmail | chidi.eze@nhs.net\nTelephone | 020 7946 0817\n"
        "Patient Safety Specialist being replaced | Mrs Joan Tulloch\nEmail | "
        "joan.tulloch@nhs.net\nTelephone | 020 7946 0822\n"
    )
    ex = extract(make_parsed(letter))
    assert contract(ex) == (
        [
            {
                "name": "Chidi Eze",
                "email": "chidi.eze@nhs.net",
                "phone": "+442079460817",
                "job_title": "Senior Patient Safety Lead",
                "pay_band": "8b",
            }
        ],
        [{"name": "Joan Tulloch", "email": "joan.tulloch@nhs.net", "phone": "+442079460822"}],
    )


def test_one_cell_per_line_table() -> None:
    text = (
        "Name\nPriya Shah\nEmail\npriya.shah@nhs.net\nTelephone\n07700 900123\n"
        "Job title\nHead of Patient Safety\n"
    )
    [p] = extract(make_parsed(text)).nominees
    assert p.contract() == {
        "name": "Priya Shah",
        "email": "priya.shah@nhs.net",
        "phone": "+447700900123",
        "job_title": "Head of Patient Safety",
        "pay_band": None,
    }


def test_table_with_header_row_one_person_per_row() -> None:
    text = (
        "Our two new PSSs are:\n\n| Name | Job title | Band | Email | Phone |\n"
        "|---|---|---|---|---|\n"
        "| Priya Shah | Head of Patient Safety | 8b | priya.shah@nhs.net | 07700 900123 |\n"
        "| Tom Baker | Patient Safety Manager | 8a | tom.baker@nhs.net | 0113 496 0555 |\n"
    )
    ex = extract(make_parsed(text))
    assert [p.contract() for p in ex.nominees] == [
        {
            "name": "Priya Shah",
            "email": "priya.shah@nhs.net",
            "phone": "+447700900123",
            "job_title": "Head of Patient Safety",
            "pay_band": "8b",
        },
        {
            "name": "Tom Baker",
            "email": "tom.baker@nhs.net",
            "phone": "+441134960555",
            "job_title": "Patient Safety Manager",
            "pay_band": "8a",
        },
    ]


def test_table_with_one_person_per_column() -> None:
    text = (
        "| | New PSS | PSS being replaced |\n|---|---|---|\n"
        "| Name | Priya Shah | Jo Bloggs |\n| Email | priya.shah@nhs.net | jo.bloggs@nhs.net |\n"
        "| Telephone | 07700 900123 | 07700 900124 |\n"
    )
    ex = extract(make_parsed(text))
    assert contract(ex) == (
        [
            {
                "name": "Priya Shah",
                "email": "priya.shah@nhs.net",
                "phone": "+447700900123",
                "job_title": None,
                "pay_band": None,
            }
        ],
        [{"name": "Jo Bloggs", "email": "jo.bloggs@nhs.net", "phone": "+447700900124"}],
    )


def test_numbered_list_of_two_nominees() -> None:
    text = (
        "I am writing to identify the ICB’s first two Patient Safety Specialists.\n\n"
        "1. Dr Amara Okafor\n   Deputy Director of Patient Safety, Band 8d\n"
        "   amara.okafor@nhs.net\n   020 7946 0381\n\n"
        "2. Łukasz Nowak\n   Patient Safety Manager, Band 8a\n   lukasz.nowak@nhs.net\n"
        "   +44 7700 900274\n"
    )
    ex = extract(make_parsed(text))
    assert [p.contract() for p in ex.nominees] == [
        {
            "name": "Amara Okafor",
            "email": "amara.okafor@nhs.net",
            "phone": "+442079460381",
            "job_title": "Deputy Director of Patient Safety",
            "pay_band": "8d",
        },
        {
            "name": "Łukasz Nowak",
            "email": "lukasz.nowak@nhs.net",
            "phone": "+447700900274",
            "job_title": "Patient Safety Manager",
            "pay_band": "8a",
        },
    ]
    assert ex.nominees[0].honorific == "Dr"


def test_outlook_star_bullets_one_line_each() -> None:
    text = (
        "We would like to identify two Patient Safety Specialists:\n\n"
        "  *   Priya Shah – Head of Patient Safety (Band 8b) – priya.shah@nhs.net – 07700 900123\n"
        "  *   Tom Baker – Patient Safety Manager (Band 8a) – tom.baker@nhs.net – 0113 496 0555\n"
    )
    ex = extract(make_parsed(text))
    assert [(p.name, p.job_title, p.pay_band, p.email, p.phone) for p in ex.nominees] == [
        ("Priya Shah", "Head of Patient Safety", "8b", "priya.shah@nhs.net", "+447700900123"),
        ("Tom Baker", "Patient Safety Manager", "8a", "tom.baker@nhs.net", "+441134960555"),
    ]


def test_hyphen_bullets_under_headings() -> None:
    text = (
        "NHS Alderbrook Integrated Care Board is replacing its Patient Safety Specialist.\n\n"
        "New PSS:\n- Dr Marcus Adeyemi\n- Associate Director of Patient Safety, Band 8c\n"
        "- marcus.adeyemi@nhs.net\n- 0161 496 0775\n\nReplacing:\n- Mrs Lorna Fitzwilliam\n"
        "- lorna.fitzwilliam@nhs.net\n"
    )
    ex = extract(make_parsed(text))
    assert contract(ex) == (
        [
            {
                "name": "Marcus Adeyemi",
                "email": "marcus.adeyemi@nhs.net",
                "phone": "+441614960775",
                "job_title": "Associate Director of Patient Safety",
                "pay_band": "8c",
            }
        ],
        [{"name": "Lorna Fitzwilliam", "email": "lorna.fitzwilliam@nhs.net", "phone": None}],
    )


def test_bullets_with_labels_and_role_headings() -> None:
    text = (
        "New PSS details:\n• Name: Priya Shah\n• Email: priya.shah@nhs.net\n• Mobile: 07700 "
        "900123\n\n"
        "Outgoing PSS details:\n• Name: Jo Bloggs\n• Email: jo.bloggs@nhs.net\n• Tel: 0113 496 "
        "0444\n"
    )
    ex = extract(make_parsed(text))
    assert contract(ex) == (
        [
            {
                "name": "Priya Shah",
                "email": "priya.shah@nhs.net",
                "phone": "+447700900123",
                "job_title": None,
                "pay_band": None,
            }
        ],
        [{"name": "Jo Bloggs", "email": "jo.bloggs@nhs.net", "phone": "+441134960444"}],
    )


def test_labels_naming_the_replaced_person() -> None:
    text = (
        "Name: Priya Shah\nEmail: priya.shah@nhs.net\nPhone: 07700 900123\n"
        "Name of PSS being replaced: Jo Bloggs\nOutgoing PSS email: jo.bloggs@nhs.net\n"
    )
    ex = extract(make_parsed(text))
    assert [p.name for p in ex.nominees] == ["Priya Shah"]
    assert [(p.name, p.email, p.phone) for p in ex.replaced] == [
        ("Jo Bloggs", "jo.bloggs@nhs.net", None)
    ]


def test_outgoing_listed_one_per_line() -> None:
    text = (
        "From 1 May they will both be replaced by a single PSS, Dr Adaeze Obi, who is our Head "
        "of Patient Safety (Band 8c). Adaeze's email is adaeze.obi@nhs.net and her phone number "
        "is 0161 496 0302.\n\nFor your records, the outgoing PSSs' details are:\n"
        "Janice Pollard – janice.pollard@nhs.net – 0161 496 0318\n"
        "Owen Treharne – owen.treharne@nhs.net – 07700 900733\n"
    )
    ex = extract(make_parsed(text))
    assert contract(ex) == (
        [
            {
                "name": "Adaeze Obi",
                "email": "adaeze.obi@nhs.net",
                "phone": "+441614960302",
                "job_title": "Head of Patient Safety",
                "pay_band": "8c",
            }
        ],
        [
            {"name": "Janice Pollard", "email": "janice.pollard@nhs.net", "phone": "+441614960318"},
            {"name": "Owen Treharne", "email": "owen.treharne@nhs.net", "phone": "+447700900733"},
        ],
    )


def test_unlabelled_contact_block() -> None:
    text = (
        "Our first PSS will be:\n\nPriya Shah\nHead of Patient Safety\npriya.shah@nhs.net\n"
        "07700 900123\n"
    )
    [p] = extract(make_parsed(text)).nominees
    assert (p.name, p.job_title, p.email, p.phone) == (
        "Priya Shah",
        "Head of Patient Safety",
        "priya.shah@nhs.net",
        "+447700900123",
    )


def test_numbered_labels_and_lower_case_name() -> None:
    text = (
        "Nominee 1: Priya Shah\nEmail: priya.shah@nhs.net\n\nNominee 2: tom baker\n"
        "Email: tom.baker@nhs.net\n"
    )
    ex = extract(make_parsed(text))
    assert [(p.name, p.email) for p in ex.nominees] == [
        ("Priya Shah", "priya.shah@nhs.net"),
        ("tom baker", "tom.baker@nhs.net"),
    ]


def test_html_table_cells_on_their_own_lines() -> None:
    text = (
        "Please see our nomination in the table below.\n\nOrganisation\n\nThornbury Park NHS "
        "Foundation Trust\n\nNomination type\n\nFirst – no previous PSS\n\nName\n\nMs Ayşe "
        "Demir\n\n"
        "Job title\n\nAssociate Director of Patient Safety\n\nPay band\n\nAgenda for Change: 8C\n\n"
        "Email\n\nayse.demir@thornburypark.nhs.uk\n\nTelephone\n\n(020) 7946 0458\n\n"
        "Identifying Patient Safety Specialists document considered?\n\nYes\n"
    )
    ex = extract(make_parsed(text))
    [p] = ex.nominees
    assert (p.honorific, p.name, p.job_title, p.pay_band, p.pay_band_raw, p.email, p.phone) == (
        "Ms",
        "Ayşe Demir",
        "Associate Director of Patient Safety",
        "8c",
        "Agenda for Change: 8C",
        "ayse.demir@thornburypark.nhs.uk",
        "+442079460458",
    )
    assert ex.nomination_type == NominationType.FIRST
    assert ex.guidance_confirmed
    assert ex.organisation == "Thornbury Park NHS Foundation Trust"
