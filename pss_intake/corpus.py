"""A corpus of .eml files with their expected readings, and scoring against it.

Used by the tests and by ``bench/accuracy.py``. Two layouts are understood:

- a folder with ``expected.json`` (a list of entries with a ``file`` key), like the samples;
- a folder of ``NAME.eml`` files each with a sidecar ``NAME.expected.json``.

An entry has the keys of the JSON contract (DESIGN.md) plus ``expected_action``, optional
``flags`` (rule names), and ``thread_of`` (the file a follow-up continues). Each message is
read in a fresh database after the messages it continues, so readings never leak between
unrelated messages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.source import Incoming
from pss_intake.config import Settings
from pss_intake.pipeline import Outcome, ingest
from store.scratch import ScratchDatabases

PERSON_KEYS = ("name", "email", "phone", "job_title", "pay_band")
REPLACED_KEYS = ("name", "email", "phone")
FIELDS = ("classification", "nomination_type", "nominees", "replaced", "guidance_confirmed",
          "organisation", "missing", "action", "flags")


@dataclass(frozen=True, slots=True)
class Entry:
    """One corpus message: its file and what a correct reading gives."""

    path: Path
    expected: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.name


def load_corpus(folder: Path) -> list[Entry]:
    """The entries of ``folder`` in file-name order."""
    entries: list[Entry] = []
    listing = folder / "expected.json"
    if listing.exists():
        for item in json.loads(listing.read_text(encoding="utf-8")):
            entries.append(Entry(folder / item["file"], item))
    for sidecar in sorted(folder.glob("*.expected.json")):
        eml = sidecar.with_name(sidecar.name.removesuffix(".expected.json") + ".eml")
        entries.append(Entry(eml, json.loads(sidecar.read_text(encoding="utf-8"))))
    return sorted(entries, key=lambda e: e.name)


def chain(entry: Entry, entries: list[Entry]) -> list[Entry]:
    """``entry`` preceded by the messages it continues (``thread_of``), oldest first."""
    by_name = {e.name: e for e in entries}
    result = [entry]
    seen = {entry.name}
    while (parent := result[0].expected.get("thread_of")) and parent not in seen:
        seen.add(parent)
        result.insert(0, by_name[parent])
    return result


class FreshDatabases(ScratchDatabases):
    """Hands out empty, already-migrated databases quickly (copies of one template): SQLite
    files under ``folder``, or databases on the PostgreSQL server at ``server_url``."""


def read_entry(entry: Entry, entries: list[Entry], databases: FreshDatabases,
               settings: Settings) -> Outcome:
    """Import ``entry``'s chain into a fresh database; the outcome of ``entry`` itself."""
    db = databases.new()
    try:
        outcome = None
        for item in chain(entry, entries):
            outcome = ingest(db, settings, Incoming(item.path.read_bytes(), f"file:{item.path}"))
        assert outcome is not None
        return outcome
    finally:
        db.dispose()


def actual_fields(record: dict[str, Any]) -> dict[str, Any]:
    """The scored fields of an import record, in the expected files' shape."""
    return {
        "classification": record["classification"],
        "nomination_type": record["nomination_type"],
        "nominees": [{k: p.get(k) for k in PERSON_KEYS} for p in record["nominees"]],
        "replaced": [{k: p.get(k) for k in REPLACED_KEYS} for p in record["replaced"]],
        "guidance_confirmed": record["guidance_confirmed"],
        "organisation": record["organisation"],
        "missing": sorted(record["missing"]),
        "action": record["action"],
        "flags": sorted({f["rule"] for f in record["flags"]}),
    }


def expected_fields(expected: dict[str, Any]) -> dict[str, Any]:
    """The scored fields of an expected entry (``flags`` only when the entry lists them)."""
    out = {
        "classification": expected["classification"],
        "nomination_type": expected["nomination_type"],
        "nominees": [{k: p.get(k) for k in PERSON_KEYS} for p in expected["nominees"]],
        "replaced": [{k: p.get(k) for k in REPLACED_KEYS} for p in expected["replaced"]],
        "guidance_confirmed": expected["guidance_confirmed"],
        "organisation": expected["organisation"],
        "missing": sorted(expected["missing"]),
        "action": expected["expected_action"],
    }
    if "flags" in expected:
        out["flags"] = sorted(expected["flags"])
    return out


def differences(entry: Entry, record: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Field → (expected, actual) for every scored field that differs."""
    want = expected_fields(entry.expected)
    got = actual_fields(record)
    return {k: (v, got[k]) for k, v in want.items() if got[k] != v}
