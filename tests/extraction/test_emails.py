"""E-mail addresses: found, syntax-checked, lower-cased."""

from __future__ import annotations

from parsing.extract.emails import find_emails, normalise_email


def test_found_lower_cased_with_offsets() -> None:
    text = "Contact Priya.Shah@Northshire.NHS.uk today."
    [em] = find_emails(text)
    assert em.addr == "priya.shah@northshire.nhs.uk"
    assert text[em.start : em.end] == "Priya.Shah@Northshire.NHS.uk"


def test_sentence_full_stop_is_not_part_of_the_address() -> None:
    [em] = find_emails("He can be contacted at daniel.okonkwo@nhs.net.")
    assert em.addr == "daniel.okonkwo@nhs.net"


def test_apostrophe_in_local_part() -> None:
    [em] = find_emails("Email: sean.o'hare@nhs.net")
    assert em.addr == "sean.o'hare@nhs.net"


def test_invalid_syntax_rejected() -> None:
    assert normalise_email("priya..shah@nhs.net") is None
    assert normalise_email("priya@") is None
    assert find_emails("see @nhs.net or priya@nhs") == []


def test_mailto_and_brackets_stripped() -> None:
    assert normalise_email("<mailto:Priya.Shah@nhs.net>") == "priya.shah@nhs.net"
