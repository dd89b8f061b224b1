"""process_source over the local source with the real pipeline: every message stored once,
acknowledged after its commit; a second pass stores nothing; the progress bar is optional."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "imap"))

from mailgen import nomination  # noqa: E402

from ingest.folder import PathSource  # noqa: E402
from ingest.poller import _Progress, process_source  # noqa: E402
from pss_intake.config import Settings  # noqa: E402
from store.db import open_database  # noqa: E402


def test_local_folder_through_the_pipeline_twice(tmp_path: Path, database_url: str) -> None:
    mails = tmp_path / "mails"
    mails.mkdir()
    for n in (1, 2, 3):
        (mails / f"{n:02d}.eml").write_bytes(nomination(n))
    settings = Settings(database={"url": database_url})
    db = open_database(settings.database.url)
    source = PathSource([mails])

    first = process_source(db, settings, source)
    second = process_source(db, settings, PathSource([mails]))

    assert (first.fetched, first.stored, first.duplicates, first.filed) == (3, 3, 0, 0)
    assert dict(first.actions) == {"accept": 3}
    assert len(source.acknowledged) == 3
    assert (second.fetched, second.stored, second.duplicates) == (3, 0, 3)
    db.dispose()


def test_progress_bar_counts_the_backlog() -> None:
    class Source:
        backlog = 3

    bar = _Progress(Source(), True)  # type: ignore[arg-type]
    for _ in range(3):
        bar.advance()
    assert bar.bar is not None
    assert bar.bar.tasks[0].completed == 3 and bar.bar.tasks[0].total == 3
    bar.close()
    quiet = _Progress(Source(), None)  # stdout is not a terminal under pytest
    quiet.advance()
    assert quiet.bar is None
