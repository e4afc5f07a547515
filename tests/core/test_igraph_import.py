"""The window's first layout does not import matplotlib through igraph."""

import subprocess
import sys

PROBE = """
import sys
from studio.core.layout.layering import place_layers
print(place_layers([(10.0, 10.0), (10.0, 10.0)], [(0, 1)], True).positions)
print("matplotlib" in sys.modules, "matplotlib.pyplot" in sys.modules)
import matplotlib
print(matplotlib.__name__)
"""


def test_a_layout_leaves_matplotlib_unimported_and_importable():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    positions, loaded, importable = done.stdout.splitlines()
    assert positions.startswith("[")
    assert loaded == "False False"
    assert importable == "matplotlib"
