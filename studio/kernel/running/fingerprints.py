"""A fast fingerprint for pandas objects in Hamilton's result cache.

Hamilton's cache versions every result by hashing it. Its pandas hasher
turns the per-row hashes into a dict and hashes every key and value in
Python: about 17 s for a million rows, minutes for ten million. This
registers, through Hamilton's own extension point (`hash_value` is a
`functools.singledispatch`), one that hashes the same per-row hashes as a
single buffer, with the column names and dtypes: the same rows in the
same order give the same fingerprint, a hundred times faster.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
from hamilton.caching import fingerprinting
from hamilton.experimental import h_databackends


def hash_pandas_fast(obj: Any, *args: Any, depth: int = 0, **kwargs: Any) -> str:
    digest = hashlib.sha224()
    columns = obj.columns if isinstance(obj, pd.DataFrame) else [obj.name]
    dtypes = obj.dtypes.astype(str).tolist() if isinstance(obj, pd.DataFrame) else [str(obj.dtype)]
    digest.update(repr((type(obj).__name__, list(map(str, columns)), dtypes)).encode())
    try:
        rows = pd.util.hash_pandas_object(obj, index=True)
    except TypeError:
        # Cells pandas cannot hash (lists, dicts): their text stands in for them.
        # (Hamilton's own hasher raises here, failing the node.)
        try:
            rows = pd.util.hash_pandas_object(obj.astype(str), index=True)
        except (TypeError, ValueError):
            return fingerprinting.UNHASHABLE
    digest.update(rows.to_numpy().tobytes())
    return fingerprinting._compact_hash(digest.digest())


def install() -> None:
    """Make Hamilton's cache use the fast pandas fingerprint in this process."""
    fingerprinting.hash_value.register(h_databackends.AbstractPandasDataFrame)(hash_pandas_fast)
    fingerprinting.hash_value.register(h_databackends.AbstractPandasColumn)(hash_pandas_fast)
