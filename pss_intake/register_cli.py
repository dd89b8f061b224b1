"""The register's commands: ``organisations import``, ``register import``, ``register
export`` and ``coverage``.

Imports run in one transaction: ``--dry-run`` prints what would change and rolls it back. A
malformed row is reported as ``FILE line N: why`` on standard error and the rest still load;
the exit status is then 1 (nothing is lost: fix the rows and import again, it is idempotent).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pss_intake.config import load_settings

__all__ = ["add_cli_commands"]


def _db(args: argparse.Namespace) -> Any:
    from store.db import open_database

    settings = load_settings(Path(args.config) if args.config else None)
    return open_database(settings.database.url)


def _report(report: Any, *, dry_run: bool, what: str) -> int:
    for line in report.changes if dry_run else []:
        print(line)
    for error in report.errors:
        print(f"pss-intake: {error}", file=sys.stderr)
    verb = "would be" if dry_run else "were"
    print(f"{what}: {report.added} {verb} added, {report.updated} updated, "
          f"{report.unchanged} unchanged, {len(report.errors)} row(s) with errors"
          + (" (dry run: nothing was changed)" if dry_run else ""), file=sys.stderr)
    return 1 if report.errors else 0


def _run_import(args: argparse.Namespace, load: Any, what: str) -> int:
    from pss_intake.cli import CliError
    from register.ods import OdsError

    db = _db(args)
    session = db.sessions()
    try:
        try:
            report = load(session)
        except OdsError as exc:
            raise CliError(str(exc)) from exc
        if args.dry_run:
            session.rollback()
        else:
            session.commit()
    finally:
        session.close()
        db.dispose()
    return _report(report, dry_run=args.dry_run, what=what)


def cmd_organisations_import(args: argparse.Namespace) -> int:
    """Load ODS CSV files (organisations and successors)."""
    from register.ods import import_organisations

    paths = [Path(p) for p in args.files]
    return _run_import(args, lambda s: import_organisations(s, paths, kind=args.kind),
                       "organisations")


def cmd_register_import(args: argparse.Namespace) -> int:
    """Load the team's roster of specialists in post."""
    from register.roster import import_roster

    return _run_import(args, lambda s: import_roster(s, Path(args.file)), "specialists")


def cmd_register_export(args: argparse.Namespace) -> int:
    """Print the register as CSV (job title and pay band only with --confidential)."""
    from register.export import register_csv, register_entries
    from store.models import AuditEntry

    db = _db(args)
    try:
        with db.transaction() as session:
            entries = register_entries(session, confidential=args.confidential,
                                       include_former=not args.in_post_only)
            session.add(AuditEntry(actor="command line", action="register-exported",
                                   new_value=f"{len(entries)} rows",
                                   field="restricted columns" if args.confidential else None))
    finally:
        db.dispose()
    sys.stdout.write(register_csv(entries, confidential=args.confidential))
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    """Print coverage: one JSON object per open organisation, or a table."""
    from register.coverage import coverage

    db = _db(args)
    try:
        with db.transaction() as session:
            rows = coverage(session, kind=args.kind, region=args.region)
    finally:
        db.dispose()
    if args.json:
        for row in rows:
            print(json.dumps(row.as_json(), ensure_ascii=False))
        return 0
    for row in rows:
        print(f"{row.ods_code:<6} {row.specialists_in_post:>3} in post {row.open_cases:>3} open "
              f"case(s)  {row.name}")
    return 0


def add_cli_commands(sub: Any) -> None:
    """Register ``organisations``, ``register`` and ``coverage`` on the subparsers ``sub``."""
    p = sub.add_parser("organisations", help="the ODS organisations (import)")
    org = p.add_subparsers(dest="organisations_command", metavar="ACTION", required=True)
    q = org.add_parser("import", help="load ODS CSV files (etr.csv, the ICB file, independent "
                                      "providers, succ.csv)",
                       description="Load the Organisation Data Service's headerless CSV files "
                                   "(27 columns) and its successor file succ.csv. Re-importing "
                                   "updates, never duplicates.")
    q.add_argument("files", nargs="+", metavar="FILE")
    q.add_argument("--kind", choices=("trust", "icb", "independent"),
                   help="the kind of organisation in these files (default: from the file "
                        "name, else the code)")
    q.add_argument("--dry-run", action="store_true", help="show what would change; change "
                                                          "nothing")
    q.set_defaults(func=cmd_organisations_import)

    p = sub.add_parser("register", help="the register of specialists (import, export)")
    reg = p.add_subparsers(dest="register_command", metavar="ACTION", required=True)
    q = reg.add_parser("import", help="load the team's roster of specialists in post",
                       description="Load a CSV with a header row naming ods_code, "
                                   "organisation, name, email, phone, job_title, pay_band, "
                                   "in_post_since (any order). Idempotent by (organisation, "
                                   "email).")
    q.add_argument("file", metavar="FILE.csv")
    q.add_argument("--dry-run", action="store_true", help="show what would change; change "
                                                          "nothing")
    q.set_defaults(func=cmd_register_import)
    q = reg.add_parser("export", help="print the register as CSV",
                       description="Print every specialist (in post and no longer in post, "
                                   "with who replaced whom) as CSV on standard output.")
    q.add_argument("--csv", action="store_true", help="CSV (the only format; the default)")
    q.add_argument("--confidential", action="store_true",
                   help="include the confidential job title and pay band columns")
    q.add_argument("--in-post-only", action="store_true", help="only specialists in post")
    q.set_defaults(func=cmd_register_export)

    p = sub.add_parser("coverage", help="open organisations and their specialists in post",
                       description="Every open ODS organisation with its number of "
                                   "specialists in post and open cases, those with none first.")
    p.add_argument("--json", action="store_true",
                   help='one JSON object per organisation: {"ods_code", "name", '
                        '"specialists_in_post", "open_cases"}')
    p.add_argument("--kind", choices=("trust", "icb", "independent"))
    p.add_argument("--region", metavar="CODE", help="national grouping, e.g. Y58")
    p.set_defaults(func=cmd_coverage)
