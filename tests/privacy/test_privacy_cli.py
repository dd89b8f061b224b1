"""``pss-intake retention`` and ``pss-intake person …`` as an operator runs them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from pss_intake.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PSS_INTAKE_DATABASE__URL", database_url)
    assert main(["import", str(SAMPLES / "S01.eml")]) == 0
    return tmp_path


def test_retention_dry_run_prints_counts_as_json(env: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["retention", "--dry-run", "--json", "--as-of", "2030-01-01"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["dry_run"] is True and report["as_of"] == "2030-01-01T00:00:00+00:00"
    assert set(report["removed"]) == {"confidential", "former_specialist", "outbox",
                                      "raw_mail", "not_a_nomination", "audit"}


def test_person_find_export_and_erase(env: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["person", "find", "priya.shah@northshire.nhs.uk", "--json"]) == 0
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {"table": "case_person", "id": 1, "case": "PSS-000001", "role": "nominee"} in found
    out = env / "sar.zip"
    assert main(["person", "export", "priya.shah@northshire.nhs.uk", "--out", str(out)]) == 0
    assert "summary.txt" in zipfile.ZipFile(out).namelist()
    assert main(["person", "erase", "priya.shah@northshire.nhs.uk", "--reason", "test"]) == 0
    capsys.readouterr()
    assert main(["person", "find", "priya.shah@northshire.nhs.uk", "--json"]) == 0
    assert capsys.readouterr().out == ""


def test_a_one_word_name_is_a_one_line_error(env: Path, capsys) -> None:
    assert main(["person", "find", "Priya"]) == 1
    assert capsys.readouterr().err == (
        "pss-intake: error: give an e-mail address, or a name of two words or more\n")


def test_import_json_leaves_out_confidential_values_unless_asked(database_url: str, capsys,
                                                                 monkeypatch) -> None:
    monkeypatch.setenv("PSS_INTAKE_DATABASE__URL", database_url)
    assert main(["import", str(SAMPLES / "S01.eml"), "--json"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    record = json.loads(line)
    assert record["nominees"] == [{"name": "Priya Shah", "email": "priya.shah@northshire.nhs.uk",
                                   "phone": "+447700900123"}]
    assert "confidential" not in record and "Head of Patient Safety" not in line
    assert main(["import", str(SAMPLES / "S01.eml"), "--json", "--confidential"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["confidential"] is True
    assert (record["nominees"][0]["job_title"], record["nominees"][0]["pay_band"]) == (
        "Head of Patient Safety", "8b")


def test_erasure_also_redacts_the_first_name_and_details_in_a_message_naming_them(
        env: Path, capsys, database_url: str) -> None:
    # S01 says "Priya will be the first PSS" as well as her full name, title and band.
    assert main(["person", "erase", "priya.shah@northshire.nhs.uk", "--reason", "r"]) == 0
    from store.db import Database

    db = Database(database_url)
    with db.engine.connect() as connection:
        content = connection.exec_driver_sql("SELECT content FROM raw_message").scalar_one()
    db.dispose()
    assert b"Priya" not in content and b"Head of Patient Safety" not in content
    assert b"Helen Marsh" in content  # the sender is someone else


def test_nothing_found_and_nothing_left_say_so(env: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["person", "find", "nobody@example.nhs.uk"]) == 0
    assert capsys.readouterr().out == "nobody@example.nhs.uk: not found anywhere\n"
    assert main(["person", "export", "nobody@example.nhs.uk", "--out", str(env / "x.zip")]) == 1
    assert capsys.readouterr().err == (
        "pss-intake: error: nobody@example.nhs.uk: not found anywhere; nothing exported\n")
    assert not (env / "x.zip").exists()
    assert main(["person", "erase", "priya.shah@northshire.nhs.uk", "--reason", "r"]) == 0
    capsys.readouterr()
    assert main(["person", "erase", "priya.shah@northshire.nhs.uk", "--reason", "r"]) == 0
    assert capsys.readouterr().out == (
        "priya.shah@northshire.nhs.uk: not found anywhere; nothing left to erase\n")
