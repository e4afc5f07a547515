"""`studio diff PATH NODE`: how a node's output differs between a git revision and now.

The node is computed twice, each time by `studio run` in its own process:
at the revision (checked out in a temporary git worktree, so the user's
working tree is never touched) and in the working tree. The two values
are compared as the window's *Compare with Previous* does.

Exit status 0 when the comparison is printed (whether or not the values
differ), 1 when the node failed on one side, 2 when it could not start
(not a git repository, unknown revision, bad options).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from studio.cli.interpreter_choice import InterpreterError, choose_interpreter
from studio.core.platform.console import utf8_environment
from studio.core.platform.git_tool import git_problem
from studio.core.platform.liveness import process_alive
from studio.core.platform.own_command import studio_command
from studio.core.platform.signals import on_ending_signals

EXIT_OK = 0
EXIT_NODE_FAILED = 1
EXIT_NOT_STARTED = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studio diff",
        description="Compute a node at a git revision and in the working tree, and print how "
        "its output changed (rows, cells, schema, statistics; values before → after).",
    )
    parser.add_argument("path", help="project folder (inside a git repository)")
    parser.add_argument("node", help="the node to compare")
    parser.add_argument(
        "--against", default="HEAD", metavar="GIT_REF", help="revision to compare with (HEAD)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--dataflow", help="dataflow name (a driver script's stem, e.g. run)")
    parser.add_argument("--config", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--input", action="append", default=[], metavar="NAME=EXPR")
    parser.add_argument("--interpreter", type=Path, metavar="PYTHON")
    return parser


def main(argv: Sequence[str]) -> int:
    """Ctrl+C stops the diff with a line, not a traceback (its worktree is removed)."""
    try:
        return _diff(argv)
    except KeyboardInterrupt:
        print("studio diff: interrupted", file=sys.stderr)
        return 130


def _diff(argv: Sequence[str]) -> int:
    options = build_parser().parse_args(argv)
    root = Path(options.path).expanduser().resolve()
    problem = git_problem()  # macOS' git stub, without the command line tools, says nothing
    if problem is not None:
        return _fail(f"{problem}: there is no revision to compare with")
    top = _git(root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        return _fail(f"{root} is not in a git repository: there is no revision to compare with")
    toplevel = Path(top.stdout.strip())
    revision = _git(root, "rev-parse", "--verify", "--quiet", f"{options.against}^{{commit}}")
    if revision.returncode != 0:
        return _fail(f"no revision {options.against!r} in {toplevel}")
    try:
        # Both sides run in the working tree's Python: the revision's checkout has no venv.
        options.interpreter = choose_interpreter(root, options.interpreter).python
    except InterpreterError as error:
        return _fail(str(error))
    _remove_abandoned_worktrees(toplevel)
    scratch = Path(tempfile.mkdtemp(prefix=_SCRATCH_PREFIX))
    (scratch / _OWNER_FILE).write_text(str(os.getpid()), encoding="utf-8")
    worktree = scratch / "revision"
    on_ending_signals(_stop)  # SIGTERM, and SIGHUP where there is one
    try:
        added = _git(
            toplevel, "worktree", "add", "--detach", str(worktree), revision.stdout.strip()
        )
        if added.returncode != 0:
            return _fail(f"cannot check out {options.against}: {added.stderr.strip()}")
        old_root = worktree / root.relative_to(toplevel)
        if not old_root.is_dir():
            return _fail(f"{root.name} did not exist at {options.against}")
        values = []
        for side, folder in ((options.against, old_root), ("the working tree", root)):
            value, problem, status = _compute(folder, options, scratch / f"{len(values)}.pkl")
            if problem is not None:
                print(f"studio diff: {options.node} at {side}: {problem}", file=sys.stderr)
                return EXIT_NOT_STARTED if status == EXIT_NOT_STARTED else EXIT_NODE_FAILED
            values.append(value)
    finally:
        _git(toplevel, "worktree", "remove", "--force", str(worktree))
        shutil.rmtree(scratch, ignore_errors=True)
    from studio.core.runs.value_diff_text import describe_diff
    from studio.kernel.results.value_diff import compare

    report = compare(values[0], values[1])
    if options.format == "json":
        document = {"node": options.node, "against": options.against, **report}
        print(json.dumps(_finite(document), indent=2, allow_nan=False))
    else:
        print(f"{options.node}: {options.against} → working tree")
        print(describe_diff(report, options.against, "the working tree"))
    return EXIT_OK


def _compute(
    folder: Path, options: argparse.Namespace, output: Path
) -> tuple[object, str | None, int]:
    """The node's value computed by `studio run` in `folder`, or why it could not be
    (without `studio run`'s own prefix), and its exit status: 2, nothing ran (a missing
    input, a load error), is the diff's too."""
    from studio.cli.run_command import run_arguments

    # The studio's own command: in the frozen bundle the executable takes no `-m`.
    command = [*studio_command(), "run", *run_arguments(folder, [options.node], options, output)]
    if options.interpreter is not None:
        command += ["--interpreter", str(options.interpreter)]
    env = {
        **utf8_environment(os.environ),
        "HAMILTON_TELEMETRY_ENABLED": "false",
        "STUDIO_CACHE_DIR": str(output.parent / "cache"),  # nothing of the diff outlives it
    }
    done = subprocess.run(
        command, capture_output=True, encoding="utf-8", errors="replace", env=env, check=False
    )
    if done.returncode != 0:
        lines = [_unprefixed(line) for line in done.stderr.strip().splitlines() if line.strip()]
        return None, "\n".join(lines[-12:]) or f"exit status {done.returncode}", done.returncode
    try:
        with output.open("rb") as stream:
            return pickle.load(stream), None, EXIT_OK
    except Exception as error:
        problem = f"its value cannot be read back here ({type(error).__name__}: {error})"
        return None, problem, EXIT_NODE_FAILED


def _unprefixed(line: str) -> str:
    """A line of `studio run` without its `studio:` prefix: the diff says its own once."""
    for prefix in ("studio run: ", "studio: "):
        if line.startswith(prefix):
            return line.removeprefix(prefix)
    return line


_SCRATCH_PREFIX = "studio-diff-"
_OWNER_FILE = "owner.pid"


def _remove_abandoned_worktrees(toplevel: Path) -> None:
    """Worktrees of diffs killed outright (kill -9: no `finally` ran) are removed, with
    their folders; git's own prune cannot, since their folders are still there."""
    listed = _git(toplevel, "worktree", "list", "--porcelain")
    for line in listed.stdout.splitlines():
        if not line.startswith("worktree "):
            continue
        folder = Path(line.removeprefix("worktree "))
        scratch = folder.parent
        if folder.name != "revision" or not scratch.name.startswith(_SCRATCH_PREFIX):
            continue
        try:
            owner = int((scratch / _OWNER_FILE).read_text(encoding="utf-8").strip() or 0)
        except (OSError, ValueError):
            owner = 0
        if owner and process_alive(owner):
            continue  # another diff, still running
        _git(toplevel, "worktree", "remove", "--force", str(folder))
        shutil.rmtree(scratch, ignore_errors=True)
    _git(toplevel, "worktree", "prune")


def _stop(signum: int, _frame: object) -> None:
    """A terminated diff still removes its worktree (the `finally` above runs)."""
    raise SystemExit(128 + signum)


def _finite(value: Any) -> Any:
    """The report with NaN and infinities as null: JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = ["git", "-C", str(folder), *args]
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return subprocess.CompletedProcess(command, 127, "", "git is not installed")


def _fail(message: str) -> int:
    print(f"studio diff: {message}", file=sys.stderr)
    return EXIT_NOT_STARTED
