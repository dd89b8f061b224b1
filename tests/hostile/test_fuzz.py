"""Issue 11, "The fuzz campaign as a tool": a short run of ``bench/fuzz.py`` in the suite, and
its reply checker tested on replies it must refuse."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

import fuzz  # type: ignore[import-not-found]  # noqa: E402

LAST = re.compile(r"fuzz: (\d+) messages · stored (\d+) · over budget (\d+) · errors (\d+) · "
                  r"bad replies (\d+)")


def test_short_fuzz_run_is_clean(tmp_path: Path) -> None:
    # A generous read time: CI shares its cores; a hang or a superlinear path still shows.
    done = subprocess.run([sys.executable, str(REPO / "bench" / "fuzz.py"), "--messages", "150",
                           "--seed", "11", "--read-seconds", "20"], capture_output=True,
                          text=True, timeout=280, cwd=tmp_path)
    last = done.stdout.strip().splitlines()[-1]
    m = LAST.fullmatch(last)
    assert m, done.stdout + done.stderr
    assert m.groups() == ("150", "150", "0", "0", "0"), done.stdout
    assert done.returncode == 0


ANSWERED = (b"From: Tom Reeve <tom.reeve@dunmore.nhs.uk>\r\nTo: pss@england.example\r\n"
            b"Subject: PSS\r\n\r\nbody")


def _reply(to: bytes) -> bytes:
    return b"From: pss@england.example\r\nTo: " + to + b"\r\nSubject: x\r\n\r\nthanks"


def test_checker_passes_a_good_reply() -> None:
    assert fuzz.bad_reply(_reply(b"Tom Reeve <tom.reeve@dunmore.nhs.uk>"),
                          ["tom.reeve@dunmore.nhs.uk"], ANSWERED) is None


def test_checker_refuses_what_must_not_go() -> None:
    two = _reply(b"SURNAME, Forename (TRUST) <tom.reeve@dunmore.nhs.uk>")
    assert fuzz.bad_reply(two, ["tom.reeve@dunmore.nhs.uk"], ANSWERED) == (
        "To/Cc parse to 2 mailboxes")
    assert fuzz.bad_reply(_reply(b"x@elsewhere.example"), ["x@elsewhere.example"],
                          ANSWERED) == "not the From or Reply-To of the message answered"
    eight_bit = _reply(b"=?utf-8?q?x?= <tom.reeve@n\xc3\xaerthshire.nhs.uk>")
    assert fuzz.bad_reply(eight_bit, ["tom.reeve@n\udcc3\udcaerthshire.nhs.uk"],
                          ANSWERED) is not None
    damaged = b"no colon here\r\nList-Id: <news.example>\r\n" + ANSWERED
    assert fuzz.bad_reply(_reply(b"tom.reeve@dunmore.nhs.uk"), ["tom.reeve@dunmore.nhs.uk"],
                          damaged) == "automatic mail answered"


def test_mutators_change_the_message() -> None:
    import random

    seed = fuzz.SEEDS[0].read_bytes()
    for mutator in [*fuzz.BYTE_LEVEL, *fuzz.STRUCTURAL]:
        out = mutator(random.Random(3), seed)
        assert out != seed, mutator.__name__
