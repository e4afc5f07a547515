"""Hamilton's library extensions, loaded for the libraries a project uses, not all installed.

At its first import Hamilton tries an extension for every library it
supports that is installed (dask, polars, matplotlib, plotly, ray…): on a
machine with several of them that costs about three seconds of every
kernel start and command, for projects that use none. The studio starts
Hamilton with that autoloading off, then loads the extensions of the
libraries the project's files import (and of pandas, numpy and YAML, which
Hamilton's own savers and loaders use), before the project's modules are
imported; when the project's own code does not import Hamilton (no
decorators), a kernel's first load leaves them (~0.1 s for pandas', numpy's
and YAML's) until its graph is out. A user's `~/.hamilton.conf` setting still
has the last word.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable

_AUTOLOAD = "HAMILTON_AUTOLOAD_EXTENSIONS"

EXTENSION_PACKAGES: dict[str, tuple[str, ...]] = {
    "yaml": ("yaml",),
    "matplotlib": ("matplotlib",),
    "numpy": ("numpy",),
    "pandas": ("pandas",),
    "plotly": ("plotly",),
    "polars": ("polars",),
    "polars_lazyframe": ("polars",),
    "pyspark_pandas": ("pyspark",),
    "spark": ("pyspark",),
    "dask": ("dask", "distributed"),
    "geopandas": ("geopandas",),
    "xgboost": ("xgboost",),
    "lightgbm": ("lightgbm",),
    "sklearn_plot": ("sklearn",),
    "vaex": ("vaex",),
    "ibis": ("ibis",),
    "dlt": ("dlt",),
    "kedro": ("kedro",),
    "huggingface": ("datasets",),
    "mlflow": ("mlflow",),
    "pydantic": ("pydantic",),
}
"""Hamilton's extension names and the top-level packages that call for each."""

ALWAYS = ("pandas", "numpy", "yaml")


def start_hamilton_without_extensions() -> None:
    """Import Hamilton with autoloading off (once per process); the variable is put back
    as it was, so processes the project starts load Hamilton as usual."""
    previous = os.environ.get(_AUTOLOAD)
    os.environ[_AUTOLOAD] = "0"
    try:
        import hamilton.function_modifiers  # noqa: F401  (initialises the registry)
    finally:
        if previous is None:
            os.environ.pop(_AUTOLOAD, None)
        else:
            os.environ[_AUTOLOAD] = previous


def load_extensions_for(packages: Iterable[str]) -> list[str]:
    """Load the extensions the packages call for (those installed); the names loaded."""
    from hamilton import registry

    loaded = []
    for name in _called_for(packages):
        with contextlib.suppress(ImportError, NotImplementedError, Warning, AssertionError):
            registry.load_extension(name)  # type: ignore[arg-type]
            loaded.append(name)
        _TRIED.add(name)
    return loaded


def extensions_missing(packages: Iterable[str]) -> bool:
    """Whether the packages call for extensions not loaded (nor found missing) yet."""
    return bool(_called_for(packages))


def _called_for(packages: Iterable[str]) -> list[str]:
    wanted = set(packages)
    return [
        name
        for name, needs in EXTENSION_PACKAGES.items()
        if name not in _TRIED and (name in ALWAYS or wanted & set(needs))
    ]


_TRIED: set[str] = set()
"""Extensions loaded, or found missing, in this process."""
