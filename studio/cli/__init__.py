"""The `studio` command: the desktop app, and headless commands for scripts and CI.

    studio [PATH]                 open the app on a project folder
    studio graph PATH [...]       print a dataflow's graph (JSON, DOT, SVG, PNG)
    studio --version

Headless commands import the project's modules in this process, so nothing
here imports Qt unless the desktop app is asked for.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import studio

COMMANDS = ("graph",)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in COMMANDS:
        from studio.cli import graph_command

        return graph_command.main(args[1:])
    return _open_app(args)


def _open_app(args: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="studio",
        description="Dataflow Studio: a visual editor for Apache Hamilton dataflows.",
        epilog="Headless commands: `studio graph --help`.",
    )
    parser.add_argument("--version", action="version", version=f"studio {studio.__version__}")
    parser.add_argument(
        "path", nargs="?", help="project folder (default: the bundled spaceflights example)"
    )
    options = parser.parse_args(args)
    from studio.cli import graph_command
    from studio.core.resources import example_path

    path = options.path or str(example_path("spaceflights"))
    print(
        f"The desktop window is not built yet; here is the graph of {path}.\n",
        file=sys.stderr,
    )
    return graph_command.main([path, "--format", "text"])
