"""Benchmark: the reading stages' time per message on the corpus, against a floor.

Parses every message of tests/samples and tests/fixtures once (``parsing.parse_email``), then
times ``parsing.extract.extract`` on each parsed message, ``--rounds`` times (the best round
counts: the machine is shared). The floor is the parse itself in the same run, so the ratio
extract/parse is comparable across machines and loads. A fresh process per run: the stages'
caches are cleared before each round, so only repeats within a message are saved.

Usage: ``python bench/extraction.py [--rounds 3] [--root DIR]``; ``--root`` reads the code of
another checkout (e.g. an older commit unpacked with ``git archive``) to compare before/after
on the same corpus. Prints ms per message for parse and extract and their ratio.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def _corpus() -> list[bytes]:
    files = sorted((HERE / "tests" / "samples").glob("*.eml"))
    files += sorted((HERE / "tests" / "fixtures").glob("*.eml"))
    return [p.read_bytes() for p in files]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--root", type=Path, default=HERE)
    args = parser.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    parse_email = importlib.import_module("parsing").parse_email
    extract = importlib.import_module("parsing.extract").extract
    phones = importlib.import_module("parsing.extract.phones")
    assert Path(str(phones.__file__)).resolve().is_relative_to(args.root.resolve()), phones.__file__
    messages = _corpus()
    started = time.perf_counter()
    parsed = [parse_email(m) for m in messages]
    parse_s = time.perf_counter() - started
    best = float("inf")
    for _ in range(args.rounds):
        # Each round starts cold: a cache must not make later rounds look faster.
        for module, cache in (("phones", "_phones_in"), ("names", "_cached_name_mentions"),
                              ("textutil", "_cached_clean_text")):
            found = getattr(importlib.import_module(f"parsing.extract.{module}"), cache, None)
            if found is not None:
                found.cache_clear()
        started = time.perf_counter()
        for p in parsed:
            extract(p)
        best = min(best, time.perf_counter() - started)
    n = len(messages)
    print(f"code: {args.root.resolve()}")
    print(f"messages: {n}")
    print(f"parse (floor): {1000 * parse_s / n:.2f} ms/message")
    print(f"extract (best of {args.rounds}): {1000 * best / n:.2f} ms/message")
    print(f"extract / parse: {best / parse_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
