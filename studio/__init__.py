"""Dataflow Studio: a desktop visual DAG editor for Apache Hamilton dataflows."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """`studio.__version__`, read from the installed package's metadata when asked for:
    `importlib.metadata` (email, zipfile, csv...) took 60-200 ms of every launch, the
    kernel's included, for a version only `--version` and Help ▸ About show."""
    if name != "__version__":
        raise AttributeError(f"module 'studio' has no attribute {name!r}")
    from importlib import metadata

    try:
        version = metadata.version("dataflow-studio")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        version = "0.0.0+unknown"
    globals()["__version__"] = version
    return version
