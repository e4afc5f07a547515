"""Helpers shared by the tests: graph nodes and projects built by hand, and the real
window's kernel."""

from pathlib import Path

from studio.core.graph.snapshot import NodeInfo, NodeRole


def draw_shown(scene, engine: str = "dot", animate: bool = False) -> None:
    """Lay out the graph the scene's workspace shows and draw it at once (what the
    window's draw scheduler does over a few turns)."""
    from studio.core.layout import compute_layout

    graph = scene.workspace.graph
    request = scene.sizes.layout_request(graph.display, graph.direction)
    scene.show_graph(graph.display, compute_layout(request, engine), animate=animate)


def make_node(
    name: str,
    deps=(),
    group: str = "m",
    *,
    version: str = "v1",
    type_: str = "int",
    role: NodeRole = NodeRole.FUNCTION,
    optional=(),
) -> NodeInfo:
    """A node of module `group` needing `deps` (an input has no version or origin)."""
    is_input = role is NodeRole.INPUT
    return NodeInfo(
        name=name,
        type=type_,
        role=role,
        module=group,
        file=f"{group}.py",
        line=1,
        doc="",
        tags={},
        dependencies=tuple(deps),
        optional_dependencies=tuple(optional),
        version=None if is_input else version,
        origin=None if is_input else f"{group}.{name}",
        group=group,
    )


def kernel_value(window, expression: str):
    """Evaluate `expression` in the window's kernel (as the console would) and unpickle it."""
    import pickle

    from jupyter_client import BlockingKernelClient

    connection = window.session.connection_folder / "connection.json"
    client = BlockingKernelClient(connection_file=str(connection))
    client.load_connection_file()
    client.start_channels()
    try:
        code = f"__studio_test__ = __import__('pickle').dumps({expression}).hex()"
        msg_id = client.execute(code, silent=True, user_expressions={"v": "__studio_test__"})
        while True:
            reply = client.get_shell_msg(timeout=20)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        text = reply["content"]["user_expressions"]["v"]["data"]["text/plain"]
        return pickle.loads(bytes.fromhex(text.strip("'")))
    finally:
        client.stop_channels()


def finish_run(qtbot, window, action, timeout=60_000):
    """Run `action` and wait until the run it starts has ended; return its record."""
    with qtbot.waitSignal(
        window.workspace.runs.running_changed,
        timeout=timeout,
        check_params_cb=lambda running: not running,
    ):
        action()
    return window.workspace.runs.records[-1]


APP_WITH_KERNEL = r"""
import json, sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from studio.ui.kernel.session import KernelSession
app = QApplication([])
session = KernelSession()
ready = []
session.ready.connect(lambda info: ready.append(info))
session.start(Path(sys.argv[1]))
while not ready:
    app.processEvents(); time.sleep(0.01)
"""
"""The start of an app script for a subprocess: a real kernel session started in the folder
given as its first argument (tests that kill the app need it in a process of its own)."""


def chain_project(folder: Path, count: int) -> Path:
    """One module of `count` functions in a chain (n0 -> n1 -> ...): a big graph."""
    folder.mkdir()
    steps = ["def n0() -> int:\n    return 1\n"]
    steps += [
        f'\n\ndef n{i}(n{i - 1}: int) -> int:\n    """Step {i}."""\n    return n{i - 1} + {i}\n'
        for i in range(1, count)
    ]
    (folder / "chain.py").write_text("".join(steps))
    return folder


SCRIPT_VALUES_MODULE = """\
import pandas as pd
from hamilton.function_modifiers import config


def spend_per_signup(spend: pd.Series, signups: pd.Series) -> pd.Series:
    return spend / signups


def total_spend(spend: pd.Series) -> float:
    return float(spend.sum())


@config.when(mode="fast")
def label__fast(data_dir: str) -> str:
    return "fast:" + data_dir.rsplit("/", 1)[-1]


@config.when(mode="slow")
def label__slow(data_dir: str) -> str:
    return "slow"


def weights_total(weights: dict) -> float:
    return float(sum(weights.values()))


def broken_total(broken: int) -> int:
    return broken + 1
"""

SCRIPT_VALUES_DRIVER = """\
import os
from pathlib import Path

import pandas as pd
from hamilton import driver

import functions

Path("top_level_ran.txt").write_text("the script's top level ran")


def make_weights():
    base = {"a": 1.0}
    base["b"] = 2.0
    return base


def explode():
    return 1 // 0


MODE = "fast"

if __name__ == "__main__":
    config = {"mode": MODE, "data_dir": os.path.join(os.getcwd(), "data")}
    dr = driver.Builder().with_config(config).with_modules(functions).build()
    spend = pd.Series([10, 10, 20, 40, 40, 50])
    result = dr.execute(
        ["spend_per_signup", "total_spend", "label"],
        inputs={
            "spend": spend,
            "signups": pd.Series([1, 10, 50, 100, 200, 400]),
            "weights": make_weights(),
            "broken": explode(),
        },
    )
    Path("after_execute_ran.txt").write_text("code after execute ran")
    print(result)
"""


def script_values_project(folder: Path) -> Path:
    """A project shaped like Hamilton's hello_world whose driver script computes its
    inputs (pd.Series, a function of the script, one that raises) and a config value
    (`os.path.join`); its top level and what follows `execute` write marker files."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "functions.py").write_text(SCRIPT_VALUES_MODULE)
    (folder / "run.py").write_text(SCRIPT_VALUES_DRIVER)
    return folder


CALLER_MODULE = """\
import pandas as pd


def taxed(income: pd.Series, rate: float) -> pd.Series:
    return income * (1 - rate)


def total_tax(income: pd.Series, taxed: pd.Series) -> float:
    return float((income - taxed).sum())
"""

CALLER_WRAPPER = """\
from hamilton import driver

import functions

dr = driver.Builder().with_modules(functions).build()


class TaxCalculator:
    \"\"\"Wraps the driver, as Hamilton's split-apply-combine example does.\"\"\"

    @staticmethod
    def calculate(income, rate):
        return dr.execute(["taxed", "total_tax"], inputs={"income": income, "rate": rate})
"""

CALLER_SCRIPT = """\
from pathlib import Path

import pandas as pd
from wrapper import TaxCalculator

Path("caller_top_level_ran.txt").write_text("the caller's top level ran")


def read_incomes(name):
    return pd.read_csv(name)["income"]


income = read_incomes("incomes.csv")
RATE = 0.25
result = TaxCalculator.calculate(income, rate=RATE)
Path("after_call_ran.txt").write_text(str(result))
"""


def caller_project(folder: Path) -> Path:
    """A driver built in a wrapper whose static method runs it with its arguments
    (`wrapper.py`), and a script that builds them at top level, reading a CSV of its
    folder, and calls it (`script.py`); the script's other top-level code and what
    follows the call write marker files."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "functions.py").write_text(CALLER_MODULE)
    (folder / "wrapper.py").write_text(CALLER_WRAPPER)
    (folder / "script.py").write_text(CALLER_SCRIPT)
    (folder / "incomes.csv").write_text("income\n100.0\n300.0\n")
    return folder


DECORATED_MODULE = """
import pandas as pd
from hamilton.function_modifiers import (
    check_output, config, extract_columns, parameterize, pipe_input, source, step, subdag, value,
)
import steps


def raw(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"p": range(rows), "q": range(rows)})


@extract_columns("p", "q")
def frame(raw: pd.DataFrame) -> pd.DataFrame:
    return raw


@parameterize(p_twice={"v": source("p")}, q_twice={"v": source("q")})
def twice(v: pd.Series) -> pd.Series:
    return v * 2


@check_output(range=(0, LIMIT), importance="fail")
def total(p_twice: pd.Series) -> int:
    return int(p_twice.sum())


@config.when(mode="fast")
def label__fast(total: int) -> str:
    return f"fast {total}"


@subdag(steps, inputs={"start": source("total")})
def nested(finish: int) -> int:
    return finish


def _add(v: int, k: int) -> int:
    return v + k


@pipe_input(step(_add, k=value(1)), step(_add, k=value(2)))
def piped(total: int) -> int:
    return total


def report(label: str, nested: int, piped: int, q_twice: pd.Series) -> str:
    return f"{label} {nested} {piped} {len(q_twice)}"
"""

STEPS_MODULE = """
def middle(start: int) -> int:
    return start + 1


def finish(middle: int) -> int:
    return middle * 2
"""


def decorated_project(folder: Path, limit: int = 1000) -> Path:
    """A dataflow of 8 functions that decorators turn into 21 nodes: extracted columns,
    parameterizations, a validated result (which fails above `limit`), a config variant,
    a subdag of a helper module and a pipe."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "features.py").write_text(DECORATED_MODULE.replace("LIMIT", str(limit)))
    (folder / "steps.py").write_text(STEPS_MODULE)
    (folder / "run.py").write_text(
        "from hamilton import driver\n"
        "import features\n\n"
        "if __name__ == '__main__':\n"
        "    dr = driver.Builder().with_modules(features).with_config({'mode': 'fast'}).build()\n"
        "    print(dr.execute(['report'], inputs={'rows': 4}))\n"
    )
    return folder


def plan_of(qtbot, window, names, mode=None):
    """The run plan the window works out (on a thread) for running `names`."""
    from studio.core.runs.run_plan import RunMode

    plans = []
    window.run_controller.forecast(names, mode or RunMode.UPSTREAM, plans.append)
    qtbot.waitUntil(lambda: bool(plans), timeout=15_000)
    return plans[0]


def drawn_in_view(qtbot, snapshot, size: tuple[int, int], engine: str, frame=None):
    """(workspace, scene, view): `snapshot` laid out by `engine` (fitted to `frame` when
    given, as the window asks) and drawn in a real view of `size`, shown."""
    from dataclasses import replace

    from studio.core.layout import compute_layout
    from studio.core.model import Workspace
    from studio.ui.canvas.scene import GraphScene
    from studio.ui.canvas.view import GraphView
    from studio.ui.theme import LIGHT

    workspace = Workspace()
    scene = GraphScene(LIGHT, workspace)
    view = GraphView(scene)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    workspace.graph.accept(snapshot)
    display = workspace.graph.display
    request = replace(scene.sizes.layout_request(display, workspace.graph.direction), frame=frame)
    scene.show_graph(display, compute_layout(request, engine), animate=False)
    return workspace, scene, view


def as_received(message: dict, buffers: list | None = None) -> dict:
    """A message the agent sent, as the window receives it: a big load reply's node
    frames put back as its list of nodes."""
    from studio.core.protocol import node_frames

    message = node_frames.join(message, buffers or ())
    result = message.get("result")
    snapshot = result.get("snapshot") if isinstance(result, dict) else None
    if isinstance(snapshot, dict) and isinstance(snapshot.get("nodes"), node_frames.FramedNodes):
        snapshot["nodes"] = list(snapshot["nodes"])
    return message
