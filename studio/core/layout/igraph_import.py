"""igraph imported without matplotlib, before anything else imports it.

igraph's drawing modules import matplotlib and pyplot at igraph's own
import when they are installed (as in most data environments): 0.4-0.55 s
of the window's first layout, on the layout thread but mostly holding the
interpreter, so the GUI thread waited through it while a first load came
in. The studio never draws with igraph; it only uses its Sugiyama layers.
`igraph` here is igraph, imported with matplotlib hidden from it.
"""

from __future__ import annotations

import sys

_hide = "igraph" not in sys.modules and "matplotlib" not in sys.modules
"""Not when it is imported already, or matplotlib is loaded anyway: nothing to save."""
if _hide:
    sys.modules["matplotlib"] = None  # type: ignore[assignment]  # makes its import fail
try:
    import igraph
finally:
    if _hide and sys.modules.get("matplotlib", 0) is None:
        del sys.modules["matplotlib"]

__all__ = ["igraph"]
