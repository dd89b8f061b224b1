"""The command line as a user meets it: output contract, idempotence, one-line errors."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, inspect, select

from pss_intake.cli import main
from pss_intake.corpus import FreshDatabases
from store.db import Database
from store.models import Case, OutboxMessage, RawMessage

HERE = Path(__file__).resolve().parent
SAMPLES = HERE / "samples"
FIXTURES = HERE / "fixtures"
CONTRACT_KEYS = {"classification", "nomination_type", "nominees", "replaced",
                 "guidance_confirmed", "organisation", "organisation_code", "missing",
                 "action", "flags"}
IMPORT_KEYS = CONTRACT_KEYS | {"case", "message_id", "state", "reply"}


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, databases: FreshDatabases) -> Path:
    """Run in an empty folder with the database (the test database: an empty one) and demo
    output under it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PSS_INTAKE_DATABASE__URL", databases.empty_url("cli"))
    monkeypatch.setenv("PSS_INTAKE_DEMO__DATABASE_URL", databases.empty_url("demo"))
    monkeypatch.setenv("PSS_INTAKE_DEMO__OUTBOX_DIR", str(tmp_path / "demo-outbox"))
    return tmp_path


def _lines(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def _tables() -> list[str]:
    db = Database(os.environ["PSS_INTAKE_DATABASE__URL"])
    try:
        return inspect(db.engine).get_table_names()
    finally:
        db.dispose()


def _count(model: type) -> int:
    db = Database(os.environ["PSS_INTAKE_DATABASE__URL"])
    try:
        with db.transaction() as session:
            return session.execute(select(func.count()).select_from(model)).scalar_one()
    finally:
        db.dispose()


def _count_where(url: str, condition: Any) -> int:
    db = Database(url)
    try:
        with db.transaction() as session:
            return session.execute(select(func.count()).where(condition)).scalar_one()
    finally:
        db.dispose()


def test_extract_json_prints_exactly_the_contract(env: Path, capsys) -> None:
    assert main(["extract", str(SAMPLES / "S01.eml"), "--json"]) == 0
    [record] = _lines(capsys)
    assert set(record) == CONTRACT_KEYS
    assert record["classification"] == "nomination"
    assert record["nomination_type"] == "first"
    assert record["nominees"] == [{
        "name": "Priya Shah", "email": "priya.shah@northshire.nhs.uk", "phone": "+447700900123",
        "job_title": "Head of Patient Safety", "pay_band": "8b"}]
    assert record["action"] == "accept"
    assert record["missing"] == [] and record["flags"] == []
    assert _tables() == [], "extract must store nothing"


def test_import_json_one_line_per_message_and_follow_up_joins_case(env: Path, capsys) -> None:
    assert main(["import", str(SAMPLES / "S03.eml"), str(SAMPLES / "S04.eml"), "--json"]) == 0
    first, follow_up = _lines(capsys)
    assert set(first) == IMPORT_KEYS and set(follow_up) == IMPORT_KEYS
    assert first["case"] == "PSS-000001"
    assert first["state"] == "awaiting_information"
    assert first["missing"] == ["nominees[0].phone"]
    assert first["message_id"] == "<LO2P265MB282291F5DFE0C350@LO2P265MB2822.PROD.OUTLOOK.example>"
    assert first["reply"]["to"] == "claire.pemberton3@nhs.net"
    assert first["reply"]["subject"] == (
        "[PSS-000001] Patient Safety Specialist nomination – further information required")
    assert follow_up["case"] == "PSS-000001"
    assert follow_up["classification"] == "follow_up"
    assert follow_up["state"] == "complete"
    assert follow_up["nominees"][0]["phone"] == "+447700900512"
    assert follow_up["reply"]["subject"] == (
        "[PSS-000001] Patient Safety Specialist nomination – received")


def test_reimport_creates_nothing_new(env: Path, capsys) -> None:
    assert main(["import", str(SAMPLES), "--json"]) == 0
    first = _lines(capsys)
    counts = {m: _count(m) for m in (RawMessage, Case, OutboxMessage)}
    assert counts[RawMessage] == 10
    assert main(["import", str(SAMPLES), "--json"]) == 0
    again = _lines(capsys)
    assert {m: _count(m) for m in (RawMessage, Case, OutboxMessage)} == counts
    assert [r["case"] for r in again] == [r["case"] for r in first]
    assert [r["action"] for r in again] == [r["action"] for r in first]
    assert all(r["reply"] is None for r in again)


def test_folder_import_goes_past_a_file_with_a_nul_in_its_message_id(env: Path, capsys) -> None:
    folder = env / "mails"
    folder.mkdir()
    nul = (SAMPLES / "S01.eml").read_bytes().replace(b"Message-ID: <", b"Message-ID: <\x00", 1)
    assert nul != (SAMPLES / "S01.eml").read_bytes()
    (folder / "a-nul.eml").write_bytes(nul)
    shutil.copyfile(SAMPLES / "S10.eml", folder / "b-plain.eml")
    assert main(["import", str(folder), "--json"]) == 0
    first, second = _lines(capsys)
    assert first["message_id"].startswith("<\ufffd") and first["action"] == "accept"
    assert second["case"] != first["case"]
    assert _count(RawMessage) == 2


def test_import_outbox_writes_each_reply_once(env: Path, capsys) -> None:
    outbox = env / "out"
    assert main(["import", str(SAMPLES / "S01.eml"), str(SAMPLES / "S10.eml"),
                 "--outbox", str(outbox)]) == 0
    files = sorted(p.name for p in outbox.glob("*.eml"))
    # S01's acknowledgement and Priya Shah's privacy notice, S10's request for information.
    assert files == ["PSS-000001-000001.eml", "PSS-000001-000002.eml", "PSS-000002-000003.eml"]
    assert main(["import", str(SAMPLES / "S01.eml"), "--outbox", str(outbox)]) == 0
    assert sorted(p.name for p in outbox.glob("*.eml")) == files


def test_demo_twice_adds_nothing_and_writes_nothing_twice(
    env: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailbox = env / "mailbox"
    shutil.copytree(HERE.parent / "demo" / "mailbox", mailbox)
    monkeypatch.setenv("PSS_INTAKE_DEMO__MAILBOX", str(mailbox))
    assert main(["demo", "--json"]) == 0
    first = _lines(capsys)
    written = sorted((env / "demo-outbox").glob("*.eml"))
    assert len(first) == len(list((mailbox / "cur").iterdir())) == 24
    # Every reply, and a privacy notice to each person named in a completed case.
    notices = _count_where(os.environ["PSS_INTAKE_DEMO__DATABASE_URL"],
                           OutboxMessage.template.like("privacy-notice:%"))
    assert len(written) == sum(1 for r in first if r["reply"]) + notices and notices > 0
    assert main(["demo", "--json"]) == 0
    second = _lines(capsys)
    assert [r["case"] for r in second] == [r["case"] for r in first]
    assert sorted((env / "demo-outbox").glob("*.eml")) == written
    assert all(r["reply"] is None for r in second)


def test_demo_uses_the_shipped_mailbox_from_any_folder(env: Path, capsys) -> None:
    assert main(["demo", "--json"]) == 0
    assert len(_lines(capsys)) == 24


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["extract", "no-such.eml"], "pss-intake: error: no such file or folder: no-such.eml"),
        (["import", "missing-dir/"], "pss-intake: error: no such file or folder: missing-dir"),
        (["--config", "absent.yaml", "import", "x"],
         "pss-intake: error: config file not found: absent.yaml"),
    ],
)
def test_bad_input_gives_one_line_error(env: Path, capsys, argv: list[str],
                                        message: str) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err == message + "\n"


def test_bad_arguments_exit_2_without_traceback(env: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pss_intake.cli", "extract"],
                            capture_output=True, text=True, cwd=env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "the following arguments are required: FILE.eml" in result.stderr


def test_help_describes_every_subcommand(env: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pss_intake.cli", "--help"],
                            capture_output=True, text=True, cwd=env)
    assert result.returncode == 0
    for command in ("extract", "import", "demo", "run", "poll"):
        assert command in result.stdout


def test_config_option_and_environment_override(env: Path, capsys,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    config = env / "other.yaml"
    config.write_text(f"database:\n  url: sqlite:///{env / 'from-file.db'}\n", encoding="utf-8")
    monkeypatch.delenv("PSS_INTAKE_DATABASE__URL")
    assert main(["--config", str(config), "import", str(SAMPLES / "S01.eml")]) == 0
    assert (env / "from-file.db").exists()
    monkeypatch.setenv("PSS_INTAKE_DATABASE__URL", f"sqlite:///{env / 'from-env.db'}")
    assert main(["--config", str(config), "import", str(SAMPLES / "S01.eml")]) == 0
    assert (env / "from-env.db").exists()


def test_unreadable_message_is_stored_and_flagged_not_a_crash(env: Path, capsys) -> None:
    junk = env / "junk.eml"
    junk.write_bytes(b"\x00\xff\xfe garbage \x00" * 50)
    assert main(["import", str(junk), "--json"]) == 0
    [record] = _lines(capsys)
    assert record["action"] == "review"
    assert record["state"] == "needs_review"
    assert "unparseable-message" in {f["rule"] for f in record["flags"]}
    assert _count(RawMessage) == 1


@pytest.mark.parametrize(
    ("env_var", "value", "message"),
    [
        ("PSS_INTAKE_DATABASE__URL", "garbage",
         "pss-intake: error: database URL is not valid: garbage"),
        ("PSS_INTAKE_LOGGING__LEVEL", "LOUD",
         "pss-intake: error: invalid settings (from the environment): logging.level: Input "
         "should be 'DEBUG', 'INFO', 'WARNING', 'ERROR' or 'CRITICAL'"),
    ],
)
def test_environment_problems_are_one_line_errors(env: Path, capsys, monkeypatch,
                                                  env_var: str, value: str,
                                                  message: str) -> None:
    monkeypatch.setenv(env_var, value)
    assert main(["import", str(SAMPLES / "S01.eml")]) == 1
    assert capsys.readouterr().err == message + "\n"


def test_unreachable_postgresql_is_a_one_line_error(env: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("PSS_INTAKE_DATABASE__URL", "postgresql://nobody@127.0.0.1:1/x")
    assert main(["import", str(SAMPLES / "S01.eml")]) == 1
    err = capsys.readouterr().err
    if importlib.util.find_spec("psycopg") is None:  # installed without the postgres extra
        assert err == ("pss-intake: error: missing Python module psycopg (for PostgreSQL: pip "
                       "install 'pss-intake[postgres]' and a URL starting postgresql+psycopg://)\n")
    else:  # nothing listens on port 1
        assert err.startswith("pss-intake: error: cannot upgrade database schema: "
                              "OperationalError: ") and err.count("\n") == 1
        assert "Connection refused" in err


def test_config_that_is_not_a_regular_file_is_refused_at_once(env: Path, capsys) -> None:
    assert main(["--config", "/dev/zero", "demo"]) == 1
    assert capsys.readouterr().err == (
        "pss-intake: error: config file /dev/zero is not a regular file\n")


def test_secret_in_config_is_refused_whatever_the_case_of_its_keys(env: Path, capsys) -> None:
    config = env / "up.yaml"
    config.write_text("IMAP:\n  Password: hunter2\n", encoding="utf-8")
    assert main(["--config", str(config), "import", str(SAMPLES / "S01.eml")]) == 1
    err = capsys.readouterr().err
    assert err == (f"pss-intake: error: {config}: imap.password is a secret; set it in the "
                   "environment as PSS_INTAKE_IMAP__PASSWORD\n")
    assert "hunter2" not in err


def test_a_mistyped_key_is_named_without_echoing_its_value(env: Path, capsys) -> None:
    config = env / "typo.yaml"
    config.write_text("imap:\n  passwd: hunter2\n", encoding="utf-8")
    assert main(["--config", str(config), "import", str(SAMPLES / "S01.eml")]) == 1
    err = capsys.readouterr().err
    assert "imap.passwd: Extra inputs are not permitted" in err
    assert "hunter2" not in err


def test_serve_refuses_a_port_out_of_range(env: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pss_intake.cli", "serve", "--port", "99999"],
                            capture_output=True, text=True, cwd=env)
    assert result.returncode == 2
    assert "argument --port: not a port number (1-65535): 99999" in result.stderr
    assert "Traceback" not in result.stderr


def test_extract_trace_prints_each_stage(env: Path, capsys) -> None:
    letter = (Path(__file__).parent / "fixtures"
              / "unseen7_letter_letterhead_switchboard_nominee_telephone_line.eml")
    assert main(["extract", str(letter), "--trace"]) == 0
    out = capsys.readouterr().out
    stages = [line[3:] for line in out.splitlines() if line.startswith("== ")]
    assert stages == ["regions", "organisation blocks", "people (role rows)", "ambiguities",
                      "statements", "organisation", "values (stage, confidence, evidence)"]
    blocks = out.split("== organisation blocks\n", 1)[1].split("== ", 1)[0]
    assert "   new line 5: Telephone: 0113 496 0180\n" in blocks
    assert ("   nominee: Leopold Fairweather-Nkemelu <leopold.fairweather-nkemelu@nhs.net> "
            "+441134960181 [origin prose; row cue-nominee]\n") in out
    assert "   nominees[0].phone: prose, high, role decided by cue-nominee\n" in out
