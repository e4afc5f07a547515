"""Helper functions reused by @subdag; not a dataflow of their own.

The driver script does not name this module: its functions only enter the
graph through the @subdag in ``summaries.py``.
"""

import pandas as pd


def total(series: pd.Series) -> float:
    """Sum of the series."""
    return float(series.sum())


def average(series: pd.Series) -> float:
    """Mean of the series."""
    return float(series.mean())


def stats(total: float, average: float) -> dict[str, float]:
    """Total and average together."""
    return {"total": total, "average": average}
