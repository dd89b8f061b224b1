"""``pss-intake retention`` and ``pss-intake person find|export|erase`` (docs/personal-data.md).

Output never carries the confidential job title or pay band; ``person find`` prints where the
person appears (tables, row ids, case references and roles), not the values themselves.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from pss_intake.config import Settings


def _error(message: str) -> Exception:
    from pss_intake.cli import CliError

    return CliError(message)


def retention_policy(settings: Settings) -> Any:
    """The :class:`privacy.retention.RetentionPolicy` that ``settings.retention`` describes."""
    from privacy.retention import RetentionPolicy

    return RetentionPolicy(**settings.retention.model_dump())


def _as_of(value: str | None) -> dt.datetime:
    if value is None:
        return dt.datetime.now(dt.UTC)
    return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), dt.UTC)


def cmd_retention(args: argparse.Namespace, settings: Settings, db: Any) -> int:
    from privacy.retention import apply_retention

    report = apply_retention(db, retention_policy(settings), now=_as_of(args.as_of),
                             dry_run=args.dry_run)
    if args.json:
        print(json.dumps(report.as_json()))
    else:
        verb = "would remove" if args.dry_run else "removed"
        for category, count in report.removed.items():
            print(f"{category.replace('_', ' ')}: {verb} {count}")
    return 0


def cmd_person(args: argparse.Namespace, settings: Settings, db: Any) -> int:
    from privacy.erasure import ErasureRefused, erase, export
    from privacy.person import find, pattern_for

    with db.transaction() as session:
        try:
            pattern = pattern_for(session, args.who)
        except ValueError as exc:
            raise _error(str(exc)) from exc
        places = find(session, pattern)
        if not places and not getattr(args, "json", False):
            what = {"find": "", "export": "; nothing exported",
                    "erase": "; nothing left to erase"}[args.action]
            if args.action == "export":
                raise _error(f"{args.who}: not found anywhere{what}")
            print(f"{args.who}: not found anywhere{what}")
            return 0
        if args.action == "find":
            if args.json:
                for place in places:
                    print(json.dumps(place.as_json()))
            for place in [] if args.json else places:
                print(f"{place.table} {place.row_id}\t{place.case or '-'}\t{place.role}")
            return 0
        now = dt.datetime.now(dt.UTC)
        if args.action == "export":
            count = export(session, pattern, Path(args.out), now=now)
            print(f"{count} place(s) exported to {args.out}")
            return 0
        try:
            report = erase(session, pattern, reason=args.reason, actor="cli", now=now,
                           dry_run=args.dry_run, force=args.force)
        except ErasureRefused as exc:
            raise _error(str(exc)) from exc
        print(json.dumps(report.as_json()) if args.json else
              f"{'would change' if args.dry_run else 'erased'}: {len(report.places)} place(s) "
              + ", ".join(f"{k} {v}" for k, v in sorted(report.changed.items())))
    return 0


def add_cli_commands(sub: Any, run: Any) -> None:
    """Register the subcommands; ``run(handler)`` wraps a handler taking (args, settings, db)."""
    p = sub.add_parser("retention", help="apply the retention schedule (config: retention)",
                       description="Remove personal data older than the retention periods, "
                                   "from every table that holds it, keeping tombstones.")
    p.add_argument("--dry-run", action="store_true", help="count what would go; change nothing")
    p.add_argument("--json", action="store_true", help="one JSON object with the counts")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="apply as on this date (default: now)")
    p.set_defaults(func=run(cmd_retention))

    person = sub.add_parser("person", help="a person's data: find, export, erase",
                            description="Find everywhere a person appears (by e-mail address "
                                        "or full name), export it, or erase it.")
    actions = person.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = actions.add_parser("find", help="every place the person appears")
    p.add_argument("who", metavar="EMAIL|NAME")
    p.add_argument("--json", action="store_true", help="one JSON line per place")
    p.set_defaults(func=run(cmd_person))
    p = actions.add_parser("export", help="a subject access export (.zip)")
    p.add_argument("who", metavar="EMAIL|NAME")
    p.add_argument("--out", metavar="FILE.zip", required=True)
    p.set_defaults(func=run(cmd_person))
    p = actions.add_parser("erase", help="erase or redact the person everywhere")
    p.add_argument("who", metavar="EMAIL|NAME")
    p.add_argument("--reason", required=True, help="why (recorded in the audit log)")
    p.add_argument("--dry-run", action="store_true", help="count what would change")
    p.add_argument("--force", action="store_true", help="even while a case naming them is open")
    p.add_argument("--json", action="store_true", help="the counts as JSON")
    p.set_defaults(func=run(cmd_person))
