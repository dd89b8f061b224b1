"""Issue 11, "Budgets": each limit in config.yaml with its default, tested at its boundary;
none stops the raw bytes being stored first."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

import pss_intake.pipeline as pipeline
from parsing import parse_email
from parsing.budget import DEFAULT_BUDGETS, Budgets
from pss_intake.config import BudgetSettings, Settings
from pss_intake.corpus import FreshDatabases
from pss_intake.pipeline import Incoming, ingest
from store.db import Database
from store.models import RawMessage
from tests.hostile.mail import mail

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def db(databases: FreshDatabases):  # type: ignore[no-untyped-def]
    # The session's databases: SQLite, or PostgreSQL under tests/services/pytest_on_postgres.sh.
    database = databases.new()
    yield database
    database.dispose()


def _not_read(defects: tuple[str, ...]) -> list[str]:
    return [d for d in defects if d.startswith("content not read: ")]


def test_config_yaml_documents_every_budget_with_its_default() -> None:
    documented = yaml.safe_load((REPO / "config.yaml").read_text())["budgets"]
    assert documented == BudgetSettings().model_dump()
    assert documented == {"read_seconds": 5.0, "text_chars": 300_000, "header_bytes": 65_536,
                          "addresses_per_header": 500, "ids_per_references": 100,
                          "attachment_text_chars": 200_000}
    assert BudgetSettings().limits() == DEFAULT_BUDGETS


def test_text_chars_boundary() -> None:
    at = parse_email(mail(body="x" * 1000), budgets=Budgets(text_chars=1000))
    over = parse_email(mail(body="x" * 1001), budgets=Budgets(text_chars=1000))
    assert _not_read(at.defects) == [] and len(at.body.full) == 1000
    assert _not_read(over.defects) == [
        "content not read: the text is longer than 1,000 characters; the rest was not read"]
    assert over.body.full == "x" * 1000


def test_header_bytes_boundary() -> None:
    # "Subject: " (9) + 989 letters + CRLF (2) = 1,000 bytes of one field.
    raw = mail(subject="s" * 989)
    at = parse_email(raw, budgets=Budgets(header_bytes=1000))
    over = parse_email(raw, budgets=Budgets(header_bytes=999))
    assert _not_read(at.defects) == [] and at.subject == "s" * 989
    assert _not_read(over.defects) == [
        "content not read: 1 header field(s) longer than 999 bytes were cut"]
    # A field on one line is cut at the budget: its first 500 bytes, less "Subject: ".
    cut = parse_email(raw, budgets=Budgets(header_bytes=500))
    assert cut.subject == "s" * (500 - 9)


def _with_attachment(text: str) -> bytes:
    head, _sep, _body = mail().partition(b"\r\n\r\n")
    head = head.replace(b"Content-Type: text/plain; charset=utf-8",
                        b"Content-Type: multipart/mixed; boundary=XX")
    return head + (
        "\r\n\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n"
        "--XX\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Disposition: attachment; filename=notes.txt\r\n\r\n"
        f"{text}\r\n--XX--\r\n").encode()


def test_attachment_text_chars_boundary() -> None:
    raw = _with_attachment("y" * 500)
    at = parse_email(raw, budgets=Budgets(attachment_text_chars=500))
    over = parse_email(raw, budgets=Budgets(attachment_text_chars=499))
    assert [len(a.text or "") for a in at.attachments] == [500]
    assert _not_read(at.defects) == []
    assert [len(a.text or "") for a in over.attachments] == [499]
    assert _not_read(over.defects) == [
        "content not read: an attachment's text is longer than 499 characters; the rest was "
        "not read"]


def _slow_extract(seconds: float) -> Any:
    real = pipeline.extract

    def slow(parsed: Any) -> Any:
        time.sleep(seconds)
        return real(parsed)

    return slow


def _settings(read_seconds: float) -> Settings:
    return Settings(budgets={"read_seconds": read_seconds})


def test_read_seconds_over_budget_is_flagged_and_stored(db: Database, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "extract", _slow_extract(3.0))
    raw = mail()
    start = time.monotonic()
    outcome = ingest(db, _settings(0.5), Incoming(raw, "test"))
    assert time.monotonic() - start < 3.0
    assert outcome.action == "review" and outcome.record["reply"] is None
    flags = {f["rule"]: f["reason"] for f in outcome.record["flags"]}
    assert "reading stopped after 0.5 s" in flags["content-not-read"]
    with db.transaction() as session:
        assert session.execute(select(RawMessage.content)).scalar_one() == raw


def test_read_seconds_within_budget_reads_everything(db: Database, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "extract", _slow_extract(0.3))
    outcome = ingest(db, _settings(2.0), Incoming(mail(), "test"))
    assert outcome.action == "accept"


def test_read_seconds_zero_is_no_limit(db: Database, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "extract", _slow_extract(0.6))
    outcome = ingest(db, _settings(0), Incoming(mail(), "test"))
    assert outcome.action == "accept"


def test_read_seconds_in_a_worker_thread(db: Database, monkeypatch) -> None:
    # The service reads in a scheduler thread, where no SIGALRM can be used: Python code there
    # is stopped by an exception set on the thread.
    def spin(parsed: Any) -> Any:
        while True:
            sum(range(1000))

    monkeypatch.setattr(pipeline, "extract", spin)
    found: list[Any] = []
    worker = threading.Thread(
        target=lambda: found.append(ingest(db, _settings(0.5), Incoming(mail(), "test"))))
    worker.start()
    worker.join(30)
    assert not worker.is_alive()
    [outcome] = found
    assert outcome.action == "review"
    assert "content-not-read" in {f["rule"] for f in outcome.record["flags"]}
