"""Person blocks: a bare name line heading labelled details, one block after another; the
sender's own details introduced by "My details are:"; thing-names that are not people."""

from __future__ import annotations

from parsing.extract import extract
from parsing.extract.names import find_name_mentions
from tests.extraction.helpers import make_parsed


def person(p):  # type: ignore[no-untyped-def]
    return (p.name, p.email, p.phone, p.job_title, p.pay_band)


def test_two_blocks_each_headed_by_a_bare_name() -> None:
    text = (
        "We would like to nominate two colleagues who job share the role.\n\n"
        "Anita Brennock\nJob title: Patient Safety Manager\nBand: 8a\n"
        "Email: anita.brennock@nhs.net\nMob: 07700 900733\n\n"
        "Gareth Pellow\nJob title: Patient Safety Manager\nBand: 8a\n"
        "Email: gareth.pellow@nhs.net\nMob: 07700 900734\n"
    )
    ex = extract(make_parsed(text))
    assert [person(p) for p in ex.nominees] == [
        ("Anita Brennock", "anita.brennock@nhs.net", "+447700900733", "Patient Safety Manager",
         "8a"),
        ("Gareth Pellow", "gareth.pellow@nhs.net", "+447700900734", "Patient Safety Manager", "8a"),
    ]


def test_blocks_without_a_blank_line_between_them() -> None:
    text = (
        "Anita Brennock\nEmail: anita.brennock@nhs.net\nMob: 07700 900733\n"
        "Gareth Pellow\nEmail: gareth.pellow@nhs.net\nMob: 07700 900734\n"
    )
    assert [p.name for p in extract(make_parsed(text)).nominees] == [
        "Anita Brennock", "Gareth Pellow",
    ]


def test_my_details_list_is_the_senders_own_block() -> None:
    text = (
        "Hello,\n\nI will be the Trust's additional PSS.\n\nMy details are:\n"
        "Marion Lethbridge\nHead of Patient Safety, Band 8b\nmarion.lethbridge@nhs.net\n"
        "07700 900452\n"
    )
    ex = extract(make_parsed(text, from_="Marion Lethbridge <marion.lethbridge@nhs.net>"))
    assert [person(p) for p in ex.nominees] == [
        ("Marion Lethbridge", "marion.lethbridge@nhs.net", "+447700900452",
         "Head of Patient Safety", "8b"),
    ]


def test_a_capitalised_thing_after_an_article_or_nhs_is_not_a_name() -> None:
    for text in (
        "As required by the NHS Standard Contract, we write.",
        "This meets the Standard Contract terms.",
        "See our Freedom Guardian pages.",
    ):
        assert [m.name for m in find_name_mentions(text) if len(m.name.split()) > 1] == [], text
    assert [m.name for m in find_name_mentions("I nominate Joel Pike today.")] == ["Joel Pike"]


SELF = "Dr Marion Lethbridge <marion.lethbridge@nhs.net>"


def test_my_details_labelled_block_makes_the_sender_the_nominee() -> None:
    text = (
        "As required by the NHS Standard Contract, I am writing to confirm our first Patient "
        "Safety Specialist.\n\nMy details are:\nName: Dr Marion Lethbridge\n"
        "Job title: Medical Director\nEmail: marion.lethbridge@nhs.net\nPhone: 0161 496 0732\n"
    )
    ex = extract(make_parsed(text, from_=SELF))
    assert [person(p) for p in ex.nominees] == [
        ("Marion Lethbridge", "marion.lethbridge@nhs.net", "+441614960732", "Medical Director",
         None),
    ]


def test_an_executive_acting_as_interim_pss_is_the_nominee() -> None:
    text = (
        "Until we appoint a permanent Patient Safety Specialist, I will act as the interim PSS "
        "for the Trust. I am the Medical Director and can be reached on 0121 496 0833."
    )
    ex = extract(make_parsed(text, from_=SELF))
    assert [(p.name, p.email, p.phone) for p in ex.nominees] == [
        ("Marion Lethbridge", "marion.lethbridge@nhs.net", "+441214960833"),
    ]


def test_the_senders_signature_is_still_not_a_nominee() -> None:
    ex = extract(
        make_parsed(
            "I nominate Joel Pike (joel.pike@nhs.net) as our first PSS.",
            signature="Kind regards\n\nMarion Lethbridge\nMedical Director\n0161 496 0732",
            from_=SELF,
        )
    )
    assert [p.name for p in ex.nominees] == ["Joel Pike"]


def test_a_bracketed_qualifier_belongs_to_the_title() -> None:
    text = (
        "I would like to nominate the following as our first PSS:\n\n"
        "Priya Raman\nPatient Safety Lead (Maternity and Neonatal), Band 8a\n"
        "priya.raman@nhs.net\n07700 900611\n"
    )
    [p] = extract(make_parsed(text)).nominees
    assert (p.job_title, p.pay_band) == ("Patient Safety Lead (Maternity and Neonatal)", "8a")


def test_a_bracketed_band_is_still_the_band() -> None:
    text = (
        "I would like to nominate the following as our first PSS:\n\n"
        "Priya Raman\nPatient Safety Lead (Band 8a)\npriya.raman@nhs.net\n07700 900611\n"
    )
    [p] = extract(make_parsed(text)).nominees
    assert (p.job_title, p.pay_band) == ("Patient Safety Lead", "8a")


def test_qualifier_in_a_name_value_and_hostile_brackets() -> None:
    import time

    ex = extract(
        make_parsed(
            "Nominee: Priya Raman - Patient Safety Lead (Maternity and Neonatal), Band 8a\n"
            "Email: priya.raman@nhs.net\n"
        )
    )
    assert [(p.job_title, p.pay_band) for p in ex.nominees] == [
        ("Patient Safety Lead (Maternity and Neonatal)", "8a")
    ]
    start = time.perf_counter()
    extract(make_parsed("Name: Jo Bloggs, " + "Lead (" * 5000 + "\nEmail: jo@nhs.net"))
    assert time.perf_counter() - start < 5


def test_my_contact_details_after_a_sentence_on_the_same_line() -> None:
    text = (
        "Hello,\n\nPlease register me as the Trust's additional PSS. My contact details are as "
        "follows:\nName: Marion Lethbridge\nRole: Head of Patient Safety\nBand: 8b\n"
        "Mobile: 07700 900452\n"
    )
    sender = '"LETHBRIDGE, Marion (HEXLEY NHS TRUST)" <marion.lethbridge@nhs.net>'
    ex = extract(make_parsed(text, from_=sender))
    assert [person(p) for p in ex.nominees] == [
        ("Marion Lethbridge", "marion.lethbridge@nhs.net", "+447700900452",
         "Head of Patient Safety", "8b"),
    ]


def test_replacing_one_with_two_colleagues_makes_the_list_the_nominees() -> None:
    text = """Dr Neil Haverford, our PSS since 2021, retires on 31 December (neil.haverford@nhs.net, 0161 496 0911). We will be replacing Neil with two colleagues who will share the role:

Dr Leah Abernethy-Kaur, Associate Director of Patient Safety, Band 8c
leah.abernethy-kaur@nhs.net, 0161 496 0923

Mr Tunde Bakare, Patient Safety Lead, Band 8b
07700 900981

I confirm that I have considered the Identifying Patient Safety Specialists document.
"""
    ex = extract(make_parsed(text))
    assert [(p.name, p.email, p.phone) for p in ex.nominees] == [
        ("Leah Abernethy-Kaur", "leah.abernethy-kaur@nhs.net", "+441614960923"),
        ("Tunde Bakare", None, "+447700900981"),
    ]
    assert [p.name for p in ex.replaced] == ["Neil Haverford"]


def test_a_full_stop_ends_a_piece_of_a_labelled_value() -> None:
    text = """Hollinsmoor Community Health Services NHS Trust is replacing our PSS.

Outgoing: Pete Gallacher, peter.gallacher@nhs.net, 07700 900458 (leaves us 14/11)
Incoming: Yusuf Çelik, yusuf.celik1@nhs.net, 07700 900469. Head of Patient Safety, band 8B

We've gone through the Identifying PSS doc.
"""
    ex = extract(make_parsed(text))
    assert [(p.name, p.job_title, p.pay_band) for p in ex.nominees] == [
        ("Yusuf Çelik", "Head of Patient Safety", "8b")
    ]


def test_picking_up_the_pss_role_is_a_nomination() -> None:
    from parsing.classify import mentions_nomination

    assert mentions_nomination(["Charlotte is going to be picking up the PSS role for us."])


def test_a_bracketed_band_letter_survives_a_list_item_split() -> None:
    text = """Saltmarsh Coast Community Health NHS Trust would like to identify an additional Patient Safety Specialist.

1. Jake Thornton-Ellis - Patient Safety Lead, Adult Community Services - Band 8 (b)
   jake.thornton-ellis@saltmarshcoast.nhs.uk | 0117 496 0459

I confirm that the Identifying Patient Safety Specialists document has been considered.
"""
    ex = extract(make_parsed(text))
    assert [(p.name, p.pay_band) for p in ex.nominees] == [("Jake Thornton-Ellis", "8b")]


def test_an_organisation_with_a_possessive_is_not_a_person_and_who_joined_us_as_is_a_title() -> None:
    text = (
        "I am writing to identify Greystone Vale Mental Health NHS Trust's first Patient Safety "
        "Specialist, Ms Zsófia Horváth, who joined us last month as Head of Patient Safety "
        "(band 8b). She can be reached on 0113 496 0916.\n\nWe have taken account of the "
        "Identifying Patient Safety Specialists document."
    )
    ex = extract(make_parsed(text))
    assert [(p.name, p.phone, p.job_title, p.pay_band) for p in ex.nominees] == [
        ("Zsófia Horváth", "+441134960916", "Head of Patient Safety", "8b")
    ]
