"""A loopback SMTP server that keeps what it receives (aiosmtpd), for trying the service by hand.

    python tests/services/smtp_sink.py --port 10025 --maildir var/sent

Each accepted message is added to the Maildir (created if missing) and one line is printed
(Message-ID, In-Reply-To, Subject). Stop it with Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import mailbox
import signal
import threading
from email import message_from_bytes, policy
from typing import Any

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, box: mailbox.Maildir) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        data = envelope.original_content or envelope.content
        self.box.add(data)
        msg = message_from_bytes(data, policy=policy.default)
        print(f"received Message-ID={msg['Message-ID']} In-Reply-To={msg['In-Reply-To']} "
              f"Subject={msg['Subject']!s}", flush=True)
        return "250 2.0.0 Ok: kept"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=10025)
    parser.add_argument("--maildir", default="var/sent")
    args = parser.parse_args()
    box = mailbox.Maildir(args.maildir, create=True)
    controller = Controller(Keep(box), hostname=args.host, port=args.port, data_size_limit=None)
    controller.start()
    print(f"SMTP sink on {args.host}:{args.port} -> {args.maildir}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
