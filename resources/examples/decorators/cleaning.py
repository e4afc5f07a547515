"""@pipe_input and @mutate: small transformations chained onto a node."""

import pandas as pd
from hamilton.function_modifiers import apply_to, mutate, pipe_input, step, value


def _drop_negative(series: pd.Series) -> pd.Series:
    return series[series >= 0]


def _cap(series: pd.Series, upper: float) -> pd.Series:
    return series.clip(upper=upper)


@pipe_input(step(_drop_negative), step(_cap, upper=value(500.0)))
def revenue_clean(revenue: pd.Series) -> pd.Series:
    """Revenue without refunds and with outliers capped, ready for reporting."""
    return revenue


def unit_price_clean(unit_price: pd.Series) -> pd.Series:
    """Unit prices, rounded to whole cents by the mutation below."""
    return unit_price


@mutate(apply_to(unit_price_clean))
def _round_cents(unit_price_clean: pd.Series) -> pd.Series:
    return unit_price_clean.round(2)
