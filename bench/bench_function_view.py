"""The function view at scale (issue 33, item 4): drawn, expanded and collapsed.

A synthetic project whose nodes come from decorators, as real feature code's
do: each module has a loader whose columns `@extract_columns` makes, then
functions that `@parameterize` four features each from earlier nodes. The
window opens it in the function view (the default), with the stall meter of
`bench.suite` running, and times four steps from the request to the drawing
settled, with the longest time the event loop went unserved in each:

- open: the project loaded and drawn (big graphs open with modules collapsed);
- modules: every module expanded, one card per function;
- cards: every function card expanded, one card per node;
- back: every function card folded again.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.bench_function_view [--nodes 5000 20000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from bench.event_loop import StallMeter, close_window, settle, wait_until

_HEADER = '''"""Features, part {index}."""

import pandas as pd

from hamilton.function_modifiers import extract_columns, parameterize, source

'''
_LOADER = """
@extract_columns({columns})
def raw_{index}() -> pd.DataFrame:
    return pd.DataFrame({{c: range(4) for c in [{columns}]}})

"""
_FEATURES = """
@parameterize({outputs})
def make_{name}(value: pd.Series) -> pd.Series:
    return value + 1

"""


def generate_decorated(folder: Path, nodes: int, modules: int) -> int:
    """Write the project; returns the number of functions the user would have written."""
    rng = random.Random(5)
    folder.mkdir(parents=True, exist_ok=True)
    functions = 0
    per_module = nodes // modules
    for index in range(modules):
        columns = [f"c{index}_{k}" for k in range(8)]
        text = _HEADER.format(index=index)
        text += _LOADER.format(index=index, columns=", ".join(f'"{c}"' for c in columns))
        earlier = list(columns)
        functions += 1
        for number in range((per_module - 9) // 4):
            name = f"f{index}_{number}"
            outputs = {f"{name}_{k}": rng.choice(earlier[-40:]) for k in range(4)}
            spec = ", ".join(f'{out}=dict(value=source("{src}"))' for out, src in outputs.items())
            text += _FEATURES.format(name=name, outputs=spec)
            earlier += list(outputs)
            functions += 1
        (folder / f"features_{index:02d}.py").write_text(text, encoding="utf-8")
    return functions


def measure(folder: Path) -> dict[str, tuple[float, float]]:
    """(seconds, longest stall) of each step."""
    from studio.ui.app import create_window

    meter = StallMeter()
    shown: list[float] = []
    window = create_window(folder, trust=True)
    window.resize(1400, 900)
    window.show()
    window.controller.graph_shown.connect(lambda *_: shown.append(time.perf_counter()))
    scene, graph = window.scene, window.workspace.graph
    steps: dict[str, tuple[float, float]] = {}

    def step(name: str, action) -> None:  # type: ignore[no-untyped-def]
        with meter.phase(name):
            before, start = len(shown), time.perf_counter()
            action()
            wait_until(lambda: len(shown) > before, timeout=600)
            wait_until(lambda: not scene.filling and not scene.animating, timeout=600)
            steps[name] = (time.perf_counter() - start, meter.worst.get(name, 0.0))
        settle(0.5)

    try:
        assert graph.function_view, "the function view is the default"
        step("open", lambda: None)
        if graph.collapsed:
            step("modules", lambda: graph.set_collapsed(set()))
        step("cards", lambda: graph.set_expanded(graph.cards))
        step("back", lambda: graph.set_expanded(()))
        return steps
    finally:
        close_window(window, meter)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[5000, 20000])
    options = parser.parse_args()
    from studio.ui.app import create_application

    create_application()
    print("nodes  functions  step     seconds  longest stall")
    for nodes in options.nodes:
        folder = Path(tempfile.mkdtemp(prefix="studio-function-view-")) / "features"
        functions = generate_decorated(folder, nodes, modules=max(3, nodes // 400))
        for name, (seconds, stall) in measure(folder).items():
            print(
                f"{nodes:>5}  {functions:>9}  {name:<7}  {seconds:>7.2f}  {stall * 1000:>10.0f} ms"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
