"""Test-only crash points: ``PSS_INTAKE_TEST_CRASH_AT=NAME`` makes the process SIGKILL itself
when it reaches :func:`crash_point` ``NAME`` (``NAME#N``: the N-th time it is reached), to
prove that a crash there loses, duplicates and resends nothing (tests/imap/test_crash.py).
Unset in production: then a crash point costs one environment lookup.

Names: ``after-store`` (raw bytes committed), ``after-queue`` (case change and reply committed)
in the pipeline, ``in-processing`` (the case change made, not committed); ``after-mail-from``
(a reply claimed, MAIL FROM answered, no message text sent) and ``after-accept`` (the server
accepted the message, not yet recorded) in the SMTP sender.
"""

from __future__ import annotations

import os
import signal

CRASH_ENV = "PSS_INTAKE_TEST_CRASH_AT"


_reached: dict[str, int] = {}


def crash_point(name: str) -> None:
    """SIGKILL this process when ``$PSS_INTAKE_TEST_CRASH_AT`` is ``name``, or ``name#N`` and
    this is the N-th time the point is reached."""
    wanted = os.environ.get(CRASH_ENV)
    if not wanted or not wanted.startswith(name):
        return
    point, _, nth = wanted.partition("#")
    if point != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if not nth or _reached[name] == int(nth):
        os.kill(os.getpid(), signal.SIGKILL)
