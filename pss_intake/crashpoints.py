"""Test-only crash points: ``PSS_INTAKE_TEST_CRASH_AT=NAME`` makes the process SIGKILL itself
when it reaches :func:`crash_point` ``NAME``, to prove that a crash there loses, duplicates and
resends nothing (tests/imap/test_crash.py). Unset in production: then a crash point costs one
environment lookup.

Names: ``after-store`` (raw bytes committed), ``after-queue`` (case change and reply committed)
in the pipeline; ``after-claim`` (a reply claimed, nothing said to the server yet),
``after-mail-from`` (envelope started, no message text sent), ``after-accept`` (the server
accepted the message, not yet recorded) in the SMTP sender.
"""

from __future__ import annotations

import os
import signal

CRASH_ENV = "PSS_INTAKE_TEST_CRASH_AT"


def crash_point(name: str) -> None:
    """SIGKILL this process when ``$PSS_INTAKE_TEST_CRASH_AT`` is ``name``."""
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
