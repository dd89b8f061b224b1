"""A nominee and the person they replace written together: on one list line, each with their
own contacts, or in one clause ("replacing A with B")."""

from __future__ import annotations

import pytest

from parsing.extract import extract
from tests.extraction.helpers import make_parsed


def people(ex):  # type: ignore[no-untyped-def]
    return (
        [(p.name, p.email, p.phone) for p in ex.nominees],
        [(p.name, p.email, p.phone) for p in ex.replaced],
    )


INTRO = "Two of our Patient Safety Specialists are moving on, so we would like to register:\n\n"


@pytest.mark.parametrize(
    "items",
    [
        "1. Mrs Alison Tate, Patient Safety Lead, alison.tate@nhs.net, 07700 900713 – replacing "
        "Dr Hugh Barnard (hugh.barnard@nhs.net, 0121 496 0388).\n"
        "2. Mr Sunil Varma, Senior Patient Safety Manager, sunil.varma@nhs.net, 0121 496 0419 – "
        "replacing Ms Gwen Lowry (gwen.lowry@nhs.net, 07700 900745).",
        "- Mrs Alison Tate (alison.tate@nhs.net, 07700 900713), in place of Dr Hugh Barnard, "
        "hugh.barnard@nhs.net, 0121 496 0388\n"
        "- Mr Sunil Varma (sunil.varma@nhs.net, 0121 496 0419), who takes over from Ms Gwen "
        "Lowry, gwen.lowry@nhs.net, 07700 900745",
        "• Dr Hugh Barnard (hugh.barnard@nhs.net, 0121 496 0388) – replaced by Mrs Alison Tate "
        "(alison.tate@nhs.net, 07700 900713)\n"
        "• Ms Gwen Lowry (gwen.lowry@nhs.net, 07700 900745) – to be succeeded by Mr Sunil Varma "
        "(sunil.varma@nhs.net, 0121 496 0419)",
    ],
    ids=["replacing", "in-place-of", "replaced-by"],
)
def test_pairs_on_list_lines_keep_each_persons_contacts(items: str) -> None:
    ex = extract(make_parsed(INTRO + items))
    assert people(ex) == (
        [
            ("Alison Tate", "alison.tate@nhs.net", "+447700900713"),
            ("Sunil Varma", "sunil.varma@nhs.net", "+441214960419"),
        ],
        [
            ("Hugh Barnard", "hugh.barnard@nhs.net", "+441214960388"),
            ("Gwen Lowry", "gwen.lowry@nhs.net", "+447700900745"),
        ],
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "From 1st May we are replacing our PSS Claire Dunmore with Tom Yelland.",
        "We will be replacing Claire Dunmore with Tom Yelland as our PSS from 1 May.",
        "We are swapping our Patient Safety Specialist Claire Dunmore for Tom Yelland.",
        "We would like to change our PSS from Claire Dunmore to Tom Yelland.",
        "Tom Yelland will replace our current PSS, Claire Dunmore, from 1 May.",
    ],
)
def test_one_clause_pairs_read_both_names_without_contacts(sentence: str) -> None:
    assert people(extract(make_parsed(sentence))) == (
        [("Tom Yelland", None, None)],
        [("Claire Dunmore", None, None)],
    )


def test_a_pair_line_without_contacts_after_the_connective_still_reads() -> None:
    text = (
        "Both of our PSSs, Mrs Tessa Doyle and Mr Graham Pike, are leaving.\n\n"
        "- Ms Ruth Adebanjo, ruth.adebanjo@nhs.net, 07700 900352, who will replace Tessa\n"
        "- Mr Leon Abara, leon.abara@nhs.net, 0121 496 0577, who will replace Graham"
    )
    nominees, replaced = people(extract(make_parsed(text)))
    assert nominees == [
        ("Ruth Adebanjo", "ruth.adebanjo@nhs.net", "+447700900352"),
        ("Leon Abara", "leon.abara@nhs.net", "+441214960577"),
    ]
    assert [r[0] for r in replaced] == ["Tessa Doyle", "Graham Pike"]


def test_new_in_place_of_a_date_is_not_a_pair() -> None:
    text = (
        "We would like to register an additional PSS.\n\n"
        "- Mrs Alison Tate, alison.tate@nhs.net, 07700 900713 – starting in place of the interim "
        "arrangements on 1 June"
    )
    assert people(extract(make_parsed(text))) == (
        [("Alison Tate", "alison.tate@nhs.net", "+447700900713")],
        [],
    )


def test_her_after_replace_is_the_person_replaced_not_the_nominee() -> None:
    text = (
        "Our Head of Patient Safety, Mrs Claire Dunn, is retiring at the end of June. We would "
        "like Dr Priya Raman (priya.raman@nhs.net, 07700 900222), currently our Deputy Head of "
        "Patient Safety (Band 8b), to replace her as our PSS. Claire can be reached at "
        "claire.dunn@nhs.net or 0113 496 0111 until then."
    )
    ex = extract(make_parsed(text))
    assert people(ex) == (
        [("Priya Raman", "priya.raman@nhs.net", "+447700900222")],
        [("Claire Dunn", "claire.dunn@nhs.net", "+441134960111")],
    )
    assert (ex.nominees[0].job_title, ex.nominees[0].pay_band) == (
        "Deputy Head of Patient Safety",
        "8b",
    )
