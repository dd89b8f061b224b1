"""``validation.merge.merge``: one message's extraction folded into a case's reading."""

from __future__ import annotations

from validation.merge import Change, merge
from validation.models import (
    CaseReading,
    Extraction,
    NominationType,
    PersonReading,
    Provenance,
    Source,
)

ORG = "Northshire Hospitals NHS Foundation Trust"
PRIYA = PersonReading(name="Priya Shah", email="priya.shah@nhs.net", phone="+447700900123")
ZOE = PersonReading(name="Zoë Hartley-Brown", email="zoe.hartley-brown@nhs.net")
ADAM = PersonReading(name="Adam Clarke", email="adam.clarke@nhs.net", phone="+441134960123")


# --- Filling empty fields -------------------------------------------------------------------


def test_first_message_fills_an_empty_case() -> None:
    extraction = Extraction(
        nomination_type=NominationType.FIRST,
        nominees=[PRIYA],
        guidance_confirmed=True,
        organisation=ORG,
    )
    reading, changes = merge(CaseReading(), extraction)
    assert reading.nomination_type == "first"
    assert reading.guidance_confirmed is True
    assert reading.organisation == ORG
    assert len(reading.nominees) == 1
    assert (reading.nominees[0].name, reading.nominees[0].email, reading.nominees[0].phone) == (
        "Priya Shah", "priya.shah@nhs.net", "+447700900123"
    )
    assert reading.replaced == []
    assert set(changes) == {
        Change("nomination_type", None, "first"),
        Change("guidance_confirmed", "false", "true"),
        Change("organisation", None, ORG),
        Change("nominees[0].name", None, "Priya Shah"),
        Change("nominees[0].email", None, "priya.shah@nhs.net"),
        Change("nominees[0].phone", None, "+447700900123"),
    }
    assert len(changes) == 6


def test_follow_up_fills_only_the_missing_phone() -> None:
    before = CaseReading(
        nomination_type=NominationType.FIRST,
        nominees=[PRIYA.model_copy(update={"phone": None})],
        guidance_confirmed=True,
        organisation=ORG,
    )
    follow_up = Extraction(nominees=[PersonReading(name="Priya Shah", phone="+447700900123")])
    reading, changes = merge(before, follow_up)
    assert reading.nominees == [PRIYA]
    assert changes == [Change("nominees[0].phone", None, "+447700900123")]
    assert reading.nomination_type == "first"
    assert reading.guidance_confirmed is True
    assert reading.organisation == ORG


def test_nothing_new_changes_nothing() -> None:
    before = CaseReading(nomination_type=NominationType.FIRST, nominees=[PRIYA],
                         guidance_confirmed=True, organisation=ORG)
    again = Extraction(nomination_type=NominationType.FIRST, nominees=[PRIYA],
                       guidance_confirmed=True, organisation=ORG)
    reading, changes = merge(before, again)
    assert changes == []
    assert reading.nominees == [PRIYA]


def test_merge_does_not_modify_its_input() -> None:
    before = CaseReading(nominees=[PRIYA.model_copy(update={"phone": None})])
    merge(before, Extraction(nominees=[PersonReading(name="Priya Shah", phone="+447700900123")]))
    assert before.nominees[0].phone is None


# --- Corrections ----------------------------------------------------------------------------


def test_corrected_email_is_reported_with_old_and_new() -> None:
    before = CaseReading(nominees=[PRIYA])
    # "Sorry, Priya's email is actually priya.shah7@nhs.net."
    correction = Extraction(nominees=[PersonReading(name="Priya Shah",
                                                    email="priya.shah7@nhs.net")],
                            correction=True)
    reading, changes = merge(before, correction)
    assert reading.nominees[0].email == "priya.shah7@nhs.net"
    assert reading.nominees[0].phone == "+447700900123"
    assert changes == [Change("nominees[0].email", "priya.shah@nhs.net", "priya.shah7@nhs.net")]


def test_corrected_phone_of_the_second_nominee_uses_index_1() -> None:
    before = CaseReading(nominees=[PRIYA, ADAM])
    correction = Extraction(nominees=[PersonReading(name="Adam Clarke", phone="+442079460456")],
                            correction=True)
    reading, changes = merge(before, correction)
    assert changes == [Change("nominees[1].phone", "+441134960123", "+442079460456")]
    assert reading.nominees[0] == PRIYA
    assert reading.nominees[1].phone == "+442079460456"


def test_corrected_nomination_type_is_a_change() -> None:
    before = CaseReading(nomination_type=NominationType.ADDITIONAL)
    correction = Extraction(nomination_type=NominationType.REPLACEMENT, correction=True)
    reading, changes = merge(before, correction)
    assert reading.nomination_type == "replacement"
    assert changes == [Change("nomination_type", "additional", "replacement")]


def test_silence_on_the_type_keeps_it() -> None:
    before = CaseReading(nomination_type=NominationType.REPLACEMENT)
    reading, changes = merge(before, Extraction(nomination_type=None))
    assert reading.nomination_type == "replacement"
    assert changes == []


def test_replaced_person_fields_use_the_replaced_path() -> None:
    gareth = PersonReading(name="Gareth Lloyd", email="gareth.lloyd@nhs.net")
    before = CaseReading(nomination_type=NominationType.REPLACEMENT, nominees=[PRIYA],
                         replaced=[gareth])
    follow_up = Extraction(replaced=[PersonReading(name="Gareth Lloyd", phone="+441134960456")])
    reading, changes = merge(before, follow_up)
    assert changes == [Change("replaced[0].phone", None, "+441134960456")]
    assert reading.replaced[0].phone == "+441134960456"
    assert reading.nominees == [PRIYA]


# --- Matching people ------------------------------------------------------------------------


def test_first_name_only_follow_up_matches_the_full_name() -> None:
    before = CaseReading(nominees=[ZOE])
    follow_up = Extraction(nominees=[PersonReading(name="Zoë", phone="+447700900456")])
    reading, changes = merge(before, follow_up)
    assert len(reading.nominees) == 1
    assert reading.nominees[0].name == "Zoë Hartley-Brown"
    assert reading.nominees[0].email == "zoe.hartley-brown@nhs.net"
    assert reading.nominees[0].phone == "+447700900456"
    assert changes == [Change("nominees[0].phone", None, "+447700900456")]


def test_first_name_only_picks_the_right_one_of_two_nominees() -> None:
    before = CaseReading(nominees=[ADAM, ZOE])
    follow_up = Extraction(nominees=[PersonReading(name="Zoë", phone="+447700900456")])
    reading, changes = merge(before, follow_up)
    assert [p.name for p in reading.nominees] == ["Adam Clarke", "Zoë Hartley-Brown"]
    assert reading.nominees[1].phone == "+447700900456"
    assert reading.nominees[0].phone == "+441134960123"
    assert changes == [Change("nominees[1].phone", None, "+447700900456")]


def test_name_matching_ignores_case() -> None:
    before = CaseReading(nominees=[ZOE])
    follow_up = Extraction(nominees=[PersonReading(name="ZOË HARTLEY-BROWN",
                                                   phone="+447700900456")])
    reading, _ = merge(before, follow_up)
    assert len(reading.nominees) == 1
    assert reading.nominees[0].phone == "+447700900456"


def test_full_name_later_replaces_a_first_name_only() -> None:
    before = CaseReading(nominees=[PersonReading(name="Zoë", email="zoe.hartley-brown@nhs.net")])
    follow_up = Extraction(nominees=[PersonReading(name="Zoë Hartley-Brown")])
    reading, changes = merge(before, follow_up)
    assert reading.nominees[0].name == "Zoë Hartley-Brown"
    assert changes == [Change("nominees[0].name", "Zoë", "Zoë Hartley-Brown")]


def test_matching_by_email_among_several_nominees() -> None:
    # No name in the follow-up, two nominees on the case: the address decides.
    before = CaseReading(nominees=[PRIYA, ADAM.model_copy(update={"phone": None})])
    follow_up = Extraction(nominees=[PersonReading(email="adam.clarke@nhs.net",
                                                   phone="+442079460123")])
    reading, changes = merge(before, follow_up)
    assert len(reading.nominees) == 2
    assert reading.nominees[1].name == "Adam Clarke"
    assert reading.nominees[1].phone == "+442079460123"
    assert changes == [Change("nominees[1].phone", None, "+442079460123")]


def test_matching_by_email_when_the_name_is_spelt_differently() -> None:
    before = CaseReading(nominees=[PRIYA.model_copy(update={"phone": None})])
    follow_up = Extraction(nominees=[PersonReading(name="Priya Shah-Patel",
                                                   email="priya.shah@nhs.net",
                                                   phone="+447700900123")],
                           correction=True)
    reading, changes = merge(before, follow_up)
    assert len(reading.nominees) == 1
    assert reading.nominees[0].name == "Priya Shah-Patel"
    assert set(changes) == {
        Change("nominees[0].name", "Priya Shah", "Priya Shah-Patel"),
        Change("nominees[0].phone", None, "+447700900123"),
    }


def test_nameless_person_attaches_to_the_only_nominee() -> None:
    # "Her mobile is 07700 900123."
    before = CaseReading(nominees=[PRIYA.model_copy(update={"phone": None})])
    follow_up = Extraction(nominees=[PersonReading(phone="+447700900123")])
    reading, changes = merge(before, follow_up)
    assert reading.nominees == [PRIYA]
    assert changes == [Change("nominees[0].phone", None, "+447700900123")]


def test_nameless_person_is_not_guessed_between_two_nominees() -> None:
    before = CaseReading(nominees=[PRIYA.model_copy(update={"phone": None}),
                                   ADAM.model_copy(update={"phone": None})])
    follow_up = Extraction(nominees=[PersonReading(phone="+447700900123")])
    reading, _ = merge(before, follow_up)
    assert reading.nominees[0].phone is None
    assert reading.nominees[1].phone is None


def test_unmatched_person_is_appended() -> None:
    before = CaseReading(nomination_type=NominationType.ADDITIONAL, nominees=[PRIYA])
    follow_up = Extraction(nominees=[ADAM])
    reading, changes = merge(before, follow_up)
    assert [p.name for p in reading.nominees] == ["Priya Shah", "Adam Clarke"]
    assert reading.nominees[0] == PRIYA
    assert set(changes) == {
        Change("nominees[1].name", None, "Adam Clarke"),
        Change("nominees[1].email", None, "adam.clarke@nhs.net"),
        Change("nominees[1].phone", None, "+441134960123"),
    }


def test_different_person_with_the_same_first_name_is_not_merged() -> None:
    before = CaseReading(nominees=[PRIYA])
    other = PersonReading(name="Priya Kaur", email="priya.kaur@nhs.net")
    reading, _ = merge(before, Extraction(nominees=[other]))
    assert [p.name for p in reading.nominees] == ["Priya Shah", "Priya Kaur"]


def test_first_nominee_of_an_empty_case_is_index_0() -> None:
    extraction = Extraction(nominees=[PersonReading(phone="+447700900123")])
    reading, changes = merge(CaseReading(), extraction)
    assert len(reading.nominees) == 1
    assert changes == [Change("nominees[0].phone", None, "+447700900123")]


# --- Guidance confirmation ------------------------------------------------------------------


def test_guidance_confirmation_stays_when_a_later_message_is_silent() -> None:
    before = CaseReading(guidance_confirmed=True)
    reading, changes = merge(before, Extraction(guidance_confirmed=False, guidance_negated=False))
    assert reading.guidance_confirmed is True
    assert changes == []


def test_negation_undoes_the_confirmation() -> None:
    before = CaseReading(guidance_confirmed=True)
    reading, changes = merge(before, Extraction(guidance_negated=True))
    assert reading.guidance_confirmed is False
    assert changes == [Change("guidance_confirmed", "true", "false")]


def test_negation_on_an_unconfirmed_case_changes_nothing() -> None:
    reading, changes = merge(CaseReading(), Extraction(guidance_negated=True))
    assert reading.guidance_confirmed is False
    assert changes == []


def test_confirmation_after_a_negation_counts() -> None:
    reading, changes = merge(CaseReading(guidance_confirmed=False),
                             Extraction(guidance_confirmed=True))
    assert reading.guidance_confirmed is True
    assert changes == [Change("guidance_confirmed", "false", "true")]


# --- Organisation ---------------------------------------------------------------------------


def test_organisation_is_not_overwritten() -> None:
    before = CaseReading(organisation=ORG)
    other = Extraction(organisation="NHS Wessex Vale Integrated Care Board")
    reading, changes = merge(before, other)
    assert reading.organisation == ORG
    assert changes == []


def test_organisation_fills_when_empty() -> None:
    reading, changes = merge(CaseReading(), Extraction(organisation=ORG))
    assert reading.organisation == ORG
    assert changes == [Change("organisation", None, ORG)]


# --- Provenance -----------------------------------------------------------------------------


def test_provenance_of_a_filled_field_comes_from_the_new_message() -> None:
    old = Provenance(message_id="<n1@nhs.net>", source=Source.BODY, text="Priya Shah")
    new = Provenance(message_id="<n2@nhs.net>", source=Source.SIGNATURE, text="M: 07700 900123")
    before = CaseReading(nominees=[PersonReading(name="Priya Shah", provenance={"name": old})])
    follow_up = Extraction(nominees=[PersonReading(phone="+447700900123",
                                                   provenance={"phone": new})])
    reading, _ = merge(before, follow_up)
    assert reading.nominees[0].provenance == {"name": old, "phone": new}


def test_curly_apostrophe_matches_the_straight_one() -> None:
    before = CaseReading(nominees=[PersonReading(name="Siobhán O'Brien",
                                                 email="siobhan.obrien@nhs.net")])
    follow_up = Extraction(nominees=[PersonReading(name="Siobhán O’Brien",
                                                   phone="+441134960789")])
    reading, changes = merge(before, follow_up)
    assert len(reading.nominees) == 1
    assert reading.nominees[0].name == "Siobhán O'Brien"
    assert changes == [Change("nominees[0].phone", None, "+441134960789")]


# --- Follow-ups the extraction cannot place: name corrections, the replaced person's details ---

from validation.models import NameCorrection  # noqa: E402

FIONNUALA = PersonReading(name="Fionnuala Mulvany", email="fionnuala.mulvaney@nhs.net")
DEREK = PersonReading(name="Derek Haldane")


def test_surname_correction_rewrites_the_name_and_is_a_change() -> None:
    case = CaseReading(nominees=[FIONNUALA], replaced=[DEREK])
    extraction = Extraction(
        correction=True,
        name_corrections=[NameCorrection(first="Fionnuala", old="Mulvany", new="Mulvaney")],
    )
    reading, changes = merge(case, extraction)
    assert [p.name for p in reading.nominees] == ["Fionnuala Mulvaney"]
    assert reading.nominees[0].email == "fionnuala.mulvaney@nhs.net"
    assert [p.name for p in reading.replaced] == ["Derek Haldane"]
    assert changes == [Change("nominees[0].name", "Fionnuala Mulvany", "Fionnuala Mulvaney")]


def test_name_correction_by_role_finds_whoever_bore_the_old_word() -> None:
    case = CaseReading(nominees=[PRIYA], replaced=[FIONNUALA])
    reading, changes = merge(
        case, Extraction(name_corrections=[NameCorrection(old="Mulvany", new="Mulvaney")])
    )
    assert [p.name for p in reading.replaced] == ["Fionnuala Mulvaney"]
    assert reading.nominees == [PRIYA]
    assert changes == [Change("replaced[0].name", "Fionnuala Mulvany", "Fionnuala Mulvaney")]


def test_name_correction_for_another_first_name_changes_nothing() -> None:
    case = CaseReading(nominees=[FIONNUALA])
    reading, changes = merge(
        case,
        Extraction(name_corrections=[NameCorrection(first="Derek", old="Mulvany", new="Mulvaney")]),
    )
    assert reading.nominees == [FIONNUALA]
    assert changes == []


def test_details_of_the_person_replaced_fill_the_replaced_record() -> None:
    case = CaseReading(nominees=[PRIYA], replaced=[DEREK])
    extraction = Extraction(
        nominees=[PersonReading(name="Derek", email="derek.haldane@nhs.net", phone="+447700900812")]
    )
    reading, changes = merge(case, extraction)
    assert reading.nominees == [PRIYA]
    assert [(p.name, p.email, p.phone) for p in reading.replaced] == [
        ("Derek Haldane", "derek.haldane@nhs.net", "+447700900812")
    ]
    assert set(changes) == {
        Change("replaced[0].email", None, "derek.haldane@nhs.net"),
        Change("replaced[0].phone", None, "+447700900812"),
    }


def test_a_nominee_known_to_the_case_stays_a_nominee() -> None:
    case = CaseReading(nominees=[PRIYA], replaced=[DEREK])
    priya = PersonReading(name="Priya", phone="+447700900999")
    reading, _ = merge(case, Extraction(replaced=[priya]))
    assert reading.nominees[0].phone == "+447700900999"
    assert reading.replaced == [DEREK]


def test_a_new_person_nobody_knows_is_added_where_read() -> None:
    case = CaseReading(nominees=[PRIYA], replaced=[DEREK])
    reading, _ = merge(case, Extraction(nominees=[ADAM]))
    assert [p.name for p in reading.nominees] == ["Priya Shah", "Adam Clarke"]
    assert reading.replaced == [DEREK]


# --- Short names, nicknames and one-word names in follow-ups ------------------------------------

SEUN = PersonReading(name="Oluwaseun Bakare", email="oluwaseun.bakare@nhs.net")
SUSAN = PersonReading(name="Susan Kirkbride")


def test_part_of_an_unusual_first_name_joins_the_full_name() -> None:
    # "Seun's direct line is …" answers the case of Oluwaseun Bakare.
    follow_up = Extraction(nominees=[PersonReading(name="Seun", phone="+441144960713")])
    reading, changes = merge(CaseReading(nominees=[SEUN]), follow_up)
    assert [(p.name, p.phone) for p in reading.nominees] == [
        ("Oluwaseun Bakare", "+441144960713")
    ]
    assert changes == [Change("nominees[0].phone", None, "+441144960713")]


def test_an_english_nickname_joins_its_full_name_among_two() -> None:
    # "Sue" is a nickname of Susan (nicknames dataset), not of Adam.
    follow_up = Extraction(replaced=[PersonReading(name="Sue", email="s.kirkbride@nhs.net")])
    reading, _ = merge(CaseReading(replaced=[ADAM, SUSAN]), follow_up)
    assert [(p.name, p.email) for p in reading.replaced] == [
        ("Adam Clarke", "adam.clarke@nhs.net"), ("Susan Kirkbride", "s.kirkbride@nhs.net")
    ]


def test_an_unmatched_one_word_name_fills_the_only_nominees_gap() -> None:
    # "I should have included Bex's number": Bex is Rebecca, whom no dataset links.
    rebecca = PersonReading(name="Rebecca Nyström", email="rebecca.nystrom@nhs.net")
    follow_up = Extraction(nominees=[PersonReading(name="Bex", phone="+441914980281")])
    reading, changes = merge(CaseReading(nominees=[rebecca]), follow_up)
    assert [(p.name, p.phone) for p in reading.nominees] == [
        ("Rebecca Nyström", "+441914980281")
    ]
    assert changes == [Change("nominees[0].phone", None, "+441914980281")]


def test_a_one_word_name_with_a_different_value_stays_a_separate_person() -> None:
    follow_up = Extraction(nominees=[PersonReading(name="Bex", email="bex.o@nhs.net")])
    reading, _ = merge(CaseReading(nominees=[PRIYA]), follow_up)
    assert [p.name for p in reading.nominees] == ["Priya Shah", "Bex"]


def test_a_one_word_name_is_not_guessed_between_two_nominees() -> None:
    follow_up = Extraction(nominees=[PersonReading(name="Bex", phone="+441914980281")])
    reading, _ = merge(CaseReading(nominees=[ZOE, SUSAN]), follow_up)
    assert [p.name for p in reading.nominees] == ["Zoë Hartley-Brown", "Susan Kirkbride", "Bex"]


def test_a_short_form_of_the_replaced_person_is_not_given_to_the_nominee() -> None:
    # "Jo's mobile is …" in a replacement case: Jo is Joanne, the person replaced.
    joanne = PersonReading(name="Joanne Whitby", email="joanne.whitby@nhs.net")
    follow_up = Extraction(nominees=[PersonReading(name="Jo", phone="+447700900371")])
    reading, _ = merge(CaseReading(nominees=[ADAM.model_copy(update={"phone": None})],
                                   replaced=[joanne]), follow_up)
    assert reading.nominees[0].phone is None
    assert reading.replaced[0].phone == "+447700900371"


# --- A surname alone, and conflicts ---------------------------------------------------------

DELYTH = PersonReading(name="Delyth Morgan-Ash", email="delyth.morgan-ash@nhs.net",
                       provenance={"phone": Provenance(text="Mobile: 07700 900521")},
                       phone="+447700900521")


def test_a_surname_alone_is_the_person_on_the_case_who_bears_it() -> None:
    case = CaseReading(nominees=[PersonReading(name="Delyth Morgan-Ash")], replaced=[ADAM])
    follow_up = Extraction(nominees=[PersonReading(name="Morgan-Ash", phone="+447700900527")])
    reading, changes = merge(case, follow_up)
    assert [(p.name, p.phone) for p in reading.nominees] == [
        ("Delyth Morgan-Ash", "+447700900527")]
    assert changes == [Change("nominees[0].phone", None, "+447700900527")]


def test_a_surname_alone_of_a_person_replaced_completes_that_person() -> None:
    case = CaseReading(nominees=[PRIYA], replaced=[PersonReading(name="Adam Clarke")])
    follow_up = Extraction(nominees=[PersonReading(name="Clarke", email="adam.clarke@nhs.net")])
    reading, _ = merge(case, follow_up)
    assert [p.name for p in reading.nominees] == ["Priya Shah"]
    assert [(p.name, p.email) for p in reading.replaced] == [
        ("Adam Clarke", "adam.clarke@nhs.net")]


def test_a_surname_two_people_bear_names_neither() -> None:
    case = CaseReading(nominees=[PersonReading(name="Delyth Morgan-Ash"),
                                 PersonReading(name="Huw Morgan-Ash")])
    follow_up = Extraction(nominees=[PersonReading(name="Morgan-Ash", phone="+447700900527")])
    reading, _ = merge(case, follow_up)
    assert [(p.name, p.phone) for p in reading.nominees] == [
        ("Delyth Morgan-Ash", None), ("Huw Morgan-Ash", None), ("Morgan-Ash", "+447700900527")]


def test_another_number_without_a_correction_is_a_conflict_with_both_candidates() -> None:
    from validation.merge import conflicts

    case = CaseReading(nominees=[DELYTH])
    follow_up = Extraction(nominees=[PersonReading(
        name="Delyth", phone="+441134960527",
        provenance={"phone": Provenance(text="her landline: 0113 496 0527")})])
    reading, changes = merge(case, follow_up)
    found = conflicts(case, reading, follow_up, changes)
    assert [(a.field, a.candidates, a.evidence) for a in found] == [
        ("nominees[0].phone", ["+447700900521", "+441134960527"],
         ["Mobile: 07700 900521", "her landline: 0113 496 0527"])]
    # Said to be a correction: the new value wins, the audit log keeps the old one.
    corrected = follow_up.model_copy(update={"correction": True})
    assert conflicts(case, reading, corrected, changes) == []
    # Filling an empty field is no conflict.
    empty = CaseReading(nominees=[PersonReading(name="Delyth Morgan-Ash")])
    reading, changes = merge(empty, follow_up)
    assert conflicts(empty, reading, follow_up, changes) == []
