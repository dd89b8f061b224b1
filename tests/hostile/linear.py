"""Timing helper for the "every text path is linear" tests: a ratio, not a micro-timing.

:func:`assert_linear` times a function on a quarter-size and a full-size input (best of three,
so a busy machine's pauses do not count) and checks that four times the input costs well under
sixteen times the time (quadratic), with a generous absolute bound on the full-size run.
"""

from __future__ import annotations

import time
from collections.abc import Callable

#: Four times the input: linear is about 4x the time, quadratic 16x. Noise allowance up to 9x.
MAX_RATIO = 9.0


def _best(fn: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - start)
    return best


def assert_linear(fn: Callable[[str], object], make: Callable[[int], str], *,
                  size: int = 1_000_000, bound: float = 10.0) -> float:
    """Assert ``fn(make(size))`` is linear in ``size`` characters; returns its seconds.

    ``make(n)`` builds the worst input of about ``n`` characters. Below 0.2 s for the full
    size the ratio is noise (a quarter megabyte fits the processor's cache, a megabyte does
    not: up to 15x for linear work) and only the bound is checked.
    """
    small = _best(fn, make(size // 4))
    big = _best(fn, make(size))
    assert big < bound, f"{size:,} characters took {big:.2f} s"
    if big > 0.2:
        assert big / max(small, 1e-6) < MAX_RATIO, f"x4 input took x{big / small:.1f} time"
    return big
