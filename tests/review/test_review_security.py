"""Issue 15: the holes found by trying the app as an attacker, each with the input that
broke it."""

from __future__ import annotations

import pytest
from review_factories import JOB_TITLE, PAY_BAND, PAY_BAND_RAW, client_for, make_case, sign_in
from sqlalchemy import select

from pss_intake.config import Settings
from review import actions
from review.confidential import is_confidential_field
from review.fields import FieldPath, parse_path
from store.db import Database
from store.models import AuditEntry, Case, CasePerson


def _nominee(db: Database, ref: str) -> tuple[str | None, str | None, str | None]:
    with db.transaction() as session:
        person = session.execute(
            select(CasePerson).join(Case).where(Case.reference == ref)).scalars().first()
        assert person is not None
        return person.job_title, person.pay_band, person.pay_band_raw


@pytest.mark.parametrize("text", [
    "nominees[0].job_title\n", "nominees[0].job_title\r", "nominees[0].job_title\x00",
    " nominees[0].job_title", "nominees[0].job_title ", "Nominees[0].job_title",
    "nominees[0].JOB_TITLE", "nominees[\u0660].job_title", "nominees[\uff10].job_title",
    "nominees[00].job_title", "nominees[0]\u2024job_title", "nominees[0].job\u2010title",
    "nominees[0].job_title\u200b", "organisation\n", "nomination_type\x00",
    "nominees[0]." + "a" * 40, "nominees[1000].name",
])
def test_a_field_path_is_parsed_whole_or_not_at_all(text: str) -> None:
    assert parse_path(text) is None


def test_field_paths_that_are_paths() -> None:
    assert parse_path("nominees[0].job_title") == FieldPath("nominees", 0, "job_title")
    assert parse_path("replaced[12].phone") == FieldPath("replaced", 12, "phone")
    assert parse_path("organisation") == FieldPath(None, 0, "organisation")
    assert parse_path("nominees[3].pay_band").path == "nominees[3].pay_band"  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["nominees[0].job_title\n", "nominees[0].JOB_TITLE",
                                  "pay_band_raw", "nominees[0].ｊｏｂ＿ｔｉｔｌｅ", "job_title"])
def test_confidential_names_are_recognised_in_any_spelling(text: str) -> None:
    assert is_confidential_field(text)
    assert not is_confidential_field("nominees[0].phone")


@pytest.mark.parametrize("field", ["nominees[0].job_title\n", "nominees[0].pay_band\n",
                                   "nominees[0].job_title\r", "nominees[0].pay_band\x00",
                                   "nominees[0].job_title", "nominees[0].pay_band"])
def test_a_reviewer_cannot_overwrite_or_probe_a_confidential_field(
        settings: Settings, db: Database, field: str) -> None:
    """The report's input: ``field=nominees[0].job_title%0A`` overwrote the title, and
    ``field=nominees[0].pay_band%0A&value=Band 8b`` answered "The value is unchanged."."""
    ref = make_case(db)
    client = client_for(settings, db)
    token = sign_in(client, "reviewer")
    answers = []
    for value in (PAY_BAND_RAW, PAY_BAND, JOB_TITLE, "Chief Nurse", "Band 7"):
        response = client.post(f"/cases/{ref}/edit", data={
            "field": field, "value": value, "reason": "probe", "csrf_token": token})
        page = client.get(f"/cases/{ref}").text
        answers.append((response.status_code, response.headers.get("location"),
                        page.count('class="notice error"'), "unchanged" in page))
        assert JOB_TITLE not in page and PAY_BAND_RAW not in page
    # The same answer whatever the guess: nothing tells a right one from a wrong one.
    assert answers == [(303, f"/cases/{ref}", 1, False)] * 5
    assert _nominee(db, ref) == (JOB_TITLE, PAY_BAND, PAY_BAND_RAW)
    with db.transaction() as session:
        assert session.execute(select(AuditEntry).where(
            AuditEntry.action == "field-changed")).first() is None


def test_refused_and_unchanged_answer_alike(settings: Settings, db: Database) -> None:
    """A colleague allowed to edit who types the value already there gets the same shape of
    answer (303 back to the case, one error notice) as a reviewer who is refused."""
    ref = make_case(db)
    allowed = client_for(settings, db)
    token = sign_in(allowed, "confidential")
    response = allowed.post(f"/cases/{ref}/edit", data={
        "field": "nominees[0].pay_band", "value": PAY_BAND_RAW, "reason": "r",
        "csrf_token": token})
    assert (response.status_code, response.headers["location"]) == (303, f"/cases/{ref}")
    assert allowed.get(f"/cases/{ref}").text.count('class="notice error"') == 1


def test_a_look_alike_reference_is_not_a_reference() -> None:
    assert actions.normalise_reference("PSS-00001٢") == "PSS-00001٢"
    assert actions.normalise_reference(" pss-12 ") == "PSS-000012"


def test_an_overlong_value_is_refused(settings: Settings, db: Database) -> None:
    ref = make_case(db)
    client = client_for(settings, db)
    token = sign_in(client, "reviewer")
    client.post(f"/cases/{ref}/edit", data={"field": "organisation", "value": "N" * 501,
                                             "reason": "r", "csrf_token": token})
    assert "longer than 500" in client.get(f"/cases/{ref}").text
    with db.transaction() as session:
        assert session.execute(select(Case.organisation).where(Case.reference == ref)
                               ).scalar_one() == "Northshire Hospitals NHS Foundation Trust"

