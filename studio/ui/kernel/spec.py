"""How the studio's kernel is started: its command line and environment.

By default the kernel is this same program started with `--kernel`, so a
frozen app (whose `sys.executable` is the app itself) and a source checkout
start it the same way. A project may name its own interpreter instead: the
kernel then runs there, with the agent's source put first on its path. A
kernel spec manager of our own serves the one spec, so no `kernel.json` is
installed anywhere and the user's Jupyter set-up is not consulted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from traitlets import Unicode

from studio.core.interpreters.agent_source import agent_source_dir
from studio.core.interpreters.check import foreign_environment, system_library_path
from studio.core.platform.own_command import studio_command

SPEC_NAME = "studio"
_BOOTSTRAP = (
    "import sys; sys.path.insert(0, {agent!r}); "
    "from studio.kernel.launch import main; sys.exit(main())"
)


def kernel_argv(interpreter: Path | None = None) -> list[str]:
    """The kernel's command. `-P`: the kernel starts in the project folder, which must not
    come first on `sys.path` (a project's `random.py` or `types.py` would stand in for the
    standard module before any of the studio's code runs, and every kernel died)."""
    if interpreter is not None:
        bootstrap = _BOOTSTRAP.format(agent=str(agent_source_dir()))
        command = [str(interpreter), "-P", "-c", bootstrap]
    elif getattr(sys, "frozen", False):  # the frozen app is its own command
        command = [*studio_command(), "--kernel"]
    else:
        command = [sys.executable, "-P", "-m", "studio", "--kernel"]
    # An in-memory IPython history: kernels never contend for the user's history file.
    return [*command, "-f", "{connection_file}", "--HistoryManager.hist_file=:memory:"]


def kernel_environment(interpreter: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    for name in ("QT_API", "QT_QPA_PLATFORM", "QT_PLUGIN_PATH", "QML2_IMPORT_PATH"):
        env.pop(name, None)
    env = foreign_environment(env) if interpreter is not None else system_library_path(env)
    env["HAMILTON_TELEMETRY_ENABLED"] = "false"
    return env


class StudioKernelSpecManager(KernelSpecManager):
    """Knows exactly one kernel: the studio's own (in the chosen interpreter)."""

    interpreter = Unicode("", help="the project's own Python, or '' for the studio's").tag(
        config=False
    )

    def find_kernel_specs(self) -> dict[str, str]:
        return {SPEC_NAME: ""}

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        if kernel_name != SPEC_NAME:
            raise KeyError(kernel_name)
        return KernelSpec(
            argv=kernel_argv(Path(self.interpreter) if self.interpreter else None),
            display_name="Dataflow Studio",
            language="python",
            metadata={"debugger": False},
        )
