"""The `studio` command: the desktop app, and headless commands for scripts and CI.

    studio [PATH]                 open the app on a project folder
    studio graph PATH [...]       print a dataflow's graph (JSON, DOT, SVG, PNG)
    studio run PATH NODE [...]    compute nodes and print or save their results
    studio edit PATH EDIT [...]   rename, connect, add or remove nodes (prints the diff)
    studio diff PATH NODE [...]   how a node's output changed since a git revision
    studio --version

Headless commands import the project's modules in this process, so nothing
here imports Qt unless the desktop app is asked for.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import studio


def main(argv: Sequence[str] | None = None) -> int:
    leave_the_working_folder_off_the_path()
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--kernel"]:
        # Before anything imports Qt: this process is to become a Jupyter kernel.
        from studio.kernel import launch

        return launch.main(args[1:])
    if args[:1] == ["--prefetch"]:
        # The window's helper reading a big folder while its kernel starts (hidden).
        from studio.core.cache import prefetch

        return prefetch.main(args[1:])
    if args[:1] == ["--layout-helper"]:
        # The window's helper making igraph's layouts of a big drawing (hidden).
        from studio.core.layout import sugiyama_helper

        return sugiyama_helper.main()
    from studio.core.platform.console import tolerate_console_encoding

    tolerate_console_encoding()  # a cp1252 console or LANG=C: `?` for what it cannot show
    if args and args[0] == "graph":
        from studio.cli import graph_command

        return graph_command.main(args[1:])
    if args and args[0] == "run":
        from studio.cli import run_command

        return run_command.main(args[1:])
    if args and args[0] == "diff":
        from studio.cli import diff_command

        return diff_command.main(args[1:])
    if args and args[0] == "edit":
        from studio.cli import edit_command

        return edit_command.main(args[1:])
    return _open_app(args)


def _open_app(args: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="studio",
        description="Dataflow Studio: a visual editor for Apache Hamilton dataflows.",
        epilog="Headless commands: `studio graph --help`, `studio run --help`, "
        "`studio edit --help`, `studio diff --help`.",
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    parser.add_argument(
        "path", nargs="?", help="project folder (default: the bundled spaceflights example)"
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window (offscreen without a display), load the graph, run one node, "
        "check its result, and exit 0 (or 1 with the reason)",
    )
    parser.add_argument("--node", help="with --smoke-test: the node to run")
    parser.add_argument(
        "--interpreter",
        type=Path,
        metavar="PYTHON",
        help="run the project's kernel in this Python (remembered for the project)",
    )
    options = parser.parse_args(args)
    path = Path(options.path).expanduser() if options.path else None
    if path is not None and not path.is_dir():
        parser.error(f"{path} is not a folder")
    interpreter = options.interpreter.expanduser().absolute() if options.interpreter else None
    if options.smoke_test:
        from studio.ui.smoke_test import run_smoke_test

        return run_smoke_test(path, options.node, interpreter=interpreter)
    from studio.ui.platform_check import display_problem

    problem = display_problem()
    if problem is not None:
        print(f"studio: cannot open a window: {problem}", file=sys.stderr)
        return 1
    from studio.ui.app import run

    return run(path, interpreter)


class _Version(argparse.Action):
    """`--version`, the version read only when asked for (see `studio.__getattr__`)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any) -> None:
        print(f"studio {studio.__version__}")
        parser.exit()


def leave_the_working_folder_off_the_path(absolute: bool = False) -> None:
    """`python -c` (a kernel or a command in another Python) puts the working folder first
    on `sys.path` as "", and `python -m studio` as its absolute path: a project's
    `numbers.py` or `logging.py` there would stand in for the standard module the kernel
    and Hamilton import. A project's folders go on the path when it loads, after the
    standard library (`studio.kernel.loading.fresh_import.use_search_path`). The absolute
    path goes only when this process is the studio's alone (`absolute`): a test runner
    calling `main` keeps its own. Only the entry `-m` put first goes: the same folder
    further down (an editable install's `.pth`) is where the studio itself comes from,
    and the processes an executor spawns need it."""
    if absolute and sys.path and sys.path[0] == str(Path.cwd()):
        del sys.path[0]
    sys.path[:] = [entry for entry in sys.path if entry not in ("", ".")]
