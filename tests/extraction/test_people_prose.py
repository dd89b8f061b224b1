"""People from running prose: who is the nominee, who is replaced, whose contact is whose."""

from __future__ import annotations

import pytest

from parsing import Classification
from parsing.extract import extract
from tests.extraction.helpers import docx_attachment, make_parsed
from validation.models import NominationType, Source


def people(ex):  # type: ignore[no-untyped-def]
    return (
        [(p.name, p.email, p.phone) for p in ex.nominees],
        [(p.name, p.email, p.phone) for p in ex.replaced],
    )


def test_replacement_prose_not_swapped() -> None:
    text = (
        "I am writing to let you know about a change to our Patient Safety Specialist. Mrs Sarah "
        "Whitfield, who has been our PSS since the role was introduced, is leaving the ICB at the "
        "end of March, and Mr Daniel Okonkwo will replace her from 1 April 2025.\n\n"
        "Daniel is currently our Associate Director of Quality and Patient Safety (Band 8c). He "
        "can be contacted at daniel.okonkwo@nhs.net or on 0117 496 0342. Sarah can be contacted "
        "on sarah.whitfield2@nhs.net or 07700 900418 until she leaves."
    )
    ex = extract(
        make_parsed(text, from_="OSEI, Margaret (NHS WESSEX VALE ICB) <margaret.osei@nhs.net>")
    )
    assert people(ex) == (
        [("Daniel Okonkwo", "daniel.okonkwo@nhs.net", "+441174960342")],
        [("Sarah Whitfield", "sarah.whitfield2@nhs.net", "+447700900418")],
    )
    [d] = ex.nominees
    assert (d.honorific, d.job_title, d.pay_band) == (
        "Mr",
        "Associate Director of Quality and Patient Safety",
        "8c",
    )
    assert ex.replaced[0].honorific == "Mrs"
    assert d.provenance["phone"].text == (
        "He can be contacted at daniel.okonkwo@nhs.net or on 0117 496 0342."
    )
    assert ex.nomination_type == NominationType.REPLACEMENT


def test_contacts_in_brackets_after_each_name() -> None:
    text = (
        "Jo Bloggs (jo.bloggs@nhs.net, 07700 900111) is stepping down and will be replaced by "
        "Priya Shah (priya.shah@nhs.net, 07700 900222)."
    )
    assert people(extract(make_parsed(text))) == (
        [("Priya Shah", "priya.shah@nhs.net", "+447700900222")],
        [("Jo Bloggs", "jo.bloggs@nhs.net", "+447700900111")],
    )


def test_succeeds_and_taking_over_from() -> None:
    ex = extract(
        make_parsed(
            "Dr Ravi Patel succeeds Ms Ann Lee as our PSS. Ravi's mobile is "
            "07700 900333 and Ann's is 07700 900444."
        )
    )
    assert people(ex) == (
        [("Ravi Patel", None, "+447700900333")],
        [("Ann Lee", None, "+447700900444")],
    )
    ex = extract(
        make_parsed(
            "Priya Shah is taking over from Jo Bloggs as our Patient Safety "
            "Specialist. Her email is priya.shah@nhs.net."
        )
    )
    assert people(ex) == ([("Priya Shah", "priya.shah@nhs.net", None)], [("Jo Bloggs", None, None)])


def test_replaced_named_without_contacts() -> None:
    text = (
        "Dr Chidi Eze will replace Mrs Joan Tulloch as Patient Safety Specialist. Chidi can be "
        "reached on chidi.eze@nhs.net or 020 7946 0817."
    )
    ex = extract(make_parsed(text))
    assert people(ex) == (
        [("Chidi Eze", "chidi.eze@nhs.net", "+442079460817")],
        [("Joan Tulloch", None, None)],
    )


def test_one_nominee_replacing_two() -> None:
    text = (
        "Mrs Janice Pollard and Mr Owen Treharne are both stepping down from the role. They will "
        "be replaced by Dr Adaeze Obi (adaeze.obi@nhs.net, 0161 496 0302)."
    )
    ex = extract(make_parsed(text))
    assert [p.name for p in ex.nominees] == ["Adaeze Obi"]
    assert [p.name for p in ex.replaced] == ["Janice Pollard", "Owen Treharne"]


def test_replacement_announced_before_successor_named() -> None:
    text = (
        "I am writing to let you know that our Patient Safety Specialist, Ms Joanna Pike "
        "(joanna.pike@nhs.net, 07700 900826), is leaving the Trust on 31 May 2025. We will let "
        "you know the name of her replacement as soon as the appointment is confirmed."
    )
    ex = extract(make_parsed(text))
    assert people(ex) == ([], [("Joanna Pike", "joanna.pike@nhs.net", "+447700900826")])
    assert ex.nomination_type == NominationType.REPLACEMENT


def test_existing_pss_alongside_is_not_a_nominee_or_replaced() -> None:
    text = (
        "We would like to identify Priya Shah (priya.shah@nhs.net, 07700 900123) as an additional "
        "PSS, alongside our current PSS, Jo Bloggs."
    )
    ex = extract(make_parsed(text))
    assert people(ex) == ([("Priya Shah", "priya.shah@nhs.net", "+447700900123")], [])
    assert ex.nomination_type == NominationType.ADDITIONAL


def test_existing_pss_who_remains() -> None:
    text = (
        "Larkhill Hospice already has one Patient Safety Specialist, Mrs Dorothy Quail, our Head "
        "of Governance, who will continue in the role. Our additional PSS is Mr Jonah Whitlock, "
        "Clinical Quality and Safety Lead. Jonah's details are jonah.whitlock@larkhill.example.org "
        "and 0114 496 0288."
    )
    ex = extract(make_parsed(text))
    assert people(ex) == (
        [("Jonah Whitlock", "jonah.whitlock@larkhill.example.org", "+441144960288")],
        [],
    )
    assert ex.nominees[0].job_title == "Clinical Quality and Safety Lead"


def test_pa_and_executive_are_not_nominees() -> None:
    text = (
        "I am writing on behalf of Dr Victoria Sandhu, Chief Medical Officer. My PA Joanne Firth "
        "(joanne.firth@nhs.net) can help with queries. The Trust would like to identify "
        "Ms Chloe Baptiste as its first PSS. Chloe is Head of Patient Safety Investigations, "
        "Band 8b. Her email address is chloe.baptiste@nhs.net and she can be reached via "
        "switchboard on 0121 496 0000, extension 5521."
    )
    ex = extract(make_parsed(text, from_="Tom Bellamy <tom.bellamy@nhs.net>"))
    [p] = ex.nominees
    assert (p.name, p.email, p.phone, p.phone_extension, p.job_title, p.pay_band) == (
        "Chloe Baptiste",
        "chloe.baptiste@nhs.net",
        "+441214960000",
        "5521",
        "Head of Patient Safety Investigations",
        "8b",
    )
    assert ex.replaced == []
    assert ex.on_behalf_of


def test_sender_contact_sentence_is_not_the_nominee() -> None:
    text = (
        "Our new PSS is Priya Shah (priya.shah@nhs.net). If you have any questions please call "
        "me on 07700 900410."
    )
    [p] = extract(make_parsed(text)).nominees
    assert (p.name, p.email, p.phone) == ("Priya Shah", "priya.shah@nhs.net", None)


def test_signature_numbers_never_used() -> None:
    ex = extract(
        make_parsed(
            "The Trust has identified Zoë Hartley-Brown as our first Patient Safety Specialist. "
            "She can "
            "be contacted at zoe.hartley-brown@nhs.net.",
            signature="Kind regards,\nClaire\n\nClaire Pemberton RMN\nChief Nurse\nT: 0117 496 "
            "0600 | "
            "M: 07700 900650\nPA: Joanne Firth | joanne.firth@nhs.net | 0117 496 0601",
            from_="PEMBERTON, Claire (HARBOURSIDE NHS FOUNDATION TRUST) "
            "<claire.pemberton3@nhs.net>",
        )
    )
    assert people(ex) == ([("Zoë Hartley-Brown", "zoe.hartley-brown@nhs.net", None)], [])


def test_quoted_history_never_used() -> None:
    ex = extract(
        make_parsed(
            "Hello,\n\nApologies for the delay – Zoë’s mobile number is +44 (0)7700 900512.",
            signature="Kind regards,\nClaire\n\nClaire Pemberton\nT: 0117 496 0600 | M: 07700 "
            "900650",
            quoted="From: PSS Nominations\nSent: 27 January 2025\n\nPlease send a contact "
            "telephone "
            "number for the new Patient Safety Specialist, Zoë Hartley-Brown, and Jo Bloggs "
            "07700 900999.",
            classification=Classification.FOLLOW_UP,
            from_="PEMBERTON, Claire (HARBOURSIDE NHS FOUNDATION TRUST) "
            "<claire.pemberton3@nhs.net>",
        )
    )
    assert people(ex) == ([("Zoë", None, "+447700900512")], [])
    assert ex.nominees[0].provenance["phone"].source == Source.BODY


def test_follow_up_with_only_a_number() -> None:
    ex = extract(
        make_parsed("Her mobile number is 07700 900512.", classification=Classification.FOLLOW_UP)
    )
    assert people(ex) == ([(None, None, "+447700900512")], [])


def test_follow_up_correction() -> None:
    ex = extract(
        make_parsed(
            "Sorry, Rahul's email is actually rahul.mehta@nhs.net.",
            classification=Classification.FOLLOW_UP,
        )
    )
    assert people(ex) == ([("Rahul", "rahul.mehta@nhs.net", None)], [])
    assert ex.correction


def test_withdrawal() -> None:
    ex = extract(
        make_parsed(
            "Please disregard our nomination of Dr Felix Amadi sent on 4 March.",
            classification=Classification.FOLLOW_UP,
        )
    )
    assert ex.withdrawal
    ex = extract(make_parsed("Unfortunately Priya is no longer taking up the role."))
    assert ex.withdrawal
    ex = extract(
        make_parsed("We are not withdrawing the nomination; Priya's number is 07700 900123.")
    )
    assert not ex.withdrawal


def test_nominee_email_only_in_cc() -> None:
    ex = extract(
        make_parsed(
            "I am pleased to identify Amelia Foster as our first PSS; Amelia is copied in. Her "
            "number "
            "is 07700 900321.",
            cc=(
                "FOSTER, Amelia (NORTHSHIRE HOSPITALS NHS FOUNDATION TRUST) "
                "<amelia.foster@nhs.net>",
            ),
        )
    )
    [p] = ex.nominees
    assert (p.name, p.email, p.phone) == ("Amelia Foster", "amelia.foster@nhs.net", "+447700900321")
    assert p.provenance["email"].source == Source.HEADER


def test_sender_says_they_are_the_pss() -> None:
    ex = extract(
        make_parsed(
            "Our Medical Director, Dr Peter Morland (copied), has asked me to let you know that I "
            "will "
            "be Lindenford Hospitals NHS Trust's first Patient Safety Specialist. My mobile is "
            "07700 900958.",
            from_="KAUR, Jaspreet (LINDENFORD HOSPITALS NHS TRUST) <jaspreet.kaur@nhs.net>",
            cc=("MORLAND, Peter (LINDENFORD HOSPITALS NHS TRUST) <peter.morland@nhs.net>",),
        )
    )
    assert [(p.name, p.email) for p in ex.nominees] == [("Jaspreet Kaur", "jaspreet.kaur@nhs.net")]
    assert any("sender" in n for n in ex.notes)


def test_name_only_nominee() -> None:
    ex = extract(
        make_parsed(
            "Please note our new PSS is Dr Ahmed Raza.\n\nThanks\nGary",
            from_="THOMPSON, Gary (WRENFIELD HOSPITALS NHS TRUST) <g.t@nhs.net>",
        )
    )
    [p] = ex.nominees
    assert (p.honorific, p.name, p.email, p.phone) == ("Dr", "Ahmed Raza", None, None)
    assert ex.nomination_type is None


def test_several_nominees_in_prose() -> None:
    text = (
        "We would like to identify two Patient Safety Specialists: Priya Shah, Head of Patient "
        "Safety (priya.shah@nhs.net, 07700 900123), and Tom Baker, Patient Safety Manager "
        "(tom.baker@nhs.net, 0113 496 0555)."
    )
    ex = extract(make_parsed(text))
    assert people(ex)[0] == [
        ("Priya Shah", "priya.shah@nhs.net", "+447700900123"),
        ("Tom Baker", "tom.baker@nhs.net", "+441134960555"),
    ]


def test_title_from_prose_patterns() -> None:
    ex = extract(
        make_parsed(
            "Calderholme Hospitals NHS Trust would like to nominate Sister Bernadette "
            "O'Connor-Smith as "
            "our first Patient Safety Specialist.\n\nBernadette has 8 years' experience and was "
            "previously ward sister on Ward 8A before becoming our Lead Nurse for Patient Safety. "
            "She "
            "can be contacted on bernadette.oconnor-smith@nhs.net or 0161 496 0841."
        )
    )
    [p] = ex.nominees
    assert (p.honorific, p.name, p.job_title, p.pay_band) == (
        "Sister",
        "Bernadette O'Connor-Smith",
        "Lead Nurse for Patient Safety",
        None,
    )


def test_vsm_nominee() -> None:
    ex = extract(
        make_parsed(
            "Its first Patient Safety Specialist will be Mr Anthony Braithwaite, our Director of "
            "Patient "
            "Safety and Governance. Anthony reports directly to me and is paid on the very senior "
            "manager (VSM) pay framework. Anthony can be contacted on anthony.braithwaite@nhs.net."
        )
    )
    [p] = ex.nominees
    assert (p.name, p.job_title, p.pay_band) == (
        "Anthony Braithwaite",
        "Director of Patient Safety and Governance",
        "VSM",
    )


def test_attachment_read_when_body_has_no_people() -> None:
    letter = (
        "Dear colleagues,\nI am writing to identify Grace Nwachukwu as the Trust's first Patient "
        "Safety Specialist.\nGrace is our Patient Safety Manager (Band 8a). She can be contacted "
        "at grace.nwachukwu@nhs.net or on 0114 496 0823.\nI confirm that the Identifying Patient "
        "Safety Specialists document has been considered.\nYours faithfully,\nChristine Naylor\n"
        "Director of Nursing\n"
    )
    ex = extract(
        make_parsed(
            "Please find attached our nomination letter.", attachments=(docx_attachment(letter),)
        )
    )
    assert ex.details_from_attachment
    [p] = ex.nominees
    assert (p.name, p.email, p.phone, p.job_title, p.pay_band) == (
        "Grace Nwachukwu",
        "grace.nwachukwu@nhs.net",
        "+441144960823",
        "Patient Safety Manager",
        "8a",
    )
    assert p.provenance["email"].source == Source.ATTACHMENT
    assert ex.guidance_confirmed and ex.nomination_type == NominationType.FIRST


def test_forwarded_nomination() -> None:
    fwd = (
        "From: Meera Pillai <meera.pillai@wrekinvale.nhs.uk>\nDate: Mon, 10 Mar 2025\nSubject: PSS "
        "nomination\nTo: Tom Bellamy <tom.bellamy@wrekinvale.nhs.uk>\n\nDear team,\n\nWrekin Vale "
        "Healthcare NHS Trust wishes to identify Dr Farah Siddiqui as a Patient Safety Specialist. "
        "Farah will be the Trust's first PSS. Farah is our Head of Clinical Governance, Band 8b, "
        "and "
        "can be contacted at farah.siddiqui@wrekinvale.nhs.uk or on 0121 496 0815.\n\nWith best "
        "wishes,\n\nDr Meera Pillai\nMedical Director\n0121 496 0800\n"
    )
    ex = extract(
        make_parsed(
            "Please see below the nomination from Dr Meera Pillai, our Medical Director.",
            forwarded=fwd,
            from_="Tom Bellamy <tom.bellamy@wrekinvale.nhs.uk>",
        )
    )
    assert ex.forwarded
    [p] = ex.nominees
    assert (p.name, p.email, p.phone, p.job_title, p.pay_band) == (
        "Farah Siddiqui",
        "farah.siddiqui@wrekinvale.nhs.uk",
        "+441214960815",
        "Head of Clinical Governance",
        "8b",
    )
    assert p.provenance["phone"].source == Source.FORWARDED


def test_bulk_mail_reads_no_people() -> None:
    ex = extract(
        make_parsed(
            "Our new PSS is Priya Shah (priya.shah@nhs.net).",
            classification=Classification.OTHER,
            is_bulk=True,
        )
    )
    assert ex.nominees == [] and ex.replaced == []


def test_existing_pss_in_a_question_is_not_a_nominee() -> None:
    text = (
        "Could you let me know when the next Patient Safety Specialist network meeting is? Our "
        "PSS, Rachel Oduya (rachel.oduya@nhs.net, 07700 900985), didn't receive the invitation. "
        "Is there a distribution list she should be added to?"
    )
    ex = extract(make_parsed(text))
    assert people(ex) == ([], [])
    assert ex.stated_types == []


VARIANTS = [
    (
        "I am pleased to nominate Priya Shah, our Head of Patient Safety (Band 8b), as the Trust's "
        "first Patient Safety Specialist. Priya's contact details are priya.shah@nhs.net and "
        "07700 900123.",
        [("Priya Shah", "priya.shah@nhs.net", "+447700900123", "Head of Patient Safety", "8b")],
        [],
    ),
    (
        "We have appointed Dr. John O'Neill to the PSS role. John replaces Dr Mary Smith who "
        "retired in December. John: john.oneill@nhs.net / 0113 496 0123. Mary's email was "
        "mary.smith@nhs.net.",
        [("John O'Neill", "john.oneill@nhs.net", "+441134960123", None, None)],
        [("Mary Smith", "mary.smith@nhs.net", None)],
    ),
    (
        "Just to let you know that Jo Bloggs has left the Trust and her replacement as PSS is "
        "Ayesha Khan, Patient Safety Lead, Band 8a. Ayesha's email address is "
        "ayesha.khan@nhs.net and her work mobile is 07700 900555. Jo's details for your "
        "records: jo.bloggs@nhs.net, 0113 496 0777.",
        [("Ayesha Khan", "ayesha.khan@nhs.net", "+447700900555", "Patient Safety Lead", "8a")],
        [("Jo Bloggs", "jo.bloggs@nhs.net", "+441134960777")],
    ),
    (
        "Following the retirement of our PSS, Mr Peter Grey, I am writing to nominate Mrs Linda "
        "Hope as his successor. Linda is Head of Quality Governance (8c) – linda.hope@nhs.net, "
        "01632 960123. Peter's email address was peter.grey@nhs.net.",
        [("Linda Hope", "linda.hope@nhs.net", "+441632960123", "Head of Quality Governance", "8c")],
        [("Peter Grey", "peter.grey@nhs.net", None)],
    ),
    (
        "We confirm that Ms Olu Adebayo will replace Mr Ian Frost as the Trust's PSS.\n"
        "Olu Adebayo, Patient Safety Manager, olu.adebayo@nhs.net, 07700 900611\n"
        "Ian Frost, ian.frost@nhs.net, 07700 900612",
        [("Olu Adebayo", "olu.adebayo@nhs.net", "+447700900611", "Patient Safety Manager", None)],
        [("Ian Frost", "ian.frost@nhs.net", "+447700900612")],
    ),
    (
        "Our nomination for the PSS role is Kwame Mensah. Kwame is currently a Band 7 Patient "
        "Safety Facilitator. Email kwame.mensah@nhs.net. Telephone 0161 496 0123.",
        [
            (
                "Kwame Mensah",
                "kwame.mensah@nhs.net",
                "+441614960123",
                "Patient Safety Facilitator",
                "7",
            )
        ],
        [],
    ),
    (
        "Our current PSS, Jo Bloggs, is retiring. Jane Doe (jane.doe@nhs.net) will take over the "
        "role. Jo can be reached on 07700 900333 until the end of the month.",
        [("Jane Doe", "jane.doe@nhs.net", None, None, None)],
        [("Jo Bloggs", None, "+447700900333")],
    ),
    (
        "Jane Doe will be taking up the role of PSS from 1 June, in place of Jo Bloggs. Contact "
        "details for Jane: jane.doe@nhs.net, 07700 900777.",
        [("Jane Doe", "jane.doe@nhs.net", "+447700900777", None, None)],
        [("Jo Bloggs", None, None)],
    ),
    (
        "Name: Priya Shah (replacing Jo Bloggs)\nEmail: priya.shah@nhs.net\nPhone: 07700 900123",
        [("Priya Shah", "priya.shah@nhs.net", "+447700900123", None, None)],
        [("Jo Bloggs", None, None)],
    ),
]


@pytest.mark.parametrize(("text", "nominees", "replaced"), VARIANTS)
def test_prose_variants(text: str, nominees: list[tuple], replaced: list[tuple]) -> None:  # type: ignore[type-arg]
    ex = extract(make_parsed(text))
    assert [(p.name, p.email, p.phone, p.job_title, p.pay_band) for p in ex.nominees] == nominees
    assert [(p.name, p.email, p.phone) for p in ex.replaced] == replaced
    assert ex.nomination_type == (NominationType.REPLACEMENT if replaced else ex.nomination_type)


def test_details_after_sign_off_still_read() -> None:
    text = "Many thanks,\n\nName: Priya Shah\nEmail: priya.shah@nhs.net\n"
    assert people(extract(make_parsed(text))) == ([("Priya Shah", "priya.shah@nhs.net", None)], [])


def test_signature_left_in_new_text_is_skipped() -> None:
    text = (
        "Our new PSS is Priya Shah (priya.shah@nhs.net, 07700 900123).\n\nRegards\nHelen Marsh\n"
        "Chief Nursing Officer\nTel: 0113 496 0100\nMobile: 07700 900100"
    )
    ex = extract(make_parsed(text))
    assert people(ex) == ([("Priya Shah", "priya.shah@nhs.net", "+447700900123")], [])
    assert ex.nominees[0].other_phones == []


def test_quoted_history_left_in_new_text_is_skipped() -> None:
    text = (
        "Her mobile is 07700 900512.\n\n-----Original Message-----\nFrom: PSS Nominations\n"
        "Sent: 27 January 2025\n\nName: Jo Bloggs\nTel: 07700 900999\n"
    )
    ex = extract(make_parsed(text, classification=Classification.FOLLOW_UP))
    assert people(ex) == ([(None, None, "+447700900512")], [])


def test_unnamed_contacts_make_one_nominee() -> None:
    ex = extract(
        make_parsed(
            "Her mobile is 07700 900512 and her email is priya.shah@nhs.net.",
            classification=Classification.FOLLOW_UP,
        )
    )
    assert people(ex) == ([(None, "priya.shah@nhs.net", "+447700900512")], [])


def test_contact_pointing_at_no_one_is_not_a_nominee() -> None:
    ex = extract(make_parsed("You can reach the patient safety team on 0113 496 0123."))
    assert people(ex) == ([], [])


MORE_VARIANTS = [
    (
        "I would like to nominate the following as our Patient Safety Specialist: Priya Shah, "
        "Head of Patient Safety, Band 8b, priya.shah@nhs.net, 07700 900123.",
        [("Priya Shah", "priya.shah@nhs.net", "+447700900123", "Head of Patient Safety", "8b")],
    ),
    (
        "Details of the new PSS are as follows: Name - Priya Shah; Email - priya.shah@nhs.net; "
        "Tel - 07700 900123",
        [("Priya Shah", "priya.shah@nhs.net", "+447700900123", None, None)],
    ),
    (
        "Our first PSS will be:\n\nPriya Shah (Head of Patient Safety, 8b) – priya.shah@nhs.net – "
        "07700 900 123",
        [("Priya Shah", "priya.shah@nhs.net", "+447700900123", "Head of Patient Safety", "8b")],
    ),
    (
        "Name: Priya Shah\nJob Title/Band: Head of Patient Safety / 8b\nEmail: priya.shah@nhs.net",
        [("Priya Shah", "priya.shah@nhs.net", None, "Head of Patient Safety", "8b")],
    ),
    (
        "Mr David Lee (Associate Director of Nursing – Patient Safety) will be our new PSS. His "
        "number is 07700 900321.",
        [
            (
                "David Lee",
                None,
                "+447700900321",
                "Associate Director of Nursing – Patient Safety",
                None,
            )
        ],
    ),
    (
        "Please accept this email as our nomination of Priya Shah for the role of Patient Safety "
        "Specialist. Priya is the Trust's Head of Patient Safety and Learning, banded at 8b.\n\n"
        "Email: priya.shah@nhs.net\nMobile: 07700 900123",
        [
            (
                "Priya Shah",
                "priya.shah@nhs.net",
                "+447700900123",
                "Head of Patient Safety and Learning",
                "8b",
            )
        ],
    ),
    (
        "The PSS for Northshire Hospitals NHS Foundation Trust will be Anna Kowalska-Nowak, Senior "
        "Nurse for Patient Safety (B8a). Contact: anna.kowalska-nowak@nhs.net, tel. 0113 496 0431.",
        [
            (
                "Anna Kowalska-Nowak",
                "anna.kowalska-nowak@nhs.net",
                "+441134960431",
                "Senior Nurse for Patient Safety",
                "8a",
            )
        ],
    ),
]


@pytest.mark.parametrize(("text", "nominees"), MORE_VARIANTS)
def test_more_nominee_variants(text: str, nominees: list[tuple]) -> None:  # type: ignore[type-arg]
    ex = extract(make_parsed(text))
    assert [(p.name, p.email, p.phone, p.job_title, p.pay_band) for p in ex.nominees] == nominees
    assert ex.replaced == []


def test_stepping_down_with_successor_to_be_announced() -> None:
    text = (
        "I am writing to inform you that Dr Sam Jones will be stepping down as PSS. His successor "
        "will be announced shortly.\n\nSam can be contacted via sam.jones@nhs.net until then."
    )
    ex = extract(make_parsed(text))
    assert people(ex) == ([], [("Sam Jones", "sam.jones@nhs.net", None)])


def test_number_on_its_own_line_after_the_name() -> None:
    ex = extract(
        make_parsed(
            "Please find Zoë's mobile number below:\n\n07700 900512",
            classification=Classification.FOLLOW_UP,
        )
    )
    assert people(ex) == ([("Zoë", None, "+447700900512")], [])


def test_colleague_with_a_number_is_not_a_second_nominee() -> None:
    text = (
        "Priya Shah will be our new PSS; she can be reached on 07700 900123. If you have any "
        "questions please contact our governance lead, Mark Jones, on 0113 496 0111."
    )
    assert people(extract(make_parsed(text))) == ([("Priya Shah", None, "+447700900123")], [])


def test_two_nominees_named_together_share_the_cue() -> None:
    text = (
        "We nominate Priya Shah (priya.shah@nhs.net, 07700 900123) and Tom Baker "
        "(tom.baker@nhs.net, 07700 900124) as our first two PSSs."
    )
    assert people(extract(make_parsed(text)))[0] == [
        ("Priya Shah", "priya.shah@nhs.net", "+447700900123"),
        ("Tom Baker", "tom.baker@nhs.net", "+447700900124"),
    ]
