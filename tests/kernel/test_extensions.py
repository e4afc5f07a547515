"""Hamilton's extensions load for the libraries a project imports, not for all installed."""

import subprocess
import sys
import textwrap

from studio.core.discovery.discover import discover, imported_packages


def test_kernel_code_starts_hamilton_without_every_installed_extension(tmp_path):
    (tmp_path / "flow.py").write_text(
        "import dask.dataframe as dd\n\n\ndef a() -> int:\n    return 1\n"
    )
    (tmp_path / "helpers.py").write_text("import polars\n")
    assert {"dask", "polars"} <= imported_packages(discover(tmp_path))
    code = textwrap.dedent(
        """
        import sys
        import studio.kernel.agent
        from hamilton import registry
        from studio.kernel.loading.extensions import load_extensions_for
        print(sorted(m for m in ("dask", "matplotlib", "plotly") if m in sys.modules))
        print(sorted(registry.DF_TYPE_AND_COLUMN_TYPES))
        load_extensions_for({"dask"})
        print(sorted(registry.DF_TYPE_AND_COLUMN_TYPES))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.splitlines() == ["[]", "[]", "['dask', 'pandas']"]


FIRST_LOADS = """
import json, sys
from pathlib import Path
import studio.kernel.agent
from hamilton import registry
from studio.core import protocol
from studio.kernel.agent import Agent

class Comm:
    def __init__(self):
        self.sent = []
    def send(self, message, buffers=None):
        self.sent.append((message, sorted(registry.DF_TYPE_AND_COLUMN_TYPES)))

report = {}
sys.path.insert(0, sys.argv[2])  # a library outside the project
for name in [sys.argv[1]]:
    agent, comm = Agent({}), Comm()
    agent.comm = comm
    request = protocol.request(1, "load", {"root": str(Path(sys.argv[3]) / name)})
    agent._on_msg(comm, {"content": {"data": request}})
    (reply, at_reply), *_ = comm.sent
    report[name] = {
        "errors": [e["message"] for e in reply["result"]["snapshot"]["errors"]],
        "at_reply": at_reply,
        "after": sorted(registry.DF_TYPE_AND_COLUMN_TYPES),
    }
print(json.dumps(report))
"""


def _project(folder, source: str):
    folder.mkdir(parents=True)
    (folder / "flow.py").write_text(textwrap.dedent(source))


def test_pandas_extension_waits_for_the_graph_unless_the_build_needs_it(tmp_path):
    """A kernel's first load of plain functions sends its graph before loading Hamilton's
    pandas extension (it is loaded before anything else is served); a project using
    `@extract_columns`, itself or through a library, gets it before its build."""
    import json

    frame = "    return pd.DataFrame({'a': [1], 'b': [2]})\n"
    _project(
        tmp_path / "projects" / "plain",
        "import pandas as pd\n\ndef a() -> pd.Series:\n    return pd.Series([1])\n",
    )
    _project(
        tmp_path / "projects" / "decorated",
        "import pandas as pd\nfrom hamilton.function_modifiers import extract_columns\n\n"
        "@extract_columns('a', 'b')\ndef table() -> pd.DataFrame:\n" + frame,
    )
    _project(
        tmp_path / "projects" / "through_a_library",
        "import pandas as pd\nfrom columns_lib import two_columns\n\n"
        "@two_columns\ndef table() -> pd.DataFrame:\n" + frame,
    )
    library = tmp_path / "library"
    library.mkdir()
    (library / "columns_lib.py").write_text(
        "from hamilton.function_modifiers import extract_columns\n\n"
        "two_columns = extract_columns('a', 'b')\n"
    )
    report = {}
    for name in ("plain", "decorated", "through_a_library"):  # each in a fresh process
        done = subprocess.run(
            [sys.executable, "-c", FIRST_LOADS, name, str(library), str(tmp_path / "projects")],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        report |= json.loads(done.stdout.splitlines()[-1])
    assert report["plain"] == {"errors": [], "at_reply": [], "after": ["pandas"]}
    for name in ("decorated", "through_a_library"):
        assert report[name]["errors"] == [], name
        assert "pandas" in report[name]["at_reply"], name
