"""APPEND .eml files to a folder of the test Dovecot (tests/services/dovecot_up.sh).

    python tests/services/append.py [--port 10143] [--folder INBOX] FILE.eml...
"""

from __future__ import annotations

import argparse
from pathlib import Path

from imapclient import IMAPClient


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=10143)
    parser.add_argument("--folder", default="INBOX")
    parser.add_argument("--user", default="test")
    parser.add_argument("--password", default="secret")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    with IMAPClient("127.0.0.1", port=args.port, ssl=False, timeout=10) as client:
        client.login(args.user, args.password)
        for path in args.files:
            # IMAP carries CRLF line ends.
            data = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            client.append(args.folder, data)
            print(f"appended {path}")


if __name__ == "__main__":
    main()
