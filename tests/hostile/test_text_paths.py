"""Issue 11, "What broke" 1 and 2 and "Budgets": every text path is linear in its input.

Each pattern family gets 1 MB of its worst input (the minimised input that broke it first),
timed as a ratio against a quarter of it (see ``linear.py``)."""

from __future__ import annotations

from collections.abc import Callable

from parsing.extract.organisation import find_organisations
from parsing.headers import prepare, scan_message_id
from parsing.html import html_to_text
from parsing.mime import _message_ids
from tests.hostile.linear import assert_linear


def test_html_run_of_open_brackets_is_linear() -> None:
    # 300,000 "<" without ">" took 11.6 s (the tag-stripping regex scanned 10,000 characters
    # from each "<").
    assert_linear(html_to_text, lambda n: "<p>Dear team</p>" + "<" * n)


def test_html_run_of_open_brackets_keeps_the_words() -> None:
    # Worked by hand: the tags go, "<" that opens no tag is text, the words stay.
    text = html_to_text("<p>Dear team</p>" + "<" * 30_000 + "<b>Priya Shah</b>")
    assert "Dear team" in text and "Priya Shah" in text


def test_html_open_tags_without_end_are_linear() -> None:
    assert_linear(html_to_text, lambda n: "<p>x</p>" + "<a href=x " * (n // 10))


def test_organisation_pattern_on_capitalised_words_is_linear() -> None:
    # "PSS PSS PSS ..." over 60 KB took 9.3 s: each word could match two ways, 2^8 per start.
    assert_linear(find_organisations, lambda n: "PSS " * (n // 4), bound=20.0)


def test_organisation_pattern_on_one_long_line_of_names_is_linear() -> None:
    assert_linear(find_organisations, lambda n: "Wessex Vale & " * (n // 14), bound=20.0)


def test_organisation_found_after_the_fix() -> None:
    # The pattern still reads ordinary names (worked by hand).
    found = [n for n, _s, _e in find_organisations(
        "Chief Nurse, Greystone Vale Mental Health NHS Trust's first PSS\n"
        "Barts & The London NHS Trust")]
    assert found == ["Greystone Vale Mental Health NHS Trust", "Barts & The London NHS Trust"]


def _header_block(line: str) -> Callable[[int], str]:
    def make(n: int) -> str:
        return "From: a@b.example\r\n" + line * (n // len(line)) + "List-Id: <x>\r\n\r\nbody"
    return make


def test_header_repair_is_linear() -> None:
    # The header block is read by our own patterns before the email package sees it: lines
    # without a colon, bare CRs and folded continuations, 1 MB of each.
    for line in ("no colon here\r\n", "Date: x\r\r\n", " continued\r\n", "X-A: \r"):
        assert_linear(lambda s: prepare(s.encode("latin-1"), header_bytes=65_536),
                      _header_block(line))


def test_message_id_patterns_are_linear() -> None:
    # An unclosed "<" with a long run of id characters, and a run of "<".
    assert_linear(lambda s: scan_message_id(s.encode()),
                  lambda n: "Message-ID: " + ("<" + "a" * 995) * (n // 996) + "\r\n\r\n")
    assert_linear(lambda s: _message_ids(s), lambda n: "<" * n)


def test_a_file_named_pdf_that_is_not_one_is_not_given_to_pdfminer(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import parsing.attachments as attachments

    def refuse(data: bytes) -> str:
        raise AssertionError("pdfminer was run")

    monkeypatch.setitem(attachments._READERS, "pdf", refuse)
    text, error = attachments.read_attachment_text(b"\0" * 1_000_000, content_type="application/pdf",
                                                   filename="nomination.pdf")
    assert (text, error) == (None, "the PDF is damaged (it does not start as a PDF)")
