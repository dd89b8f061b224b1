"""Structured log lines: logfmt quoting, one line per event, addresses redacted from errors."""

from __future__ import annotations

import logging

import pytest

from ingest.events import error_text, format_event, log_event


def test_format_event_quotes_and_skips_none() -> None:
    line = format_event("stored", uid=17, message_id="<a@b>", case=None, action="accept",
                        note='two words "q"', review=False, seconds=0.250)
    assert line == ('event=stored uid=17 message_id=<a@b> action=accept '
                    'note="two words \\"q\\"" review=false seconds=0.25')


def test_one_line_even_with_line_breaks() -> None:
    assert format_event("x", error="a\r\nb") == "event=x error=a\\r\\nb"


def test_error_text_redacts_addresses() -> None:
    exc = RuntimeError("550 5.1.1 <helen.marsh@northshire.nhs.uk>: Recipient address rejected")
    assert error_text(exc) == "RuntimeError: 550 5.1.1 <[address]>: Recipient address rejected"


def test_log_event(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("pss_intake.test")
    with caplog.at_level(logging.INFO, logger="pss_intake.test"):
        log_event(logger, "moved", uid=3, folder="Processed")
    assert caplog.messages == ["event=moved uid=3 folder=Processed"]
