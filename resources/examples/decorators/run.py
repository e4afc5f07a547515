"""Runs the decorator tour and prints a few of its results.

python run.py              # standard scaling
python run.py minmax       # min-max scaling
"""

import sys

import cleaning
import governance
import orders
import per_region
import rolling
import scaling
import summaries
from hamilton import driver

if __name__ == "__main__":
    config = {"scaling": "standard"}
    if len(sys.argv) > 1:
        config["scaling"] = sys.argv[1]
    dr = (
        driver.Builder()
        .with_modules(orders, rolling, scaling, governance, summaries, cleaning, per_region)
        .with_config(config)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .build()
    )
    results = dr.execute(
        ["revenue_scaled", "revenue_summary", "daily_revenue", "revenue_by_region"],
        inputs={"data_dir": "data"},
    )
    print("scaling:", config["scaling"])
    print("revenue summary:", results["revenue_summary"])
    print(results["revenue_by_region"].to_string(index=False))
    print(results["revenue_scaled"].describe().round(3).to_string())
