"""@parameterize: one function, several nodes that differ by their arguments."""

import pandas as pd
from hamilton.function_modifiers import parameterize, source, value


@parameterize(
    revenue_rolling_7={"series": source("revenue"), "window": value(7)},
    revenue_rolling_30={"series": source("revenue"), "window": value(30)},
    quantity_rolling_7={"series": source("quantity"), "window": value(7)},
)
def rolling_mean(series: pd.Series, window: int) -> pd.Series:
    """Rolling mean of {series} over {window} orders."""
    return series.rolling(window, min_periods=1).mean()
