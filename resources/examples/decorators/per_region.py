"""Parallelizable and Collect: fan out over regions, then gather the results."""

import pandas as pd
from hamilton.htypes import Collect, Parallelizable


def region_name(region: pd.Series) -> Parallelizable[str]:
    """Each distinct region, processed as its own task."""
    yield from sorted(region.unique())


def region_revenue(region_name: str, region: pd.Series, revenue: pd.Series) -> dict:
    """Revenue of one region."""
    return {"region": region_name, "revenue": float(revenue[region == region_name].sum())}


def revenue_by_region(region_revenue: Collect[dict]) -> pd.DataFrame:
    """All regions' revenue in one table, largest first."""
    frame = pd.DataFrame(list(region_revenue))
    return frame.sort_values("revenue", ascending=False).reset_index(drop=True)
