"""Outlook's own files: a .msg saved from Outlook is imported like an .eml (the original bytes
kept, marked as a .msg), a damaged one is kept and flagged, and a folder import says what it
skipped and why. The .msg files are built here (tests/ingest/msg_file.py): fictional people."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from pss_intake.cli import main
from store.db import Database
from store.models import RawMessage

sys.path.insert(0, str(Path(__file__).resolve().parent))
from msg_file import msg_bytes  # noqa: E402

HEADERS = ("From: Tom Reeve <tom.reeve@dunmore.nhs.uk>\r\n"
           "To: PSS Nominations <pss.nominations@england.example>\r\n"
           "Subject: PSS nomination - Dunmore Hospitals NHS Trust\r\n"
           "Date: Mon, 03 Mar 2025 10:00:00 +0000\r\n"
           "Message-ID: <msg.1@dunmore.nhs.uk>\r\nMIME-Version: 1.0\r\n\r\n")
BODY = ("Dear team,\r\n\r\nI am writing to identify Maya Patel as our first Patient Safety "
        "Specialist.\r\n\r\nName: Maya Patel\r\nEmail: maya.patel@dunmore.nhs.uk\r\n"
        "Phone: 07700 900611\r\n\r\nI confirm that the Identifying Patient Safety Specialists "
        "document has been considered.\r\n\r\nKind regards,\r\nTom Reeve\r\nChief Nurse, "
        "Dunmore Hospitals NHS Trust\r\n")


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PSS_INTAKE_DATABASE__URL", f"sqlite:///{tmp_path / 'msg.db'}")
    return tmp_path


def _rows(env: Path) -> list[RawMessage]:
    db = Database(f"sqlite:///{env / 'msg.db'}")
    try:
        with db.transaction() as session:
            return list(session.execute(select(RawMessage).order_by(RawMessage.id)).scalars())
    finally:
        db.dispose()


def test_a_msg_file_is_imported_like_an_eml_and_kept_as_it_was(
        env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = msg_bytes(subject="PSS nomination - Dunmore Hospitals NHS Trust", body=BODY,
                     sender_name="Tom Reeve", sender_email="tom.reeve@dunmore.nhs.uk",
                     headers=HEADERS)
    path = env / "Nomination.msg"
    path.write_bytes(data)
    assert main(["import", str(path), "--json"]) == 0
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["classification"] == "nomination"
    assert record["message_id"] == "<msg.1@dunmore.nhs.uk>"
    assert record["nominees"][0]["name"] == "Maya Patel"
    assert record["nominees"][0]["phone"] == "+447700900611"
    assert record["action"] == "accept"
    [raw] = _rows(env)
    assert raw.original == data and raw.original_format == "msg"
    assert raw.content.startswith(b"From: Tom Reeve <tom.reeve@dunmore.nhs.uk>")
    # The same file again is the same message (its hash is the original's).
    assert main(["import", str(path), "--json"]) == 0
    capsys.readouterr()
    assert len(_rows(env)) == 1


def test_a_damaged_msg_is_kept_and_flagged(env: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"not really a compound file" * 20
    path = env / "broken.msg"
    path.write_bytes(data)
    assert main(["import", str(path), "--json"]) == 0
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["action"] == "review" and record["state"] == "needs_review"
    [raw] = _rows(env)
    assert raw.original == data and raw.original_format == "msg" and raw.case_id is not None


def test_a_folder_import_says_what_it_skipped_and_why(
        env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = env / "saved"
    folder.mkdir()
    (folder / "a.eml").write_bytes((HEADERS + BODY).encode())
    (folder / "b.msg").write_bytes(msg_bytes(
        subject="Re: PSS", body="Thank you.\r\n", sender_name="Tom Reeve",
        sender_email="tom.reeve@dunmore.nhs.uk",
        headers=HEADERS.replace("<msg.1@", "<msg.2@").replace("Subject: PSS", "Subject: Re: PSS")))
    (folder / "notes.txt").write_text("to do")
    (folder / ".DS_Store").write_bytes(b"\0")
    (folder / "older").mkdir()
    assert main(["import", str(folder), "--json"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 2
    assert captured.err.splitlines() == [
        "skipped 3 file(s): 1 hidden file (.DS_Store); 1 not an .eml or .msg file (notes.txt); "
        "1 a folder inside the folder (give it as a path of its own) (older)"]
    assert [r.original_format for r in _rows(env)] == [None, "msg"]
