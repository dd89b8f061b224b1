"""Every message of both corpora (the ten samples and our fixtures) is read as expected,
field by field, through the whole import pipeline (store, parse, thread, extract, merge,
rules, decision)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pss_intake.config import Settings
from pss_intake.corpus import Entry, FreshDatabases, differences, load_corpus, read_entry

HERE = Path(__file__).resolve().parent
SAMPLES = load_corpus(HERE / "samples")
FIXTURES = load_corpus(HERE / "fixtures")


@pytest.mark.parametrize("entry", SAMPLES, ids=lambda e: e.name)
def test_sample_read_as_expected(entry: Entry, databases: FreshDatabases) -> None:
    outcome = read_entry(entry, SAMPLES, databases, Settings())
    assert differences(entry, outcome.record) == {}


@pytest.mark.parametrize("entry", FIXTURES, ids=lambda e: e.name)
def test_fixture_read_as_expected(entry: Entry, databases: FreshDatabases) -> None:
    outcome = read_entry(entry, FIXTURES, databases, Settings())
    assert differences(entry, outcome.record) == {}


def test_corpora_are_not_empty() -> None:
    assert len(SAMPLES) == 10
    assert len(FIXTURES) >= 20
