"""The CPU-heavy synthetic dataflow of `bench/bench_executors.py`, and its calibration.

Eight (or `branches`) independent branches of a small simulation: a matrix
product and `tanh` per step (BLAS and the ufunc release the GIL) plus some
Python bookkeeping on a few rows (which holds it). `calibrate` picks the
number of steps that makes one branch take the wanted seconds here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

SEED = 20240601
SIZE = 160
"""Matrices are SIZE x SIZE: a step (product, tanh, bookkeeping) takes 0.3-0.4 ms here."""
ROWS = 8
"""Rows summed in Python per step: over a quarter of a step's time, the GIL held."""

FLOW_HEADER = '''"""Synthetic CPU-heavy dataflow: {branches} independent branches of numpy work."""

import numpy as np

SIZE = {size}
ROWS = {rows}
STEPS = {steps}


def _advance(state: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """One step of the simulation: BLAS and a ufunc, the GIL released."""
    return np.tanh(state @ weights)


def _bookkeeping(state: np.ndarray, step: int) -> float:
    """Statistics of a few rows in plain Python, the GIL held."""
    acc = 0.0
    for offset in range(ROWS):
        for x in state[(step + offset) % SIZE].tolist():
            acc += x * x - 0.5 * x
    return acc / (ROWS * SIZE)


def _work(index: int, seed: int, steps: int) -> float:
    """A bounded, deterministic value: tanh keeps the state in [-1, 1]."""
    rng = np.random.default_rng(seed * 1000 + index)
    state = rng.standard_normal((SIZE, SIZE))
    weights = rng.standard_normal((SIZE, SIZE)) / np.sqrt(SIZE)
    kept = 0.0
    for step in range(steps):
        state = _advance(state, weights)
        kept += _bookkeeping(state, step)
    return kept / steps + float(state.mean())


def seed() -> int:
    return {seed}
'''

FLOW_BRANCH = """

def branch_{index}(seed: int) -> float:
    return _work({index}, seed, STEPS)
"""

FLOW_TOTAL = """

def total({params}) -> float:
    return {expression}
"""


def flow_source(branches: int, steps: int) -> str:
    source = FLOW_HEADER.format(branches=branches, size=SIZE, rows=ROWS, steps=steps, seed=SEED)
    source += "".join(FLOW_BRANCH.format(index=i) for i in range(branches))
    names = [f"branch_{i}" for i in range(branches)]
    params = ", ".join(f"{name}: float" for name in names)
    return source + FLOW_TOTAL.format(params=params, expression=" + ".join(names))


@dataclass
class Calibration:
    steps: int
    step_ms: float
    gil_share: float
    """The share of a step spent in the Python bookkeeping (GIL held), measured alone."""
    branch_seconds: float
    """One branch alone, at the calibrated steps, in this process."""


def calibrate(seconds: float) -> Calibration:
    """Steps per branch so that one branch alone takes `seconds` in this process."""
    namespace: dict[str, Any] = {}
    exec(compile(flow_source(1, 1), "heavy.py", "exec"), namespace)
    work, advance, bookkeeping = (namespace[n] for n in ("_work", "_advance", "_bookkeeping"))
    steps, elapsed = 25, 0.0
    while elapsed < 0.3:
        steps *= 2
        started = time.perf_counter()
        work(0, SEED, steps)
        elapsed = time.perf_counter() - started
    step = elapsed / steps
    import numpy as np

    rng = np.random.default_rng(SEED)
    state = rng.standard_normal((SIZE, SIZE))
    weights = rng.standard_normal((SIZE, SIZE)) / np.sqrt(SIZE)
    started = time.perf_counter()
    for index in range(200):
        bookkeeping(advance(state, weights), index)
    both = time.perf_counter() - started
    started = time.perf_counter()
    for index in range(200):
        bookkeeping(state, index)
    python = time.perf_counter() - started
    steps = max(1, round(seconds / step))
    started = time.perf_counter()
    work(0, SEED, steps)
    alone = time.perf_counter() - started
    return Calibration(steps, step * 1000, python / both, alone)
