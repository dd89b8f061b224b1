"""Fuzz campaign: mutated copies of our own fixtures through ``pss-intake import`` (issue 11).

Usage: ``python bench/fuzz.py [--messages N] [--seed S] [--keep DIR] [--read-seconds S]``
(``--read-seconds`` overrides ``budgets.read_seconds`` for the run: the suite's short run
gives a loaded CI machine more time, since what it checks is that nothing hangs).

Builds ``N`` messages from ``tests/fixtures/*.eml`` and ``tests/samples/*.eml`` with byte-level
mutators (truncation, bit flips, inserted/deleted/duplicated ranges, line-end damage, 8-bit
bytes in headers) and structural ones (nested and duplicated MIME boundaries, lying charsets,
encoded-words in addresses, huge headers and bodies, hostile HTML, part and nesting bombs,
damaged header lines above automatic-mail markers, long display names with commas), writes
them to a folder and runs ``pss-intake import FILE... --json`` over them in chunks, each in a
fresh database shared by the whole run. Then it checks:

* **stored**: every distinct file is stored exactly once (one raw row per SHA-256), and
  ``import`` printed one line per file;
* **over budget**: a message that took longer than ``--limit-seconds`` (default: twice
  ``budgets.read_seconds``, which covers parse and extract; the rest is database work), or
  whose reading was stopped by the wall-time budget (``event=read-timeout``), or a chunk whose
  process had to be killed;
* **errors**: a traceback or ``event=processing-failed`` on stderr, a message the pipeline
  shunted ("could not be processed"), a missing line, or a non-zero exit;
* **bad replies**: a queued reply whose To header does not parse back to exactly one mailbox,
  that mailbox not valid ASCII syntax, not the From or Reply-To of the message answered (read
  from its raw bytes independently of the parser), or sent to automatic mail (Auto-Submitted
  other than ``no``, List-Id, Precedence bulk/list/junk, an empty Return-Path, a report),
  with the header block read past any damage.

Peak memory (the largest resident size of any ``import`` process) is printed too. The last
line reads ``fuzz: N messages · stored N · over budget N · errors N · bad replies N``; the exit
status is 1 when any of the last three is not zero.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import selectors
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.utils import getaddresses
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = [*sorted((REPO / "tests" / "fixtures").glob("*.eml")),
         *sorted((REPO / "tests" / "samples").glob("*.eml"))]
CHUNK = 100
#: Seconds without a line from ``import`` after which the process is taken as hung.
HANG_SECONDS = 120.0

Mutator = Callable[[random.Random, bytes], bytes]


# ------------------------------------------------------------------------------------------
# Mutators
# ------------------------------------------------------------------------------------------


def _split(raw: bytes) -> tuple[bytes, bytes]:
    for sep in (b"\r\n\r\n", b"\n\n"):
        i = raw.find(sep)
        if i >= 0:
            return raw[: i + len(sep)], raw[i + len(sep):]
    return raw, b""


def _nl(raw: bytes) -> bytes:
    return b"\r\n" if b"\r\n" in raw[:2000] else b"\n"


def _add_header(raw: bytes, line: bytes) -> bytes:
    return line + _nl(raw) + raw


def truncate(rng: random.Random, raw: bytes) -> bytes:
    return raw[: rng.randrange(1, max(2, len(raw)))]


def bit_flips(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 40)):
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)
    return bytes(data)


def insert_bytes(rng: random.Random, raw: bytes) -> bytes:
    i = rng.randrange(len(raw) + 1)
    junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    return raw[:i] + junk + raw[i:]


def delete_range(rng: random.Random, raw: bytes) -> bytes:
    i = rng.randrange(len(raw))
    return raw[:i] + raw[i + rng.randint(1, 400):]


def duplicate_range(rng: random.Random, raw: bytes) -> bytes:
    i = rng.randrange(len(raw))
    piece = raw[i: i + rng.randint(1, 2000)]
    return raw[:i] + piece * rng.randint(2, 30) + raw[i:]


def line_ends(rng: random.Random, raw: bytes) -> bytes:
    choice = rng.randrange(4)
    if choice == 0:
        return raw.replace(b"\r\n", b"\r")
    if choice == 1:
        return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n", rng.randint(1, 20))
    if choice == 2:
        head, body = _split(raw)
        lines = head.split(b"\n")
        i = rng.randrange(len(lines))
        lines[i] = lines[i].rstrip(b"\r") + b"\r"  # a bare CR: "\r\r\n"
        return b"\n".join(lines) + body
    return raw.replace(b"\n", b"\r\r\n", rng.randint(1, 5))


def eight_bit_header(rng: random.Random, raw: bytes) -> bytes:
    head, body = _split(raw)
    names = [b"From:", b"In-Reply-To:", b"References:", b"Subject:", b"Reply-To:", b"To:"]
    name = rng.choice(names)
    i = head.find(name)
    if i < 0:
        return _add_header(raw, name + b" <a\xeeb@x.example>")
    j = i + len(name) + rng.randrange(1, 30)
    return head[:j] + bytes([rng.randrange(128, 256)]) + head[j:] + body


def damaged_header_line(rng: random.Random, raw: bytes) -> bytes:
    """A line without a colon above an automatic-mail marker: must not be answered."""
    marker = rng.choice([b"List-Id: <news.example.nhs.uk>", b"Auto-Submitted: auto-replied",
                         b"Precedence: bulk", b"X-Mailer: Outlook"])
    damage = rng.choice([b"this line has no colon", b"Date: Mon, 3 Mar 2025 10:00 +0000\r",
                         b"\x00\x01 garbage"])
    nl = _nl(raw)
    return damage + nl + marker + nl + raw


def lying_charset(rng: random.Random, raw: bytes) -> bytes:
    liar = rng.choice([b"utf-16", b"iso-2022-jp", b"x-unknown-42", b"utf-7", b"cp1252",
                       b"utf-32-be", b'"' * 200])
    out = re.sub(rb"charset=\"?[\w-]+\"?", b"charset=" + liar, raw, count=rng.randint(1, 3),
                 flags=re.I)
    return out if out != raw else _add_header(raw, b"Content-Type: text/plain; charset=" + liar)


def encoded_word_address(rng: random.Random, raw: bytes) -> bytes:
    word = rng.choice([
        b"=?utf-8?q?victim=40nhs.net?= <attacker@evil.example>",
        b"=?utf-8?b?YUBiLmNvbSwgYkBjLmNvbQ==?= <x@y.example>",
        b"<=?utf-8?q?a=40b.example?=>",
        b"=?utf-8?q?Smith=2C_John_=28ICB=29?= <john.smith@nhs.net>",
    ])
    name = rng.choice([b"From", b"Reply-To"])
    return _add_header(re.sub(rb"(?im)^" + name + rb":", b"X-Old-" + name + b":", raw, count=1),
                       name + b": " + word)


def long_display_name(rng: random.Random, raw: bytes) -> bytes:
    """An NHSmail name of 80+ characters with a comma and maybe an unbalanced bracket."""
    name = "SURNAME-DOUBLEBARRELLED, Forename Middlename (NORTHSHIRE COMMUNITY HEALTHCARE " \
           "NHS FOUNDATION TRUST" + rng.choice([")", "", ") (", "\\"])
    line = f'From: "{name}" <fore.surname@nhs.net>'.encode()
    return _add_header(re.sub(rb"(?im)^From:", b"X-Old-From:", raw, count=1), line)


def huge_header(rng: random.Random, raw: bytes) -> bytes:
    n = rng.choice([5_000, 50_000, 300_000])
    kind = rng.randrange(4)
    if kind == 0:
        value = b", ".join(b"p%d@t%d.nhs.uk" % (i, i % 50) for i in range(n))
        return _add_header(raw, b"Cc: " + value)
    if kind == 1:
        return _add_header(raw, b"References: " + b" ".join(b"<r%d@x.example>" % i
                                                         for i in range(n)))
    if kind == 2:
        return _add_header(raw, b"Subject: " + b"PSS " * n)
    return _add_header(raw, b"Content-Type: text/plain; name=" + b'"' * n)


def huge_body(rng: random.Random, raw: bytes) -> bytes:
    head, _body = _split(raw)
    size = rng.choice([1, 3, 5]) * 1024 * 1024
    body = rng.choice([b"a", b"<", b" ", b"PSS ", b"Name: ", b"\n", b"07700 900123 "])
    head = re.sub(rb"(?im)^content-transfer-encoding:[^\n]*\n", b"", head)
    return head + body * (size // len(body))


def hostile_html(rng: random.Random, raw: bytes) -> bytes:
    n = rng.choice([10_000, 100_000, 300_000])
    html = rng.choice([
        b"<p>Dear team</p>" + b"<" * n,
        b"<div>" * n + b"Priya Shah" + b"</div>" * n,
        b"<p " + b"a=1 " * n + b">x</p>",
        b"<table>" * 2000 + b"<tr><td>Name:</td><td>Priya Shah</td></tr>" * 1000,
        b"<!--" * n,
        b"<a href='mailto:x@y.example'>" * (n // 10),
    ])
    head, _body = _split(raw)
    head = re.sub(rb"(?im)^content-(type|transfer-encoding):[^\n]*\n", b"", head)
    return _add_header(head, b"Content-Type: text/html; charset=utf-8") + html


def boundaries(rng: random.Random, raw: bytes) -> bytes:
    head, body = _split(raw)
    depth = rng.choice([3, 40, 200])
    head = re.sub(rb"(?im)^content-(type|transfer-encoding):[^\n]*\n", b"", head)
    same = rng.random() < 0.5
    out = b""
    for i in range(depth):
        b = b"B" if same else b"B%d" % i
        out += b"--" + b + b"\r\nContent-Type: multipart/mixed; boundary=" + (
            b"B" if same else b"B%d" % (i + 1)) + b"\r\n\r\n"
    out += b"--B\r\nContent-Type: text/plain\r\n\r\n" + body + b"\r\n--B--\r\n" * rng.randint(1, 3)
    return _add_header(head, b"Content-Type: multipart/mixed; boundary=B0" if not same
                       else b"Content-Type: multipart/mixed; boundary=B") + out


def bombs(rng: random.Random, raw: bytes) -> bytes:
    head, body = _split(raw)
    head = re.sub(rb"(?im)^content-(type|transfer-encoding):[^\n]*\n", b"", head)
    kind = rng.randrange(3)
    if kind == 0:  # many parts
        parts = b"".join(b"--P\r\nContent-Type: text/plain\r\n\r\nx\r\n" for _ in range(5000))
        return _add_header(head, b"Content-Type: multipart/mixed; boundary=P") + (
            b"\r\n" + parts + b"--P--\r\n")
    if kind == 1:  # base64 of zeros in an attachment
        import base64

        data = base64.encodebytes(b"\0" * (8 * 1024 * 1024))
        part = (b"--P\r\nContent-Type: text/plain\r\n\r\n" + body + b"\r\n--P\r\n"
                b"Content-Type: application/pdf; name=x.pdf\r\nContent-Transfer-Encoding: base64"
                b"\r\nContent-Disposition: attachment; filename=x.pdf\r\n\r\n" + data +
                b"--P--\r\n")
        return _add_header(head, b"Content-Type: multipart/mixed; boundary=P") + b"\r\n" + part
    inner = body  # nested message/rfc822
    for _ in range(rng.choice([20, 60])):
        inner = b"Content-Type: message/rfc822\r\n\r\nSubject: x\r\n" + inner
    return _add_header(head, b"Content-Type: message/rfc822") + inner


BYTE_LEVEL: list[Mutator] = [truncate, bit_flips, insert_bytes, delete_range, duplicate_range,
                             line_ends, eight_bit_header]
STRUCTURAL: list[Mutator] = [damaged_header_line, lying_charset, encoded_word_address,
                             long_display_name, boundaries, hostile_html]
#: Costly to build and to import: each picked with a small probability.
HEAVY: list[Mutator] = [huge_header, huge_body, bombs]


def mutate(rng: random.Random, raw: bytes) -> bytes:
    """One to three mutations of ``raw``; every 20th message gets a heavy one."""
    if rng.random() < 0.05:
        raw = rng.choice(HEAVY)(rng, raw)
    for _ in range(rng.randint(1, 3)):
        raw = rng.choice(BYTE_LEVEL + STRUCTURAL * 2)(rng, raw)
    return raw or b"x"


# ------------------------------------------------------------------------------------------
# Running import
# ------------------------------------------------------------------------------------------


@dataclass
class Result:
    lines: list[dict[str, object]] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    stderr: str = ""
    status: int = 0
    killed: bool = False
    peak_kib: int = 0
    warmup_reply: str | None = None


def _cli() -> str:
    found = Path(sys.executable).with_name("pss-intake")
    return str(found) if found.exists() else "pss-intake"


def run_import(files: list[Path], env: dict[str, str]) -> Result:
    """``pss-intake import WARMUP FILES --json``: each file's line with the seconds since the
    line before. The first file is :data:`SEEDS`' first, unmutated: its line absorbs the
    start-up time, and is dropped."""
    proc = subprocess.Popen([_cli(), "import", str(SEEDS[0]), *map(str, files), "--json"],
                            env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    assert proc.stdout is not None and proc.stderr is not None
    result = Result()
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, "out")
    sel.register(proc.stderr, selectors.EVENT_READ, "err")
    buffers = {"out": b"", "err": b""}
    last = time.monotonic()
    open_streams = 2
    while open_streams:
        events = sel.select(timeout=5)
        if not events and time.monotonic() - last > HANG_SECONDS:
            proc.kill()
            result.killed = True
        for key, _mask in events:
            chunk = os.read(key.fileobj.fileno(), 65536)  # type: ignore[union-attr]
            if not chunk:
                sel.unregister(key.fileobj)
                open_streams -= 1
                continue
            buffers[key.data] += chunk
            while key.data == "out" and b"\n" in buffers["out"]:
                line, buffers["out"] = buffers["out"].split(b"\n", 1)
                now = time.monotonic()
                result.seconds.append(now - last)
                last = now
                result.lines.append(json.loads(line))
    _pid, status, usage = os.wait4(proc.pid, 0)
    result.status = os.waitstatus_to_exitcode(status)
    result.peak_kib = usage.ru_maxrss
    result.stderr = buffers["err"].decode("utf-8", "replace")
    if result.lines:
        reply = result.lines[0].get("reply")
        result.warmup_reply = str(reply.get("message_id")) if isinstance(reply, dict) else None
    result.lines, result.seconds = result.lines[1:], result.seconds[1:]
    return result


# ------------------------------------------------------------------------------------------
# Checks
# ------------------------------------------------------------------------------------------


def _header_block(raw: bytes) -> bytes:
    """Every line up to the first blank one, damage and all (bare CRs as line ends too)."""
    head, _body = _split(raw.replace(b"\r\r\n", b"\r\n"))
    return head


def _fields(raw: bytes) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current: str | None = None
    for line in re.split(rb"\r\n|\n|\r", _header_block(raw)):
        text = line.decode("ascii", "replace")
        if text[:1] in (" ", "\t") and current:
            out[current][-1] += " " + text.strip()
            continue
        name, colon, value = text.partition(":")
        if colon and name.strip() and " " not in name.strip():
            current = name.strip().lower()
            out.setdefault(current, []).append(value.strip())
        else:
            current = None
    return out


def is_automatic(raw: bytes) -> bool:
    """RFC 3834 section 2, list headers (RFC 2369/2919), Precedence, empty Return-Path,
    delivery reports: read from the raw header block, past any damage."""
    fields = _fields(raw)
    if any(v.lower().split(";")[0].strip() not in ("", "no")
           for v in fields.get("auto-submitted", [])):
        return True
    if fields.get("list-id") or fields.get("list-unsubscribe"):
        return True
    if any(v.lower().strip() in ("bulk", "list", "junk") for v in fields.get("precedence", [])):
        return True
    if any(v.replace(" ", "") == "<>" for v in fields.get("return-path", [])):
        return True
    return any("multipart/report" in v.lower() for v in fields.get("content-type", []))


def sender_addresses(raw: bytes) -> set[str]:
    """addr-specs of the raw From and Reply-To fields (ASCII bytes only)."""
    fields = _fields(raw)
    values = [*fields.get("from", []), *fields.get("reply-to", [])]
    return {addr.lower() for _n, addr in getaddresses(values) if "@" in addr}


def _valid(addr: str) -> bool:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(addr, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        return False
    return addr.isascii()


def bad_reply(content: bytes, recipients: list[str], answered: bytes) -> str | None:
    """Why a queued reply must not go, or None."""
    head = BytesHeaderParser().parsebytes(content)
    to = getaddresses([str(v) for v in head.get_all("To", [])])
    cc = getaddresses([str(v) for v in head.get_all("Cc", [])])
    mailboxes = [a.lower() for _n, a in [*to, *cc]]
    if len(mailboxes) != 1 or [r.lower() for r in recipients] != mailboxes:
        return f"To/Cc parse to {len(mailboxes)} mailboxes"
    if not _valid(mailboxes[0]):
        return "not a valid ASCII mailbox"
    if mailboxes[0] not in sender_addresses(answered):
        return "not the From or Reply-To of the message answered"
    if is_automatic(answered):
        return "automatic mail answered"
    return None


# ------------------------------------------------------------------------------------------
# The campaign
# ------------------------------------------------------------------------------------------


def build(n: int, seed: int, folder: Path) -> list[Path]:
    rng = random.Random(seed)
    seeds = [p.read_bytes() for p in SEEDS]
    files = []
    for i in range(n):
        path = folder / f"{i:05d}.eml"
        path.write_bytes(mutate(rng, rng.choice(seeds)))
        files.append(path)
    return files


def _env(db: Path, read_seconds: float | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSS_INTAKE_")}
    env["PSS_INTAKE_DATABASE__URL"] = f"sqlite:///{db}"
    if read_seconds is not None:
        env["PSS_INTAKE_BUDGETS__READ_SECONDS"] = str(read_seconds)
    return env


def _stored(db: Path) -> tuple[int, dict[str, int], dict[int, str]]:
    """Raw rows, the number of rows per SHA-256, and each row's SHA-256 by id."""
    import sqlite3

    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT id, sha256 FROM raw_message").fetchall()
    finally:
        con.close()
    per: dict[str, int] = {}
    for _id, digest in rows:
        per[digest] = per.get(digest, 0) + 1
    return len(rows), per, dict(rows)


def _outbox(db: Path) -> dict[str, tuple[bytes, list[str]]]:
    """Every queued reply by its Message-ID: its bytes and envelope recipients. Privacy
    notices (UK GDPR Art. 14, to the people a completed case names, not to its sender) are not
    replies and are left out."""
    import sqlite3

    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT message_id, content, recipients FROM outbox "
                           "WHERE template NOT LIKE 'privacy-notice:%'").fetchall()
    finally:
        con.close()
    return {m: (bytes(c), json.loads(r)) for m, c, r in rows}


@dataclass
class Tally:
    messages: int = 0
    stored: int = 0
    over_budget: int = 0
    errors: int = 0
    bad_replies: int = 0
    peak_kib: int = 0
    replies: list[tuple[Path, str]] = field(default_factory=list)
    timeouts: list[int] = field(default_factory=list)
    warmup_replies: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"fuzz: {self.messages} messages · stored {self.stored} · over budget "
                f"{self.over_budget} · errors {self.errors} · bad replies {self.bad_replies}")


def _failed(line: dict[str, object]) -> bool:
    """The pipeline shunted the message: an exception while processing it (the
    ``unparseable-message`` flag with "could not be processed"; unreadable text is no error)."""
    flags = line.get("flags")
    return isinstance(flags, list) and any(
        isinstance(f, dict) and str(f.get("reason", "")).startswith(
            "The message could not be processed") for f in flags)


def _check_chunk(chunk: list[Path], result: Result, limit: float, tally: Tally) -> None:
    if result.warmup_reply:
        tally.warmup_replies.add(result.warmup_reply)
    for path, seconds, line in zip(chunk, result.seconds, result.lines, strict=False):
        reply = line.get("reply")
        if isinstance(reply, dict):
            tally.replies.append((path, str(reply.get("message_id"))))
        if seconds > limit:
            tally.over_budget += 1
            tally.notes.append(f"{path.name}: {seconds:.1f} s")
    timeouts = re.findall(r"event=read-timeout raw=(\d+)", result.stderr)
    tally.over_budget += len(timeouts) + (1 if result.killed else 0)
    tally.timeouts.extend(int(t) for t in timeouts)
    if result.killed:
        tally.notes.append(f"{chunk[len(result.lines)].name}: hung, killed")
    # A shunted message logs event=processing-failed too: counted once, from its line.
    failures = result.stderr.count("Traceback")
    failures += sum(1 for line in result.lines if _failed(line))
    if result.status != 0 and not result.killed:
        failures += 1
        tally.notes.append(f"{chunk[0].name}…: exit {result.status}: {result.stderr[-300:]}")
    if len(result.lines) != len(chunk) and not result.killed:
        failures += 1
        tally.notes.append(f"{chunk[0].name}…: {len(result.lines)} lines for {len(chunk)} files")
    tally.errors += failures
    tally.peak_kib = max(tally.peak_kib, result.peak_kib)


def campaign(n: int, seed: int, keep: Path | None, limit: float,
             read_seconds: float | None = None) -> Tally:
    """Build, import and check ``n`` messages; returns the tally."""
    with tempfile.TemporaryDirectory(prefix="pss-fuzz-") as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        files = build(n, seed, folder)
        db = Path(tmp) / "fuzz.db"
        tally = Tally(messages=n)
        index = 0
        while index < len(files):
            chunk = files[index: index + CHUNK]
            result = run_import(chunk, _env(db, read_seconds))
            _check_chunk(chunk, result, limit, tally)
            index += len(result.lines) + 1 if result.killed else len(chunk)
            print(f"  … {index}/{len(files)}: over budget {tally.over_budget}, errors "
                  f"{tally.errors}", file=sys.stderr, flush=True)
        digest_of = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
        rows, per_digest, by_id = _stored(db)
        # Every file, its bytes stored exactly once (two files may mutate to the same bytes).
        tally.stored = sum(1 for p in files if per_digest.get(digest_of[p]) == 1)
        distinct = len(set(digest_of.values()) | {hashlib.sha256(SEEDS[0].read_bytes())
                                                  .hexdigest()})
        if rows != distinct:
            tally.notes.append(f"{rows} raw rows for {distinct} distinct files")
        names = {d: p.name for p, d in digest_of.items()}
        for raw_id in tally.timeouts:
            tally.notes.append(f"{names.get(by_id.get(raw_id, ''), '?')}: read timeout")
        _check_replies(db, tally)
    return tally


def _check_replies(db: Path, tally: Tally) -> None:
    outbox = {k: v for k, v in _outbox(db).items() if k not in tally.warmup_replies}
    if len(outbox) != len(tally.replies):
        tally.bad_replies += abs(len(outbox) - len(tally.replies))
        tally.notes.append(f"{len(outbox)} replies queued, {len(tally.replies)} reported")
    for path, message_id in tally.replies:
        content, recipients = outbox.get(message_id, (b"", []))
        why = bad_reply(content, recipients, path.read_bytes())
        if why:
            tally.bad_replies += 1
            tally.notes.append(f"{path.name}: reply {why}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the mutated messages here")
    parser.add_argument("--read-seconds", type=float, default=None,
                        help="budgets.read_seconds for the import (default: the configured)")
    parser.add_argument("--limit-seconds", type=float, default=None,
                        help="time one message may take (default: 2 × budgets.read_seconds)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from pss_intake.config import Settings

    read_seconds = args.read_seconds or Settings().budgets.read_seconds
    limit = args.limit_seconds or 2 * max(read_seconds, 1.0)
    started = time.monotonic()
    tally = campaign(args.messages, args.seed, args.keep, limit, args.read_seconds)
    for note in tally.notes[:40]:
        print(f"  {note}")
    print(f"seed {args.seed}; {time.monotonic() - started:.0f} s; peak memory of an import "
          f"process {tally.peak_kib // 1024} MiB")
    print(tally.line())
    return 1 if tally.over_budget or tally.errors or tally.bad_replies else 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
