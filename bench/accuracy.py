"""Extraction accuracy on a corpus: how many values are exactly right, per field and overall,
how many messages get exactly the right action and missing list, and how many are wrongly
accepted (accepted while any value is wrong, or when the right action was not accept).

Usage: ``python bench/accuracy.py [FOLDER ...]`` (default: tests/samples and tests/fixtures).
Each message is imported through the whole pipeline into a fresh SQLite database, after the
messages it continues (``thread_of``). Prints one table per corpus and the messages that
differ, with the fields that differ (values withheld: they are personal data in real corpora).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pss_intake.config import Settings  # noqa: E402
from pss_intake.corpus import (  # noqa: E402
    PERSON_KEYS,
    REPLACED_KEYS,
    FreshDatabases,
    actual_fields,
    expected_fields,
    load_corpus,
    read_entry,
)


def _values(fields: dict[str, object]) -> dict[str, object]:
    """Flatten people into per-value keys: nominees[0].phone, ..."""
    flat: dict[str, object] = {}
    for key, value in fields.items():
        if key in ("nominees", "replaced"):
            keys = PERSON_KEYS if key == "nominees" else REPLACED_KEYS
            people: list[dict[str, object]] = value  # type: ignore[assignment]
            for i, person in enumerate(people):
                for k in keys:
                    flat[f"{key}.{k}#{i}"] = person.get(k)
            flat[f"{key}.count"] = len(people)
        else:
            flat[key] = value
    return flat


def score(folder: Path, databases: FreshDatabases, console: Console) -> tuple[int, int]:
    entries = load_corpus(folder)
    per_field: dict[str, list[int]] = {}
    exact_action_missing = 0
    all_right = 0
    wrongly_accepted: list[str] = []
    wrong: list[tuple[str, list[str]]] = []
    started = time.perf_counter()
    for entry in entries:
        record = read_entry(entry, entries, databases, Settings()).record
        want, got = _values(expected_fields(entry.expected)), _values(actual_fields(record))
        bad = []
        for key, value in want.items():
            field = key.split("#")[0]
            right = got.get(key) == value
            per_field.setdefault(field, [0, 0])
            per_field[field][0] += int(right)
            per_field[field][1] += 1
            if not right:
                bad.append(key.replace("#", "[") + ("]" if "#" in key else ""))
        if got["action"] == want["action"] and got["missing"] == want["missing"]:
            exact_action_missing += 1
        if got["action"] == "accept" and (bad or want["action"] != "accept"):
            # The worst outcome: registered with a wrong value, or when a person should decide.
            wrongly_accepted.append(entry.name)
        if not bad:
            all_right += 1
        else:
            wrong.append((entry.name, bad))
    elapsed = time.perf_counter() - started
    table = Table(title=f"{folder} ({len(entries)} messages, {elapsed:.1f} s)")
    table.add_column("field")
    table.add_column("right", justify="right")
    table.add_column("of", justify="right")
    table.add_column("%", justify="right")
    total_right = total = 0
    for field, (n_right, count) in sorted(per_field.items()):
        table.add_row(field, str(n_right), str(count), f"{100 * n_right / count:.1f}")
        total_right += n_right
        total += count
    table.add_row("[b]all values[/b]", str(total_right), str(total),
                  f"{100 * total_right / max(total, 1):.1f}")
    console.print(table)
    n = max(len(entries), 1)
    console.print(f"messages with exactly the right action and missing list: "
                  f"{exact_action_missing}/{len(entries)} ({100 * exact_action_missing / n:.1f}%)")
    console.print(f"messages read entirely right: {all_right}/{len(entries)} "
                  f"({100 * all_right / n:.1f}%)")
    console.print(f"wrongly accepted (accepted while a value is wrong or the right action was "
                  f"not accept): {len(wrongly_accepted)}/{len(entries)}"
                  + (f" ({', '.join(wrongly_accepted)})" if wrongly_accepted else ""))
    for name, bad in wrong:
        console.print(f"  [red]{name}[/red]: {', '.join(bad)}")
    return all_right, len(entries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path,
                        default=[ROOT / "tests" / "samples", ROOT / "tests" / "fixtures"])
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        databases = FreshDatabases(Path(tmp))
        results = [score(folder, databases, console) for folder in args.folders]
    right = sum(r for r, _ in results)
    total = sum(t for _, t in results)
    console.print(f"[b]overall: {right}/{total} messages read entirely right[/b]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
