"""@extract_columns: one loader, and a node for each column it yields."""

import os

import pandas as pd
from hamilton.function_modifiers import extract_columns


@extract_columns("date", "region", "quantity", "unit_price", "customer_id")
def orders(data_dir: str) -> pd.DataFrame:
    """Daily orders, one row per order; each listed column becomes its own node."""
    frame = pd.read_csv(os.path.join(data_dir, "orders.csv"))
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def revenue(quantity: pd.Series, unit_price: pd.Series) -> pd.Series:
    """Money taken per order."""
    return quantity * unit_price
