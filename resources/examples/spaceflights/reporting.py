"""Evaluation metrics and a summary table for the people who set prices."""

import numpy as np
import pandas as pd
from matplotlib.figure import Figure


def r2_score(y_test: np.ndarray, y_pred: np.ndarray) -> float:
    """Share of the price variance the model explains (1.0 is perfect)."""
    residual = float(np.sum((y_test - y_pred) ** 2))
    total = float(np.sum((y_test - y_test.mean()) ** 2))
    return 1.0 - residual / total


def mean_absolute_error(y_test: np.ndarray, y_pred: np.ndarray) -> float:
    """Average size of a price error, in dollars."""
    return float(np.mean(np.abs(y_test - y_pred)))


def max_error(y_test: np.ndarray, y_pred: np.ndarray) -> float:
    """Worst price error on the held-out shuttles, in dollars."""
    return float(np.max(np.abs(y_test - y_pred)))


def evaluation_metrics(
    r2_score: float, mean_absolute_error: float, max_error: float
) -> dict[str, float]:
    """All evaluation figures in one place, as a report would show them."""
    return {
        "r2_score": r2_score,
        "mean_absolute_error": mean_absolute_error,
        "max_error": max_error,
    }


def price_by_shuttle_type(model_input_table: pd.DataFrame) -> pd.DataFrame:
    """Mean, minimum and maximum price per shuttle type."""
    grouped = model_input_table.groupby("shuttle_type")["price"]
    return grouped.agg(["count", "mean", "min", "max"]).round(1).reset_index()


def price_chart(price_by_shuttle_type: pd.DataFrame) -> Figure:
    """Mean price per shuttle type, with the range from cheapest to dearest."""
    figure = Figure(figsize=(5, 3.2))
    axes = figure.subplots()
    table = price_by_shuttle_type
    low = table["mean"] - table["min"]
    high = table["max"] - table["mean"]
    axes.bar(table["shuttle_type"], table["mean"], yerr=[low, high], capsize=6, color="#3b7ddd")
    axes.set_ylabel("price ($)")
    axes.set_title("Shuttle prices by type")
    figure.tight_layout()
    return figure
