"""The register's commands: organisations import (dry run, errors), register import and
export --csv, coverage --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pss_intake.cli import main
from tests.register.conftest import DATA, ODS_FILES

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PSS_INTAKE_DATABASE__URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return tmp_path


def test_imports_export_and_coverage(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(p) for p in ODS_FILES]
    assert main(["organisations", "import", *files, "--dry-run"]) == 0
    out = capsys.readouterr()
    assert "add RZA NORTHSHIRE HOSPITALS NHS FOUNDATION TRUST" in out.out
    assert "19 would be added" in out.err and "nothing was changed" in out.err
    assert main(["organisations", "import", *files]) == 0
    assert "19 were added, 3 updated" in capsys.readouterr().err
    assert main(["register", "import", str(DATA / "roster.csv")]) == 0
    assert "9 were added" in capsys.readouterr().err
    assert main(["import", str(SAMPLES / "S02.eml"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["organisation_code"] == "QZA"
    assert main(["register", "export", "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("organisation,name,email,phone,in_post,started_on,ended_on,replaced,"
                        "replaced_on,case,ods_code,replaced_by,replaced_by_case,source")
    assert ("NHS Wessex Vale Integrated Care Board,Daniel Okonkwo,daniel.okonkwo@nhs.net,"
            "+441174960342,yes,2025-04-01,,Sarah Whitfield,2025-04-01,PSS-000001,QZA,,,case"
            ) in lines
    assert main(["register", "export", "--csv", "--confidential"]) == 0
    assert "job_title,pay_band" in capsys.readouterr().out.splitlines()[0]
    assert main(["coverage", "--json", "--kind", "icb"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0] == {"ods_code": "QZB", "name": "NHS Kestrel Valley Integrated Care Board",
                       "specialists_in_post": 0, "open_cases": 0}
    assert {r["ods_code"]: r["specialists_in_post"] for r in rows} == {
        "QZB": 0, "QZX": 0, "QZF": 2, "QZA": 1, "QZC": 1}


def test_extract_matches_against_the_loaded_organisations(
        env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SAMPLES / "S05.eml"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["organisation_code"] is None
    assert main(["organisations", "import", *[str(p) for p in ODS_FILES]]) == 0
    capsys.readouterr()
    assert main(["extract", str(SAMPLES / "S05.eml"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["organisation_code"] == "QZB"


def test_a_bad_row_is_reported_and_exits_1(env: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "etr.csv"
    bad.write_text('"RZA","NORTHSHIRE"\n' + (DATA / "etr.csv").read_text())
    assert main(["organisations", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "pss-intake: etr.csv line 1: 2 columns, expected ODS's 27" in err
    assert "10 were added" in err
    assert main(["organisations", "import", str(tmp_path / "none.csv")]) == 1
    assert "none.csv" in capsys.readouterr().err
