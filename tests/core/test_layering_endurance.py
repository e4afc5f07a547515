"""The layered placement survives the thousands of calls a long session makes.

igraph 1.0.0's Sugiyama layout corrupted memory and crashed the whole app
after a few thousand calls; the placement runs in a child process here so
a crash fails this test instead of the test run.
"""

import subprocess
import sys

ENDURANCE = """
import random
from studio.core.layout.layering import place_layers

rnd = random.Random(7)
for _ in range(4000):
    n = rnd.randint(1, 60)
    edges = [(rnd.randrange(t), t) for t in range(1, n) for _ in range(rnd.randint(0, 3))]
    placement = place_layers([(120.0, 40.0)] * n, edges, left_to_right=True)
    assert len(placement.positions) == n
print("placed")
"""


def test_thousands_of_layered_placements_do_not_crash():
    finished = subprocess.run(
        [sys.executable, "-c", ENDURANCE], capture_output=True, text=True, timeout=300
    )
    assert finished.returncode == 0, f"exit {finished.returncode}: {finished.stderr[-2000:]}"
    assert finished.stdout.strip() == "placed"
