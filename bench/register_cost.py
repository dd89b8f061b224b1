"""What the register costs the pipeline: messages per second through ``ingest`` into a fresh
SQLite database with nothing loaded (the floor, same run) and with the fictional ODS sample and
roster loaded (organisation matching, cross-record facts, privacy notices), as a ratio.

Usage: ``python bench/register_cost.py [--copies N]`` (default 6: the ten samples six times, each
copy with its own Message-ID and sender so it opens its own case). Takes well under a minute.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pss_intake.config import Settings  # noqa: E402
from pss_intake.pipeline import Incoming, ingest  # noqa: E402
from register.ods import import_organisations  # noqa: E402
from register.roster import import_roster  # noqa: E402
from store.db import open_database  # noqa: E402

SAMPLES = ROOT / "tests" / "samples"
DATA = ROOT / "tests" / "fixtures" / "register"


def messages(copies: int) -> list[bytes]:
    """The samples ``copies`` times; copy k's Message-IDs and From addresses carry ``k``."""
    out = []
    for k in range(copies):
        for path in sorted(SAMPLES.glob("S*.eml")):
            raw = path.read_bytes()
            raw = raw.replace(b"Message-ID: <", f"Message-ID: <c{k}.".encode(), 1)
            out.append(raw.replace(b"@nhs.net>", f".c{k}@nhs.net>".encode()))
    return out


def run(folder: Path, name: str, batch: list[bytes], *, loaded: bool) -> float:
    """Seconds to ingest ``batch`` into a fresh database (register loaded or not)."""
    url = f"sqlite:///{folder / name}.db"
    db = open_database(url)
    if loaded:
        with db.transaction() as session:
            import_organisations(session, [DATA / f for f in ("etr.csv", "icb.csv",
                                                              "independent.csv", "succ.csv")])
            import_roster(session, DATA / "roster.csv")
    settings = Settings.model_validate({"database": {"url": url}})
    start = time.perf_counter()
    for raw in batch:
        ingest(db, settings, Incoming(raw, "bench"))
    elapsed = time.perf_counter() - start
    db.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=6)
    args = parser.parse_args()
    batch = messages(args.copies)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        run(folder, "warm", batch[:10], loaded=True)  # imports and caches warmed
        floor = run(folder, "empty", batch, loaded=False)
        loaded = run(folder, "loaded", batch, loaded=True)
    n = len(batch)
    print(f"{n} messages: nothing loaded {n / floor:.1f} msg/s; register loaded "
          f"{n / loaded:.1f} msg/s ({floor / loaded:.2f} × the floor)")


if __name__ == "__main__":
    main()
