"""Which Python runs a headless command's project code, and running it there.

As in the window, a project runs in its own environment when it has one:
`--interpreter PYTHON` first, then what `environments_to_run` finds
(`interpreter` in the project's settings, a `.venv` or another environment
folder in the project, an environment its uv, Poetry or conda files name),
else the studio's own Python. Another Python gets the studio's Qt-free source on its
path (`studio.core.interpreters.agent_source`) and runs the same command there, so the
results are those of the window's kernel in that environment.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from studio.cli.supervised import run_elsewhere
from studio.core.interpreters.agent_source import agent_source_dir
from studio.core.interpreters.check import (
    HEADLESS_PACKAGES,
    check_interpreter,
    foreign_environment,
    is_this_environment,
)
from studio.core.interpreters.environments import environments_to_run

_BOOTSTRAP = (
    "import sys; sys.path.insert(0, {agent!r}); "
    "from studio.cli import main; sys.exit(main(sys.argv[1:]))"
)


@dataclass(frozen=True, slots=True)
class InterpreterChoice:
    python: Path | None
    """None: this process runs the project's code."""
    origin: str = ""
    """Why this one: "--interpreter", the settings file, or the environment's label."""


class InterpreterError(Exception):
    """The interpreter asked for cannot run the command; the message says what to install."""


def choose_interpreter(root: Path, explicit: Path | None) -> InterpreterChoice:
    """The Python for the project in `root`; raises InterpreterError for a broken one."""
    if explicit is not None:
        python = explicit.expanduser().absolute()
        if is_this_environment(python):
            return InterpreterChoice(None)
        _require(python, "--interpreter")
        return InterpreterChoice(python, "--interpreter")
    for environment in environments_to_run(root):
        if is_this_environment(environment.python):
            return InterpreterChoice(None)
        if environment.named_by:
            _require(environment.python, environment.label)
            return InterpreterChoice(environment.python, environment.named_by)
        check = check_interpreter(environment.python, HEADLESS_PACKAGES)
        where = environment.of("the project's")
        if check.ok:
            return InterpreterChoice(environment.python, where)
        print(
            f"studio: not using {where}: {check.problem}"
            + (f" (install with: {check.install_command})" if check.install_command else "")
            + "; running in the studio's own Python",
            file=sys.stderr,
        )
    return InterpreterChoice(None)


def _require(python: Path, origin: str) -> None:
    check = check_interpreter(python, HEADLESS_PACKAGES)
    if not check.ok:
        raise InterpreterError(f"{origin}: {check.describe('the project')}")


def run_there(
    choice: InterpreterChoice, argv: list[str], capture_stdout: bool = False
) -> subprocess.CompletedProcess[bytes]:
    """Run `studio ARGV` in the chosen Python (stderr goes straight to ours)."""
    assert choice.python is not None
    print(f"studio: running the project in {choice.origin} ({choice.python})", file=sys.stderr)
    bootstrap = _BOOTSTRAP.format(agent=str(agent_source_dir()))
    command = [str(choice.python), "-c", bootstrap, *argv, "--interpreter", str(choice.python)]
    return run_elsewhere(command, capture_stdout, foreign_environment())
