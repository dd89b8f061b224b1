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


def _json_line(record: logging.LogRecord) -> dict[str, object]:
    import json

    from ingest.events import JsonLines

    line = JsonLines().format(record)
    assert "\n" not in line
    return dict(json.loads(line))


def test_json_lines_carry_the_same_keys_as_the_logfmt_line(
        caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("pss_intake.test")
    with caplog.at_level(logging.INFO, logger="pss_intake.test"):
        log_event(logger, "ingested", mailbox="INBOX", uid=17, case="PSS-000123",
                  message_id="<a@b>", review=False, seconds=0.25, oversized=None,
                  error='line one\nline "two"')
    record = caplog.records[0]
    assert record.getMessage() == (
        'event=ingested mailbox=INBOX uid=17 case=PSS-000123 message_id=<a@b> review=false '
        'seconds=0.25 error="line one\\nline \\"two\\""')
    data = _json_line(record)
    time = data.pop("time")
    assert isinstance(time, str) and time.endswith("+00:00")
    assert data == {"level": "INFO", "logger": "pss_intake.test", "event": "ingested",
                    "mailbox": "INBOX", "uid": 17, "case": "PSS-000123",
                    "message_id": "<a@b>", "review": False, "seconds": 0.25,
                    "error": 'line one\nline "two"'}


def test_json_lines_parse_a_logfmt_message_logged_without_log_event() -> None:
    # The review app logs "event=… k=%s" lines with the standard logging call.
    record = logging.LogRecord("review", logging.WARNING, __file__, 1,
                               "event=sign-in-failed client=%s status=%s",
                               ("127.0.0.1", '"locked out"'), None)
    data = _json_line(record)
    del data["time"]
    assert data == {"level": "WARNING", "logger": "review", "event": "sign-in-failed",
                    "client": "127.0.0.1", "status": "locked out"}


def test_json_lines_keep_any_other_message_whole() -> None:
    record = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1,
                               "Started server process [%d]", (42,), None)
    data = _json_line(record)
    del data["time"]
    assert data == {"level": "INFO", "logger": "uvicorn.error",
                    "message": "Started server process [42]"}
