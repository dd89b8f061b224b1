"""The ``pss-intake`` command line.

Subcommands: ``extract`` (read one message, store nothing), ``import`` (store and process
files, folders of .eml or Maildirs), ``demo`` (the sample mailbox shipped in the repo), ``run``
and ``poll`` (the mailbox service), ``serve`` (the review web app), ``user ...`` (its
accounts).
Errors are one line on standard error and a non-zero exit status: 2 for bad arguments,
1 for input or configuration problems, 70 for an internal error (with ``--debug``, the
traceback too).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pss_intake.config import ConfigError, Settings, load_settings

PROG = "pss-intake"
REPO_ROOT = Path(__file__).resolve().parent.parent


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit status 1."""


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(Path(args.config) if args.config else None)


def _setup_logging(settings: Settings, args: argparse.Namespace, *, quiet: bool) -> None:
    level = logging.DEBUG if args.verbose > 1 else (
        logging.INFO if args.verbose else (logging.WARNING if quiet else settings.logging.level)
    )
    handler = logging.StreamHandler(sys.stderr)
    if settings.logging.format == "json":
        from ingest.events import JsonLines

        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    # pdfminer logs the text it is reading at DEBUG: personal data must never reach a log.
    logging.getLogger("pdfminer").setLevel(logging.WARNING)


#: Commands that store something in the database (the URL must be able to keep it).
STORING = frozenset({"import", "demo", "run", "poll", "chase", "serve", "user", "retention",
                     "person"})
#: The one SQLite folder created when missing: the default ``var/`` of a fresh checkout.
DEFAULT_DATA_FOLDER = Path("var")


def check_storable_url(url: str) -> None:
    """Raise :class:`CliError` for a database URL that cannot keep what a command stores:
    an in-memory SQLite database (``sqlite://``, ``sqlite:///:memory:``) is gone when the
    command ends, and a SQLite file in a folder that does not exist is most likely a typo
    (only the default ``var/`` is created)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise CliError(f"database URL is not valid: {_safe_text(url)}") from exc
    if parsed.get_backend_name() != "sqlite":
        return
    database = parsed.database or ""
    if database in ("", ":memory:") or parsed.query.get("mode") == "memory" or (
            database.startswith("file::memory:")):
        raise CliError(f"database URL {url} keeps nothing after the command ends (an "
                       "in-memory SQLite database); give a file, e.g. sqlite:///var/pss-intake.db")
    folder = Path(database).parent
    if not folder.is_dir() and folder != DEFAULT_DATA_FOLDER:
        raise CliError(f"the folder for the database does not exist: {folder}/ (create it, "
                       "or use the default var/)")


def _safe_text(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url


def _open_db(url: str):  # type: ignore[no-untyped-def]
    from store.db import open_database

    return open_database(url)


def cmd_extract(args: argparse.Namespace) -> int:
    """Print what one message says (no database, nothing stored or sent)."""
    from ingest.errors import MailSourceError
    from ingest.folder import iter_path_messages

    settings = _settings(args)
    _setup_logging(settings, args, quiet=True)
    try:
        messages = list(iter_path_messages([args.file]))
    except MailSourceError as exc:
        raise CliError(str(exc)) from exc
    if len(messages) != 1:
        raise CliError(f"{args.file}: expected one message, found {len(messages)}")
    if args.trace:
        _print_trace(messages[0].content, settings)
        return 0
    record = _read_with_register(messages[0].content, settings)
    if args.json:
        print(json.dumps(record, ensure_ascii=False))
    else:
        _print_reading(record)
    return 0


def _print_trace(content: bytes, settings: Settings) -> None:
    """Each reading stage's output for one message (``extract --trace``)."""
    from parsing import parse_email
    from parsing.extract.trace import trace

    parsed = parse_email(content, own_addresses=settings.own_addresses())
    for stage, lines in trace(parsed):
        print(f"== {stage}")
        for line in lines:
            print(f"   {line}")


def _read_with_register(content: bytes, settings: Settings) -> dict[str, Any]:
    """Read a message; when the configured database exists, match its organisation against
    the ODS organisations loaded there (read only: nothing is stored, the schema is not
    upgraded)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from pss_intake.reading import read_message
    from store.db import Database

    url = make_url(settings.database.url)
    if url.get_backend_name() == "sqlite" and not (url.database and Path(url.database).is_file()):
        return read_message(content, settings)
    db = Database(settings.database.url)
    try:
        with db.sessions() as session:
            return read_message(content, settings, organisations=session)
    except SQLAlchemyError:
        # A database without the register's tables (or unreachable): read without it.
        return read_message(content, settings)
    finally:
        db.dispose()


def _print_reading(record: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_header=False, box=None)
    for key in ("classification", "nomination_type", "organisation", "organisation_code",
                "guidance_confirmed", "action"):
        table.add_row(key, str(record.get(key)))
    for role in ("nominees", "replaced"):
        for i, person in enumerate(record.get(role) or []):
            table.add_row(f"{role}[{i}]", ", ".join(f"{k}={v}" for k, v in person.items()))
    table.add_row("missing", ", ".join(record.get("missing") or []) or "-")
    table.add_row("flags", "; ".join(f["rule"] for f in record.get("flags") or []) or "-")
    Console().print(table)


def _ingest_paths(args: argparse.Namespace, paths: Sequence[str], db_url: str,
                  outbox: Path | None, *, as_json: bool, title: str) -> int:
    """Store and process every message under ``paths``; print a table or JSON lines. JSON
    lines leave out job titles and pay bands unless ``--confidential`` was given, and then
    each line says so (``"confidential": true``)."""
    from ingest.errors import MailSourceError
    from ingest.folder import iter_path_messages
    from pss_intake.pipeline import ingest
    from replies.folder import deliver_to_folder

    settings = _settings(args)
    _setup_logging(settings, args, quiet=True)
    db = _open_db(db_url)
    rows: list[tuple[str, Any]] = []
    out = _Output()
    skipped: list[tuple[Path, str]] = []
    try:
        for incoming in iter_path_messages(paths, skipped=skipped):
            outcome = ingest(db, settings, incoming)
            if as_json:
                out.line(json.dumps(_shown(outcome.record, args), ensure_ascii=False))
            rows.append((_label(incoming), outcome))
    except MailSourceError as exc:
        raise CliError(str(exc)) from exc
    if skipped:
        print(_skipped_line(skipped), file=sys.stderr)
    written = deliver_to_folder(db, outbox) if outbox is not None else []
    if not as_json:
        _print_outcomes(rows, written, outbox, title)
        print(f"database: {_safe_url(db_url)}", file=sys.stderr)
    return 0


def _shown(record: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    from pss_intake.contract import without_confidential

    if getattr(args, "confidential", False):
        return {**record, "confidential": True}
    return without_confidential(record)


class _Output:
    """Standard output that may be closed by its reader (``import --json | head -1``): once a
    write meets a broken pipe, the rest of the lines are dropped but every message is still
    stored and processed, and nothing is printed at exit."""

    closed = False

    def line(self, text: str) -> None:
        if self.closed:
            return
        try:
            print(text, flush=True)
        except BrokenPipeError:
            self.closed = True
            # Python flushes stdout at exit and would report the broken pipe again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)


def _skipped_line(skipped: list[tuple[Path, str]]) -> str:
    """"skipped 3 file(s): 2 not an .eml or .msg file (a.txt, b.pdf); 1 hidden file (.x)"."""
    by_reason: dict[str, list[str]] = {}
    for path, reason in skipped:
        by_reason.setdefault(reason, []).append(path.name)
    parts = [f"{len(names)} {reason} ({', '.join(names[:5])}{', …' if len(names) > 5 else ''})"
             for reason, names in by_reason.items()]
    return f"skipped {len(skipped)} file(s): " + "; ".join(parts)


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    # A password in the URL must not be printed.
    return make_url(url).render_as_string(hide_password=True)


def _label(incoming: Any) -> str:
    """How the table names a message: a file's name, or a Maildir message's Subject."""
    from pss_intake.pipeline import header_value

    kind, _, where = incoming.source.partition(":")
    if kind == "file":
        return Path(where).name
    return header_value(incoming.content, "Subject") or "(no subject)"


_ORDINALS = ("", "2nd ", "3rd ", "4th ", "5th ")
_FIELD_WORDS = {"name": "name", "email": "email address", "phone": "phone number"}


def missing_words(item: str) -> str:
    """A missing item of the contract in words for the table: ``nominees[0].phone`` → "the new
    specialist's phone number" (``--json`` keeps the contract's keys)."""
    import re

    if item == "nomination_type":
        return "the type of nomination"
    if item == "guidance_confirmation":
        return "confirmation the guidance was considered"
    match = re.fullmatch(r"(nominees|replaced)\[(\d+)\]\.(name|email|phone)", item)
    if match is None:
        return item
    index = int(match.group(2))
    nth = _ORDINALS[index] if index < len(_ORDINALS) else f"{index + 1}th "
    who = "new specialist" if match.group(1) == "nominees" else "specialist replaced"
    return f"the {nth}{who}'s {_FIELD_WORDS[match.group(3)]}"


def _print_outcomes(rows: list[tuple[str, Any]], written: list[Path], outbox: Path | None,
                    title: str) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console()
    # On a narrow terminal (or a pipe: 80 columns) the state column gives way, so the reasons
    # (what is missing, why a person must look) are never squeezed out.
    wide = console.width >= 110
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("message", no_wrap=True, overflow="ellipsis", max_width=30 if wide else 22)
    table.add_column("case", no_wrap=True)
    table.add_column("action", no_wrap=True)
    if wide:
        table.add_column("case after it", no_wrap=True)
    table.add_column("missing / flags", overflow="fold", min_width=16)
    for source, outcome in rows:
        record = outcome.record
        detail = "\n".join([*(missing_words(m) for m in record["missing"]),
                            *(f["rule"] for f in record["flags"])])
        if outcome.action == "ignore":
            detail = str(record["classification"]).replace("_", "-")
        # Messages handled by an earlier run are dimmed: nothing was done with them now.
        state = [(outcome.state or "-").replace("_", " ")] if wide else []
        table.add_row(source, outcome.case_reference or "-", outcome.action, *state,
                      detail or "-", style=None if outcome.created else "dim")
    console.print(table)
    new = sum(1 for _, o in rows if o.created)
    console.print(f"{len(rows)} message(s): {new} new, {len(rows) - new} already processed "
                  "(dimmed: their action is the one taken then; the missing items are the case "
                  "as it stands).")
    if outbox is not None:
        console.print(f"{len(written)} repl{'y' if len(written) == 1 else 'ies'} written to "
                      f"{outbox}/")


def cmd_import(args: argparse.Namespace) -> int:
    """Store and process each message under the given paths."""
    settings = _settings(args)
    outbox = Path(args.outbox) if args.outbox else None
    return _ingest_paths(args, args.paths, settings.database.url, outbox, as_json=args.json,
                         title="Imported messages")


def cmd_demo(args: argparse.Namespace) -> int:
    """Process the sample mailbox shipped in the repo into a local SQLite database."""
    settings = _settings(args)
    mailbox = _repo_path(settings.demo.mailbox)
    outbox = _repo_path(settings.demo.outbox_dir, must_exist=False)
    url = settings.demo.database_url
    if args.reset:
        _reset_demo(url, outbox)
    return _ingest_paths(args, [str(mailbox)], url, outbox, as_json=args.json,
                         title=f"pss-intake demo: {mailbox}")


def _repo_path(value: str, *, must_exist: bool = True) -> Path:
    path = Path(value)
    if path.is_absolute() or path.exists() or not must_exist:
        return path
    candidate = REPO_ROOT / path
    return candidate if candidate.exists() else path


def _reset_demo(url: str, outbox: Path) -> None:
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if make_url(url).get_backend_name() == "sqlite" and database:
        for suffix in ("", "-wal", "-shm"):
            Path(database + suffix).unlink(missing_ok=True)
    if outbox.is_dir():
        for file in outbox.glob("*.eml"):
            file.unlink()


def cmd_run(args: argparse.Namespace) -> int:
    """Run the mailbox service until SIGTERM/SIGINT."""
    service = _optional("pss_intake.service", "the mailbox service")
    settings = _settings(args)
    _setup_logging(settings, args, quiet=False)
    result: int = service.cmd_run(settings)
    return result


def cmd_poll(args: argparse.Namespace) -> int:
    """One pass: fetch and process new mail, then send the outbox."""
    service = _optional("pss_intake.service", "the mailbox service")
    settings = _settings(args)
    _setup_logging(settings, args, quiet=False)
    result: int = service.cmd_poll(settings, once=args.once)
    return result


def _iso_date(value: str) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from exc


def cmd_chase(args: argparse.Namespace) -> int:
    """Chase the cases awaiting information once (what ``run`` does every day)."""
    from pss_intake.chasers import run_chasers

    settings = _settings(args)
    _setup_logging(settings, args, quiet=True)
    db = _open_db(settings.database.url)
    try:
        outcomes = run_chasers(db, settings, as_of=args.as_of, dry_run=args.dry_run)
    finally:
        db.dispose()
    for outcome in outcomes:
        if args.json:
            print(json.dumps(outcome.record()), flush=True)
        else:
            due = outcome.next_due.isoformat() if outcome.next_due else "-"
            print(f"{outcome.case}  {outcome.action:<9}  chasers sent {outcome.chasers_sent}"
                  f"  next due {due}" + (f"  ({outcome.why})" if outcome.why else ""))
    if not args.json:
        acted = sum(1 for o in outcomes if o.action != "waiting")
        print(f"{len(outcomes)} case(s) awaiting information considered, {acted} acted on"
              + (" (dry run: nothing was changed)" if args.dry_run else ""), file=sys.stderr)
    return 0


def _optional(module: str, what: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise CliError(f"{what} is not available in this installation ({exc.name})") from exc


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (subcommands register their handler as ``func``)."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Read Patient Safety Specialist nomination emails: cases, replies and a "
                    "review queue.",
    )
    parser.add_argument("--config", metavar="PATH",
                        help="settings file (default: $PSS_INTAKE_CONFIG or ./config.yaml); "
                             "any setting can be overridden as PSS_INTAKE_<SECTION>__<KEY>")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="log more (repeat for debug)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("extract", help="print what one message says (stores nothing)",
                       description="Read one .eml file and print its classification, "
                                   "nomination fields, missing items, action and flags.")
    p.add_argument("file", metavar="FILE.eml")
    p.add_argument("--json", action="store_true",
                   help="one JSON object: classification, nomination_type, nominees, replaced, "
                        "guidance_confirmed, organisation, missing, action, flags")
    p.add_argument("--trace", action="store_true",
                   help="print each reading stage's output (regions, organisation blocks, "
                        "people with the role row that decided, ambiguities, statements, "
                        "each value's stage and confidence)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("import", help="store and process messages from files or Maildirs",
                       description="Store and process each message (a .eml file, a folder of "
                                   ".eml files, or a Maildir) into the configured database; "
                                   "follow-ups join their case. Replies are queued in the "
                                   "outbox (sent by 'run'/'poll', or written with --outbox).")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true",
                   help="one JSON line per message with the state of its case afterwards")
    p.add_argument("--outbox", metavar="DIR",
                   help="write pending replies to DIR as .eml files instead of sending them")
    p.add_argument("--confidential", action="store_true",
                   help="include job titles and pay bands in --json (each line then carries "
                        '"confidential": true); left out otherwise')
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("demo", help="process the sample mailbox shipped in the repo",
                       description="Process the sample mailbox (demo.mailbox) into a local "
                                   "SQLite database (demo.database_url), write each reply as "
                                   ".eml into demo.outbox_dir, and print a table. Running it "
                                   "again adds nothing and writes nothing twice.")
    p.add_argument("--json", action="store_true", help="JSON lines instead of the table")
    p.add_argument("--reset", action="store_true", help="start again from an empty database")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("run", help="run the mailbox service (IMAP polling/IDLE, SMTP outbox)",
                       description="Poll the IMAP mailbox (IDLE where offered) and send the "
                                   "outbox on a schedule until SIGTERM or SIGINT.")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("poll", help="one pass: fetch and process new mail, send the outbox",
                       description="Fetch and process new mail, then send the outbox, once.")
    p.add_argument("--once", action="store_true",
                   help="do one pass and exit (for cron); without it, keep polling like 'run'")
    p.set_defaults(func=cmd_poll)

    p = sub.add_parser("chase", help="chase cases awaiting information (once)",
                       description="Send a chaser on each case awaiting information that has "
                                   "had no answer for chasers.after_working_days working days; "
                                   "after chasers.max chasers, send the case to review. 'run' "
                                   "does this every day at chasers.daily_at.")
    p.add_argument("--as-of", type=_iso_date, metavar="YYYY-MM-DD",
                   help="act as on this day (to check what would go, or in tests)")
    p.add_argument("--dry-run", action="store_true", help="say what would happen; change nothing")
    p.add_argument("--json", action="store_true",
                   help='one JSON line per case: {"case", "action": "chased|escalated|waiting", '
                        '"chasers_sent", "next_due"}')
    p.set_defaults(func=cmd_chase)

    from pss_intake.register_cli import add_cli_commands as add_register_commands

    add_register_commands(sub)
    _add_review_commands(sub)
    from pss_intake.privacy_cli import add_cli_commands

    add_cli_commands(sub, _with_database)
    return parser


def _with_database(handler: Callable[[argparse.Namespace, Settings, Any], int]
                   ) -> Callable[[argparse.Namespace], int]:
    """A subcommand that works on the configured database: settings, logging, the database
    opened (and upgraded) before ``handler`` runs and closed after."""
    def run(args: argparse.Namespace) -> int:
        settings = _settings(args)
        _setup_logging(settings, args, quiet=True)
        db = _open_db(settings.database.url)
        try:
            return handler(args, settings, db)
        finally:
            db.dispose()
    return run


def _with_settings(handler: Callable[[argparse.Namespace, Settings], int]
                   ) -> Callable[[argparse.Namespace], int]:
    """A long-running subcommand (``serve``): settings and logging at the configured level."""
    def run(args: argparse.Namespace) -> int:
        settings = _settings(args)
        _setup_logging(settings, args, quiet=False)
        return handler(args, settings)
    return run


def _add_review_commands(sub: Any) -> None:
    """``serve`` and ``user ...`` (the review web app)."""
    from pss_intake.users_cli import add_cli_commands

    add_cli_commands(sub, _with_database, _with_settings)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse ``argv``, run the subcommand, map errors to exit statuses."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from sqlalchemy.exc import SQLAlchemyError

    from ingest.errors import MailSourceError
    from store.db import StoreError

    try:
        if args.command in STORING:
            settings = _settings(args)
            check_storable_url(settings.demo.database_url if args.command == "demo"
                               else settings.database.url)
        status: int = args.func(args)
        return status
    except (CliError, ConfigError, MailSourceError, StoreError) as exc:
        print(f"{PROG}: error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"{PROG}: error: database: {_one_line(exc)}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as exc:
        hint = (" (for PostgreSQL: pip install 'pss-intake[postgres]' and a URL starting "
                "postgresql+psycopg://)") if exc.name in ("psycopg", "psycopg2") else ""
        print(f"{PROG}: error: missing Python module {exc.name}{hint}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # Before OSError, of which it is a subclass: a reader that stopped early is no error.
        return 0
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        print(f"{PROG}: error: {exc.strerror or exc.__class__.__name__}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback by default
        if args.debug:
            raise
        print(f"{PROG}: internal error: {exc.__class__.__name__} (run with --debug for details)",
              file=sys.stderr)
        return 70


def _one_line(exc: BaseException) -> str:
    """The first line of an error's text (SQLAlchemy appends the SQL and its parameters)."""
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__


if __name__ == "__main__":
    sys.exit(main())
