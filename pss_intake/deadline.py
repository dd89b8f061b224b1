"""A wall-time limit on reading one message (``budgets.read_seconds``, issue 11).

:func:`deadline` raises :class:`ReadTimeout` inside the block once the time is up. In the main
thread a ``SIGALRM`` timer does it, which also stops a regular expression in the middle of a
match (CPython's ``re`` checks for signals); in another thread (the service's scheduler) the
exception is set on that thread asynchronously, which stops Python code at its next bytecode
but not one long call into C (lxml, a single regular expression match). Every text path is
linear or capped as well, so this is the last line, not the first.
"""

from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["ReadTimeout", "deadline"]


class ReadTimeout(BaseException):
    """The time for reading one message ran out. A BaseException, so that the parser's
    "never raise" handlers (``except Exception``) cannot swallow it."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise ReadTimeout()


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _set_async(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exc) if exc else None)


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"active": True, "fired": False}

    def fire() -> None:
        with lock:
            if state["active"]:
                state["fired"] = True
                _set_async(target, ReadTimeout)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["active"] = False
            if state["fired"]:
                _set_async(target, None)  # not raised yet: must not escape the block


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise :class:`ReadTimeout` in the block after ``seconds`` of wall time (0 or less: no
    limit). Nested deadlines in the main thread are not supported (the outer one is lost)."""
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread():
        with _alarm(seconds):
            yield
    else:
        with _watchdog(seconds):
            yield
