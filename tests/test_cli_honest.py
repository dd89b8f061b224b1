"""Honest commands: a database URL that keeps nothing is refused, the demo table fits 80
columns with missing items in words (the contract's keys in --json), and start-up says one
line about the schema and nothing of Alembic's plugins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pss_intake.cli import main, missing_words

HERE = Path(__file__).resolve().parent
SAMPLES = HERE / "samples"


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PSS_INTAKE_DATABASE__URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("PSS_INTAKE_DEMO__DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.setenv("PSS_INTAKE_DEMO__OUTBOX_DIR", str(tmp_path / "demo-outbox"))
    monkeypatch.setenv("COLUMNS", "80")
    return tmp_path


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:",
                                 "sqlite:///file::memory:?uri=true"])
@pytest.mark.parametrize("command", [["import", str(SAMPLES / "S01.eml")], ["chase"],
                                     ["poll", "--once"]])
def test_a_database_that_keeps_nothing_is_refused(
        env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        url: str, command: list[str]) -> None:
    monkeypatch.setenv("PSS_INTAKE_DATABASE__URL", url)
    assert main(command) == 1
    err = capsys.readouterr().err
    assert err.startswith("pss-intake: error: database URL ") and "keeps nothing" in err
    assert err.count("\n") == 1


def test_a_sqlite_file_in_a_missing_folder_is_an_error_except_var(
        env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PSS_INTAKE_DATABASE__URL", f"sqlite:///{env / 'typo' / 'x.db'}")
    assert main(["import", str(SAMPLES / "S01.eml")]) == 1
    assert capsys.readouterr().err == (
        f"pss-intake: error: the folder for the database does not exist: {env / 'typo'}/ "
        "(create it, or use the default var/)\n")
    assert not (env / "typo").exists()
    # The default folder of a fresh checkout is created.
    monkeypatch.setenv("PSS_INTAKE_DATABASE__URL", "sqlite:///var/pss-intake.db")
    assert main(["import", str(SAMPLES / "S01.eml"), "--json"]) == 0
    assert (env / "var" / "pss-intake.db").is_file()


@pytest.mark.parametrize(("item", "words"), [
    ("nominees[0].phone", "the new specialist's phone number"),
    ("nominees[1].email", "the 2nd new specialist's email address"),
    ("replaced[0].name", "the specialist replaced's name"),
    ("nomination_type", "the type of nomination"),
    ("guidance_confirmation", "confirmation the guidance was considered"),
])
def test_missing_items_in_words(item: str, words: str) -> None:
    assert missing_words(item) == words


def test_the_demo_table_fits_80_columns_with_the_case_column(
        env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if "message" in line and "action" in line)
    assert "case" in header.split()
    assert "PSS-000004" in out and "the new specialist's" in out and "phone number" in out
    assert "nominees[0].phone" not in out
    # --json keeps the contract's keys.
    assert main(["demo", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    missing = {m for r in records for m in r["missing"]}
    assert {"guidance_confirmation", "nominees[0].email", "nominees[0].phone"} <= missing


def test_start_up_says_one_line_about_the_schema(tmp_path: Path) -> None:
    environ = {**os.environ, "PSS_INTAKE_DATABASE__URL": f"sqlite:///{tmp_path / 's.db'}"}
    command = [sys.executable, "-m", "pss_intake.cli", "-v", "chase"]
    first = subprocess.run(command, capture_output=True, text=True, env=environ, timeout=120,
                           cwd=tmp_path)
    second = subprocess.run(command, capture_output=True, text=True, env=environ, timeout=120,
                            cwd=tmp_path)
    for run in (first, second):
        assert run.returncode == 0, run.stderr
        assert "alembic" not in run.stderr
        assert [line for line in run.stderr.splitlines() if "schema" in line] == [
            line for line in run.stderr.splitlines() if "event=schema-" in line]
    assert "event=schema-upgraded from=empty to=" in first.stderr
    assert first.stderr.count("event=schema-") == 1
    assert "event=schema-current revision=" in second.stderr
    assert second.stderr.count("event=schema-") == 1
