"""Issue 11, "What broke" 9: one repeated character over 5 MB peaked at 735 MB, 20 MB at
2.7 GB (about 130 times the message; the body splitter alone added 400 MB). The text budget
(``budgets.text_chars``) caps what is decoded and split."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = """
import json, resource, sys, tempfile, pathlib
from pss_intake.config import Settings
from pss_intake.corpus import FreshDatabases
from pss_intake.pipeline import Incoming, ingest
from tests.hostile.mail import mail
raw = mail(body="") + sys.argv[1].encode() * (5 * 1024 * 1024)
db = FreshDatabases(pathlib.Path(tempfile.mkdtemp())).new()
ingest(db, Settings(), Incoming(mail(message_id="<warm@x.example>"), "warm-up"))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
outcome = ingest(db, Settings(), Incoming(raw, "test"))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"grew_kib": after - before, "size_kib": len(raw) // 1024,
                  "flags": [f["rule"] for f in outcome.record["flags"]]}))
"""


@pytest.mark.parametrize("char", ["=", "-", "a"])
def test_five_megabytes_of_one_character(char: str) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, char], capture_output=True, text=True,
                          timeout=240, cwd=REPO)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # Before: 127 times the message for "=" (638 MB over the start); now about 17 times.
    assert result["grew_kib"] < 25 * result["size_kib"], result
    assert "content-not-read" in result["flags"]
