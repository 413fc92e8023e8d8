"""Blow-up guards for pathological input, steady on a shared or busy machine.

A guard asks whether a piece of work could run away (a regular expression that backtracks,
a loop that goes quadratic), not how fast it is; speed lives in `bench/`. A single timing
on a 2-core CI machine can be stretched by a garbage collection of the whole suite's heap
or by a neighbour's burst, so the guard takes the fastest of a few runs with the collector
paused. A real blow-up is slow on every run, so it still fails.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

RUNS = 3


def fastest(work: Callable[[], T], runs: int = RUNS) -> tuple[T, float]:
    """The result of `work` and its fastest wall time over `runs` runs (at least one), in seconds."""
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        result = work()
        best = time.perf_counter() - started
        for _ in range(runs - 1):
            started = time.perf_counter()
            work()
            best = min(best, time.perf_counter() - started)
    finally:
        if was_enabled:
            gc.enable()
    return result, best
