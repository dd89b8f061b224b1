"""End to end on the ten samples: raw bytes → parse_email → extract, compared field by field
with tests/samples/expected.json (the single-message readings)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from parsing import parse_email
from parsing.extract import extract
from validation.models import Extraction, Source

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
EXPECTED: dict[str, dict[str, Any]] = {
    e["file"]: e for e in json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
}


def read(name: str) -> Extraction:
    return extract(parse_email((SAMPLES / name).read_bytes()))


@pytest.mark.parametrize(
    "name", ["S01.eml", "S02.eml", "S03.eml", "S05.eml", "S08.eml", "S09.eml", "S10.eml"]
)
def test_single_message_readings(name: str) -> None:
    exp = EXPECTED[name]
    ex = read(name)
    assert ex.classification.value == exp["classification"]
    assert (ex.nomination_type.value if ex.nomination_type else None) == exp["nomination_type"]
    assert [p.contract() for p in ex.nominees] == exp["nominees"]
    assert [p.contract(replaced=True) for p in ex.replaced] == exp["replaced"]
    assert ex.guidance_confirmed == exp["guidance_confirmed"]
    assert ex.organisation == exp["organisation"]


def test_s04_follow_up_reads_only_the_new_lines() -> None:
    ex = read("S04.eml")
    assert ex.classification.value == "follow_up"
    assert [(p.name, p.email, p.phone) for p in ex.nominees] == [("Zoë", None, "+447700900512")]
    assert ex.replaced == []
    # Nothing from the quoted request or the executive's signature (0117 496 0600, 07700 900650).
    assert ex.nominees[0].other_phones == []
    assert ex.nominees[0].provenance["phone"].source == Source.BODY


@pytest.mark.parametrize("name", ["S06.eml", "S07.eml"])
def test_auto_reply_and_bounce_have_no_people(name: str) -> None:
    exp = EXPECTED[name]
    ex = read(name)
    assert ex.classification.value == exp["classification"]
    assert ex.nominees == [] and ex.replaced == []
    assert ex.nomination_type is None and not ex.guidance_confirmed
    assert ex.organisation == exp["organisation"]


def test_s08_people_come_from_the_docx() -> None:
    ex = read("S08.eml")
    assert ex.details_from_attachment
    assert all(
        v.source == Source.ATTACHMENT
        for p in ex.nominees + ex.replaced
        for v in p.provenance.values()
    )


def test_s01_pa_and_executive_numbers_unused() -> None:
    ex = read("S01.eml")
    [p] = ex.nominees
    assert p.other_phones == [] and p.phone_extension is None
    assert p.provenance["name"].text == "Name: Priya Shah"


def test_s02_provenance_sentences() -> None:
    ex = read("S02.eml")
    assert ex.provenance["guidance_confirmed"].text.startswith("In reaching this decision")
    assert ex.replaced[0].provenance["email"].text.startswith("Sarah can be contacted")
