"""Synthetic Hamilton projects shaped like feature-engineering dataflows.

A few loaders read (generated) tables; columns are extracted; wide layers
of derived columns follow, each node combining one to three columns of
the layers before it, mostly within its own module and sometimes across;
joins gather columns into frames and aggregates reduce them. The same
seed gives the same project.

    .venv/bin/python bench/synthetic.py FOLDER --nodes 1000
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

HEADER = '''"""Synthetic feature module {index}: {count} nodes."""

import numpy as np
import pandas as pd
'''

LOADER = '''

def {name}(rows: int) -> pd.DataFrame:
    """Raw table {name}."""
    rng = np.random.default_rng({seed})
    return pd.DataFrame(rng.random((rows, 4)), columns=["a", "b", "c", "d"])
'''

EXTRACT = '''

def {name}({source}: pd.DataFrame) -> pd.Series:
    """Column {column} of {source}."""
    return {source}["{column}"]
'''

DERIVED = '''

def {name}({params}) -> pd.Series:
    """Derived feature {name}."""
    return {expression}
'''

JOIN = '''

def {name}({params}) -> pd.DataFrame:
    """Join of {count} features."""
    return pd.concat([{args}], axis=1)
'''

AGGREGATE = '''

def {name}({source}: pd.DataFrame) -> float:
    """Mean of {source}."""
    return float({source}.to_numpy().mean())
'''

CHEAP = """

def {name}({params}) -> int:
    return {expression}
"""


def default_modules(nodes: int) -> int:
    """Modules of a project of `nodes` nodes: 200 nodes each up to 20 modules (5,000
    nodes), then 400 each up to 50 (20,000 nodes, as in issue 33)."""
    if nodes <= 5000:
        return max(3, min(20, nodes // 200))
    return max(20, min(50, nodes // 400))


def generate(folder: Path, nodes: int, modules: int | None = None, seed: int = 7) -> dict[str, int]:
    """Write a project of about `nodes` Hamilton nodes into `folder`; returns counts by kind."""
    rng = random.Random(seed)
    modules = modules or default_modules(nodes)
    folder.mkdir(parents=True, exist_ok=True)
    per_module = nodes // modules
    counts = {"loaders": 0, "extracts": 0, "derived": 0, "joins": 0, "aggregates": 0}
    earlier: list[str] = []  # series nodes of earlier modules, for cross-module edges
    for index in range(modules):
        parts: list[str] = [HEADER.format(index=index, count=per_module)]
        budget = per_module
        layer: list[str] = []
        if index == 0 or index % 4 == 0:
            loader = f"raw_{index}"
            parts.append(LOADER.format(name=loader, seed=index))
            counts["loaders"] += 1
            budget -= 1
            for column in "abcd":
                name = f"m{index}_{column}"
                parts.append(EXTRACT.format(name=name, source=loader, column=column))
                layer.append(name)
            counts["extracts"] += 4
            budget -= 4
        else:
            layer = rng.sample(earlier, min(4, len(earlier)))
        module_series: list[str] = list(layer)
        level = 0
        joins_left = max(1, budget // 40)
        while budget > joins_left * 2:
            level += 1
            width = min(budget - joins_left * 2, rng.randint(8, 30))
            new_layer = []
            for position in range(width):
                name = f"m{index}_f{level}_{position}"
                pool = module_series[-60:]
                if earlier and rng.random() < 0.08:
                    pool = [*pool, rng.choice(earlier)]
                inputs = sorted(set(rng.sample(pool, min(len(pool), rng.randint(1, 3)))))
                params = ", ".join(f"{i}: pd.Series" for i in inputs)
                expression = " + ".join(f"{i} * {rng.randint(1, 9)}" for i in inputs)
                parts.append(DERIVED.format(name=name, params=params, expression=expression))
                new_layer.append(name)
            counts["derived"] += width
            budget -= width
            module_series += new_layer
        for join in range(joins_left):
            name = f"m{index}_join_{join}"
            inputs = sorted(set(rng.sample(module_series, min(len(module_series), 4))))
            params = ", ".join(f"{i}: pd.Series" for i in inputs)
            parts.append(
                JOIN.format(name=name, params=params, count=len(inputs), args=", ".join(inputs))
            )
            parts.append(AGGREGATE.format(name=f"m{index}_agg_{join}", source=name))
            counts["joins"] += 1
            counts["aggregates"] += 1
        earlier += module_series[-20:]
        (folder / f"features_{index:02d}.py").write_text("".join(parts))
    return counts


def generate_cheap(folder: Path, nodes: int = 200, seed: int = 11) -> None:
    """A DAG of `nodes` integer nodes that cost next to nothing: for measuring overhead."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    parts = ['"""Cheap nodes: the cost of running them is all framework."""\n']
    for i in range(nodes):
        name = f"n{i:03d}"
        inputs = (
            sorted(set(rng.sample(names[-20:], min(len(names), rng.randint(1, 3)))))
            if names
            else []
        )
        params = ", ".join(f"{p}: int" for p in inputs)
        expression = " + ".join(inputs) + f" + {i}" if inputs else str(i)
        parts.append(CHEAP.format(name=name, params=params, expression=expression))
        names.append(name)
    (folder / "cheap.py").write_text("".join(parts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--modules", type=int)
    options = parser.parse_args()
    print(generate(options.folder, options.nodes, options.modules))
    return 0


if __name__ == "__main__":
    sys.exit(main())
