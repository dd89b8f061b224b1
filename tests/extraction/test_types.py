"""Nomination type from labels and prose, negations honoured, contradictions all reported."""

from __future__ import annotations

import pytest

from parsing.extract.types import find_type_statements
from validation.models import NominationType as T


def types(text: str) -> list[T]:
    return list(dict.fromkeys(st.type for st in find_type_statements(text)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nomination type: First", [T.FIRST]),
        ("Type of nomination - Replacement (for Jo Bloggs)", [T.REPLACEMENT]),
        ("Nomination type: additional", [T.ADDITIONAL]),
        ("Nomination type: [ ] First [x] Replacement [ ] Additional", [T.REPLACEMENT]),
        ("Nomination type: First ☐ Replacement ☐ Additional ☒", [T.ADDITIONAL]),
        ("Priya will be our first PSS.", [T.FIRST]),
        ("The Trust has not previously identified a Patient Safety Specialist.", [T.FIRST]),
        ("We haven’t previously had anyone identified in the role.", [T.FIRST]),
        ("These are the ICB’s first two Patient Safety Specialists.", [T.FIRST]),
        ("Northfleet Hospice is identifying its PSS for the first time.", [T.FIRST]),
        ("We are nominating Patient Safety Specialists for the very first time.", [T.FIRST]),
        ("Our interim PSS, Jo Bloggs, will be registered for the first time.", [T.FIRST]),
        ("Daniel will replace Sarah from 1 April.", [T.REPLACEMENT]),
        ("Priya is taking over from Jo Bloggs as our PSS.", [T.REPLACEMENT]),
        ("Ravi succeeds Jo Bloggs in the role.", [T.REPLACEMENT]),
        ("Our outgoing PSS is Jo Bloggs.", [T.REPLACEMENT]),
        ("We would like to nominate an additional PSS.", [T.ADDITIONAL]),
        ("Priya will be a second PSS alongside our current PSS, Jo Bloggs.", [T.ADDITIONAL]),
        ("Priya will be joining Jo Bloggs as a PSS.", [T.ADDITIONAL]),
        (
            "Oksana will be a PSS in addition to our existing PSS, Mr Colin Hartnell.",
            [T.ADDITIONAL],
        ),
    ],
)
def test_stated(text: str, expected: list[T]) -> None:
    assert types(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Please note our new PSS is Dr Ahmed Raza.",
        "Please let me know if you need any additional information.",
        "In addition to her role as Head of Patient Safety, she leads on PSIRF.",
        "In the first instance please contact me.",
        "This is not our first PSS.",
        "No one is being replaced.",
    ],
)
def test_no_type(text: str) -> None:
    assert types(text) == []


def test_negated_replacement_leaves_first_only() -> None:
    text = "Neither is replacing anyone: they are the first people we have identified for the post."
    assert types(text) == [T.FIRST]


def test_not_a_replacement_but_additional() -> None:
    assert types("This is an additional (not a replacement) PSS.") == [T.ADDITIONAL]


def test_label_and_prose_contradiction_lists_both() -> None:
    text = (
        "Nomination type: Replacement\n\nOksana will be a PSS in addition to our existing PSS, "
        "Mr Colin Hartnell, who remains in post."
    )
    assert types(text) == [T.REPLACEMENT, T.ADDITIONAL]
    assert find_type_statements(text)[0].labelled


def test_label_alone_with_value_on_next_line() -> None:
    text = "Nomination type\n\nAdditional\n\nName\n\nPriya Shah\n"
    [st] = find_type_statements(text)
    assert (st.type, st.labelled, st.text) == (T.ADDITIONAL, True, "Additional")
