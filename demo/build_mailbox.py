"""Rebuild demo/mailbox (a Maildir) from the ten shared samples and a selection of fixtures.

Messages are filed in date order (the Maildir file name starts with the Date header's Unix
time), so follow-ups come after the nominations they continue. Run from the repository root:
``.venv/bin/python demo/build_mailbox.py``.
"""

from __future__ import annotations

import email
import email.utils
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "demo" / "mailbox"
FIXTURES = [
    "first_outlook_html_table_msotablegrid", "first_two_nominees_outlook_star_bullets",
    "additional_bullets_existing_pss_named", "replacement_prose_outlook_html_cp1252",
    "followup_phone_1_original", "followup_phone_2_reply",
    "missing_nominee_successor_not_yet_named", "missing_guidance_not_yet_considered",
    "review_contradictory_type_label_vs_prose", "review_webmail_gmail_director_of_nursing",
    "review_not_a_nomination_network_meeting", "newsletter_list_bulk_mentions_pss",
    "autoreply_out_of_office_pa_number", "first_truncated_multipart",
]


def main() -> None:
    sources = sorted((ROOT / "tests" / "samples").glob("S*.eml"))
    sources += [ROOT / "tests" / "fixtures" / f"{name}.eml" for name in FIXTURES]
    if TARGET.exists():
        shutil.rmtree(TARGET)
    for sub in ("cur", "new", "tmp"):
        (TARGET / sub).mkdir(parents=True)
    for n, path in enumerate(sources, 1):
        raw = path.read_bytes()
        date = email.message_from_bytes(raw).get("Date")
        when = int(email.utils.parsedate_to_datetime(date).timestamp()) if date else 0
        (TARGET / "cur" / f"{when}.M{n}P1.pss-demo:2,S").write_bytes(raw)
    # git keeps no empty folders, and a Maildir needs all three.
    for sub in ("new", "tmp"):
        (TARGET / sub / ".keep").touch()
    print(f"{len(sources)} messages in {TARGET}")


if __name__ == "__main__":
    main()
