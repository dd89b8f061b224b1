"""Every term of the reader's vocabulary finds each text it must and none it must not
(``parsing/vocabulary.py``); one parametrised test over all terms."""

from __future__ import annotations

import pytest

from parsing.vocabulary import TERMS, Term, term

CASES = [
    pytest.param(t, text, True, id=f"{t.name}+{i}") for t in TERMS.values()
    for i, text in enumerate(t.matches)
] + [
    pytest.param(t, text, False, id=f"{t.name}-{i}") for t in TERMS.values()
    for i, text in enumerate(t.rejects)
]


@pytest.mark.parametrize(("t", "text", "want"), CASES)
def test_term_example(t: Term, text: str, want: bool) -> None:
    assert t.found(text) is want


def test_every_term_has_examples_both_ways() -> None:
    for t in TERMS.values():
        assert t.matches and t.rejects, t.name


def test_a_term_is_defined_once() -> None:
    with pytest.raises(ValueError):
        term("withdrawal", r"x", "again", ("x",), ("y",))
