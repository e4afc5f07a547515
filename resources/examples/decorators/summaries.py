"""@subdag: reuse a small dataflow several times, each under its own namespace."""

import summary_helpers
from hamilton.function_modifiers import source, subdag


@subdag(summary_helpers, inputs={"series": source("revenue")})
def revenue_summary(stats: dict[str, float]) -> dict[str, float]:
    """Total and average revenue, computed by the helper dataflow."""
    return stats


@subdag(summary_helpers, inputs={"series": source("quantity")})
def quantity_summary(stats: dict[str, float]) -> dict[str, float]:
    """Total and average quantity, computed by the same helper dataflow."""
    return stats
