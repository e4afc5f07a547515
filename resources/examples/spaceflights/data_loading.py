"""Raw data: the three CSV files, read as they are."""

import os

import pandas as pd


def companies(data_dir: str) -> pd.DataFrame:
    """Space companies: rating, location, fleet size and IATA approval."""
    return pd.read_csv(os.path.join(data_dir, "companies.csv"))


def shuttles(data_dir: str) -> pd.DataFrame:
    """Shuttles on offer, with their specification and listed price."""
    return pd.read_csv(os.path.join(data_dir, "shuttles.csv"))


def reviews(data_dir: str) -> pd.DataFrame:
    """Customer review scores per shuttle."""
    return pd.read_csv(os.path.join(data_dir, "reviews.csv"))
