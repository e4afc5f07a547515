"""Writes the spaceflights CSV files: companies, shuttles and reviews.

The numbers are made up but shaped like Kedro's spaceflights tutorial data
(percent strings, "t"/"f" flags, prices with a dollar sign and thousands
separators), so that the preprocessing nodes have real cleaning to do. The
generator is seeded, so running it again reproduces the same files.

    python data/generate_data.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

_SEED = 20261122
_LOCATIONS = ["Niue", "Anguilla", "Russian Federation", "Barbados", "Sri Lanka", "Iceland"]
_SHUTTLE_TYPES = ["Type V5", "Type F5", "Type A5"]
_ENGINE_TYPES = ["Quantum", "Plasma", "Nuclear"]
_ENGINE_VENDORS = ["ThetaBase Services", "Banks, Petty and Kunze", "Ryan Group"]
_POLICIES = ["strict", "moderate", "flexible"]


def _flag(values: np.ndarray) -> list[str]:
    return ["t" if v else "f" for v in values]


def _companies(rng: np.random.Generator, n: int) -> pd.DataFrame:
    ratings = rng.integers(50, 101, n).astype(object)
    ratings = [f"{r}%" for r in ratings]
    for i in rng.choice(n, n // 20, replace=False):
        ratings[i] = ""
    return pd.DataFrame(
        {
            "id": np.arange(3000, 3000 + n),
            "company_rating": ratings,
            "company_location": rng.choice(_LOCATIONS, n),
            "total_fleet_count": rng.integers(1, 8, n),
            "iata_approved": _flag(rng.random(n) < 0.6),
        }
    )


def _shuttles(rng: np.random.Generator, n: int, company_ids: np.ndarray) -> pd.DataFrame:
    engines = rng.integers(1, 5, n)
    capacity = rng.integers(2, 9, n)
    crew = rng.integers(1, 6, n)
    d_check = rng.random(n) < 0.7
    moon = rng.random(n) < 0.3
    shuttle_type = rng.choice(_SHUTTLE_TYPES, n)
    type_premium = pd.Series(shuttle_type).map({"Type V5": 900, "Type F5": 400, "Type A5": 0})
    price = (
        800
        + 450 * engines
        + 310 * capacity
        + 120 * crew
        + 600 * d_check
        + 250 * moon
        + type_premium.to_numpy()
        + rng.normal(0, 150, n)
    )
    return pd.DataFrame(
        {
            "id": np.arange(60000, 60000 + n),
            "shuttle_location": rng.choice(_LOCATIONS, n),
            "shuttle_type": shuttle_type,
            "engine_type": rng.choice(_ENGINE_TYPES, n),
            "engine_vendor": rng.choice(_ENGINE_VENDORS, n),
            "engines": engines,
            "passenger_capacity": capacity,
            "cancellation_policy": rng.choice(_POLICIES, n),
            "crew": crew,
            "d_check_complete": _flag(d_check),
            "moon_clearance_complete": _flag(moon),
            "price": [f"${p:,.1f}" for p in price],
            "company_id": rng.choice(company_ids, n),
        }
    )


def _reviews(rng: np.random.Generator, shuttle_ids: np.ndarray) -> pd.DataFrame:
    n = len(shuttle_ids)
    return pd.DataFrame(
        {
            "shuttle_id": shuttle_ids,
            "review_scores_rating": rng.integers(60, 101, n),
            "review_scores_comfort": rng.integers(5, 11, n),
            "review_scores_amenities": rng.integers(5, 11, n),
            "review_scores_price": rng.integers(5, 11, n),
            "number_of_reviews": rng.integers(0, 400, n),
            "reviews_per_month": np.round(rng.random(n) * 9, 2),
        }
    )


def write_all(folder: Path) -> None:
    rng = np.random.default_rng(_SEED)
    companies = _companies(rng, 240)
    shuttles = _shuttles(rng, 420, companies["id"].to_numpy())
    reviews = _reviews(rng, shuttles["id"].to_numpy()[rng.permutation(420)[:380]])
    folder.mkdir(parents=True, exist_ok=True)
    companies.to_csv(folder / "companies.csv", index=False)
    shuttles.to_csv(folder / "shuttles.csv", index=False)
    reviews.to_csv(folder / "reviews.csv", index=False)


if __name__ == "__main__":
    write_all(Path(__file__).resolve().parent)
