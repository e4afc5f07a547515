"""After a load the kernel collects only what is new, and what earlier loads left comes
back within a few loads (in a process of its own: freezing changes the whole heap)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import gc, json, time, weakref
    from studio.kernel.loading.load_garbage import FULL_EVERY, LoadGarbage

    class Module:  # a dataflow module: its functions and its dict refer to each other
        pass

    def load(size):
        module = Module()
        module.functions = [{"module": module, "n": i} for i in range(size)]
        return module

    garbage = LoadGarbage()
    heap = [[i] for i in range(300_000)]  # libraries imported by the first load
    current = load(1000)
    garbage.collect()  # first load: full
    first = weakref.ref(current)
    kept_for = None
    seconds = []
    for number in range(1, FULL_EVERY + 1):
        current = load(1000)  # a save: the module before is garbage now
        started = time.process_time()
        garbage.collect()
        seconds.append(time.process_time() - started)
        if kept_for is None and first() is None:
            kept_for = number
    print(json.dumps({"kept_for": kept_for, "seconds": seconds, "every": FULL_EVERY}))
    """
)


def test_earlier_loads_are_collected_within_a_few_loads_and_most_collections_are_quick():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    found = json.loads(out)
    assert found["kept_for"] == found["every"]  # kept a few loads, then collected
    quick, full = found["seconds"][:-1], found["seconds"][-1]
    assert max(quick) * 3 < full  # the 300,000 frozen lists are not looked at again
