"""Realistic nomination e-mails made up on the spot (no real people: names from a fixed list,
numbers from Ofcom's drama ranges, domains under nhs.uk that do not exist).

Used by the real-server tests and by ``bench/backlog.py``. Each message ``n`` has its own
sender, organisation, nominee and Message-ID, so the pipeline makes one case per message.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import random
from email.utils import format_datetime

FIRST = ["Priya", "Daniel", "Aisha", "Tom", "Grace", "Oluwaseun", "Hannah", "Mohammed",
         "Siobhán", "Rhys", "Mei", "Callum", "Fatima", "Owen", "Zara", "Ewan"]
LAST = ["Shah", "Okonkwo", "Rahman", "Bennett", "Lloyd", "Adeyemi", "Clarke", "Iqbal",
        "Ní Bhriain", "Pritchard", "Chen", "Fraser", "Hussain", "Morgan", "Begum", "Reid"]
PLACES = ["Northshire", "Wessex Vale", "Eastmoor", "Kingsbridge", "Harrowdale", "Westfield",
          "Brackenridge", "Southmere", "Ashbourne", "Oakhampton", "Riverside", "Highcliff"]
EXECS = [("Helen", "Marsh", "Chief Nursing Officer"), ("Robert", "Kaye", "Medical Director"),
         ("Julia", "Osei", "Chief Executive"), ("Mark", "Dunmore", "Director of Nursing")]


def _ascii(name: str) -> str:
    return name.lower().replace(" ", "").replace("á", "a")


def person(n: int) -> dict[str, str]:
    """The made-up people and organisation of message ``n``."""
    first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
    place = PLACES[n % len(PLACES)]
    domain = f"{_ascii(place)}{n}.nhs.uk"
    ef, el, role = EXECS[n % len(EXECS)]
    return {
        "org": f"{place} {n} Hospitals NHS Foundation Trust",
        "domain": domain,
        "nominee": f"{first} {last}",
        "nominee_email": f"{_ascii(first)}.{_ascii(last)}{n}@{domain}",
        "phone": f"07700 900{n % 1000:03d}",
        "exec_first": ef, "exec_last": el, "exec_role": role,
        "exec_email": f"{ef.lower()}.{el.lower()}@{domain}",
    }


def nomination(n: int, *, phone: bool = True, comma_name: bool = False,
               message_id: str | None = None, date: dt.datetime | None = None,
               extra_headers: str = "") -> bytes:
    """A complete plain-text first nomination (→ accept), or without a phone (→ request_missing).

    ``comma_name`` writes the sender as ``"Marsh, Helen" <...>`` (a display name with a comma).
    """
    p = person(n)
    display = f'"{p["exec_last"]}, {p["exec_first"]}"' if comma_name else (
        f'{p["exec_first"]} {p["exec_last"]}')
    mid = message_id or f"<gen.{n}.{os.urandom(4).hex()}@mail.{p['domain']}>"
    when = format_datetime(date or dt.datetime(2025, 1, 13, 9, 12, 44, tzinfo=dt.UTC))
    phone_line = f"Telephone: {p['phone']}\n" if phone else ""
    body = (
        "Dear National Patient Safety Team,\n\n"
        "Please find below the Trust's nomination for a Patient Safety Specialist (PSS).\n\n"
        f"Organisation: {p['org']}\n"
        f"Nomination type: First - {p['nominee'].split()[0]} will be the first PSS identified "
        "for the Trust\n"
        f"Name: {p['nominee']}\n"
        "Job title: Head of Patient Safety\n"
        "Pay band: Band 8b\n"
        f"Email: {p['nominee_email']}\n"
        f"{phone_line}\n"
        'I confirm that the "Identifying Patient Safety Specialists" document has been '
        "considered in making this nomination.\n\n"
        f"Many thanks,\n\n{p['exec_first']}\n\n"
        f"{p['exec_first']} {p['exec_last']}\n{p['exec_role']}\n{p['org']}\n"
    )
    head = (
        f"From: {display} <{p['exec_email']}>\n"
        "To: PSS Nominations <pss.nominations@england.example>\n"
        f"Subject: Patient Safety Specialist nomination - {p['org']}\n"
        f"Date: {when}\n"
        f"Message-ID: {mid}\n"
        f"{extra_headers}"
        'Content-Type: text/plain; charset="utf-8"\n'
        "Content-Transfer-Encoding: 8bit\n"
        "MIME-Version: 1.0\n"
    )
    return (head + "\n" + body).replace("\n", "\r\n").encode("utf-8")


def with_attachment(n: int, size: int, *, seed: int = 0) -> bytes:
    """A nomination (multipart/mixed) carrying a ``size``-byte binary attachment (base64)."""
    plain = nomination(n).decode("utf-8")
    head, _, body = plain.partition("\r\n\r\n")
    head_lines = [line for line in head.split("\r\n")
                  if not line.lower().startswith(("content-type", "content-transfer"))]
    boundary = f"=_b{n}_{seed}"
    payload = random.Random(seed + n).randbytes(size)
    encoded = base64.encodebytes(payload).decode("ascii").replace("\n", "\r\n")
    parts = [
        "\r\n".join(head_lines),
        f'Content-Type: multipart/mixed; boundary="{boundary}"',
        "",
        f"--{boundary}",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: 8bit",
        "",
        body,
        f"--{boundary}",
        'Content-Type: application/pdf; name="nomination-letter.pdf"',
        'Content-Disposition: attachment; filename="nomination-letter.pdf"',
        "Content-Transfer-Encoding: base64",
        "",
        encoded,
        f"--{boundary}--",
        "",
    ]
    return "\r\n".join(parts).encode("utf-8")


def html_alternative(n: int) -> bytes:
    """A multipart/alternative nomination (text + quoted-printable HTML), Outlook style."""
    import quopri

    plain = nomination(n).decode("utf-8")
    head, _, body = plain.partition("\r\n\r\n")
    head_lines = [line for line in head.split("\r\n")
                  if not line.lower().startswith(("content-type", "content-transfer"))]
    paragraphs = "".join(f"<p class=MsoNormal>{line or '&nbsp;'}</p>\r\n"
                         for line in body.split("\r\n"))
    html = ("<html><head><meta http-equiv=Content-Type content=\"text/html; charset=utf-8\">"
            "<style>p.MsoNormal{margin:0cm;font-size:11.0pt;font-family:Calibri}</style>"
            f"</head><body lang=EN-GB>\r\n<div class=WordSection1>\r\n{paragraphs}"
            + "<p class=MsoNormal>&nbsp;</p>\r\n" * 40 + "</div></body></html>\r\n")
    qp = quopri.encodestring(html.encode("utf-8")).decode("ascii").replace("\n", "\r\n")
    boundary = f"=_alt{n}"
    parts = [
        "\r\n".join(head_lines),
        f'Content-Type: multipart/alternative; boundary="{boundary}"',
        "",
        f"--{boundary}",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: 8bit",
        "",
        body,
        f"--{boundary}",
        'Content-Type: text/html; charset="utf-8"',
        "Content-Transfer-Encoding: quoted-printable",
        "",
        qp,
        f"--{boundary}--",
        "",
    ]
    return "\r\n".join(parts).encode("utf-8")


def broken_mime(n: int) -> bytes:
    """A message with a broken MIME structure and nothing readable in it: a nested multipart
    with no boundary parameter, no closing boundary, and binary bytes declared as base64."""
    p = person(n)
    garbage = bytes(b if b not in (0, 10, 13) else 1 for b in random.Random(n).randbytes(600))
    return (
        f"From: {p['exec_first']} {p['exec_last']} <{p['exec_email']}>\r\n"
        "To: PSS Nominations <pss.nominations@england.example>\r\n"
        "Subject: PSS nomination\r\n"
        "Date: Mon, 13 Jan 2025 09:12:44 +0000\r\n"
        f"Message-ID: <broken.{n}.{os.urandom(4).hex()}@mail.{p['domain']}>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b1"\r\n'
        "\r\n"
        "--b1\r\n"
        "Content-Type: multipart/alternative\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
    ).encode("ascii") + garbage + b"\r\n--b1\r\n"
