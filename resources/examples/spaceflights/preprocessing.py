"""Cleaning: turn the raw text columns into numbers and join the tables."""

import pandas as pd


def _is_true(column: pd.Series) -> pd.Series:
    return column == "t"


def _parse_percentage(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column.str.replace("%", ""), errors="coerce") / 100


def _parse_money(column: pd.Series) -> pd.Series:
    return column.str.replace("$", "").str.replace(",", "").astype(float)


def companies_preprocessed(companies: pd.DataFrame) -> pd.DataFrame:
    """Companies with the approval flag as a boolean and the rating as a fraction."""
    out = companies.copy()
    out["iata_approved"] = _is_true(out["iata_approved"])
    out["company_rating"] = _parse_percentage(out["company_rating"].fillna(""))
    return out


def shuttles_preprocessed(shuttles: pd.DataFrame) -> pd.DataFrame:
    """Shuttles with boolean check flags and the price as a number."""
    out = shuttles.copy()
    out["d_check_complete"] = _is_true(out["d_check_complete"])
    out["moon_clearance_complete"] = _is_true(out["moon_clearance_complete"])
    out["price"] = _parse_money(out["price"])
    return out


def model_input_table(
    shuttles_preprocessed: pd.DataFrame,
    companies_preprocessed: pd.DataFrame,
    reviews: pd.DataFrame,
) -> pd.DataFrame:
    """One row per reviewed shuttle, joined with its company; rows with gaps dropped."""
    rated = shuttles_preprocessed.merge(reviews, left_on="id", right_on="shuttle_id")
    table = rated.drop(columns="id").merge(
        companies_preprocessed, left_on="company_id", right_on="id"
    )
    return table.dropna().reset_index(drop=True)
