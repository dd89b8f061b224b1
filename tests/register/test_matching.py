"""Matching a case's organisation to its ODS code: body text, NHSmail display name, learned
domains, aliases, closed organisations and their successors, never a guess between two."""

from __future__ import annotations

import datetime as dt

from register.matching import display_name_organisation, learn_domain, match
from store.db import Database
from store.models import Organisation
from tests.register.conftest import load_organisations

TODAY = dt.date(2026, 12, 1)


def _match(db: Database, **kw: object) -> tuple[str | None, str | None, str | None]:
    args: dict[str, object] = {"organisation": None, "display_name": None,
                               "sender_domain": None, "today": TODAY, **kw}
    with db.transaction() as session:
        found = match(session, **args)  # type: ignore[arg-type]
    return found.code, found.name, found.via


def test_nothing_loaded_matches_nothing(db: Database) -> None:
    assert _match(db, organisation="Northshire Hospitals NHS Foundation Trust") == (
        None, None, None)


def test_body_name_and_aliases(db: Database) -> None:
    load_organisations(db)
    expected = ("RZB", "Harbourside Mental Health NHS Foundation Trust", "body")
    assert _match(db, organisation="Harbourside Mental Health NHS Foundation Trust") == expected
    assert _match(db, organisation="Harbourside MH NHS FT") == expected
    assert _match(db, organisation="NHS Westerby & Tamsworth ICB")[0] == "QZC"
    assert _match(db, organisation="Northshire Hospitals")[0] == "RZA"


def test_display_name_in_capitals(db: Database) -> None:
    load_organisations(db)
    assert display_name_organisation("OSEI, Margaret (NHS WESSEX VALE ICB)") == (
        "NHS WESSEX VALE ICB")
    assert _match(db, display_name="OSEI, Margaret (NHS WESSEX VALE ICB)") == (
        "QZA", "NHS Wessex Vale Integrated Care Board", "display_name")


def test_the_body_wins_over_the_display_name(db: Database) -> None:
    load_organisations(db)
    assert _match(db, organisation="Fellside Community Health NHS Trust",
                  display_name="DOE, Jo (WRENFIELD HOSPITALS NHS TRUST)")[0] == "RZC"


def test_a_closed_organisation_resolves_to_its_successor(db: Database) -> None:
    load_organisations(db)
    with db.transaction() as session:
        found = match(session, organisation="NHS Eastfen ICB", display_name=None,
                      sender_domain=None, today=TODAY)
    assert (found.code, found.named_code, found.closed_on) == ("QZF", "QZD", dt.date(2026, 3, 31))
    assert found.note() == ("NHS Eastfen Integrated Care Board (QZD) closed on 31 March 2026; "
                            "its successor is NHS Eastfen and Marshland Integrated Care Board "
                            "(QZF).")
    # Before the merger took effect the ICB was still open.
    with db.transaction() as session:
        before = match(session, organisation="NHS Eastfen ICB", display_name=None,
                       sender_domain=None, today=dt.date(2026, 3, 1))
    assert (before.code, before.closed_on) == ("QZD", None)


def test_never_a_guess_between_two(db: Database) -> None:
    load_organisations(db)
    with db.transaction() as session:
        session.add(Organisation(code="RZZ", name="NORTHSHIRE HOSPITALS NHS TRUST",
                                 kind="trust"))
    with db.transaction() as session:
        found = match(session, organisation="Northshire Hospitals", display_name=None,
                      sender_domain=None, today=TODAY)
    assert found.code is None
    assert found.ambiguous == ("Northshire Hospitals NHS Foundation Trust",
                               "Northshire Hospitals NHS Trust")


def test_a_learned_domain_but_never_a_shared_one(db: Database) -> None:
    load_organisations(db)
    shared = frozenset({"nhs.net"})
    with db.transaction() as session:
        learn_domain(session, domain="northshire.nhs.uk", code="RZA", case_id=None,  # type: ignore[arg-type]
                     shared_domains=shared)
        learn_domain(session, domain="nhs.net", code="RZA", case_id=None,  # type: ignore[arg-type]
                     shared_domains=shared)
    assert _match(db, sender_domain="northshire.nhs.uk", shared_domains=shared) == (
        "RZA", "Northshire Hospitals NHS Foundation Trust", "domain")
    assert _match(db, sender_domain="nhs.net", shared_domains=shared)[0] is None
    # A domain seen for a second organisation proves nothing any more.
    with db.transaction() as session:
        learn_domain(session, domain="northshire.nhs.uk", code="RZC", case_id=None,  # type: ignore[arg-type]
                     shared_domains=shared)
    assert _match(db, sender_domain="northshire.nhs.uk", shared_domains=shared)[0] is None
