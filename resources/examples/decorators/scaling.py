"""@config.when: the configuration picks which implementation becomes the node.

Run with ``{"scaling": "standard"}`` or ``{"scaling": "minmax"}``.
"""

import pandas as pd
from hamilton.function_modifiers import config


@config.when(scaling="standard")
def revenue_scaled__standard(revenue: pd.Series) -> pd.Series:
    """Revenue as a z-score: mean 0, standard deviation 1."""
    return (revenue - revenue.mean()) / revenue.std()


@config.when(scaling="minmax")
def revenue_scaled__minmax(revenue: pd.Series) -> pd.Series:
    """Revenue squeezed into the range 0 to 1."""
    return (revenue - revenue.min()) / (revenue.max() - revenue.min())
