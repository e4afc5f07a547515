"""@tag and @check_output: metadata for people, and checks on every run."""

import numpy as np
import pandas as pd
from hamilton.function_modifiers import check_output, tag


@tag(owner="finance", pii="false", tier="gold")
@check_output(data_type=np.float64, range=(0.0, 1_000_000.0), importance="fail")
def daily_revenue(revenue: pd.Series, date: pd.Series) -> pd.Series:
    """Revenue summed per calendar day; checked to be a non-negative float."""
    return revenue.groupby(date).sum().astype(np.float64)


@tag(owner="crm", pii="true")
def customer_order_count(customer_id: pd.Series) -> pd.Series:
    """Number of orders per customer id (tagged as personal data)."""
    return customer_id.value_counts().sort_index()
