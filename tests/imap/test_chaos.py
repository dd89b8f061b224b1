"""The kill campaign (bench/chaos.py) in short: two ``pss-intake run`` instances on the test
database (SQLite, or PostgreSQL under tests/services/pytest_on_postgres.sh), random SIGKILLs,
then nothing lost, nothing stored twice, every reply delivered exactly once."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _chaos():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("chaos", REPO / "bench" / "chaos.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["chaos"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.chaos
def test_short_kill_campaign_loses_and_repeats_nothing(database_url: str, tmp_path: Path) -> None:
    counts = _chaos().run_campaign(database_url, messages=20, kills=4, seed=7, settle=90,
                                   workdir=tmp_path)
    assert (counts.appended, counts.kills) == (20, 4)
    assert counts.summary() == (
        "chaos: lost 0 · duplicated 0 · replies twice 0 · replies missing 0")
    assert (counts.stored, counts.cases, counts.replies_delivered, counts.left_in_folder) == (
        20, 20, 20, 0)
