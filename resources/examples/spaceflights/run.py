"""Runs the spaceflights dataflow end to end and prints the evaluation metrics.

python run.py
"""

import data_loading
import data_science
import preprocessing
import reporting
from hamilton import driver

if __name__ == "__main__":
    dr = driver.Builder().with_modules(data_loading, preprocessing, data_science, reporting).build()
    results = dr.execute(
        ["evaluation_metrics", "price_by_shuttle_type"],
        inputs={"data_dir": "data", "test_size": 0.2, "random_state": 3},
    )
    for name, value in results["evaluation_metrics"].items():
        print(f"{name:>20}: {value:,.3f}")
    print(results["price_by_shuttle_type"].to_string(index=False))
