"""Issue 11, "What broke" 10: ``import --json | head -1`` reported "Broken pipe", exited 1 and
stored only 2 of 10 files (BrokenPipeError is an OSError, and that branch came first)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from store.db import Database
from store.models import RawMessage

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_import_json_into_head_stores_every_file_and_exits_0(tmp_path: Path) -> None:
    db = tmp_path / "pipe.db"
    cli = Path(sys.executable).with_name("pss-intake")
    script = f"set -o pipefail; '{cli}' import '{SAMPLES}' --json | head -1"
    env = {"PATH": "/usr/bin:/bin", "PSS_INTAKE_DATABASE__URL": f"sqlite:///{db}"}
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env,
                          timeout=240, cwd=tmp_path)
    # Nothing but the line saying which file of the folder was not a message (issue 13).
    assert done.stderr == "skipped 1 file(s): 1 not an .eml or .msg file (expected.json)\n"
    assert done.returncode == 0
    assert done.stdout.count("\n") == 1
    database = Database(f"sqlite:///{db}")
    try:
        with database.transaction() as session:
            stored = session.execute(select(func.count()).select_from(RawMessage)).scalar_one()
    finally:
        database.dispose()
    assert stored == len(list(SAMPLES.glob("*.eml"))) == 10
