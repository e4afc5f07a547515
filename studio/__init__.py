"""Dataflow Studio: a desktop visual DAG editor for Apache Hamilton dataflows."""

from importlib import metadata

try:
    __version__ = metadata.version("dataflow-studio")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
