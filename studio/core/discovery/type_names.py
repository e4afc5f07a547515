"""Type names as the canvas shows them: `DataFrame`, not `pandas.core.frame.DataFrame`.

One rule for Hamilton's types (in the kernel) and for annotations as written
(the graph read from the source), so that both draw the same cards.
"""

from __future__ import annotations

import re

_QUALIFIED = re.compile(r"\b(?:[A-Za-z_]\w*\.)+([A-Za-z_]\w*)")


def short_type_name(text: str) -> str:
    """`pd.DataFrame` -> `DataFrame`; `dict[str, np.ndarray]` -> `dict[str, ndarray]`."""
    return _QUALIFIED.sub(r"\1", text)
