"""Modelling: split the table, fit a linear price model with numpy, predict."""

import numpy as np
import pandas as pd

FEATURES = [
    "engines",
    "passenger_capacity",
    "crew",
    "d_check_complete",
    "moon_clearance_complete",
    "iata_approved",
    "company_rating",
    "review_scores_rating",
]


def feature_columns() -> list[str]:
    """The columns the price model learns from."""
    return list(FEATURES)


def test_rows(model_input_table: pd.DataFrame, test_size: float, random_state: int) -> np.ndarray:
    """Row positions held out for evaluation, drawn at random."""
    rng = np.random.default_rng(random_state)
    n_test = round(len(model_input_table) * test_size)
    return np.sort(rng.permutation(len(model_input_table))[:n_test])


def train_rows(model_input_table: pd.DataFrame, test_rows: np.ndarray) -> np.ndarray:
    """Row positions used for fitting: everything not held out."""
    return np.setdiff1d(np.arange(len(model_input_table)), test_rows)


def _design_matrix(table: pd.DataFrame, rows: np.ndarray, columns: list[str]) -> np.ndarray:
    values = table.iloc[rows][columns].astype(float).to_numpy()
    return np.column_stack([np.ones(len(values)), values])


def x_train(
    model_input_table: pd.DataFrame, train_rows: np.ndarray, feature_columns: list[str]
) -> np.ndarray:
    """Training features, with a leading column of ones for the intercept."""
    return _design_matrix(model_input_table, train_rows, feature_columns)


def x_test(
    model_input_table: pd.DataFrame, test_rows: np.ndarray, feature_columns: list[str]
) -> np.ndarray:
    """Evaluation features, shaped like `x_train`."""
    return _design_matrix(model_input_table, test_rows, feature_columns)


def y_train(model_input_table: pd.DataFrame, train_rows: np.ndarray) -> np.ndarray:
    """Training target: the shuttle price."""
    return model_input_table["price"].to_numpy()[train_rows]


def y_test(model_input_table: pd.DataFrame, test_rows: np.ndarray) -> np.ndarray:
    """Evaluation target: the shuttle price."""
    return model_input_table["price"].to_numpy()[test_rows]


def regressor(x_train: np.ndarray, y_train: np.ndarray) -> np.ndarray:
    """Least-squares coefficients of a linear price model (intercept first)."""
    coefficients, *_ = np.linalg.lstsq(x_train, y_train, rcond=None)
    return coefficients


def y_pred(x_test: np.ndarray, regressor: np.ndarray) -> np.ndarray:
    """Predicted prices for the held-out shuttles."""
    return x_test @ regressor
